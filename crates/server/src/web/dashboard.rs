//! Home's panels for people who look after others: a leader's queue (check-ins to review) and
//! who is slipping; a manager's, HR's or an admin's pipeline and headcount at a glance. Each
//! panel links to the page with the whole picture.

use chrono::Utc;
use ladder_core::access::Access;
use ladder_core::period::Month;
use ladder_core::EmployeeId;

use super::format::{self, thousands};
use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::headcount::{self, Level};
use crate::service::listing::PageSpec;
use crate::service::pipeline::{self, PipelineQuery};
use crate::service::records;
use crate::state::AppState;

/// People named in a panel at most; the linked page lists them all.
const NAMED: usize = 5;

pub struct Named {
    pub href: String,
    pub name: String,
    pub note: String,
}

pub struct Glance {
    pub month: String,
    pub people: String,
    pub joiners: String,
    pub leavers: String,
    pub attrition: String,
}

pub struct Stages {
    pub total: String,
    pub ready: String,
    pub nearly: String,
    pub developing: String,
}

#[derive(Default)]
pub struct Dashboard {
    /// A leader's check-ins waiting for review (`None`: not a leader).
    pub queue: Option<Vec<Named>>,
    /// How many wait in all ("1,204 waiting"): the queue names the oldest few.
    pub queue_total: String,
    /// People whose score is falling faster than the framework allows (`None`: not shown).
    pub slipping: Option<Vec<Named>>,
    pub slipping_total: String,
    pub pipeline: Option<Stages>,
    pub headcount: Option<Glance>,
}

pub async fn dashboard(state: &AppState, me: &Me) -> ApiResult<Dashboard> {
    let access = me.actor.access;
    let mut d = Dashboard::default();
    if access == Access::TeamLeader {
        let pending = records::pending_checkins(state, me, &PageSpec::first(NAMED as u32)).await?;
        d.queue_total = format!("{} waiting", thousands(pending.total));
        let queue = pending
            .items
            .into_iter()
            .map(|p| Named {
                href: format!("/team/checkins/{}", p.checkin.id),
                name: p.employee_name,
                note: format::month(Month::of(p.checkin.month)),
            })
            .collect();
        d.queue = Some(queue);
    }
    if matches!(access, Access::TeamLeader | Access::Manager | Access::Hr | Access::Admin) {
        let q = PipelineQuery { slipping: Some(true), limit: Some(NAMED as u32), ..PipelineQuery::default() };
        let slipping = pipeline::pipeline(state, me, &q).await?;
        d.slipping_total = thousands(slipping.total);
        d.slipping =
            Some(slipping.items.into_iter().map(|e| named(e.employee_id, e.name, e.trend_per_month)).collect());
    }
    if matches!(access, Access::Manager | Access::Hr | Access::Admin) {
        let s = pipeline::summary(state, me, &PipelineQuery::default().filter()).await?;
        d.pipeline = Some(Stages {
            total: thousands(s.total),
            ready: thousands(s.ready),
            nearly: thousands(s.nearly),
            developing: thousands(s.developing),
        });
        let month = Month::of(Utc::now().date_naive());
        let h = headcount::headcount(state, me, month, Level::Site).await?;
        d.headcount = Some(Glance {
            month: format::month(month),
            people: thousands(h.total.end),
            joiners: thousands(h.total.joiners),
            leavers: thousands(h.total.leavers),
            attrition: h.total.attrition.map_or_else(|| "—".into(), |a| format!("{:.1} %", a * 100.0)),
        });
    }
    Ok(d)
}

fn named(id: EmployeeId, name: String, trend: Option<f64>) -> Named {
    let note = trend.map_or_else(String::new, |t| format!("{t:+.1} points a month"));
    Named { href: format!("/people/{id}"), name, note }
}
