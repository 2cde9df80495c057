//! The year-end summary (issue 26, "The money and the year"): each month's score and rating,
//! the year's result as the scorecard computes the year to date (a ratio of sums over the
//! year's figures), the bonus earned, and what the year held — accomplishments, certifications
//! earned, training completed, role changes and check-ins. The same figures for the page and
//! the API.

use chrono::{Datelike, NaiveDate, Utc};
use ladder_core::access::{allowed, Action};
use ladder_core::period::Month;
use ladder_core::EmployeeId;
use ladder_store::org::Employee;
use ladder_store::records::{self as store, AccomplishmentFilter, CertificationStatus, TrainingStatus};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::kra_sheet::check_year;
use super::scorecards::{self, DataState, TrendPoint};
use crate::auth::Me;
use crate::error::ApiResult;
use crate::state::AppState;

/// The year's result: the year-to-date scorecard through its last month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearResult {
    /// The last month counted: December, or for the year under way its last full month; none
    /// while no month of the year has ended (then there is no result yet).
    #[schema(value_type = Option<String>, example = "2025-12")]
    pub through: Option<Month>,
    pub total: Option<f64>,
    pub rating: Option<u8>,
    pub rating_label: Option<String>,
    pub data: DataState,
    /// The payout share of variable pay the year's result earns, per cent.
    pub payout_percent: Option<f64>,
    /// The bonus earned over the year's months, in major units of `currency`: the payout share
    /// of the variable pay of each month counted the person was employed in, at the plan in
    /// force that month (none without a variable pay on the plans, or without a score).
    pub bonus: Option<f64>,
    pub currency: Option<String>,
    /// The months employed whose variable pay the bonus counts.
    pub pay_months: Option<u32>,
    /// Gates that fired over the year and what each did to the rating or the payout, in words.
    pub gates: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Highlight {
    pub date: NaiveDate,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Earned {
    pub certification_id: String,
    pub name: String,
    pub earned_date: NaiveDate,
    /// Whether the evidence is verified (a claim waiting or rejected is shown, not counted).
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Completed {
    pub title: String,
    pub provider: String,
    pub hours: f64,
    pub completed_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleChange {
    pub from_date: NaiveDate,
    pub role_id: String,
    pub role_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearSummary {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub year: i32,
    /// Whether the year has any KRA figures at all.
    pub has_figures: bool,
    /// January to December: each month's score and rating, or why there is none.
    pub months: Vec<TrendPoint>,
    pub result: YearResult,
    /// Accomplishments dated in the year that the caller may see (all for the person, shared
    /// ones for others).
    pub accomplishments: u64,
    /// The shared ones, newest first.
    pub highlights: Vec<Highlight>,
    pub certifications: Vec<Earned>,
    pub training: Vec<Completed>,
    /// Roles taken up during the year.
    pub role_changes: Vec<RoleChange>,
    /// Check-ins sent for months of the year, and how many the leader reviewed.
    pub checkins: u64,
    pub checkins_reviewed: u64,
}

/// The last month the year's result counts: December of a past year, the last full month of
/// the year under way; none while no month of the year has ended (a half-finished January is
/// not a year's result).
fn through(year: i32, today: NaiveDate) -> Option<Month> {
    let last_full = Month::last_full(today);
    match last_full.year.cmp(&year) {
        std::cmp::Ordering::Greater => Month::new(year, 12),
        std::cmp::Ordering::Equal => Some(last_full),
        std::cmp::Ordering::Less => None,
    }
}

fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

/// The person's year, for whoever may see the person's KRAs (the person, their leaders, HR).
pub async fn summary(state: &AppState, me: &Me, employee: &Employee, year: i32) -> ApiResult<YearSummary> {
    me.require(Action::ViewPerson(employee.placement()))?;
    check_year(year)?;
    let december = Month::new(year, 12).expect("December");
    let months = scorecards::trend(state, me, employee, december, 12).await?;
    let result = year_result(state, me, employee, through(year, Utc::now().date_naive())).await?;
    let (accomplishments, highlights) = accomplishments(state, me, employee, year).await?;
    let certifications = store::certifications(&state.db, employee.id)
        .await?
        .into_iter()
        .filter(|c| c.status == CertificationStatus::Earned)
        .filter_map(|c| {
            let earned_date = c.earned_date.filter(|d| in_year(*d, year))?;
            let name = state.framework.certification(&c.certification_id).map(|x| x.name.clone());
            Some(Earned {
                name: name.unwrap_or_else(|| c.certification_id.clone()),
                verified: c.held(),
                certification_id: c.certification_id,
                earned_date,
            })
        })
        .collect();
    let training = store::training(&state.db, employee.id)
        .await?
        .into_iter()
        .filter(|t| t.status == TrainingStatus::Done)
        .filter_map(|t| {
            let completed_date = t.completed_date.filter(|d| in_year(*d, year))?;
            Some(Completed { title: t.title, provider: t.provider, hours: t.hours, completed_date })
        })
        .collect();
    let role_changes = ladder_store::org::role_history(&state.db, employee.id)
        .await?
        .into_iter()
        .filter(|r| in_year(r.from_date, year))
        .map(|r| RoleChange {
            from_date: r.from_date,
            role_name: super::career::role_name(state, &r.role_id),
            role_id: r.role_id,
        })
        .collect();
    let checkins: Vec<_> =
        store::checkins(&state.db, employee.id).await?.into_iter().filter(|c| in_year(c.month, year)).collect();
    Ok(YearSummary {
        employee_id: employee.id,
        employee_name: employee.name.clone(),
        year,
        has_figures: months.iter().any(|m| m.data.state != "no-data"),
        months,
        result,
        accomplishments,
        highlights,
        certifications,
        training,
        role_changes,
        checkins_reviewed: checkins.iter().filter(|c| c.acknowledged_at.is_some()).count() as u64,
        checkins: checkins.len() as u64,
    })
}

/// The scorecard's year to date through `through`, with the bonus it earns: the year's payout
/// share of the variable pay of the months the person was employed in (a leaver's, a joiner's,
/// a pay change's months each at their own pay), not the last month's pay times twelve.
async fn year_result(state: &AppState, me: &Me, employee: &Employee, through: Option<Month>) -> ApiResult<YearResult> {
    let Some(through) = through else {
        return Ok(YearResult {
            through: None,
            total: None,
            rating: None,
            rating_label: None,
            data: DataState::of(state, None),
            payout_percent: None,
            bonus: None,
            currency: None,
            pay_months: None,
            gates: Vec::new(),
        });
    };
    let card = scorecards::employee_scorecard(state, me, employee, through).await?;
    let ytd = card.year_to_date.as_ref().filter(|_| card.year_to_date_state.scored());
    let payout = ytd.filter(|y| y.total.is_some()).map(|y| y.payout_percent);
    let base = super::plans::pay_base(state, employee, through).await?;
    let earned = payout.zip(base.as_ref()).map(|(pct, base)| {
        let pct = Decimal::from_f64(pct).unwrap_or_default();
        ((base.amount * pct / Decimal::ONE_HUNDRED).round_dp(2), base)
    });
    Ok(YearResult {
        through: Some(through),
        total: ytd.and_then(|y| y.total),
        rating: ytd.and_then(|y| y.rating),
        rating_label: ytd.and_then(|y| y.rating_label.as_deref().map(str::to_string)),
        payout_percent: payout,
        bonus: earned.as_ref().and_then(|(b, _)| b.to_f64()),
        currency: earned.as_ref().map(|(_, base)| base.currency.clone()),
        pay_months: earned.as_ref().map(|(_, base)| base.months),
        gates: ytd
            .map(|y| y.gates.iter().map(|g| super::score_state::gate_words(&state.framework.scoring, g)).collect())
            .unwrap_or_default(),
        data: card.year_to_date_state,
    })
}

/// How many log entries of the year the caller may see, and the shared ones (newest first).
async fn accomplishments(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    year: i32,
) -> ApiResult<(u64, Vec<Highlight>)> {
    let filter = AccomplishmentFilter {
        shared_only: !allowed(&me.actor, Action::ViewPrivateItem(employee.placement())),
        from: NaiveDate::from_ymd_opt(year, 1, 1),
        to: NaiveDate::from_ymd_opt(year, 12, 31),
        ..Default::default()
    };
    let count = store::count_accomplishments(&state.db, employee.id, &filter).await?;
    let shared = AccomplishmentFilter { shared_only: true, limit: Some(HIGHLIGHTS), ..filter };
    let highlights = store::accomplishments(&state.db, employee.id, &shared)
        .await?
        .into_iter()
        .map(|a| Highlight { date: a.date, title: a.title })
        .collect();
    Ok((count, highlights))
}

/// The most shared accomplishments the summary lists.
const HIGHLIGHTS: i64 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_past_year_counts_to_december_and_the_year_under_way_to_its_last_full_month() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(through(2025, today), Month::new(2025, 12));
        assert_eq!(through(2026, today), Month::new(2026, 11));
        assert_eq!(through(2027, today), None, "a year not begun has no result");
        let january = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert_eq!(through(2026, january), Month::new(2026, 12));
        assert_eq!(through(2027, january), None, "January under way: no full month yet");
        let february = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert_eq!(through(2027, february), Month::new(2027, 1));
    }
}
