//! How an HR system's export becomes a people file without renaming its columns: a TOML file in
//! the form of the KPI mappings (docs/import.md) that names, for each of Ladder's people columns,
//! the file's column (`[columns]`), gives constants for columns the file lacks (`[defaults]`,
//! such as the one site everyone works at), the date formats, and the date the file was taken
//! (`as_of`), from which "years at company" and "years in role" count back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::mapping::{MappingError, Names};

/// Ladder's people columns a mapping may name, with the names a file is read by when it does not.
pub(super) const COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["code", "employee", "employee code", "employee id"]),
    ("name", &["name", "full name", "employee name"]),
    ("email", &["email", "e-mail"]),
    ("site", &["site"]),
    ("country", &["country", "site country"]),
    ("timezone", &["timezone", "time zone", "site timezone"]),
    ("account", &["account"]),
    ("client", &["client"]),
    ("line_of_business", &["line of business", "line_of_business", "lob"]),
    ("team", &["team"]),
    ("role", &["role", "role id", "job title", "title", "job role", "position"]),
    ("role_since", &["role since", "role_since", "role start"]),
    ("hire_date", &["hire date", "hire_date", "hired"]),
    ("team_leader", &["team leader", "team_leader", "reports to", "manager"]),
    ("active", &["active"]),
    // The day someone left (the headcount's leavers): a date here also means inactive.
    (
        "leave_date",
        &["leave date", "leave_date", "termination date", "termination_date", "last working day", "exit date"],
    ),
    // Platform identities: a column per platform, named as `Platform::column` (or in words).
    ("genesys_id", &["genesys_id", "genesys id", "genesys user id"]),
    ("amazon_connect_id", &["amazon_connect_id", "amazon connect id", "amazon connect login"]),
    ("five9_username", &["five9_username", "five9 username"]),
    ("nice_id", &["nice_id", "nice id", "nice agent id"]),
    ("talkdesk_id", &["talkdesk_id", "talkdesk id"]),
    ("wfm_name", &["wfm_name", "wfm name"]),
    // Where the hire date and the role's start are not given: years back from the file's date.
    ("years_at_company", &["years at company", "years_at_company"]),
    ("years_in_role", &["years in role", "years_in_role", "years in current role"]),
];

/// The longest mapping file read, and the most columns and defaults it may name.
const MAX_TEXT: usize = 64 * 1024;

/// A people mapping file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleMapping {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub source: String,
    /// chrono `strftime` patterns tried before ISO `YYYY-MM-DD` (and spreadsheet dates).
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// The day the export was taken: years of service count back from it (default: the
    /// import's today).
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// Ladder's column → the file's column (or several names, the first found is used).
    #[serde(default)]
    pub columns: BTreeMap<String, Names>,
    /// Ladder's column → a value for every row, for columns the file does not have.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

impl PeopleMapping {
    pub fn parse(name: &str, text: &str) -> Result<PeopleMapping, MappingError> {
        if text.len() > MAX_TEXT {
            return Err(MappingError::Invalid(name.into(), format!("longer than {MAX_TEXT} bytes")));
        }
        let mapping: PeopleMapping =
            toml::from_str(text).map_err(|e| MappingError::Syntax(name.to_string(), e.to_string()))?;
        mapping.check()?;
        Ok(mapping)
    }

    pub fn load(path: &std::path::Path) -> Result<PeopleMapping, MappingError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| MappingError::Io(name.clone(), e))?;
        PeopleMapping::parse(&name, &text)
    }

    /// Every key is one of Ladder's columns, and the code comes from the file.
    fn check(&self) -> Result<(), MappingError> {
        let bad = |m: String| Err(MappingError::Invalid(self.name.clone(), m));
        let known: Vec<&str> = COLUMNS.iter().map(|(k, _)| *k).collect();
        for key in self.columns.keys().chain(self.defaults.keys()) {
            if !known.contains(&key.as_str()) {
                return bad(format!("unknown column '{key}' (one of {})", known.join(", ")));
            }
        }
        if self.defaults.contains_key("code") {
            return bad("the employee code must come from the file, not [defaults]".into());
        }
        if let Some((key, value)) = self.defaults.iter().find(|(_, v)| v.len() > ladder_core::limits::LINE) {
            return bad(format!(
                "the default for '{key}' is longer than {} characters: {value}",
                ladder_core::limits::LINE
            ));
        }
        // Years of service count back from it: a year 9999 would make everyone a veteran.
        if let Some(Err(e)) = self.as_of.map(ladder_core::dates::in_range) {
            return bad(format!("as_of: {e}"));
        }
        Ok(())
    }

    /// The names a file's column for `key` is looked for by: the mapping's, else Ladder's own.
    pub(super) fn names(&self, key: &str) -> Vec<String> {
        match self.columns.get(key) {
            Some(names) => names.list(),
            None => COLUMNS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(Vec::new(), |(_, n)| n.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// Whether this is a mapping a user wrote (a name may then be left out: the code stands in).
    pub(super) fn is_written(&self) -> bool {
        !self.name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_out_of_range_is_refused() {
        let err = PeopleMapping::parse("hr.toml", "name = \"hr\"\nas_of = \"9999-01-01\"\n").unwrap_err();
        assert!(err.to_string().contains("as_of"), "{err}");
        assert!(PeopleMapping::parse("hr.toml", "name = \"hr\"\nas_of = \"2024-06-30\"\n").is_ok());
    }

    #[test]
    fn a_mapping_names_known_columns_only_and_never_a_constant_code() {
        let ok = PeopleMapping::parse(
            "hr.toml",
            r#"
            name = "hr"
            as_of = "2024-06-30"
            [columns]
            code = "EmployeeNumber"
            role = "JobRole"
            team = ["Department", "Dept"]
            [defaults]
            site = "Cebu"
            "#,
        )
        .unwrap();
        assert_eq!(ok.names("team"), vec!["Department".to_string(), "Dept".to_string()]);
        assert_eq!(ok.names("hire_date")[0], "hire date", "Ladder's own names where the mapping says nothing");
        let unknown =
            PeopleMapping::parse("x.toml", "name = \"x\"\n[columns]\nsalary = \"MonthlyIncome\"").unwrap_err();
        assert!(unknown.to_string().contains("unknown column 'salary'"), "{unknown}");
        let code = PeopleMapping::parse("x.toml", "name = \"x\"\n[defaults]\ncode = \"E1\"").unwrap_err();
        assert!(code.to_string().contains("must come from the file"), "{code}");
    }
}
