//! How well a person fits a posting, from their own data: the readiness rules
//! ([`ladder_core::readiness`]) for the posting's framework role: which requirements they meet
//! and which not, a fit percentage, and what closes each gap.

use std::collections::HashMap;

use ladder_core::readiness::{self, Profile, RequirementKind};
use ladder_store::org::Employee;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::service::career::{profile, score_window};
use crate::service::scorecards;
use crate::state::AppState;

/// A person's fit for one posting's role.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Fit {
    /// 0–100: the mean progress over the role's requirements (100 when it is their own role).
    pub percent: u8,
    /// Every requirement is met (or it is the role they have).
    pub ready: bool,
    /// The person already has this role.
    pub own_role: bool,
    /// The requirements met, by name.
    pub met: Vec<String>,
    /// Those not met, each with the gap in words and what closes it.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Gap {
    pub requirement: String,
    pub gap: String,
    /// Training and certifications that help.
    pub closes_with: Vec<String>,
}

/// Fits of one person, one per role, computed once each.
pub struct Fitter<'a> {
    state: &'a AppState,
    role: String,
    profile: Profile,
    cache: HashMap<String, Option<Fit>>,
}

impl<'a> Fitter<'a> {
    /// Gathers the person's profile (skills, certifications, tenure, the last year's scores).
    pub async fn new(state: &'a AppState, employee: &Employee) -> ApiResult<Fitter<'a>> {
        let (first, through) = score_window();
        let scores = scorecards::monthly_totals(state, std::slice::from_ref(employee), first, through)
            .await?
            .remove(&employee.id)
            .unwrap_or_default();
        let profile = profile(state, employee, scores).await?;
        Ok(Fitter { state, role: employee.role_id.clone(), profile, cache: HashMap::new() })
    }

    /// The fit for `role`; `None` for a posting matched to no role (or one the framework no
    /// longer has).
    pub fn fit(&mut self, role: Option<&str>) -> Option<Fit> {
        let role = role?;
        if let Some(f) = self.cache.get(role) {
            return f.clone();
        }
        let fit = self.compute(role);
        self.cache.insert(role.to_string(), fit.clone());
        fit
    }

    fn compute(&self, role: &str) -> Option<Fit> {
        if role == self.role {
            return Some(Fit { percent: 100, ready: true, own_role: true, met: Vec::new(), gaps: Vec::new() });
        }
        let r = readiness::readiness(&self.state.framework, role, &self.profile).ok()?;
        let required = r.items.iter().filter(|i| i.kind != RequirementKind::PreferredCertification);
        let (met, not_met): (Vec<_>, Vec<_>) = required.partition(|i| i.met);
        Some(Fit {
            percent: r.percent.round().clamp(0.0, 100.0) as u8,
            ready: r.ready,
            own_role: false,
            met: met.into_iter().map(|i| i.name.clone()).collect(),
            gaps: not_met
                .into_iter()
                .map(|i| Gap { requirement: i.name.clone(), gap: i.gap.clone(), closes_with: i.closes_with.clone() })
                .collect(),
        })
    }
}
