//! Lists downloaded as files (issue 25): a table (a header and rows of typed cells) written as
//! CSV or XLSX, built in memory. A download holds at most [`MAX_ROWS`] rows; a longer list is
//! refused with a 422 asking for a filter, never cut short silently.
//!
//! CSV text goes through `ladder_core::export::text_cell` (no cell opens as a formula); XLSX
//! cells are typed (text as text, numbers as numbers, dates as dates), so nothing there is a
//! formula either.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

/// The most rows one download holds (a demo of 100,000 people fits; XLSX allows 1,048,575).
pub const MAX_ROWS: u64 = 100_000;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Cell {
        text.map_or(Cell::Empty, Cell::Text)
    }
}

/// A list as a download shows it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The file to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
}

/// Refuses a download of `total` rows over the cap, naming the filter to narrow it by.
pub fn check_size(total: u64, filter: &str) -> ApiResult<()> {
    if total > MAX_ROWS {
        return Err(ApiError::invalid(
            filter,
            format!("the list has {total} rows; a download holds at most {MAX_ROWS}: narrow it by `{filter}`"),
        ));
    }
    Ok(())
}

impl Table {
    pub fn csv(&self) -> ApiResult<Vec<u8>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&self.header).map_err(ApiError::internal)?;
        for row in &self.rows {
            let cells = row.iter().map(|cell| match cell {
                Cell::Text(text) => ladder_core::export::text_cell(text).into_owned(),
                Cell::Number(n) => n.to_string(),
                Cell::Date(d) => d.to_string(),
                Cell::Empty => String::new(),
            });
            out.write_record(cells).map_err(ApiError::internal)?;
        }
        out.into_inner().map_err(|e| ApiError::internal(e.into_error()))
    }

    pub fn xlsx(&self, sheet: &str) -> ApiResult<Vec<u8>> {
        let mut book = Workbook::new();
        let dates = CellFormat::new().set_num_format("yyyy-mm-dd");
        let bold = CellFormat::new().set_bold();
        let out = book.add_worksheet();
        out.set_name(sheet).map_err(ApiError::internal)?;
        for (col, title) in self.header.iter().enumerate() {
            out.write_string_with_format(0, col as u16, *title, &bold).map_err(ApiError::internal)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let c = col as u16;
                match cell {
                    Cell::Text(text) => out.write_string(r, c, text).map(drop),
                    Cell::Number(n) => out.write_number(r, c, *n).map(drop),
                    Cell::Date(d) => ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                        .and_then(|d| out.write_datetime_with_format(r, c, d, &dates).map(drop)),
                    Cell::Empty => Ok(()),
                }
                .map_err(ApiError::internal)?;
            }
        }
        book.save_to_buffer().map_err(ApiError::internal)
    }

    /// The download: `name` without extension names the file and the sheet.
    pub fn download(&self, format: Format, name: &str) -> ApiResult<Response> {
        let (body, kind, ext) = match format {
            Format::Csv => (self.csv()?, "text/csv; charset=utf-8", "csv"),
            Format::Xlsx => {
                (self.xlsx(name)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
            }
        };
        let disposition = format!("attachment; filename=\"{name}.{ext}\"");
        Ok(([(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
            .into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_that_looks_like_a_formula_is_neutralised_and_numbers_are_not() {
        let table = Table {
            header: vec!["name", "n", "day"],
            rows: vec![vec![
                Cell::Text("=1+1".into()),
                Cell::Number(-2.5),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            ]],
        };
        let text = String::from_utf8(table.csv().unwrap()).unwrap();
        assert_eq!(text, "name,n,day\n'=1+1,-2.5,2026-03-01\n");
        assert!(table.xlsx("sheet").unwrap().starts_with(b"PK"));
    }

    #[test]
    fn a_list_over_the_cap_is_refused_naming_the_filter() {
        assert!(check_size(MAX_ROWS, "team").is_ok());
        let err = check_size(MAX_ROWS + 1, "team").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("team"));
    }
}
