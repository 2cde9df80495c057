//! A record as a JSON Resume (jsonresume.org, schema 1.0.0): the roles held with their dates as
//! `work`, each role's shared accomplishments (with their numbers) as its highlights, the latest
//! level of each skill, and the certifications earned. Private log entries never leave here:
//! a résumé is meant to be shown. Ladder keeps no schooling, so `education` is empty.

use serde_json::{json, Value};

use super::{LogEntry, Record};
use crate::framework::Framework;

/// The words for skill levels 1 to 5 (the framework's descriptors are sentences).
const LEVELS: [&str; 5] = ["Beginner", "Developing", "Proficient", "Advanced", "Expert"];

fn role_name(framework: &Framework, id: &str) -> String {
    framework.role(id).map_or_else(|| id.to_string(), |r| r.name.clone())
}

/// "Cut handle time (42 s)": the title with the number it moved.
fn highlight(entry: &LogEntry) -> String {
    match (entry.impact_value, entry.impact_unit.as_deref()) {
        (Some(v), Some(unit)) if !unit.is_empty() => format!("{} ({v} {unit})", entry.title),
        (Some(v), _) => format!("{} ({v})", entry.title),
        _ => entry.title.clone(),
    }
}

/// The résumé of a record.
pub fn resume(record: &Record, framework: &Framework) -> Value {
    let work: Vec<Value> = record
        .work
        .iter()
        .rev()
        .map(|spell| {
            let highlights: Vec<String> = record
                .log
                .iter()
                .filter(|e| e.shared && e.date >= spell.from && spell.to.is_none_or(|to| e.date <= to))
                .map(highlight)
                .collect();
            let mut job = json!({
                "name": spell.organisation,
                "position": role_name(framework, &spell.role),
                "startDate": spell.from.to_string(),
                "highlights": highlights,
            });
            if let Some(to) = spell.to {
                job["endDate"] = json!(to.to_string());
            }
            if let Some(team) = &spell.team {
                job["summary"] = json!(format!("Team: {team}"));
            }
            job
        })
        .collect();
    let mut latest: Vec<&super::SkillLevel> = Vec::new();
    for s in &record.skills {
        match latest.iter_mut().find(|l| l.skill == s.skill) {
            Some(l) if l.assessed_at <= s.assessed_at => *l = s,
            Some(_) => {}
            None => latest.push(s),
        }
    }
    let skills: Vec<Value> = latest
        .iter()
        .map(|s| {
            let name = framework.skill(&s.skill).map_or_else(|| s.skill.clone(), |k| k.name.clone());
            let level = LEVELS[(s.level.clamp(1, 5) - 1) as usize];
            json!({ "name": name, "level": level, "keywords": [] })
        })
        .collect();
    let certificates: Vec<Value> = record
        .certifications
        .iter()
        .filter(|c| c.status == "earned")
        .map(|c| {
            let known = framework.certification(&c.certification);
            let mut cert = json!({
                "name": known.map_or_else(|| c.certification.clone(), |k| k.name.clone()),
                "issuer": known.map_or_else(String::new, |k| k.issuer.clone()),
            });
            if let Some(d) = c.earned_date {
                cert["date"] = json!(d.to_string());
            }
            cert
        })
        .collect();
    let mut basics = json!({
        "name": record.person.name,
        "label": role_name(framework, &record.person.role),
    });
    if let Some(email) = &record.person.email {
        basics["email"] = json!(email);
    }
    json!({
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": basics,
        "work": work,
        "education": [],
        "skills": skills,
        "certificates": certificates,
        "meta": { "version": "v1.0.0", "lastModified": record.exported_at.format("%Y-%m-%dT%H:%M:%S").to_string() },
    })
}
