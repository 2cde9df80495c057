//! Hours, spans, thresholds and times in plain words, for the flags' messages.

use chrono::NaiveDateTime;

/// "9 h", "10 h 30 min", "45 min".
pub(super) fn fmt_hours(h: f64) -> String {
    let mins = (h * 60.0).round() as i64;
    match (mins / 60, mins % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// "7 days", "8 days 3 h", "1 day 2 h 30 min".
pub(super) fn fmt_span(h: f64) -> String {
    let mins = (h * 60.0).round() as i64;
    let days = mins / (24 * 60);
    let rest = mins % (24 * 60);
    let d = format!("{days} day{}", if days == 1 { "" } else { "s" });
    match (days, rest) {
        (0, _) => fmt_hours(h),
        (_, 0) => d,
        _ => format!("{d} {}", fmt_hours(rest as f64 / 60.0)),
    }
}

/// A threshold without a needless ".0": 48, 10.5.
pub(super) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

pub(super) fn fmt_when(t: NaiveDateTime) -> String {
    t.format("%a %-d %b %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_format_in_plain_words() {
        assert_eq!(fmt_hours(9.0), "9 h");
        assert_eq!(fmt_hours(10.5), "10 h 30 min");
        assert_eq!(fmt_hours(0.25), "15 min");
        assert_eq!(fmt_span(192.0), "8 days");
        assert_eq!(fmt_span(24.5), "1 day 30 min");
        assert_eq!(fmt_span(5.0), "5 h");
        assert_eq!(fmt_num(10.5), "10.5");
        assert_eq!(fmt_num(48.0), "48");
    }
}
