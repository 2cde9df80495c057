//! Monthly check-ins (what went well, blockers, asks, the shared accomplishments) with the
//! leader's acknowledgement and comment, and a coaching note on a KRA that fell short.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ladder_core::framework::Framework;
use ladder_core::period::Month;

use super::actuals::{BestWorst, Standing};
use super::calendar::{at, plus_days};
use super::org::Person;
use super::records::{next, Ctx, Ids};
use super::rng::Rng;
use super::tables::{T_CHECKINS, T_COACHING};
use super::writer::Writer;

/// Writes the person's check-ins, most months (all but a few of the latest acknowledged), when
/// there is a leader with a sign-in to review them. `best_worst` comes from the month's actuals
/// and `shared_by_month` lists the shared accomplishments.
pub(super) fn write_checkins(
    ctx: &Ctx,
    p: &Person,
    best_worst: &BestWorst,
    shared_by_month: &HashMap<Month, Vec<i64>>,
    w: &mut Writer,
    ids: &mut Ids,
) {
    let Some(reviewer) = ctx.user_of(p.manager) else { return };
    let cal = &ctx.cal;
    let last = cal.months.len() - 1;
    for (mi, m) in cal.months.iter().enumerate() {
        if p.hire > m.last_day() {
            continue;
        }
        let mut rng = Rng::new(ctx.seed, "checkins", (p.id as u64) << 8 | mi as u64);
        let persona_latest = p.persona == Some("agent") && mi == last;
        if !persona_latest && !rng.chance(if mi == last { 0.7 } else { 0.86 }) {
            continue;
        }
        let id = next(&mut ids.checkin);
        let (best, worst) = best_worst.get(&mi).cloned().unwrap_or((None, None));
        let (highlights, blockers, asks) = checkin_text(ctx.fw, &best, &worst, &mut rng);
        let ids_text = shared_by_month
            .get(m)
            .map(|v| v.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
            .unwrap_or_default();
        let submitted =
            at(plus_days(m.next().first_day(), rng.int(0, 3)), 9 + rng.int(0, 8) as u32, rng.int(0, 59) as u32);
        let pending = persona_latest || (mi == last && rng.chance(0.35)) || (mi != last && rng.chance(0.06));
        let (ack_at, comment) =
            if pending { (None, None) } else { acknowledgement(ctx.fw, submitted, &best, &worst, &mut rng) };
        w.row(
            T_CHECKINS,
            [
                id.into(),
                p.id.into(),
                m.first_day().into(),
                highlights.into(),
                ids_text.into(),
                blockers.into(),
                asks.into(),
                submitted.into(),
                ack_at.into(),
                ack_at.map(|_| reviewer).into(),
                comment.into(),
            ],
        );
        if let (Some(ack), Some((metric, value, target))) = (ack_at, &worst) {
            if rng.chance(0.4) {
                let action = rng.pick(coaching_actions(metric));
                let note = format!(
                    "{} was {} against a target of {}. Agreed: {action}",
                    metric_name(ctx.fw, metric),
                    fmt_value(ctx.fw, metric, *value),
                    fmt_value(ctx.fw, metric, *target)
                );
                w.row(
                    T_COACHING,
                    [
                        next(&mut ids.coaching).into(),
                        p.id.into(),
                        id.into(),
                        reviewer.into(),
                        (&**metric).into(),
                        note.into(),
                        plus_days(ack.date_naive(), 14).into(),
                        ack.into(),
                    ],
                );
            }
        }
    }
}

/// A check-in's highlights (the best KRA), blockers and asks (often about the worst KRA).
fn checkin_text(fw: &Framework, best: &Standing, worst: &Standing, rng: &mut Rng) -> (String, String, String) {
    let name = |m: &str| metric_name(fw, m);
    let fmt = |metric: &str, v: f64| fmt_value(fw, metric, v);
    let highlights = match best {
        Some((b, v, t)) => {
            format!("{} at {} (target {}). {}", name(b), fmt(b, *v), fmt(b, *t), rng.pick(HIGHLIGHT_TAILS))
        }
        None => "Settling into the role; learning the process and the tools.".to_string(),
    };
    let blockers = if rng.chance(0.55) { rng.pick(BLOCKERS).to_string() } else { String::new() };
    let asks = match (worst, rng.unit()) {
        (Some((w_, _, _)), r) if r < 0.45 => format!("Side-by-side coaching on {}.", name(w_).to_lowercase()),
        (_, r) if r < 0.75 => rng.pick(ASKS).to_string(),
        _ => String::new(),
    };
    (highlights, blockers, asks)
}

/// When the leader acknowledged a check-in submitted at `submitted`, and their comment if any.
fn acknowledgement(
    fw: &Framework,
    submitted: DateTime<Utc>,
    best: &Standing,
    worst: &Standing,
    rng: &mut Rng,
) -> (Option<DateTime<Utc>>, Option<String>) {
    let ack = submitted + chrono::Duration::hours(rng.int(4, 24 * 6));
    let comment = if rng.chance(0.65) {
        Some(match (best, worst) {
            (Some((b, ..)), Some((w_, ..))) => format!(
                "Good work on {}. Let's keep {} in focus next month.",
                metric_name(fw, b).to_lowercase(),
                metric_name(fw, w_).to_lowercase()
            ),
            _ => rng.pick(COMMENTS).to_string(),
        })
    } else {
        None
    };
    (Some(ack), comment)
}

fn metric_name(fw: &Framework, metric: &str) -> String {
    fw.metric(metric).map_or(metric.to_string(), |x| x.name.clone())
}

fn fmt_value(fw: &Framework, metric: &str, v: f64) -> String {
    use ladder_core::framework::Unit;
    match fw.metric(metric).map(|m| m.unit) {
        Some(Unit::Percent) => format!("{v:.1} %"),
        Some(Unit::Seconds) => format!("{v:.0} s"),
        Some(Unit::PerHour) => format!("{v:.1}/h"),
        Some(Unit::Hours) => format!("{v:.1} h"),
        Some(Unit::Days) => format!("{v:.0} days"),
        Some(Unit::Points) => format!("{v:.1} points"),
        Some(Unit::Count) | None => format!("{v:.0}"),
    }
}

const HIGHLIGHT_TAILS: &[&str] = &[
    "Best KRA this month.",
    "Kept it up even in the peak weeks.",
    "The side-by-side sessions are paying off.",
    "Customers noticed: two compliments this month.",
    "Steady month overall.",
];
const BLOCKERS: &[&str] = &[
    "CRM was slow or down on two afternoons; handle times went up.",
    "Long waits for the billing team on transfers.",
    "The knowledge-base article on refunds is out of date.",
    "Night shift this month made it hard to attend the refresher.",
    "Headset kept dropping calls; IT ticket still open.",
    "Policy change mid-month caused repeat contacts.",
];
const ASKS: &[&str] = &[
    "Would like to shadow the QA team for a day.",
    "Access to the advanced troubleshooting course.",
    "Move to the day shift next month if possible.",
    "More calls from the escalation queue to build experience.",
    "Feedback on my last two audited contacts.",
];
const COMMENTS: &[&str] = &[
    "Thanks for the update. Keep it up.",
    "I raised the downtime with IT; let's see next month.",
    "Good month. Let's talk about the QA shadowing in our 1:1.",
    "Noted the blocker; I've escalated it to the process owner.",
];
/// What a leader and an agent agree to do about a KRA that fell short.
fn coaching_actions(metric: &str) -> &'static [&'static str] {
    match metric {
        "aht" => &[
            "use the wrap-up template and review after-contact work daily for two weeks.",
            "practise the three longest call types with the senior agent; hold only when needed.",
        ],
        "fcr" | "escalation-rate" | "transfer-rate" => &[
            "shadow a senior agent for two half-days on escalated cases.",
            "check the knowledge base before transferring; review repeat contacts each Friday.",
        ],
        "csat" | "nps" => &[
            "listen to two top-scored calls together and use the same call flow for a week.",
            "practise the empathy statements from the refresher on every contact this week.",
        ],
        "qa-score" | "accuracy" | "error-rate" => &[
            "refresher on the verification steps; QA to re-audit five contacts.",
            "use the checklist on every item for two weeks; leader spot-checks ten a week.",
        ],
        "adherence" | "attendance" => &[
            "log in five minutes early and keep breaks to schedule; review adherence weekly.",
            "talk to WFM about a shift that fits; agreed to flag absences before the shift.",
        ],
        "sla-compliance" | "turnaround-time" | "transactions-per-hour" | "backlog" => &[
            "work the oldest items first each morning; daily check on items near their SLA.",
            "set a personal hourly target and check it at each huddle.",
        ],
        _ => &["set a personal target for the month and review it at each one-to-one."],
    }
}
