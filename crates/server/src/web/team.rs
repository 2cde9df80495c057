//! The team leader's board: the team scorecard for a month (agents × KRAs, coloured by band,
//! sortable, with totals as ratios of sums), check-ins to review, readiness and who is slipping.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use ladder_core::period::Month;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::records::{Accomplishment, Checkin, CoachingNote};
use serde::Deserialize;

use super::charts::bar_chart;
use super::format;
use super::{form_again, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::error::{ApiError, ApiResult};
use crate::params::MonthParam;
use crate::service::listing::{PageSpec, MAX_LIMIT};

/// The most waiting check-ins the page lists (the oldest); the count says how many wait in all.
const QUEUE_SHOWN: u32 = 50;
use crate::service::kra_sheet;
use crate::service::people::{overseen_teams, visible_employee};
use crate::service::pipeline::{self, PipelineQuery};
use crate::service::records::{self, AcknowledgeInput, CoachingInput};
use crate::service::scorecards::{self, TeamScorecard};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    month: MonthParam,
    sort: Option<String>,
}

pub struct Cell {
    pub text: String,
    pub band: String,
}

pub struct Row {
    pub employee_id: EmployeeId,
    pub name: String,
    pub total: String,
    pub rating: String,
    /// What is missing when the month has not enough data to score.
    pub short: String,
    pub band: String,
    pub cells: Vec<Cell>,
    pub gates: String,
    /// The year's KRA plan's agreement (`agreed`, `needs-agreeing-again`, `not-agreed`,
    /// `no-plan`) and the words for it.
    pub plan_agreement: &'static str,
    pub plan_agreement_words: &'static str,
}

pub struct TeamView {
    pub id: TeamId,
    pub name: String,
    pub columns: Vec<(String, String)>,
    pub rows: Vec<Row>,
    pub totals: Vec<String>,
    pub chart: String,
    /// The month's attrition in words, or why it is not shown.
    pub attrition: String,
}

pub struct PendingView {
    pub id: i64,
    pub name: String,
    pub month: String,
    /// "waiting 9 days", from when it was sent.
    pub age: String,
}

pub struct ReadyView {
    pub employee_id: EmployeeId,
    pub name: String,
    pub next_role: String,
    pub percent: String,
    pub stage: pipeline::Stage,
    pub trend: String,
    pub slipping: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    nav: Option<Nav>,
    month: String,
    month_label: String,
    /// The month's year, whose KRA plan each row says is agreed or not.
    year: i32,
    prev: String,
    next: String,
    teams: Vec<TeamView>,
    /// The oldest check-ins waiting (the first page of the queue).
    pending: Vec<PendingView>,
    /// How many wait in all.
    pending_total: String,
    /// More wait than are listed.
    pending_more: bool,
    readiness: Vec<ReadyView>,
    /// "the first 500 of 1,234" when the leader's people run past the table.
    readiness_cut: Option<String>,
    /// Stored scores left to recompute, while there are any.
    recomputing: Option<i64>,
}

fn team_view(
    state: &AppState,
    card: TeamScorecard,
    sort: Option<&str>,
    attrition: String,
    agreed: &std::collections::HashMap<EmployeeId, &'static str>,
) -> TeamView {
    let unit = |metric: &str| state.framework.metric(metric).map_or(ladder_core::framework::Unit::Count, |m| m.unit);
    let mut rows = card.rows;
    match sort {
        Some("name") | None => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("total") => rows.sort_by(|a, b| b.total.unwrap_or(-1.0).total_cmp(&a.total.unwrap_or(-1.0))),
        Some(metric) => rows.sort_by(|a, b| {
            let of = |r: &scorecards::TeamRow| {
                r.cells.iter().find(|c| *c.metric == *metric).and_then(|c| c.attainment).unwrap_or(-1.0)
            };
            of(b).total_cmp(&of(a))
        }),
    }
    let chart = bar_chart(
        &format!("{}: score by agent", card.team_name),
        &rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        &rows.iter().map(|r| r.total).collect::<Vec<_>>(),
        125.0,
    );
    TeamView {
        id: card.team_id,
        name: card.team_name,
        columns: card
            .metrics
            .iter()
            .map(|m| (m.clone(), state.framework.metric(m).map_or_else(|| m.clone(), |x| x.name.clone())))
            .collect(),
        rows: rows
            .iter()
            .map(|r| Row {
                employee_id: r.employee_id,
                name: r.name.clone(),
                total: format::score(r.total),
                rating: if r.data.not_enough() {
                    "not enough data".to_string()
                } else {
                    r.rating_label.as_deref().unwrap_or_default().to_string()
                },
                short: if r.data.not_enough() { r.data.reasons.join("; ") } else { String::new() },
                band: format::band(r.rating),
                cells: card
                    .metrics
                    .iter()
                    .map(|m| match r.cells.iter().find(|c| *c.metric == **m) {
                        Some(c) if c.value.is_some() && !c.counted => Cell {
                            text: format!("{} (not counted)", format::value(c.value, unit(m))),
                            band: String::new(),
                        },
                        Some(c) => Cell { text: format::value(c.value, unit(m)), band: format::band(c.band) },
                        None => Cell { text: String::new(), band: String::new() },
                    })
                    .collect(),
                gates: r.gates.join(", "),
                plan_agreement: agreed.get(&r.employee_id).copied().unwrap_or("no-plan"),
                plan_agreement_words: kra_sheet::agreement_words(
                    agreed.get(&r.employee_id).copied().unwrap_or("no-plan"),
                ),
            })
            .collect(),
        totals: card
            .metrics
            .iter()
            .map(|m| {
                card.totals.iter().find(|t| &t.metric == m).map(|t| format::value(t.value, unit(m))).unwrap_or_default()
            })
            .collect(),
        chart,
        attrition,
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<TeamQuery>,
) -> PageResult<Page<impl Template>> {
    Ok(Page(build(&state, &user, &q).await?))
}

async fn build(state: &AppState, user: &WebUser, q: &TeamQuery) -> ApiResult<TeamPage> {
    let me = &user.me;
    let month = q.month.0;
    let team_ids = overseen_teams(state, me).await?.ok_or_else(ApiError::forbidden)?;
    let (changes, _) =
        crate::service::headcount::team_changes(state, Some(team_ids.as_slice()), month.first_day(), month.last_day())
            .await?;
    let mut teams = Vec::new();
    for id in &team_ids {
        let card = scorecards::team_scorecard(state, me, *id, month).await?;
        let change = changes.get(&Some(*id)).copied().unwrap_or_default();
        let attrition = crate::service::headcount::team_attrition_words(&change);
        let ids: Vec<EmployeeId> = card.rows.iter().map(|r| r.employee_id).collect();
        let agreed = kra_sheet::agreement_states(state, &ids, month.year).await?;
        teams.push(team_view(state, card, q.sort.as_deref(), attrition, &agreed));
    }
    let now = Utc::now();
    let queue = records::pending_checkins(state, me, &PageSpec::first(QUEUE_SHOWN)).await?;
    let (pending_total, pending_more) = (queue.total, queue.next.is_some());
    let pending = queue
        .items
        .into_iter()
        .map(|p| PendingView {
            id: p.checkin.id,
            name: p.employee_name,
            month: format::month(Month::of(p.checkin.month)),
            age: waiting(now - p.checkin.submitted_at),
        })
        .collect();
    let (mut readiness, mut readiness_cut) = (Vec::new(), None);
    if me.actor.access == ladder_core::access::Access::TeamLeader {
        let most = PipelineQuery { limit: Some(MAX_LIMIT), ..PipelineQuery::default() };
        let listing = pipeline::pipeline(state, me, &most).await?;
        readiness_cut = super::pager::cut_note(&listing, "the first");
        for entry in listing.items {
            readiness.push(ReadyView {
                employee_id: entry.employee_id,
                name: entry.name,
                next_role: entry.next_role_name,
                percent: format!("{:.0} %", entry.readiness_percent),
                stage: entry.stage,
                trend: entry.trend_per_month.map_or_else(|| "—".into(), |t| format!("{t:+.1}/month")),
                slipping: entry.slipping,
            });
        }
    }
    Ok(TeamPage {
        nav: Some(Nav::new(user, "/team")),
        month: month.to_string(),
        month_label: format::month(month),
        year: month.year,
        prev: month.prev().to_string(),
        next: month.next().to_string(),
        teams,
        pending,
        pending_total: format::thousands(pending_total),
        pending_more,
        readiness,
        readiness_cut,
        recomputing: crate::service::stored_scores::recomputing(state).await?,
    })
}

/// How long a check-in has waited, in words: "waiting since today", "waiting 1 day", "waiting 9 days".
fn waiting(age: chrono::TimeDelta) -> String {
    match age.num_days().max(0) {
        0 => "waiting since today".into(),
        1 => "waiting 1 day".into(),
        n => format!("waiting {n} days"),
    }
}

// ---- Reviewing a check-in ----------------------------------------------------------------------

pub struct NoteView {
    pub note: CoachingNote,
    pub metric_name: String,
    /// The KRA's value in the note's month and in the latest month since, to see whether it moved.
    pub then: String,
    pub now: String,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    nav: Option<Nav>,
    csrf: String,
    employee_id: EmployeeId,
    name: String,
    checkin: Checkin,
    picked: Vec<Accomplishment>,
    metrics: Vec<(String, String)>,
    /// The month's KRA figures, as the KRA page shows them.
    kras: Vec<format::KraRow>,
    month_label: String,
    total: String,
    rating: String,
    notes: Vec<NoteView>,
    /// "the newest 500 of 1,234" when the notes run past the table.
    notes_cut: Option<String>,
    flags: Vec<crate::service::wellbeing::FlagView>,
    follow_up: String,
    error: Option<String>,
}

/// A check-in by id: a missing one is a 404, any other failure stays an internal error.
async fn stored_checkin(state: &AppState, id: i64) -> ApiResult<Checkin> {
    ladder_store::records::checkin(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("check-in"),
        other => other.into(),
    })
}

async fn review_page(
    state: &AppState,
    user: &WebUser,
    checkin_id: i64,
    error: Option<String>,
) -> ApiResult<ReviewPage> {
    let checkin = stored_checkin(state, checkin_id).await?;
    let employee = visible_employee(state, &user.me, checkin.employee_id).await?;
    records::require_review(state, &user.me, &employee).await?;
    let picked = records::picked_accomplishments(state, &user.me, &employee, &checkin).await?;
    let card = scorecards::employee_scorecard(state, &user.me, &employee, Month::of(checkin.month)).await?;
    let metrics = match &card.scorecard {
        Some(c) => c
            .kras
            .iter()
            .map(|k| {
                (
                    k.metric.to_string(),
                    state.framework.metric(&k.metric).map_or_else(|| k.metric.to_string(), |m| m.name.clone()),
                )
            })
            .collect(),
        None => state.framework.metrics.iter().map(|m| (m.id.clone(), m.name.clone())).collect(),
    };
    let kras =
        card.scorecard.as_ref().map(|c| c.kras.iter().map(|k| format::KraRow::of(&state.framework, k)).collect());
    let (rating, _) = format::rating(card.scorecard.as_ref(), &card.month_state, "no rating");
    let total = format::score(card.scorecard.as_ref().and_then(|c| c.total));
    let month_label = format::month(Month::of(checkin.month));
    let mut metrics: Vec<(String, String)> = metrics;
    metrics.push((records::WELLBEING_TOPIC.into(), records::WELLBEING_TOPIC_NAME.into()));
    // The month's well-being flags, to raise in the talk (a leader may read the person's shifts).
    let flags = crate::service::wellbeing::month_flags(state, &user.me, employee.id, checkin.month).await?;
    let today = Utc::now().date_naive();
    let since = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let actuals = ladder_store::kra::actuals(&state.db, employee.id, since, Month::of(today).first_day()).await?;
    let notes = records::coaching_notes(state, &user.me, &employee, &PageSpec::first(MAX_LIMIT)).await?;
    let notes_cut = super::pager::cut_note(&notes, "the newest");
    let notes = notes
        .items
        .into_iter()
        .map(|n| {
            let metric = state.framework.metric(&n.metric);
            let unit = metric.map_or(ladder_core::framework::Unit::Count, |m| m.unit);
            let at = |month: NaiveDate| {
                actuals
                    .iter()
                    .find(|a| a.metric == n.metric && a.month == month)
                    .map(|a| scorecards::actual_view(state, a).value)
            };
            let note_month = Month::of(n.created_at.date_naive()).first_day();
            let latest = actuals.iter().filter(|a| a.metric == n.metric && a.month > note_month).map(|a| a.month).max();
            NoteView {
                metric_name: match metric {
                    Some(m) => m.name.clone(),
                    None if n.metric == records::WELLBEING_TOPIC => records::WELLBEING_TOPIC_NAME.into(),
                    None => n.metric.clone(),
                },
                then: format::value(at(note_month).flatten(), unit),
                now: latest.map_or_else(|| "no figures since".into(), |m| format::value(at(m).flatten(), unit)),
                note: n,
            }
        })
        .collect();
    Ok(ReviewPage {
        nav: Some(Nav::new(user, "/team")),
        csrf: user.csrf.clone(),
        employee_id: employee.id,
        name: employee.name,
        checkin,
        picked,
        metrics,
        kras: kras.unwrap_or_default(),
        month_label,
        total,
        rating,
        notes,
        notes_cut,
        flags,
        follow_up: state.framework.settings.default_follow_up(today).to_string(),
        error,
    })
}

pub async fn review(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Page<impl Template>> {
    Ok(Page(review_page(&state, &user, id, None).await?))
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    follow_up: String,
}

pub async fn acknowledge(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AckForm>,
) -> PageResult<Response> {
    let result: ApiResult<&str> = async {
        let checkin = stored_checkin(&state, id).await?;
        let employee = visible_employee(&state, &user.me, checkin.employee_id).await?;
        let coaching = if f.note.trim().is_empty() {
            None
        } else {
            let follow_up = ladder_core::dates::parse(&f.follow_up)
                .map_err(|e| ApiError::invalid("follow_up", format!("pick a follow-up date: {e}")))?;
            Some(CoachingInput { metric: f.metric.clone(), note: f.note.clone(), follow_up })
        };
        let input = AcknowledgeInput { comment: f.comment.clone(), coaching };
        records::acknowledge_checkin(&state, &user.me, &employee, id, &input).await?;
        // Someone who reviewed their own check-in (a personal Ladder) goes back to it.
        Ok(if user.me.actor.employee_id == Some(employee.id) { "/checkin" } else { "/team" })
    }
    .await;
    match result {
        Ok(back) => Ok(Redirect::to(back).into_response()),
        Err(e)
            if e.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY
                || e.status == axum::http::StatusCode::CONFLICT =>
        {
            form_again(e, |error| async { Ok(Page(review_page(&state, &user, id, Some(error)).await?)) }).await
        }
        Err(e) => Err(e.into()),
    }
}
