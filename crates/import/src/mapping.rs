//! How a KPI file's columns become KRA facts: numerator and denominator sums per employee, day
//! (or month) and framework metric, so they roll up as ratios of sums.
//!
//! A mapping is a TOML file. The presets for the agent-performance exports of contact-centre
//! platforms ship inside the binary (`presets/*.toml`); a user writes their own in the same form
//! (see docs/import.md). Many exports give averages and counts: a mapping turns them back into
//! sums with `{ product = ["Avg Handle", "Answered"] }` (sum = average × count).

use std::collections::BTreeMap;
use std::sync::Arc;

use ladder_core::figures::FigureRule;
use ladder_core::framework::Framework;
use ladder_core::identity::Platform;
use serde::Deserialize;

mod eval;

use eval::compile;
pub use eval::{sums, CellError, Compiled, Refused};

use crate::condition::{self, Condition, Skip};
use crate::read::{Cell, Table};
use crate::validate::Problem;

/// The presets shipped in the binary: (name, TOML).
pub const PRESETS: &[(&str, &str)] = &[
    ("genesys-cloud", include_str!("../presets/genesys-cloud.toml")),
    ("amazon-connect", include_str!("../presets/amazon-connect.toml")),
    ("five9", include_str!("../presets/five9.toml")),
    ("nice-cxone", include_str!("../presets/nice-cxone.toml")),
    ("talkdesk", include_str!("../presets/talkdesk.toml")),
    ("ladder-wide", include_str!("../presets/ladder-wide.toml")),
    ("ladder-long", include_str!("../presets/ladder-long.toml")),
    ("ladder-monthly", include_str!("../presets/ladder-monthly.toml")),
    ("ladder-calls", include_str!("../presets/ladder-calls.toml")),
];

/// The preset used when none is named: the long form `ladder score` reads too.
pub const DEFAULT_PRESET: &str = "ladder-long";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A column (or columns) per metric.
    Wide,
    /// A row per metric: a column names the metric.
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grain {
    /// Daily rows, stored packed a row per employee and month (`kpi_employee_months`) and
    /// summed into monthly actuals.
    Day,
    /// Monthly rows, stored straight in `kra_actuals`.
    Month,
}

/// What one row of the file is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rows {
    /// An employee's figures for a day (or month): a second row for the same day is a duplicate.
    #[default]
    Summary,
    /// One call, chat, e-mail or ticket: an employee's rows of one day add up to the day's facts.
    Interaction,
}

/// What a row's figure that breaks its metric's rule (a share above 100 %, a negative time)
/// does to the import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleBreaks {
    /// A problem: nothing is written.
    #[default]
    Refuse,
    /// The metric is left out of that row and the report warns: platforms' own data has such
    /// slips (transfers counted above answered, a negative occupancy from rounding).
    Warn,
}

/// What an empty numerator beside a denominator means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlankNumerator {
    #[default]
    Refuse,
    Zero,
}

/// One or several names a column may have (the first found is used).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Any(Vec<String>),
}

impl Names {
    pub fn list(&self) -> Vec<String> {
        match self {
            Names::One(n) => vec![n.clone()],
            Names::Any(v) => v.clone(),
        }
    }
}

/// A value computed from a row's cells.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Expr {
    /// A column's value.
    Column(String),
    /// A constant (e.g. 60 to turn minutes into seconds).
    Number(f64),
    /// The sum of the parts.
    Sum { sum: Vec<Expr> },
    /// The product of the parts: `average × count` gives back a sum.
    Product { product: Vec<Expr> },
    /// A yes/no column as 1 or 0 (`Y`/`N`, `yes`/`no`, `true`/`false`, `1`/`0`).
    Yes { yes: String },
    /// 1 when the condition holds, else 0: `{ count = { column = "Rating", at_least = 4 } }`.
    Count { count: Condition },
    /// The value when the condition holds, else 0: handle time of answered calls only.
    When { when: Condition, then: Box<Expr> },
}

impl Expr {
    /// The first condition in it that is not valid, as a message.
    fn invalid(&self) -> Option<String> {
        match self {
            Expr::Column(_) | Expr::Number(_) | Expr::Yes { .. } => None,
            Expr::Sum { sum: parts } | Expr::Product { product: parts } => parts.iter().find_map(Expr::invalid),
            Expr::Count { count } => count.invalid(),
            Expr::When { when, then } => when.invalid().or_else(|| then.invalid()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricMap {
    /// The framework metric id.
    pub id: String,
    pub numerator: Expr,
    /// Required for ratio metrics; absent for plain sums.
    #[serde(default)]
    pub denominator: Option<Expr>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A mapping file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub name: String,
    #[serde(default)]
    pub title: String,
    /// Where the column names come from.
    #[serde(default)]
    pub source: String,
    pub format: Format,
    pub grain: Grain,
    /// The platform whose people the file names (`genesys`, `amazon-connect`, `five9`, `nice`,
    /// `talkdesk`, `wfm`): the employee column is matched to that platform's identifiers first,
    /// then to employee codes, then to unique WFM display names.
    #[serde(default)]
    pub platform: Option<String>,
    /// The column holding the employee code (`employees.code`), or the platform's identifier.
    pub employee: Names,
    /// One row per summary (the default) or per interaction.
    #[serde(default)]
    pub rows: Rows,
    /// The column holding the day (or month), or the start of the row's interval. A file with
    /// no date column takes its date from the file name ([`Mapping::date_in_file_name`]) or the
    /// import's `--date`.
    #[serde(default)]
    pub date: Option<Names>,
    /// A chrono pattern found somewhere in the file name, e.g. `%Y-%m-%d` in
    /// `calls_2025-07-25.csv`: the date of every row.
    #[serde(default)]
    pub date_in_file_name: Option<String>,
    /// The column holding the end of the row's interval (exclusive, as platforms write it).
    #[serde(default)]
    pub interval_end: Option<Names>,
    /// Rows to leave out, each counted under its reason.
    #[serde(default)]
    pub skip: Vec<Skip>,
    #[serde(default)]
    pub rule_breaks: RuleBreaks,
    /// `"zero"`: an empty numerator beside a denominator is 0 (platform reports leave a count
    /// blank where it is zero: no transfers). By default (`"refuse"`) it is a problem.
    #[serde(default)]
    pub blank_numerator: BlankNumerator,
    /// chrono `strftime` patterns tried before ISO `YYYY-MM-DD` / `YYYY-MM`.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// `day-first` or `month-first`: which of the formats to use when they have both orders.
    #[serde(default)]
    pub date_order: Option<crate::validate::DateOrder>,
    /// The IANA time zone (`Asia/Manila`) a timestamp with an offset (`…Z`, `…+08:00`) is
    /// turned into before its day is taken; left out, each person's site's zone (`sites.timezone`).
    /// Times without an offset are already local and stay as they are.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Wide files: how each metric is computed from the row.
    #[serde(default, rename = "metric")]
    pub metrics: Vec<MetricMap>,
    /// Long files: the column naming the metric.
    #[serde(default)]
    pub metric_column: Option<Names>,
    /// Long files: the numerator and denominator of the row's metric.
    #[serde(default)]
    pub numerator: Option<Expr>,
    #[serde(default)]
    pub denominator: Option<Expr>,
    /// Long files: names in the file → framework metric ids (ids are also accepted as they are).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("cannot read mapping {0}: {1}")]
    Io(String, std::io::Error),
    #[error("mapping {0}: {1}")]
    Syntax(String, String),
    #[error("mapping {0}: {1}")]
    Invalid(String, String),
    #[error("no preset or file '{0}' (presets: {1})")]
    Unknown(String, String),
}

impl Mapping {
    pub fn parse(name: &str, text: &str) -> Result<Mapping, MappingError> {
        toml::from_str(text).map_err(|e| MappingError::Syntax(name.to_string(), e.to_string()))
    }

    pub fn preset(name: &str) -> Option<Mapping> {
        PRESETS.iter().find(|(n, _)| *n == name).map(|(n, text)| Mapping::parse(n, text).expect("presets parse"))
    }

    /// A preset by name, else a mapping file by path.
    pub fn load(preset_or_file: &str) -> Result<Mapping, MappingError> {
        if let Some(m) = Mapping::preset(preset_or_file) {
            return Ok(m);
        }
        let path = std::path::Path::new(preset_or_file);
        if !path.exists() {
            let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
            return Err(MappingError::Unknown(preset_or_file.to_string(), names.join(", ")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| MappingError::Io(preset_or_file.to_string(), e))?;
        Mapping::parse(preset_or_file, &text)
    }

    /// Checks the mapping against the framework: known metrics, a denominator exactly where the
    /// metric is a ratio, and the columns a long file needs.
    pub fn check(&self, fw: &Framework) -> Result<(), MappingError> {
        let bad = |m: String| Err(MappingError::Invalid(self.name.clone(), m));
        if let Some(p) = self.platform.as_deref().filter(|p| Platform::parse(p).is_none()) {
            return bad(format!("unknown platform '{p}' (one of {})", Platform::names()));
        }
        if let Some(why) = self.skip.iter().find_map(Skip::invalid).or_else(|| self.exprs().find_map(Expr::invalid)) {
            return bad(why);
        }
        if let Some(zone) = &self.timezone {
            if let Err(why) = ladder_core::wellbeing::zone::parse_zone(zone) {
                return bad(format!("timezone: {why}"));
            }
        }
        if self.date.is_some() && self.date_in_file_name.is_some() {
            return bad("give either a date column or date_in_file_name, not both".into());
        }
        if self.interval_end.is_some() && self.date.is_none() {
            return bad("interval_end needs the date column holding the interval's start".into());
        }
        if self.interval_end.is_some() && self.grain == Grain::Month {
            return bad("a file with intervals is read with grain = \"day\": each interval says its period".into());
        }
        match self.format {
            Format::Wide => {
                if self.metrics.is_empty() {
                    return bad("a wide mapping needs at least one [[metric]]".into());
                }
                for (i, m) in self.metrics.iter().enumerate() {
                    let Some(metric) = fw.metric(&m.id) else {
                        return bad(format!("unknown metric '{}'", m.id));
                    };
                    if self.metrics[..i].iter().any(|earlier| earlier.id == m.id) {
                        return bad(format!("metric '{}' is mapped twice", m.id));
                    }
                    match (&metric.denominator, &m.denominator) {
                        (Some(_), None) => {
                            return bad(format!("metric '{}' is a ratio: give its denominator", m.id));
                        }
                        (None, Some(_)) => {
                            return bad(format!("metric '{}' is a plain sum: it has no denominator", m.id));
                        }
                        _ => {}
                    }
                }
            }
            Format::Long => {
                if self.metric_column.is_none() || self.numerator.is_none() {
                    return bad("a long mapping needs metric_column and numerator".into());
                }
                for id in self.names.values() {
                    if fw.metric(id).is_none() {
                        return bad(format!("names: unknown metric '{id}'"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The key columns (employee, date) the header must name.
    /// The platform the file's people are named on, if the mapping names one (checked by [`Mapping::check`]).
    pub fn platform(&self) -> Option<Platform> {
        self.platform.as_deref().and_then(Platform::parse)
    }

    pub fn keys(&self) -> Vec<Vec<String>> {
        let mut keys = vec![self.employee.list()];
        keys.extend(self.date.as_ref().map(Names::list));
        keys
    }

    fn exprs(&self) -> impl Iterator<Item = &Expr> {
        let metrics = self.metrics.iter().flat_map(|m| std::iter::once(&m.numerator).chain(&m.denominator));
        metrics.chain(&self.numerator).chain(&self.denominator)
    }
}

/// What the importer needs to know about a metric.
#[derive(Debug, Clone)]
pub struct MetricInfo {
    pub id: Arc<str>,
    /// Position in the framework's metric list, resolved once rather than per fact.
    pub position: u16,
    pub is_ratio: bool,
    /// What its figures may be (the same rule as hand entry).
    pub rule: FigureRule,
}

impl MetricInfo {
    fn of(fw: &Framework, id: &str) -> Option<MetricInfo> {
        let (position, m) = fw.metrics.iter().enumerate().find(|(_, m)| m.id == id)?;
        Some(MetricInfo {
            id: Arc::from(m.id.as_str()),
            position: position as u16,
            is_ratio: m.denominator.is_some(),
            rule: FigureRule::of(m),
        })
    }
}

#[derive(Debug, Clone)]
pub struct CompiledMetric {
    pub metric: MetricInfo,
    pub numerator: Compiled,
    pub denominator: Option<Compiled>,
}

/// A mapping resolved against a file's header.
#[derive(Debug, Clone)]
pub struct Plan {
    pub employee: usize,
    pub date: DateSource,
    /// The column of the interval's end, when rows are intervals.
    pub interval_end: Option<usize>,
    pub grain: Grain,
    pub date_formats: Vec<String>,
    /// The mapping's time zone for timestamps with an offset ([`Mapping::timezone`]).
    pub zone: Option<chrono_tz::Tz>,
    pub kind: PlanKind,
    pub rows: Rows,
    pub rule_breaks: RuleBreaks,
    pub blank_numerator: BlankNumerator,
    /// Row filters: (reason, condition), in the mapping's order.
    pub skips: Vec<(String, condition::Compiled)>,
}

/// Where a row's date comes from.
#[derive(Debug, Clone, Copy)]
pub enum DateSource {
    Column(usize),
    /// The whole file's date (`--date`, or the file name).
    Fixed(chrono::NaiveDate),
}

#[derive(Debug, Clone)]
pub enum PlanKind {
    Wide(Vec<CompiledMetric>),
    Long {
        metric_column: usize,
        numerator: Compiled,
        denominator: Option<Compiled>,
        /// File name (lower case) → metric.
        names: BTreeMap<String, MetricInfo>,
    },
}

impl Plan {
    /// Resolves the mapping's columns in the header; every missing column is a problem.
    /// `file_date` is the date of every row of a file that has no date column.
    pub fn compile(
        mapping: &Mapping,
        fw: &Framework,
        t: &Table,
        file_date: Option<chrono::NaiveDate>,
    ) -> Result<Plan, Vec<Problem>> {
        let mut missing = Vec::new();
        let find = |names: &Names, missing: &mut Vec<Problem>, what: &str| {
            let list = names.list();
            list.iter().find_map(|n| t.column(n)).unwrap_or_else(|| {
                let names = format!("'{}'", list.join("' or '"));
                missing.push(Problem::new(t.header_row(), &list.join(" or "), "", format!("{names} (for {what})")));
                0
            })
        };
        let employee = find(&mapping.employee, &mut missing, "the employee code");
        let date = date_source(mapping, t, file_date, &mut missing, &find);
        let interval_end = mapping.interval_end.as_ref().map(|n| find(n, &mut missing, "the interval's end"));
        let mut skips = Vec::new();
        for s in &mapping.skip {
            let why = format!("skipping rows: {}", s.reason);
            if let Some(c) = condition::Compiled::new(&s.when, t, &why, &mut missing) {
                skips.push((s.reason.clone(), c));
            }
        }
        let kind = match mapping.format {
            Format::Wide => {
                let mut metrics: Vec<CompiledMetric> = mapping
                    .metrics
                    .iter()
                    .map(|m| {
                        let why = format!("metric {}", m.id);
                        CompiledMetric {
                            metric: MetricInfo::of(fw, &m.id).expect("checked"),
                            numerator: compile(&m.numerator, t, &why, &mut missing),
                            denominator: m.denominator.as_ref().map(|d| compile(d, t, &why, &mut missing)),
                        }
                    })
                    .collect();
                // A row's facts in the order they sort in, so a day of a file in employee order
                // is one ascending stretch for the sort to merge.
                metrics.sort_by_key(|m| m.metric.position);
                PlanKind::Wide(metrics)
            }
            Format::Long => {
                let metric_column = find(mapping.metric_column.as_ref().expect("checked"), &mut missing, "the metric");
                let numerator = compile(mapping.numerator.as_ref().expect("checked"), t, "the numerator", &mut missing);
                let denominator = mapping.denominator.as_ref().map(|d| compile(d, t, "the denominator", &mut missing));
                let mut names = BTreeMap::new();
                for m in &fw.metrics {
                    names.insert(m.id.to_ascii_lowercase(), MetricInfo::of(fw, &m.id).expect("exists"));
                }
                for (name, id) in &mapping.names {
                    names.insert(name.trim().to_ascii_lowercase(), MetricInfo::of(fw, id).expect("checked"));
                }
                PlanKind::Long { metric_column, numerator, denominator, names }
            }
        };
        if missing.is_empty() {
            Ok(Plan {
                employee,
                date,
                interval_end,
                grain: mapping.grain,
                date_formats: crate::validate::in_order(&mapping.date_formats, mapping.date_order),
                zone: mapping.timezone.as_deref().and_then(|z| z.trim().parse().ok()),
                kind,
                rows: mapping.rows,
                rule_breaks: mapping.rule_breaks,
                blank_numerator: mapping.blank_numerator,
                skips,
            })
        } else {
            // A date the file cannot have is its own problem; missing columns are one.
            let (mut problems, columns): (Vec<_>, Vec<_>) = missing.into_iter().partition(|p| p.column.is_empty());
            if !columns.is_empty() {
                problems.push(missing_columns(&columns, t));
            }
            Err(problems)
        }
    }
}

/// Where each row's date comes from: a column, or one date for the whole file; a file that has
/// both or neither is a problem.
fn date_source(
    mapping: &Mapping,
    t: &Table,
    file_date: Option<chrono::NaiveDate>,
    missing: &mut Vec<Problem>,
    find: &dyn Fn(&Names, &mut Vec<Problem>, &str) -> usize,
) -> DateSource {
    match (&mapping.date, file_date) {
        (Some(names), None) => DateSource::Column(find(names, missing, "the date")),
        (None, Some(day)) => DateSource::Fixed(day),
        (Some(names), Some(_)) => {
            let message = format!(
                "the mapping reads each row's date from '{}': a date for the whole file is only for files \
                 without a date column",
                names.list().join("' or '")
            );
            missing.push(Problem::file(message));
            DateSource::Column(0)
        }
        (None, None) => {
            let message = match &mapping.date_in_file_name {
                Some(pattern) => format!(
                    "the file name '{}' holds no date in the form {pattern} (the mapping's date_in_file_name); \
                     rename the file or give the date (--date YYYY-MM-DD)",
                    t.name()
                ),
                None => "the mapping names no date column: give the file's date (--date YYYY-MM-DD, or the \
                         Date field of the import page)"
                    .to_string(),
            };
            missing.push(Problem::file(message));
            DateSource::Column(0)
        }
    }
}

/// Every missing column in one problem, with the header that was found.
fn missing_columns(missing: &[Problem], t: &Table) -> Problem {
    let names: Vec<&str> = missing.iter().map(|p| p.message.as_str()).collect();
    let columns: Vec<&str> = missing.iter().map(|p| p.column.as_str()).collect();
    let plural = if missing.len() == 1 { "" } else { "s" };
    let message = format!(
        "missing column{plural}: {}; the header found (row {}) has: {}",
        names.join(", "),
        t.header_row(),
        t.headers().join(", ")
    );
    Problem::new(t.header_row(), &columns.join(", "), "", message)
}

/// Looks up a long file's metric name.
pub fn long_metric<'a>(names: &'a BTreeMap<String, MetricInfo>, cell: Cell<'_>) -> Option<&'a MetricInfo> {
    match cell {
        Cell::Text(t) => names.get(&t.trim().to_ascii_lowercase()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_fits_the_default_framework() {
        let fw = Framework::default_framework();
        for (name, _) in PRESETS {
            let m = Mapping::preset(name).unwrap();
            assert_eq!(&m.name, name, "the preset's name matches its key");
            m.check(&fw).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn a_ratio_without_denominator_is_refused() {
        let fw = Framework::default_framework();
        let m = Mapping::parse(
            "x",
            r#"name = "x"
format = "wide"
grain = "day"
employee = "Agent"
date = "Date"
[[metric]]
id = "aht"
numerator = "Handle"
"#,
        )
        .unwrap();
        assert!(m.check(&fw).unwrap_err().to_string().contains("give its denominator"));
    }

    #[test]
    fn a_ratio_row_of_a_long_file_mapped_without_a_denominator_is_a_problem() {
        // Found by fuzzing (fuzz/, mapping target): this row panicked the import's reader (a 500).
        let fw = Framework::default_framework();
        let text = "name = \"x\"\nformat = \"long\"\ngrain = \"day\"\nemployee = \"employee\"\ndate = \"date\"\n\
                    metric_column = \"metric\"\nnumerator = \"numerator\"\n";
        let m = Mapping::parse("x", text).unwrap();
        m.check(&fw).unwrap();
        let csv = "employee,date,metric,numerator\nE1,2025-03-03,aht,300\n";
        let mut t = Table::open(&crate::Input::bytes("x.csv", csv.into()), &m.keys()).unwrap();
        let plan = Plan::compile(&m, &fw, &t, None).unwrap();
        let PlanKind::Long { numerator, denominator, names, .. } = &plan.kind else { panic!("a long plan") };
        assert!(t.next_row().unwrap());
        let problem =
            sums(&t, &names["aht"], numerator, denominator.as_ref(), BlankNumerator::Refuse).unwrap_err().problem;
        assert_eq!(
            (problem.row, problem.message.as_str()),
            (2, "aht is a ratio, but the mapping names no denominator")
        );
    }

    #[test]
    fn a_metric_mapped_twice_is_refused() {
        // Its two facts a day would share one key: the second would count as an update of the first.
        let fw = Framework::default_framework();
        let twice = |id: &str| {
            format!("name = \"x\"\nformat = \"wide\"\ngrain = \"day\"\nemployee = \"Agent\"\ndate = \"Date\"\n[[metric]]\nid = \"csat\"\nnumerator = \"Top\"\ndenominator = \"Surveys\"\n[[metric]]\nid = \"{id}\"\nnumerator = \"Top2\"\ndenominator = \"Surveys2\"\n")
        };
        let m = Mapping::parse("x", &twice("csat")).unwrap();
        assert!(m.check(&fw).unwrap_err().to_string().contains("metric 'csat' is mapped twice"));
        assert!(Mapping::parse("x", &twice("fcr")).unwrap().check(&fw).is_ok());
    }
}
