//! KRA plans: the plan each role is given (from the framework's role templates), and each
//! person's yearly plans — a new one from a promotion date — with their lines.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use ladder_core::framework::{Framework, KraTemplate};
use ladder_core::scoring::KraPlan;

use super::calendar::{at, plus_days, Calendar};
use super::catalogue::{ROLES_USED, TL};
use super::org::{Kind, Person};
use super::records::{next, Ctx, Ids};
use super::tables::{T_PLANS, T_PLAN_LINES};
use super::writer::Writer;
use crate::{Result, StoreError};

/// The plan for each role, from its template; back-office team leaders are measured on the
/// team's back-office KRAs instead of CSAT, FCR and AHT.
pub(super) struct RolePlans {
    by_role: HashMap<&'static str, Arc<KraPlan>>,
    back_office_leader: Arc<KraPlan>,
}

impl RolePlans {
    pub(super) fn new(framework: &Framework) -> Result<RolePlans> {
        let mut by_role = HashMap::new();
        for role in ROLES_USED {
            if let Ok(plan) = KraPlan::for_role(framework, role) {
                by_role.insert(*role, Arc::new(plan));
            }
        }
        let bo_template = [
            ("accuracy", 20.0),
            ("sla-compliance", 20.0),
            ("qa-score", 15.0),
            ("transactions-per-hour", 10.0),
            ("attendance", 10.0),
            ("coaching-completion", 15.0),
            ("attrition", 10.0),
        ]
        .map(|(metric, weight)| KraTemplate {
            metric: metric.into(),
            weight,
            threshold: None,
            target: None,
            stretch: None,
        });
        let back_office_leader = match KraPlan::from_template(framework, "team-leader/back-office", TL, &bo_template) {
            Ok(p) => Arc::new(p),
            Err(_) => by_role
                .get(TL)
                .cloned()
                .ok_or_else(|| StoreError::Invalid("the team-leader role has no KRA template".into()))?,
        };
        Ok(RolePlans { by_role, back_office_leader })
    }

    /// The plan for `role` on an account that is (or is not) back office.
    fn for_role(&self, role: &'static str, back_office: bool) -> Option<Arc<KraPlan>> {
        if role == TL && back_office {
            return Some(self.back_office_leader.clone());
        }
        self.by_role.get(role).cloned()
    }
}

/// A plan in force from a date.
pub(super) struct PlanSpan {
    pub(super) from: NaiveDate,
    pub(super) plan: Arc<KraPlan>,
}

/// Writes the person's plans (one a year, and one from each promotion) with their lines; returns
/// them in date order.
pub(super) fn write_plans(ctx: &Ctx, p: &Person, w: &mut Writer, ids: &mut Ids) -> Vec<PlanSpan> {
    let back_office = p.account.is_some_and(|a| ctx.org.accounts[a].lob.back_office);
    let currency = ctx.org.sites[p.site].info.currency;
    let pay_base: i64 = match p.kind {
        Kind::Agent => 3_000,
        Kind::Senior => 4_500,
        Kind::Leader => 8_000,
        Kind::Qa | Kind::Trainer | Kind::Wfm => 6_000,
        Kind::Ops => 20_000,
        Kind::Head => 45_000,
    };
    let mut plans: Vec<PlanSpan> = Vec::new();
    for from in plan_starts(p, &ctx.cal) {
        let Some(role) = p.role_on(from) else { continue };
        let Some(plan) = ctx.plans.for_role(role, back_office) else { continue };
        let id = next(&mut ids.plan);
        let role_name = ctx.fw.role(role).map_or(role, |r| r.name.as_str());
        let name = if from.month() == 1 && from.day() == 1 {
            format!("{} KRAs: {role_name}", from.year())
        } else {
            format!("{} KRAs: {role_name} from {}", from.year(), from.format("%-d %B"))
        };
        let updated = at(plus_days(from, -((id % 9) + 2)), 8, (id % 50) as u32);
        w.row(
            T_PLANS,
            [
                id.into(),
                p.id.into(),
                i64::from(from.year()).into(),
                from.into(),
                name.into(),
                role.into(),
                (pay_base * 100).into(),
                currency.into(),
                updated.into(),
            ],
        );
        for (i, k) in plan.kras.iter().enumerate() {
            w.row(
                T_PLAN_LINES,
                [
                    id.into(),
                    (i as i64 + 1).into(),
                    k.metric.clone().into(),
                    k.weight.into(),
                    k.limits.threshold.into(),
                    k.limits.target.into(),
                    k.limits.stretch.into(),
                ],
            );
        }
        plans.push(PlanSpan { from, plan });
    }
    plans
}

/// The days a plan starts: each year of the history from January (or the hire date), and each
/// promotion within a year.
fn plan_starts(p: &Person, cal: &Calendar) -> Vec<NaiveDate> {
    let mut starts: Vec<NaiveDate> = Vec::new();
    for year in cal.months[0].year..=cal.as_of.year() {
        let jan = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
        let dec = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid date");
        if p.hire <= dec {
            starts.push(jan.max(p.hire));
        }
        for s in &p.spells[1..] {
            if s.from > jan && s.from <= dec && s.from > p.hire {
                starts.push(s.from);
            }
        }
    }
    starts.sort();
    starts.dedup();
    starts
}
