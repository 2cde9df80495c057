//! Refuses a query parameter an operation does not declare: a 422 naming it, for every route of
//! the API, the ones without a query struct too (issue 25). The parameters each operation takes
//! are read from the OpenAPI document the same router produces, so what is refused is exactly
//! what the document does not list. Query structs also carry `deny_unknown_fields`, which says
//! the same thing for a handler called on its own.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// The query parameters of each operation, by method and path template (`/api/v1/employees/{id}`).
#[derive(Debug, Clone, Default)]
pub struct Declared(Arc<HashMap<(String, String), HashSet<String>>>);

impl Declared {
    pub fn of(doc: &OpenApi) -> Declared {
        let mut map = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let names = operation
                    .parameters
                    .iter()
                    .flatten()
                    // A struct of `IntoParams` without `parameter_in` is documented "in path";
                    // a name that is no segment of the path is a query parameter all the same.
                    .filter(|p| {
                        matches!(p.parameter_in, ParameterIn::Query) || !path.contains(&format!("{{{}}}", p.name))
                    })
                    .map(|p| p.name.clone())
                    .collect();
                map.insert((method.to_string(), path.clone()), names);
            }
        }
        Declared(Arc::new(map))
    }

    /// The first parameter of `query` that the operation does not take.
    fn unknown<'q>(&self, method: &str, path: &str, query: &'q str) -> Option<std::borrow::Cow<'q, str>> {
        let declared = self.0.get(&(method.to_string(), path.to_string()))?;
        form_urlencoded_keys(query).find(|key| !declared.contains(key.as_ref()))
    }
}

/// The keys of a query string, decoded.
fn form_urlencoded_keys(query: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    query.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let key = pair.split('=').next().unwrap_or_default();
        match serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("{key}=")) {
            Ok(mut decoded) if decoded.len() == 1 => std::borrow::Cow::Owned(decoded.remove(0).0),
            _ => std::borrow::Cow::Borrowed(key),
        }
    })
}

/// The layer: answers 422 naming the first parameter the matched operation does not declare.
pub async fn refuse_unknown(declared: axum::extract::State<Declared>, request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    if let (Some(path), Some(query)) = (matched, request.uri().query()) {
        if let Some(key) = declared.unknown(request.method().as_str(), &path, query) {
            let key: String = key.chars().take(64).collect();
            return ApiError::invalid(&key, format!("`{key}` is not a parameter of this request")).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded_and_empty_pairs_skipped() {
        let keys: Vec<_> = form_urlencoded_keys("a=1&&b%20c=2&d").map(|k| k.into_owned()).collect();
        assert_eq!(keys, ["a", "b c", "d"]);
    }
}
