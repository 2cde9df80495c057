//! Applications to internal openings: apply with one click (carrying the promotion packet as
//! it stands), the team leader's endorsement, stage moves by HR and the hiring manager (the
//! applicant only withdraws), and a hire that changes the person's role and team from its start
//! date through the role history. Each application is seen by the applicant, their team leader,
//! the hiring manager and HR only (`Action::ViewApplication`).

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::access::{Action, Placement};
use ladder_core::openings::{move_allowed, Mover, Stage, Standing};
use ladder_core::{EmployeeId, TeamId};
use ladder_store::openings::applications::{self as store, Application, Hire, Move};
use ladder_store::openings::Opening;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::matching::{facts, judge};
use super::{load, today};
use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits::check_text;
use crate::state::AppState;

/// The longest note or endorsement, in characters.
pub const MAX_NOTE: usize = 2000;
/// The most applications one list shows.
const MAX_LISTED: i64 = 500;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// Required when the opening asks: the applicant has no final written warning.
    #[serde(default)]
    pub declared_no_final_warning: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// screening, interview, offer, hired, not-selected or withdrawn (the applicant only).
    #[schema(max_length = 20)]
    pub stage: String,
    /// Why, at most 2,000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
    /// Required for hired: the first day in the new role.
    pub start_date: Option<NaiveDate>,
    /// For hired: the team joined (default: the opening's team, else the person's own).
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<TeamId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorseInput {
    /// At most 2,000 characters.
    #[schema(max_length = 2000)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub at: DateTime<Utc>,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub opening_id: i64,
    pub opening_title: String,
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub stage: String,
    pub stage_label: String,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub start_date: Option<NaiveDate>,
    pub endorsement: Option<String>,
    pub endorsed_at: Option<DateTime<Utc>>,
    /// The promotion packet as it stood when they applied.
    #[schema(value_type = Object)]
    pub packet: serde_json::Value,
    /// The person's packet as it stands now.
    pub packet_url: String,
    /// Every stage move with its note, oldest first.
    pub history: Vec<EventView>,
    /// Stages the caller may move it to now.
    pub next_stages: Vec<String>,
    pub can_endorse: bool,
}

fn stage_of(a: &Application) -> ApiResult<Stage> {
    Stage::parse(&a.stage).ok_or_else(|| ApiError::internal(format!("stored stage '{}'", a.stage)))
}

/// An application with what the caller needs to decide: 404 when there is none, 403 unless the
/// caller may see it.
async fn visible(state: &AppState, me: &Me, id: i64) -> ApiResult<(Application, Opening, Placement)> {
    let a = store::application(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("application"),
        other => other.into(),
    })?;
    let o = load(state, a.opening_id).await?;
    let p = ladder_store::org::placement(&state.db, a.employee_id).await?;
    me.require(Action::ViewApplication { applicant: p, hiring_manager: o.hiring_manager_id })?;
    Ok((a, o, p))
}

fn may_move(me: &Me, o: &Opening, p: Placement, from: Stage, to: Stage) -> bool {
    let mover = if to == Stage::Withdrawn { Mover::Applicant } else { Mover::Recruiter };
    let action = match mover {
        Mover::Applicant => Action::OwnApplication(p),
        Mover::Recruiter => Action::MoveApplication { applicant: p, hiring_manager: o.hiring_manager_id },
    };
    me.require(action).is_ok() && move_allowed(from, to, mover).is_ok()
}

async fn full_view(state: &AppState, me: &Me, a: Application, o: &Opening, p: Placement) -> ApiResult<ApplicationView> {
    let stage = stage_of(&a)?;
    let history = store::events(&state.db, a.id)
        .await?
        .into_iter()
        .map(|e| EventView { at: e.at, from_stage: e.from_stage, to_stage: e.to_stage, note: e.note })
        .collect();
    let next_stages =
        Stage::ALL.into_iter().filter(|to| may_move(me, o, p, stage, *to)).map(|s| s.as_str().to_string()).collect();
    let can_endorse = !stage.is_final() && me.require(Action::EndorseApplication(p)).is_ok();
    Ok(ApplicationView {
        packet: serde_json::from_str(&a.packet).unwrap_or(serde_json::Value::Null),
        packet_url: format!("/people/{}/packet", a.employee_id),
        stage_label: stage.label().into(),
        id: a.id,
        opening_id: a.opening_id,
        opening_title: a.opening_title,
        employee_id: a.employee_id,
        employee_name: a.employee_name,
        stage: a.stage,
        applied_at: a.applied_at,
        updated_at: a.updated_at,
        start_date: a.start_date,
        endorsement: a.endorsement,
        endorsed_at: a.endorsed_at,
        history,
        next_stages,
        can_endorse,
    })
}

pub async fn application(state: &AppState, me: &Me, id: i64) -> ApiResult<ApplicationView> {
    let (a, o, p) = visible(state, me, id).await?;
    full_view(state, me, a, &o, p).await
}

/// Applies the caller to an opening they are eligible or nearly eligible for; the application
/// carries their packet as it stands. Their team leader sees it in their queue to endorse.
pub async fn apply(state: &AppState, me: &Me, opening_id: i64, input: &ApplyInput) -> ApiResult<ApplicationView> {
    let id = me.actor.employee_id.ok_or_else(|| ApiError::not_found("employee record of yours"))?;
    let employee = ladder_store::org::employee(&state.db, id).await?;
    me.require(Action::OwnApplication(employee.placement()))?;
    let o = load(state, opening_id).await?;
    if !o.is_open(today()) {
        return Err(ApiError::conflict("this opening is closed"));
    }
    if o.rule_no_final_warning && !input.declared_no_final_warning {
        return Err(ApiError::invalid(
            "declared_no_final_warning",
            "this opening asks you to confirm you have no final written warning",
        ));
    }
    let f = facts(state, &employee).await?;
    let e = judge(state, &o, &f)?;
    if e.standing == Standing::NotEligible {
        return Err(ApiError::conflict(format!("not eligible yet: {}", e.gaps.join("; "))));
    }
    let endorsement = ladder_store::records::endorsement(&state.db, id).await?.map(|e| e.text);
    let packet = serde_json::json!({
        "employee": { "id": employee.id, "code": employee.code, "name": employee.name },
        "role": employee.role_id,
        "team": employee.team_name,
        "months_in_role": f.profile.months_in_role,
        "months_with_company": f.applicant.months_with_company,
        "monthly_scores": f.profile.monthly_scores.iter().map(|(m, s)| (m.to_string(), (s * 10.0).round() / 10.0)).collect::<Vec<_>>(),
        "certifications": f.profile.certifications,
        "skills": f.profile.skills,
        "standing": e.standing.as_str(),
        "gaps": e.gaps,
        "readiness": e.readiness,
        "rules": e.rules,
        "declared_no_final_warning": input.declared_no_final_warning,
        "endorsement": endorsement,
        "as_of": f.profile.as_of,
    });
    let app_id = store::apply(&state.db, opening_id, id, &packet.to_string(), me.user.id).await?;
    application(state, me, app_id).await
}

/// Moves an application's stage with a note. HR and the hiring manager move it; the applicant
/// only withdraws. Hired needs a start date and changes the person's role (the opening's) and
/// team from it.
pub async fn move_stage(state: &AppState, me: &Me, id: i64, input: &MoveInput) -> ApiResult<ApplicationView> {
    let (a, o, p) = visible(state, me, id).await?;
    let from = stage_of(&a)?;
    let to = Stage::parse(&input.stage).ok_or_else(|| {
        ApiError::invalid("stage", "is screening, interview, offer, hired, not-selected or withdrawn")
    })?;
    check_text("note", &input.note, MAX_NOTE)?;
    let mover = if to == Stage::Withdrawn {
        me.require(Action::OwnApplication(p))?;
        Mover::Applicant
    } else {
        me.require(Action::MoveApplication { applicant: p, hiring_manager: o.hiring_manager_id })?;
        Mover::Recruiter
    };
    move_allowed(from, to, mover).map_err(|e| ApiError::conflict(e.to_string()))?;
    let hire = if to == Stage::Hired { Some(hire(state, &o, p, input).await?) } else { None };
    let m = Move {
        id,
        employee: a.employee_id,
        from: from.as_str(),
        to: to.as_str(),
        note: &input.note,
        actor: me.user.id,
        hire,
    };
    store::move_stage(&state.db, &m).await?;
    if to == Stage::Hired {
        // The pipeline's stored readiness follows the new role at once, like any role change.
        crate::service::pipeline::refresh(state, &[a.employee_id]).await?;
    }
    application(state, me, id).await
}

async fn hire(state: &AppState, o: &Opening, p: Placement, input: &MoveInput) -> ApiResult<Hire> {
    let start = input.start_date.ok_or_else(|| ApiError::invalid("start_date", "is required to hire"))?;
    ladder_core::dates::in_range(start).map_err(|e| ApiError::invalid("start_date", e.to_string()))?;
    // The role history runs forward: a new role cannot start before the current one did.
    let person = ladder_store::org::employee(&state.db, p.employee_id).await?;
    if start < person.role_since {
        return Err(ApiError::invalid(
            "start_date",
            format!("is before the person's current role began ({})", person.role_since),
        ));
    }
    // The opening's team by default; any team given must be where the opening is.
    let team_id = input.team_id.or(o.team_id).or(p.team_id);
    if let Some(t) = team_id {
        let team =
            ladder_store::org::team(&state.db, t).await.map_err(|_| ApiError::invalid("team_id", "is not a team"))?;
        let fits = match o.account_id {
            Some(a) => team.account_id == a,
            None => team.site_id == o.site_id,
        };
        if !fits {
            return Err(ApiError::invalid("team_id", "is not in the opening's account (or site): give one that is"));
        }
    }
    Ok(Hire { opening_id: o.id, headcount: o.headcount, role_id: o.role_id.clone(), team_id, start })
}

/// The applicant's team leader endorses the application (replacing an earlier endorsement).
pub async fn endorse(state: &AppState, me: &Me, id: i64, input: &EndorseInput) -> ApiResult<ApplicationView> {
    let (a, _, p) = visible(state, me, id).await?;
    me.require(Action::EndorseApplication(p))?;
    check_text("text", &input.text, MAX_NOTE)?;
    if input.text.trim().is_empty() {
        return Err(ApiError::invalid("text", "is required"));
    }
    if stage_of(&a)?.is_final() {
        return Err(ApiError::conflict("this application has ended"));
    }
    store::endorse(&state.db, id, a.employee_id, me.user.id, input.text.trim()).await?;
    application(state, me, id).await
}

/// A short line of an application, for lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationLine {
    pub id: i64,
    pub opening_id: i64,
    pub opening_title: String,
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub stage: String,
    pub stage_label: String,
    pub applied_at: DateTime<Utc>,
    pub endorsed: bool,
}

fn line(a: Application) -> ApplicationLine {
    ApplicationLine {
        stage_label: Stage::parse(&a.stage).map_or("", Stage::label).into(),
        endorsed: a.endorsement.is_some(),
        id: a.id,
        opening_id: a.opening_id,
        opening_title: a.opening_title,
        employee_id: a.employee_id,
        employee_name: a.employee_name,
        stage: a.stage,
        applied_at: a.applied_at,
    }
}

/// The caller's own applications, newest first.
pub async fn mine(state: &AppState, me: &Me) -> ApiResult<Vec<ApplicationLine>> {
    let Some(id) = me.actor.employee_id else { return Ok(vec![]) };
    Ok(store::of_employee(&state.db, id).await?.into_iter().map(line).collect())
}

/// An opening's applications the caller may see (HR and the hiring manager: all of them; a
/// team leader: their people's; anyone else: none).
pub async fn of_opening(state: &AppState, me: &Me, opening_id: i64) -> ApiResult<Vec<ApplicationLine>> {
    me.require(Action::ViewInternalOpenings).map_err(|_| ApiError::not_found("opening"))?;
    let o = load(state, opening_id).await?;
    let rows = store::of_opening(&state.db, opening_id, MAX_LISTED).await?;
    let ids: Vec<EmployeeId> = rows.iter().map(|a| a.employee_id).collect();
    let people = ladder_store::org::employees_by_ids(&state.db, &ids).await?;
    let placement = |e: EmployeeId| people.iter().find(|p| p.id == e).map(|p| p.placement());
    Ok(rows
        .into_iter()
        .filter(|a| {
            placement(a.employee_id).is_some_and(|p| {
                me.require(Action::ViewApplication { applicant: p, hiring_manager: o.hiring_manager_id }).is_ok()
            })
        })
        .map(line)
        .collect())
}

/// A team leader's queue: their people's applications still open, to read and endorse.
pub async fn to_endorse(state: &AppState, me: &Me) -> ApiResult<Vec<ApplicationLine>> {
    if me.actor.led_teams.is_empty() {
        return Ok(vec![]);
    }
    let rows = store::open_in_teams(&state.db, &me.actor.led_teams, MAX_LISTED).await?;
    Ok(rows.into_iter().filter(|a| a.endorsement.is_none()).map(line).collect())
}
