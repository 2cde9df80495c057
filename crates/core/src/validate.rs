//! Every check a framework must pass, each problem reported with the place it is at.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::framework::{Framework, KraTemplate, Problem, Role};
use crate::metric::{Direction, Limits};

/// All problems in a framework; empty when it is valid.
pub fn validate(fw: &Framework) -> Vec<Problem> {
    let mut out = Problems::default();
    let role_ids = ids(&mut out, "role", fw.roles.iter().map(|r| r.id.as_str()));
    let skill_ids = ids(&mut out, "skill", fw.skills.iter().map(|s| s.id.as_str()));
    let cert_ids = ids(&mut out, "certification", fw.certifications.iter().map(|c| c.id.as_str()));
    let metric_ids = ids(&mut out, "metric", fw.metrics.iter().map(|m| m.id.as_str()));
    let ratings: BTreeSet<u8> = fw.scoring.bands.iter().map(|b| b.rating).collect();
    let known = Known { roles: &role_ids, skills: &skill_ids, certifications: &cert_ids, metrics: &metric_ids };

    check_metrics(&mut out, fw);
    check_skills(&mut out, fw);
    check_certifications(&mut out, fw, &known);
    for r in &fw.roles {
        check_role(&mut out, fw, r, &known, &ratings);
    }
    check_paths(&mut out, fw, &known);
    for t in &fw.titles {
        if !known.roles.contains(t.role.as_str()) {
            out.push(&format!("title[{}]", t.title), "role", &format!("unknown role '{}'", t.role));
        }
    }
    check_scoring(&mut out, fw, &metric_ids, &ratings);
    out.0.extend(crate::explore::problems(fw));
    out.0
}

/// The ids each kind of item declares, for checking references to them.
struct Known<'a> {
    roles: &'a BTreeSet<&'a str>,
    skills: &'a BTreeSet<&'a str>,
    certifications: &'a BTreeSet<&'a str>,
    metrics: &'a BTreeSet<&'a str>,
}

fn check_metrics(out: &mut Problems, fw: &Framework) {
    for m in &fw.metrics {
        let at = format!("metric[{}]", m.id);
        if m.scale.is_nan() || m.scale <= 0.0 {
            out.push(&at, "scale", "must be greater than 0");
        }
        check_limits(out, &at, m.direction, Limits { threshold: m.threshold, target: m.target, stretch: m.stretch });
    }
}

fn check_skills(out: &mut Problems, fw: &Framework) {
    for s in &fw.skills {
        if s.levels.len() != 5 {
            out.push(
                &format!("skill[{}]", s.id),
                "levels",
                &format!("needs 5 level descriptors, has {}", s.levels.len()),
            );
        }
    }
}

fn check_certifications(out: &mut Problems, fw: &Framework, known: &Known) {
    for c in &fw.certifications {
        for (i, r) in c.helps_roles.iter().enumerate() {
            if !known.roles.contains(r.as_str()) {
                out.push(
                    &format!("certification[{}]", c.id),
                    &format!("helps_roles[{i}]"),
                    &format!("unknown role '{r}'"),
                );
            }
        }
        if c.validity_months == Some(0) {
            out.push(&format!("certification[{}]", c.id), "validity_months", "must be at least 1 when given");
        }
        if c.lifetime && c.validity_months.is_some() {
            out.push(
                &format!("certification[{}]", c.id),
                "lifetime",
                "a lifetime certification has no validity_months",
            );
        }
    }
}

/// A role's level, its KRA template and its requirements (skills, certifications, rating).
fn check_role(out: &mut Problems, fw: &Framework, r: &Role, known: &Known, ratings: &BTreeSet<u8>) {
    let at = format!("role[{}]", r.id);
    if r.level == 0 {
        out.push(&at, "level", "starts at 1");
    }
    check_template(out, &at, fw, known.metrics, &r.kras);
    let req = &r.requirements;
    for (skill, level) in &req.skills {
        if !known.skills.contains(skill.as_str()) {
            out.push(&at, &format!("requirements.skills.{skill}"), "unknown skill");
        }
        if !(1..=5).contains(level) {
            out.push(&at, &format!("requirements.skills.{skill}"), &format!("level {level} is outside 1–5"));
        }
    }
    for (field, list) in
        [("certifications", &req.certifications), ("preferred_certifications", &req.preferred_certifications)]
    {
        for (i, c) in list.iter().enumerate() {
            if !known.certifications.contains(c.as_str()) {
                out.push(&at, &format!("requirements.{field}[{i}]"), &format!("unknown certification '{c}'"));
            }
        }
    }
    if let Some(min) = req.min_rating {
        if !ratings.contains(&min) {
            out.push(&at, "requirements.min_rating", &format!("rating {min} is not one of the scoring bands"));
        }
        if req.rating_months == 0 {
            out.push(&at, "requirements.rating_months", "must be at least 1 when min_rating is set");
        }
    }
}

/// Paths between known roles, each once, with sensible durations, and no cycle among them.
fn check_paths(out: &mut Problems, fw: &Framework, known: &Known) {
    let mut seen_paths = HashSet::new();
    for (i, p) in fw.paths.iter().enumerate() {
        let at = format!("path[{i}] ({} → {})", p.from, p.to);
        for (field, id) in [("from", &p.from), ("to", &p.to)] {
            if !known.roles.contains(id.as_str()) {
                out.push(&at, field, &format!("unknown role '{id}'"));
            }
        }
        if p.from == p.to {
            out.push(&at, "to", "a path cannot lead back to the same role");
        }
        if p.months_min > p.months_max {
            out.push(&at, "months_min", &format!("{} is more than months_max {}", p.months_min, p.months_max));
        }
        if !seen_paths.insert((p.from.as_str(), p.to.as_str())) {
            out.push(&at, "to", "duplicate path");
        }
    }
    if let Some(cycle) = find_cycle(fw) {
        out.push("path", "", &format!("the paths form a cycle: {}", cycle.join(" → ")));
    }
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, at: &str, field: &str, message: &str) {
        let at = if field.is_empty() { at.to_string() } else { format!("{at}.{field}") };
        self.0.push(Problem { at, message: message.to_string() });
    }
}

fn ids<'a>(out: &mut Problems, kind: &str, items: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut set = BTreeSet::new();
    for (i, id) in items.enumerate() {
        if !is_kebab(id) {
            out.push(
                &format!("{kind}[{i}]"),
                "id",
                &format!("'{id}' is not a kebab-case id (a-z, 0-9, single dashes)"),
            );
        }
        if !set.insert(id) {
            out.push(&format!("{kind}[{id}]"), "id", "duplicate id");
        }
    }
    set
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether a KRA's limits are in the order its direction needs; the message says why not.
pub fn limits_in_order(direction: Direction, l: Limits) -> Result<(), String> {
    let ok = match direction {
        Direction::Higher => l.threshold < l.target && l.target < l.stretch,
        Direction::Lower => l.threshold > l.target && l.target > l.stretch,
        Direction::Band => l.threshold < l.target && l.target < l.stretch,
    };
    if ok {
        return Ok(());
    }
    let rule = match direction {
        Direction::Higher => "higher is better, so threshold < target < stretch",
        Direction::Lower => "lower is better, so threshold > target > stretch",
        Direction::Band => "a band needs threshold < target (band low) < stretch (band high)",
    };
    Err(format!("threshold {}, target {}, stretch {} are out of order: {rule}", l.threshold, l.target, l.stretch))
}

fn check_limits(out: &mut Problems, at: &str, direction: Direction, l: Limits) {
    if let Err(message) = limits_in_order(direction, l) {
        out.push(at, "threshold", &message);
    }
}

fn check_template(out: &mut Problems, at: &str, fw: &Framework, metric_ids: &BTreeSet<&str>, kras: &[KraTemplate]) {
    if kras.is_empty() {
        return;
    }
    let mut seen = HashSet::new();
    for (i, k) in kras.iter().enumerate() {
        let here = format!("{at}.kras[{i}]");
        if !metric_ids.contains(k.metric.as_str()) {
            out.push(&here, "metric", &format!("unknown metric '{}'", k.metric));
            continue;
        }
        if !seen.insert(k.metric.as_str()) {
            out.push(&here, "metric", &format!("'{}' appears twice", k.metric));
        }
        if k.weight.is_nan() || k.weight <= 0.0 {
            out.push(&here, "weight", "must be greater than 0");
        }
        let m = fw.metric(&k.metric).expect("checked above");
        let limits = Limits {
            threshold: k.threshold.unwrap_or(m.threshold),
            target: k.target.unwrap_or(m.target),
            stretch: k.stretch.unwrap_or(m.stretch),
        };
        if k.threshold.is_some() || k.target.is_some() || k.stretch.is_some() {
            check_limits(out, &here, m.direction, limits);
        }
    }
    let total: f64 = kras.iter().map(|k| k.weight).sum();
    if (total - 100.0).abs() > 1e-6 {
        out.push(at, "kras", &format!("weights sum to {total}, not 100"));
    }
}

fn check_scoring(out: &mut Problems, fw: &Framework, metric_ids: &BTreeSet<&str>, ratings: &BTreeSet<u8>) {
    let s = &fw.scoring;
    if !(0.0..=100.0).contains(&s.threshold_credit) {
        out.push("scoring", "threshold_credit", "must be between 0 and 100");
    }
    if s.stretch_credit < 100.0 {
        out.push("scoring", "stretch_credit", "must be at least 100");
    }
    if s.bands.is_empty() {
        out.push("scoring", "band", "at least one rating band is needed");
    }
    let mut by_rating: Vec<_> = s.bands.iter().collect();
    by_rating.sort_by_key(|b| b.rating);
    for pair in by_rating.windows(2) {
        if pair[0].rating == pair[1].rating {
            out.push(&format!("scoring.band[rating {}]", pair[1].rating), "rating", "duplicate rating");
        } else if pair[0].min_score >= pair[1].min_score {
            out.push(
                &format!("scoring.band[rating {}]", pair[1].rating),
                "min_score",
                &format!("must be above rating {}'s min_score {}", pair[0].rating, pair[0].min_score),
            );
        }
    }
    if by_rating.first().is_some_and(|b| b.min_score > 0.0) {
        out.push("scoring.band", "min_score", "the lowest band must start at 0 so every score has a rating");
    }
    let mut gate_ids = HashSet::new();
    for g in &s.gates {
        let at = format!("scoring.gate[{}]", g.id);
        if !gate_ids.insert(g.id.as_str()) {
            out.push(&at, "id", "duplicate gate");
        }
        if !metric_ids.contains(g.metric.as_str()) {
            out.push(&at, "metric", &format!("unknown metric '{}'", g.metric));
        }
        if g.below.is_none() && g.above.is_none() {
            out.push(&at, "below", "a gate needs `below` or `above`");
        }
        if g.cap_rating.is_none() && g.incentive_factor.is_none() {
            out.push(&at, "cap_rating", "a gate needs an effect: `cap_rating` or `incentive_factor`");
        }
        if let Some(c) = g.cap_rating {
            if !ratings.contains(&c) {
                out.push(&at, "cap_rating", &format!("rating {c} is not one of the bands"));
            }
        }
        if let Some(f) = g.incentive_factor {
            if !(0.0..=1.0).contains(&f) {
                out.push(&at, "incentive_factor", "must be between 0 and 1");
            }
        }
    }
    check_enough_data(out, fw);
    let mut steps = HashSet::new();
    for step in &s.incentive {
        let at = format!("scoring.incentive[rating {}]", step.rating);
        if !ratings.contains(&step.rating) {
            out.push(&at, "rating", "not one of the bands");
        }
        if !steps.insert(step.rating) {
            out.push(&at, "rating", "duplicate incentive step");
        }
        if step.payout_percent < 0.0 {
            out.push(&at, "payout_percent", "cannot be negative");
        }
    }
}

/// The rules on enough data: a share of weight in 0–100 %, and per metric a volume that is a
/// count of its denominator (so only ratio metrics), within reason, declared once.
fn check_enough_data(out: &mut Problems, fw: &Framework) {
    let s = &fw.scoring;
    if !(0.0..=100.0).contains(&s.min_weight_with_data) {
        out.push("scoring", "min_weight_with_data", "must be a share of the weight between 0 and 100 (%)");
    }
    let mut seen = HashSet::new();
    for v in &s.min_volume {
        let at = format!("scoring.min_volume[{}]", v.metric);
        if !seen.insert(v.metric.as_str()) {
            out.push(&at, "metric", "declared twice");
        }
        match fw.metric(&v.metric) {
            None => out.push(&at, "metric", &format!("unknown metric '{}'", v.metric)),
            Some(m) if m.denominator.is_none() => out.push(
                &at,
                "metric",
                &format!("'{}' is a plain sum with no denominator to count a volume of", v.metric),
            ),
            Some(_) => {}
        }
        if !(0.0..=MAX_MIN_VOLUME).contains(&v.min) {
            out.push(&at, "min", &format!("must be between 0 and {MAX_MIN_VOLUME}"));
        }
        let unit = v.unit.trim();
        if unit.is_empty() || unit.chars().count() > 40 || unit.chars().any(char::is_control) {
            out.push(&at, "unit", "what the volume counts, e.g. \"surveys\": 1 to 40 characters on one line");
        }
    }
}

/// The largest minimum volume a metric may declare per month.
const MAX_MIN_VOLUME: f64 = 1_000_000.0;

/// A cycle in the role graph, as the roles along it, if there is one.
fn find_cycle(fw: &Framework) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in &fw.paths {
        next.entry(p.from.as_str()).or_default().push(p.to.as_str());
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| *n == node).unwrap_or(0);
                let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node, Mark::Open);
        stack.push(node);
        for n in next.get(node).into_iter().flatten() {
            if let Some(c) = visit(n, next, marks, stack) {
                return Some(c);
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    let starts: Vec<&str> = next.keys().copied().collect();
    for s in starts {
        if let Some(c) = visit(s, &next, &mut marks, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

/// Every check the learning catalogue must pass against a framework: unique kebab ids, known
/// skills and certifications, bounded hours and prices, a currency with each price.
pub fn validate_catalogue(fw: &Framework, catalogue: &crate::learning::Catalogue) -> Vec<Problem> {
    let mut out = Problems::default();
    let ids_seen = ids(&mut out, "item", catalogue.items.iter().map(|i| i.id.as_str()));
    if ids_seen.len() != catalogue.items.len() {
        out.push("item", "id", "ids must be unique");
    }
    for item in &catalogue.items {
        let at = format!("item[{}]", item.id);
        if item.title.trim().is_empty() || item.provider.trim().is_empty() {
            out.push(&at, "title", "needs a title and a provider");
        }
        if item.skills.is_empty() && item.certifications.is_empty() {
            out.push(&at, "skills", "names at least one skill or certification it helps with");
        }
        for s in item.skills.iter().filter(|s| fw.skill(s).is_none()) {
            out.push(&at, "skills", &format!("unknown skill '{s}'"));
        }
        for c in item.certifications.iter().filter(|c| fw.certification(c).is_none()) {
            out.push(&at, "certifications", &format!("unknown certification '{c}'"));
        }
        let problems =
            crate::learning::item_problems(item.hours, item.price_minor, item.currency.as_deref(), &item.link);
        for (field, message) in problems {
            out.push(&at, field, &message);
        }
    }
    out.0
}

/// The framework's skills and certifications that no catalogue item helps with.
pub fn uncovered(fw: &Framework, catalogue: &crate::learning::Catalogue) -> Vec<String> {
    use crate::learning::Gap;
    let skills = fw.skills.iter().map(|s| Gap::Skill(s.id.clone()));
    let certs = fw.certifications.iter().map(|c| Gap::Certification(c.id.clone()));
    skills.chain(certs).filter(|g| catalogue.for_gap(g).next().is_none()).map(|g| format!("{g:?}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("team-leader"));
        assert!(is_kebab("itil-4-foundation"));
        assert!(!is_kebab("Team Leader"));
        assert!(!is_kebab("team--leader"));
        assert!(!is_kebab("-x"));
        assert!(!is_kebab(""));
    }

    #[test]
    fn a_lifetime_certification_with_a_validity_is_named() {
        let mut fw = Framework::default_framework();
        let c = fw.certifications.iter_mut().find(|c| c.id == "six-sigma-yellow-belt").unwrap();
        assert!(c.lifetime && c.validity_months.is_none(), "ASQ belts are lifetime (learning.md §2)");
        c.validity_months = Some(36);
        let at: Vec<String> = validate(&fw).into_iter().map(|p| p.to_string()).collect();
        assert!(at.iter().any(|p| p.contains("six-sigma-yellow-belt") && p.contains("lifetime")), "{at:?}");
    }

    #[test]
    fn the_starter_catalogue_fits_the_default_framework_and_covers_every_gap() {
        let fw = Framework::default_framework();
        let catalogue = crate::learning::Catalogue::starter();
        let problems: Vec<String> = validate_catalogue(&fw, catalogue).iter().map(|p| p.to_string()).collect();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(uncovered(&fw, catalogue), Vec::<String>::new());
    }

    #[test]
    fn a_catalogue_mistake_is_named_by_its_place() {
        let fw = Framework::default_framework();
        let mut catalogue = crate::learning::Catalogue::starter().clone();
        catalogue.items[0].skills.push("juggling".into());
        catalogue.items[1].price_minor = Some(500);
        catalogue.items[1].currency = None;
        let at: Vec<String> = validate_catalogue(&fw, &catalogue).iter().map(|p| p.to_string()).collect();
        assert!(at.iter().any(|p| p.contains("juggling") && p.contains(&catalogue.items[0].id)), "{at:?}");
        assert!(at.iter().any(|p| p.contains(&format!("item[{}].currency", catalogue.items[1].id))), "{at:?}");
    }
}
