//! The requirement items: time in role, each skill, each certification (held, expired or
//! missing) and each preferred one, with the gap in words and what would close it. The rating
//! item is in `rating.rs`.

use chrono::NaiveDate;

use super::words::more_months;
use super::{months_after, Profile, RequirementKind, RequirementStatus};
use crate::framework::{Certification, Framework, Requirements};

pub(super) fn tenure_item(req: &Requirements, profile: &Profile, left: u32, date: NaiveDate) -> RequirementStatus {
    let (have, need) = (profile.months_in_role, req.min_tenure_months);
    let met = left == 0;
    RequirementStatus {
        kind: RequirementKind::Tenure,
        id: "tenure".into(),
        name: if profile.tenure_estimated { "Time in role (estimated)" } else { "Time in role" }.into(),
        met,
        have: f64::from(have),
        need: f64::from(need),
        progress: ratio(f64::from(have), f64::from(need)),
        gap: match (met, profile.tenure_estimated) {
            (true, _) => String::new(),
            (false, false) => format!("{} in role", more_months(left)),
            // The caveat: an unknown hire date counts from the first figures, so it may be more.
            (false, true) => {
                format!("{} in role (counted from the first figures; the hire date is unknown)", more_months(left))
            }
        },
        closes_with: if met { vec![] } else { vec![format!("stay in the role until {date}")] },
    }
}

/// A skill requirement. Its gap closes with the level's descriptor; the learning items that fit
/// the skill are the catalogue's (`learning`), not every certification the role likes, which
/// put the same few certifications under every skill.
pub(super) fn skill_item(framework: &Framework, profile: &Profile, id: &str, need: u8) -> RequirementStatus {
    let skill = framework.skill(id);
    let name = skill.map_or_else(|| id.to_string(), |s| s.name.clone());
    let assessed = profile.skills.get(id).copied();
    let have = assessed.unwrap_or(0);
    let met = have >= need;
    let gap = match (met, assessed) {
        (true, _) => String::new(),
        (false, None) => format!("{name} not assessed yet, level {need} needed"),
        (false, Some(_)) => format!("{name} level {have}, {need} needed"),
    };
    let mut closes_with = Vec::new();
    if !met {
        let descriptor = skill.and_then(|s| s.levels.get(usize::from(need).wrapping_sub(1)));
        if let Some(d) = descriptor {
            closes_with.push(format!("reach level {need}: {d}"));
        }
    }
    RequirementStatus {
        kind: RequirementKind::Skill,
        id: id.to_string(),
        name,
        met,
        have: f64::from(have),
        need: f64::from(need),
        progress: ratio(f64::from(have), f64::from(need)),
        gap,
        closes_with,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CertState {
    Valid,
    /// Held, but expired on this date.
    Expired(NaiveDate),
    Missing,
}

/// The best of the profile's records of a certification on `as_of`.
fn cert_state(cert: Option<&Certification>, id: &str, profile: &Profile) -> CertState {
    let validity = cert.and_then(|c| c.validity_months);
    let mut state = CertState::Missing;
    for held in profile.certifications.iter().filter(|h| h.id == id && h.earned <= profile.as_of) {
        let expires = held.expires.or_else(|| validity.map(|m| months_after(held.earned, m)));
        match expires {
            Some(e) if e <= profile.as_of => {
                if !matches!(state, CertState::Expired(latest) if latest >= e) {
                    state = CertState::Expired(e);
                }
            }
            _ => return CertState::Valid,
        }
    }
    state
}

fn cert_label(c: &Certification) -> String {
    format!("{} ({})", c.name, c.issuer)
}

pub(super) fn cert_item(
    framework: &Framework,
    profile: &Profile,
    id: &str,
    kind: RequirementKind,
) -> RequirementStatus {
    let cert = framework.certification(id);
    let name = cert.map_or_else(|| id.to_string(), |c| c.name.clone());
    let label = cert.map_or_else(|| id.to_string(), cert_label);
    let state = cert_state(cert, id, profile);
    let met = state == CertState::Valid;
    let mut gap = match state {
        CertState::Valid => String::new(),
        CertState::Expired(on) => format!("{name} not held (expired {on})"),
        CertState::Missing => format!("{name} not held"),
    };
    if !met && kind == RequirementKind::PreferredCertification {
        gap += "; preferred, not required";
    }
    let closes_with = match state {
        CertState::Valid => vec![],
        CertState::Expired(_) => vec![match cert.and_then(|c| c.renewal.as_deref()) {
            Some(how) => format!("renew {label}: {how}"),
            None => format!("renew {label}"),
        }],
        CertState::Missing => vec![format!("earn {label}")],
    };
    RequirementStatus {
        kind,
        id: id.to_string(),
        name,
        met,
        have: if met { 1.0 } else { 0.0 },
        need: 1.0,
        progress: if met { 1.0 } else { 0.0 },
        gap,
        closes_with,
    }
}

/// `have ÷ need`, within 0–1 (1 when nothing is needed).
pub(super) fn ratio(have: f64, need: f64) -> f64 {
    if need <= 0.0 {
        1.0
    } else {
        (have / need).clamp(0.0, 1.0)
    }
}
