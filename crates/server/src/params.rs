//! Query-string values the API and the pages read alike. A month has one rule: left out (or
//! empty, as a cleared form field sends it) it is the last full month; anything else must be
//! `YYYY-MM` (or a date, meaning its month), or the request fails naming the field — a 422 on
//! the API (`QueryArgs`), an error page on the pages (`PageQuery`).

use chrono::Utc;
use ladder_core::period::Month;
use serde::{Deserialize, Deserializer};

/// A month in a query string; [`Month::last_full`] when left out. Declare it `#[serde(default)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthParam(pub Month);

impl Default for MonthParam {
    fn default() -> MonthParam {
        MonthParam(Month::last_full(Utc::now().date_naive()))
    }
}

impl<'de> Deserialize<'de> for MonthParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MonthParam, D::Error> {
        Ok(optional_month(d)?.map_or_else(MonthParam::default, MonthParam))
    }
}

/// A month that may be left out (`#[serde(default, deserialize_with = "optional_month")]`), for
/// one whose default is another field, such as a span's first month.
pub fn optional_month<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Month>, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(d)?;
    match text.trim() {
        "" => Ok(None),
        given => given.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Span {
        #[serde(default, deserialize_with = "optional_month")]
        from: Option<Month>,
        #[serde(default)]
        through: MonthParam,
    }

    fn read(query: &str) -> Result<Span, crate::error::ApiError> {
        let uri: axum::http::Uri = format!("/?{query}").parse().unwrap();
        axum::extract::Query::<Span>::try_from_uri(&uri).map(|q| q.0).map_err(Into::into)
    }

    #[test]
    fn a_month_left_out_or_empty_is_the_last_full_month() {
        let last_full = Month::last_full(Utc::now().date_naive());
        for query in ["", "through=", "through=%20"] {
            let span = read(query).unwrap();
            assert_eq!((span.from, span.through.0), (None, last_full), "{query:?}");
        }
        let span = read("from=2026-01&through=2026-03-15").unwrap();
        assert_eq!((span.from, span.through.0), (Month::new(2026, 1), Month::new(2026, 3).unwrap()));
    }

    #[test]
    fn a_malformed_month_is_refused_naming_its_field() {
        for (query, field) in [("through=2026-13", "through"), ("from=March&through=2026-03", "from")] {
            let e = read(query).unwrap_err();
            assert_eq!((e.status.as_u16(), e.code, e.field.as_deref()), (422, "invalid", Some(field)), "{query}");
            assert!(e.message.contains("is not a month"), "{}", e.message);
        }
    }
}
