//! A person's development records: skill assessments (by themselves and their leader) against
//! what the next role asks for, certifications that help in this role or the next, and training.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::framework::Framework;

use super::calendar::{at, minus_months, plus_days, plus_months};
use super::org::Person;
use super::records::{next, Ctx, Ids};
use super::rng::Rng;
use super::tables::{T_CERTS, T_SKILLS, T_TRAINING};
use super::writer::{Writer, V};

/// The usual next role: the path out of `role` with the shortest typical stay.
pub(super) fn next_role<'a>(fw: &'a Framework, role: &'a str) -> Option<&'a str> {
    fw.paths_from(role)
        .min_by(|a, b| a.months_expected().total_cmp(&b.months_expected()).then(a.to.cmp(&b.to)))
        .map(|p| p.to.as_str())
}

/// Writes two rounds of assessments (six months ago and lately) of the skills the next role asks
/// for (or this role's, at the top); returns those skills with the level each asks for.
pub(super) fn write_skills<'a>(
    ctx: &Ctx<'a>,
    p: &Person,
    next_role: Option<&str>,
    w: &mut Writer,
    ids: &mut Ids,
) -> Vec<(&'a str, u8)> {
    let (fw, cal) = (ctx.fw, &ctx.cal);
    let required = |role: &str| -> Vec<(&'a str, u8)> {
        fw.role(role).map(|r| r.requirements.skills.iter().map(|(k, v)| (k.as_str(), *v)).collect()).unwrap_or_default()
    };
    let mut skills = required(next_role.unwrap_or(p.role()));
    if skills.is_empty() {
        skills = required(p.role());
    }
    let my_user = p.user;
    let leader_user = ctx.user_of(p.manager);
    let mut rng = Rng::new(ctx.seed, "skills", p.id as u64);
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
    skills
}

/// Writes none, one or two certifications that help in the person's role or the next: earned
/// (a few close to expiry), in progress or planned.
pub(super) fn write_certifications(ctx: &Ctx, p: &Person, next_role: Option<&str>, w: &mut Writer, ids: &mut Ids) {
    let as_of = ctx.cal.as_of;
    let mut rng = Rng::new(ctx.seed, "certifications", p.id as u64);
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
                let mut earned = plus_days(p.hire, rng.int(90, (as_of - p.hire).num_days().max(91)));
                if let Some(v) = c.validity_months {
                    // A few are close to expiry, so renewals show up.
                    if rng.chance(0.15) {
                        earned = plus_days(minus_months(as_of, v), rng.int(10, 75));
                    }
                }
                let earned = earned.min(plus_days(as_of, -7));
                (None, Some(earned), c.validity_months.map(|v| plus_months(earned, v)))
            }
            "in-progress" => (Some(plus_days(as_of, rng.int(14, 75))), None, None),
            _ => (Some(plus_days(as_of, rng.int(60, 200))), None, None),
        };
        let evidence = evidence(&mut rng, c.id.as_str(), p.id, earned);
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
                evidence.url.into(),
                evidence.changed_at.into(),
                V::Null,
                evidence.verification.into(),
                V::Null,
                evidence.verified_at.into(),
                evidence.rejection_reason.into(),
            ],
        );
    }
}

struct DemoEvidence {
    url: Option<String>,
    changed_at: Option<DateTime<Utc>>,
    verification: Option<&'static str>,
    verified_at: Option<DateTime<Utc>>,
    rejection_reason: Option<&'static str>,
}

/// An earned certification's evidence (issue 26): most verified a few days after it was
/// claimed, some still waiting for a verifier, a few rejected with the reason.
fn evidence(rng: &mut Rng, cert: &str, person: i64, earned: Option<NaiveDate>) -> DemoEvidence {
    let none =
        DemoEvidence { url: None, changed_at: None, verification: None, verified_at: None, rejection_reason: None };
    let Some(earned) = earned else { return none };
    let claimed = earned.and_hms_opt(9, 0, 0).expect("a valid time").and_utc();
    let url = Some(format!("https://certificates.example.com/{cert}/{person}"));
    let roll = rng.unit();
    let (verification, verified_at, rejection_reason) = if roll < 0.75 {
        (Some("verified"), Some(claimed + chrono::Days::new(3)), None)
    } else if roll < 0.93 {
        (None, None, None)
    } else {
        let reason = "The link shows a course enrolment, not the certificate: upload the certificate itself";
        (Some("rejected"), Some(claimed + chrono::Days::new(2)), Some(reason))
    };
    DemoEvidence { url, changed_at: Some(claimed), verification, verified_at, rejection_reason }
}

/// Writes one to four training items on the `skills` the person is working towards: courses,
/// bootcamps, mentoring, practice on the floor, reading; done, in progress or planned.
pub(super) fn write_training(ctx: &Ctx, p: &Person, skills: &[(&str, u8)], w: &mut Writer, ids: &mut Ids) {
    let as_of = ctx.cal.as_of;
    let mut rng = Rng::new(ctx.seed, "training", p.id as u64);
    let n_training = rng.int(1, 4);
    for _ in 0..n_training {
        let (skill, _) = if skills.is_empty() { ("product-knowledge", 3) } else { *rng.pick(skills) };
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
            let done = plus_days(as_of, -rng.int(5, 300)).max(p.hire);
            ("done", Some(done), Some(done))
        } else if roll < 0.8 {
            ("in-progress", Some(plus_days(as_of, rng.int(7, 60))), None)
        } else {
            ("planned", Some(plus_days(as_of, rng.int(30, 150))), None)
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
}
