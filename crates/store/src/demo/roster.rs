//! The organisation's own rows: the organisation, its sites, accounts and teams, every employee
//! with their role history, and who leads each team.

use super::org::Org;
use super::tables::{T_ACCOUNTS, T_EMPLOYEES, T_ORG, T_ROLE_HISTORY, T_SITES, T_TEAMS, T_TEAM_LEADERS};
use super::writer::Writer;
use super::ORGANISATION;
use crate::Result;

/// Writes the organisation and everyone in it (flushing as the buffers fill).
pub(super) async fn write_roster(org: &Org, w: &mut Writer) -> Result<()> {
    write_structure(org, w);
    let mut role_history_id = 0i64;
    for p in &org.people {
        let team_id = p.team.map(|t| org.teams[t].id);
        w.row(
            T_EMPLOYEES,
            [
                p.id.into(),
                1i64.into(),
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.email.as_str().into(),
                team_id.into(),
                p.role().into(),
                p.role_since().into(),
                p.hire.into(),
                p.manager.into(),
                true.into(),
            ],
        );
        for (i, s) in p.spells.iter().enumerate() {
            let to = p.spells.get(i + 1).map(|n| n.from.pred_opt().expect("date in range"));
            role_history_id += 1;
            w.row(
                T_ROLE_HISTORY,
                [
                    role_history_id.into(),
                    p.id.into(),
                    s.role.into(),
                    s.team.map(|t| org.teams[t].id).into(),
                    s.from.into(),
                    to.into(),
                ],
            );
        }
        w.flush_if_full().await?;
    }
    for t in &org.teams {
        w.row(T_TEAM_LEADERS, [t.id.into(), t.leader.into()]);
    }
    Ok(())
}

/// The organisation, its sites, accounts (with the client's name and line of business) and teams.
fn write_structure(org: &Org, w: &mut Writer) {
    w.row(T_ORG, [1i64.into(), ORGANISATION.into(), true.into()]);
    for s in &org.sites {
        w.row(
            T_SITES,
            [s.id.into(), 1i64.into(), s.name.as_str().into(), s.info.country.into(), s.info.timezone.into()],
        );
    }
    for a in &org.accounts {
        let client = a.name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let client = client.strip_suffix(a.lob.program).unwrap_or(client).trim();
        w.row(
            T_ACCOUNTS,
            [a.id.into(), org.sites[a.site].id.into(), a.name.as_str().into(), client.into(), a.lob.line.into()],
        );
    }
    for t in &org.teams {
        w.row(T_TEAMS, [t.id.into(), org.accounts[t.account].id.into(), t.name.as_str().into()]);
    }
}
