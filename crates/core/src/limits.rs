//! How much text each field of a record, an account or a plan may hold, declared once: the
//! service checks against these, the OpenAPI document shows them (`maxLength`, `maxItems`), and
//! the pages' forms are refused by the same checks. Single-line fields (names, units, tags,
//! providers) refuse control characters too; multi-line text allows line breaks and tabs only.

/// An email address (RFC 5321's longest path).
pub const EMAIL: usize = 254;
/// A person's or a user's name, an API token's name, a KRA plan's name.
pub const NAME: usize = 120;
/// A title: an accomplishment's, a training item's.
pub const TITLE: usize = 200;
/// A short line: an impact unit, a training provider, a currency code as typed.
pub const LINE: usize = 120;
/// Free text: details, highlights, blockers, asks, comments, coaching notes.
pub const TEXT: usize = 4000;
/// One tag, and how many tags an entry may carry.
pub const TAG: usize = 40;
pub const TAGS: usize = 20;
/// An id or a keyword of the framework or a closed set (metric, skill, role, status, kind).
pub const KEY: usize = 80;
/// How many framework ids (KRAs, skills, KRA lines) one entry may list.
pub const KEYS: usize = 50;
/// How many entries a check-in may pick from the log.
pub const PICKED: usize = 50;
/// A currency: an ISO 4217 code.
pub const CURRENCY: usize = 3;
/// A month as sent (`YYYY-MM`, or a date meaning its month), and an amount of money as text:
/// longer ones never parse.
pub const MONTH: usize = 10;
pub const AMOUNT: usize = 32;
/// A password (argon2 hashes all of it) and a one-time secret as sent back.
pub const PASSWORD: usize = 1000;
pub const SECRET: usize = 200;
/// How many sites and accounts one manager may be given at once.
pub const MANAGER_SCOPES: usize = 100;

/// A page of the accomplishment log on the pages (the API's lists take a `limit`).
pub const LOG_PAGE: i64 = 50;

/// Why a single line of text is refused, or `None`: longer than `max` characters, or a control
/// character (NUL, a line break, an escape…) in it.
pub fn line_problem(value: &str, max: usize) -> Option<String> {
    if value.chars().count() > max {
        return Some(format!("at most {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Some("one line of text, without control characters".into());
    }
    None
}

/// Why free text is refused, or `None`: longer than `max` characters, or a control character
/// other than a line break or a tab.
pub fn text_problem(value: &str, max: usize) -> Option<String> {
    if value.chars().count() > max {
        return Some(format!("at most {max} characters"));
    }
    if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Some("text without control characters (line breaks and tabs are fine)".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_refused_when_too_long_or_holding_a_control_character() {
        assert_eq!(line_problem("Quality champion", NAME), None);
        assert_eq!(line_problem(&"é".repeat(NAME), NAME), None, "characters, not bytes");
        assert_eq!(line_problem(&"a".repeat(NAME + 1), NAME).as_deref(), Some("at most 120 characters"));
        for bad in ["a\0b", "two\nlines", "tab\there", "esc\u{1b}[31m", "\u{7f}"] {
            assert!(line_problem(bad, NAME).is_some_and(|p| p.contains("control")), "{bad:?}");
        }
    }

    #[test]
    fn text_may_break_lines_but_holds_no_other_control_character() {
        assert_eq!(text_problem("first\nsecond\r\n\tindented", TEXT), None);
        assert!(text_problem("nul\0", TEXT).is_some_and(|p| p.contains("control")));
        assert_eq!(text_problem(&"x".repeat(TEXT + 1), TEXT).as_deref(), Some("at most 4000 characters"));
    }
}
