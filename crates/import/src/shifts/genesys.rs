//! Genesys Cloud WFM schedules: the JSON of `agentschedules/search` (exports.md §2.3).
//!
//! Each `agentSchedules[].shifts[]` is one shift: `startDate` (UTC, ISO 8601) plus
//! `lengthMinutes`; its `activities[]` are the segments. Genesys marks breaks by the activity
//! code's category (`Break`, `Meal`), which the schedule does not carry: we count an activity as
//! a break when its `description` names one (break, lunch, meal) — an inference, said here.
//! The agent is `user.id`, Genesys's user id: a Ladder code or platform identifier.

use chrono::{DateTime, TimeDelta, Utc};
use ladder_store::wellbeing::Record;
use serde::Deserialize;

use super::layout::BREAK_WORDS;
use super::rows::{Raw, When};
use crate::read::{Input, InputData};
use crate::validate::Problem;

/// The largest JSON file read (it is read whole).
pub const MAX_JSON_BYTES: usize = 256 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    #[serde(default)]
    agent_schedules: Vec<AgentSchedule>,
}

#[derive(Deserialize)]
struct AgentSchedule {
    user: User,
    #[serde(default)]
    shifts: Vec<GShift>,
}

#[derive(Deserialize)]
struct User {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GShift {
    start_date: DateTime<Utc>,
    length_minutes: i64,
    #[serde(default)]
    activities: Vec<Activity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Activity {
    #[serde(default)]
    length_minutes: i64,
    #[serde(default)]
    description: String,
}

/// The shifts of a Genesys schedule file; a shift's "row" is its number in the file (1, 2, …).
pub fn read(input: &Input, problems: &mut Vec<Problem>) -> crate::Result<(Vec<Raw>, String)> {
    use sha2::{Digest, Sha256};
    let bytes = match &input.data {
        InputData::Path(p) => std::fs::read(p).map_err(|e| crate::read::ReadError::Io(input.name.clone(), e))?,
        InputData::Bytes(b) => b.to_vec(),
    };
    if bytes.len() > MAX_JSON_BYTES {
        return Err(crate::ImportError::Limit(format!("a Genesys schedule file is at most {MAX_JSON_BYTES} bytes")));
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let response: Response = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::new(
                e.line() as u64,
                "",
                "",
                format!("not a Genesys agent-schedules response (line {}, column {}): {e}", e.line(), e.column()),
            ));
            return Ok((Vec::new(), sha256));
        }
    };
    let mut out = Vec::new();
    let mut row = 0u64;
    for (a, agent) in response.agent_schedules.iter().enumerate() {
        for (s, shift) in agent.shifts.iter().enumerate() {
            row += 1;
            let place = format!("agentSchedules[{a}].shifts[{s}].lengthMinutes");
            if !(1..=1440).contains(&shift.length_minutes) {
                let v = shift.length_minutes.to_string();
                problems.push(Problem::new(row, &place, &v, "a length of 1 to 1440 minutes"));
                continue;
            }
            let breaks: i64 = shift
                .activities
                .iter()
                .filter(|x| BREAK_WORDS.iter().any(|w| x.description.to_ascii_lowercase().contains(w)))
                .map(|x| x.length_minutes.max(0))
                .sum();
            out.push(Raw {
                row,
                code: agent.user.id.clone(),
                start: When::Instant(shift.start_date),
                end: When::Instant(shift.start_date + TimeDelta::minutes(shift.length_minutes)),
                kind: None,
                breaks: breaks.min(1440) as i32,
                record: Record::Scheduled,
                activity: None,
                by_name: false,
            });
        }
    }
    Ok((out, sha256))
}
