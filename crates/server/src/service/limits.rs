//! The core's text limits ([`ladder_core::limits`]) as API errors naming the field, for every
//! service that takes text from the API, the pages or the command line.

pub use ladder_core::limits::*;

use crate::error::{ApiError, ApiResult};

/// The largest impact an accomplishment may claim (either way): beyond any real figure, short
/// enough to print.
pub const IMPACT: f64 = 1e9;

/// One line of text: at most `max` characters, no control characters.
pub fn check_line(field: &str, value: &str, max: usize) -> ApiResult<()> {
    line_problem(value, max).map_or(Ok(()), |p| Err(ApiError::invalid(field, p)))
}

/// Free text: at most `max` characters, line breaks and tabs but no other control characters.
pub fn check_text(field: &str, value: &str, max: usize) -> ApiResult<()> {
    text_problem(value, max).map_or(Ok(()), |p| Err(ApiError::invalid(field, p)))
}

/// A list of single lines: at most `items` of them, each checked as `field[i]`.
pub fn check_lines(field: &str, values: &[String], items: usize, max: usize) -> ApiResult<()> {
    if values.len() > items {
        return Err(ApiError::invalid(field, format!("at most {items} items")));
    }
    for (i, v) in values.iter().enumerate() {
        check_line(&format!("{field}[{i}]"), v, max)?;
    }
    Ok(())
}
