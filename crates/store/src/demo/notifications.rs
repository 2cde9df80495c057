//! The demo's notifications (issue 26): a few read and unread ones for the agent and the team
//! leader personas, made from what the demo wrote (their check-ins, coaching, applications).

use chrono::{DateTime, Duration, Utc};
use ladder_core::framework::Framework;
use ladder_core::EmployeeId;
use serde_json::json;

use super::SignIn;
use crate::notifications::{self as store, Kind, New};
use crate::{Db, Result};

/// Writes them; returns how many.
pub(super) async fn write(db: &Db, framework: &Framework, sign_ins: &[SignIn], now: DateTime<Utc>) -> Result<u64> {
    let mut made = 0;
    let persona = |name: &str| sign_ins.iter().find(|s| s.persona == name);
    let (Some(agent), Some(leader)) = (persona("agent"), persona("team leader")) else { return Ok(0) };
    let (Some(agent_user), Some(leader_user)) =
        (crate::users::user_by_email(db, &agent.email).await?, crate::users::user_by_email(db, &leader.email).await?)
    else {
        return Ok(0);
    };
    let Some(agent_id) = agent.employee_id.map(EmployeeId) else { return Ok(0) };
    let month = |c: &crate::records::Checkin| c.month.format("%Y-%m").to_string();
    // (recipient, notification, how long ago, read)
    let mut rows = Vec::new();
    let checkins = crate::records::checkins(db, agent_id).await?;
    for (i, c) in checkins.iter().filter(|c| c.acknowledged_at.is_some()).take(2).enumerate() {
        let n = event(Kind::CheckinAcknowledged, agent_id, format!("/checkin/{}", c.id), json!({ "month": month(c) }));
        rows.push((agent_user.id, n, 20 + 30 * i as i64, true));
    }
    if let Some(c) = checkins.iter().find(|c| c.acknowledged_at.is_none()) {
        let n = event(Kind::CheckinSent, agent_id, format!("/team/checkins/{}", c.id), json!({ "month": month(c) }));
        rows.push((leader_user.id, n, 2, false));
    }
    if let Some(skill) = framework.skills.first() {
        let n = event(Kind::SkillConfirmed, agent_id, "/growth".into(), json!({ "skill": skill.id, "level": "3" }));
        rows.push((agent_user.id, n, 1, false));
    }
    let notes = crate::records::coaching_notes(db, agent_id).await?;
    // A follow-up still ahead (the newest note's, if any is).
    if let Some(note) = notes.iter().find(|n| n.follow_up >= now.date_naive()) {
        let mut n = event(
            Kind::FollowupDue,
            agent_id,
            "/checkin".into(),
            json!({ "metric": note.metric, "date": note.follow_up.to_string() }),
        );
        n.about = Some(format!("note-{}", note.id));
        rows.push((agent_user.id, n, 3, false));
    }
    for a in
        crate::openings::applications::of_employee(db, agent_id).await?.iter().filter(|a| a.stage != "applied").take(1)
    {
        let n = event(Kind::ApplicationMoved, agent_id, format!("/applications/{}", a.id), json!({ "stage": a.stage }));
        rows.push((agent_user.id, n, 5, true));
    }
    // Oldest first, so ids follow time as they do when events happen; the read ones are the
    // oldest, so marking all read as each is written leaves the newer ones unread.
    rows.sort_by_key(|r| -r.2);
    for (user, n, days_ago, read) in rows {
        let at = now - Duration::days(days_ago);
        if store::to_user(db, user, &n, at).await? {
            made += 1;
        }
        if read {
            store::mark_all_read(db, user, at + Duration::hours(1)).await?;
        }
    }
    Ok(made)
}

fn event(kind: Kind, employee: EmployeeId, link: String, params: serde_json::Value) -> New {
    New { kind, employee_id: Some(employee), link, params, about: None }
}
