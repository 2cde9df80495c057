//! Scores, trends, month counts and sentences in plain words, for the gaps and the forecast.

/// A score for people: at most one decimal, none when whole ("90", "86.2").
pub(super) fn num(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// "+1.2" / "−0.8" (a true minus sign).
pub(super) fn signed(x: f64) -> String {
    format!("{x:+.1}").replace('-', "−")
}

pub(super) fn months(n: usize) -> String {
    if n == 1 {
        "1 month".to_string()
    } else {
        format!("{n} months")
    }
}

pub(super) fn more_months(n: u32) -> String {
    if n == 1 {
        "1 more month".to_string()
    } else {
        format!("{n} more months")
    }
}

/// Clauses joined with "; ", capitalised, with a full stop.
pub(super) fn sentence(clauses: &[String]) -> String {
    let joined = clauses.join("; ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
