//! A certification's evidence and its verification (issue 26): the link or file a person gives
//! for an earned certification, served back only to those who may see their development, and
//! the decision of their team leader, a QA/trainer over them, HR or an administrator. Until it
//! is verified the certification is "earned, awaiting verification" and does not count.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::access::{Access, Action};
use ladder_core::EmployeeId;
use ladder_store::org::Employee;
use ladder_store::records::{self as store, CertificationRecord, EvidenceFile, Verification};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits;
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

/// The longest evidence link.
pub const URL_MAX: usize = 2_000;
/// The largest evidence file: 2 MiB.
pub const FILE_MAX: usize = 2 * 1024 * 1024;
/// The longest reason for a rejection.
pub const REASON_MAX: usize = 500;
/// The longest file name kept.
const NAME_MAX: usize = 200;
/// The longest evidence version a decision may name (they are 16 characters).
const VERSION_MAX: usize = 64;

/// An evidence link as stored: none when left empty; http or https, one line, at most 2,000
/// characters.
pub fn check_url(url: Option<&str>) -> ApiResult<Option<String>> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else { return Ok(None) };
    limits::check_line("evidence_url", url, URL_MAX)?;
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    if host.is_none_or(|h| h.is_empty()) || url.contains(char::is_whitespace) {
        return Err(ApiError::invalid("evidence_url", "a link starting with https:// (or http://), with no spaces"));
    }
    Ok(Some(url.to_string()))
}

/// What the bytes are, whatever the name or the sender says: a PDF, a PNG or a JPEG.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else {
        None
    }
}

/// An uploaded evidence file, checked: 1 byte to 2 MiB, a PDF, PNG or JPEG by its content; the
/// name kept without its folders, quotes or control characters.
pub fn check_file(name: &str, bytes: Vec<u8>) -> ApiResult<EvidenceFile> {
    if bytes.is_empty() {
        return Err(ApiError::invalid("evidence_file", "the file is empty"));
    }
    if bytes.len() > FILE_MAX {
        return Err(ApiError::invalid("evidence_file", "a file of at most 2 MiB"));
    }
    let content_type = sniff(&bytes)
        .ok_or_else(|| ApiError::invalid("evidence_file", "a PDF, PNG or JPEG file (this one is none of these)"))?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut clean: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';')).take(NAME_MAX).collect();
    if clean.trim().is_empty() {
        clean = match content_type {
            "application/pdf" => "evidence.pdf",
            "image/png" => "evidence.png",
            _ => "evidence.jpg",
        }
        .to_string();
    }
    Ok(EvidenceFile { file_name: clean.trim().to_string(), content_type: content_type.to_string(), content: bytes })
}

/// The person's record of a certification: 404 when there is none.
async fn recorded(state: &AppState, employee: &Employee, certification_id: &str) -> ApiResult<CertificationRecord> {
    limits::check_line("certification_id", certification_id, limits::KEY)?;
    store::certification_of(&state.db, employee.id, certification_id)
        .await?
        .ok_or_else(|| ApiError::not_found("certification"))
}

/// Whether the caller may give evidence for this person: whoever may write their record (the
/// person or the line above them).
pub fn may_give_evidence(me: &Me, employee: &Employee) -> ApiResult<()> {
    crate::service::records::may_write_record(me, employee)
}

/// Attaches (or replaces) the evidence file of a recorded certification (checked by
/// [`check_file`]): the person or the line above them. The certification waits for a verifier
/// again.
pub async fn attach_file(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    certification_id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<CertificationRecord> {
    may_give_evidence(me, employee)?;
    let current = recorded(state, employee, certification_id).await?;
    let file = check_file(name, bytes)?;
    let saved = store::upsert_certification(&state.db, &current, Some(&file), Some(me.user.id)).await?;
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    Ok(saved)
}

/// The evidence file of a certification, for whoever may see the person's development.
pub async fn file(state: &AppState, me: &Me, employee: &Employee, certification_id: &str) -> ApiResult<EvidenceFile> {
    me.require(Action::ViewDevelopment(employee.placement()))?;
    let current = recorded(state, employee, certification_id).await?;
    store::evidence::evidence_file(&state.db, current.id).await?.ok_or_else(|| ApiError::not_found("evidence file"))
}

/// A verifier's decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `verified` or `rejected`.
    #[schema(max_length = 8)]
    pub decision: String,
    /// Why it was rejected (required then, at most 500 characters); shown to the person.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    /// The `evidence_version` of the evidence looked at (from the "to verify" list): when the
    /// person replaced the link or file since, the decision is refused with 409. Left out, the
    /// decision applies to whatever is stored.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub evidence_version: Option<String>,
}

/// Verifies or rejects an earned certification's evidence: the person's team leader, a
/// QA/trainer over them, HR or an administrator. Verifying needs evidence to look at.
pub async fn decide(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    certification_id: &str,
    input: &DecisionInput,
) -> ApiResult<CertificationRecord> {
    me.require(Action::VerifyCertification(employee.placement()))?;
    let verdict: Verification = input
        .decision
        .parse()
        .map_err(|_| ApiError::invalid("decision", format!("one of {}", Verification::listed())))?;
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = reason {
        limits::check_text("reason", r, REASON_MAX)?;
    }
    let seen = input.evidence_version.as_deref().map(str::trim);
    if let Some(v) = seen {
        limits::check_line("evidence_version", v, VERSION_MAX)?;
    }
    let current = recorded(state, employee, certification_id).await?;
    if current.status != ladder_store::records::CertificationStatus::Earned {
        return Err(ApiError::invalid("decision", "only an earned certification is verified"));
    }
    let reason = match verdict {
        Verification::Rejected => {
            Some(reason.ok_or_else(|| ApiError::invalid("reason", "say why, so the person can fix it"))?)
        }
        Verification::Verified if current.evidence_url.is_none() && current.evidence_file.is_none() => {
            return Err(ApiError::invalid(
                "decision",
                "there is no evidence to verify yet: reject it and ask for some",
            ));
        }
        Verification::Verified => None,
    };
    let saved = store::evidence::decide(&state.db, current.id, verdict, reason, me.user.id, seen).await?;
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    Ok(saved)
}

/// An earned certification waiting for the caller to verify it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ToVerify {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub certification_id: String,
    pub certification_name: String,
    pub earned_date: Option<NaiveDate>,
    pub evidence_url: Option<String>,
    /// The evidence file's name, if there is one (at `…/certifications/{id}/evidence`).
    pub evidence_file: Option<String>,
    /// When the claim or its evidence last changed: the list is oldest first.
    pub claimed_at: Option<DateTime<Utc>>,
    /// The version of the evidence shown: give it back with the decision.
    pub evidence_version: String,
}

/// The people whose claims the caller checks: a team leader's teams, the teams at a QA/trainer's
/// sites, everyone (`None`) for HR and administrators; 403 for anyone else.
async fn checked_teams(state: &AppState, me: &Me) -> ApiResult<Option<Vec<ladder_core::TeamId>>> {
    Ok(match me.actor.access {
        Access::TeamLeader => Some(me.actor.led_teams.clone()),
        Access::Trainer => Some(ladder_store::org::teams_in(&state.db, &me.actor.sites, &[]).await?),
        Access::Hr | Access::Admin => None,
        Access::Agent | Access::Manager => return Err(ApiError::forbidden()),
    })
}

/// A self-rating waiting for a leader's or QA/trainer's assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ToConfirm {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub skill_id: String,
    pub skill_name: String,
    /// The level the person gave themselves, 1 to 5.
    pub level: i32,
    pub rated_at: DateTime<Utc>,
}

/// A page of the self-ratings waiting in the caller's scope (as [`to_verify`]), oldest first.
/// HR and administrators see none: assessing is for the line above and QA/trainers.
pub async fn to_confirm(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<ToConfirm>> {
    let teams = match checked_teams(state, me).await? {
        Some(teams) => teams,
        None => return Ok(Listing { items: Vec::new(), total: 0, next: None }),
    };
    let except = me.actor.employee_id;
    let rows =
        store::evidence::unconfirmed_ratings(&state.db, Some(&teams), except, page.after()?, page.fetch()).await?;
    let total = store::evidence::count_unconfirmed_ratings(&state.db, Some(&teams), except).await?;
    let listing = Listing::from_rows(rows, page, total, |r| (r.assessed_at, r.id));
    Ok(listing.map(|r| ToConfirm {
        skill_name: state.framework.skill(&r.skill_id).map_or_else(|| r.skill_id.clone(), |s| s.name.clone()),
        employee_id: r.employee_id,
        employee_name: r.employee_name,
        skill_id: r.skill_id,
        level: r.level,
        rated_at: r.assessed_at,
    }))
}

/// A page of the earned certifications waiting in the caller's scope, oldest claim first (those
/// never changed since before claims were dated first of all): a team leader's teams, a
/// QA/trainer's sites, everyone's for HR and administrators; never their own.
pub async fn to_verify(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<ToVerify>> {
    let teams = checked_teams(state, me).await?;
    let except = me.actor.employee_id;
    let rows = store::evidence::awaiting(&state.db, teams.as_deref(), except, page.after()?, page.fetch()).await?;
    let total = store::evidence::count_awaiting(&state.db, teams.as_deref(), except).await?;
    let listing = Listing::from_rows(rows, page, total, |a| (a.record.evidence_changed_at, a.record.id));
    Ok(listing.map(|a| ToVerify {
        evidence_version: a.record.evidence_version(),
        employee_id: a.record.employee_id,
        employee_name: a.employee_name,
        certification_name: state
            .framework
            .certification(&a.record.certification_id)
            .map_or_else(|| a.record.certification_id.clone(), |c| c.name.clone()),
        certification_id: a.record.certification_id,
        earned_date: a.record.earned_date,
        evidence_url: a.record.evidence_url,
        evidence_file: a.record.evidence_file,
        claimed_at: a.record.evidence_changed_at,
    }))
}
