//! The market view (issue 28): for each framework role, what the open imported postings pay
//! (median and quartiles of the monthly midpoint, overall, by location and by shift), and the
//! share of remote postings and of postings with a signing bonus. Pay figures are in the
//! role's most common currency (postings in other currencies are counted, not mixed in).

use std::collections::BTreeMap;

use chrono::Utc;
use ladder_core::access::Action;
use ladder_core::postings::market::{midpoint, quartiles, share, Quartiles};
use ladder_store::postings::{market_rows, market_rows_of_role, MarketRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::explore::MarketPay;
use crate::state::AppState;

/// Groups (locations) smaller than this are folded into "other", so the list stays readable.
const MIN_GROUP: usize = 3;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleMarket {
    pub role: String,
    pub role_name: String,
    /// Open postings matched to the role.
    pub postings: usize,
    /// The currency of the pay figures; null when no posting gives pay.
    pub currency: Option<String>,
    /// Monthly pay in minor units of `currency`.
    #[schema(value_type = Option<Object>)]
    pub pay: Option<Quartiles>,
    pub by_location: Vec<GroupPay>,
    pub by_shift: Vec<GroupPay>,
    /// Percent of the role's postings.
    pub remote_percent: f64,
    pub signing_bonus_percent: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupPay {
    pub group: String,
    #[schema(value_type = Object)]
    pub pay: Quartiles,
}

/// The market view over the postings open today, roles in the framework's order.
pub async fn market(state: &AppState, me: &Me) -> ApiResult<Vec<RoleMarket>> {
    me.require(Action::SearchJobs)?;
    let rows = market_rows(&state.db, Utc::now().date_naive()).await?;
    let mut by_role: BTreeMap<&str, Vec<&MarketRow>> = BTreeMap::new();
    for r in &rows {
        by_role.entry(r.role_id.as_str()).or_default().push(r);
    }
    Ok(state
        .framework
        .roles
        .iter()
        .filter_map(|role| by_role.get(role.id.as_str()).map(|rows| summarise(&role.id, &role.name, rows)))
        .collect())
}

/// The fewest postings with pay a role's figures are shown from: fewer say nothing reliable.
pub const MIN_PAID_POSTINGS: usize = 5;

/// What the open postings pay for `role`, for the explorer's role page (public: figures over
/// imported postings, no one's own data); `None` under [`MIN_PAID_POSTINGS`] postings with pay.
pub async fn role_pay(state: &AppState, role: &str) -> ApiResult<Option<MarketPay>> {
    let Some(found) = state.framework.role(role) else { return Ok(None) };
    let rows = market_rows_of_role(&state.db, Utc::now().date_naive(), role).await?;
    let refs: Vec<&MarketRow> = rows.iter().collect();
    let m = summarise(&found.id, &found.name, &refs);
    Ok(match (m.pay, m.currency) {
        (Some(pay), Some(currency)) if pay.count >= MIN_PAID_POSTINGS => Some(MarketPay {
            postings: u32::try_from(m.postings).unwrap_or(u32::MAX),
            currency,
            monthly_low: pay.q1,
            monthly_median: pay.median,
            monthly_high: pay.q3,
            remote_percent: Some(m.remote_percent),
        }),
        _ => None,
    })
}

/// One role's figures.
pub fn summarise(role: &str, name: &str, rows: &[&MarketRow]) -> RoleMarket {
    let currency = most_common(rows.iter().filter(|r| r.pay_month_max.is_some()).filter_map(|r| r.currency.clone()));
    let paid: Vec<(&MarketRow, i64)> = rows
        .iter()
        .filter(|r| r.currency == currency)
        .filter_map(|r| Some((*r, midpoint(r.pay_month_min?, r.pay_month_max?))))
        .collect();
    let pays: Vec<i64> = paid.iter().map(|(_, p)| *p).collect();
    RoleMarket {
        role: role.to_string(),
        role_name: name.to_string(),
        postings: rows.len(),
        pay: quartiles(&pays),
        currency: currency.filter(|_| !pays.is_empty()),
        by_location: grouped(&paid, |r| place(r.location.as_deref())),
        by_shift: grouped(&paid, |r| r.shift.clone().unwrap_or_else(|| "not stated".into())),
        remote_percent: share(rows.iter().filter(|r| r.arrangement == "remote").count(), rows.len()),
        signing_bonus_percent: share(rows.iter().filter(|r| r.signing_bonus).count(), rows.len()),
    }
}

/// The town of a location: the first place's first part ("Makati, Metro Manila, PH; Cebu" →
/// "Makati").
fn place(location: Option<&str>) -> String {
    let first = location.and_then(|l| l.split(';').next()).and_then(|p| p.split(',').next()).map(str::trim);
    first.filter(|p| !p.is_empty()).unwrap_or("not stated").to_string()
}

fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(v, _)| v)
}

/// Quartiles per group, largest group first; groups under [`MIN_GROUP`] pays go into "other".
fn grouped(paid: &[(&MarketRow, i64)], key: impl Fn(&MarketRow) -> String) -> Vec<GroupPay> {
    let mut groups: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (r, pay) in paid {
        groups.entry(key(r)).or_default().push(*pay);
    }
    let mut other = Vec::new();
    let mut out: Vec<GroupPay> = Vec::new();
    for (group, pays) in groups {
        if pays.len() < MIN_GROUP {
            other.extend(pays);
        } else if let Some(pay) = quartiles(&pays) {
            out.push(GroupPay { group, pay });
        }
    }
    out.sort_by_key(|g| std::cmp::Reverse(g.pay.count));
    if let Some(pay) = quartiles(&other) {
        out.push(GroupPay { group: "other".into(), pay });
    }
    out
}
