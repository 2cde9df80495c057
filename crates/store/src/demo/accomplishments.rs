//! Accomplishments: a few entries per person from templates that suit their work (voice, chat,
//! back office, leading, quality, training, planning, managing), shared or kept private.

use std::collections::HashMap;

use ladder_core::period::Month;

use super::calendar::{at, plus_days};
use super::catalogue::{Lob, CHAT, DEO, PA, SPA};
use super::org::{Kind, Person, Trend};
use super::records::{next, Ctx, Ids};
use super::rng::Rng;
use super::tables::T_ACCOMPLISHMENTS;
use super::writer::Writer;

/// Writes the person's accomplishments; returns the ids of the shared ones by month (a check-in
/// lists them).
pub(super) fn write_accomplishments(ctx: &Ctx, p: &Person, w: &mut Writer, ids: &mut Ids) -> HashMap<Month, Vec<i64>> {
    let (org, cal) = (ctx.org, &ctx.cal);
    let lob = p.account.map(|a| org.accounts[a].lob);
    let group = Group::of(p, lob);
    let mut rng = Rng::new(ctx.seed, "accomplishments", p.id as u64);
    let count = if p.persona == Some("agent") {
        5
    } else {
        (rng.range(0.0, 2.6) + p.ability * 0.8 + if p.trend == Trend::Improving { 0.7 } else { 0.0 }).clamp(0.0, 6.0)
            as usize
    };
    let templates: Vec<&Template> = TEMPLATES.iter().filter(|t| t.groups.contains(&group)).collect();
    let earliest = p.hire.max(cal.months[0].first_day());
    let span_days = (cal.as_of - earliest).num_days().max(1);
    let mut shared_by_month: HashMap<Month, Vec<i64>> = HashMap::new();
    for i in 0..count {
        if templates.is_empty() {
            break;
        }
        let t = templates[(rng.next_u64() % templates.len() as u64) as usize];
        let id = next(&mut ids.accomplishment);
        let date = plus_days(earliest, rng.int(0, span_days));
        let impact = if t.unit.is_empty() { None } else { Some((rng.range(t.lo, t.hi) * 10.0).round() / 10.0) };
        // Counts are whole; rates, hours and points keep a decimal.
        let fractional =
            ["%", "hours", "points", "per hour", " s "].iter().any(|u| format!(" {} ", t.unit).contains(u));
        let impact = impact.map(|v| if fractional { v } else { v.round().max(1.0) });
        // The persona keeps one entry private, to show the difference.
        let shared = if p.persona == Some("agent") { i != 1 } else { rng.chance(0.65) };
        let client = lob.map_or("the client", |_| org.accounts[p.account.unwrap_or(0)].name.as_str());
        let details = t.details.replace("{client}", client);
        w.row(
            T_ACCOMPLISHMENTS,
            [
                id.into(),
                p.id.into(),
                date.into(),
                t.title.into(),
                details.into(),
                impact.into(),
                (!t.unit.is_empty()).then_some(t.unit).into(),
                stored_list(t.tags).into(),
                stored_list(t.kras).into(),
                stored_list(t.skills).into(),
                shared.into(),
                at(date, 11 + (id % 8) as u32, (id % 60) as u32).into(),
            ],
        );
        if shared {
            shared_by_month.entry(Month::of(date)).or_default().push(id);
        }
    }
    shared_by_month
}

/// A list as `records` stores it: ",a,b," (so a filter is `LIKE '%,a,%'`), or "" when empty.
fn stored_list(items: &str) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(",{items},")
    }
}

/// Who an accomplishment template suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Voice,
    Chat,
    BackOffice,
    Leader,
    Quality,
    Training,
    Planning,
    Manager,
}

impl Group {
    fn of(p: &Person, lob: Option<&Lob>) -> Group {
        match p.kind {
            Kind::Head | Kind::Ops => Group::Manager,
            Kind::Leader => Group::Leader,
            Kind::Qa => Group::Quality,
            Kind::Trainer => Group::Training,
            Kind::Wfm => Group::Planning,
            Kind::Senior | Kind::Agent => match p.role() {
                CHAT => Group::Chat,
                PA | DEO | SPA => Group::BackOffice,
                _ if lob.is_some_and(|l| l.back_office) => Group::BackOffice,
                _ => Group::Voice,
            },
        }
    }
}

/// An accomplishment as someone in one of `groups` would write it; `{client}` in the details is
/// the account's name, and the impact is drawn between `lo` and `hi` in `unit`.
struct Template {
    groups: &'static [Group],
    title: &'static str,
    details: &'static str,
    unit: &'static str,
    lo: f64,
    hi: f64,
    tags: &'static str,
    kras: &'static str,
    skills: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        groups: &[Group::Voice, Group::Chat],
        title: "Turned around an escalated billing complaint",
        details: "The customer asked to cancel over a double charge; I traced the overcharge, fixed it on the same contact and kept the account with {client}.",
        unit: "customers retained",
        lo: 1.0,
        hi: 3.0,
        tags: "retention,customer-praise",
        kras: "csat,fcr",
        skills: "empathy,problem-solving",
    },
    Template {
        groups: &[Group::Voice, Group::Chat],
        title: "Named in customer compliments",
        details: "Customers mentioned me by name in the post-contact survey.",
        unit: "compliments",
        lo: 1.0,
        hi: 5.0,
        tags: "customer-praise",
        kras: "csat",
        skills: "communication,customer-service",
    },
    Template {
        groups: &[Group::Voice, Group::Chat],
        title: "Cut after-contact work with a notes template",
        details: "Built a wrap-up template for the five most common dispositions and shared it with the team.",
        unit: "s lower handle time",
        lo: 15.0,
        hi: 60.0,
        tags: "productivity,process-improvement",
        kras: "aht",
        skills: "crm-proficiency,process-improvement",
    },
    Template {
        groups: &[Group::Voice, Group::Chat, Group::BackOffice],
        title: "Perfect quality audits for the month",
        details: "Every audited contact scored 100 % with no fatal errors.",
        unit: "audits at 100 %",
        lo: 3.0,
        hi: 8.0,
        tags: "quality",
        kras: "qa-score",
        skills: "compliance,attention-to-detail",
    },
    Template {
        groups: &[Group::Voice, Group::Chat, Group::BackOffice],
        title: "Buddied new hires through nesting",
        details: "Sat with the new batch during their nesting weeks and answered floor questions.",
        unit: "new hires supported",
        lo: 1.0,
        hi: 4.0,
        tags: "mentoring",
        kras: "",
        skills: "coaching,training-delivery",
    },
    Template {
        groups: &[Group::Voice, Group::Chat],
        title: "Fixed a knowledge-base article behind repeat contacts",
        details: "Spotted that customers called back after following an outdated article; rewrote it with the process owner.",
        unit: "% fewer repeat contacts",
        lo: 3.0,
        hi: 12.0,
        tags: "process-improvement,knowledge-base",
        kras: "fcr",
        skills: "product-knowledge,critical-thinking",
    },
    Template {
        groups: &[Group::Voice, Group::Chat, Group::BackOffice],
        title: "Full attendance for the quarter",
        details: "No unplanned absence and on time for every shift, nights included.",
        unit: "shifts without absence",
        lo: 58.0,
        hi: 66.0,
        tags: "attendance",
        kras: "attendance",
        skills: "time-management",
    },
    Template {
        groups: &[Group::Chat],
        title: "Handled three concurrent chats at full quality",
        details: "Moved up to three concurrent chats during the sale peak while keeping CSAT above target.",
        unit: "chats per hour",
        lo: 6.0,
        hi: 10.0,
        tags: "productivity,peak",
        kras: "sla-compliance,csat",
        skills: "typing-speed-accuracy,time-management",
    },
    Template {
        groups: &[Group::BackOffice],
        title: "Cleared the aged claims backlog",
        details: "Volunteered for weekend overtime and cleared claims past their SLA for {client}.",
        unit: "claims cleared",
        lo: 80.0,
        hi: 400.0,
        tags: "backlog,sla",
        kras: "sla-compliance",
        skills: "time-management",
    },
    Template {
        groups: &[Group::BackOffice],
        title: "Zero errors on audited claims",
        details: "Every audited claim this month passed without a correction.",
        unit: "claims audited",
        lo: 150.0,
        hi: 400.0,
        tags: "quality,accuracy",
        kras: "accuracy",
        skills: "attention-to-detail,compliance",
    },
    Template {
        groups: &[Group::BackOffice],
        title: "Built a macro that pre-fills member details",
        details: "A spreadsheet macro now fills member and policy fields from the intake form.",
        unit: "hours saved a week",
        lo: 2.0,
        hi: 10.0,
        tags: "automation,productivity",
        kras: "transactions-per-hour",
        skills: "crm-proficiency,process-improvement",
    },
    Template {
        groups: &[Group::Leader],
        title: "Lifted team CSAT three months running",
        details: "Weekly call-listening sessions and a shared list of phrases that work.",
        unit: "points of CSAT",
        lo: 2.0,
        hi: 8.0,
        tags: "team,customer-praise",
        kras: "csat",
        skills: "coaching,people-management",
    },
    Template {
        groups: &[Group::Leader],
        title: "Brought team attrition under target",
        details: "Stay interviews with every agent and a buddy for each new hire.",
        unit: "fewer leavers than last quarter",
        lo: 1.0,
        hi: 4.0,
        tags: "retention,team",
        kras: "attrition",
        skills: "people-management",
    },
    Template {
        groups: &[Group::Leader, Group::Quality],
        title: "Ran calibration across teams",
        details: "Monthly calibration with three team leaders and QA; scoring gaps closed.",
        unit: "evaluators calibrated",
        lo: 4.0,
        hi: 12.0,
        tags: "quality,calibration",
        kras: "qa-score",
        skills: "quality-auditing",
    },
    Template {
        groups: &[Group::Quality],
        title: "Found the root cause of a fatal-error spike",
        details: "Traced auto-fails to a missing disclosure in the new script and got it fixed.",
        unit: "% fewer fatal errors",
        lo: 20.0,
        hi: 60.0,
        tags: "quality,compliance",
        kras: "audit-completion",
        skills: "quality-auditing,data-analysis",
    },
    Template {
        groups: &[Group::Training],
        title: "Graduated a training batch ahead of schedule",
        details: "Redesigned the nesting plan with daily mock calls.",
        unit: "days faster to proficiency",
        lo: 3.0,
        hi: 10.0,
        tags: "training,new-hires",
        kras: "time-to-proficiency",
        skills: "training-delivery",
    },
    Template {
        groups: &[Group::Planning],
        title: "Re-forecast the holiday peak",
        details: "Rebuilt the interval forecast from last year's peak and the client's campaign calendar.",
        unit: "% forecast error",
        lo: 2.0,
        hi: 5.0,
        tags: "forecasting,peak",
        kras: "forecast-error,service-level",
        skills: "workforce-planning,data-analysis",
    },
    Template {
        groups: &[Group::Manager],
        title: "Won a contract renewal",
        details: "Quarterly business reviews with {client} ended in a renewal with a larger scope.",
        unit: "months of contract extension",
        lo: 12.0,
        hi: 36.0,
        tags: "client,growth",
        kras: "sla-compliance",
        skills: "stakeholder-management,business-acumen",
    },
    Template {
        groups: &[Group::Manager, Group::Leader],
        title: "Promoted agents from within",
        details: "Built an SME track; agents from the account moved up this year.",
        unit: "internal promotions",
        lo: 2.0,
        hi: 9.0,
        tags: "people,career",
        kras: "attrition",
        skills: "people-management,coaching",
    },
];
