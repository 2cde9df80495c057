//! A realistic sample organisation, generated from a seed: sites, client accounts, teams, people
//! with role histories, yearly KRA plans from the framework's role templates, monthly actuals,
//! accomplishments, skills, certifications, training, check-ins, coaching notes and career plans,
//! plus one sign-in per persona (agent, team leader, manager, HR, admin).
//!
//! **Deterministic**: the same [`DemoSpec`] (seed included) gives the same rows, ids and
//! timestamps, byte for byte; nothing reads the clock or the database's id sequences. Every row is
//! derived from a random stream keyed by the seed and the row's owner, so the order rows are
//! written in does not change them.
//!
//! **Fast**: rows go straight into the schema with explicit ids, in large transactions —
//! multi-row prepared `INSERT`s on SQLite and `COPY … FROM STDIN` on PostgreSQL — so the same
//! generator builds a 100,000-employee organisation for the benchmarks. It needs an empty
//! database (migrated, with no organisation).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ladder_core::access::Access;
use ladder_core::framework::{Framework, KraTemplate};
use ladder_core::metric::Direction;
use ladder_core::period::Month;
use ladder_core::planner::{self, PlanRequest};
use ladder_core::scoring::{KraLine, KraPlan};
use serde::{Deserialize, Serialize};

use crate::{Db, Result, StoreError};

mod calendar;
mod catalogue;
mod org;
mod rng;
mod tables;
mod writer;

use calendar::*;
use catalogue::*;
use org::*;
use rng::Rng;
use tables::*;
use writer::{Writer, V};

// ───────────────────────────────────────────────────────────────────────────────────────────────
// What to build, and what was built
// ───────────────────────────────────────────────────────────────────────────────────────────────

/// The size and shape of the sample organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSpec {
    pub seed: u64,
    pub sites: usize,
    /// Client accounts (lines of business), spread over the sites.
    pub accounts: usize,
    /// Front-line teams, each with a team leader (each account also gets a support team of
    /// quality analysts, trainers and WFM analysts, led by its operations manager).
    pub teams: usize,
    /// Everyone: agents, team leaders, support functions, managers and site heads.
    pub employees: usize,
    /// Months of KRA history, ending with `through`.
    pub months: u32,
    pub through: Month,
}

impl Default for DemoSpec {
    /// 3 sites, 6 accounts, 40 teams, 600 people, 12 months ending with the last full month.
    fn default() -> DemoSpec {
        DemoSpec::scaled(600)
    }
}

impl DemoSpec {
    /// A spec for `employees` people with sites, accounts and teams in proportion: about 13 agents
    /// per team leader (span of control 1:10–1:16, kpis.md §3.3), about 400 people per account and
    /// 3,000 per site, and never fewer than 3 sites and 6 accounts.
    pub fn scaled(employees: usize) -> DemoSpec {
        let teams = (employees / 15).max(1);
        let accounts = (employees / 400).max(6).min(teams);
        let sites = (employees / 3000).max(3).min(accounts);
        DemoSpec {
            seed: 2026,
            sites,
            accounts,
            teams,
            employees,
            months: 12,
            through: DemoSpec::last_full_month(Utc::now().date_naive()),
        }
    }

    /// The last month that has ended by `today`.
    pub fn last_full_month(today: NaiveDate) -> Month {
        Month::of(today).prev()
    }

    /// The fewest people this shape needs: a head per site, an operations manager and three
    /// support staff per account, a leader and two agents per team.
    pub fn min_employees(&self) -> usize {
        self.sites + self.accounts * 4 + self.teams * 3
    }

    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(StoreError::Invalid(m));
        if self.sites == 0 || self.accounts == 0 || self.teams == 0 {
            return bad("a demo needs at least one site, account and team".into());
        }
        if self.accounts < self.sites {
            return bad(format!(
                "{} accounts cannot cover {} sites (one account at least per site)",
                self.accounts, self.sites
            ));
        }
        if self.teams < self.accounts {
            return bad(format!(
                "{} teams cannot cover {} accounts (one team at least per account)",
                self.teams, self.accounts
            ));
        }
        if !(1..=120).contains(&self.months) {
            return bad("months must be 1 to 120".into());
        }
        if self.employees < self.min_employees() {
            return bad(format!(
                "{} employees are too few for {} sites, {} accounts and {} teams (at least {})",
                self.employees,
                self.sites,
                self.accounts,
                self.teams,
                self.min_employees()
            ));
        }
        Ok(())
    }
}

/// Where generation is: `done` of `total` people written in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: u64,
    pub total: u64,
}

/// A persona one can sign in as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignIn {
    /// "agent", "team leader", "manager", "site head", "HR", "admin".
    pub persona: String,
    pub email: String,
    pub access: Access,
    pub employee_id: Option<i64>,
    pub employee_code: Option<String>,
    pub name: String,
    /// The role and where they sit, in words.
    pub description: String,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSummary {
    pub organisation: String,
    pub seed: u64,
    pub first_month: Month,
    pub through: Month,
    /// Rows written per table, in the order written.
    pub rows: Vec<(String, u64)>,
    pub sign_ins: Vec<SignIn>,
}

impl DemoSummary {
    pub fn count(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
    }
}

/// The domain of the demo sign-ins.
pub const EMAIL_DOMAIN: &str = "northstar.example";
const ORGANISATION: &str = "Northstar BPO Services";

// ───────────────────────────────────────────────────────────────────────────────────────────────
// KRA figures
// ───────────────────────────────────────────────────────────────────────────────────────────────

/// Fastest routes between two roles: their roles and longest typical months.
type RouteCache = std::sync::Mutex<HashMap<(&'static str, &'static str), Option<(Vec<String>, u32)>>>;

/// A KRA's metric, value and target in one month.
type Standing = Option<(Arc<str>, f64, f64)>;

/// Everything per-person generation needs to look up.
struct Ctx<'a> {
    seed: u64,
    fw: &'a Framework,
    org: &'a Org,
    cal: Calendar,
    plans: HashMap<&'static str, Arc<KraPlan>>,
    back_office_leader_plan: Arc<KraPlan>,
    routes: RouteCache,
    users_by_employee: HashMap<i64, i64>,
}

/// One month's sums of one metric.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    num: f64,
    den: f64,
}

/// A plan in force from a date, with its id.
struct PlanSpan {
    from: NaiveDate,
    plan: Arc<KraPlan>,
}

/// The monthly figures a team's agents produced, for their leader's roll-up.
type Rollup = HashMap<(usize, Arc<str>), Sum>;

/// Metrics whose numerator counts things (rounded to whole numbers).
fn counts(metric: &str) -> bool {
    !matches!(
        metric,
        "attendance" | "occupancy" | "shrinkage" | "turnaround-time" | "calibration-variance" | "gross-margin"
    )
}

/// The monthly volume behind a metric (its denominator), for one person.
fn denominator(metric: &str, kind: Kind, lob: Option<&Lob>, scope: f64, m: Month, rng: &mut Rng, p: &Person) -> f64 {
    let days = workdays(m);
    let month_share = days / 21.7;
    let peak = lob.and_then(|l| l.peak.iter().find(|(mm, _)| *mm == m.month)).map_or(1.0, |(_, f)| *f);
    let contacts = lob.map_or(900.0, |l| l.monthly_volume) * month_share * p.volume * peak * rng.range(0.93, 1.07);
    let evals = rng.int(4, 8) as f64;
    let v = match metric {
        "aht" | "fcr" | "transfer-rate" | "escalation-rate" | "conversion-rate" => contacts * scope,
        "csat" | "nps" => (contacts * scope * rng.range(0.06, 0.12)).round().max(3.0),
        "qa-score" => match kind {
            Kind::Trainer => rng.int(15, 30) as f64 * 100.0,
            _ => evals * 100.0 * scope.sqrt(),
        },
        "fatal-errors" => evals,
        "adherence" => (days * 480.0 * p.volume * scope).round(),
        "attendance" | "shrinkage" => (days * 8.0 * p.volume * scope).round(),
        "occupancy" => (days * 7.0 * scope).round(),
        "service-level" | "abandonment-rate" | "forecast-error" => (contacts * scope * 1.08).round(),
        "accuracy" | "error-rate" => rng.int(250, 600) as f64,
        "transactions-per-hour" => (days * 6.5 * p.volume).round(),
        "turnaround-time" | "sla-compliance" => (contacts * scope).round(),
        "backlog" => (days * rng.range(30.0, 80.0) * scope.sqrt()).round(),
        "coaching-completion" => match kind {
            Kind::Leader => (scope * 3.0).round().max(4.0),
            _ => rng.int(16, 30) as f64,
        },
        "attrition" => scope.max(1.0),
        "training-attrition" => rng.int(12, 25) as f64,
        "time-to-proficiency" => rng.int(8, 20) as f64,
        "audit-completion" => days * 8.0,
        "calibration-variance" => rng.int(6, 12) as f64,
        "milestone-on-time" => rng.int(4, 10) as f64,
        "client-satisfaction" => rng.int(3, 8) as f64,
        "gross-margin" => (scope * rng.range(1.3, 1.6) * 1000.0).round(),
        _ => 100.0,
    };
    v.max(1.0).round()
}

/// A value on the metric's display scale for a person whose "form" this month is `s`
/// (0 = on target, +1 = at stretch, −1 = at threshold).
fn value_for(line: &KraLine, s: f64, rng: &mut Rng) -> f64 {
    let l = line.limits;
    let v = match line.direction {
        Direction::Higher | Direction::Lower => {
            l.target
                + s * (l.target - l.threshold)
                    * if s > 0.0 { ((l.stretch - l.target) / (l.target - l.threshold)).abs().max(0.4) } else { 1.0 }
        }
        Direction::Band => {
            (l.target + l.stretch) / 2.0 + rng.normal() * (l.stretch - l.target) * 0.45 - s.min(0.0) * 4.0
        }
    };
    // Shares stop at 100 %, except those whose stretch lies beyond (e.g. audits done ÷ planned).
    let max = match line.scale == 100.0 {
        true if l.stretch > 100.0 => l.stretch * 1.05,
        true => 100.0,
        false => f64::INFINITY,
    };
    let min = if &*line.metric == "nps" { -100.0 } else { 0.0 };
    v.clamp(min, max)
}

impl Ctx<'_> {
    fn plan_for(&self, p: &Person, role: &'static str) -> Option<Arc<KraPlan>> {
        let back_office = p.account.is_some_and(|a| self.org.accounts[a].lob.back_office);
        if role == TL && back_office {
            return Some(self.back_office_leader_plan.clone());
        }
        self.plans.get(role).cloned()
    }

    fn user_of(&self, employee: Option<i64>) -> Option<i64> {
        employee.and_then(|e| self.users_by_employee.get(&e).copied())
    }

    /// The fastest route's roles and its longest typical duration in months.
    fn route(&self, from: &'static str, to: &'static str) -> Option<(Vec<String>, u32)> {
        let mut cache = self.routes.lock().expect("not poisoned");
        cache
            .entry((from, to))
            .or_insert_with(|| {
                let request = PlanRequest {
                    from: from.to_string(),
                    to: to.to_string(),
                    months_in_role: 0,
                    start: self.cal.as_of,
                    horizon_months: 180,
                    alternatives: 0,
                };
                planner::plan(self.fw, &request).ok().map(|p| (p.fastest.roles, p.fastest.months_max))
            })
            .clone()
    }
}

/// Ids handed out as rows are made.
#[derive(Default)]
struct Ids {
    plan: i64,
    accomplishment: i64,
    skill: i64,
    cert: i64,
    training: i64,
    checkin: i64,
    coaching: i64,
}

fn next(counter: &mut i64) -> i64 {
    *counter += 1;
    *counter
}

/// Writes one person's records. Agents add their KRA sums to `rollup`; a team leader reads the
/// team's sums from it.
fn person_records(ctx: &Ctx, p: &Person, rollup: &mut Rollup, team_size: usize, w: &mut Writer, ids: &mut Ids) {
    let seed = ctx.seed;
    let org = ctx.org;
    let cal = &ctx.cal;
    let lob = p.account.map(|a| org.accounts[a].lob);
    let site = &org.sites[p.site];
    let leader_user = ctx.user_of(p.manager);
    let my_user = p.user;

    // ---- Yearly KRA plans (and a new one from a promotion date) ----
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
    let mut plans: Vec<PlanSpan> = Vec::new();
    let pay_base: i64 = match p.kind {
        Kind::Agent => 3_000,
        Kind::Senior => 4_500,
        Kind::Leader => 8_000,
        Kind::Qa | Kind::Trainer | Kind::Wfm => 6_000,
        Kind::Ops => 20_000,
        Kind::Head => 45_000,
    };
    for from in starts {
        let Some(role) = p.role_on(from) else { continue };
        let Some(plan) = ctx.plan_for(p, role) else { continue };
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
                site.info.currency.into(),
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

    // ---- Monthly actuals ----
    // Each KRA has a personal bias (someone can be quick but less accurate), then the month's
    // form: ability, the trend over the year, new-in-role ramp-up and noise.
    let n = cal.months.len() as f64;
    let mut best_worst: HashMap<usize, (Standing, Standing)> = HashMap::new();
    let mut metric_bias: HashMap<Arc<str>, f64> = HashMap::new();
    let manual_months = {
        let mut r = Rng::new(seed, "manual", p.id as u64);
        (0..cal.months.len()).filter(|_| r.chance(0.03)).collect::<Vec<_>>()
    };
    for (mi, m) in cal.months.iter().enumerate() {
        if p.hire > m.last_day() {
            continue;
        }
        let Some(span) = plans.iter().rev().find(|s| s.from <= m.last_day()) else { continue };
        let mut rng = Rng::new(seed, "actuals", (p.id as u64) << 8 | mi as u64);
        let role_since = p.spells.iter().rev().find(|s| s.from <= m.last_day()).map_or(p.hire, |s| s.from);
        let months_in_role = (m.ordinal() - Month::of(role_since).ordinal()).max(0) as f64;
        let ramp = (3.0 - months_in_role).max(0.0) * 0.35;
        let form = 0.3 + 0.55 * p.ability + p.slope * (mi as f64 - (n - 1.0) / 2.0) - ramp + rng.normal() * 0.28;
        let bad_attendance = rng.chance(p.absence_risk);
        let fatal = if matches!(p.kind, Kind::Agent | Kind::Senior) && rng.chance(p.fatal_risk) {
            if rng.chance(0.1) {
                2.0
            } else {
                1.0
            }
        } else {
            0.0
        };
        let manual = manual_months.contains(&mi);
        let updated_import = at(plus_days(m.next().first_day(), 1), 2, (p.id % 60) as u32);
        let updated_manual = at(plus_days(m.next().first_day(), 4), 10, (p.id % 60) as u32);
        let scope = match p.kind {
            Kind::Ops | Kind::Wfm => p.account.map_or(1.0, |a| org.accounts[a].headcount as f64 * 0.8),
            Kind::Head => {
                org.accounts.iter().filter(|a| a.site == p.site).map(|a| a.headcount as f64).sum::<f64>() * 0.8
            }
            Kind::Leader => team_size as f64,
            _ => 1.0,
        };
        let mut month_values: Vec<(Arc<str>, f64, f64, f64)> = Vec::new();
        let mut qa_audits = None;
        for line in &span.plan.kras {
            let metric = &line.metric;
            let bias = *metric_bias
                .entry(metric.clone())
                .or_insert_with(|| Rng::new(seed, &format!("bias/{metric}"), p.id as u64).normal() * 0.35);
            let (num, den, source) = if p.kind == Kind::Leader && rollup.contains_key(&(mi, metric.clone())) {
                let s = rollup[&(mi, metric.clone())];
                (s.num, s.den, "import")
            } else {
                let den = denominator(metric, p.kind, lob, scope, *m, &mut rng, p);
                let num = if &**metric == "fatal-errors" {
                    fatal
                } else if &**metric == "attendance" && bad_attendance {
                    den * rng.range(0.8, 0.895)
                } else {
                    let v = value_for(line, form + bias, &mut rng);
                    let mut num = v / line.scale * den;
                    if &**metric == "qa-score" && fatal > 0.0 {
                        // An auto-fail evaluation earns 0 points.
                        num = (num - 100.0 * fatal).max(0.0);
                    }
                    num
                };
                let num = if counts(metric) { rng.round(num) } else { (num * 100.0).round() / 100.0 };
                let num = if line.scale == 100.0
                    && line.direction != Direction::Band
                    && counts(metric)
                    && &**metric != "audit-completion"
                {
                    num.min(den)
                } else {
                    num
                };
                let source = if manual || &**metric == "coaching-completion" { "manual" } else { "import" };
                (num, den, source)
            };
            let updated = if source == "manual" { updated_manual } else { updated_import };
            w.row(
                T_ACTUALS,
                [
                    p.id.into(),
                    m.first_day().into(),
                    metric.clone().into(),
                    num.into(),
                    den.into(),
                    V::Static(source),
                    updated.into(),
                ],
            );
            if matches!(p.kind, Kind::Agent | Kind::Senior) {
                let e = rollup.entry((mi, metric.clone())).or_default();
                e.num += num;
                e.den += den;
            }
            let value = if line.is_ratio { num / den * line.scale } else { num * line.scale };
            // How far above (+) or below (−) target, in threshold-to-target steps.
            let span_t = (line.limits.target - line.limits.threshold).abs().max(1e-9);
            let standing = match line.direction {
                Direction::Higher => (value - line.limits.target) / span_t,
                Direction::Lower => (line.limits.target - value) / span_t,
                Direction::Band => {
                    if value < line.limits.target {
                        (value - line.limits.target) / span_t
                    } else if value > line.limits.stretch {
                        (line.limits.stretch - value) / span_t
                    } else {
                        0.5
                    }
                }
            };
            month_values.push((metric.clone(), value, line.limits.target, standing));
            if &**metric == "qa-score" {
                qa_audits = Some(den / 100.0);
            }
        }
        // Fatal errors are not a weighted KRA but a gate (framework `[[scoring.gate]]`): the QA
        // export carries them next to the audit scores.
        if let (Some(audits), Kind::Agent | Kind::Senior) = (qa_audits, p.kind) {
            let source = if manual { "manual" } else { "import" };
            let updated = if manual { updated_manual } else { updated_import };
            w.row(
                T_ACTUALS,
                [
                    p.id.into(),
                    m.first_day().into(),
                    V::Static("fatal-errors"),
                    fatal.into(),
                    audits.round().max(1.0).into(),
                    V::Static(source),
                    updated.into(),
                ],
            );
        }
        let best = month_values.iter().max_by(|a, b| a.3.total_cmp(&b.3)).map(|(m, v, t, _)| (m.clone(), *v, *t));
        let worst = month_values
            .iter()
            .filter(|x| x.3 < 0.0)
            .min_by(|a, b| a.3.total_cmp(&b.3))
            .map(|(m, v, t, _)| (m.clone(), *v, *t));
        best_worst.insert(mi, (best, worst));
    }

    // ---- Accomplishments ----
    let group = Group::of(p, lob);
    let mut rng = Rng::new(seed, "accomplishments", p.id as u64);
    let count = if p.persona == Some("agent") {
        5
    } else {
        (rng.range(0.0, 2.6) + p.ability * 0.8 + if p.trend == Trend::Improving { 0.7 } else { 0.0 }).clamp(0.0, 6.0)
            as usize
    };
    let templates: Vec<&Template> = TEMPLATES.iter().filter(|t| t.groups.contains(&group)).collect();
    let earliest = p.hire.max(cal.months[0].first_day());
    let span_days = (cal.as_of - earliest).num_days().max(1);
    let mut month_accomplishments: HashMap<Month, Vec<i64>> = HashMap::new();
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
            month_accomplishments.entry(Month::of(date)).or_default().push(id);
        }
    }

    // ---- Skill assessments: the skills the next role asks for ----
    let next_role = next_role(ctx.fw, p.role());
    let mut skills: Vec<(&str, u8)> = ctx
        .fw
        .role(next_role.unwrap_or(p.role()))
        .map(|r| r.requirements.skills.iter().map(|(k, v)| (k.as_str(), *v)).collect())
        .unwrap_or_default();
    if skills.is_empty() {
        skills = ctx
            .fw
            .role(p.role())
            .map(|r| r.requirements.skills.iter().map(|(k, v)| (k.as_str(), *v)).collect())
            .unwrap_or_default();
    }
    let mut rng = Rng::new(seed, "skills", p.id as u64);
    let tenure_years = (cal.as_of - p.hire).num_days() as f64 / 365.0;
    let rounds = [plus_days(cal.as_of, -(30 * 6 + 10)), plus_days(cal.as_of, -rng.int(5, 50))];
    for (skill, wanted) in &skills {
        let true_level =
            (f64::from(*wanted) - 0.6 + p.ability * 0.5 + (tenure_years * 0.15).min(0.6) + rng.normal() * 0.5)
                .round()
                .clamp(1.0, 5.0) as i64;
        for (r, day) in rounds.iter().enumerate() {
            if *day < p.hire {
                continue;
            }
            let level = if r == 0 { (true_level - i64::from(rng.chance(0.5))).max(1) } else { true_level };
            if rng.chance(if r == 0 { 0.7 } else { 0.85 }) {
                let self_level = (level + i64::from(rng.chance(0.35))).min(5);
                w.row(
                    T_SKILLS,
                    [
                        next(&mut ids.skill).into(),
                        p.id.into(),
                        (*skill).into(),
                        self_level.into(),
                        V::Static("self"),
                        my_user.into(),
                        at(*day, 9, rng.int(0, 59) as u32).into(),
                    ],
                );
            }
            if leader_user.is_some() && rng.chance(if r == 0 { 0.5 } else { 0.75 }) {
                let leader_level = (level - i64::from(rng.chance(0.2))).max(1);
                w.row(
                    T_SKILLS,
                    [
                        next(&mut ids.skill).into(),
                        p.id.into(),
                        (*skill).into(),
                        leader_level.into(),
                        V::Static("leader"),
                        leader_user.into(),
                        at(plus_days(*day, rng.int(1, 6)), 14, rng.int(0, 59) as u32).into(),
                    ],
                );
            }
        }
    }

    // ---- Certifications ----
    let mut rng = Rng::new(seed, "certifications", p.id as u64);
    let helpful: Vec<_> = ctx
        .fw
        .certifications
        .iter()
        .filter(|c| c.helps_roles.iter().any(|r| r == p.role() || Some(r.as_str()) == next_role))
        .collect();
    let n_certs = if p.persona == Some("agent") {
        1
    } else if rng.chance(0.1) {
        2
    } else if rng.chance(0.3) {
        1
    } else {
        0
    };
    let mut taken: Vec<&str> = Vec::new();
    for _ in 0..n_certs.min(helpful.len()) {
        let c = helpful[(rng.next_u64() % helpful.len() as u64) as usize];
        if taken.contains(&c.id.as_str()) {
            continue;
        }
        taken.push(c.id.as_str());
        let roll = rng.unit();
        let status = if p.persona == Some("agent") {
            "in-progress"
        } else if roll < 0.5 {
            "earned"
        } else if roll < 0.75 {
            "in-progress"
        } else {
            "planned"
        };
        let (planned, earned, expires) = match status {
            "earned" => {
                let mut earned = plus_days(p.hire, rng.int(90, (cal.as_of - p.hire).num_days().max(91)));
                if let Some(v) = c.validity_months {
                    // A few are close to expiry, so renewals show up.
                    if rng.chance(0.15) {
                        earned = plus_days(minus_months(cal.as_of, v), rng.int(10, 75));
                    }
                }
                let earned = earned.min(plus_days(cal.as_of, -7));
                (None, Some(earned), c.validity_months.map(|v| plus_months(earned, v)))
            }
            "in-progress" => (Some(plus_days(cal.as_of, rng.int(14, 75))), None, None),
            _ => (Some(plus_days(cal.as_of, rng.int(60, 200))), None, None),
        };
        w.row(
            T_CERTS,
            [
                next(&mut ids.cert).into(),
                p.id.into(),
                c.id.as_str().into(),
                status.into(),
                planned.into(),
                earned.into(),
                expires.into(),
            ],
        );
    }

    // ---- Training ----
    let mut rng = Rng::new(seed, "training", p.id as u64);
    let n_training = rng.int(1, 4);
    for _ in 0..n_training {
        let (skill, _) = if skills.is_empty() { ("product-knowledge", 3) } else { *rng.pick(&skills) };
        let skill_name = ctx.fw.skill(skill).map_or(skill, |s| s.name.as_str());
        let (kind, hours, title, provider) = match rng.int(0, 9) {
            0..=3 => (
                "course",
                rng.int(2, 16),
                format!("{skill_name}: fundamentals course"),
                *rng.pick(&["LinkedIn Learning", "In-house L&D", "Coursera"]),
            ),
            4 => ("bootcamp", rng.int(16, 40), format!("{skill_name} bootcamp"), "In-house L&D"),
            5 | 6 => (
                "mentoring",
                rng.int(6, 12),
                format!("Mentoring on {} with a senior colleague", skill_name.to_lowercase()),
                "Team",
            ),
            7 | 8 => {
                ("on-the-job", rng.int(8, 24), format!("{skill_name}: side-by-side practice on the floor"), "Team")
            }
            _ => ("other", rng.int(2, 6), format!("Reading and quiz: {}", skill_name.to_lowercase()), "Knowledge base"),
        };
        let roll = rng.unit();
        let (status, due, done) = if roll < 0.55 {
            let done = plus_days(cal.as_of, -rng.int(5, 300)).max(p.hire);
            ("done", Some(done), Some(done))
        } else if roll < 0.8 {
            ("in-progress", Some(plus_days(cal.as_of, rng.int(7, 60))), None)
        } else {
            ("planned", Some(plus_days(cal.as_of, rng.int(30, 150))), None)
        };
        w.row(
            T_TRAINING,
            [
                next(&mut ids.training).into(),
                p.id.into(),
                kind.into(),
                title.into(),
                provider.into(),
                (hours as f64).into(),
                status.into(),
                skill.into(),
                due.into(),
                done.into(),
            ],
        );
    }

    // ---- Check-ins and coaching notes ----
    if let Some(reviewer) = leader_user {
        let last = cal.months.len() - 1;
        for (mi, m) in cal.months.iter().enumerate() {
            if p.hire > m.last_day() {
                continue;
            }
            let mut rng = Rng::new(seed, "checkins", (p.id as u64) << 8 | mi as u64);
            let persona_latest = p.persona == Some("agent") && mi == last;
            if !persona_latest && !rng.chance(if mi == last { 0.7 } else { 0.86 }) {
                continue;
            }
            let id = next(&mut ids.checkin);
            let (best, worst) = best_worst.get(&mi).cloned().unwrap_or((None, None));
            let name = |m: &str| ctx.fw.metric(m).map_or(m.to_string(), |x| x.name.clone());
            let fmt = |metric: &str, v: f64| fmt_value(ctx.fw, metric, v);
            let highlights = match &best {
                Some((b, v, t)) => {
                    format!("{} at {} (target {}). {}", name(b), fmt(b, *v), fmt(b, *t), rng.pick(HIGHLIGHT_TAILS))
                }
                None => "Settling into the role; learning the process and the tools.".to_string(),
            };
            let blockers = if rng.chance(0.55) { rng.pick(BLOCKERS).to_string() } else { String::new() };
            let asks = match (&worst, rng.unit()) {
                (Some((w_, _, _)), r) if r < 0.45 => format!("Side-by-side coaching on {}.", name(w_).to_lowercase()),
                (_, r) if r < 0.75 => rng.pick(ASKS).to_string(),
                _ => String::new(),
            };
            let ids_text = month_accomplishments
                .get(m)
                .map(|v| v.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
                .unwrap_or_default();
            let submitted =
                at(plus_days(m.next().first_day(), rng.int(0, 3)), 9 + rng.int(0, 8) as u32, rng.int(0, 59) as u32);
            let pending = persona_latest || (mi == last && rng.chance(0.35)) || (mi != last && rng.chance(0.06));
            let (ack_at, ack_by, comment) = if pending {
                (None, None, None)
            } else {
                let ack = submitted + chrono::Duration::hours(rng.int(4, 24 * 6));
                let comment = if rng.chance(0.65) {
                    Some(match (&best, &worst) {
                        (Some((b, ..)), Some((w_, ..))) => format!(
                            "Good work on {}. Let's keep {} in focus next month.",
                            name(b).to_lowercase(),
                            name(w_).to_lowercase()
                        ),
                        _ => rng.pick(COMMENTS).to_string(),
                    })
                } else {
                    None
                };
                (Some(ack), Some(reviewer), comment)
            };
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
                    ack_by.into(),
                    comment.into(),
                ],
            );
            if let (Some(ack), Some((wm, v, t))) = (ack_at, &worst) {
                if rng.chance(0.4) {
                    let action = rng.pick(coaching_actions(wm));
                    let note = format!(
                        "{} was {} against a target of {}. Agreed: {action}",
                        name(wm),
                        fmt(wm, *v),
                        fmt(wm, *t)
                    );
                    w.row(
                        T_COACHING,
                        [
                            next(&mut ids.coaching).into(),
                            p.id.into(),
                            id.into(),
                            reviewer.into(),
                            (&**wm).into(),
                            note.into(),
                            plus_days(ack.date_naive(), 14).into(),
                            ack.into(),
                        ],
                    );
                }
            }
        }
    }

    // ---- Career plan ----
    let mut rng = Rng::new(seed, "career", p.id as u64);
    if p.persona == Some("agent") || (p.kind != Kind::Head && rng.chance(0.6)) {
        let target: &'static str = match p.kind {
            Kind::Agent => {
                rng.weighted(&[(TL, 5), (QA, 2), (TRAINER, 1), (WFM, 1), (lob.map_or(SENIOR, |l| l.senior), 3)])
            }
            Kind::Senior => rng.weighted(&[(TL, 5), (QA, 2), (TRAINER, 2), (WFM, 1)]),
            Kind::Qa | Kind::Trainer | Kind::Wfm => rng.weighted(&[(TL, 2), (OPS, 1)]),
            Kind::Leader => rng.weighted(&[(OPS, 4), ("transition-manager", 1)]),
            Kind::Ops => rng.weighted(&[(HEAD, 3), ("client-relationship-manager", 1)]),
            Kind::Head => HEAD,
        };
        let target = if p.persona == Some("agent") { TL } else { target };
        let current = p.role();
        if target != current {
            if let Some((path, months_max)) = ctx.route(current, target) {
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
                        at(plus_days(cal.as_of, -rng.int(3, 200)), 12, rng.int(0, 59) as u32).into(),
                    ],
                );
            }
        }
    }
}

/// The usual next role: the path out of `role` with the shortest typical stay.
fn next_role<'a>(fw: &'a Framework, role: &'a str) -> Option<&'a str> {
    fw.paths_from(role)
        .min_by(|a, b| a.months_expected().total_cmp(&b.months_expected()).then(a.to.cmp(&b.to)))
        .map(|p| p.to.as_str())
}

/// A list as `records` stores it: ",a,b," (so a filter is `LIKE '%,a,%'`), or "" when empty.
fn stored_list(items: &str) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(",{items},")
    }
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

// ───────────────────────────────────────────────────────────────────────────────────────────────
// Generation
// ───────────────────────────────────────────────────────────────────────────────────────────────

/// Fills an empty, migrated database with the sample organisation. `password_hash` is stored for
/// every demo sign-in (the caller hashes the demo password; the store does not hash). `progress`
/// is called as people are written.
pub async fn generate(
    db: &Db,
    framework: &Framework,
    spec: &DemoSpec,
    password_hash: &str,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<DemoSummary> {
    spec.check()?;
    for role in ROLES_USED {
        if framework.role(role).is_none() {
            return Err(StoreError::Invalid(format!("the demo needs the role '{role}' in the framework")));
        }
    }
    if crate::org::organisation(db).await?.is_some() {
        return Err(StoreError::Invalid("the database already holds an organisation; use a new, empty one".into()));
    }
    let total = spec.employees as u64;
    progress(Progress { stage: "planning", done: 0, total });

    let months: Vec<Month> = {
        let mut m = spec.through;
        let mut out = vec![m];
        for _ in 1..spec.months {
            m = m.prev();
            out.push(m);
        }
        out.reverse();
        out
    };
    let cal = Calendar { months, as_of: spec.through.last_day() };
    let mut org = build_org(spec);

    // KRA plans from the role templates; back-office team leaders are measured on the team's
    // back-office KRAs instead of CSAT, FCR and AHT.
    let mut plans = HashMap::new();
    for role in ROLES_USED {
        if let Ok(plan) = KraPlan::for_role(framework, role) {
            plans.insert(*role, Arc::new(plan));
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
    let back_office_leader_plan = match KraPlan::from_template(framework, "team-leader/back-office", TL, &bo_template) {
        Ok(p) => Arc::new(p),
        Err(_) => plans
            .get(TL)
            .cloned()
            .ok_or_else(|| StoreError::Invalid("the team-leader role has no KRA template".into()))?,
    };

    let mut w = Writer::new(db, TABLES);
    let created = at(minus_months(cal.months[0].first_day(), 3), 8, 0);

    // ---- Organisation, sites, accounts, teams ----
    w.row(T_ORG, [1i64.into(), ORGANISATION.into(), true.into()]);
    for s in &org.sites {
        w.row(
            T_SITES,
            [s.id.into(), 1i64.into(), s.name.as_str().into(), s.info.country.into(), s.info.timezone.into()],
        );
    }
    for a in &org.accounts {
        let client = a.name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let client = client.strip_suffix(a.lob.program).unwrap_or(client).trim();
        w.row(
            T_ACCOUNTS,
            [a.id.into(), org.sites[a.site].id.into(), a.name.as_str().into(), client.into(), a.lob.line.into()],
        );
    }
    for t in &org.teams {
        w.row(T_TEAMS, [t.id.into(), org.accounts[t.account].id.into(), t.name.as_str().into()]);
    }

    // ---- Users: admin, HR, then every leader and manager (before the people refer to them) ----
    let mut users_by_employee = HashMap::new();
    let mut sign_ins = Vec::new();
    let mut user_id = 0i64;
    let mut user_rows: Vec<[V; 10]> = Vec::new();
    let mut scope_rows: Vec<[V; 3]> = Vec::new();
    for (email, name, access, persona) in [
        (format!("admin@{EMAIL_DOMAIN}"), "Alex Tan", Access::Admin, "admin"),
        (format!("hr@{EMAIL_DOMAIN}"), "Hannah Reyes", Access::Hr, "HR"),
    ] {
        user_id += 1;
        user_rows.push(user_row(user_id, &email, name, access, None, password_hash, created));
        sign_ins.push(SignIn {
            persona: persona.into(),
            email,
            access,
            employee_id: None,
            employee_code: None,
            name: name.into(),
            description: match access {
                Access::Admin => "Administrator: users, invitations and the framework".into(),
                _ => "HR business partner: everyone's people data and the talent pipeline".into(),
            },
        });
    }
    for p in org.people.iter_mut() {
        let access = match (p.kind, p.persona) {
            (Kind::Head | Kind::Ops, _) => Access::Manager,
            (Kind::Leader, _) => Access::TeamLeader,
            (_, Some("agent")) => Access::Agent,
            _ => continue,
        };
        user_id += 1;
        p.user = Some(user_id);
        users_by_employee.insert(p.id, user_id);
        user_rows.push(user_row(user_id, &p.email, &p.name, access, Some(p.id), password_hash, created));
        match p.kind {
            Kind::Head => scope_rows.push([user_id.into(), org.sites[p.site].id.into(), V::Null]),
            Kind::Ops => scope_rows.push([user_id.into(), V::Null, org.accounts[p.account.expect("placed")].id.into()]),
            _ => {}
        }
    }
    // Sign-ins in persona order: agent, team leader, manager, site head, HR, admin.
    for persona in ["agent", "team leader", "manager", "site head"] {
        if let Some(p) = org.people.iter().find(|p| p.persona == Some(persona)) {
            let role = framework.role(p.role()).map_or(p.role(), |r| r.name.as_str());
            let place = match (p.team, p.account) {
                (Some(t), _) if p.kind != Kind::Ops => {
                    format!("{}, {}", org.teams[t].name, org.accounts[org.teams[t].account].name)
                }
                (_, Some(a)) => format!("{}, {}", org.accounts[a].name, org.sites[p.site].name),
                _ => format!("{} site", org.sites[p.site].name),
            };
            sign_ins.push(SignIn {
                persona: persona.into(),
                email: p.email.clone(),
                access: match p.kind {
                    Kind::Head | Kind::Ops => Access::Manager,
                    Kind::Leader => Access::TeamLeader,
                    _ => Access::Agent,
                },
                employee_id: Some(p.id),
                employee_code: Some(p.code.clone()),
                name: p.name.clone(),
                description: format!("{role}: {place}"),
            });
        }
    }
    let order = ["agent", "team leader", "manager", "site head", "HR", "admin"];
    sign_ins.sort_by_key(|s| order.iter().position(|o| *o == s.persona).unwrap_or(order.len()));

    // ---- People, role histories, team leaders ----
    let mut role_history_id = 0i64;
    for p in &org.people {
        let team_id = p.team.map(|t| org.teams[t].id);
        w.row(
            T_EMPLOYEES,
            [
                p.id.into(),
                1i64.into(),
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.email.as_str().into(),
                team_id.into(),
                p.role().into(),
                p.role_since().into(),
                p.hire.into(),
                p.manager.into(),
                true.into(),
            ],
        );
        for (i, s) in p.spells.iter().enumerate() {
            let to = p.spells.get(i + 1).map(|n| n.from.pred_opt().expect("date in range"));
            role_history_id += 1;
            w.row(
                T_ROLE_HISTORY,
                [
                    role_history_id.into(),
                    p.id.into(),
                    s.role.into(),
                    s.team.map(|t| org.teams[t].id).into(),
                    s.from.into(),
                    to.into(),
                ],
            );
        }
        w.flush_if_full().await?;
    }
    for t in &org.teams {
        w.row(T_TEAM_LEADERS, [t.id.into(), t.leader.into()]);
    }
    for r in user_rows {
        w.row(T_USERS, r);
    }
    for r in scope_rows {
        w.row(T_SCOPES, r);
    }
    w.flush().await?;
    progress(Progress { stage: "people", done: 0, total });

    // ---- Each person's records: team by team (agents, then their leader), then support
    // staff, operations managers and site heads ----
    let org = org;
    let ctx = Ctx {
        seed: spec.seed,
        fw: framework,
        org: &org,
        cal,
        plans,
        back_office_leader_plan,
        routes: std::sync::Mutex::new(HashMap::new()),
        users_by_employee,
    };
    let by_id = |id: i64| &org.people[(id - 1) as usize];
    let mut ids = Ids::default();
    let mut done = 0u64;
    let mut last_report = 0u64;
    let step = (total / 200).max(50);
    let mut report = |done: u64, progress: &mut (dyn FnMut(Progress) + Send)| {
        if done - last_report >= step || done == total {
            last_report = done;
            progress(Progress { stage: "records", done, total });
        }
    };
    for (t, team) in org.teams.iter().enumerate() {
        if t >= spec.teams {
            break;
        }
        let mut rollup = Rollup::new();
        for id in &team.members {
            person_records(&ctx, by_id(*id), &mut rollup, 0, &mut w, &mut ids);
            done += 1;
        }
        person_records(&ctx, by_id(team.leader), &mut rollup, team.members.len(), &mut w, &mut ids);
        done += 1;
        report(done, progress);
        w.flush_if_full().await?;
    }
    for p in
        org.people.iter().filter(|p| matches!(p.kind, Kind::Qa | Kind::Trainer | Kind::Wfm | Kind::Ops | Kind::Head))
    {
        person_records(&ctx, p, &mut Rollup::new(), 0, &mut w, &mut ids);
        done += 1;
        report(done, progress);
        w.flush_if_full().await?;
    }
    w.finish().await?;
    progress(Progress { stage: "records", done: total, total });

    // ---- Sequences past the explicit ids; fresh statistics for the planner ----
    progress(Progress { stage: "indexing", done: total, total });
    match db {
        Db::Postgres(pool) => {
            for table in IDENTITY_TABLES {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(&sql).execute(pool).await?;
            }
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Db::Sqlite(pool, _) => crate::db::analyze_sqlite(pool).await?,
    }
    progress(Progress { stage: "done", done: total, total });

    Ok(DemoSummary {
        organisation: ORGANISATION.into(),
        seed: spec.seed,
        first_month: ctx.cal.months[0],
        through: spec.through,
        rows: w.counts(),
        sign_ins,
    })
}

fn user_row(
    id: i64,
    email: &str,
    name: &str,
    access: Access,
    employee: Option<i64>,
    password_hash: &str,
    created: DateTime<Utc>,
) -> [V; 10] {
    [
        id.into(),
        1i64.into(),
        email.into(),
        name.into(),
        access.as_str().into(),
        employee.into(),
        password_hash.into(),
        false.into(),
        0i64.into(),
        created.into(),
    ]
}

/// A fingerprint of every table the demo writes (FNV-1a over each row as text, in a fixed
/// order), to check that two runs wrote the same thing.
pub async fn digest(db: &Db) -> Result<String> {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(b'\n')) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    };
    for (table, cols) in TABLES {
        let text =
            cols.iter().map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')")).collect::<Vec<_>>().join(" || '|' || ");
        let sql =
            format!("SELECT {text} FROM (SELECT {} FROM {table}) t ORDER BY {}", cols.join(", "), cols.join(", "));
        let rows: Vec<String> = crate::on_db!(db, p => sqlx::query_scalar(&sql).fetch_all(p).await?);
        feed(table);
        for r in &rows {
            feed(r);
        }
    }
    Ok(format!("{h:016x}"))
}
