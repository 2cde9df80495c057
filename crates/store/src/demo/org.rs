//! The sample organisation in memory: its sites, client accounts and teams, and the people in
//! them with their role histories, before any row is written.

use chrono::NaiveDate;

use super::calendar::{minus_months, plus_days, plus_months};
use super::catalogue::{
    Lob, SiteInfo, CSE, HEAD, IN_FAMILY, IN_GIVEN, LOBS, NATO, OPS, PH_FAMILY, PH_GIVEN, QA, SENIOR, SITES, TL,
    TRAINER, WFM,
};
use super::rng::Rng;
use super::{DemoSpec, EMAIL_DOMAIN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Head,
    Ops,
    Leader,
    Qa,
    Trainer,
    Wfm,
    Senior,
    Agent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trend {
    Improving,
    Flat,
    Slipping,
}

#[derive(Debug, Clone)]
pub(super) struct Spell {
    pub(super) role: &'static str,
    pub(super) team: Option<usize>,
    pub(super) from: NaiveDate,
}

#[derive(Debug, Clone)]
pub(super) struct Person {
    pub(super) id: i64,
    pub(super) kind: Kind,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) site: usize,
    pub(super) account: Option<usize>,
    pub(super) team: Option<usize>,
    pub(super) manager: Option<i64>,
    pub(super) hire: NaiveDate,
    pub(super) spells: Vec<Spell>,
    pub(super) ability: f64,
    pub(super) trend: Trend,
    pub(super) slope: f64,
    pub(super) volume: f64,
    /// Chance of a month with attendance under the floor, and of a fatal error in a month.
    pub(super) absence_risk: f64,
    pub(super) fatal_risk: f64,
    pub(super) user: Option<i64>,
    pub(super) persona: Option<&'static str>,
}

impl Person {
    pub(super) fn role(&self) -> &'static str {
        self.spells.last().expect("a person has a role").role
    }
    pub(super) fn role_since(&self) -> NaiveDate {
        self.spells.last().expect("a person has a role").from
    }
    /// The role held at the end of `day`.
    pub(super) fn role_on(&self, day: NaiveDate) -> Option<&'static str> {
        self.spells.iter().rev().find(|s| s.from <= day).map(|s| s.role)
    }
}

pub(super) struct SiteRow {
    pub(super) id: i64,
    pub(super) info: &'static SiteInfo,
    pub(super) name: String,
    pub(super) head: i64,
}

pub(super) struct AccountRow {
    pub(super) id: i64,
    pub(super) site: usize,
    pub(super) lob: &'static Lob,
    pub(super) name: String,
    pub(super) short: String,
    pub(super) ops: i64,
    pub(super) support_team: usize,
    pub(super) teams: Vec<usize>,
    pub(super) headcount: usize,
}

pub(super) struct TeamRow {
    pub(super) id: i64,
    pub(super) account: usize,
    pub(super) name: String,
    pub(super) leader: i64,
    pub(super) members: Vec<i64>,
}

pub(super) struct Org {
    pub(super) sites: Vec<SiteRow>,
    pub(super) accounts: Vec<AccountRow>,
    pub(super) teams: Vec<TeamRow>,
    pub(super) people: Vec<Person>,
}

/// Builds the organisation `spec` asks for: its structure, everyone in it, their reporting lines
/// and role histories, and the personas one can sign in as.
pub(super) fn build_org(spec: &DemoSpec) -> Org {
    let through_first = spec.through.first_day();
    let sites = sites(spec);
    let mut accounts = accounts(spec);
    let teams = teams(spec, &mut accounts);
    let mut org = Org { sites, accounts, teams, people: Vec::new() };
    org.people = staff(spec, &mut org);
    place_people(spec.seed, &mut org, through_first);
    cast_personas(&mut org, through_first);
    org
}

fn sites(spec: &DemoSpec) -> Vec<SiteRow> {
    (0..spec.sites)
        .map(|i| {
            let info = &SITES[i % SITES.len()];
            let name =
                if i < SITES.len() { info.name.to_string() } else { format!("{} {}", info.name, i / SITES.len() + 1) };
            SiteRow { id: i as i64 + 1, info, name, head: 0 }
        })
        .collect()
}

/// Accounts: line of business in turn; every site gets at least one.
fn accounts(spec: &DemoSpec) -> Vec<AccountRow> {
    (0..spec.accounts)
        .map(|i| {
            let lob = &LOBS[i % LOBS.len()];
            let round = i / LOBS.len();
            let client = lob.clients[round % lob.clients.len()];
            let series = round / lob.clients.len();
            let suffix = if series > 0 { format!(" {}", series + 1) } else { String::new() };
            AccountRow {
                id: i as i64 + 1,
                site: i % spec.sites,
                lob,
                name: format!("{client} {}{suffix}", lob.program),
                short: format!("{}{suffix}", lob.short),
                ops: 0,
                support_team: 0,
                teams: vec![],
                headcount: 0,
            }
        })
        .collect()
}

/// Front-line teams, spread over the accounts in turn; then one support team per account.
fn teams(spec: &DemoSpec, accounts: &mut [AccountRow]) -> Vec<TeamRow> {
    let mut teams: Vec<TeamRow> = Vec::with_capacity(spec.teams + spec.accounts);
    let mut per_account = vec![0usize; spec.accounts];
    for t in 0..spec.teams {
        let a = t % spec.accounts;
        let n = per_account[a];
        per_account[a] += 1;
        let word = NATO[n % NATO.len()];
        let name = if n < NATO.len() {
            format!("{} {word}", accounts[a].short)
        } else {
            format!("{} {word} {}", accounts[a].short, n / NATO.len() + 1)
        };
        accounts[a].teams.push(t);
        teams.push(TeamRow { id: t as i64 + 1, account: a, name, leader: 0, members: vec![] });
    }
    for (a, account) in accounts.iter_mut().enumerate() {
        let t = teams.len();
        account.support_team = t;
        teams.push(TeamRow {
            id: t as i64 + 1,
            account: a,
            name: format!("{} Quality, Training & WFM", account.short),
            leader: 0,
            members: vec![],
        });
    }
    teams
}

/// Everyone, with ids in this order: site heads, operations managers, team leaders, each
/// account's support staff, then the agents, who fill the rest. Heads, managers and leaders are
/// set on their site, account and team.
fn staff(spec: &DemoSpec, org: &mut Org) -> Vec<Person> {
    let seed = spec.seed;
    let mut rng = Rng::new(seed, "structure", 0);
    let (sites, accounts, teams) = (&mut org.sites, &mut org.accounts, &mut org.teams);
    // Quality analysts, trainers and WFM analysts per account, by its number of teams.
    let support: Vec<(usize, usize, usize)> = accounts
        .iter()
        .map(|a| {
            let n = a.teams.len();
            ((n / 4).max(1), (n / 8).max(1), (n / 10).max(1))
        })
        .collect();
    let support_total: usize = support.iter().map(|(q, t, w)| q + t + w).sum();
    let agents_total = spec.employees - spec.sites - spec.accounts - support_total - spec.teams;
    let team_sizes = shares(&mut rng, agents_total, spec.teams, 2);

    let mut people: Vec<Person> = Vec::with_capacity(spec.employees);
    let mut add = |kind: Kind, site: usize, account: Option<usize>, team: Option<usize>| {
        let id = people.len() as i64 + 1;
        people.push(new_person(seed, id, kind, sites[site].info, site, account, team));
        id
    };
    let heads: Vec<i64> = (0..sites.len()).map(|s| add(Kind::Head, s, None, None)).collect();
    let ops: Vec<i64> = accounts
        .iter()
        .enumerate()
        .map(|(a, account)| add(Kind::Ops, account.site, Some(a), Some(account.support_team)))
        .collect();
    let leaders: Vec<i64> = (0..spec.teams)
        .map(|t| {
            let a = teams[t].account;
            add(Kind::Leader, accounts[a].site, Some(a), Some(t))
        })
        .collect();
    for (a, (q, tr, w)) in support.iter().enumerate() {
        let (site, team) = (accounts[a].site, accounts[a].support_team);
        for (kind, n) in [(Kind::Qa, *q), (Kind::Trainer, *tr), (Kind::Wfm, *w)] {
            for _ in 0..n {
                add(kind, site, Some(a), Some(team));
            }
        }
    }
    for (t, size) in team_sizes.iter().enumerate() {
        let a = teams[t].account;
        let mut team_rng = Rng::new(seed, "team-mix", t as u64);
        for i in 0..*size {
            // About one in six is a senior agent / SME.
            let kind = if i > 0 && team_rng.chance(0.17) { Kind::Senior } else { Kind::Agent };
            add(kind, accounts[a].site, Some(a), Some(t));
        }
    }

    for (site, head) in sites.iter_mut().zip(heads) {
        site.head = head;
    }
    for (account, ops) in accounts.iter_mut().zip(ops) {
        account.ops = ops;
        teams[account.support_team].leader = ops;
    }
    for (team, leader) in teams.iter_mut().zip(leaders) {
        team.leader = leader;
    }
    people
}

/// Reporting lines, role histories and team memberships.
fn place_people(seed: u64, org: &mut Org, through_first: NaiveDate) {
    let (sites, accounts, teams) = (&org.sites, &mut org.accounts, &mut org.teams);
    for p in org.people.iter_mut() {
        p.manager = match p.kind {
            Kind::Head => None,
            Kind::Ops => Some(sites[p.site].head),
            Kind::Leader | Kind::Qa | Kind::Trainer | Kind::Wfm => Some(accounts[p.account.expect("placed")].ops),
            Kind::Senior | Kind::Agent => Some(teams[p.team.expect("placed")].leader),
        };
        if let Some(a) = p.account {
            accounts[a].headcount += 1;
        }
        if let Some(t) = p.team {
            if p.kind != Kind::Leader && p.kind != Kind::Ops {
                teams[t].members.push(p.id);
            }
        }
        let account = p.account.map(|a| &accounts[a]);
        let account_teams = account.map_or(&[][..], |a| &a.teams);
        p.spells = spells(seed, p, account.map(|a| a.lob), account_teams, through_first);
        p.hire = p.spells[0].from;
    }
}

/// The personas: the first agent of the first team, their leader, their operations manager and
/// their site head.
fn cast_personas(org: &mut Org, through_first: NaiveDate) {
    if let Some(agent) = org.people.iter_mut().find(|p| p.kind == Kind::Agent && p.team == Some(0)) {
        agent.persona = Some("agent");
        agent.trend = Trend::Improving;
        agent.slope = 0.07;
        agent.ability = 0.3;
        agent.email = format!("agent@{EMAIL_DOMAIN}");
        // Twenty months in the role, so a promotion is in sight.
        let role = agent.role();
        let hire = plus_days(minus_months(through_first, 19), -3);
        agent.spells = vec![Spell { role, team: Some(0), from: hire }];
        agent.hire = hire;
    }
    let leader = org.teams[0].leader;
    let ops0 = org.accounts[0].ops;
    let head0 = org.sites[0].head;
    for p in org.people.iter_mut() {
        let (persona, local) = if p.id == leader {
            ("team leader", "leader")
        } else if p.id == ops0 {
            ("manager", "manager")
        } else if p.id == head0 {
            ("site head", "head")
        } else {
            continue;
        };
        p.persona = Some(persona);
        p.email = format!("{local}@{EMAIL_DOMAIN}");
    }
}

fn email_part(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase()
}

/// Splits `total` into `parts` shares that differ a little at random, each at least `min`.
fn shares(rng: &mut Rng, total: usize, parts: usize, min: usize) -> Vec<usize> {
    let weights: Vec<f64> = (0..parts).map(|_| rng.range(0.8, 1.2)).collect();
    let spare = total - min * parts;
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<usize> = weights.iter().map(|w| min + (spare as f64 * w / sum).floor() as usize).collect();
    let mut left = total - out.iter().sum::<usize>();
    let mut i = 0;
    while left > 0 {
        out[i % parts] += 1;
        left -= 1;
        i += 1;
    }
    out
}

fn new_person(
    seed: u64,
    id: i64,
    kind: Kind,
    site: &SiteInfo,
    site_index: usize,
    account: Option<usize>,
    team: Option<usize>,
) -> Person {
    let mut rng = Rng::new(seed, "person", id as u64);
    let (given, family) = if site.country == "IN" { (IN_GIVEN, IN_FAMILY) } else { (PH_GIVEN, PH_FAMILY) };
    let (g, f) = (*rng.pick(given), *rng.pick(family));
    let seniority = match kind {
        Kind::Agent => 0.0,
        Kind::Senior => 0.5,
        _ => 0.35,
    };
    let ability = (rng.normal() * 0.9 + seniority).clamp(-2.5, 2.5);
    let r = rng.unit();
    let (trend, slope) = if r < 0.25 {
        (Trend::Improving, rng.range(0.04, 0.1))
    } else if r < 0.45 {
        (Trend::Slipping, -rng.range(0.04, 0.09))
    } else {
        (Trend::Flat, rng.range(-0.01, 0.01))
    };
    let volume = if rng.chance(0.05) { rng.range(0.45, 0.6) } else { (rng.normal() * 0.12 + 1.0).clamp(0.7, 1.35) };
    let absence_risk = match trend {
        Trend::Slipping => 0.09,
        _ => 0.025,
    } * if ability < -0.8 { 1.6 } else { 1.0 };
    let fatal_risk = (0.025 - ability * 0.008).clamp(0.006, 0.05);
    Person {
        id,
        kind,
        code: format!("NS{id:06}"),
        name: format!("{g} {f}"),
        email: format!("{}.{}.{id}@{EMAIL_DOMAIN}", email_part(g), email_part(f)),
        site: site_index,
        account,
        team,
        manager: None,
        hire: NaiveDate::MIN,
        spells: vec![],
        ability,
        trend,
        slope,
        volume,
        absence_risk,
        fatal_risk,
        user: None,
        persona: None,
    }
}

/// The person's role history, laid out backwards from today: months in the current role, then
/// the typical stay in each earlier role (framework paths, careers.md).
fn spells(
    seed: u64,
    p: &Person,
    lob: Option<&'static Lob>,
    account_teams: &[usize],
    through_first: NaiveDate,
) -> Vec<Spell> {
    let mut rng = Rng::new(seed, "history", p.id as u64);
    let entry = lob.map_or(CSE, |l| rng.weighted(l.entry));
    let senior = lob.map_or(SENIOR, |l| l.senior);
    let other_team = |rng: &mut Rng| -> Option<usize> {
        if account_teams.is_empty() {
            None
        } else {
            Some(*rng.pick(account_teams))
        }
    };
    // (role, team, months in it); the last is the current role.
    let chain: Vec<(&'static str, Option<usize>, i64)> = match p.kind {
        Kind::Agent => {
            // BPO tenure is short (attrition ~38 % a year, kpis.md §1.2): exponential, mean 20.
            let months = (1.0 + (-rng.unit().max(1e-9).ln()) * 20.0).min(96.0) as i64;
            vec![(entry, p.team, months)]
        }
        Kind::Senior => vec![(entry, p.team, rng.int(12, 22)), (senior, p.team, rng.int(1, 48))],
        Kind::Leader => {
            if rng.chance(0.65) {
                let t = other_team(&mut rng);
                vec![(entry, t, rng.int(12, 20)), (senior, t, rng.int(10, 20)), (TL, p.team, rng.int(1, 60))]
            } else {
                vec![(entry, other_team(&mut rng), rng.int(24, 36)), (TL, p.team, rng.int(1, 60))]
            }
        }
        Kind::Qa | Kind::Trainer | Kind::Wfm => {
            let role = match p.kind {
                Kind::Qa => QA,
                Kind::Trainer => TRAINER,
                _ => WFM,
            };
            let t = other_team(&mut rng);
            vec![(entry, t, rng.int(12, 20)), (senior, t, rng.int(10, 20)), (role, p.team, rng.int(1, 48))]
        }
        Kind::Ops => {
            if rng.chance(0.5) {
                vec![(TL, other_team(&mut rng), rng.int(24, 36)), (OPS, p.team, rng.int(1, 72))]
            } else {
                vec![(OPS, p.team, rng.int(6, 96))]
            }
        }
        Kind::Head => {
            if rng.chance(0.5) {
                vec![(OPS, None, rng.int(36, 60)), (HEAD, None, rng.int(1, 60))]
            } else {
                vec![(HEAD, None, rng.int(6, 48))]
            }
        }
    };
    // Walk back from the current role: role k starts `months_k - 1` months before the start of
    // the month it runs up to; the first role starts on the hire date, some day in its month.
    let mut out: Vec<Spell> = Vec::with_capacity(chain.len());
    let mut end = plus_months(through_first, 1); // first day after the current role so far
    for &(role, team, months) in chain.iter().rev() {
        let from = minus_months(end, months.max(1) as u32);
        out.push(Spell { role, team, from });
        end = from;
    }
    out.reverse();
    let day = rng.int(0, 20);
    out[0].from = plus_days(out[0].from, day);
    if out.len() > 1 && out[0].from >= out[1].from {
        out[0].from = out[1].from.pred_opt().expect("date in range");
    }
    out
}
