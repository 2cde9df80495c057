//! A synthetic per-call log: a year of one row per call for every agent (about ten calls a
//! working day each), for the per-interaction benchmark and the `ladder-calls` preset. The same
//! rest days as the daily file; unanswered calls, blank hold times and a survey on some calls, as
//! real logs have.

use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};

use super::{code, Org, Rand};

/// The header of the per-call log (`ladder-calls` preset).
pub const CALLS_HEADER: &str =
    "call_id,agent,date,start,answered,resolved,talk_seconds,hold_seconds,wrap_seconds,rating";

impl Org {
    /// Writes a year of calls, day by day and agent by agent; returns the rows written.
    pub fn write_calls(&self, out: &mut impl Write) -> io::Result<u64> {
        writeln!(out, "{CALLS_HEADER}")?;
        let r = Rand(self.seed);
        let start = NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid");
        let end = NaiveDate::from_ymd_opt(self.year + 1, 1, 1).expect("valid");
        let mut line = String::with_capacity(96);
        let mut rows = 0u64;
        let mut day = start;
        while day < end {
            let d = (day - start).num_days() as u64;
            let weekday = day.weekday().num_days_from_monday() as usize;
            for agent in 0..self.agents {
                let a = agent as u64;
                // The daily file's rest days.
                let pattern = (r.at(a, 0, 10) * 4.0) as usize;
                if [5, 0, 2, 3][pattern] == weekday || [6, 1, 3, 4][pattern] == weekday || r.at(a, d, 20) < 0.025 {
                    continue;
                }
                let skill = r.normal(a, 0, 1);
                let calls = (10.0 + 3.0 * r.normal(a, d, 30)).round().max(1.0) as u64;
                for c in 0..calls {
                    rows += 1;
                    line.clear();
                    call_row(&mut line, r, (a, d, c), skill, agent, day, rows);
                    out.write_all(line.as_bytes())?;
                }
            }
            day += Duration::days(1);
        }
        Ok(rows)
    }
}

/// One call of agent `a` on day `d` (its `c`th).
fn call_row(line: &mut String, r: Rand, (a, d, c): (u64, u64, u64), skill: f64, agent: usize, day: NaiveDate, id: u64) {
    use std::fmt::Write as _;
    let key = d * 64 + c;
    let at = |k: u64| r.at(a, key, 40 + k);
    let seconds = 8 * 3600 + c * 2700 / 10 + (at(0) * 240.0) as u64;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let _ = write!(line, "C{id},{},{day},{h:02}:{m:02}:{s:02},", code(agent));
    if at(1) < 0.04 {
        // Unanswered: the agent's phone rang out.
        line.push_str("N,,,,,\n");
        return;
    }
    let resolved = at(2) < (0.71 + 0.03 * skill).clamp(0.3, 0.98);
    let talk = (420.0 - 30.0 * skill + 150.0 * r.normal(a, key, 50)).max(30.0).round() as u64;
    let hold = if at(3) < 0.3 { format!("{}", (40.0 + 60.0 * at(4)).round()) } else { String::new() };
    let wrap = (60.0 + 40.0 * at(5)).round() as u64;
    let _ = write!(line, "Y,{},{talk},{hold},{wrap},", if resolved { "Y" } else { "N" });
    if at(6) < 0.12 {
        let rating = (1.0 + 4.0 * (0.78 + 0.05 * skill + 0.2 * (at(7) - 0.5)).clamp(0.0, 1.0)).round() as u64;
        let _ = write!(line, "{rating}");
    }
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_of_calls_is_the_same_for_a_seed_and_shaped_like_a_log() {
        let org = Org { agents: 3, seed: 7, year: 2025 };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let rows = org.write_calls(&mut a).unwrap();
        org.write_calls(&mut b).unwrap();
        assert_eq!(a, b, "the same seed, the same file");
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count() as u64, rows + 1);
        // About ten calls a working day: 3 agents × ~245 days × ~10.
        assert!((5_000..10_000).contains(&rows), "{rows}");
        let unanswered = text.lines().filter(|l| l.contains(",N,,,,,")).count() as f64;
        assert!((0.02..0.07).contains(&(unanswered / rows as f64)), "{unanswered}");
        assert!(text.lines().skip(1).all(|l| l.split(',').count() == 10), "every row has every column");
    }
}
