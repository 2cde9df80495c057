//! Text cells of the CSV files Ladder writes, made safe to open in a spreadsheet: a cell that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel,
//! LibreOffice and Google Sheets (CSV injection), so such text gets a leading `'`, which the
//! spreadsheets show as text. Numbers are written as numbers and never pass through here;
//! quoting (commas, quotes, line breaks) is the CSV writer's job.

use std::borrow::Cow;

/// The text as a spreadsheet will show it, never as a formula.
pub fn text_cell(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_quoted_and_the_rest_left_alone() {
        for (given, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\r=1", "'\r=1"),
            ("E1001", "E1001"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(text_cell(given), written, "{given:?}");
        }
    }
}
