//! The five checks, each adding its flags: hours per week, consecutive nights, rest between
//! shifts, weekly rest, and long shifts. Each takes the shifts with `order` (input indices
//! sorted by start) and, where it needs it, which shifts are night shifts.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, TimeDelta};

use super::shifts::{hours, monday_of, night_of, overlap_secs, secs_between};
use super::words::{fmt_hours, fmt_num, fmt_span, fmt_when};
use super::{Flag, FlagKind, Severity, Shift, WeekSummary, WellbeingRules};

#[derive(Default)]
struct WeekAcc {
    secs: i64,
    shifts: usize,
    night_shifts: usize,
    members: Vec<usize>,
}

pub(super) fn weekly_hours(
    shifts: &[Shift],
    order: &[usize],
    night: &[bool],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) -> Vec<WeekSummary> {
    let mut weeks: BTreeMap<NaiveDate, WeekAcc> = BTreeMap::new();
    for &i in order {
        let s = shifts[i];
        let first_monday = monday_of(s.start.date());
        let mut monday = first_monday;
        loop {
            let week_start = monday.and_time(NaiveTime::MIN);
            let week_end = week_start + TimeDelta::days(7);
            let secs = overlap_secs(s.start, s.end, week_start, week_end);
            if secs > 0 {
                let acc = weeks.entry(monday).or_default();
                acc.secs += secs;
                acc.members.push(i);
                if monday == first_monday {
                    acc.shifts += 1;
                    acc.night_shifts += usize::from(night[i]);
                }
            }
            if s.end <= week_end {
                break;
            }
            monday += TimeDelta::days(7);
        }
    }

    let mut out = Vec::with_capacity(weeks.len());
    for (monday, acc) in weeks {
        let h = hours(acc.secs);
        let over = if h > rules.weekly_hours_high {
            Some((Severity::High, rules.weekly_hours_high, "a very heavy week"))
        } else if h > rules.weekly_hours_warning {
            Some((Severity::Warning, rules.weekly_hours_warning, "a long week"))
        } else {
            None
        };
        if let Some((severity, limit, note)) = over {
            let from = monday.and_time(NaiveTime::MIN);
            flags.push(Flag {
                kind: FlagKind::WeeklyHours,
                severity,
                from,
                to: from + TimeDelta::days(7),
                value: h,
                limit,
                shifts: acc.members,
                message: if words {
                    format!(
                        "{} worked in the week starting {} — more than {} h, {note}. The UK Working \
                         Time Regulations cap the average week at 48 h, and fatigue guidance advises \
                         against more than 50 h a week; worth a look at overtime and the roster.",
                        fmt_hours(h),
                        monday.format("%a %-d %b %Y"),
                        fmt_num(limit),
                    )
                } else {
                    String::new()
                },
            });
        }
        out.push(WeekSummary { week_start: monday, hours: h, shifts: acc.shifts, night_shifts: acc.night_shifts });
    }
    out
}

pub(super) fn consecutive_nights(
    shifts: &[Shift],
    order: &[usize],
    night: &[bool],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    // (night date, input index) of each night shift, in time order.
    let nights: Vec<(NaiveDate, usize)> =
        order.iter().filter(|&&i| night[i]).filter_map(|&i| night_of(&shifts[i], rules).map(|d| (d, i))).collect();

    let mut run: Vec<usize> = Vec::new();
    let mut count: u32 = 0;
    let mut last: Option<NaiveDate> = None;
    for &(date, i) in &nights {
        match last {
            Some(prev) if date == prev => {}
            Some(prev) if prev.succ_opt() == Some(date) => count += 1,
            _ => {
                close_night_run(shifts, &run, count, rules, flags, words);
                run.clear();
                count = 1;
            }
        }
        run.push(i);
        last = Some(date);
    }
    close_night_run(shifts, &run, count, rules, flags, words);
}

fn close_night_run(
    shifts: &[Shift],
    run: &[usize],
    count: u32,
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else { return };
    let (severity, limit, note) = if count > rules.consecutive_nights_high {
        (Severity::High, rules.consecutive_nights_high, "is a long run")
    } else if count > rules.consecutive_nights_warning {
        (Severity::Warning, rules.consecutive_nights_warning, "strains sleep")
    } else {
        return;
    };
    flags.push(Flag {
        kind: FlagKind::ConsecutiveNights,
        severity,
        from: shifts[first].start,
        to: shifts[last].end,
        value: f64::from(count),
        limit: f64::from(limit),
        shifts: run.to_vec(),
        message: if words {
            format!(
                "{count} night shifts in a row (more than {limit} {note}; HSE advises 2–3 and fatigue \
                 guidance at most 3–4). Plan at least 2 full nights' sleep after the last one."
            )
        } else {
            String::new()
        },
    });
}

pub(super) fn short_rest(
    shifts: &[Shift],
    order: &[usize],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    for w in order.windows(2) {
        let (prev, next) = (shifts[w[0]], shifts[w[1]]);
        let rest = hours(secs_between(prev.end, next.start));
        let (severity, limit) = if rest < rules.quick_return_hours {
            (Severity::High, rules.quick_return_hours)
        } else if rest < rules.min_rest_hours {
            (Severity::Warning, rules.min_rest_hours)
        } else {
            continue;
        };
        flags.push(Flag {
            kind: FlagKind::ShortRest,
            severity,
            from: prev.end,
            to: next.start,
            value: rest,
            limit,
            shifts: vec![w[0], w[1]],
            message: if words {
                let what = if severity == Severity::High {
                    format!("a quick return (under {} h), which fatigue guidance advises against", fmt_num(limit))
                } else {
                    format!("under the {} h minimum", fmt_num(limit))
                };
                format!(
                    "Only {} rest between the shift ending {} and the next one starting {}: {what}. \
                     The EU Working Time Directive gives 11 h daily rest, and fatigue guidance \
                     suggests 12 h between shifts.",
                    fmt_hours(rest),
                    fmt_when(prev.end),
                    fmt_when(next.start),
                )
            } else {
                String::new()
            },
        });
    }
}

pub(super) fn weekly_rest(
    shifts: &[Shift],
    order: &[usize],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    let Some(&first) = order.first() else { return };
    let mut stretch = vec![first];
    let mut longest_gap: Option<f64> = None;
    for w in order.windows(2) {
        let gap = hours(secs_between(shifts[w[0]].end, shifts[w[1]].start));
        if gap >= rules.weekly_rest_hours {
            close_stretch(shifts, &stretch, longest_gap, rules, flags, words);
            stretch.clear();
            longest_gap = None;
        } else {
            longest_gap = Some(longest_gap.map_or(gap, |g: f64| g.max(gap)));
        }
        stretch.push(w[1]);
    }
    close_stretch(shifts, &stretch, longest_gap, rules, flags, words);
}

fn close_stretch(
    shifts: &[Shift],
    stretch: &[usize],
    longest_gap: Option<f64>,
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    let (Some(&first), Some(&last)) = (stretch.first(), stretch.last()) else { return };
    // Shifts do not overlap, so the last to start is also the last to end.
    let (from, to) = (shifts[first].start, shifts[last].end);
    let span = hours(secs_between(from, to));
    let window = f64::from(rules.weekly_rest_window_days) * 24.0;
    let (severity, limit) = if span > 2.0 * window {
        (Severity::High, 2.0 * window)
    } else if span > window {
        (Severity::Warning, window)
    } else {
        return;
    };
    flags.push(Flag {
        kind: FlagKind::NoWeeklyRest,
        severity,
        from,
        to,
        value: span,
        limit,
        shifts: stretch.to_vec(),
        message: if words {
            let gap_note = longest_gap.map(|g| format!(" (longest break {})", fmt_hours(g))).unwrap_or_default();
            format!(
                "{} of work from {} to {} without a break of {} or more{gap_note}, longer than {}. \
                 The EU Working Time Directive gives 24 h of rest in every 7 days, and HSE advises \
                 at most 5–7 work days in a row; plan a full day off.",
                fmt_span(span),
                fmt_when(from),
                fmt_when(to),
                fmt_hours(rules.weekly_rest_hours),
                fmt_span(limit),
            )
        } else {
            String::new()
        },
    });
}

pub(super) fn long_shifts(
    shifts: &[Shift],
    order: &[usize],
    night: &[bool],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
    words: bool,
) {
    for &i in order {
        let s = shifts[i];
        let h = s.hours();
        let (kind, severity, limit, guidance) = if h > rules.long_shift_hours {
            (FlagKind::LongShift, Severity::High, rules.long_shift_hours, "HSE advises at most 12 h including overtime")
        } else if night[i] && h > rules.long_night_shift_hours {
            (
                FlagKind::LongNightShift,
                Severity::Warning,
                rules.long_night_shift_hours,
                "HSE advises at most 8 h for night shifts",
            )
        } else {
            continue;
        };
        let what = if kind == FlagKind::LongNightShift { "night shift" } else { "shift" };
        flags.push(Flag {
            kind,
            severity,
            from: s.start,
            to: s.end,
            value: h,
            limit,
            shifts: vec![i],
            message: if words {
                format!(
                    "A {} {what} starting {} (longer than {} h; {guidance}).",
                    fmt_hours(h),
                    fmt_when(s.start),
                    fmt_num(limit),
                )
            } else {
                String::new()
            },
        });
    }
}
