//! Mentoring and shadowing (issue 26): a person asks for a mentor or a shadowing day towards a
//! role; their team leader or HR pairs them with someone in a role at or above it; the mentor and
//! the mentee log sessions, which the promotion packet lists as evidence.

use chrono::{NaiveDate, Utc};
use ladder_core::access::{allowed, Action, Placement};
use ladder_core::learning::{NOTE, SESSION_MINUTES};
use ladder_core::EmployeeId;
use ladder_store::mentoring::{self as store, Evidence, MentoringRequest, MentoringSession, Scope};
use ladder_store::org::Employee;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::limits;
use crate::service::listing::{Listing, Order, PageSpec};
use crate::state::AppState;

/// The most open requests one person may have at once.
pub const OPEN_PER_PERSON: i64 = 5;
/// The most mentors a pairing form offers.
pub const CANDIDATES: i64 = 200;
/// The most sessions one request holds.
pub const SESSIONS_PER_REQUEST: i64 = 200;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    pub id: i64,
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub mentee_name: String,
    /// `mentor` or `shadowing`.
    pub kind: String,
    pub target_role: String,
    pub target_role_name: String,
    pub note: String,
    #[schema(value_type = Option<i64>)]
    pub mentor_id: Option<EmployeeId>,
    pub mentor_name: Option<String>,
    pub paired_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
    pub closed_at: Option<chrono::DateTime<Utc>>,
    pub sessions: i64,
    pub minutes: i64,
    /// What the caller may do with it.
    pub may_pair: bool,
    pub may_log: bool,
    pub may_close: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub note: String,
    /// Who logged it: `mentee` or `mentor` (none once their account is gone).
    pub logged_by: Option<String>,
}

impl From<MentoringSession> for SessionView {
    fn from(s: MentoringSession) -> SessionView {
        SessionView { id: s.id, held_on: s.held_on, minutes: s.minutes, note: s.note, logged_by: s.logged_as }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestDetail {
    pub request: RequestView,
    pub sessions: Vec<SessionView>,
}

/// Where the mentee sits, as far as the mentoring rules look: themselves and their team (their
/// leader pairs; managers are not part of it), so the list needs no query per row.
fn mentee(r: &MentoringRequest) -> Placement {
    Placement { employee_id: r.employee_id, team_id: r.mentee_team_id, account_id: None, site_id: None }
}

/// The mentee, their team leader, HR and administrators may close a request.
fn may_close(me: &Me, p: Placement) -> bool {
    allowed(&me.actor, Action::WriteOwnRecord(p)) || allowed(&me.actor, Action::PairMentoring(p))
}

fn view(state: &AppState, me: &Me, r: MentoringRequest) -> RequestView {
    let p = mentee(&r);
    let open = r.closed_at.is_none();
    RequestView {
        may_close: open && may_close(me, p),
        may_pair: open && allowed(&me.actor, Action::PairMentoring(p)),
        may_log: open
            && r.mentor_id.is_some()
            && allowed(&me.actor, Action::LogMentoringSession { mentee: p, mentor: r.mentor_id }),
        target_role_name: state
            .framework
            .role(&r.target_role)
            .map_or_else(|| r.target_role.clone(), |x| x.name.clone()),
        id: r.id,
        employee_id: r.employee_id,
        mentee_name: r.mentee_name,
        kind: r.kind,
        target_role: r.target_role,
        note: r.note,
        mentor_id: r.mentor_id,
        mentor_name: r.mentor_name,
        paired_at: r.paired_at,
        created_at: r.created_at,
        closed_at: r.closed_at,
        sessions: r.sessions,
        minutes: r.minutes,
    }
}

/// The requests the caller takes part in: their own, the ones they mentor, their teams' (team
/// leaders), everyone's (HR and administrators).
pub async fn requests(state: &AppState, me: &Me, page: &PageSpec) -> ApiResult<Listing<RequestView>> {
    let teams = if me.actor.access == ladder_core::access::Access::TeamLeader { &me.actor.led_teams[..] } else { &[] };
    let scope = if allowed(&me.actor, Action::ViewOrganisation) {
        Scope::All
    } else {
        Scope::Involving { employee: me.actor.employee_id, teams }
    };
    let rows = store::requests(&state.db, scope).await?;
    let all = rows.into_iter().map(|r| view(state, me, r)).collect();
    // Open first, then newest first, as the store reads them.
    Listing::slice(all, page, Order::Ascending, |r: &RequestView| {
        (r.closed_at.is_some(), -r.created_at.timestamp_micros(), -r.id)
    })
}

async fn load(state: &AppState, me: &Me, id: i64) -> ApiResult<MentoringRequest> {
    let r = store::request(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("mentoring request"),
        other => other.into(),
    })?;
    me.require(Action::ViewMentoring { mentee: mentee(&r), mentor: r.mentor_id })?;
    Ok(r)
}

pub async fn request(state: &AppState, me: &Me, id: i64) -> ApiResult<RequestDetail> {
    let r = load(state, me, id).await?;
    let sessions = store::sessions(&state.db, id).await?;
    Ok(RequestDetail { request: view(state, me, r), sessions: sessions.into_iter().map(SessionView::from).collect() })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// `mentor` or `shadowing`.
    #[schema(max_length = 9)]
    pub kind: String,
    /// The role the person is working towards (a framework role id).
    #[schema(max_length = 80)]
    pub target_role: String,
    /// At most 1,000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: String,
}

/// A person's request for a mentor or a shadowing day: the person only.
pub async fn create(state: &AppState, me: &Me, employee: &Employee, input: &RequestInput) -> ApiResult<RequestView> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    let kind = input.kind.trim();
    if !matches!(kind, "mentor" | "shadowing") {
        return Err(ApiError::invalid("kind", "one of mentor, shadowing"));
    }
    limits::check_line("target_role", &input.target_role, limits::KEY)?;
    if state.framework.role(input.target_role.trim()).is_none() {
        return Err(ApiError::invalid("target_role", "not a role of the framework"));
    }
    limits::check_text("note", &input.note, NOTE)?;
    if store::open_count(&state.db, employee.id).await? >= OPEN_PER_PERSON {
        return Err(ApiError::conflict(format!("at most {OPEN_PER_PERSON} open requests at once")));
    }
    let r =
        store::create(&state.db, employee.id, kind, input.target_role.trim(), input.note.trim(), Utc::now()).await?;
    Ok(view(state, me, r))
}

/// The roles at or above a target's level: whoever holds one may mentor towards it.
fn mentor_roles(state: &AppState, target: &str) -> Vec<String> {
    let level = state.framework.role(target).map_or(u8::MAX, |r| r.level);
    state.framework.roles.iter().filter(|r| r.level >= level).map(|r| r.id.clone()).collect()
}

/// The people a request may be paired with (id, name, role name), for the pairing form: those at
/// the mentee's site first.
pub async fn candidates(state: &AppState, me: &Me, id: i64) -> ApiResult<Vec<(EmployeeId, String, String)>> {
    let r = load(state, me, id).await?;
    me.require(Action::PairMentoring(mentee(&r)))?;
    let site = ladder_store::org::placement(&state.db, r.employee_id).await?.site_id;
    let found = store::candidates(&state.db, &mentor_roles(state, &r.target_role), site, CANDIDATES).await?;
    Ok(found
        .into_iter()
        .filter(|(e, _, _)| *e != r.employee_id)
        .map(|(e, name, role)| (e, name, state.framework.role(&role).map_or(role, |x| x.name.clone())))
        .collect())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairInput {
    /// The mentor's employee id: someone in a role at or above the request's target.
    #[schema(value_type = i64)]
    pub mentor_id: EmployeeId,
}

/// Pairs a request with a mentor (or changes the mentor): the mentee's team leader, HR or an
/// administrator, while the request is open.
pub async fn pair(state: &AppState, me: &Me, id: i64, input: &PairInput) -> ApiResult<RequestView> {
    let r = load(state, me, id).await?;
    me.require(Action::PairMentoring(mentee(&r)))?;
    if r.closed_at.is_some() {
        return Err(ApiError::conflict("the request is closed"));
    }
    if input.mentor_id == r.employee_id {
        return Err(ApiError::invalid("mentor_id", "a person cannot mentor themselves"));
    }
    let mentor = ladder_store::org::employee(&state.db, input.mentor_id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::invalid("mentor_id", "no such employee"),
        other => other.into(),
    })?;
    if !mentor.active {
        return Err(ApiError::invalid("mentor_id", "the mentor has left"));
    }
    if !mentor_roles(state, &r.target_role).contains(&mentor.role_id) {
        return Err(ApiError::invalid("mentor_id", "the mentor's role must be at or above the target role"));
    }
    let paired = store::pair(&state.db, id, mentor.id, Some(me.user.id), Utc::now()).await?;
    Ok(view(state, me, paired))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// The day it was held (YYYY-MM-DD), not in the future.
    #[serde(deserialize_with = "ladder_core::dates::deserialize")]
    pub held_on: NaiveDate,
    /// 15 to 480.
    pub minutes: i32,
    /// At most 1,000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: String,
}

/// Logs a session: the mentee or the mentor, once paired and while the request is open.
pub async fn log_session(state: &AppState, me: &Me, id: i64, input: &SessionInput) -> ApiResult<SessionView> {
    let r = load(state, me, id).await?;
    me.require(Action::LogMentoringSession { mentee: mentee(&r), mentor: r.mentor_id })?;
    if r.mentor_id.is_none() {
        return Err(ApiError::conflict("the request has no mentor yet"));
    }
    if r.closed_at.is_some() {
        return Err(ApiError::conflict("the request is closed"));
    }
    if !SESSION_MINUTES.contains(&input.minutes) {
        return Err(ApiError::invalid("minutes", "15 to 480 minutes"));
    }
    if input.held_on > Utc::now().date_naive() {
        return Err(ApiError::invalid("held_on", "a session is logged once it was held, not before"));
    }
    if input.held_on < r.created_at.date_naive() {
        return Err(ApiError::invalid("held_on", "not before the request was made"));
    }
    limits::check_text("note", &input.note, NOTE)?;
    if r.sessions >= SESSIONS_PER_REQUEST {
        return Err(ApiError::invalid("sessions", format!("at most {SESSIONS_PER_REQUEST} sessions per request")));
    }
    let s = store::add_session(
        &state.db,
        id,
        input.held_on,
        input.minutes,
        input.note.trim(),
        Some(me.user.id),
        Utc::now(),
    )
    .await?;
    Ok(s.into())
}

/// Closes a request: the mentee, their team leader, HR or an administrator. A closed request
/// stays as the record; its sessions stay evidence.
pub async fn close(state: &AppState, me: &Me, id: i64) -> ApiResult<RequestView> {
    let r = load(state, me, id).await?;
    if !may_close(me, mentee(&r)) {
        return Err(ApiError::forbidden());
    }
    let closed = store::close(&state.db, id, Utc::now()).await?;
    Ok(view(state, me, closed))
}

/// A person's mentoring and shadowing sessions, newest first: the packet's evidence, for
/// whoever may see the person.
pub async fn evidence(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<Vec<Evidence>> {
    me.require(Action::ViewPerson(employee.placement()))?;
    Ok(store::evidence(&state.db, employee.id).await?)
}
