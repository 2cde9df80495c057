//! A person's record that goes with them (issue 30): everything Ladder holds about one person,
//! in a documented JSON format (`"format": "ladder-record", "version": 1`, docs/record.md) that
//! another Ladder imports back. Pure: the types, the checks an imported file must pass (sizes,
//! lengths, ranges, naming the field at fault), and the mapping to JSON Resume
//! ([`resume`]). Reading and writing the database is the store's (`ladder_store::person_record`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::limits;

pub mod resume;

/// The `format` every record file names.
pub const FORMAT: &str = "ladder-record";
/// The one version this Ladder writes and reads.
pub const VERSION: u32 = 1;
/// The largest record file an import reads (a person's ten years of figures fit well under it).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The most entries of any one list (figures, log entries, …) a record may carry.
pub const MAX_ITEMS: usize = 20_000;
/// The most goals a person keeps (open and done), as Ladder allows them.
pub const MAX_GOALS: usize = 500;
/// The longest note of a goal.
pub const GOAL_NOTE: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub version: u32,
    /// When and where the file was made: not part of the person's record (a round trip
    /// changes only these two).
    pub exported_at: DateTime<Utc>,
    pub exported_from: String,
    pub person: Person,
    /// Roles held, oldest first, in this organisation and in earlier ones.
    pub work: Vec<WorkSpell>,
    pub kra_plans: Vec<KraPlan>,
    pub figures: Vec<Figure>,
    pub scores: Vec<Score>,
    pub career_plan: Option<CareerPlan>,
    /// The person's own goals under the plan's milestones, by due date (absent in files made
    /// before goals were kept: none).
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// The accomplishment log, private entries included (`shared: false`).
    pub log: Vec<LogEntry>,
    pub skills: Vec<SkillLevel>,
    pub certifications: Vec<Certification>,
    pub training: Vec<Training>,
    pub checkins: Vec<Checkin>,
    pub coaching_notes: Vec<CoachingNote>,
    pub applications: Vec<Application>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub role: String,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkSpell {
    pub organisation: String,
    pub team: Option<String>,
    pub role: String,
    pub from: NaiveDate,
    /// `None`: the role held now (or when the person left).
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KraPlan {
    pub year: i32,
    pub effective_from: NaiveDate,
    pub name: String,
    pub role: String,
    pub variable_pay_minor: Option<i64>,
    pub currency: String,
    pub lines: Vec<KraLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KraLine {
    pub metric: String,
    pub weight: f64,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
}

/// One metric's monthly sums (never a stored ratio: the value is numerator / denominator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The month's first day.
    pub month: NaiveDate,
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
    /// `manual` (typed in) or `import` (from the contact-centre platform).
    pub source: String,
}

/// A month's score as the organisation computed it (recomputed from the figures and plans by
/// the Ladder that imports the record, so an import does not read these).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub month: NaiveDate,
    pub state: String,
    pub total: Option<f64>,
    pub rating: Option<i32>,
    pub rating_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareerPlan {
    pub target_role: String,
    pub horizon_years: i32,
    pub path: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// The role of the plan's milestone it sits under.
    pub milestone_role: String,
    pub title: String,
    pub note: String,
    pub due_on: NaiveDate,
    /// The day it was ticked done; `null` while open.
    pub done_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    pub date: NaiveDate,
    pub title: String,
    pub details: String,
    pub impact_value: Option<f64>,
    pub impact_unit: Option<String>,
    pub tags: Vec<String>,
    pub kras: Vec<String>,
    pub skills: Vec<String>,
    pub shared: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillLevel {
    pub skill: String,
    pub level: i32,
    /// `self` or `leader`.
    pub assessor: String,
    pub assessed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub certification: String,
    /// `planned`, `in-progress` or `earned`.
    pub status: String,
    pub planned_date: Option<NaiveDate>,
    pub earned_date: Option<NaiveDate>,
    pub expires_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub kind: String,
    pub title: String,
    pub provider: String,
    pub hours: f64,
    pub status: String,
    pub skill: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub completed_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkin {
    pub month: NaiveDate,
    pub highlights: String,
    /// Log entries picked, by their position in `log` (0 = the first).
    pub log_entries: Vec<usize>,
    pub blockers: String,
    pub asks: String,
    pub submitted_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub leader_comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachingNote {
    pub author: String,
    pub metric: String,
    pub note: String,
    pub follow_up: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub organisation: String,
    pub opening: String,
    pub stage: String,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub start_date: Option<NaiveDate>,
    pub endorsement: Option<String>,
}

/// What is wrong with a record file, naming the field (`log[3].title`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Problem {
    pub field: String,
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem { field: field.into(), message: message.into() }
}

/// Reads a record file: the format and version first (an unknown version is refused before
/// anything else is read), then every field's limits.
pub fn parse(bytes: &[u8]) -> Result<Record, Problem> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(problem("file", format!("{} bytes; a record file holds at most {MAX_FILE_BYTES}", bytes.len())));
    }
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<u32>,
    }
    let head: Head = serde_json::from_slice(bytes).map_err(|e| problem(format!("line {}", e.line()), e.to_string()))?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(problem("format", format!("not a Ladder record (expected \"{FORMAT}\")")));
    }
    if head.version != Some(VERSION) {
        return Err(problem(
            "version",
            format!("version {:?} is not known; this Ladder reads {VERSION}", head.version),
        ));
    }
    let record: Record = serde_json::from_slice(bytes)
        .map_err(|e| problem(format!("line {} column {}", e.line(), e.column()), e.to_string()))?;
    record.check()?;
    Ok(record)
}

fn line(field: &str, value: &str, max: usize) -> Result<(), Problem> {
    limits::line_problem(value, max).map_or(Ok(()), |m| Err(problem(field, m)))
}

fn text(field: &str, value: &str) -> Result<(), Problem> {
    limits::text_problem(value, limits::TEXT).map_or(Ok(()), |m| Err(problem(field, m)))
}

fn count<T>(field: &str, items: &[T]) -> Result<(), Problem> {
    if items.len() > MAX_ITEMS {
        return Err(problem(field, format!("{} entries; at most {MAX_ITEMS}", items.len())));
    }
    Ok(())
}

fn date(field: &str, d: NaiveDate) -> Result<(), Problem> {
    crate::dates::in_range(d).map(drop).map_err(|m| problem(field, m.to_string()))
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), Problem> {
    if !allowed.contains(&value) {
        return Err(problem(field, format!("{value:?} is not one of {}", allowed.join(", "))));
    }
    Ok(())
}

fn finite(field: &str, n: f64) -> Result<(), Problem> {
    if !n.is_finite() {
        return Err(problem(field, "not a finite number"));
    }
    Ok(())
}

impl Record {
    /// Every limit of an imported record, naming the first field at fault.
    pub fn check(&self) -> Result<(), Problem> {
        let p = &self.person;
        line("person.code", &p.code, limits::KEY)?;
        if p.code.trim().is_empty() {
            return Err(problem("person.code", "is empty"));
        }
        line("person.name", &p.name, limits::NAME)?;
        if let Some(email) = &p.email {
            line("person.email", email, limits::EMAIL)?;
        }
        line("person.role", &p.role, limits::KEY)?;
        date("person.role_since", p.role_since)?;
        date("person.hire_date", p.hire_date)?;
        line("exported_from", &self.exported_from, limits::NAME)?;
        self.check_history()?;
        self.check_kras()?;
        self.check_log()?;
        self.check_growth()?;
        self.check_conversations()
    }

    fn check_history(&self) -> Result<(), Problem> {
        count("work", &self.work)?;
        for (i, w) in self.work.iter().enumerate() {
            line(&format!("work[{i}].organisation"), &w.organisation, limits::NAME)?;
            line(&format!("work[{i}].team"), w.team.as_deref().unwrap_or(""), limits::NAME)?;
            line(&format!("work[{i}].role"), &w.role, limits::KEY)?;
            date(&format!("work[{i}].from"), w.from)?;
            if let Some(to) = w.to {
                date(&format!("work[{i}].to"), to)?;
                if to < w.from {
                    return Err(problem(format!("work[{i}].to"), "is before `from`"));
                }
            }
        }
        Ok(())
    }

    fn check_kras(&self) -> Result<(), Problem> {
        count("kra_plans", &self.kra_plans)?;
        for (i, k) in self.kra_plans.iter().enumerate() {
            let f = format!("kra_plans[{i}]");
            date(&format!("{f}.effective_from"), k.effective_from)?;
            line(&format!("{f}.name"), &k.name, limits::TITLE)?;
            line(&format!("{f}.role"), &k.role, limits::KEY)?;
            line(&format!("{f}.currency"), &k.currency, limits::CURRENCY)?;
            if k.lines.len() > limits::KEYS {
                return Err(problem(format!("{f}.lines"), format!("at most {} lines", limits::KEYS)));
            }
            for (j, l) in k.lines.iter().enumerate() {
                line(&format!("{f}.lines[{j}].metric"), &l.metric, limits::KEY)?;
                for (name, n) in
                    [("weight", l.weight), ("threshold", l.threshold), ("target", l.target), ("stretch", l.stretch)]
                {
                    finite(&format!("{f}.lines[{j}].{name}"), n)?;
                }
            }
        }
        count("figures", &self.figures)?;
        for (i, fig) in self.figures.iter().enumerate() {
            date(&format!("figures[{i}].month"), fig.month)?;
            line(&format!("figures[{i}].metric"), &fig.metric, limits::KEY)?;
            finite(&format!("figures[{i}].numerator"), fig.numerator)?;
            finite(&format!("figures[{i}].denominator"), fig.denominator)?;
            one_of(&format!("figures[{i}].source"), &fig.source, &["manual", "import"])?;
        }
        count("scores", &self.scores)
    }

    fn check_log(&self) -> Result<(), Problem> {
        count("log", &self.log)?;
        for (i, e) in self.log.iter().enumerate() {
            date(&format!("log[{i}].date"), e.date)?;
            line(&format!("log[{i}].title"), &e.title, limits::TITLE)?;
            text(&format!("log[{i}].details"), &e.details)?;
            if let Some(v) = e.impact_value {
                finite(&format!("log[{i}].impact_value"), v)?;
            }
            line(&format!("log[{i}].impact_unit"), e.impact_unit.as_deref().unwrap_or(""), limits::TAG)?;
            for (name, list) in [("tags", &e.tags), ("kras", &e.kras), ("skills", &e.skills)] {
                if list.len() > limits::TAGS {
                    return Err(problem(format!("log[{i}].{name}"), format!("at most {}", limits::TAGS)));
                }
                for t in list {
                    line(&format!("log[{i}].{name}"), t, limits::TAG)?;
                }
            }
        }
        Ok(())
    }

    fn check_growth(&self) -> Result<(), Problem> {
        if let Some(c) = &self.career_plan {
            line("career_plan.target_role", &c.target_role, limits::KEY)?;
            if !(1..=30).contains(&c.horizon_years) {
                return Err(problem("career_plan.horizon_years", "must be 1 to 30"));
            }
            if c.path.len() > limits::KEYS {
                return Err(problem("career_plan.path", format!("at most {} roles", limits::KEYS)));
            }
        }
        self.check_goals()?;
        count("skills", &self.skills)?;
        for (i, s) in self.skills.iter().enumerate() {
            line(&format!("skills[{i}].skill"), &s.skill, limits::KEY)?;
            if !(1..=5).contains(&s.level) {
                return Err(problem(format!("skills[{i}].level"), "must be 1 to 5"));
            }
            one_of(&format!("skills[{i}].assessor"), &s.assessor, &["self", "leader"])?;
        }
        count("certifications", &self.certifications)?;
        for (i, c) in self.certifications.iter().enumerate() {
            line(&format!("certifications[{i}].certification"), &c.certification, limits::KEY)?;
            one_of(&format!("certifications[{i}].status"), &c.status, &["planned", "in-progress", "earned"])?;
        }
        count("training", &self.training)?;
        for (i, t) in self.training.iter().enumerate() {
            one_of(
                &format!("training[{i}].kind"),
                &t.kind,
                &["course", "bootcamp", "mentoring", "on-the-job", "other"],
            )?;
            one_of(&format!("training[{i}].status"), &t.status, &["planned", "in-progress", "done"])?;
            line(&format!("training[{i}].title"), &t.title, limits::TITLE)?;
            line(&format!("training[{i}].provider"), &t.provider, limits::TITLE)?;
            if !(0.0..=10_000.0).contains(&t.hours) {
                return Err(problem(format!("training[{i}].hours"), "must be 0 to 10000"));
            }
        }
        Ok(())
    }

    fn check_goals(&self) -> Result<(), Problem> {
        if self.goals.len() > MAX_GOALS {
            return Err(problem("goals", format!("{} goals; at most {MAX_GOALS}", self.goals.len())));
        }
        for (i, g) in self.goals.iter().enumerate() {
            line(&format!("goals[{i}].milestone_role"), &g.milestone_role, limits::KEY)?;
            line(&format!("goals[{i}].title"), &g.title, limits::TITLE)?;
            if g.title.trim().is_empty() {
                return Err(problem(format!("goals[{i}].title"), "is empty"));
            }
            limits::text_problem(&g.note, GOAL_NOTE).map_or(Ok(()), |m| Err(problem(format!("goals[{i}].note"), m)))?;
            date(&format!("goals[{i}].due_on"), g.due_on)?;
            if let Some(done) = g.done_on {
                date(&format!("goals[{i}].done_on"), done)?;
            }
        }
        Ok(())
    }

    fn check_conversations(&self) -> Result<(), Problem> {
        count("checkins", &self.checkins)?;
        for (i, c) in self.checkins.iter().enumerate() {
            date(&format!("checkins[{i}].month"), c.month)?;
            for (name, t) in [("highlights", &c.highlights), ("blockers", &c.blockers), ("asks", &c.asks)] {
                text(&format!("checkins[{i}].{name}"), t)?;
            }
            text(&format!("checkins[{i}].leader_comment"), c.leader_comment.as_deref().unwrap_or(""))?;
            if let Some(bad) = c.log_entries.iter().find(|&&n| n >= self.log.len()) {
                return Err(problem(format!("checkins[{i}].log_entries"), format!("no log entry {bad}")));
            }
        }
        count("coaching_notes", &self.coaching_notes)?;
        for (i, n) in self.coaching_notes.iter().enumerate() {
            line(&format!("coaching_notes[{i}].author"), &n.author, limits::NAME)?;
            line(&format!("coaching_notes[{i}].metric"), &n.metric, limits::KEY)?;
            text(&format!("coaching_notes[{i}].note"), &n.note)?;
        }
        count("applications", &self.applications)?;
        for (i, a) in self.applications.iter().enumerate() {
            line(&format!("applications[{i}].organisation"), &a.organisation, limits::NAME)?;
            line(&format!("applications[{i}].opening"), &a.opening, limits::TITLE)?;
            line(&format!("applications[{i}].stage"), &a.stage, limits::KEY)?;
            text(&format!("applications[{i}].endorsement"), a.endorsement.as_deref().unwrap_or(""))?;
        }
        Ok(())
    }

    /// The record without where and when it was exported: what a round trip keeps.
    pub fn content(&self) -> Record {
        Record { exported_at: DateTime::<Utc>::UNIX_EPOCH, exported_from: String::new(), ..self.clone() }
    }

    /// Checks every id the import writes against `framework` (roles, metrics, skills,
    /// certifications), naming the first field that holds an unknown one; run before writing.
    pub fn check_ids(&self, framework: &crate::Framework) -> Result<(), Problem> {
        let unknown =
            |field: String, kind: &str, id: &str| problem(field, format!("{kind} {id:?} is not in this framework"));
        let role = |field: String, id: &str| framework.role(id).map(drop).ok_or_else(|| unknown(field, "role", id));
        let metric =
            |field: String, id: &str| framework.metric(id).map(drop).ok_or_else(|| unknown(field, "metric", id));
        role("person.role".into(), &self.person.role)?;
        for (i, k) in self.kra_plans.iter().enumerate() {
            role(format!("kra_plans[{i}].role"), &k.role)?;
            for (j, l) in k.lines.iter().enumerate() {
                metric(format!("kra_plans[{i}].lines[{j}].metric"), &l.metric)?;
            }
        }
        for (i, f) in self.figures.iter().enumerate() {
            metric(format!("figures[{i}].metric"), &f.metric)?;
        }
        if let Some(plan) = &self.career_plan {
            role("career_plan.target_role".into(), &plan.target_role)?;
            for (i, r) in plan.path.iter().enumerate() {
                role(format!("career_plan.path[{i}]"), r)?;
            }
        }
        for (i, g) in self.goals.iter().enumerate() {
            role(format!("goals[{i}].milestone_role"), &g.milestone_role)?;
        }
        for (i, s) in self.skills.iter().enumerate() {
            framework.skill(&s.skill).ok_or_else(|| unknown(format!("skills[{i}].skill"), "skill", &s.skill))?;
        }
        for (i, c) in self.certifications.iter().enumerate() {
            let id = &c.certification;
            framework
                .certification(id)
                .ok_or_else(|| unknown(format!("certifications[{i}].certification"), "certification", id))?;
        }
        Ok(())
    }

    /// The record as someone other than the person may take it: private (unshared) log entries
    /// are only the person's to see, so they go, and check-ins point at the entries left.
    pub fn without_private_entries(mut self) -> Record {
        let mut kept_at = Vec::with_capacity(self.log.len());
        let mut kept = 0;
        for entry in &self.log {
            kept_at.push(entry.shared.then_some(kept));
            kept += usize::from(entry.shared);
        }
        self.log.retain(|entry| entry.shared);
        for checkin in &mut self.checkins {
            checkin.log_entries =
                checkin.log_entries.iter().filter_map(|&i| kept_at.get(i).copied().flatten()).collect();
        }
        self
    }
}
