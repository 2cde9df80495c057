//! The demo's sign-ins: an administrator, an HR partner, and a user for every site head,
//! operations manager, team leader and the agent persona, with the managers' scopes; and the
//! personas listed after generation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ladder_core::access::Access;
use ladder_core::framework::Framework;

use super::org::{Kind, Org};
use super::tables::{T_SCOPES, T_USERS};
use super::writer::{Writer, V};
use super::{SignIn, EMAIL_DOMAIN};

/// The users, made before the people's records (which refer to them) and written after the
/// employees (whom they refer to).
pub(super) struct Users {
    rows: Vec<[V; 10]>,
    scopes: Vec<[V; 3]>,
    by_employee: HashMap<i64, i64>,
    sign_ins: Vec<SignIn>,
}

impl Users {
    /// Gives a user to the administrator, HR and everyone in `org` who signs in (setting their
    /// `user`), all with `password_hash`, created at `created`.
    pub(super) fn new(framework: &Framework, org: &mut Org, password_hash: &str, created: DateTime<Utc>) -> Users {
        let mut users =
            Users { rows: Vec::new(), scopes: Vec::new(), by_employee: HashMap::new(), sign_ins: Vec::new() };
        for (email, name, access, persona) in [
            (format!("admin@{EMAIL_DOMAIN}"), "Alex Tan", Access::Admin, "admin"),
            (format!("hr@{EMAIL_DOMAIN}"), "Hannah Reyes", Access::Hr, "HR"),
        ] {
            let user_id = users.rows.len() as i64 + 1;
            users.rows.push(user_row(user_id, &email, name, access, None, password_hash, created));
            users.sign_ins.push(SignIn {
                persona: persona.into(),
                email,
                access,
                employee_id: None,
                employee_code: None,
                name: name.into(),
                description: match access {
                    Access::Admin => "Administrator: users, invitations and the framework".into(),
                    _ => "HR business partner: everyone's people data and the talent pipeline".into(),
                },
            });
        }
        for p in org.people.iter_mut() {
            let access = match (p.kind, p.persona) {
                (Kind::Head | Kind::Ops, _) => Access::Manager,
                (Kind::Leader, _) => Access::TeamLeader,
                (_, Some("agent")) => Access::Agent,
                _ => continue,
            };
            let user_id = users.rows.len() as i64 + 1;
            p.user = Some(user_id);
            users.by_employee.insert(p.id, user_id);
            users.rows.push(user_row(user_id, &p.email, &p.name, access, Some(p.id), password_hash, created));
            match p.kind {
                Kind::Head => users.scopes.push([user_id.into(), org.sites[p.site].id.into(), V::Null]),
                Kind::Ops => {
                    users.scopes.push([user_id.into(), V::Null, org.accounts[p.account.expect("placed")].id.into()])
                }
                _ => {}
            }
        }
        users.add_trainer(org, password_hash, created);
        users.sign_ins.extend(persona_sign_ins(framework, org));
        let order = ["agent", "team leader", "manager", "site head", "QA/trainer", "HR", "admin"];
        users.sign_ins.sort_by_key(|s| order.iter().position(|o| *o == s.persona).unwrap_or(order.len()));
        users
    }

    /// A QA/trainer (issue 26) over the agent persona's site, with no record of their own: they
    /// confirm self-ratings and verify certifications there. Added last, so the other users'
    /// ids stay as they were.
    fn add_trainer(&mut self, org: &Org, password_hash: &str, created: DateTime<Utc>) {
        let Some(agent) = org.people.iter().find(|p| p.persona == Some("agent")) else { return };
        let site = &org.sites[agent.site];
        let user_id = self.rows.len() as i64 + 1;
        let (email, name) = (format!("qa@{EMAIL_DOMAIN}"), "Quinn Abad");
        self.rows.push(user_row(user_id, &email, name, Access::Trainer, None, password_hash, created));
        self.scopes.push([user_id.into(), site.id.into(), V::Null]);
        self.sign_ins.push(SignIn {
            persona: "QA/trainer".into(),
            email,
            access: Access::Trainer,
            employee_id: None,
            employee_code: None,
            name: name.into(),
            description: format!("QA and training, {} site: skills and certifications to confirm", site.name),
        });
    }

    /// Writes the users and the managers' scopes; returns each employee's user id and the
    /// sign-ins in persona order (agent, team leader, manager, site head, HR, admin).
    pub(super) fn write(self, w: &mut Writer) -> (HashMap<i64, i64>, Vec<SignIn>) {
        for r in self.rows {
            w.row(T_USERS, r);
        }
        for r in self.scopes {
            w.row(T_SCOPES, r);
        }
        (self.by_employee, self.sign_ins)
    }
}

/// The employees one can sign in as, with their role and where they sit in words.
fn persona_sign_ins(framework: &Framework, org: &Org) -> Vec<SignIn> {
    let mut sign_ins = Vec::new();
    for persona in ["agent", "team leader", "manager", "site head"] {
        let Some(p) = org.people.iter().find(|p| p.persona == Some(persona)) else { continue };
        let role = framework.role(p.role()).map_or(p.role(), |r| r.name.as_str());
        let place = match (p.team, p.account) {
            (Some(t), _) if p.kind != Kind::Ops => {
                format!("{}, {}", org.teams[t].name, org.accounts[org.teams[t].account].name)
            }
            (_, Some(a)) => format!("{}, {}", org.accounts[a].name, org.sites[p.site].name),
            _ => format!("{} site", org.sites[p.site].name),
        };
        sign_ins.push(SignIn {
            persona: persona.into(),
            email: p.email.clone(),
            access: match p.kind {
                Kind::Head | Kind::Ops => Access::Manager,
                Kind::Leader => Access::TeamLeader,
                _ => Access::Agent,
            },
            employee_id: Some(p.id),
            employee_code: Some(p.code.clone()),
            name: p.name.clone(),
            description: format!("{role}: {place}"),
        });
    }
    sign_ins
}

fn user_row(
    id: i64,
    email: &str,
    name: &str,
    access: Access,
    employee: Option<i64>,
    password_hash: &str,
    created: DateTime<Utc>,
) -> [V; 10] {
    [
        id.into(),
        1i64.into(),
        email.into(),
        name.into(),
        access.as_str().into(),
        employee.into(),
        password_hash.into(),
        false.into(),
        0i64.into(),
        created.into(),
    ]
}
