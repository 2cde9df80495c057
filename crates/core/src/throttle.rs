//! How often someone may try to sign in: counters per key (an email and address pair, an
//! address, an email) over a window, with a doubling wait once a pair has used its tries, so
//! a forgotten password slows one person down without locking the account for everyone.

use chrono::{DateTime, Duration, Utc};

/// A key's attempts in the current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub failures: i64,
    pub window_start: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

/// The limit on one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Attempts allowed in a window before waiting starts.
    pub limit: i64,
    pub window: Duration,
    /// After the limit: wait one minute, then two, four … (capped at the window) between tries,
    /// instead of waiting for the window to end.
    pub backoff: bool,
}

/// The first wait once a pair has used its tries.
const FIRST_WAIT: Duration = Duration::minutes(1);

/// The counter with one more attempt counted, or how long to wait before the next one.
pub fn attempt(rule: Rule, counter: Option<Counter>, now: DateTime<Utc>) -> Result<Counter, Duration> {
    let fresh = Counter { failures: 1, window_start: now, last_at: now };
    let Some(c) = counter.filter(|c| c.window_start + rule.window > now) else { return Ok(fresh) };
    if c.failures < rule.limit {
        return Ok(Counter { failures: c.failures + 1, last_at: now, ..c });
    }
    if !rule.backoff {
        return Err(c.window_start + rule.window - now);
    }
    let doublings = (c.failures - rule.limit).clamp(0, 20) as u32;
    let wait = (FIRST_WAIT * 2i32.pow(doublings.min(30))).min(rule.window);
    let waited = now - c.last_at;
    if waited >= wait {
        Ok(Counter { failures: c.failures + 1, last_at: now, ..c })
    } else {
        Err(wait - waited)
    }
}

/// "3 minutes", "1 minute": a wait said in whole minutes, rounded up.
pub fn wait_in_words(wait: Duration) -> String {
    let minutes = ((wait.num_seconds() + 59) / 60).max(1);
    if minutes == 1 {
        "1 minute".into()
    } else {
        format!("{minutes} minutes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    const PAIR: Rule = Rule { limit: 3, window: Duration::minutes(15), backoff: true };
    const ADDRESS: Rule = Rule { limit: 3, window: Duration::minutes(15), backoff: false };

    fn run(rule: Rule, times: &[i64]) -> Vec<Result<i64, i64>> {
        let mut counter = None;
        times
            .iter()
            .map(|&t| match attempt(rule, counter, at(t)) {
                Ok(c) => {
                    counter = Some(c);
                    Ok(c.failures)
                }
                Err(wait) => Err(wait.num_seconds()),
            })
            .collect()
    }

    #[test]
    fn a_pair_waits_longer_after_each_try_past_its_limit() {
        // Three tries at once; the fourth waits a minute, the fifth two more, the sixth four.
        let got = run(PAIR, &[0, 0, 0, 0, 1, 2, 3, 7]);
        assert_eq!(got, vec![Ok(1), Ok(2), Ok(3), Err(60), Ok(4), Err(60), Ok(5), Ok(6)]);
    }

    #[test]
    fn an_address_or_an_email_waits_for_its_window() {
        let got = run(ADDRESS, &[0, 1, 2, 3, 14, 15]);
        assert_eq!(got, vec![Ok(1), Ok(2), Ok(3), Err(12 * 60), Err(60), Ok(1)]);
    }

    #[test]
    fn the_wait_never_passes_the_window() {
        let mut c = Counter { failures: 40, window_start: at(0), last_at: at(0) };
        c.window_start = at(-1);
        assert_eq!(attempt(PAIR, Some(c), at(1)), Err(Duration::minutes(14)));
        assert_eq!(wait_in_words(Duration::seconds(61)), "2 minutes");
        assert_eq!(wait_in_words(Duration::seconds(3)), "1 minute");
    }
}
