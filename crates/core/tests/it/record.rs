//! The record file (issue 30): what an import refuses, naming the field, and the JSON Resume
//! made from a record, validated against the official schema (fixtures/jsonresume, MIT).

use chrono::{NaiveDate, TimeZone, Utc};
use ladder_core::record::{self, Record};
use ladder_core::Framework;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample() -> Record {
    let at = Utc.with_ymd_and_hms(2026, 3, 5, 9, 0, 0).unwrap();
    Record {
        format: record::FORMAT.into(),
        version: record::VERSION,
        exported_at: at,
        exported_from: "Acme BPO".into(),
        person: record::Person {
            code: "E1001".into(),
            name: "Maria Santos".into(),
            email: Some("maria@example.com".into()),
            role: "technical-support-associate".into(),
            role_since: day(2025, 6, 1),
            hire_date: day(2024, 1, 15),
        },
        work: vec![
            record::WorkSpell {
                organisation: "Acme BPO".into(),
                team: Some("Team Alpha".into()),
                role: "customer-service-executive".into(),
                from: day(2024, 1, 15),
                to: Some(day(2025, 5, 31)),
            },
            record::WorkSpell {
                organisation: "Acme BPO".into(),
                team: None,
                role: "technical-support-associate".into(),
                from: day(2025, 6, 1),
                to: None,
            },
        ],
        kra_plans: vec![],
        figures: vec![],
        scores: vec![],
        career_plan: None,
        goals: vec![record::Goal {
            milestone_role: "team-leader".into(),
            title: "Run the morning huddle".into(),
            note: String::new(),
            due_on: day(2026, 4, 1),
            done_on: None,
            created_at: at,
        }],
        log: vec![
            record::LogEntry {
                date: day(2025, 9, 2),
                title: "Cut repeat calls on billing".into(),
                details: String::new(),
                impact_value: Some(12.5),
                impact_unit: Some("%".into()),
                tags: vec![],
                kras: vec!["fcr".into()],
                skills: vec![],
                shared: true,
                created_at: at,
            },
            record::LogEntry {
                date: day(2025, 10, 2),
                title: "A private note to self".into(),
                details: String::new(),
                impact_value: None,
                impact_unit: None,
                tags: vec![],
                kras: vec![],
                skills: vec![],
                shared: false,
                created_at: at,
            },
        ],
        skills: vec![record::SkillLevel {
            skill: "communication".into(),
            level: 4,
            assessor: "leader".into(),
            assessed_at: at,
        }],
        certifications: vec![record::Certification {
            certification: "six-sigma-yellow-belt".into(),
            status: "earned".into(),
            planned_date: None,
            earned_date: Some(day(2025, 11, 20)),
            expires_date: None,
        }],
        training: vec![],
        checkins: vec![],
        coaching_notes: vec![],
        applications: vec![],
    }
}

#[test]
fn a_written_record_reads_back_the_same() {
    let r = sample();
    let bytes = serde_json::to_vec(&r).unwrap();
    assert_eq!(record::parse(&bytes).unwrap(), r);
    // A file made before goals were kept has none, and still reads.
    let mut older = serde_json::to_value(&r).unwrap();
    older.as_object_mut().unwrap().remove("goals");
    let read = record::parse(&serde_json::to_vec(&older).unwrap()).unwrap();
    assert_eq!((read.goals.len(), read.log), (0, r.log));
}

#[test]
fn an_unknown_version_or_format_is_refused_before_anything_else() {
    let mut json = serde_json::to_value(sample()).unwrap();
    json["version"] = 2.into();
    let err = record::parse(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert_eq!(err.field, "version");
    json["format"] = "something-else".into();
    assert_eq!(record::parse(&serde_json::to_vec(&json).unwrap()).unwrap_err().field, "format");
}

#[test]
fn fields_over_their_limits_are_refused_by_name() {
    let mut r = sample();
    r.log[1].title = "x".repeat(201);
    assert_eq!(record::parse(&serde_json::to_vec(&r).unwrap()).unwrap_err().field, "log[1].title");
    let mut r = sample();
    r.skills[0].level = 6;
    assert_eq!(record::parse(&serde_json::to_vec(&r).unwrap()).unwrap_err().field, "skills[0].level");
    let mut r = sample();
    r.work[0].to = Some(day(2023, 1, 1));
    assert_eq!(record::parse(&serde_json::to_vec(&r).unwrap()).unwrap_err().field, "work[0].to");
    let mut r = sample();
    r.goals[0].note = "n".repeat(2001);
    assert_eq!(record::parse(&serde_json::to_vec(&r).unwrap()).unwrap_err().field, "goals[0].note");
    let mut r = sample();
    r.goals = vec![r.goals[0].clone(); record::MAX_GOALS + 1];
    assert_eq!(record::parse(&serde_json::to_vec(&r).unwrap()).unwrap_err().field, "goals");
    let too_big = vec![b' '; record::MAX_FILE_BYTES as usize + 1];
    assert_eq!(record::parse(&too_big).unwrap_err().field, "file");
}

#[test]
fn the_resume_is_valid_json_resume_with_roles_dates_numbers_skills_and_certificates() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/jsonresume/schema.json")).expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let fw = Framework::default_framework();
    let resume = record::resume::resume(&sample(), &fw);
    let errors: Vec<String> = validator.iter_errors(&resume).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{resume:#}");

    let work = resume["work"].as_array().unwrap();
    assert_eq!(work.len(), 2, "both roles, newest first");
    assert_eq!(work[0]["startDate"], "2025-06-01");
    assert!(work[0].get("endDate").is_none(), "the role held now has no end");
    assert_eq!(work[1]["endDate"], "2025-05-31");
    assert_eq!(work[0]["name"], "Acme BPO");
    let highlights = work[0]["highlights"].as_array().unwrap();
    assert_eq!(highlights.len(), 1, "shared entries only, in the role's dates: {highlights:?}");
    assert!(highlights[0].as_str().unwrap().contains("12.5 %"), "with its number");
    assert_eq!(resume["skills"][0]["level"], "Advanced");
    assert_eq!(resume["certificates"][0]["date"], "2025-11-20");
    assert!(!resume.to_string().contains("private note"), "private entries stay out of a résumé");
}

#[test]
fn a_record_without_private_entries_keeps_shared_ones_and_renumbers_checkin_links() {
    let mut r = sample();
    let shared_later = record::LogEntry { title: "Shared later".into(), shared: true, ..r.log[0].clone() };
    r.log.push(shared_later);
    r.checkins.push(record::Checkin {
        month: day(2025, 10, 1),
        highlights: String::new(),
        log_entries: vec![0, 1, 2],
        blockers: String::new(),
        asks: String::new(),
        submitted_at: r.exported_at,
        acknowledged_at: None,
        leader_comment: None,
    });
    let r = r.without_private_entries();
    let titles: Vec<&str> = r.log.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Cut repeat calls on billing", "Shared later"]);
    assert_eq!(r.checkins[0].log_entries, [0, 1], "the private entry's link goes, the later one moves up");
}

#[test]
fn ids_unknown_to_the_framework_are_named_by_field_before_anything_is_written() {
    let fw = Framework::default_framework();
    assert_eq!(sample().check_ids(&fw), Ok(()));
    let mut r = sample();
    r.certifications[0].certification = "made-up-cert".into();
    assert_eq!(r.check_ids(&fw).unwrap_err().field, "certifications[0].certification");
    let mut r = sample();
    r.person.role = "astronaut".into();
    assert_eq!(r.check_ids(&fw).unwrap_err().field, "person.role");
    let mut r = sample();
    r.skills[0].skill = "juggling".into();
    assert_eq!(r.check_ids(&fw).unwrap_err().field, "skills[0].skill");
    let mut r = sample();
    r.goals[0].milestone_role = "astronaut".into();
    assert_eq!(r.check_ids(&fw).unwrap_err().field, "goals[0].milestone_role");
}
