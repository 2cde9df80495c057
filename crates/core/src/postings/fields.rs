//! Lenient reads of JSON-LD values as postings in the wild write them: a scalar where an array
//! is allowed and the reverse, numbers as strings, a name inside an object, `null` anywhere.

use rust_decimal::Decimal;
use serde_json::Value;

/// The values of a property: an array's items, one value, or none for `null` / absent.
pub fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().filter(|x| !x.is_null()).collect(),
        Some(one) => vec![one],
    }
}

/// A property's text: a string, a number or boolean as written, an object's `name` / `@value` /
/// `value`, an array's first text; trimmed, `None` when empty.
pub fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => clean(s).trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(o) => return ["name", "@value", "value", "@id"].iter().find_map(|k| text(o.get(*k))),
        Value::Array(a) => return a.iter().find_map(|x| text(Some(x))),
        Value::Null => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Every text of a property (each item's [`text`]).
pub fn texts(v: Option<&Value>) -> Vec<String> {
    items(v).into_iter().filter_map(|x| text(Some(x))).collect()
}

/// A number written as a number or a string ("18000", "18,000.50", "PHP 18,000"); `None` when
/// there is none.
pub fn number(v: Option<&Value>) -> Option<Decimal> {
    match v? {
        Value::Number(n) => n.to_string().parse().ok().or_else(|| n.as_f64().and_then(|f| Decimal::try_from(f).ok())),
        Value::String(s) => parse_amount(s),
        Value::Array(a) => a.iter().find_map(|x| number(Some(x))),
        _ => None,
    }
}

/// An amount written by a person: currency signs and codes, thousands separators and a
/// trailing `k` ("₱18k") allowed.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let run = &s[start..];
    let end = run.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(run.len());
    let digits: String = run[..end].trim_end_matches(['.', ',']).chars().filter(|c| *c != ',').collect();
    if digits.len() > 24 {
        return None;
    }
    let n: Decimal = digits.parse().ok()?;
    let thousands = run[end..].starts_with(['k', 'K']);
    if thousands {
        n.checked_mul(Decimal::from(1000))
    } else {
        Some(n)
    }
}

/// Whether a JSON-LD object's `@type` is `wanted` (one type or several; with or without a
/// `schema:` or `https://schema.org/` prefix).
pub fn has_type(o: &serde_json::Map<String, Value>, wanted: &str) -> bool {
    texts(o.get("@type")).iter().any(|t| t.rsplit(['/', ':', '#']).next() == Some(wanted))
}

/// At most `max` characters of `s`, control characters dropped (see [`clean`]).
pub fn clip(s: &str, max: usize) -> String {
    let s = clean(s);
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s,
    }
}

/// `s` without NUL and other control characters (PostgreSQL refuses NUL in TEXT, so one such
/// posting would fail a whole import); line breaks and tabs kept.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_arrays_and_strings_read_alike() {
        let v = json!({"a": "X", "b": ["X", "Y"], "c": null, "n": "18,000", "o": {"name": "Acme"}, "k": "₱18k"});
        assert_eq!(texts(v.get("a")), ["X"]);
        assert_eq!(texts(v.get("b")), ["X", "Y"]);
        assert!(texts(v.get("c")).is_empty());
        assert_eq!(number(v.get("n")), Some(Decimal::from(18000)));
        assert_eq!(number(v.get("k")), Some(Decimal::from(18000)));
        assert_eq!(text(v.get("o")).as_deref(), Some("Acme"));
        assert_eq!(text(Some(&json!("Night\u{0}shift\u{7}\r\n\tagent"))).as_deref(), Some("Nightshift\n\tagent"));
        assert_eq!(clip("a\u{0}b\u{1b}c\u{85}d", 3), "abc");
        assert!(has_type(json!({"@type": ["Thing", "schema:JobPosting"]}).as_object().unwrap(), "JobPosting"));
    }
}
