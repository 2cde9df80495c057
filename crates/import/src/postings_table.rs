//! Job postings from a CSV or XLSX table, as job boards export them (issue 28): a title line
//! above the header, blank cells, pay as a text ("PHP 18,000 - 22,000 / month"), dates in many
//! shapes. A mapping (TOML) names the column of each field; each row becomes a JobPosting
//! object read by the same rules as JSON-LD ([`ladder_core::postings::from_json`]), so the
//! identity rule, pay normalisation and role matching are the same. A row that cannot be read
//! is left out with its row and column named; the other rows import.

use chrono::{Days, NaiveDate};
use ladder_core::postings::FileRead;
use ladder_core::postings::{from_json, unshare_urls, MAX_POSTINGS_PER_FILE};
use ladder_core::Framework;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::read::{Cell, Input, Table};

/// The file endings read as tables.
pub const TABLE_EXTENSIONS: [&str; 3] = ["csv", "tsv", "xlsx"];
/// The longest mapping file read.
pub const MAX_MAPPING_BYTES: usize = 64 * 1024;
/// The longest cell kept (a description); longer ones are cut by the posting's own limits.
const MAX_CELL: usize = 20_000;

/// Which column holds each field, by its header (exact, else ignoring case). Only `title` is
/// required; a field whose column the file lacks is left empty.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostingsMapping {
    pub title: String,
    pub organisation: String,
    pub location: String,
    pub url: String,
    pub identifier: String,
    pub description: String,
    pub date_posted: String,
    pub valid_through: String,
    /// Pay as a text or a number ("PHP 18,000 - 22,000 / month", "$15/hr", 18000).
    pub salary: String,
    /// The pay's currency when the salary column does not say it.
    pub currency: String,
    pub employment_type: String,
    /// "Remote", "Work from home", "Hybrid", "On-site".
    pub work_setup: String,
    pub shift: String,
    pub benefits: String,
    /// An O*NET-SOC or ISCO-08 code.
    pub occupational_category: String,
}

impl Default for PostingsMapping {
    /// The column names of a common job-board export.
    fn default() -> Self {
        PostingsMapping {
            title: "Job Title".into(),
            organisation: "Company".into(),
            location: "Location".into(),
            url: "Link".into(),
            identifier: "Job ID".into(),
            description: "Description".into(),
            date_posted: "Date Posted".into(),
            valid_through: "Apply By".into(),
            salary: "Salary".into(),
            currency: String::new(),
            employment_type: "Job Type".into(),
            work_setup: "Work Setup".into(),
            shift: "Shift".into(),
            benefits: "Benefits".into(),
            occupational_category: "Occupation Code".into(),
        }
    }
}

impl PostingsMapping {
    /// A mapping from its TOML; fields left out keep the defaults' column names.
    pub fn from_toml(text: &str) -> Result<PostingsMapping, String> {
        if text.len() > MAX_MAPPING_BYTES {
            return Err(format!("the mapping is over {} KB", MAX_MAPPING_BYTES / 1024));
        }
        let m: PostingsMapping = toml::from_str(text).map_err(|e| format!("the mapping: {}", e.message()))?;
        if m.title.trim().is_empty() {
            return Err("the mapping: title names no column".into());
        }
        if !m.currency.is_empty() && ladder_core::postings::pay::currency_code(&m.currency).is_none() {
            return Err(format!("the mapping: currency '{}' is not an ISO 4217 code", m.currency));
        }
        Ok(m)
    }
}

/// Whether a file name is read as a table.
pub fn is_table(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TABLE_EXTENSIONS.iter().any(|e| lower.ends_with(&format!(".{e}")))
}

/// The columns found: (field, position, header) for each mapped field the file has.
struct Columns {
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    fn of(table: &Table, m: &PostingsMapping) -> Columns {
        let fields: [(&'static str, &str); 14] = [
            ("title", &m.title),
            ("organisation", &m.organisation),
            ("location", &m.location),
            ("url", &m.url),
            ("identifier", &m.identifier),
            ("description", &m.description),
            ("date_posted", &m.date_posted),
            ("valid_through", &m.valid_through),
            ("salary", &m.salary),
            ("employment_type", &m.employment_type),
            ("work_setup", &m.work_setup),
            ("shift", &m.shift),
            ("benefits", &m.benefits),
            ("occupational_category", &m.occupational_category),
        ];
        let found = fields
            .into_iter()
            .filter(|(_, header)| !header.trim().is_empty())
            .filter_map(|(field, header)| table.column(header).map(|i| (field, i, header.trim().to_string())))
            .collect();
        Columns { found }
    }
}

/// Reads every posting of a table; `Err` when the file cannot be read or has no header naming
/// the title column.
pub fn read_table(input: &Input, m: &PostingsMapping, fw: &Framework) -> Result<FileRead, String> {
    let keys = vec![vec![m.title.trim().to_string()]];
    let mut table = Table::open(input, &keys).map_err(|e| e.to_string())?;
    let columns = Columns::of(&table, m);
    let mut read = FileRead::default();
    while table.next_row().map_err(|e| e.to_string())? {
        if table.is_blank() {
            continue;
        }
        if read.postings.len() >= MAX_POSTINGS_PER_FILE {
            read.skipped.push(format!("rows after row {}: more than {MAX_POSTINGS_PER_FILE} postings", table.row()));
            break;
        }
        if let Some(p) = table.bad_text() {
            read.skipped.push(p.to_string());
            continue;
        }
        match row_posting(&table, &columns, m).and_then(|o| {
            from_json(&o, fw).map_err(|e| format!("row {}, column '{}': {e}", table.row(), m.title.trim()))
        }) {
            Ok(p) => read.postings.push(p),
            Err(e) => read.skipped.push(e),
        }
    }
    // As for JSON-LD: rows linking to one search page stay apart.
    unshare_urls(&mut read.postings);
    Ok(read)
}

/// One row as a JobPosting object.
fn row_posting(table: &Table, columns: &Columns, m: &PostingsMapping) -> Result<Map<String, Value>, String> {
    let mut o = Map::new();
    o.insert("@type".into(), json!("JobPosting"));
    let mut extra: Vec<String> = Vec::new();
    for (field, i, header) in &columns.found {
        let cell = table.cell(*i);
        if cell.is_blank() {
            continue;
        }
        let text: String = cell.text().chars().take(MAX_CELL).collect();
        let at = || format!("row {}, column '{header}'", table.row());
        match *field {
            "title" => put(&mut o, "title", text),
            "organisation" => put(&mut o, "hiringOrganization", text),
            "location" => {
                o.insert("jobLocation".into(), json!({ "@type": "Place", "address": text }));
            }
            "url" => put(&mut o, "url", text),
            "identifier" => put(&mut o, "identifier", text),
            "description" => put(&mut o, "description", text),
            "date_posted" | "valid_through" => {
                let day = day_of(cell).ok_or_else(|| format!("{}: '{text}' is not a date", at()))?;
                let key = if *field == "date_posted" { "datePosted" } else { "validThrough" };
                put(&mut o, key, day.to_string());
            }
            "salary" => salary(&mut o, cell, &text, m),
            "employment_type" => put(&mut o, "employmentType", text.replace(['-', ' '], "_").to_ascii_uppercase()),
            "work_setup" => {
                let lower = text.to_lowercase();
                if ["remote", "work from home", "wfh", "telecommute"].iter().any(|w| lower.contains(w)) {
                    put(&mut o, "jobLocationType", "TELECOMMUTE".into());
                }
                extra.push(format!("Work setup: {text}."));
            }
            // "Night" alone says little to the text rules; "Night shift." does.
            "shift" if text.to_lowercase().contains("shift") => extra.push(format!("{text}.")),
            "shift" => extra.push(format!("{text} shift.")),
            "benefits" => put(&mut o, "jobBenefits", text),
            "occupational_category" => put(&mut o, "occupationalCategory", text),
            _ => {}
        }
    }
    if !extra.is_empty() {
        let description = o.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        put(&mut o, "description", format!("{description}\n{}", extra.join(" ")).trim().to_string());
    }
    Ok(o)
}

fn put(o: &mut Map<String, Value>, key: &str, text: String) {
    o.insert(key.into(), Value::String(text));
}

/// Pay from a number (a month's pay, in the mapping's currency) or a text the JSON-LD rules read.
fn salary(o: &mut Map<String, Value>, cell: Cell<'_>, text: &str, m: &PostingsMapping) {
    let value = match cell {
        Cell::Number(n) => json!(n),
        _ => json!(text),
    };
    if m.currency.is_empty() {
        o.insert("baseSalary".into(), value);
    } else {
        o.insert("baseSalary".into(), json!({ "@type": "MonetaryAmount", "currency": m.currency, "value": value }));
    }
}

/// A day from a spreadsheet date, or a text in one of the shapes job boards write: ISO
/// (`2026-11-03`, with a time too), `11/03/2026` (month first, as US and Philippine boards
/// write it), `2026/11/03`, `Nov 3, 2026`, `3 Nov 2026`, `03-Nov-2026`, `November 3, 2026`.
pub fn day_of(cell: Cell<'_>) -> Option<NaiveDate> {
    let day = match cell {
        Cell::Time(serial) | Cell::Number(serial) if (1.0..=2_958_465.0).contains(&serial) => {
            NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.trunc() as u64))?
        }
        Cell::Text(t) => day_of_text(t.trim())?,
        _ => return None,
    };
    ladder_core::dates::in_range(day).ok()
}

fn day_of_text(t: &str) -> Option<NaiveDate> {
    const SHAPES: [&str; 9] =
        ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%b %d %Y"];
    let date_part = if t.len() > 10 && t.as_bytes().get(4) == Some(&b'-') { t.get(..10)? } else { t };
    SHAPES.iter().find_map(|f| NaiveDate::parse_from_str(date_part, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_the_shapes_boards_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3);
        for t in ["2026-11-03", "2026-11-03T09:00:00+08:00", "11/03/2026", "2026/11/03", "Nov 3, 2026"] {
            assert_eq!(day_of(Cell::Text(t)), d, "{t}");
        }
        for t in ["3 Nov 2026", "03-Nov-2026", "November 3, 2026", "3 November 2026"] {
            assert_eq!(day_of(Cell::Text(t)), d, "{t}");
        }
        assert_eq!(day_of(Cell::Time(46329.0)), d, "a spreadsheet serial");
        assert_eq!(day_of(Cell::Text("next week")), None);
        assert_eq!(day_of(Cell::Text("13/45/2026")), None);
    }

    fn read_csv(text: &str) -> FileRead {
        let input = Input::bytes("board.csv", text.as_bytes().to_vec());
        read_table(&input, &PostingsMapping::default(), &Framework::default_framework()).unwrap()
    }

    #[test]
    fn rows_sharing_one_link_stay_separate_postings() {
        let read = read_csv(
            "Job Title,Company,Location,Link\n\
             Chat Support Agent,Harbor Contact,Cebu,https://jobs.example.ph/search\n\
             Team Leader,Northwind BPO,Makati,https://jobs.example.ph/search\n",
        );
        assert_eq!(read.postings.len(), 2, "{:?}", read.skipped);
        assert_ne!(read.postings[0].identity, read.postings[1].identity);
    }

    #[test]
    fn a_link_that_is_not_a_web_address_is_left_out() {
        let read = read_csv("Job Title,Link\nChat Support Agent,javascript:alert(1)\nTeam Leader,HTTPS://e.ph/2\n");
        assert_eq!(read.postings[0].url, None);
        assert_eq!(read.postings[1].url.as_deref(), Some("HTTPS://e.ph/2"));
    }

    #[test]
    fn a_row_refused_for_its_text_names_the_row_and_column() {
        let read = read_csv("Job Title,Company\nChat Support Agent,Harbor\u{0}Contact\n");
        assert!(read.postings.is_empty());
        assert!(read.skipped[0].starts_with("row 2, column 'Company'"), "{:?}", read.skipped);
    }

    #[test]
    fn a_mapping_names_columns_and_refuses_unknown_keys() {
        let m = PostingsMapping::from_toml("title = \"Position\"\ncurrency = \"PHP\"").unwrap();
        assert_eq!((m.title.as_str(), m.organisation.as_str()), ("Position", "Company"));
        assert!(PostingsMapping::from_toml("titel = \"x\"").unwrap_err().contains("titel"));
        assert!(PostingsMapping::from_toml("currency = \"pesos\"").unwrap_err().contains("pesos"));
        assert!(PostingsMapping::from_toml("title = \" \"").is_err());
    }
}
