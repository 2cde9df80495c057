//! The demo's internal openings and applications: one for the agent persona's next step, one
//! sideways in their own role, others across the sites (one closed, one unpublished), and an
//! application in every stage. Written after the rest of the demo, through the same functions
//! the server uses.

use chrono::{Months, NaiveDate};
use ladder_core::period::Month;
use ladder_core::{EmployeeId, TeamId, UserId};

use super::applications::{self, Move};
use super::OpeningFields;
use crate::demo::SignIn;
use crate::{on_db, Db, Result, StoreError};

fn user_of(sign_ins: &[SignIn], persona: &str) -> Option<String> {
    sign_ins.iter().find(|s| s.persona == persona).map(|s| s.email.clone())
}

async fn user_id(db: &Db, sign_ins: &[SignIn], persona: &str) -> Result<UserId> {
    let email = user_of(sign_ins, persona).ok_or_else(|| StoreError::Invalid(format!("no demo {persona}")))?;
    Ok(crate::users::user_by_email(db, &email).await?.ok_or(StoreError::NotFound)?.id)
}

#[allow(clippy::too_many_arguments)]
fn fields(
    role: &str,
    site_id: i64,
    account_id: Option<i64>,
    team_id: Option<TeamId>,
    shift: &str,
    arrangement: &str,
    pay: (i64, i64),
    closing: NaiveDate,
    hiring: UserId,
) -> OpeningFields {
    let night = shift != "day";
    OpeningFields {
        role_id: role.into(),
        title: String::new(),
        site_id,
        account_id,
        team_id,
        headcount: 2,
        shift: shift.into(),
        shift_hours: if night {
            "22:00–07:00, five nights a week".into()
        } else {
            "08:00–17:00, Monday to Friday".into()
        },
        hours_per_week: 40,
        arrangement: arrangement.into(),
        pay_min: pay.0 * 100,
        pay_max: pay.1 * 100,
        currency: "PHP".into(),
        allowances: 3_000 * 100,
        allowances_note: "rice and transport".into(),
        night_differential_percent: if night { 10 } else { 0 },
        signing_bonus: if night { 10_000 * 100 } else { 0 },
        description: "Join a team on one of our accounts. Training paid; HMO from day one.".into(),
        closing_date: closing,
        rule_no_final_warning: true,
        rule_min_company_months: 0,
        rule_same_site: false,
        published: true,
        hiring_manager_id: Some(hiring),
    }
}

/// Writes the demo's openings and applications; how many of each.
pub async fn write(
    db: &Db,
    framework: &ladder_core::Framework,
    sign_ins: &[SignIn],
    through: Month,
    roles: &[&str; 4],
) -> Result<(u64, u64)> {
    let hr = user_id(db, sign_ins, "HR").await?;
    let manager = user_id(db, sign_ins, "manager").await.unwrap_or(hr);
    let agent_id =
        sign_ins.iter().find(|s| s.persona == "agent").and_then(|s| s.employee_id).ok_or(StoreError::NotFound)?;
    let agent = crate::org::employee(db, EmployeeId(agent_id)).await?;
    let teams = crate::org::teams(db).await?;
    let sites = crate::org::sites(db).await?;
    let posted = through.first_day();
    let closing = posted.checked_add_months(Months::new(4)).unwrap_or(posted);
    let (site, account) = (agent.site_id.unwrap_or(sites[0].id), agent.account_id);
    let other_team = teams.iter().find(|t| Some(t.id) != agent.team_id && Some(t.account_id) == account).map(|t| t.id);
    let far = teams.iter().find(|t| t.site_id != site).unwrap_or(&teams[0]);
    let [next, lead, quality, sideways_fallback] = *roles;
    let sideways = if agent.role_id.is_empty() { sideways_fallback } else { agent.role_id.as_str() };
    let specs = [
        fields(next, site, account, agent.team_id, "night", "remote", (26_000, 32_000), closing, hr),
        fields(sideways, site, account, other_team, "day", "on-site", (20_000, 24_000), closing, manager),
        fields(
            lead,
            far.site_id,
            Some(far.account_id),
            Some(far.id),
            "rotating",
            "hybrid",
            (35_000, 45_000),
            closing,
            hr,
        ),
        OpeningFields {
            published: false,
            rule_min_company_months: 12,
            ..fields(quality, site, account, None, "day", "on-site", (30_000, 38_000), closing, manager)
        },
        fields(next, far.site_id, Some(far.account_id), None, "night", "on-site", (25_000, 30_000), closing, hr),
    ];
    let mut ids = Vec::new();
    for mut f in specs {
        f.title = framework.role(&f.role_id).map_or_else(|| f.role_id.clone(), |r| r.name.clone());
        ids.push(super::create(db, &f, Some(hr), posted).await?);
    }
    super::set_status(db, ids[4], false).await?;
    let applications = applications_in_every_stage(db, ids[0], agent.id, &agent.role_id, hr).await?;
    Ok((ids.len() as u64, applications))
}

/// Seven people in the agent's role apply to the first opening; each ends in another stage.
async fn applications_in_every_stage(db: &Db, opening: i64, agent: EmployeeId, role: &str, hr: UserId) -> Result<u64> {
    let sql = "SELECT id FROM employees WHERE role_id = $1 AND active = TRUE AND id <> $2 ORDER BY id LIMIT 7";
    let people: Vec<EmployeeId> = on_db!(db, p => sqlx::query_scalar(sql).bind(role).bind(agent).fetch_all(p).await?);
    let paths: [&[&str]; 7] = [
        &[],
        &["screening"],
        &["screening", "interview"],
        &["screening", "interview", "offer"],
        &["screening", "interview", "offer", "hired"],
        &["screening", "not-selected"],
        &["withdrawn"],
    ];
    for (person, path) in people.iter().zip(paths) {
        let packet = serde_json::json!({ "standing": "eligible", "gaps": [], "demo": true }).to_string();
        let id = applications::apply(db, opening, *person, &packet, hr).await?;
        let mut from = "applied";
        for to in path {
            // The demo's tables stay as pinned (tests check their digest): the hire keeps its start
            // date on the application, and the role change is left to the people file, as an
            // organisation whose HR system owns roles would do.
            let hire = None;
            let note = match *to {
                "withdrawn" => "Withdrew by phone (recorded by HR)",
                "hired" => "Starts on the first of the month after next",
                _ => "Demo move",
            };
            applications::move_stage(db, &Move { id, employee: *person, from, to, note, actor: hr, hire }).await?;
            from = to;
        }
    }
    Ok(people.len() as u64)
}
