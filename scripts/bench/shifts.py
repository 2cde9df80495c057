#!/usr/bin/env python3
"""The shift benchmark's files and its DuckDB reference (scripts/bench-shifts, issue 29).

  shifts.py gen N SEED YEAR OUT_DIR   people.csv and shifts.csv: a year of shifts for N agents
  shifts.py duckdb SHIFTS.csv OUT     weekly hours and short rests by DuckDB, counted (JSON)
  shifts.py compare DUCKDB LADDER     the two counts agree, or exit 1 naming what differs

The shifts are in Ladder's own layout (`employee,start,end,kind,breaks`, local site time; see
docs/shifts.md). Agents work at four sites in three zones, one of them with daylight saving
(America/Chicago) and one more (Europe/Warsaw) too: 55 % day shifts, 30 % nights (starting
21:00-23:00, so crossing midnight) and 15 % rotating weekly through 07:00, 15:00 and 23:00, the
same split `ladder demo` uses. Weeks with a sixth day of overtime, longer days, a late shift
followed by an early one, a training slot after a night, and days of leave make the flags
believable. No shift starts or ends in an hour the clocks skip (Ladder would read it an hour
later, as docs/shifts.md says; DuckDB reads the wall-clock text as it is), so both read the
same wall-clock times.

DuckDB's definitions are the core's (crates/core/src/wellbeing/mod.rs): ISO weeks from Monday
00:00 in site time, a shift crossing into the next week adding its hours to each; a week over
48 h is flagged, over 60 h High. Rest is from one shift's end to the next's start, shifts of a
person by start; under 11 h is flagged, under 8 h High.
"""

import json
import random
import sys
from datetime import date, timedelta

SITES = [  # name, country, zone, share, the day the clocks skip 02:00-03:00 (None: no DST)
    ("Manila", "PH", "Asia/Manila", 0.45, None),
    ("Davao", "PH", "Asia/Manila", 0.15, None),
    ("Dallas", "US", "America/Chicago", 0.25, "03-09"),
    ("Krakow", "PL", "Europe/Warsaw", 0.15, "03-30"),
]
REST_DAYS = [(5, 6), (6, 0), (4, 5), (1, 2)]  # weekday pairs off (Monday = 0)
TEAM = 12


def gen(n, seed, year, out):
    days = [date(year, 1, 1) + timedelta(d) for d in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
    # Minutes are counted from 1 January 00:00 (wall clock); one text per day, made once.
    day_text = [d.isoformat() for d in days] + [date(year + 1, 1, 1).isoformat(), (date(year + 1, 1, 2)).isoformat()]

    def text(minute):
        d, m = divmod(minute, 1440)
        return f"{day_text[d]}T{m // 60:02d}:{m % 60:02d}"

    rng = random.Random(seed)
    people = open(f"{out}/people.csv", "w")
    people.write("code,name,site,country,timezone,account,client,line_of_business,team,role,hire_date\n")
    shifts = open(f"{out}/shifts.csv", "w")
    shifts.write("employee,start,end,kind,breaks\n")
    count = 0
    for a in range(n):
        code = f"A{a:05d}"
        team = a // TEAM
        # A team works at one site.
        pick, acc = random.Random(seed * 1_000_003 + team).random(), 0.0
        for site, country, zone, share, gap in SITES:
            acc += share
            if pick < acc:
                break
        people.write(f"{code},Agent {a},{site},{country},{zone},{site} voice,Telco,voice,T{team},"
                     f"customer-service-executive,{year - 1 - a % 5}-0{1 + a % 9}-15\n")
        gap_day = days.index(date.fromisoformat(f"{year}-{gap}")) if gap else None
        rows = agent_shifts(rng, len(days), days[0].weekday(), gap_day)
        for start, end, kind in rows:
            shifts.write(f"{code},{text(start)},{text(end)},{kind},60\n")
        count += len(rows)
    people.close()
    shifts.close()
    print(f"{n} agents, {count} shifts")


def agent_shifts(rng, ndays, first_weekday, gap_day):
    """One agent's year: (start minute, end minute, kind), by start, none overlapping."""
    r = rng.random()
    pattern = "day" if r < 0.55 else "night" if r < 0.85 else "rotating"
    off = rng.choice(REST_DAYS)
    fixed = {"day": rng.choice([6, 7, 8, 9]) * 60, "night": rng.choice([21, 22, 23]) * 60}.get(pattern)
    out = []
    last_end = -1440
    week_extra = False
    week_long = False
    for d in range(ndays):
        weekday = (first_weekday + d) % 7
        if weekday == 0:  # a new week: overtime or not
            week_extra = rng.random() < 0.08
            week_long = week_extra and rng.random() < 0.25
        if pattern == "rotating":
            start = [7, 15, 23][((d + first_weekday) // 7) % 3] * 60
            length = 8 * 60
            working = weekday < 5
        else:
            start = fixed
            length = 9 * 60
            working = weekday not in off
        if not working and not (week_extra and weekday == off[0] and pattern != "rotating"):
            continue
        if rng.random() < 0.03:  # leave
            continue
        if week_long:
            length += 120
        if rng.random() < 0.1:
            start += rng.choice([-30, -15, 15, 30])
        if pattern != "night" and rng.random() < 0.02:  # a late shift the evening before an early one
            start = 14 * 60
        s, e = d * 1440 + start, d * 1440 + start + length
        s, e = clear_of_gap(s, gap_day), clear_of_gap(e, gap_day)
        if s < last_end:
            continue
        out.append((s, e, pattern))
        last_end = e
        if pattern == "night" and d + 1 < ndays and rng.random() < 0.01:  # training after a night
            ts = (d + 1) * 1440 + 13 * 60
            if ts >= last_end and ts + 240 <= (d + 1) * 1440 + start:
                out.append((ts, ts + 240, pattern))
                last_end = ts + 240
    return out


def clear_of_gap(minute, gap_day):
    """A time in the hour the clocks skip moves an hour later (what Ladder would read)."""
    if gap_day is not None and gap_day * 1440 + 120 <= minute < gap_day * 1440 + 180:
        return minute + 60
    return minute


def reference(path, out):
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE s AS SELECT employee, "start" AS s, "end" AS e,
            date_trunc('week', "start")::TIMESTAMP AS w
        FROM read_csv('{path}', header = true,
            columns = {{'employee': 'VARCHAR', 'start': 'TIMESTAMP', 'end': 'TIMESTAMP',
                        'kind': 'VARCHAR', 'breaks': 'INTEGER'}})"""
    )
    weeks = con.execute(
        """WITH parts AS (
            SELECT employee, w, epoch(least(e, w + INTERVAL 7 DAY) - s) AS secs FROM s
            UNION ALL
            SELECT employee, w + INTERVAL 7 DAY, epoch(e - (w + INTERVAL 7 DAY)) FROM s
            WHERE e > w + INTERVAL 7 DAY
        ), weeks AS (SELECT employee, w, sum(secs) AS secs FROM parts GROUP BY ALL)
        SELECT count(*), count(*) FILTER (secs > 48 * 3600), count(*) FILTER (secs > 60 * 3600),
            sum(secs) / 3600.0 FROM weeks"""
    ).fetchone()
    rests = con.execute(
        """SELECT count(*) FILTER (rest < 11 * 3600), count(*) FILTER (rest < 8 * 3600),
            count(*), count(DISTINCT employee)
        FROM (SELECT employee, epoch(s - lag(e) OVER (PARTITION BY employee ORDER BY s)) AS rest FROM s)"""
    ).fetchone()
    result = {
        "people": rests[3],
        "shifts": rests[2],
        "person_weeks": weeks[0],
        "hours": round(weeks[3], 3),
        "weekly-hours": {"warning": weeks[1] - weeks[2], "high": weeks[2]},
        "short-rest": {"warning": rests[0] - rests[1], "high": rests[1]},
    }
    with open(out, "w") as f:
        json.dump(result, f)


def compare(duck_path, ladder_path):
    duck = json.load(open(duck_path))
    ladder = json.load(open(ladder_path))
    got = {
        "people": ladder["people"],
        "shifts": ladder["shifts"],
        "person_weeks": ladder["person_weeks"],
        "hours": round(ladder["hours"], 3),
    }
    for k in ladder["flags"]:
        if k["kind"] in ("weekly-hours", "short-rest"):
            got[k["kind"]] = {"warning": k["warning"], "high": k["high"]}
    bad = [f"{k}: DuckDB {duck[k]}, Ladder {got.get(k)}" for k in duck if abs_diff(duck[k], got.get(k))]
    if bad:
        print("   DISAGREE: " + "; ".join(bad))
        sys.exit(1)
    wh, sr = duck["weekly-hours"], duck["short-rest"]
    print(f"   agree: {duck['shifts']} shifts, {duck['person_weeks']} person-weeks; weeks over 48 h "
          f"{wh['warning'] + wh['high']} ({wh['high']} over 60 h), rests under 11 h "
          f"{sr['warning'] + sr['high']} ({sr['high']} under 8 h)")


def abs_diff(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return b is None or abs(a - b) > 0.01
    return a != b


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif cmd == "duckdb":
        reference(sys.argv[2], sys.argv[3])
    elif cmd == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
