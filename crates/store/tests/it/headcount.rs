//! The headcount counted by the database (`org::headcount::span`, issue 25) against the
//! reference, the core's `span` over everyone's spells, month by month on a generated
//! organisation with joins, leaves, moves and promotions, and a few odd rows.

use chrono::{Days, NaiveDate};
use ladder_core::headcount::{self, By, Change};
use ladder_core::period::Month;
use ladder_core::{EmployeeId, Framework, TeamId};
use ladder_store::org::{self, NewEmployee, Scope};
use ladder_store::{on_db, Db};
use ladder_testkit::each_backend;

use crate::support::HASH;

/// A small deterministic generator (xorshift), enough to scatter the changes.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// A day in `from..=to`.
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        from + Days::new(self.below((to - from).num_days().max(0) as u64 + 1))
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const FROM: (i32, u32, u32) = (2025, 1, 1);
const TO: (i32, u32, u32) = (2026, 12, 31);

/// Runs `sql` with the person as `$1` and the dates that follow.
async fn exec(db: &Db, sql: &str, id: EmployeeId, dates: &[Option<NaiveDate>]) {
    on_db!(db, p => {
        let mut query = sqlx::query(sql).bind(id);
        for date in dates {
            query = query.bind(*date);
        }
        query.execute(p).await.map(drop).unwrap()
    });
}

/// A new spell from `on`, in `role` and `team`: the open one closes the day before, the person's
/// role and team now follow.
async fn new_spell(db: &Db, id: EmployeeId, on: NaiveDate, role: &str, team: Option<TeamId>) {
    exec(db, "UPDATE role_history SET to_date = $2 WHERE employee_id = $1 AND to_date IS NULL", id, &[on.pred_opt()])
        .await;
    let open = "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)";
    let now = "UPDATE employees SET role_id = $2, team_id = $3, role_since = $4 WHERE id = $1";
    on_db!(db, p => for sql in [open, now] {
        sqlx::query(sql).bind(id).bind(role).bind(team).bind(on).execute(p).await.unwrap();
    });
}

/// Joiners, leavers, moves between teams (and out of any), promotions and demotions across
/// 2025–2026 on top of the demo's people, and rows real data has: overlapping spells, a person with
/// none, someone inactive with no leave date, a leaver gone on the day they were hired.
async fn shake(db: &Db, framework: &Framework, teams: &[TeamId], seed: u64) {
    let mut dice = Dice(seed);
    let (from, to) = (day(FROM.0, FROM.1, FROM.2), day(TO.0, TO.1, TO.2));
    let roles: Vec<&str> = framework.roles.iter().map(|r| r.id.as_str()).collect();
    for i in 0..40 {
        let team = (dice.below(6) > 0).then(|| teams[dice.below(teams.len() as u64) as usize]);
        let hired = dice.day(from, to);
        let who = NewEmployee {
            code: format!("J{i}"),
            name: format!("Joiner {i}"),
            email: None,
            team_id: team,
            role_id: roles[dice.below(2) as usize].to_string(),
            role_since: hired,
            hire_date: hired,
            manager_id: None,
        };
        org::create_employee(db, 1, &who).await.unwrap();
    }
    let people: Vec<(EmployeeId, NaiveDate)> =
        on_db!(db, p => sqlx::query_as("SELECT id, hire_date FROM employees ORDER BY id").fetch_all(p).await.unwrap());
    for &(id, hired) in &people {
        let latest: Option<NaiveDate> = on_db!(db, p => sqlx::query_scalar(
            "SELECT MAX(from_date) FROM role_history WHERE employee_id = $1").bind(id).fetch_one(p).await.unwrap());
        let mut since = latest.unwrap_or(hired).max(hired).max(from);
        for _ in 0..dice.below(4).saturating_sub(1) {
            since = dice.day(since + Days::new(1), to);
            let team = (dice.below(8) > 0).then(|| teams[dice.below(teams.len() as u64) as usize]);
            new_spell(db, id, since, roles[dice.below(roles.len() as u64) as usize], team).await;
        }
        match dice.below(10) {
            0..3 => {
                let left = dice.day(hired.max(from), to);
                exec(db, "UPDATE employees SET active = FALSE, left_on = $2 WHERE id = $1", id, &[Some(left)]).await;
            }
            3 => exec(db, "UPDATE employees SET active = FALSE WHERE id = $1", id, &[]).await,
            _ => {}
        }
    }
    // The odd rows on people here since before the two years, so that they count in every month.
    let early: Vec<EmployeeId> = on_db!(db, p => sqlx::query_scalar(
        "SELECT id FROM employees WHERE hire_date < '2024-01-01' ORDER BY id LIMIT 4").fetch_all(p).await.unwrap());
    let overlap = "INSERT INTO role_history (employee_id, role_id, team_id, from_date, to_date)
        VALUES ($1, 'team-leader', NULL, $2, $3)";
    exec(db, overlap, early[0], &[Some(day(2025, 3, 1)), Some(day(2025, 9, 30))]).await;
    exec(db, overlap, early[1], &[Some(day(2025, 5, 10)), None]).await;
    exec(db, "DELETE FROM role_history WHERE employee_id = $1", early[2], &[]).await;
    exec(db, "UPDATE employees SET active = FALSE, left_on = hire_date WHERE id = $1", early[3], &[]).await;
}

#[tokio::test]
async fn the_counted_headcount_is_the_reference_every_month() {
    each_backend(async |t| {
        let db = &t.db;
        let framework = Framework::default_framework();
        let through = Month::new(2026, 10).unwrap();
        let spec = ladder_store::demo::DemoSpec {
            seed: 25,
            sites: 2,
            accounts: 3,
            teams: 6,
            employees: 150,
            months: 2,
            through,
        };
        ladder_store::demo::generate(db, &framework, &spec, HASH, &mut |_| {}).await.unwrap();
        let teams: Vec<TeamId> =
            on_db!(db, p => sqlx::query_scalar("SELECT id FROM teams ORDER BY id").fetch_all(p).await.unwrap());
        shake(db, &framework, &teams, 2026).await;
        let level = |role: &str| framework.role(role).map(|r| r.level);
        let someone: EmployeeId =
            on_db!(db, p => sqlx::query_scalar("SELECT MIN(id) FROM employees").fetch_one(p).await.unwrap());
        let scopes = [Scope::All, Scope::Teams(teams[..2].to_vec()), Scope::Employee(someone)];

        let mut seen = Change::default();
        let mut month = Month::new(FROM.0, FROM.1).unwrap();
        while month.first_day() <= day(TO.0, TO.1, TO.2) {
            let (first, last) = (month.first_day(), month.last_day());
            for scope in &scopes {
                let everyone = org::headcount::people(db, scope, first.pred_opt().unwrap(), last).await.unwrap();
                for by in [By::Team, By::Role, By::Tenure] {
                    let reference = headcount::span(&everyone, first, last, level, |p| p.group(by));
                    let counted = org::headcount::span(db, scope, first, last, by, level).await.unwrap();
                    assert_eq!(counted, reference, "{month}, {scope:?}, by {by:?} on {:?}", t.backend);
                    if matches!(scope, Scope::All) && by == By::Team {
                        seen.add(&counted.1);
                    }
                }
            }
            month = month.next();
        }
        // The months were not quiet: the comparison saw every kind of change.
        assert!(seen.joiners > 20 && seen.leavers > 20 && seen.promotions > 5, "{seen:?}");
    })
    .await;
}
