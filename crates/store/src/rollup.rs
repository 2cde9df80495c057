//! Roll-ups: the figures of many people summed by team, account or site over a span of months.
//!
//! Rows are read in whatever order the database finds them and summed here, in one pass, rather
//! than grouped by SQL: SQLite groups (and counts distinct people) by sorting every row into a
//! temporary B-tree, which took most of a whole organisation's roll-up.

use std::collections::HashMap;

use chrono::NaiveDate;
use foldhash::fast::RandomState;
use futures_util::TryStreamExt;
use ladder_core::TeamId;
use serde::{Deserialize, Serialize};

use crate::{on_db, Backend, Db, Result, StoreError};

/// What a roll-up groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Team,
    Account,
    Site,
}

/// Summed figures of one group and metric: numerator and denominator are sums over every
/// employee-month in the group, so `numerator / denominator` is the group's ratio of sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSums {
    pub group_id: i64,
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
    /// People with a figure for the metric in any of the months (each once).
    pub people: i64,
}

/// Sums by team, account or site for the months `from..=through`, only over the given teams
/// (the caller's scope), or over all when `teams` is `None`. Sorted by group, then metric.
pub async fn rollup(
    db: &Db,
    level: Level,
    from: NaiveDate,
    through: NaiveDate,
    teams: Option<&[TeamId]>,
) -> Result<Vec<GroupSums>> {
    let group = match level {
        Level::Team => "t.id",
        Level::Account => "t.account_id",
        Level::Site => "a.site_id",
    };
    let scope = match teams {
        Some(_) => format!("t.id IN {}", db.id_list("$3")),
        None => "$3 = $3".to_string(),
    };
    let joins = "JOIN employees e ON e.id = k.employee_id
        JOIN teams t ON t.id = e.team_id
        JOIN accounts a ON a.id = t.account_id";
    let where_ = format!("WHERE k.month >= $1 AND k.month <= $2 AND {scope}");
    let monthly_sql = format!(
        "SELECT {group}, k.employee_id, k.metric, k.numerator, k.denominator FROM kra_actuals k {joins} {where_}"
    );
    let packed_sql =
        format!("SELECT {group}, k.employee_id, k.month, k.metrics FROM kpi_employee_months k {joins} {where_}");
    let param = teams.map(crate::db::json_ids).unwrap_or_default();
    let mut totals = GroupTotals::default();
    // Both tables from one snapshot: a team move committed between the two reads would count
    // a person in one group and sum their days in another.
    match db.readers() {
        // A whole organisation's months are long scans: off the async workers.
        Some(_) => {
            let db = db.clone();
            totals = tokio::task::spawn_blocking(move || {
                let readers = db.readers().expect("SQLite with readers");
                let params: [&dyn rusqlite::ToSql; 3] = [&from, &through, &param];
                let mut failed = None;
                readers.each_of(&[&monthly_sql, &packed_sql], &params, |table, r| {
                    if table == 0 {
                        totals.add(r.get(0)?, r.get(1)?, r.get_ref(2)?.as_str()?, r.get(3)?, r.get(4)?);
                    } else if failed.is_none() {
                        let (group_id, employee_id, month) = (r.get(0)?, r.get(1)?, crate::read::date(r, 2)?);
                        failed = totals.add_packed(group_id, employee_id, month, r.get_ref(3)?.as_blob()?).err();
                    }
                    Ok(())
                })?;
                failed.map_or(Ok(totals), Err)
            })
            .await
            .map_err(|e| StoreError::Invalid(format!("reading the roll-up: {e}")))??;
        }
        None => on_db!(db, p => {
            let mut snapshot = p.begin().await?;
            if db.backend() == Backend::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *snapshot).await?;
            }
            let mut rows = sqlx::query_as::<_, (i64, i64, String, f64, f64)>(&monthly_sql)
                .bind(from).bind(through).bind(&param).fetch(&mut *snapshot);
            while let Some((group_id, employee_id, metric, numerator, denominator)) = rows.try_next().await? {
                totals.add(group_id, employee_id, &metric, numerator, denominator);
            }
            drop(rows);
            let mut rows = sqlx::query_as::<_, (i64, i64, NaiveDate, Vec<u8>)>(&packed_sql)
                .bind(from).bind(through).bind(&param).fetch(&mut *snapshot);
            while let Some((group_id, employee_id, month, metrics)) = rows.try_next().await? {
                totals.add_packed(group_id, employee_id, month, &metrics)?;
            }
            drop(rows);
            snapshot.rollback().await?;
        }),
    }
    Ok(totals.into_sums())
}

/// Running sums by (group, metric), counting each person once per metric whichever table,
/// month or order their figures come in. A person's rows mostly come together, so the last
/// group and person are kept at hand rather than looked up again for each row.
#[derive(Default)]
struct GroupTotals {
    metric_ids: HashMap<String, usize, RandomState>,
    metrics: Vec<String>,
    group_ids: HashMap<i64, usize, RandomState>,
    /// Per group (in `group_ids`' order), per metric.
    sums: Vec<(i64, Vec<Sums>)>,
    /// Per person, a bit per metric they were counted for; the current person's are in `person`.
    counted: HashMap<i64, Vec<u64>, RandomState>,
    person: Option<(i64, Vec<u64>)>,
    group: Option<(i64, usize)>,
}

#[derive(Default, Clone)]
struct Sums {
    /// Whether any row was added: a group holds a slot for every metric up to its last.
    added: bool,
    numerator: f64,
    denominator: f64,
    people: i64,
}

impl GroupTotals {
    fn add(&mut self, group_id: i64, employee_id: i64, metric: &str, numerator: f64, denominator: f64) {
        let metric = self.metric_id(metric);
        let group = self.group_index(group_id);
        let sums = &mut self.sums[group].1;
        if sums.len() <= metric {
            sums.resize(metric + 1, Sums::default());
        }
        let sums = &mut sums[metric];
        sums.added = true;
        sums.numerator += numerator;
        sums.denominator += denominator;
        if self.person.as_ref().is_none_or(|(id, _)| *id != employee_id) {
            let bits = self.counted.remove(&employee_id).unwrap_or_default();
            if let Some((id, before)) = self.person.replace((employee_id, bits)) {
                self.counted.insert(id, before);
            }
        }
        let (_, counted) = self.person.as_mut().expect("the current person");
        let (word, bit) = (metric / 64, 1u64 << (metric % 64));
        if counted.len() <= word {
            counted.resize(word + 1, 0);
        }
        if counted[word] & bit == 0 {
            counted[word] |= bit;
            sums.people += 1;
        }
    }

    fn metric_id(&mut self, metric: &str) -> usize {
        if let Some(&id) = self.metric_ids.get(metric) {
            return id;
        }
        self.metrics.push(metric.to_string());
        self.metric_ids.insert(metric.to_string(), self.metrics.len() - 1);
        self.metrics.len() - 1
    }

    fn group_index(&mut self, group_id: i64) -> usize {
        match self.group {
            Some((id, index)) if id == group_id => index,
            _ => {
                let next = self.sums.len();
                let index = *self.group_ids.entry(group_id).or_insert(next);
                if index == next {
                    self.sums.push((group_id, Vec::new()));
                }
                self.group = Some((group_id, index));
                index
            }
        }
    }

    /// Adds the month's sum of each metric of a person's packed days.
    fn add_packed(&mut self, group_id: i64, employee_id: i64, month: NaiveDate, metrics: &[u8]) -> Result<()> {
        let damaged = |e| StoreError::Damaged(format!("stored days of employee {employee_id}, {month}: {e}"));
        for m in crate::daily::month_sums(metrics).map_err(damaged)? {
            self.add(group_id, employee_id, m.metric, m.numerator, m.denominator);
        }
        Ok(())
    }

    fn into_sums(self) -> Vec<GroupSums> {
        let metrics = self.metrics;
        let mut sums: Vec<GroupSums> = self
            .sums
            .into_iter()
            .flat_map(|(group_id, by_metric)| {
                let metrics = &metrics;
                by_metric.into_iter().enumerate().filter(|(_, s)| s.added).map(move |(metric, s)| GroupSums {
                    group_id,
                    metric: metrics[metric].clone(),
                    numerator: s.numerator,
                    denominator: s.denominator,
                    people: s.people,
                })
            })
            .collect();
        sums.sort_by(|a, b| (a.group_id, &a.metric).cmp(&(b.group_id, &b.metric)));
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_counts_once_per_metric_across_months_in_any_order() {
        let mut totals = GroupTotals::default();
        // Person 1 in group 10: two months of aht, with person 2's row between them; person 3 in
        // group 20. 70 metrics, so the counted bits span two words.
        totals.add(10, 1, "aht", 300.0, 1.0);
        totals.add(10, 2, "aht", 200.0, 1.0);
        totals.add(10, 1, "aht", 100.0, 1.0);
        for i in 0..70 {
            totals.add(20, 3, &format!("m{i}"), 1.0, 2.0);
            totals.add(20, 3, &format!("m{i}"), 1.0, 2.0);
        }
        totals.add(20, 3, "aht", 50.0, 5.0);
        let sums = totals.into_sums();
        let aht10 = sums.iter().find(|s| s.group_id == 10 && s.metric == "aht").unwrap();
        assert_eq!((aht10.numerator, aht10.denominator, aht10.people), (600.0, 3.0, 2));
        let aht20 = sums.iter().find(|s| s.group_id == 20 && s.metric == "aht").unwrap();
        assert_eq!((aht20.numerator, aht20.people), (50.0, 1));
        let m69 = sums.iter().find(|s| s.group_id == 20 && s.metric == "m69").unwrap();
        assert_eq!((m69.numerator, m69.denominator, m69.people), (2.0, 4.0, 1));
        assert_eq!(sums.len(), 72);
        let order: Vec<(i64, &str)> = sums.iter().map(|s| (s.group_id, s.metric.as_str())).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }
}
