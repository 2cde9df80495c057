//! `Framework::load` reports every problem with its place, and the default framework is valid.

use ladder_core::framework::{Framework, FrameworkOverlay, LoadError};

const SMALL: &str = include_str!("fixtures/small.toml");

/// Every problem `text` has, as "place: message" lines.
fn problems(text: &str) -> Vec<String> {
    match Framework::load(text) {
        Ok(_) => vec![],
        Err(LoadError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
        Err(LoadError::Syntax(s)) => panic!("syntax error instead of problems: {s}"),
    }
}

fn assert_problem(text: &str, place: &str, words: &str) {
    let found = problems(text);
    assert!(
        found.iter().any(|p| p.starts_with(place) && p.contains(words)),
        "expected a problem at {place} saying '{words}', got {found:#?}"
    );
}

const ROLES: &str = r#"
[[role]]
id = "senior"
name = "Senior"
family = "voice"
level = 2
summary = "s"
education = "not-required"

[[role]]
id = "lead"
name = "Lead"
family = "management"
level = 3
summary = "s"
education = "degree-preferred"
"#;

#[test]
fn the_small_fixture_is_valid() {
    assert_eq!(problems(SMALL), Vec::<String>::new());
}

#[test]
fn the_default_framework_is_valid_and_complete() {
    let fw = Framework::default_framework();
    assert!(fw.roles.len() >= 14, "{} roles", fw.roles.len());
    assert!(fw.skills.len() >= 12);
    assert!(fw.certifications.len() >= 6);
    assert!(fw.metrics.len() >= 15);
    for id in [
        "customer-service-executive",
        "technical-support-associate",
        "data-entry-operator",
        "process-associate",
        "team-leader",
        "quality-analyst",
        "process-trainer",
        "operations-manager",
        "transition-manager",
        "client-relationship-manager",
    ] {
        assert!(fw.role(id).is_some(), "role {id}");
    }
    for id in ["aht", "fcr", "csat", "qa-score", "adherence", "attendance", "accuracy"] {
        assert!(fw.metric(id).is_some(), "metric {id}");
    }
    for role in &fw.roles {
        assert!(!role.kras.is_empty(), "{} has a KRA template", role.id);
    }
    let cse = fw.role("customer-service-executive").unwrap();
    assert_eq!(cse.isco08.as_deref(), Some("4222"));
    assert_eq!(cse.onet_soc.as_deref(), Some("43-4051.00"));
}

#[test]
fn unknown_roles_in_a_path_are_named() {
    let text = format!("{SMALL}\n[[path]]\nfrom = \"agent\"\nto = \"wizard\"\nmonths_min = 1\nmonths_max = 2\n");
    assert_problem(&text, "path[0] (agent → wizard).to", "unknown role 'wizard'");
}

#[test]
fn a_cycle_is_reported_with_its_roles() {
    let text = format!(
        "{SMALL}{ROLES}
[[path]]
from = \"agent\"
to = \"senior\"
months_min = 12
months_max = 18
[[path]]
from = \"senior\"
to = \"lead\"
months_min = 12
months_max = 18
[[path]]
from = \"lead\"
to = \"senior\"
months_min = 1
months_max = 2
"
    );
    assert_problem(&text, "path", "cycle: senior → lead → senior");
}

#[test]
fn months_out_of_order_and_self_paths_are_refused() {
    let text = format!("{SMALL}\n[[path]]\nfrom = \"agent\"\nto = \"agent\"\nmonths_min = 9\nmonths_max = 3\n");
    assert_problem(&text, "path[0] (agent → agent).to", "same role");
    assert_problem(&text, "path[0] (agent → agent).months_min", "9 is more than months_max 3");
}

#[test]
fn template_weights_must_sum_to_100() {
    let text = SMALL.replace("{ metric = \"attendance\", weight = 15 }", "{ metric = \"attendance\", weight = 5 }");
    assert_problem(&text, "role[agent].kras", "weights sum to 90, not 100");
}

#[test]
fn unknown_and_duplicate_template_metrics_are_named() {
    let text = SMALL.replace("{ metric = \"csat\", weight = 25 }", "{ metric = \"nps\", weight = 25 }");
    assert_problem(&text, "role[agent].kras[2].metric", "unknown metric 'nps'");
    let text = SMALL.replace("{ metric = \"csat\", weight = 25 }", "{ metric = \"fcr\", weight = 25 }");
    assert_problem(&text, "role[agent].kras[2].metric", "'fcr' appears twice");
}

#[test]
fn a_threshold_on_the_wrong_side_of_target_is_refused_for_its_direction() {
    // AHT is lower-is-better: a threshold below target is backwards.
    let text = SMALL.replace("threshold = 600\ntarget = 480", "threshold = 400\ntarget = 480");
    assert_problem(&text, "metric[aht].threshold", "lower is better, so threshold > target > stretch");
    // FCR is higher-is-better; an override in a template is checked too.
    let text = SMALL.replace("{ metric = \"fcr\", weight = 30 }", "{ metric = \"fcr\", weight = 30, threshold = 75 }");
    assert_problem(&text, "role[agent].kras[1].threshold", "higher is better");
}

#[test]
fn ids_must_be_unique_kebab_case() {
    let text = SMALL.replace("id = \"agent\"", "id = \"Agent One\"");
    assert_problem(&text, "role[0].id", "not a kebab-case id");
    let text = format!("{SMALL}{}", &ROLES.replace("\"senior\"", "\"agent\""));
    assert_problem(&text, "role[agent].id", "duplicate id");
}

#[test]
fn requirements_must_name_known_skills_certifications_and_ratings() {
    let text = format!(
        "{SMALL}{}",
        ROLES.replacen(
            "education = \"not-required\"",
            "education = \"not-required\"\n[role.requirements]\nmin_tenure_months = 6\nmin_rating = 9\nskills = { juggling = 3 }\ncertifications = [\"pmp\"]",
            1
        )
    );
    assert_problem(&text, "role[senior].requirements.skills.juggling", "unknown skill");
    assert_problem(&text, "role[senior].requirements.certifications[0]", "unknown certification 'pmp'");
    assert_problem(&text, "role[senior].requirements.min_rating", "rating 9 is not one of the scoring bands");
}

#[test]
fn scoring_rules_are_checked() {
    let text = SMALL
        .replace(
            "{ rating = 3, label = \"Meets\", min_score = 90 }",
            "{ rating = 3, label = \"Meets\", min_score = 60 }",
        )
        .replace("metric = \"fatal-errors\", above = 0", "metric = \"errors\", above = 0");
    assert_problem(&text, "scoring.band[rating 3].min_score", "must be above rating 2's min_score 70");
    assert_problem(&text, "scoring.gate[fatal-error].metric", "unknown metric 'errors'");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = SMALL
        .replace("{ metric = \"attendance\", weight = 15 }", "{ metric = \"attendance\", weight = 5 }")
        .replace("threshold = 600\ntarget = 480", "threshold = 400\ntarget = 480");
    assert_eq!(problems(&text).len(), 2, "{:#?}", problems(&text));
}

#[test]
fn syntax_errors_name_the_line() {
    let text = SMALL.replace("name = \"AHT\"", "name = AHT");
    match Framework::load(&text) {
        Err(LoadError::Syntax(s)) => assert!(s.contains("line 32"), "{s}"),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn an_overlay_replaces_by_id_and_adds_new_entries() {
    let mut fw = Framework::load(SMALL).unwrap();
    let overlay = FrameworkOverlay::parse(&format!(
        "{ROLES}\n[[metric]]\nid = \"fcr\"\nname = \"FCR (7-day)\"\nnumerator = \"n\"\ndenominator = \"d\"\nunit = \"percent\"\nscale = 100\ndirection = \"higher\"\nthreshold = 65\ntarget = 75\nstretch = 85\n"
    ))
    .unwrap();
    fw.extend(overlay);
    assert_eq!(fw.roles.len(), 3);
    assert_eq!(fw.metrics.len(), 5);
    assert_eq!(fw.metric("fcr").unwrap().target, 75.0);
    assert!(ladder_core::validate::validate(&fw).is_empty());
}

#[test]
fn settings_default_to_ladders_numbers_and_a_file_may_change_them() {
    use ladder_core::settings::FrameworkSettings;
    assert_eq!(Framework::default_framework().settings, FrameworkSettings::default(), "default.toml says the defaults");
    assert_eq!(Framework::load(SMALL).unwrap().settings, FrameworkSettings::default(), "no [settings]: the defaults");

    let own = Framework::load(&format!("{SMALL}\n[settings]\nfollow_up_reminder_days = 7\n")).unwrap();
    assert_eq!(own.settings.follow_up_reminder_days, 7);
    assert_eq!(own.settings.certification_expiry_warning_days, 60, "keys left out keep the default");

    let mut fw = Framework::load(SMALL).unwrap();
    fw.extend(FrameworkOverlay::parse("[settings]\nslipping_trend_per_month = -1.5\n").unwrap());
    assert!(!fw.settings.slipping(Some(-1.0)) && fw.settings.slipping(Some(-2.0)));
    // A second overlay changes its own key only: the first one's stays.
    fw.extend(FrameworkOverlay::parse("[settings]\nfollow_up_reminder_days = 3\n").unwrap());
    assert_eq!((fw.settings.follow_up_reminder_days, fw.settings.slipping_trend_per_month), (3, -1.5));
}

#[test]
fn settings_that_make_no_sense_are_refused_by_name() {
    for (bad, key) in [
        ("attainment_bands = [75, 100, 110]", "attainment_bands"),
        ("slipping_trend_per_month = 2", "slipping_trend_per_month"),
        ("certification_expiry_warning_days = 100000", "certification_expiry_warning_days"),
        ("reminder_days = 3", "reminder_days"),
    ] {
        let text = format!("{SMALL}\n[settings]\n{bad}\n");
        match Framework::load(&text) {
            Err(LoadError::Syntax(s)) => assert!(s.contains(key), "{bad}: {s}"),
            other => panic!("{bad}: expected it refused, got {other:?}"),
        }
        assert!(FrameworkOverlay::parse(&format!("[settings]\n{bad}\n")).is_err(), "{bad} in an overlay");
    }
}
