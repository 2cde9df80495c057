//! `ladder score`: monthly and year-to-date KRA scorecards from long-form actuals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ladder_core::framework::{Framework, KraTemplate};
use ladder_core::metric::Sums;
use ladder_core::period::Month;
use ladder_core::scoring::{Actuals, KraPlan, MetricIndex, ScoreState, Scorecard, Scorer};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::csv_input::CsvFile;

#[derive(Args)]
pub struct ScoreArgs {
    /// The role whose default KRA template applies (unless --plan gives one).
    #[arg(long)]
    role: String,
    /// CSV with header employee,date,metric,numerator,denominator (date YYYY-MM-DD or YYYY-MM).
    #[arg(long, value_name = "FILE")]
    actuals: PathBuf,
    /// A KRA plan file (TOML) that overrides the role's template.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    /// Variable pay per month, to estimate the bonus (overrides the plan file's).
    #[arg(long, value_name = "AMOUNT")]
    variable_pay: Option<Decimal>,
    #[arg(long)]
    json: bool,
}

/// A KRA plan file: `[[kra]]` lines like a role template's, with optional overrides.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    id: Option<String>,
    variable_pay: Option<Decimal>,
    #[serde(rename = "kra")]
    kras: Vec<KraTemplate>,
}

#[derive(Serialize)]
struct Report<'a> {
    framework: FrameworkRef<'a>,
    rules_version: &'a str,
    plan: &'a KraPlan,
    employees: Vec<EmployeeReport>,
}

#[derive(Serialize)]
struct FrameworkRef<'a> {
    id: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct EmployeeReport {
    employee: String,
    months: Vec<PeriodReport>,
    year_to_date: Vec<PeriodReport>,
}

#[derive(Serialize)]
struct PeriodReport {
    period: String,
    scorecard: Scorecard,
    explanation: Vec<String>,
}

pub fn run(fw: &Framework, mut args: ScoreArgs) -> anyhow::Result<ExitCode> {
    // A role's name does as well as its id.
    args.role = fw.find_role(&args.role).map_err(anyhow::Error::msg)?.id.clone();
    let (plan, plan_pay) = match &args.plan {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let file: PlanFile = toml::from_str(&text).with_context(|| format!("in {}", path.display()))?;
            let id = file.id.unwrap_or_else(|| format!("{}/custom", args.role));
            let plan = KraPlan::from_template(fw, &id, &args.role, &file.kras)
                .with_context(|| format!("in {}", path.display()))?;
            (plan, file.variable_pay)
        }
        None => (KraPlan::for_role(fw, &args.role)?, None),
    };
    let variable_pay = args.variable_pay.or(plan_pay);
    let index = MetricIndex::new(fw);
    let by_month = read_actuals(fw, &index, &args.actuals)?;
    let scorer = Scorer::new(&fw.scoring, &plan, &index);

    let mut employees: Vec<EmployeeReport> = Vec::new();
    // Rows are sorted by (employee, month): one pass keeps each employee's running year.
    // The year so far: its last month, its summed actuals, and how many months had figures.
    let mut year: Option<(Month, Actuals, u32)> = None;
    for ((employee, month), actuals) in &by_month {
        let new_employee = employees.last().is_none_or(|e| &e.employee != employee);
        let new_year = new_employee || year.as_ref().is_some_and(|(through, ..)| through.year != month.year);
        if new_year {
            if let (Some(report), Some(y)) = (employees.last_mut(), year.take()) {
                report.year_to_date.push(score_year(fw, &scorer, y, variable_pay));
            }
        }
        if new_employee {
            employees.push(EmployeeReport { employee: employee.clone(), months: vec![], year_to_date: vec![] });
        }
        let running = year.get_or_insert_with(|| (*month, index.empty_actuals(), 0));
        running.0 = *month;
        running.1.merge(actuals);
        running.2 += 1;
        let card = scorer.score(actuals, variable_pay);
        let report = employees.last_mut().expect("pushed above");
        report.months.push(PeriodReport {
            period: month.to_string(),
            explanation: card.explain_with(|m| metric_name(fw, m)),
            scorecard: card,
        });
    }
    if let (Some(report), Some(y)) = (employees.last_mut(), year) {
        report.year_to_date.push(score_year(fw, &scorer, y, variable_pay));
    }

    let out = Report {
        framework: FrameworkRef { id: &fw.meta.id, version: &fw.meta.version },
        rules_version: &fw.scoring.version,
        plan: &plan,
        employees,
    };
    if args.json {
        crate::print_json(&out)?;
    } else {
        print!("{}", render(&out));
    }
    Ok(ExitCode::SUCCESS)
}

/// A year-to-date score: the year's sums scored once (a ratio of sums, never a mean of months).
/// Each metric's minimum volume is per month, so it counts once per month with figures.
fn score_year(
    fw: &Framework,
    scorer: &Scorer,
    (through, actuals, months): (Month, Actuals, u32),
    variable_pay: Option<Decimal>,
) -> PeriodReport {
    // Variable pay is monthly, so the year-to-date bonus covers January to `through`.
    let pay = variable_pay.map(|p| p * Decimal::from(through.month));
    let card = scorer.score_over(&actuals, pay, months);
    PeriodReport {
        period: format!("{}-YTD-{:02}", through.year, through.month),
        explanation: card.explain_with(|m| metric_name(fw, m)),
        scorecard: card,
    }
}

/// Reads the actuals, checking every row, and sums them per employee and month.
fn read_actuals(
    fw: &Framework,
    index: &MetricIndex,
    path: &Path,
) -> anyhow::Result<BTreeMap<(String, Month), Actuals>> {
    let file = CsvFile::open(path, &["employee", "date", "metric", "numerator", "denominator"])?;
    let mut by_month: BTreeMap<(String, Month), Actuals> = BTreeMap::new();
    file.for_each_row(|row| {
        let employee = row.required("employee")?;
        let month: Month = row.parsed("date", str::parse)?;
        let metric_id = row.required("metric")?;
        let position =
            index.position(metric_id).ok_or_else(|| row.error("metric", format!("unknown metric '{metric_id}'")))?;
        let metric = fw.metric(metric_id).expect("indexed metric exists");
        let numerator = row.number("numerator")?;
        let denominator = match (metric.denominator.is_some(), row.get("denominator")) {
            (true, "") => {
                return Err(row.error("denominator", format!("'{metric_id}' is a ratio, so its denominator is needed")))
            }
            (true, _) => {
                let d = row.number("denominator")?;
                if d < 0.0 {
                    return Err(row.error("denominator", "cannot be negative"));
                }
                d
            }
            (false, "") => 0.0,
            (false, raw) => {
                return Err(row.error(
                    "denominator",
                    format!("'{metric_id}' is a plain sum, so the denominator must be empty (got '{raw}')"),
                ))
            }
        };
        by_month
            .entry((employee.to_string(), month))
            .or_insert_with(|| index.empty_actuals())
            .add(position, Sums::new(numerator, denominator));
        Ok(())
    })?;
    Ok(by_month)
}

/// A metric's name in the framework, for the explanation (its id when unknown).
fn metric_name(fw: &Framework, id: &str) -> String {
    fw.metric(id).map_or_else(|| id.to_string(), |m| m.name.clone())
}

fn render(report: &Report) -> String {
    let mut out = format!(
        "Plan {} ({} KRAs) · scoring rules {} · framework {} {}\n",
        report.plan.id,
        report.plan.kras.len(),
        report.rules_version,
        report.framework.id,
        report.framework.version
    );
    for e in &report.employees {
        out += &format!("\n{}\n", e.employee);
        for p in e.months.iter().chain(&e.year_to_date) {
            let c = &p.scorecard;
            let score = c.total.map_or("  —  ".to_string(), |t| format!("{t:5.1}"));
            let rating = match (c.state, c.rating) {
                (ScoreState::NotEnoughData, _) => "not enough data".to_string(),
                (_, None) => "no rating".to_string(),
                (_, Some(r)) => format!("rating {r} {}", c.rating_label.as_deref().unwrap_or("")),
            };
            let bonus = c.bonus.map(|b| format!(" · bonus {b}")).unwrap_or_default();
            out += &format!("  {:<18} score {score} · {rating}{bonus}\n", p.period);
            let kras: Vec<String> = c
                .kras
                .iter()
                .map(|k| match (k.value, k.attainment) {
                    (Some(v), Some(a)) => format!("{} {v:.1} ({a:.0}%)", k.metric),
                    (Some(v), None) => format!("{} {v:.1} (not counted)", k.metric),
                    _ => format!("{} no data", k.metric),
                })
                .collect();
            out += &format!("      {}\n", kras.join(" · "));
            // The first line repeats the score and rating, but says what is missing when there is none.
            let skip = usize::from(c.state == ScoreState::Scored);
            for line in p.explanation.iter().skip(skip) {
                out += &format!("      {line}\n");
            }
        }
    }
    out
}
