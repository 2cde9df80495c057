//! Roll-up pages show a chosen few metrics, the rest behind a picker (issue 26): a `<details>`
//! holding a GET form of `metrics=` checkboxes, so no script is needed and the choice stays in
//! the address. Downloads keep every metric.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::Uri;
use serde::de::DeserializeOwned;

use super::page::PageError;
use crate::error::ApiError;

/// The query parameter the picker's checkboxes send, once per metric.
pub const PARAM: &str = "metrics";
/// The most `metrics=` one address may carry: more than any page has columns.
const MOST_ASKED: usize = 64;

/// A page's query string with its repeated `metrics=` taken apart from the rest (which
/// `serde_urlencoded` cannot read into a list); the rest reads as `T`, as `PageQuery` does.
pub struct PickQuery<T> {
    pub query: T,
    /// The metrics asked for; empty: the page's default few.
    pub metrics: Vec<String>,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PickQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        let raw = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|e| PageError::BadQuery(ApiError::invalid("query", e.to_string())))?;
        let (picked, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == PARAM);
        if picked.len() > MOST_ASKED {
            return Err(PageError::BadQuery(ApiError::invalid(PARAM, format!("at most {MOST_ASKED} metrics"))));
        }
        let rest = serde_urlencoded::to_string(&rest)
            .map_err(|e| PageError::BadQuery(ApiError::invalid("query", e.to_string())))?;
        let uri: Uri =
            format!("/?{rest}").parse().map_err(|_| PageError::BadQuery(ApiError::invalid("query", "unreadable")))?;
        let Query(query) = Query::<T>::try_from_uri(&uri)?;
        let mut metrics: Vec<String> = Vec::new();
        for (_, m) in picked {
            let m = m.trim().to_string();
            if !m.is_empty() && !metrics.contains(&m) {
                metrics.push(m);
            }
        }
        Ok(PickQuery { query, metrics })
    }
}

/// One metric the picker offers.
pub struct Choice {
    pub id: String,
    pub name: String,
    pub shown: bool,
}

/// The page's metrics (id, name), each marked shown when asked for, or (none asked) when among
/// `default`; a metric asked for that the page has not is refused, naming it.
pub fn choose(all: &[(String, String)], asked: &[String], default: &[String]) -> Result<Vec<Choice>, PageError> {
    if let Some(unknown) = asked.iter().find(|m| !all.iter().any(|(id, _)| id == *m)) {
        let shown: String = unknown.chars().take(64).collect();
        let known: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
        return Err(PageError::BadQuery(ApiError::invalid(
            PARAM,
            format!("'{shown}' is not a metric of this page; choose from {}", known.join(", ")),
        )));
    }
    let wanted = if asked.is_empty() { default } else { asked };
    Ok(all.iter().map(|(id, name)| Choice { id: id.clone(), name: name.clone(), shown: wanted.contains(id) }).collect())
}

/// The choice as query parameters (`&metrics=a&metrics=b`), for links that keep it; nothing
/// when the default is shown.
pub fn query_part(asked: &[String]) -> String {
    asked.iter().map(|m| format!("&{PARAM}={}", super::urlencode(m))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<(String, String)> {
        ["aht", "csat", "fcr"].iter().map(|m| (m.to_string(), m.to_uppercase())).collect()
    }

    #[test]
    fn the_default_few_unless_asked_and_an_unknown_metric_is_named() {
        let shown = |c: Vec<Choice>| c.into_iter().filter(|c| c.shown).map(|c| c.id).collect::<Vec<_>>();
        let default = vec!["aht".to_string()];
        assert_eq!(shown(choose(&all(), &[], &default).ok().unwrap()), ["aht"]);
        assert_eq!(shown(choose(&all(), &["fcr".into(), "csat".into()], &default).ok().unwrap()), ["csat", "fcr"]);
        match choose(&all(), &["nps".into()], &default) {
            Err(PageError::BadQuery(e)) => {
                assert_eq!((e.status.as_u16(), e.field.as_deref()), (422, Some(PARAM)));
                assert!(e.message.contains("'nps'"), "{}", e.message);
            }
            _ => panic!("an unknown metric is refused"),
        }
        assert_eq!(query_part(&["a b".into()]), "&metrics=a%20b");
    }
}
