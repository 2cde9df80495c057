//! The demo's learning catalogue entries and mentoring pairs (issue 26), written after the
//! generated organisation through the store's own functions (so the pinned demo digest, which
//! covers the generator's tables, stays as it is).

use chrono::{Duration, Utc};
use ladder_core::framework::Framework;
use ladder_core::{EmployeeId, UserId};
use ladder_store::demo::DemoSummary;
use ladder_store::learning::{self, NewItem};
use ladder_store::{mentoring, Db};

/// The demo organisation's own entries: an internal programme, a boot camp, a paid class.
fn entries() -> Vec<NewItem> {
    let item = |title: &str, provider: &str, format: &str, hours: f64, price: Option<(i64, &str)>| NewItem {
        title: title.into(),
        provider: provider.into(),
        format: format.into(),
        hours: Some(hours),
        price_minor: price.map(|p| p.0),
        currency: price.map(|p| p.1.to_string()),
        link: String::new(),
        skill_id: None,
        certification_id: None,
    };
    vec![
        NewItem {
            skill_id: Some("coaching".into()),
            ..item("Coaching clinic for new team leaders", "Learning & Development (internal)", "programme", 12.0, None)
        },
        NewItem {
            skill_id: Some("quality-auditing".into()),
            ..item("QA calibration boot camp", "Quality team (internal)", "boot-camp", 16.0, None)
        },
        NewItem {
            certification_id: Some("itil-4-foundation".into()),
            ..item(
                "ITIL 4 Foundation class with exam voucher",
                "Partner training centre",
                "course",
                24.0,
                Some((1_850_000, "PHP")),
            )
        },
    ]
}

/// Writes the entries and three mentoring pairs (the demo agent's first) with logged sessions.
pub async fn write(db: &Db, framework: &Framework, summary: &DemoSummary) -> anyhow::Result<()> {
    let now = Utc::now();
    let hr = summary.sign_ins.iter().find(|s| s.access == ladder_core::access::Access::Hr);
    let hr_user = match hr {
        Some(s) => ladder_store::users::user_by_email(db, &s.email).await?.map(|u| u.id),
        None => None,
    };
    for e in entries().iter().filter(|e| {
        e.skill_id.as_deref().is_none_or(|s| framework.skill(s).is_some())
            && e.certification_id.as_deref().is_none_or(|c| framework.certification(c).is_some())
    }) {
        learning::add(db, e, hr_user, now).await?;
    }
    let pairs = pairs(db, framework, summary).await?;
    let notes = [
        "Listened to calls together and picked one habit to change.",
        "Went through last week's QA forms and what the auditor looks for.",
        "Planned the next step: a stretch task on the team's huddle.",
    ];
    for (i, (mentee, target, mentor)) in pairs.iter().enumerate() {
        let kind = if i == 2 { "shadowing" } else { "mentor" };
        let note = "I would like to learn how the role works day to day.";
        let r = mentoring::create(db, *mentee, kind, target, note, now - Duration::days(60)).await?;
        mentoring::pair(db, r.id, *mentor, hr_user, now - Duration::days(55)).await?;
        for (k, text) in notes.iter().enumerate().take(3 - i.min(1)) {
            let held = (now - Duration::days(45 - 14 * k as i64)).date_naive();
            let minutes = [45, 60, 30][k];
            let by: Option<UserId> = None;
            mentoring::add_session(db, r.id, held, minutes, text, by, now).await?;
        }
    }
    println!(
        "  {} learning catalogue entries of the organisation's own, {} mentoring pairs with sessions.",
        3,
        pairs.len()
    );
    Ok(())
}

/// Three (mentee, target role, mentor): the demo agent first, then the next two people in the
/// lowest roles; each mentor holds the target role or one above it.
async fn pairs(
    db: &Db,
    framework: &Framework,
    summary: &DemoSummary,
) -> anyhow::Result<Vec<(EmployeeId, String, EmployeeId)>> {
    let mut people = ladder_store::org::bulk::employee_roles(db).await?;
    people.sort();
    let level = |role: &str| framework.role(role).map_or(0, |r| r.level);
    let agent =
        summary.sign_ins.iter().find(|s| s.access == ladder_core::access::Access::Agent).and_then(|s| s.employee_id);
    let lowest = people.iter().map(|p| level(&p.2)).min().unwrap_or(1);
    let mut mentees: Vec<&(i64, String, String)> = people.iter().filter(|p| Some(p.0) == agent).collect();
    mentees.extend(people.iter().filter(|p| level(&p.2) == lowest && Some(p.0) != agent).take(3 - mentees.len()));
    let mut out = Vec::new();
    for (n, (id, _, role)) in mentees.into_iter().enumerate() {
        let Some(target) = framework.paths_from(role).map(|p| p.to.clone()).next() else { continue };
        let need = level(&target);
        // Spread the mentors: the n-th person in a role at or above the target.
        let mentor = people.iter().filter(|p| p.0 != *id && level(&p.2) >= need).nth(n * 7);
        if let Some(m) = mentor {
            out.push((EmployeeId(*id), target, EmployeeId(m.0)));
        }
    }
    Ok(out)
}
