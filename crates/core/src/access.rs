//! Who may see and change what. Every rule is in [`allowed`]; the server asks it before every
//! read and write, and the tests run it as a matrix of actions × people.
//!
//! - **agent**: their own record.
//! - **team leader**: their own record and the people of the teams they lead.
//! - **manager**: the people of the sites and accounts they answer for.
//! - **HR**: everyone's people data and the talent pipeline, but only items their owners shared.
//! - **admin**: users and the framework; everything HR sees.
//! - **QA/trainer** (`qa-trainer`): the skills, certifications and training of the people of
//!   their sites; they assess skills and verify certifications there, and see no KRAs, pipeline
//!   or private items (issue 26).
//!
//! Private items (accomplishments, check-in drafts, notes) are seen by their owner only until
//! shared; once shared, by whoever may see the person.

use serde::{Deserialize, Serialize};

use crate::ids::{EmployeeId, TeamId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    Agent,
    TeamLeader,
    Manager,
    Hr,
    Admin,
    /// QA or trainer: people's development at their sites (issue 26).
    #[serde(rename = "qa-trainer")]
    Trainer,
}

impl Access {
    pub const ALL: [Access; 6] =
        [Access::Agent, Access::TeamLeader, Access::Manager, Access::Hr, Access::Admin, Access::Trainer];

    pub fn as_str(self) -> &'static str {
        match self {
            Access::Agent => "agent",
            Access::TeamLeader => "team-leader",
            Access::Manager => "manager",
            Access::Hr => "hr",
            Access::Admin => "admin",
            Access::Trainer => "qa-trainer",
        }
    }

    pub fn parse(s: &str) -> Option<Access> {
        Access::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The signed-in person, with the scope their access covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub access: Access,
    /// Their own employee record, if they have one.
    pub employee_id: Option<EmployeeId>,
    /// Teams they lead (team leaders).
    pub led_teams: Vec<TeamId>,
    /// Sites and accounts they answer for (managers); a QA/trainer's sites.
    pub sites: Vec<i64>,
    pub accounts: Vec<i64>,
}

/// Where an employee sits in the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub employee_id: EmployeeId,
    pub team_id: Option<TeamId>,
    pub account_id: Option<i64>,
    pub site_id: Option<i64>,
}

/// What someone wants to do. Person-level actions name the employee concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Profile, role, plan, KRAs, scores, skills, certifications, training, shared items.
    ViewPerson(Placement),
    /// Their own entries: accomplishments, self-assessment, check-ins, training, career plan.
    WriteOwnRecord(Placement),
    /// A private (unshared) item of this person.
    ViewPrivateItem(Placement),
    /// Monthly actuals typed in by hand; `self_entry` is the organisation's setting.
    EnterActuals {
        who: Placement,
        self_entry: bool,
    },
    /// Yearly KRA plans and the person's other records as their leader writes them.
    ManagePerson(Placement),
    /// Agree to one's year's KRA plan as set (the KRA sheet signed off): the person only, never
    /// their leader or HR on their behalf.
    AgreeKraPlan(Placement),
    /// Skills, certifications (with their evidence) and training, to read: whoever may see the
    /// person, and a QA/trainer over them (who sees no KRAs or scores).
    ViewDevelopment(Placement),
    /// A leader's assessment of a skill (which confirms a self-rating): the line above the
    /// person and a QA/trainer over them.
    AssessSkill(Placement),
    /// Verify or reject an earned certification's evidence (issue 26): the person's team
    /// leader, a QA/trainer over them, HR and administrators; never one's own.
    VerifyCertification(Placement),
    /// Acknowledge a check-in, comment, write a coaching note.
    ReviewCheckin(Placement),
    /// Review one's own check-in (acknowledge, comment, coaching note): only in a personal
    /// Ladder (`personal`, issue 30), where the person is also their own admin.
    ReviewOwnCheckin {
        who: Placement,
        personal: bool,
    },
    /// Invite a supervisor by link, revoke the link, remove a supervisor (issue 30): only the
    /// person of a personal Ladder (`personal`: set up by `ladder me`), who is its administrator.
    /// The supervisor then leads the person's team like a team leader.
    ManageSupervisors {
        who: Placement,
        personal: bool,
    },
    /// The audit trail of a person's scores, plans and ratings.
    ViewAudit(Placement),
    /// A team's scorecard and roll-up.
    ViewTeam {
        team_id: TeamId,
        account_id: i64,
        site_id: i64,
    },
    /// Roll-ups by account or site.
    ViewAccount {
        account_id: i64,
        site_id: i64,
    },
    ViewSite {
        site_id: i64,
    },
    /// The organisation-wide talent pipeline and roll-ups.
    ViewOrganisation,
    /// Users, invitations, access resets, the framework.
    Administer,
    /// Import people and KPI files for the people one may manage (checked per row too).
    Import,
    /// The person's record as a people file writes it (name, team, role, hire date, platform
    /// identities), row by row: their team leader, their manager, HR and administrators, the
    /// people a people import lets change it. No one edits their own.
    EditPersonRecord(Placement),
    /// A person's platform identities, which route imported figures to them: HR and
    /// administrators only (a team leader could otherwise claim another team's figures).
    SetIdentity(Placement),
    /// The talent pipeline, 9-box and "who is slipping" over the people one oversees (a
    /// leader's teams, a manager's sites and accounts, everyone for HR and administrators).
    ViewPipeline,
    /// The headcount view and its downloads: HR and administrators over everyone, managers
    /// over their sites and accounts (the scope narrows what they count).
    ViewHeadcount,
    /// A person's shifts and well-being flags (issue 29): whoever may see the person.
    ViewShifts(Placement),
    /// The well-being roll-up by team, account and site (issue 29): team leaders, managers, HR
    /// and administrators. Each unit in it is shown only by `ViewTeam`, `ViewAccount`,
    /// `ViewSite` or `ViewOrganisation`, so a leader sees their own teams and no more.
    ViewWellbeingRollup,
    /// A person's weekly pulse answers, to read or write: the person only. Others see
    /// aggregates of 5 or more people through `ViewTeam`.
    OwnPulse(Placement),
    /// Entering or deleting shifts by hand (a personal account has no WFM tool): the person
    /// only. A leader changes a schedule in the WFM tool and imports it, not by hand.
    EnterOwnShifts(Placement),
    /// See internal openings (unpublished ones, pay, hiring managers): anyone with an employee
    /// record, and staff roles. An agent's account with no employee record (a self sign-up not
    /// yet linked by HR) is an outside visitor: published openings only, like the public feed.
    ViewInternalOpenings,
    /// Post, edit and close internal openings (issue 28): HR and administrators anywhere,
    /// managers at their sites and accounts.
    ManageOpenings {
        site_id: i64,
        account_id: Option<i64>,
    },
    /// An internal application: the applicant, their team leader, the opening's hiring manager
    /// and HR (administrators see what HR sees). No one else, not even the applicant's manager.
    ViewApplication {
        applicant: Placement,
        hiring_manager: Option<UserId>,
    },
    /// Apply for an opening, or withdraw: the person only.
    OwnApplication(Placement),
    /// Endorse an application: the applicant's team leader.
    EndorseApplication(Placement),
    /// Move an application through its stages: HR, administrators and the opening's hiring
    /// manager, never on their own application.
    MoveApplication {
        applicant: Placement,
        hiring_manager: Option<UserId>,
    },
    /// Outside job postings: search them, the market view, one's own fit (issue 28). Everyone
    /// signed in.
    SearchJobs,
    /// Import outside job postings (the CLI, the upload page): HR and administrators.
    ImportJobs,
    /// Download a person's record (issue 30): the person (private log entries included), HR and
    /// administrators (shared entries only; audited). Not their leaders: a record is more than a
    /// leader sees.
    ExportRecord(Placement),
    /// Close a person's account as a leaver and hand them a one-time link to their record: HR
    /// and administrators, never on themselves; an HR or administrator account (`account`: the
    /// access of the person's user, if any) only by an administrator.
    CloseAsLeaver {
        person: Placement,
        account: Option<Access>,
    },
    /// A saved job search or a tracked outside application: its owner only. Not their leader,
    /// not HR, not an administrator: a person's job hunt outside is private.
    OwnJobItem {
        owner: UserId,
    },
    /// One's own calendar (issue 30): download it, make or revoke its secret feed. The person
    /// only; an administrator's export goes through the command line.
    OwnCalendar(Placement),
    /// Link an account made by self sign-up to an employee record: HR and administrators.
    LinkAccount,
    /// Add, edit and retire the organisation's own learning catalogue entries (issue 26): HR
    /// and administrators. Everyone signed in reads the catalogue.
    ManageLearning,
    /// A mentoring or shadowing request and its sessions (issue 26): the mentee, their team
    /// leader, the mentor once paired, HR and administrators.
    ViewMentoring {
        mentee: Placement,
        mentor: Option<EmployeeId>,
    },
    /// Pair a request with a mentor: the mentee's team leader, HR and administrators, never on
    /// their own request.
    PairMentoring(Placement),
    /// Log a session: the mentee and the mentor.
    LogMentoringSession {
        mentee: Placement,
        mentor: Option<EmployeeId>,
    },
}

impl Actor {
    fn is_self(&self, p: &Placement) -> bool {
        self.employee_id == Some(p.employee_id)
    }
    fn leads(&self, p: &Placement) -> bool {
        self.access == Access::TeamLeader && p.team_id.is_some_and(|t| self.led_teams.contains(&t))
    }
    fn manages(&self, p: &Placement) -> bool {
        self.access == Access::Manager
            && (p.site_id.is_some_and(|s| self.sites.contains(&s))
                || p.account_id.is_some_and(|a| self.accounts.contains(&a)))
    }
    /// A QA/trainer at the person's site.
    fn trains(&self, p: &Placement) -> bool {
        self.access == Access::Trainer && !self.is_self(p) && p.site_id.is_some_and(|s| self.sites.contains(&s))
    }
    fn organisation_wide(&self) -> bool {
        matches!(self.access, Access::Hr | Access::Admin)
    }
    /// In the line above this person: their team leader or their manager.
    fn above(&self, p: &Placement) -> bool {
        !self.is_self(p) && (self.leads(p) || self.manages(p))
    }
}

/// The one place access is decided.
pub fn allowed(actor: &Actor, action: Action) -> bool {
    use Action::*;
    match action {
        ViewPerson(p) => actor.is_self(&p) || actor.above(&p) || actor.organisation_wide(),
        WriteOwnRecord(p) | ViewPrivateItem(p) | AgreeKraPlan(p) => actor.is_self(&p),
        EnterActuals { who, self_entry } => {
            (self_entry && actor.is_self(&who)) || actor.above(&who) || actor.access == Access::Admin
        }
        ManagePerson(p) | ReviewCheckin(p) => actor.above(&p),
        ViewDevelopment(p) => actor.is_self(&p) || actor.above(&p) || actor.trains(&p) || actor.organisation_wide(),
        AssessSkill(p) => actor.above(&p) || actor.trains(&p),
        VerifyCertification(p) => {
            !actor.is_self(&p) && (actor.leads(&p) || actor.trains(&p) || actor.organisation_wide())
        }
        ReviewOwnCheckin { who, personal } | ManageSupervisors { who, personal } => {
            personal && actor.is_self(&who) && actor.access == Access::Admin
        }
        ViewAudit(p) => actor.is_self(&p) || actor.above(&p) || actor.organisation_wide(),
        ViewTeam { team_id, account_id, site_id } => {
            (actor.access == Access::TeamLeader && actor.led_teams.contains(&team_id))
                || (actor.access == Access::Manager
                    && (actor.sites.contains(&site_id) || actor.accounts.contains(&account_id)))
                || actor.organisation_wide()
        }
        ViewAccount { account_id, site_id } => {
            (actor.access == Access::Manager
                && (actor.sites.contains(&site_id) || actor.accounts.contains(&account_id)))
                || actor.organisation_wide()
        }
        ViewSite { site_id } => {
            (actor.access == Access::Manager && actor.sites.contains(&site_id)) || actor.organisation_wide()
        }
        ViewOrganisation => actor.organisation_wide(),
        Administer => actor.access == Access::Admin,
        Import => matches!(actor.access, Access::TeamLeader | Access::Manager | Access::Hr | Access::Admin),
        EditPersonRecord(p) => actor.above(&p) || (actor.organisation_wide() && !actor.is_self(&p)),
        SetIdentity(p) => actor.organisation_wide() && !actor.is_self(&p),
        ViewPipeline => matches!(actor.access, Access::TeamLeader | Access::Manager | Access::Hr | Access::Admin),
        ViewHeadcount => actor.access == Access::Manager || actor.organisation_wide(),
        ViewShifts(p) => actor.is_self(&p) || actor.above(&p) || actor.organisation_wide(),
        ViewWellbeingRollup => !matches!(actor.access, Access::Agent | Access::Trainer),
        OwnPulse(p) | EnterOwnShifts(p) => actor.is_self(&p),
        ViewInternalOpenings => actor.employee_id.is_some() || actor.access != Access::Agent,
        ManageOpenings { site_id, account_id } => {
            (actor.access == Access::Manager
                && (actor.sites.contains(&site_id) || account_id.is_some_and(|a| actor.accounts.contains(&a))))
                || actor.organisation_wide()
        }
        ViewApplication { applicant, hiring_manager } => {
            actor.is_self(&applicant)
                || actor.leads(&applicant)
                || hiring_manager == Some(actor.user_id)
                || actor.organisation_wide()
        }
        OwnApplication(p) => actor.is_self(&p),
        EndorseApplication(p) => actor.leads(&p) && !actor.is_self(&p),
        MoveApplication { applicant, hiring_manager } => {
            !actor.is_self(&applicant) && (hiring_manager == Some(actor.user_id) || actor.organisation_wide())
        }
        SearchJobs => true,
        ImportJobs => actor.organisation_wide(),
        ExportRecord(p) => actor.is_self(&p) || actor.organisation_wide(),
        CloseAsLeaver { person, account } => {
            let privileged = matches!(account, Some(Access::Hr | Access::Admin));
            actor.organisation_wide() && !actor.is_self(&person) && (actor.access == Access::Admin || !privileged)
        }
        OwnJobItem { owner } => actor.user_id == owner,
        OwnCalendar(p) => actor.is_self(&p),
        LinkAccount => actor.organisation_wide(),
        ManageLearning => actor.organisation_wide(),
        ViewMentoring { mentee, mentor } => {
            actor.is_self(&mentee)
                || actor.leads(&mentee)
                || (mentor.is_some() && actor.employee_id == mentor)
                || actor.organisation_wide()
        }
        PairMentoring(p) => !actor.is_self(&p) && (actor.leads(&p) || actor.organisation_wide()),
        LogMentoringSession { mentee, mentor } => {
            actor.is_self(&mentee) || (mentor.is_some() && actor.employee_id == mentor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement(employee: i64, team: i64, account: i64, site: i64) -> Placement {
        Placement {
            employee_id: EmployeeId(employee),
            team_id: Some(TeamId(team)),
            account_id: Some(account),
            site_id: Some(site),
        }
    }

    fn actor(access: Access, employee: Option<i64>) -> Actor {
        let employee_id = employee.map(EmployeeId);
        Actor { user_id: UserId(1), access, employee_id, led_teams: vec![], sites: vec![], accounts: vec![] }
    }

    #[test]
    fn agents_see_only_themselves() {
        let me = placement(1, 10, 100, 1000);
        let teammate = placement(2, 10, 100, 1000);
        let agent = actor(Access::Agent, Some(1));
        assert!(allowed(&agent, Action::ViewPerson(me)));
        assert!(allowed(&agent, Action::ViewPrivateItem(me)));
        assert!(!allowed(&agent, Action::ViewPerson(teammate)));
        assert!(!allowed(&agent, Action::ManagePerson(me)), "no one manages themselves");
        assert!(allowed(&agent, Action::EnterActuals { who: me, self_entry: true }));
        assert!(!allowed(&agent, Action::EnterActuals { who: me, self_entry: false }));
    }

    #[test]
    fn only_the_person_agrees_to_their_kra_plan() {
        let me = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        assert!(allowed(&actor(Access::Agent, Some(1)), Action::AgreeKraPlan(me)));
        assert!(!allowed(&actor(Access::Agent, Some(2)), Action::AgreeKraPlan(me)));
        assert!(!allowed(&leader, Action::AgreeKraPlan(me)), "the leader sets the plan; the person agrees");
        assert!(!allowed(&actor(Access::Hr, Some(9)), Action::AgreeKraPlan(me)));
        assert!(!allowed(&actor(Access::Admin, None), Action::AgreeKraPlan(me)));
    }

    #[test]
    fn the_wellbeing_rollup_is_for_leaders_and_up_and_each_unit_follows_its_own_rule() {
        assert!(!allowed(&actor(Access::Agent, Some(1)), Action::ViewWellbeingRollup));
        for access in [Access::TeamLeader, Access::Manager, Access::Hr, Access::Admin] {
            assert!(allowed(&actor(access, None), Action::ViewWellbeingRollup), "{access:?}");
        }
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let team = |id| Action::ViewTeam { team_id: TeamId(id), account_id: 100, site_id: 1000 };
        assert!(allowed(&leader, team(10)));
        assert!(!allowed(&leader, team(11)), "not another leader's team");
        assert!(!allowed(&leader, Action::ViewAccount { account_id: 100, site_id: 1000 }), "not the account");
        assert!(!allowed(&leader, Action::ViewOrganisation));
    }

    #[test]
    fn a_record_goes_to_its_person_and_hr_and_only_hr_closes_a_leaver() {
        let me = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mut manager = actor(Access::Manager, None);
        manager.sites = vec![1000];
        assert!(allowed(&actor(Access::Agent, Some(1)), Action::ExportRecord(me)));
        assert!(!allowed(&actor(Access::Agent, Some(2)), Action::ExportRecord(me)));
        assert!(!allowed(&leader, Action::ExportRecord(me)), "private entries are not the leader's");
        assert!(!allowed(&manager, Action::ExportRecord(me)));
        assert!(allowed(&actor(Access::Hr, Some(9)), Action::ExportRecord(me)));
        assert!(allowed(&actor(Access::Admin, None), Action::ExportRecord(me)));
        let close = |account| Action::CloseAsLeaver { person: me, account };
        assert!(allowed(&actor(Access::Hr, Some(9)), close(Some(Access::Agent))));
        assert!(allowed(&actor(Access::Hr, Some(9)), close(None)));
        assert!(!allowed(&actor(Access::Hr, Some(1)), close(None)), "not oneself");
        assert!(!allowed(&leader, close(None)));
        assert!(!allowed(&actor(Access::Agent, Some(1)), close(None)));
        for privileged in [Access::Hr, Access::Admin] {
            assert!(!allowed(&actor(Access::Hr, Some(9)), close(Some(privileged))), "HR closes no HR or admin");
            assert!(allowed(&actor(Access::Admin, None), close(Some(privileged))), "an administrator may");
        }
    }

    #[test]
    fn leaders_see_their_team_but_not_private_items_or_other_teams() {
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mine = placement(1, 10, 100, 1000);
        let other = placement(2, 11, 100, 1000);
        assert!(allowed(&leader, Action::ViewPerson(mine)));
        assert!(allowed(&leader, Action::ManagePerson(mine)));
        assert!(allowed(&leader, Action::ReviewCheckin(mine)));
        assert!(!allowed(&leader, Action::ViewPrivateItem(mine)));
        assert!(!allowed(&leader, Action::ViewPerson(other)));
        assert!(!allowed(&leader, Action::ViewTeam { team_id: TeamId(11), account_id: 100, site_id: 1000 }));
        assert!(!allowed(&leader, Action::ViewOrganisation));
    }

    #[test]
    fn only_the_person_of_a_personal_ladder_manages_its_supervisors_who_lead_but_see_nothing_private() {
        let me = placement(1, 10, 100, 1000);
        let manage = |personal| Action::ManageSupervisors { who: me, personal };
        assert!(allowed(&actor(Access::Admin, Some(1)), manage(true)));
        assert!(!allowed(&actor(Access::Admin, Some(1)), manage(false)), "not in an organisation's Ladder");
        assert!(!allowed(&actor(Access::Admin, Some(2)), manage(true)), "not for someone else");
        assert!(!allowed(&actor(Access::Agent, Some(1)), manage(true)));
        let mut supervisor = actor(Access::TeamLeader, None);
        supervisor.led_teams = vec![TeamId(10)];
        assert!(!allowed(&supervisor, manage(true)), "a supervisor invites no one");
        assert!(allowed(&supervisor, Action::ViewPerson(me)));
        assert!(allowed(&supervisor, Action::ReviewCheckin(me)));
        assert!(!allowed(&supervisor, Action::ViewPrivateItem(me)));
        assert!(!allowed(&supervisor, Action::ExportRecord(me)));
        assert!(!allowed(&supervisor, Action::Administer));
        assert!(!allowed(&supervisor, Action::ViewPerson(placement(2, 11, 100, 1000))));
    }

    #[test]
    fn managers_see_their_sites_and_accounts() {
        let mut manager = actor(Access::Manager, None);
        manager.accounts = vec![100];
        assert!(allowed(&manager, Action::ViewPerson(placement(1, 10, 100, 1000))));
        assert!(!allowed(&manager, Action::ViewPerson(placement(1, 20, 200, 1000))));
        assert!(allowed(&manager, Action::ViewAccount { account_id: 100, site_id: 1000 }));
        assert!(!allowed(&manager, Action::ViewSite { site_id: 1000 }));
    }

    #[test]
    fn hr_sees_everyone_but_manages_no_one_and_no_private_items() {
        let hr = actor(Access::Hr, None);
        let p = placement(1, 10, 100, 1000);
        assert!(allowed(&hr, Action::ViewPerson(p)));
        assert!(allowed(&hr, Action::ViewOrganisation));
        assert!(!allowed(&hr, Action::ViewPrivateItem(p)));
        assert!(!allowed(&hr, Action::ManagePerson(p)));
        assert!(!allowed(&hr, Action::Administer));
    }

    #[test]
    fn a_record_is_edited_by_the_line_above_hr_and_admins_but_never_by_its_owner() {
        let p = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mut other_leader = actor(Access::TeamLeader, Some(6));
        other_leader.led_teams = vec![TeamId(11)];
        let mut manager = actor(Access::Manager, None);
        manager.sites = vec![1000];
        for (who, may) in [
            (leader, true),
            (other_leader, false),
            (manager, true),
            (actor(Access::Hr, None), true),
            (actor(Access::Admin, None), true),
            (actor(Access::Agent, Some(1)), false),
            (actor(Access::Hr, Some(1)), false),
        ] {
            assert_eq!(allowed(&who, Action::EditPersonRecord(p)), may, "{who:?}");
        }
    }

    #[test]
    fn identities_are_set_by_hr_and_admins_only_and_never_by_their_owner() {
        let p = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mut manager = actor(Access::Manager, None);
        manager.sites = vec![1000];
        for (who, may) in [
            (leader, false),
            (manager, false),
            (actor(Access::Hr, None), true),
            (actor(Access::Admin, None), true),
            (actor(Access::Agent, Some(1)), false),
            (actor(Access::Hr, Some(1)), false),
        ] {
            assert_eq!(allowed(&who, Action::SetIdentity(p)), may, "{who:?}");
        }
    }

    #[test]
    fn only_the_admin_of_a_personal_ladder_reviews_their_own_checkins() {
        let me = placement(1, 10, 100, 1000);
        let review = |who: &Actor, personal| allowed(who, Action::ReviewOwnCheckin { who: me, personal });
        assert!(review(&actor(Access::Admin, Some(1)), true));
        assert!(!review(&actor(Access::Admin, Some(1)), false), "not in an organisation's Ladder");
        assert!(!review(&actor(Access::Agent, Some(1)), true), "an agent of a shared Ladder is not their own admin");
        assert!(!review(&actor(Access::Admin, Some(2)), true), "someone else's check-in is not one's own");
        assert!(!review(&actor(Access::Admin, None), true));
        assert!(!allowed(&actor(Access::Admin, Some(1)), Action::ReviewCheckin(me)), "the usual rule is unchanged");
    }

    #[test]
    fn a_trainer_sees_and_confirms_development_at_their_sites_and_nothing_else() {
        let mut trainer = actor(Access::Trainer, Some(9));
        trainer.sites = vec![1000];
        let here = placement(1, 10, 100, 1000);
        let elsewhere = placement(2, 20, 200, 2000);
        assert!(allowed(&trainer, Action::ViewDevelopment(here)));
        assert!(allowed(&trainer, Action::AssessSkill(here)));
        assert!(allowed(&trainer, Action::VerifyCertification(here)));
        assert!(!allowed(&trainer, Action::ViewDevelopment(elsewhere)), "not another site");
        assert!(!allowed(&trainer, Action::VerifyCertification(elsewhere)));
        assert!(!allowed(&trainer, Action::ViewPerson(here)), "no KRAs or scores");
        assert!(!allowed(&trainer, Action::ViewPrivateItem(here)));
        assert!(!allowed(&trainer, Action::ManagePerson(here)));
        assert!(!allowed(&trainer, Action::EditPersonRecord(here)), "changes no org");
        assert!(!allowed(&trainer, Action::ViewPipeline));
        assert!(!allowed(&trainer, Action::ViewWellbeingRollup));
        assert!(!allowed(&trainer, Action::Import));
        let own = placement(9, 10, 100, 1000);
        assert!(!allowed(&trainer, Action::VerifyCertification(own)), "never one's own");
        assert!(!allowed(&trainer, Action::AssessSkill(own)));
    }

    #[test]
    fn certifications_are_verified_by_the_leader_hr_and_admins_but_not_the_manager_or_the_person() {
        let me = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mut manager = actor(Access::Manager, None);
        manager.sites = vec![1000];
        assert!(allowed(&leader, Action::VerifyCertification(me)));
        assert!(!allowed(&manager, Action::VerifyCertification(me)));
        assert!(allowed(&manager, Action::AssessSkill(me)));
        assert!(allowed(&actor(Access::Hr, Some(9)), Action::VerifyCertification(me)));
        assert!(allowed(&actor(Access::Admin, None), Action::VerifyCertification(me)));
        assert!(!allowed(&actor(Access::Hr, Some(1)), Action::VerifyCertification(me)), "not one's own");
        assert!(!allowed(&actor(Access::Agent, Some(1)), Action::VerifyCertification(me)));
        assert!(allowed(&actor(Access::Agent, Some(1)), Action::ViewDevelopment(me)));
    }

    #[test]
    fn access_names_round_trip() {
        for a in Access::ALL {
            assert_eq!(Access::parse(a.as_str()), Some(a));
        }
        assert_eq!(Access::parse("root"), None);
    }

    #[test]
    fn the_pipeline_is_for_everyone_who_oversees_people_but_agents_and_qa_trainers() {
        for a in Access::ALL {
            let may = !matches!(a, Access::Agent | Access::Trainer);
            assert_eq!(allowed(&actor(a, None), Action::ViewPipeline), may, "{a:?}");
        }
    }

    #[test]
    fn the_headcount_is_for_managers_hr_and_admins() {
        for access in Access::ALL {
            let may = matches!(access, Access::Manager | Access::Hr | Access::Admin);
            assert_eq!(allowed(&actor(access, Some(1)), Action::ViewHeadcount), may, "{access:?}");
        }
    }

    #[test]
    fn shifts_follow_the_person_and_the_pulse_is_the_persons_alone() {
        let me = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let hr = actor(Access::Hr, None);
        let agent = actor(Access::Agent, Some(1));
        for a in [&agent, &leader, &hr] {
            assert!(allowed(a, Action::ViewShifts(me)));
        }
        assert!(!allowed(&actor(Access::Agent, Some(2)), Action::ViewShifts(me)));
        assert!(allowed(&agent, Action::OwnPulse(me)));
        assert!(allowed(&agent, Action::EnterOwnShifts(me)));
        for a in [&leader, &hr, &actor(Access::Admin, None)] {
            assert!(!allowed(a, Action::OwnPulse(me)), "{:?} reads no one's answers", a.access);
            assert!(!allowed(a, Action::EnterOwnShifts(me)), "{:?} enters no one's shifts", a.access);
        }
    }

    #[test]
    fn an_internal_application_is_for_the_applicant_their_leader_the_hiring_manager_and_hr() {
        let applicant = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mut other_leader = actor(Access::TeamLeader, Some(6));
        other_leader.led_teams = vec![TeamId(11)];
        let mut their_manager = actor(Access::Manager, None);
        their_manager.sites = vec![1000];
        let mut hiring = actor(Access::Manager, None);
        hiring.user_id = UserId(77);
        let view = |a: &Actor| allowed(a, Action::ViewApplication { applicant, hiring_manager: Some(UserId(77)) });
        let moves = |a: &Actor| allowed(a, Action::MoveApplication { applicant, hiring_manager: Some(UserId(77)) });
        let me = actor(Access::Agent, Some(1));
        let hr = actor(Access::Hr, None);
        for (who, sees, may_move) in [
            (&me, true, false),
            (&leader, true, false),
            (&hiring, true, true),
            (&hr, true, true),
            (&actor(Access::Admin, None), true, true),
            (&their_manager, false, false),
            (&other_leader, false, false),
            (&actor(Access::Agent, Some(2)), false, false),
        ] {
            assert_eq!(view(who), sees, "{who:?}");
            assert_eq!(moves(who), may_move, "{who:?}");
        }
        assert!(allowed(&me, Action::OwnApplication(applicant)));
        assert!(!allowed(&hr, Action::OwnApplication(applicant)));
        assert!(allowed(&leader, Action::EndorseApplication(applicant)));
        assert!(!allowed(&other_leader, Action::EndorseApplication(applicant)));
        assert!(!allowed(&hr, Action::EndorseApplication(applicant)));
        assert!(!allowed(&actor(Access::Hr, Some(1)), Action::MoveApplication { applicant, hiring_manager: None }));
    }

    #[test]
    fn openings_are_posted_by_hr_admins_and_managers_of_the_place() {
        let mut manager = actor(Access::Manager, None);
        manager.accounts = vec![100];
        let at = |site, account| Action::ManageOpenings { site_id: site, account_id: account };
        assert!(allowed(&manager, at(1000, Some(100))));
        assert!(!allowed(&manager, at(1000, None)));
        assert!(!allowed(&manager, at(1000, Some(200))));
        assert!(allowed(&actor(Access::Hr, None), at(1000, None)));
        assert!(!allowed(&actor(Access::TeamLeader, Some(5)), at(1000, Some(100))));
        assert!(!allowed(&actor(Access::Agent, Some(1)), at(1000, Some(100))));
        assert!(allowed(&actor(Access::Agent, Some(1)), Action::ViewInternalOpenings));
        assert!(!allowed(&actor(Access::Agent, None), Action::ViewInternalOpenings), "a self sign-up");
        assert!(allowed(&actor(Access::Manager, None), Action::ViewInternalOpenings));
    }

    #[test]
    fn everyone_searches_outside_jobs_and_hr_and_admins_import_them() {
        for access in Access::ALL {
            let a = actor(access, Some(1));
            assert!(allowed(&a, Action::SearchJobs), "{access:?}");
            assert_eq!(allowed(&a, Action::ImportJobs), matches!(access, Access::Hr | Access::Admin), "{access:?}");
            let someone_else = UserId(a.user_id.0 + 1);
            assert!(allowed(&a, Action::OwnJobItem { owner: a.user_id }), "{access:?}");
            assert!(!allowed(&a, Action::OwnJobItem { owner: someone_else }), "{access:?} reads no one's job hunt");
        }
    }

    #[test]
    fn a_calendar_is_its_owners_and_accounts_are_linked_by_hr_and_admins() {
        let me = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        assert!(allowed(&actor(Access::Agent, Some(1)), Action::OwnCalendar(me)));
        for a in [&leader, &actor(Access::Hr, None), &actor(Access::Admin, None), &actor(Access::Agent, Some(2))] {
            assert!(!allowed(a, Action::OwnCalendar(me)), "{:?}", a.access);
        }
        for access in Access::ALL {
            let may = matches!(access, Access::Hr | Access::Admin);
            assert_eq!(allowed(&actor(access, None), Action::LinkAccount), may, "{access:?}");
        }
    }

    #[test]
    fn mentoring_is_for_the_mentee_their_leader_the_mentor_and_hr() {
        let mentee = placement(1, 10, 100, 1000);
        let mut leader = actor(Access::TeamLeader, Some(5));
        leader.led_teams = vec![TeamId(10)];
        let mentor = actor(Access::TeamLeader, Some(7));
        let manager = Actor { sites: vec![1000], ..actor(Access::Manager, Some(9)) };
        let view = |m: Option<i64>| Action::ViewMentoring { mentee, mentor: m.map(EmployeeId) };
        let log = |m: Option<i64>| Action::LogMentoringSession { mentee, mentor: m.map(EmployeeId) };
        assert!(allowed(&actor(Access::Agent, Some(1)), view(None)));
        assert!(allowed(&leader, view(None)) && allowed(&leader, Action::PairMentoring(mentee)));
        assert!(!allowed(&leader, log(Some(7))), "the leader pairs but does not log");
        assert!(allowed(&mentor, view(Some(7))) && allowed(&mentor, log(Some(7))));
        assert!(!allowed(&mentor, view(None)) && !allowed(&mentor, log(Some(8))), "only while they are the mentor");
        assert!(!allowed(&mentor, Action::PairMentoring(mentee)));
        assert!(!allowed(&manager, view(None)), "not the manager: mentoring stays with the leader and HR");
        assert!(
            allowed(&actor(Access::Hr, None), view(None))
                && allowed(&actor(Access::Hr, None), Action::PairMentoring(mentee))
        );
        assert!(!allowed(&actor(Access::Agent, Some(1)), Action::PairMentoring(mentee)), "no one pairs themselves");
        assert!(!allowed(&actor(Access::Agent, Some(1)), Action::ManageLearning));
        assert!(allowed(&actor(Access::Hr, None), Action::ManageLearning));
    }
}
