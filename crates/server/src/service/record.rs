//! The record that goes with a person (issue 30): everything about one person as the documented
//! `ladder-record` JSON (docs/record.md), as a ZIP with one CSV per part (and the JSON beside
//! them), or as a JSON Resume. A person downloads their own; HR and administrators anyone's.
//! A leaver's one-time link is in [`super::leaver`].

use std::io::Write;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use ladder_core::access::Action;
use ladder_core::record::Record;
use ladder_core::{EmployeeId, Framework};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::export::{Cell, Table};
use crate::state::AppState;

/// The file a record is downloaded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RecordFormat {
    /// The `ladder-record` JSON, which `ladder import record` reads back.
    #[default]
    Ladder,
    /// A ZIP: `record.json` and one CSV per part.
    Zip,
    /// JSON Resume 1.0.0 (shared accomplishments only).
    JsonResume,
}

/// The person's record, if the caller may take it: the person, HR and administrators (who get
/// the shared log entries only, and whose export is audited).
pub async fn record_of(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<Record> {
    let employee = ladder_store::org::employee(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("employee"),
        other => other.into(),
    })?;
    me.require(Action::ExportRecord(employee.placement()))?;
    let record = ladder_store::person_record::read(&state.db, id).await?;
    if me.actor.employee_id == Some(id) {
        return Ok(record);
    }
    // Private log entries are the person's alone; and taking someone else's record is audited.
    let change = ladder_store::audit::Change {
        actor_id: Some(me.user.id),
        entity: "employee_record",
        entity_id: id.to_string(),
        action: "export",
        before: None,
        after: None,
    };
    ladder_store::audit::record(&state.db, change).await?;
    Ok(record.without_private_entries())
}

/// The caller's own record (404 for a user with no employee record, such as an administrator).
pub async fn own_record(state: &AppState, me: &Me) -> ApiResult<Record> {
    let id = me.actor.employee_id.ok_or_else(|| ApiError::not_found("your personal record"))?;
    record_of(state, me, id).await
}

/// The record as the bytes of a file, with its content type and file name.
pub fn file(
    record: &Record,
    format: RecordFormat,
    framework: &Framework,
) -> ApiResult<(Vec<u8>, &'static str, String)> {
    let stem = format!("ladder-record-{}", safe_name(&record.person.code));
    Ok(match format {
        RecordFormat::Ladder => {
            (serde_json::to_vec_pretty(record).map_err(ApiError::internal)?, "application/json", format!("{stem}.json"))
        }
        RecordFormat::Zip => (zip(record)?, "application/zip", format!("{stem}.zip")),
        RecordFormat::JsonResume => {
            let resume = ladder_core::record::resume::resume(record, framework);
            let body = serde_json::to_vec_pretty(&resume).map_err(ApiError::internal)?;
            (body, "application/json", format!("resume-{}.json", safe_name(&record.person.code)))
        }
    })
}

/// A download of the record.
pub fn download(record: &Record, format: RecordFormat, framework: &Framework) -> ApiResult<Response> {
    let (body, kind, name) = file(record, format, framework)?;
    let headers = [
        (header::CONTENT_TYPE, kind.to_string()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (header::CACHE_CONTROL, "no-store".to_string()),
    ];
    Ok((StatusCode::OK, headers, body).into_response())
}

/// A code as a file name: letters, digits, `-` and `_` only.
fn safe_name(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}
fn opt<T: ToString>(v: Option<T>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
}
fn num(n: f64) -> Cell {
    Cell::Number(n)
}

/// A CSV file's name and the function that makes its table.
type Part = (&'static str, fn(&Record) -> Table);

/// One table per part of the record, named as its CSV file.
fn tables(r: &Record) -> Vec<(&'static str, Table)> {
    let parts: [Part; 14] = [
        ("person.csv", person_table),
        ("work.csv", work_table),
        ("kra_plans.csv", kra_plans_table),
        ("figures.csv", figures_table),
        ("scores.csv", scores_table),
        ("career_plan.csv", career_plan_table),
        ("goals.csv", goals_table),
        ("log.csv", log_table),
        ("skills.csv", skills_table),
        ("certifications.csv", certifications_table),
        ("training.csv", training_table),
        ("checkins.csv", checkins_table),
        ("coaching_notes.csv", coaching_table),
        ("applications.csv", applications_table),
    ];
    parts.into_iter().map(|(name, table)| (name, table(r))).collect()
}

fn person_table(r: &Record) -> Table {
    let p = &r.person;
    Table {
        header: vec!["code", "name", "email", "role", "role_since", "hire_date"],
        rows: vec![vec![
            text(&p.code),
            text(&p.name),
            opt(p.email.as_ref()),
            text(&p.role),
            Cell::Date(p.role_since),
            Cell::Date(p.hire_date),
        ]],
    }
}

fn work_table(r: &Record) -> Table {
    Table {
        header: vec!["organisation", "team", "role", "from", "to"],
        rows: r
            .work
            .iter()
            .map(|w| vec![text(&w.organisation), opt(w.team.as_ref()), text(&w.role), Cell::Date(w.from), opt(w.to)])
            .collect(),
    }
}

fn kra_plans_table(r: &Record) -> Table {
    Table {
        header: vec![
            "year",
            "effective_from",
            "name",
            "role",
            "variable_pay_minor",
            "currency",
            "metric",
            "weight",
            "threshold",
            "target",
            "stretch",
        ],
        rows: r
            .kra_plans
            .iter()
            .flat_map(|k| {
                k.lines.iter().map(move |l| {
                    vec![
                        num(k.year.into()),
                        Cell::Date(k.effective_from),
                        text(&k.name),
                        text(&k.role),
                        k.variable_pay_minor.map_or(Cell::Empty, |v| num(v as f64)),
                        text(&k.currency),
                        text(&l.metric),
                        num(l.weight),
                        num(l.threshold),
                        num(l.target),
                        num(l.stretch),
                    ]
                })
            })
            .collect(),
    }
}

fn figures_table(r: &Record) -> Table {
    Table {
        header: vec!["month", "metric", "numerator", "denominator", "source"],
        rows: r
            .figures
            .iter()
            .map(|f| {
                vec![
                    text(&f.month.format("%Y-%m").to_string()),
                    text(&f.metric),
                    num(f.numerator),
                    num(f.denominator),
                    text(&f.source),
                ]
            })
            .collect(),
    }
}

fn scores_table(r: &Record) -> Table {
    Table {
        header: vec!["month", "state", "total", "rating", "rating_label"],
        rows: r
            .scores
            .iter()
            .map(|s| {
                vec![
                    text(&s.month.format("%Y-%m").to_string()),
                    text(&s.state),
                    s.total.map_or(Cell::Empty, num),
                    s.rating.map_or(Cell::Empty, |v| num(v.into())),
                    opt(s.rating_label.as_ref()),
                ]
            })
            .collect(),
    }
}

fn career_plan_table(r: &Record) -> Table {
    Table {
        header: vec!["target_role", "horizon_years", "path"],
        rows: r
            .career_plan
            .iter()
            .map(|c| vec![text(&c.target_role), num(c.horizon_years.into()), text(&c.path.join(" > "))])
            .collect(),
    }
}

fn goals_table(r: &Record) -> Table {
    Table {
        header: vec!["milestone_role", "title", "note", "due_on", "done_on", "created_at"],
        rows: r
            .goals
            .iter()
            .map(|g| {
                vec![
                    text(&g.milestone_role),
                    text(&g.title),
                    text(&g.note),
                    Cell::Date(g.due_on),
                    g.done_on.map_or(Cell::Empty, Cell::Date),
                    text(&g.created_at.to_rfc3339()),
                ]
            })
            .collect(),
    }
}

fn log_table(r: &Record) -> Table {
    Table {
        header: vec![
            "entry",
            "date",
            "title",
            "details",
            "impact_value",
            "impact_unit",
            "tags",
            "kras",
            "skills",
            "shared",
            "created_at",
        ],
        rows: r
            .log
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![
                    num(i as f64),
                    Cell::Date(e.date),
                    text(&e.title),
                    text(&e.details),
                    e.impact_value.map_or(Cell::Empty, num),
                    opt(e.impact_unit.as_ref()),
                    text(&e.tags.join(";")),
                    text(&e.kras.join(";")),
                    text(&e.skills.join(";")),
                    text(if e.shared { "yes" } else { "no" }),
                    text(&e.created_at.to_rfc3339()),
                ]
            })
            .collect(),
    }
}

fn skills_table(r: &Record) -> Table {
    Table {
        header: vec!["skill", "level", "assessor", "assessed_at"],
        rows: r
            .skills
            .iter()
            .map(|s| vec![text(&s.skill), num(s.level.into()), text(&s.assessor), text(&s.assessed_at.to_rfc3339())])
            .collect(),
    }
}

fn certifications_table(r: &Record) -> Table {
    Table {
        header: vec!["certification", "status", "planned_date", "earned_date", "expires_date"],
        rows: r
            .certifications
            .iter()
            .map(|c| {
                vec![
                    text(&c.certification),
                    text(&c.status),
                    opt(c.planned_date),
                    opt(c.earned_date),
                    opt(c.expires_date),
                ]
            })
            .collect(),
    }
}

fn training_table(r: &Record) -> Table {
    Table {
        header: vec!["kind", "title", "provider", "hours", "status", "skill", "due_date", "completed_date"],
        rows: r
            .training
            .iter()
            .map(|t| {
                vec![
                    text(&t.kind),
                    text(&t.title),
                    text(&t.provider),
                    num(t.hours),
                    text(&t.status),
                    opt(t.skill.as_ref()),
                    opt(t.due_date),
                    opt(t.completed_date),
                ]
            })
            .collect(),
    }
}

fn checkins_table(r: &Record) -> Table {
    Table {
        header: vec![
            "month",
            "highlights",
            "log_entries",
            "blockers",
            "asks",
            "submitted_at",
            "acknowledged_at",
            "leader_comment",
        ],
        rows: r
            .checkins
            .iter()
            .map(|c| {
                let picked = c.log_entries.iter().map(usize::to_string).collect::<Vec<_>>().join(";");
                vec![
                    text(&c.month.format("%Y-%m").to_string()),
                    text(&c.highlights),
                    text(&picked),
                    text(&c.blockers),
                    text(&c.asks),
                    text(&c.submitted_at.to_rfc3339()),
                    opt(c.acknowledged_at.map(|a| a.to_rfc3339())),
                    opt(c.leader_comment.as_ref()),
                ]
            })
            .collect(),
    }
}

fn coaching_table(r: &Record) -> Table {
    Table {
        header: vec!["author", "metric", "note", "follow_up", "created_at"],
        rows: r
            .coaching_notes
            .iter()
            .map(|n| {
                vec![
                    text(&n.author),
                    text(&n.metric),
                    text(&n.note),
                    Cell::Date(n.follow_up),
                    text(&n.created_at.to_rfc3339()),
                ]
            })
            .collect(),
    }
}

fn applications_table(r: &Record) -> Table {
    Table {
        header: vec!["organisation", "opening", "stage", "applied_at", "updated_at", "start_date", "endorsement"],
        rows: r
            .applications
            .iter()
            .map(|a| {
                vec![
                    text(&a.organisation),
                    text(&a.opening),
                    text(&a.stage),
                    text(&a.applied_at.to_rfc3339()),
                    text(&a.updated_at.to_rfc3339()),
                    opt(a.start_date),
                    opt(a.endorsement.as_ref()),
                ]
            })
            .collect(),
    }
}

/// The ZIP: `record.json` (what an import reads) and one CSV per part.
pub fn zip(record: &Record) -> ApiResult<Vec<u8>> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let json = serde_json::to_vec_pretty(record).map_err(ApiError::internal)?;
    out.start_file("record.json", options).map_err(ApiError::internal)?;
    out.write_all(&json).map_err(ApiError::internal)?;
    for (name, table) in tables(record) {
        out.start_file(name, options).map_err(ApiError::internal)?;
        out.write_all(&table.csv()?).map_err(ApiError::internal)?;
    }
    Ok(out.finish().map_err(ApiError::internal)?.into_inner())
}
