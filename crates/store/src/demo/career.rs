//! Career plans: the role a person aims for next, and the framework's fastest route there with a
//! horizon it fits in.

use std::collections::HashMap;

use ladder_core::planner::{self, PlanRequest};

use super::calendar::{at, plus_days};
use super::catalogue::{HEAD, OPS, QA, SENIOR, TL, TRAINER, WFM};
use super::org::{Kind, Person};
use super::records::Ctx;
use super::rng::Rng;
use super::tables::T_CAREER;
use super::writer::Writer;

/// Fastest routes between two roles: their roles and longest typical months.
pub(super) type RouteCache = std::sync::Mutex<HashMap<(&'static str, &'static str), Option<(Vec<String>, u32)>>>;

/// Writes a career plan for most people (always for the agent persona, who aims at team leader).
pub(super) fn write_career_plan(ctx: &Ctx, p: &Person, w: &mut Writer) {
    let mut rng = Rng::new(ctx.seed, "career", p.id as u64);
    if p.persona != Some("agent") && (p.kind == Kind::Head || !rng.chance(0.6)) {
        return;
    }
    let lob = p.account.map(|a| ctx.org.accounts[a].lob);
    let target: &'static str = match p.kind {
        Kind::Agent => rng.weighted(&[(TL, 5), (QA, 2), (TRAINER, 1), (WFM, 1), (lob.map_or(SENIOR, |l| l.senior), 3)]),
        Kind::Senior => rng.weighted(&[(TL, 5), (QA, 2), (TRAINER, 2), (WFM, 1)]),
        Kind::Qa | Kind::Trainer | Kind::Wfm => rng.weighted(&[(TL, 2), (OPS, 1)]),
        Kind::Leader => rng.weighted(&[(OPS, 4), ("transition-manager", 1)]),
        Kind::Ops => rng.weighted(&[(HEAD, 3), ("client-relationship-manager", 1)]),
        Kind::Head => HEAD,
    };
    let target = if p.persona == Some("agent") { TL } else { target };
    let current = p.role();
    if target == current {
        return;
    }
    let Some((path, months_max)) = route(ctx, current, target) else { return };
    // A horizon the route fits in, sometimes with a year to spare.
    let horizon = (i64::from(months_max.div_ceil(12)) + rng.int(0, 1)).clamp(1, 15);
    let path_json = serde_json::to_string(&path).expect("strings serialise");
    w.row(
        T_CAREER,
        [
            p.id.into(),
            target.into(),
            horizon.into(),
            path_json.into(),
            at(plus_days(ctx.cal.as_of, -rng.int(3, 200)), 12, rng.int(0, 59) as u32).into(),
        ],
    );
}

/// The fastest route's roles and its longest typical duration in months (kept per pair of roles).
fn route(ctx: &Ctx, from: &'static str, to: &'static str) -> Option<(Vec<String>, u32)> {
    let mut cache = ctx.routes.lock().expect("not poisoned");
    cache
        .entry((from, to))
        .or_insert_with(|| {
            let request = PlanRequest {
                from: from.to_string(),
                to: to.to_string(),
                months_in_role: 0,
                start: ctx.cal.as_of,
                horizon_months: 180,
                alternatives: 0,
            };
            planner::plan(ctx.fw, &request).ok().map(|p| (p.fastest.roles, p.fastest.months_max))
        })
        .clone()
}
