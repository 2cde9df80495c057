//! Reading an XLSX workbook's first sheet within limits, so a small file cannot take the
//! server's memory (a "zip bomb"): the entries' inflated sizes are checked before calamine
//! opens the workbook (both as the central directory declares them and as they really inflate,
//! which a crafted file can make differ), and the sheet is read cell by cell, without the grid
//! its declared dimensions would allocate, up to a number of rows, columns, cells and
//! characters per cell. Each refusal names the limit.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

/// How much a workbook may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of all the workbook's entries once inflated.
    pub inflated_bytes: u64,
    /// Excel's own maximum.
    pub rows: u32,
    pub columns: u32,
    pub cells: usize,
    /// Characters in one cell (Excel's own maximum).
    pub cell_chars: usize,
}

impl Limits {
    pub const DEFAULT: Limits =
        Limits { inflated_bytes: 256 << 20, rows: 1_048_576, columns: 256, cells: 10_000_000, cell_chars: 32_767 };
}

/// The first sheet's rows (from its first row with a cell) and that row's index.
pub(crate) struct Sheet {
    pub rows: Vec<Vec<Data>>,
    pub first_row: u64,
}

/// Reads the workbook's first sheet; `Err` says why it cannot (a limit, or a damaged file).
pub(crate) fn read_first_sheet(bytes: Vec<u8>, limits: &Limits) -> Result<Sheet, String> {
    check_inflated(&bytes, limits)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let name = book.sheet_names().first().cloned().ok_or("it has no worksheet")?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(|e| e.to_string())?;
    let mut rows: Vec<Vec<Data>> = Vec::new();
    let mut first_row = None;
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
        let (row, column) = cell.get_position();
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        count += 1;
        let place = || format!("cell {}{}", column_name(column), row + 1);
        if row >= limits.rows {
            return Err(format!("{} is past the limit of {} rows", place(), limits.rows));
        }
        if column >= limits.columns {
            return Err(format!("{} is past the limit of {} columns", place(), limits.columns));
        }
        if count > limits.cells {
            return Err(format!("it has more than {} cells with a value, the limit", limits.cells));
        }
        if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = &value {
            if s.chars().count() > limits.cell_chars {
                return Err(format!("{} is longer than the limit of {} characters", place(), limits.cell_chars));
            }
        }
        let first = *first_row.get_or_insert(row);
        let Some(at) = row.checked_sub(first) else {
            return Err(format!("{} comes after a later row (the sheet is out of order)", place()));
        };
        let at = at as usize;
        if rows.len() <= at {
            rows.resize_with(at + 1, Vec::new);
        }
        let cells_of_row = &mut rows[at];
        if cells_of_row.len() <= column as usize {
            cells_of_row.resize(column as usize + 1, Data::Empty);
        }
        cells_of_row[column as usize] = value;
    }
    Ok(Sheet { rows, first_row: first_row.map_or(0, u64::from) })
}

/// Refuses a workbook whose entries inflate past the limit, as declared or as they really are.
fn check_inflated(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let too_large = || {
        format!(
            "it inflates to more than {} MiB (the limit for a workbook); is it a zip bomb?",
            limits.inflated_bytes >> 20
        )
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > limits.inflated_bytes {
        return Err(too_large());
    }
    // A crafted file may declare less than it holds: inflate it, keeping nothing, to be sure.
    let mut left = limits.inflated_bytes;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink()).map_err(|e| e.to_string())?;
        if read > left {
            return Err(too_large());
        }
        left -= read;
    }
    Ok(())
}

/// `A`, `Z`, `AA`… for a column index from 0.
fn column_name(mut column: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A workbook of one sheet whose XML is `sheet_data` (inside `<sheetData>`), with a
    /// dimension as large as a sheet can declare.
    pub(crate) fn workbook(sheet_data: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{sheet_data}</sheetData></worksheet>"#)),
        ];
        for (name, text) in files {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn text_cell(at: &str, text: &str) -> String {
        format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    }

    #[test]
    fn a_small_workbook_is_read_without_the_grid_it_declares() {
        let data = format!(
            r#"<row r="2">{}{}</row><row r="3">{}<c r="C3"><v>7</v></c></row>"#,
            text_cell("A2", "Agent"),
            text_cell("B2", "Calls"),
            text_cell("A3", "E1")
        );
        let sheet = read_first_sheet(workbook(&data), &Limits::DEFAULT).unwrap();
        assert_eq!(sheet.first_row, 1);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1], vec![Data::String("E1".into()), Data::Empty, Data::Float(7.0)]);
    }

    #[test]
    fn a_bomb_like_workbook_is_refused_naming_the_limit() {
        // 4 MiB of one repeated cell inflates from a few kilobytes.
        let many = text_cell("A1", &"x".repeat(4 << 20));
        let bomb = workbook(&format!(r#"<row r="1">{many}</row>"#));
        assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
        let small = Limits { inflated_bytes: 1 << 20, ..Limits::DEFAULT };
        let refused = read_first_sheet(bomb.clone(), &small).err().unwrap();
        assert!(refused.contains("more than 1 MiB"), "{refused}");
        // Within the inflated size, the cell is still too long.
        let refused = read_first_sheet(bomb, &Limits::DEFAULT).err().unwrap();
        assert!(refused.contains("cell A1 is longer than the limit of 32767 characters"), "{refused}");

        let wide = workbook(&format!(r#"<row r="1">{}</row>"#, text_cell("IW1", "x")));
        let refused = read_first_sheet(wide, &Limits::DEFAULT).err().unwrap();
        assert!(refused.contains("cell IW1 is past the limit of 256 columns"), "{refused}");
        let cells: String =
            (1..=20).map(|r| format!(r#"<row r="{r}">{}</row>"#, text_cell(&format!("A{r}"), "x"))).collect();
        let refused = read_first_sheet(workbook(&cells), &Limits { cells: 10, ..Limits::DEFAULT }).err().unwrap();
        assert!(refused.contains("more than 10 cells"), "{refused}");
    }

    #[test]
    fn a_declared_size_smaller_than_the_inflated_one_does_not_fool_the_check() {
        let book = workbook(&format!(r#"<row r="1">{}</row>"#, text_cell("A1", &"y".repeat(200_000))));
        assert!(check_inflated(&book, &Limits { inflated_bytes: 100_000, ..Limits::DEFAULT }).is_err());
        assert!(check_inflated(&book, &Limits::DEFAULT).is_ok());
        assert_eq!(
            (column_name(0), column_name(25), column_name(26), column_name(256)),
            ("A".into(), "Z".into(), "AA".into(), "IW".into())
        );
    }
}
