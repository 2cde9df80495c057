//! An employee's own record, with who may see and change each part: accomplishments (private
//! until shared), skills, certifications, training, check-ins and coaching notes.

use chrono::{NaiveDate, Utc};
use ladder_core::access::Action;
use ladder_core::period::Month;
use ladder_store::org::Employee;
use ladder_store::records::{
    self as store, Accomplishment, AccomplishmentFilter, Assessor, CertificationRecord, CertificationStatus, Checkin,
    CoachingNote, NewAccomplishment, NewCheckin, NewCoachingNote, SkillAssessment, TrainingItem, TrainingKind,
    TrainingStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits;
use crate::service::listing::{Listing, Order, PageSpec};
use crate::state::AppState;

fn not_found(what: &'static str) -> impl Fn(ladder_store::StoreError) -> ApiError {
    move |e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found(what),
        other => other.into(),
    }
}

/// One member of a closed set, or 422 naming the field and listing the members.
fn one_of<T: std::str::FromStr>(field: &str, value: &str, listed: fn() -> String) -> ApiResult<T> {
    value.parse().map_err(|_| ApiError::invalid(field, format!("one of {}", listed())))
}

/// A required single line (a title): not empty, within `max`, no control characters.
fn require_line(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiError::invalid(field, "cannot be empty"));
    }
    limits::check_line(field, value, max)
}

// ---- Accomplishments ---------------------------------------------------------------------

/// An accomplishment entry as written.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AccomplishmentInput {
    #[serde(deserialize_with = "ladder_core::dates::deserialize")]
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub details: String,
    /// The quantified result, e.g. 12 (with `impact_unit` "% fewer repeat calls").
    pub impact_value: Option<f64>,
    pub impact_unit: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Metric ids of the KRAs it moved.
    #[serde(default)]
    pub kras: Vec<String>,
    /// Skill ids it shows.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Shared with the leader (and whoever may see the person); private otherwise.
    #[serde(default)]
    pub shared: bool,
}

impl AccomplishmentInput {
    /// The entry as it will be saved, or the first field that is wrong. `was` is the entry's date
    /// before an edit: an old entry dated before the hire date stays editable if its date is kept.
    pub fn check(&self, state: &AppState, employee: &Employee, was: Option<NaiveDate>) -> ApiResult<NewAccomplishment> {
        require_line("title", &self.title, limits::TITLE)?;
        limits::check_text("details", &self.details, limits::TEXT)?;
        limits::check_line("impact_unit", self.impact_unit.as_deref().unwrap_or(""), limits::LINE)?;
        limits::check_lines("tags", &self.tags, limits::TAGS, limits::TAG)?;
        limits::check_lines("kras", &self.kras, limits::KEYS, limits::KEY)?;
        limits::check_lines("skills", &self.skills, limits::KEYS, limits::KEY)?;
        if self.date > Utc::now().date_naive() + chrono::Days::new(1) {
            return Err(ApiError::invalid("date", "an accomplishment cannot be in the future"));
        }
        if self.date < employee.hire_date && was != Some(self.date) {
            return Err(ApiError::invalid(
                "date",
                format!("{} is before the hire date {}: log what you did here", self.date, employee.hire_date),
            ));
        }
        if self.impact_value.is_some_and(|v| !v.is_finite() || v.abs() > limits::IMPACT) {
            return Err(ApiError::invalid("impact_value", format!("a number from -{0} to {0}", limits::IMPACT)));
        }
        for (i, k) in self.kras.iter().enumerate() {
            if state.framework.metric(k).is_none() {
                return Err(ApiError::invalid(&format!("kras[{i}]"), format!("unknown KRA metric '{k}'")));
            }
        }
        for (i, s) in self.skills.iter().enumerate() {
            if state.framework.skill(s).is_none() {
                return Err(ApiError::invalid(&format!("skills[{i}]"), format!("unknown skill '{s}'")));
            }
        }
        Ok(NewAccomplishment {
            date: self.date,
            title: self.title.trim().to_string(),
            details: self.details.trim().to_string(),
            impact_value: self.impact_value,
            impact_unit: self.impact_unit.as_ref().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
            tags: self.tags.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect(),
            kras: self.kras.clone(),
            skills: self.skills.clone(),
            shared: self.shared,
        })
    }
}

/// The entries the caller may see: all of them for the owner, shared ones for anyone else who
/// may see the person; a page of them, newest first by date (then id), with how many match.
pub async fn accomplishments(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    mut filter: AccomplishmentFilter,
    page: &PageSpec,
) -> ApiResult<Listing<Accomplishment>> {
    let p = employee.placement();
    me.require(Action::ViewPerson(p))?;
    filter.shared_only = !ladder_core::access::allowed(&me.actor, Action::ViewPrivateItem(p));
    filter.limit = Some(page.fetch());
    filter.after = page.after()?;
    let rows = store::accomplishments(&state.db, employee.id, &filter).await?;
    let total = store::count_accomplishments(&state.db, employee.id, &filter).await?;
    Ok(Listing::from_rows(rows, page, total, |a| (a.date, a.id)))
}

/// A page of the person's shared entries, newest first: what the packet shows, to the owner too.
pub async fn shared_accomplishments(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    page: &PageSpec,
) -> ApiResult<Listing<Accomplishment>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let filter = AccomplishmentFilter {
        shared_only: true,
        limit: Some(page.fetch()),
        after: page.after()?,
        ..Default::default()
    };
    let rows = store::accomplishments(&state.db, employee.id, &filter).await?;
    let total = store::count_accomplishments(&state.db, employee.id, &filter).await?;
    Ok(Listing::from_rows(rows, page, total, |a| (a.date, a.id)))
}

/// The entries a check-in picked that the caller may see (the owner all, anyone else the
/// shared ones), newest first.
pub async fn picked_accomplishments(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    checkin: &Checkin,
) -> ApiResult<Vec<Accomplishment>> {
    let p = employee.placement();
    me.require(Action::ViewPerson(p))?;
    let shared_only = !ladder_core::access::allowed(&me.actor, Action::ViewPrivateItem(p));
    Ok(store::accomplishments_among(&state.db, employee.id, &checkin.accomplishment_ids, shared_only).await?)
}

pub async fn add_accomplishment(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &AccomplishmentInput,
) -> ApiResult<Accomplishment> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let entry = input.check(state, employee, None)?;
    Ok(store::add_accomplishment(&state.db, employee.id, &entry).await?)
}

/// Loads an entry of this employee that only its owner may change.
async fn own_entry(state: &AppState, me: &Me, employee: &Employee, id: i64) -> ApiResult<Accomplishment> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let entry = store::accomplishment(&state.db, id).await.map_err(not_found("accomplishment"))?;
    if entry.employee_id != employee.id {
        return Err(ApiError::not_found("accomplishment"));
    }
    Ok(entry)
}

pub async fn update_accomplishment(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    id: i64,
    input: &AccomplishmentInput,
) -> ApiResult<Accomplishment> {
    let old = own_entry(state, me, employee, id).await?;
    let entry = input.check(state, employee, Some(old.date))?;
    Ok(store::update_accomplishment(&state.db, id, &entry).await?)
}

/// Shares (or un-shares) an entry with the leader.
pub async fn share_accomplishment(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    id: i64,
    shared: bool,
) -> ApiResult<Accomplishment> {
    let entry = own_entry(state, me, employee, id).await?;
    let updated = NewAccomplishment {
        date: entry.date,
        title: entry.title,
        details: entry.details,
        impact_value: entry.impact_value,
        impact_unit: entry.impact_unit,
        tags: entry.tags,
        kras: entry.kras,
        skills: entry.skills,
        shared,
    };
    Ok(store::update_accomplishment(&state.db, id, &updated).await?)
}

pub async fn delete_accomplishment(state: &AppState, me: &Me, employee: &Employee, id: i64) -> ApiResult<()> {
    own_entry(state, me, employee, id).await?;
    Ok(store::delete_accomplishment(&state.db, id).await?)
}

// ---- Skills ------------------------------------------------------------------------------

pub async fn skill_assessments(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<SkillAssessment>> {
    me.require(Action::ViewDevelopment(employee.placement()))?;
    Ok(store::skill_assessments(&state.db, employee.id).await?)
}

/// A self-assessment by the person, or a leader assessment by whoever stands above them.
pub async fn assess_skill(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    skill_id: &str,
    level: i32,
) -> ApiResult<SkillAssessment> {
    let p = employee.placement();
    let assessor = if ladder_core::access::allowed(&me.actor, Action::WriteOwnRecord(p)) {
        Assessor::Own
    } else if ladder_core::access::allowed(&me.actor, Action::AssessSkill(p)) {
        // A leader, manager or QA/trainer: their assessment confirms a self-rating.
        Assessor::Leader
    } else {
        return Err(ApiError::forbidden());
    };
    if state.framework.skill(skill_id).is_none() {
        return Err(ApiError::not_found("skill"));
    }
    if !(1..=5).contains(&level) {
        return Err(ApiError::invalid("level", "a level is 1 to 5"));
    }
    let saved = store::assess_skill(&state.db, employee.id, skill_id, level, assessor, Some(me.user.id)).await?;
    // Skills move readiness: the pipeline shows the change at once.
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    Ok(saved)
}

// ---- Certifications ----------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CertificationInput {
    pub certification_id: String,
    /// `planned`, `in-progress` or `earned`.
    pub status: String,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub planned_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub earned_date: Option<NaiveDate>,
    /// Left out for an earned certification: taken from the framework's validity, if it has one.
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub expires_date: Option<NaiveDate>,
    /// A link to the evidence (http or https, at most 2,000 characters); left out or empty, the
    /// link given before stands. An earned certification needs a link or an evidence file; a
    /// changed claim (status, dates, link, file) waits for a verifier again.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub evidence_url: Option<String>,
}

pub(crate) fn may_write_record(me: &Me, employee: &Employee) -> ApiResult<()> {
    let p = employee.placement();
    if ladder_core::access::allowed(&me.actor, Action::WriteOwnRecord(p))
        || ladder_core::access::allowed(&me.actor, Action::ManagePerson(p))
    {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

pub async fn certifications(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<CertificationRecord>> {
    me.require(Action::ViewDevelopment(employee.placement()))?;
    Ok(store::certifications(&state.db, employee.id).await?)
}

pub async fn set_certification(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &CertificationInput,
) -> ApiResult<CertificationRecord> {
    set_certification_with_file(state, me, employee, input, None).await
}

/// Records a certification, with a new evidence file when one is given (checked by
/// [`crate::service::evidence::check_file`]). Earned needs evidence: a link, this file or one
/// uploaded before.
pub async fn set_certification_with_file(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &CertificationInput,
    file: Option<&ladder_store::records::EvidenceFile>,
) -> ApiResult<CertificationRecord> {
    may_write_record(me, employee)?;
    limits::check_line("certification_id", &input.certification_id, limits::KEY)?;
    let cert = state.framework.certification(&input.certification_id).ok_or_else(|| {
        ApiError::invalid("certification_id", format!("unknown certification '{}'", input.certification_id))
    })?;
    let status: CertificationStatus = one_of("status", &input.status, CertificationStatus::listed)?;
    let earned_date = match (status, input.earned_date) {
        (CertificationStatus::Earned, None) => {
            return Err(ApiError::invalid("earned_date", "an earned certification needs its date"))
        }
        // A day of grace, as for an accomplishment: "today" east of UTC is tomorrow in UTC.
        (CertificationStatus::Earned, Some(d)) if d > Utc::now().date_naive() + chrono::Days::new(1) => {
            return Err(ApiError::invalid(
                "earned_date",
                format!("{d} is in the future: a certification is earned once held"),
            ))
        }
        (CertificationStatus::Earned, Some(d)) => Some(d),
        _ => None,
    };
    let expires_date = input.expires_date.or_else(|| {
        let months = cert.validity_months?;
        earned_date?.checked_add_months(chrono::Months::new(months))
    });
    if let (Some(e), Some(x)) = (earned_date, expires_date) {
        if x <= e {
            return Err(ApiError::invalid("expires_date", "expires after it was earned"));
        }
    }
    let stored = store::certification_of(&state.db, employee.id, &input.certification_id).await?;
    // Left out, the link already given stands.
    let evidence_url = crate::service::evidence::check_url(input.evidence_url.as_deref())?
        .or_else(|| stored.as_ref().and_then(|s| s.evidence_url.clone()));
    let has_file = file.is_some() || stored.as_ref().is_some_and(|s| s.evidence_file.is_some());
    if status == CertificationStatus::Earned && evidence_url.is_none() && !has_file {
        return Err(ApiError::invalid(
            "evidence_url",
            "an earned certification needs evidence: a link to it, or a PDF, PNG or JPEG file",
        ));
    }
    let record = CertificationRecord {
        id: 0,
        employee_id: employee.id,
        certification_id: input.certification_id.clone(),
        status,
        planned_date: input.planned_date,
        earned_date,
        expires_date,
        evidence_url,
        evidence_file: None,
        evidence_changed_at: None,
        verification: None,
        verified_by: None,
        verified_at: None,
        rejection_reason: None,
    };
    let saved = store::upsert_certification(&state.db, &record, file, Some(me.user.id)).await?;
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    Ok(saved)
}

// ---- Training ----------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TrainingInput {
    /// `course`, `bootcamp`, `mentoring`, `on-the-job` or `other`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub hours: f64,
    /// `planned`, `in-progress` or `done`.
    pub status: String,
    pub skill_id: Option<String>,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub due_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub completed_date: Option<NaiveDate>,
}

/// A page of the person's training, by the day it was done (or is due), then id; undated first.
pub async fn training(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    page: &PageSpec,
) -> ApiResult<Listing<TrainingItem>> {
    Listing::slice(all_training(state, me, employee).await?, page, Order::Ascending, training_key)
}

/// Where a training item sorts: by the day it was done (or is due), then id; undated first.
fn training_key(t: &TrainingItem) -> (Option<NaiveDate>, i64) {
    (t.completed_date.or(t.due_date), t.id)
}

/// Every training item of the person (for sums over all of them), in the list's order.
pub async fn all_training(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<TrainingItem>> {
    me.require(Action::ViewDevelopment(employee.placement()))?;
    let mut all = store::training(&state.db, employee.id).await?;
    all.sort_by_key(training_key);
    Ok(all)
}

pub async fn add_training(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &TrainingInput,
) -> ApiResult<TrainingItem> {
    may_write_record(me, employee)?;
    let item = input.check(state, employee)?;
    Ok(store::add_training(&state.db, &item).await?)
}

impl TrainingInput {
    /// The item to store, or a refusal naming the field: the form checks it before it claims
    /// its one-time key, so a refused post never holds one.
    pub fn check(&self, state: &AppState, employee: &Employee) -> ApiResult<TrainingItem> {
        let input = self;
        require_line("title", &input.title, limits::TITLE)?;
        limits::check_line("provider", &input.provider, limits::LINE)?;
        let kind: TrainingKind = one_of("kind", &input.kind, TrainingKind::listed)?;
        let status: TrainingStatus = one_of("status", &input.status, TrainingStatus::listed)?;
        if !(input.hours.is_finite() && (0.0..=2000.0).contains(&input.hours)) {
            return Err(ApiError::invalid("hours", "hours are 0 to 2000"));
        }
        if let Some(skill) = &input.skill_id {
            limits::check_line("skill_id", skill, limits::KEY)?;
            if state.framework.skill(skill).is_none() {
                return Err(ApiError::invalid("skill_id", format!("unknown skill '{skill}'")));
            }
        }
        let item = TrainingItem {
            id: 0,
            employee_id: employee.id,
            kind,
            title: input.title.trim().to_string(),
            provider: input.provider.trim().to_string(),
            hours: input.hours,
            status,
            skill_id: input.skill_id.clone(),
            due_date: input.due_date,
            completed_date: input.completed_date,
        };
        Ok(item)
    }
}

// ---- Check-ins and coaching ----------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CheckinInput {
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    #[serde(default)]
    pub highlights: String,
    /// Entries picked from the accomplishment log; picking one shares it.
    #[serde(default)]
    pub accomplishment_ids: Vec<i64>,
    #[serde(default)]
    pub blockers: String,
    #[serde(default)]
    pub asks: String,
}

/// A page of the person's check-ins, newest month first.
pub async fn checkins(state: &AppState, me: &Me, employee: &Employee, page: &PageSpec) -> ApiResult<Listing<Checkin>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let rows = store::checkins_after(&state.db, employee.id, page.after()?, page.fetch()).await?;
    let total = store::count_checkins(&state.db, employee.id).await?;
    Ok(Listing::from_rows(rows, page, total, |c| (c.month, c.id)))
}

/// Sends the month's check-in to the leader. Accomplishments picked as highlights are shared,
/// in the check-in's own transaction.
pub async fn submit_checkin(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &CheckinInput,
) -> ApiResult<Checkin> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let today = Utc::now().date_naive();
    if input.month > Month::of(today) {
        return Err(ApiError::invalid("month", "a check-in is for this month or an earlier one"));
    }
    if input.highlights.trim().is_empty() && input.accomplishment_ids.is_empty() {
        return Err(ApiError::invalid("highlights", "write a highlight or pick an entry from your log"));
    }
    for (field, text) in [("highlights", &input.highlights), ("blockers", &input.blockers), ("asks", &input.asks)] {
        limits::check_text(field, text, limits::TEXT)?;
    }
    if input.accomplishment_ids.len() > limits::PICKED {
        return Err(ApiError::invalid("accomplishment_ids", format!("at most {} entries", limits::PICKED)));
    }
    for (i, id) in input.accomplishment_ids.iter().enumerate() {
        let entry = store::accomplishment(&state.db, *id)
            .await
            .map_err(|_| ApiError::invalid(&format!("accomplishment_ids[{i}]"), format!("no accomplishment {id}")))?;
        if entry.employee_id != employee.id {
            return Err(ApiError::invalid(&format!("accomplishment_ids[{i}]"), format!("no accomplishment {id}")));
        }
    }
    let checkin = NewCheckin {
        month: input.month.first_day(),
        highlights: input.highlights.trim().to_string(),
        accomplishment_ids: input.accomplishment_ids.clone(),
        blockers: input.blockers.trim().to_string(),
        asks: input.asks.trim().to_string(),
    };
    Ok(store::submit_checkin(&state.db, employee.id, &checkin).await?)
}

/// The coaching-note topic for well-being (shifts, rest, fatigue) rather than a KRA.
pub const WELLBEING_TOPIC: &str = "well-being";
pub const WELLBEING_TOPIC_NAME: &str = "Well-being (shifts, rest)";

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CoachingInput {
    /// The KRA (metric id) the note is about, or `well-being`.
    pub metric: String,
    pub note: String,
    #[serde(deserialize_with = "ladder_core::dates::deserialize")]
    pub follow_up: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AcknowledgeInput {
    #[serde(default)]
    pub comment: String,
    pub coaching: Option<CoachingInput>,
}

fn check_coaching(state: &AppState, c: &CoachingInput, field: &str) -> ApiResult<NewCoachingNote> {
    limits::check_line(&format!("{field}metric"), &c.metric, limits::KEY)?;
    if c.metric != WELLBEING_TOPIC && state.framework.metric(&c.metric).is_none() {
        return Err(ApiError::invalid(&format!("{field}metric"), format!("unknown KRA metric '{}'", c.metric)));
    }
    if c.note.trim().is_empty() {
        return Err(ApiError::invalid(&format!("{field}note"), "cannot be empty"));
    }
    limits::check_text(&format!("{field}note"), &c.note, limits::TEXT)?;
    if c.follow_up < Utc::now().date_naive() {
        return Err(ApiError::invalid(&format!("{field}follow_up"), "a follow-up date is today or later"));
    }
    Ok(NewCoachingNote { metric: c.metric.clone(), note: c.note.trim().to_string(), follow_up: c.follow_up })
}

/// Whether `me` may review `employee`'s check-ins: their team leader or manager, or, in a
/// personal Ladder, the person themselves (self-review).
pub async fn may_review(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<bool> {
    let p = employee.placement();
    if ladder_core::access::allowed(&me.actor, Action::ReviewCheckin(p)) {
        return Ok(true);
    }
    let personal = ladder_store::org::personal::is_personal(&state.db).await?;
    Ok(ladder_core::access::allowed(&me.actor, Action::ReviewOwnCheckin { who: p, personal }))
}

/// [`may_review`], as a refusal.
pub async fn require_review(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<()> {
    if may_review(state, me, employee).await? {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// The leader acknowledges a check-in, with a comment and optionally a coaching note.
pub async fn acknowledge_checkin(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    checkin_id: i64,
    input: &AcknowledgeInput,
) -> ApiResult<Checkin> {
    require_review(state, me, employee).await?;
    let checkin = store::checkin(&state.db, checkin_id).await.map_err(not_found("check-in"))?;
    if checkin.employee_id != employee.id {
        return Err(ApiError::not_found("check-in"));
    }
    limits::check_text("comment", &input.comment, limits::TEXT)?;
    let note = input.coaching.as_ref().map(|c| check_coaching(state, c, "coaching.")).transpose()?;
    Ok(store::acknowledge_checkin(&state.db, checkin_id, me.user.id, input.comment.trim(), note.as_ref()).await?)
}

/// The coaching notes made with one check-in's review, newest first.
pub async fn checkin_notes(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    checkin_id: i64,
) -> ApiResult<Vec<CoachingNote>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    Ok(store::checkin_coaching_notes(&state.db, employee.id, checkin_id).await?)
}

/// A page of the coaching notes on the person, newest first.
pub async fn coaching_notes(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    page: &PageSpec,
) -> ApiResult<Listing<CoachingNote>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let all = store::coaching_notes(&state.db, employee.id).await?;
    Listing::slice(all, page, Order::Descending, |n| (n.created_at, n.id))
}

pub async fn add_coaching_note(state: &AppState, me: &Me, employee: &Employee, input: &CoachingInput) -> ApiResult<()> {
    require_review(state, me, employee).await?;
    let note = check_coaching(state, input, "")?;
    Ok(store::add_coaching_note(&state.db, employee.id, me.user.id, &note).await?)
}

/// A check-in waiting for the caller's review, with whose it is and how long it has waited.
#[derive(Debug, Serialize)]
pub struct PendingCheckin {
    #[serde(flatten)]
    pub checkin: Checkin,
    pub employee_name: String,
    /// Whole days since it was sent (0 on the day).
    pub waiting_days: i64,
}

/// A page of the check-ins waiting for this leader (or manager), oldest first, with how many
/// wait in all: the active members of their teams whose check-in is sent and not acknowledged,
/// never their own (even when they sit in a team they oversee). Read in the store, a page at a
/// time: the same people the access rule lets them review (`ReviewCheckin`).
pub async fn pending_checkins(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<PendingCheckin>> {
    let Some(teams) = crate::service::people::overseen_teams(state, me).await? else {
        return Ok(Listing { items: Vec::new(), total: 0, next: None });
    };
    let reviewer = me.actor.employee_id;
    let rows = store::review_queue(&state.db, &teams, reviewer, page.after()?, page.fetch()).await?;
    let total = store::count_review_queue(&state.db, &teams, reviewer).await?;
    let now = Utc::now();
    let listing = Listing::from_rows(rows, page, total, |w| (w.checkin.submitted_at, w.checkin.id));
    Ok(listing.map(|w| PendingCheckin {
        waiting_days: (now - w.checkin.submitted_at).num_days().max(0),
        checkin: w.checkin,
        employee_name: w.employee_name,
    }))
}

/// A page of the changes to the person's scores, plans and ratings, newest first.
pub async fn audit_trail(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    page: &PageSpec,
) -> ApiResult<Listing<ladder_store::audit::AuditEntry>> {
    me.require(Action::ViewAudit(employee.placement()))?;
    let rows = ladder_store::audit::for_employee_before(&state.db, employee.id, page.after()?, page.fetch()).await?;
    let total = ladder_store::audit::count_for_employee(&state.db, employee.id).await?;
    Ok(Listing::from_rows(rows, page, total, |e| e.id))
}
