//! The stages of an internal application and who may move it which way.
//!
//! HR and the hiring manager (the *recruiter*) move an open application forward — applied →
//! screening → interview → offer, skipping stages if they wish — end it as not selected from
//! any open stage, and hire only from an offer. The applicant alone may withdraw, from any open
//! stage. Hired, not selected and withdrawn are final.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Applied,
    Screening,
    Interview,
    Offer,
    Hired,
    NotSelected,
    Withdrawn,
}

/// Who is moving the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Applicant,
    /// HR or the opening's hiring manager.
    Recruiter,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("the application is {0} already: that is final")]
    Final(&'static str),
    #[error("only the applicant may withdraw an application")]
    OnlyApplicantWithdraws,
    #[error("an applicant may only withdraw")]
    ApplicantOnlyWithdraws,
    #[error("an application cannot move from {from} back or sideways to {to}")]
    Backwards { from: &'static str, to: &'static str },
    #[error("only an application at the offer stage can be hired")]
    HireNeedsOffer,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Applied,
        Stage::Screening,
        Stage::Interview,
        Stage::Offer,
        Stage::Hired,
        Stage::NotSelected,
        Stage::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Screening => "screening",
            Stage::Interview => "interview",
            Stage::Offer => "offer",
            Stage::Hired => "hired",
            Stage::NotSelected => "not-selected",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// In words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Applied => "Applied",
            Stage::Screening => "Screening",
            Stage::Interview => "Interview",
            Stage::Offer => "Offer",
            Stage::Hired => "Hired",
            Stage::NotSelected => "Not selected",
            Stage::Withdrawn => "Withdrawn",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Stage::Hired | Stage::NotSelected | Stage::Withdrawn)
    }
}

/// Whether `mover` may move an application from `from` to `to`.
pub fn move_allowed(from: Stage, to: Stage, mover: Mover) -> Result<(), StageError> {
    if from.is_final() {
        return Err(StageError::Final(from.as_str()));
    }
    match (mover, to) {
        (Mover::Applicant, Stage::Withdrawn) => Ok(()),
        (Mover::Applicant, _) => Err(StageError::ApplicantOnlyWithdraws),
        (Mover::Recruiter, Stage::Withdrawn) => Err(StageError::OnlyApplicantWithdraws),
        (Mover::Recruiter, Stage::NotSelected) => Ok(()),
        (Mover::Recruiter, Stage::Hired) if from == Stage::Offer => Ok(()),
        (Mover::Recruiter, Stage::Hired) => Err(StageError::HireNeedsOffer),
        (Mover::Recruiter, to) if to > from => Ok(()),
        (Mover::Recruiter, to) => Err(StageError::Backwards { from: from.as_str(), to: to.as_str() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recruiters_move_forward_and_hire_only_from_an_offer() {
        use Stage::*;
        assert!(move_allowed(Applied, Screening, Mover::Recruiter).is_ok());
        assert!(move_allowed(Applied, Interview, Mover::Recruiter).is_ok(), "stages may be skipped");
        assert!(move_allowed(Offer, Hired, Mover::Recruiter).is_ok());
        assert_eq!(move_allowed(Interview, Hired, Mover::Recruiter), Err(StageError::HireNeedsOffer));
        assert!(move_allowed(Interview, Screening, Mover::Recruiter).is_err());
        assert!(move_allowed(Screening, Screening, Mover::Recruiter).is_err());
        for from in [Applied, Screening, Interview, Offer] {
            assert!(move_allowed(from, NotSelected, Mover::Recruiter).is_ok());
        }
    }

    #[test]
    fn only_the_applicant_withdraws_and_only_that() {
        use Stage::*;
        for from in [Applied, Screening, Interview, Offer] {
            assert!(move_allowed(from, Withdrawn, Mover::Applicant).is_ok());
            assert_eq!(move_allowed(from, Withdrawn, Mover::Recruiter), Err(StageError::OnlyApplicantWithdraws));
        }
        assert_eq!(move_allowed(Applied, Screening, Mover::Applicant), Err(StageError::ApplicantOnlyWithdraws));
    }

    #[test]
    fn final_stages_stay_final() {
        for from in [Stage::Hired, Stage::NotSelected, Stage::Withdrawn] {
            for to in Stage::ALL {
                assert!(move_allowed(from, to, Mover::Recruiter).is_err());
                assert!(move_allowed(from, to, Mover::Applicant).is_err());
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }
}
