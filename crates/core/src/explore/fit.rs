//! "Which entry role fits me": a newcomer's own ratings of a few skills (1–5), whether they
//! want voice or written work, whether they can work nights and whether they hold a degree,
//! scored against each entry role's profile. The score guides; it decides nothing, so every
//! suggestion carries its reasons and the things to weigh.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::Nights;
use crate::framework::{Education, Framework, RoleFamily};

/// Voice work (calls), written work (chat, email, back office), or either.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Voice,
    NonVoice,
    #[default]
    Either,
}

/// What the person says about themselves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers {
    /// Skill id → the person's own rating, 1–5. A skill left out counts as 1.
    pub skills: BTreeMap<String, u8>,
    pub channel: Channel,
    pub nights_ok: bool,
    pub degree: bool,
}

/// An answer the form cannot take, named by its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct AnswerError {
    pub field: String,
    pub message: String,
}

/// How well an entry role fits the answers, out of 100, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion<'a> {
    pub role: &'a str,
    pub score: u8,
    pub reasons: Vec<String>,
    /// Things to weigh before choosing it.
    pub cautions: Vec<String>,
}

/// Points of the 100 for skills, the kind of work, nights and education.
const SKILL_POINTS: f64 = 60.0;
const CHANNEL_POINTS: f64 = 20.0;
const NIGHT_POINTS: f64 = 10.0;
const DEGREE_POINTS: f64 = 10.0;

/// The skills the self-assessment asks about: every skill an entry profile names, in the
/// framework's order.
pub fn asked_skills(fw: &Framework) -> Vec<&str> {
    let named: BTreeSet<&str> = fw.entries.iter().flat_map(|e| e.skills.keys().map(String::as_str)).collect();
    fw.skills.iter().map(|s| s.id.as_str()).filter(|id| named.contains(id)).collect()
}

impl Answers {
    /// Refuses a skill the form does not ask about and a rating outside 1–5.
    pub fn check(&self, fw: &Framework) -> Result<(), AnswerError> {
        let asked = asked_skills(fw);
        for (skill, &rating) in &self.skills {
            let field = format!("skills.{skill}");
            if !asked.contains(&skill.as_str()) {
                return Err(AnswerError { field, message: "not a skill this self-assessment asks about".into() });
            }
            if !(1..=5).contains(&rating) {
                return Err(AnswerError { field, message: format!("{rating} is outside 1–5") });
            }
        }
        Ok(())
    }
}

/// Every entry role with a profile, best fit first (ties by the framework's order).
pub fn suggest<'a>(fw: &'a Framework, answers: &Answers) -> Vec<Suggestion<'a>> {
    let mut out: Vec<Suggestion> = fw
        .entries
        .iter()
        .filter_map(|entry| Some((entry, fw.role(&entry.role)?)))
        .map(|(entry, role)| {
            let mut reasons = Vec::new();
            let mut cautions = Vec::new();
            let skills = skill_share(fw, &entry.skills, &answers.skills, &mut reasons, &mut cautions);
            let channel = channel_share(role.family, answers.channel, &mut reasons, &mut cautions);
            let nights = night_share(entry.nights, answers.nights_ok, &mut reasons, &mut cautions);
            let degree = degree_share(role.education, answers.degree, &mut reasons, &mut cautions);
            let score =
                SKILL_POINTS * skills + CHANNEL_POINTS * channel + NIGHT_POINTS * nights + DEGREE_POINTS * degree;
            Suggestion { role: role.id.as_str(), score: score.round().clamp(0.0, 100.0) as u8, reasons, cautions }
        })
        .collect();
    // A stable sort keeps the framework's order among equal scores.
    out.sort_by_key(|s| std::cmp::Reverse(s.score));
    out
}

/// The mean of each asked skill's rating against the level the role asks (capped at 1).
fn skill_share(
    fw: &Framework,
    wants: &BTreeMap<String, u8>,
    has: &BTreeMap<String, u8>,
    reasons: &mut Vec<String>,
    cautions: &mut Vec<String>,
) -> f64 {
    if wants.is_empty() {
        return 1.0;
    }
    let mut sum = 0.0;
    for (skill, &level) in wants {
        let rating = has.get(skill).copied().unwrap_or(1);
        let name = fw.skill(skill).map_or(skill.as_str(), |s| s.name.as_str());
        sum += (f64::from(rating) / f64::from(level.max(1))).min(1.0);
        if rating >= level {
            reasons.push(format!("{name}: you rate yourself {rating}, the role asks for {level}"));
        } else {
            cautions.push(format!(
                "{name}: you rate yourself {rating}, the role asks for {level} — the first 90 days build it"
            ));
        }
    }
    sum / wants.len() as f64
}

fn channel_share(family: RoleFamily, wanted: Channel, reasons: &mut Vec<String>, cautions: &mut Vec<String>) -> f64 {
    let voice = family == RoleFamily::Voice;
    let work = if voice { "calls (voice)" } else { "written or back-office work (non-voice)" };
    match (wanted, voice) {
        (Channel::Either, _) => {
            reasons.push(format!("the work is {work}, and either suits you"));
            0.5
        }
        (Channel::Voice, true) | (Channel::NonVoice, false) => {
            reasons.push(format!("the work is {work}, as you prefer"));
            1.0
        }
        _ => {
            cautions.push(format!("the work is {work}, not what you prefer"));
            0.0
        }
    }
}

fn night_share(nights: Nights, ok: bool, reasons: &mut Vec<String>, cautions: &mut Vec<String>) -> f64 {
    match (nights, ok) {
        (_, true) | (Nights::Rare, false) => {
            reasons.push(format!("{}, which suits you", nights.label()));
            1.0
        }
        (Nights::Some, false) => {
            cautions.push(format!("{}; ask about day-shift processes", nights.label()));
            0.5
        }
        (Nights::Common, false) => {
            cautions.push(format!("{}, and you said nights are not possible", nights.label()));
            0.0
        }
    }
}

fn degree_share(education: Education, degree: bool, reasons: &mut Vec<String>, cautions: &mut Vec<String>) -> f64 {
    match (education, degree) {
        (Education::NotRequired, _) => {
            reasons.push("no degree is needed".into());
            1.0
        }
        (_, true) => {
            reasons.push("your degree meets what employers ask".into());
            1.0
        }
        (Education::DegreePreferred, false) => {
            cautions.push("employers often prefer graduates for this role".into());
            0.5
        }
        (Education::DegreeRequired, false) => {
            cautions.push("a degree is required for this role".into());
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(skills: &[(&str, u8)], channel: Channel, nights_ok: bool, degree: bool) -> Answers {
        Answers { skills: skills.iter().map(|(s, r)| (s.to_string(), *r)).collect(), channel, nights_ok, degree }
    }

    #[test]
    fn a_strong_talker_who_wants_calls_gets_a_voice_role_first_and_a_typist_a_non_voice_one() {
        let fw = Framework::default_framework();
        let talker = answers(
            &[("communication", 5), ("active-listening", 5), ("empathy", 4), ("customer-service", 4)],
            Channel::Voice,
            true,
            false,
        );
        let best = &suggest(&fw, &talker)[0];
        assert_eq!(fw.role(best.role).unwrap().family, RoleFamily::Voice, "{best:?}");
        assert!(best.reasons.iter().any(|r| r.contains("as you prefer")), "{best:?}");

        let typist = answers(
            &[("typing-speed-accuracy", 5), ("attention-to-detail", 5), ("time-management", 4), ("compliance", 4)],
            Channel::NonVoice,
            false,
            true,
        );
        let ranked = suggest(&fw, &typist);
        assert_eq!(ranked[0].role, "data-entry-operator", "{ranked:?}");
        let voice = ranked.iter().find(|s| s.role == "customer-service-executive").unwrap();
        assert!(voice.score < ranked[0].score);
        assert!(voice.cautions.iter().any(|c| c.contains("nights are not possible")), "{voice:?}");
    }

    #[test]
    fn scores_stay_within_0_to_100_and_every_entry_role_is_scored() {
        let fw = Framework::default_framework();
        let all_high =
            answers(&asked_skills(&fw).iter().map(|s| (*s, 5)).collect::<Vec<_>>(), Channel::Voice, true, true);
        let top = suggest(&fw, &all_high);
        assert_eq!(top.len(), fw.entries.len());
        assert_eq!(top[0].score, 100, "{top:?}");
        let nothing = suggest(&fw, &answers(&[], Channel::NonVoice, false, false));
        assert!(nothing.iter().all(|s| s.score < 70), "{nothing:?}");
        // A skill left out counts as the lowest rating, and says so as a caution.
        assert!(nothing.iter().all(|s| !s.cautions.is_empty()));
    }

    #[test]
    fn a_rating_outside_1_to_5_or_a_skill_not_asked_is_refused_by_name() {
        let fw = Framework::default_framework();
        let e = answers(&[("communication", 6)], Channel::Either, true, true).check(&fw).unwrap_err();
        assert_eq!(e.field, "skills.communication");
        let e = answers(&[("communication", 0)], Channel::Either, true, true).check(&fw).unwrap_err();
        assert_eq!(e.field, "skills.communication");
        let e = answers(&[("business-acumen", 3)], Channel::Either, true, true).check(&fw).unwrap_err();
        assert_eq!(e.field, "skills.business-acumen");
        let e = answers(&[("juggling", 3)], Channel::Either, true, true).check(&fw).unwrap_err();
        assert_eq!(e.field, "skills.juggling");
        assert!(answers(&[("communication", 1), ("empathy", 5)], Channel::Voice, false, false).check(&fw).is_ok());
    }
}
