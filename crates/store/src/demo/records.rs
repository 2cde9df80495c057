//! Each person's records, kind by kind: KRA plans and monthly actuals, accomplishments, skills,
//! certifications and training, check-ins with coaching notes, and a career plan. People are
//! written team by team (agents before their leader, whose figures roll theirs up), then the
//! support staff, operations managers and site heads.

use std::collections::HashMap;

use ladder_core::framework::Framework;

use super::accomplishments::write_accomplishments;
use super::actuals::{write_actuals, Rollup};
use super::calendar::Calendar;
use super::career::{write_career_plan, RouteCache};
use super::checkins::write_checkins;
use super::development::{next_role, write_certifications, write_skills, write_training};
use super::org::{Kind, Org, Person};
use super::plans::{write_plans, RolePlans};
use super::writer::Writer;
use super::Progress;
use crate::Result;

/// Everything per-person generation needs to look up.
pub(super) struct Ctx<'a> {
    pub(super) seed: u64,
    pub(super) fw: &'a Framework,
    pub(super) org: &'a Org,
    pub(super) cal: Calendar,
    pub(super) plans: RolePlans,
    pub(super) routes: RouteCache,
    pub(super) users_by_employee: HashMap<i64, i64>,
}

impl Ctx<'_> {
    /// The user id of an employee who can sign in.
    pub(super) fn user_of(&self, employee: Option<i64>) -> Option<i64> {
        employee.and_then(|e| self.users_by_employee.get(&e).copied())
    }
}

/// Ids handed out as rows are made.
#[derive(Default)]
pub(super) struct Ids {
    pub(super) plan: i64,
    pub(super) accomplishment: i64,
    pub(super) skill: i64,
    pub(super) cert: i64,
    pub(super) training: i64,
    pub(super) checkin: i64,
    pub(super) coaching: i64,
}

pub(super) fn next(counter: &mut i64) -> i64 {
    *counter += 1;
    *counter
}

/// Writes everyone's records: the first `front_line_teams` teams (each team's agents, then its
/// leader), then the support staff, operations managers and site heads. `progress` hears of it
/// now and then.
pub(super) async fn write_records(
    ctx: &Ctx<'_>,
    front_line_teams: usize,
    w: &mut Writer,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<()> {
    let org = ctx.org;
    let total = org.people.len() as u64;
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
    for team in org.teams.iter().take(front_line_teams) {
        let mut rollup = Rollup::new();
        for id in &team.members {
            person_records(ctx, by_id(*id), &mut rollup, 0, w, &mut ids);
            done += 1;
        }
        person_records(ctx, by_id(team.leader), &mut rollup, team.members.len(), w, &mut ids);
        done += 1;
        report(done, progress);
        w.flush_if_full().await?;
    }
    for p in
        org.people.iter().filter(|p| matches!(p.kind, Kind::Qa | Kind::Trainer | Kind::Wfm | Kind::Ops | Kind::Head))
    {
        person_records(ctx, p, &mut Rollup::new(), 0, w, &mut ids);
        done += 1;
        report(done, progress);
        w.flush_if_full().await?;
    }
    Ok(())
}

/// Writes one person's records. Agents add their KRA sums to `rollup`; a team leader reads the
/// team's sums from it.
fn person_records(ctx: &Ctx, p: &Person, rollup: &mut Rollup, team_size: usize, w: &mut Writer, ids: &mut Ids) {
    let plans = write_plans(ctx, p, w, ids);
    let best_worst = write_actuals(ctx, p, &plans, rollup, team_size, w);
    let shared_by_month = write_accomplishments(ctx, p, w, ids);
    let next_role = next_role(ctx.fw, p.role());
    let skills = write_skills(ctx, p, next_role, w, ids);
    write_certifications(ctx, p, next_role, w, ids);
    write_training(ctx, p, &skills, w, ids);
    write_checkins(ctx, p, &best_worst, &shared_by_month, w, ids);
    write_career_plan(ctx, p, w);
}
