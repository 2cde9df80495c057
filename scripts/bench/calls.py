#!/usr/bin/env python3
"""The per-interaction benchmark's figures (scripts/bench-import with BENCH_PER_INTERACTION=1):
every employee-month's sums of the `ladder-calls` preset's numerators and denominators (aht, fcr,
csat) from `ladder gen --per-interaction`'s calls.csv.

  calls.py duckdb CALLS.csv OUT.csv     DuckDB computes them from the file (the timed reference)
  calls.py ladder LADDER.db OUT.csv     read back from what `ladder import kpi` stored (SQLite,
                                        kpi_employee_months; the codec of crates/store/src/daily)
  calls.py compare A.csv B.csv [TOL]    same employee-months, every sum and ratio within TOL
                                        (default 1e-9, relative to max(1, |value|))

The preset (crates/import/presets/ladder-calls.toml): unanswered calls are skipped; per answered
call aht = talk + hold + wrap seconds over 1 call, fcr = resolved (Y/N) over 1 call, csat = a
rating of 5 over a rating present. A month with no survey has no csat (Ladder stores no fact).
Output: employee,month,aht_n,aht_d,fcr_n,fcr_d,csat_n,csat_d (blank where there is no figure).
"""
import csv
import struct
import sys

METRICS = ("aht", "fcr", "csat")
HEADER = ["employee", "month"] + [f"{m}_{s}" for m in METRICS for s in ("n", "d")]


def run_duckdb(calls, out):
    import duckdb
    con = duckdb.connect()
    con.execute(f"""COPY (
        SELECT agent AS employee, strftime(date, '%Y-%m') AS month,
            sum(coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(wrap_seconds, 0)) AS aht_n,
            count(*)::DOUBLE AS aht_d,
            sum(CASE WHEN upper(resolved) IN ('Y', 'YES', 'TRUE', '1') THEN 1 ELSE 0 END)::DOUBLE AS fcr_n,
            count(resolved)::DOUBLE AS fcr_d,
            CASE WHEN count(rating) > 0 THEN sum(CASE WHEN rating >= 5 THEN 1 ELSE 0 END) END::DOUBLE AS csat_n,
            CASE WHEN count(rating) > 0 THEN count(rating) END::DOUBLE AS csat_d
        FROM read_csv('{calls}', header = true, columns = {{
            'call_id': 'VARCHAR', 'agent': 'VARCHAR', 'date': 'DATE', 'start': 'VARCHAR',
            'answered': 'VARCHAR', 'resolved': 'VARCHAR', 'talk_seconds': 'DOUBLE',
            'hold_seconds': 'DOUBLE', 'wrap_seconds': 'DOUBLE', 'rating': 'DOUBLE'}})
        WHERE upper(answered) NOT IN ('N', 'NO', 'FALSE', '0')
        GROUP BY ALL ORDER BY 1, 2
    ) TO '{out}' (HEADER, DELIMITER ',')""")


def varint(b, i):
    v = shift = 0
    while True:
        byte = b[i]
        i += 1
        v |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return v, i


def month_sums(days):
    """(numerator, denominator) summed over the days, in day order as Ladder adds them."""
    mask = struct.unpack_from("<I", days, 0)[0]
    i, n, d = 4, 0.0, 0.0
    compact = mask & (1 << 31)
    for day in range(31):
        if not mask & (1 << day):
            continue
        if not compact:
            a, b = struct.unpack_from("<dd", days, i)
            i += 16
        else:
            kinds = days[i]
            i += 1
            parts = []
            for nibble in (kinds >> 4, kinds & 0x0F):
                if nibble == 15:
                    parts.append(struct.unpack_from("<d", days, i)[0])
                    i += 8
                else:
                    z, i = varint(days, i)
                    parts.append(float((z >> 1) ^ -(z & 1)) / (1.0, 10.0, 100.0, 1000.0)[nibble])
            a, b = parts
        n += a
        d += b
    assert i == len(days), "bytes after the last day"
    return n, d


def run_ladder(db, out):
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("""SELECT e.code, k.month, k.metrics FROM kpi_employee_months k
                          JOIN employees e ON e.id = k.employee_id ORDER BY 1, 2""")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for code, month, blob in rows:
            b, i, sums = bytes(blob), 0, {}
            while i < len(b):
                length, i = varint(b, i)
                metric = b[i:i + length].decode()
                i += length
                _, i = varint(b, i)  # import id
                length, i = varint(b, i)
                sums[metric] = month_sums(b[i:i + length])
                i += length
            line = [code, str(month)[:7]]
            for m in METRICS:
                line += [repr(x) for x in sums[m]] if m in sums else ["", ""]
            w.writerow(line)


def compare(a_path, b_path, tol=1e-9):
    def load(path):
        with open(path, newline="") as f:
            return {(r["employee"], r["month"]): r for r in csv.DictReader(f)}
    a, b = load(a_path), load(b_path)
    if set(a) != set(b):
        print(f"DIFFER: {b_path} has {len(b)} employee-months, {a_path} has {len(a)}; "
              f"e.g. {sorted(set(a) ^ set(b))[:3]}")
        return False
    worst = worst_ratio = 0.0
    for key, ra in a.items():
        rb = b[key]
        for m in METRICS:
            vals = []
            for col in (f"{m}_n", f"{m}_d"):
                x, y = ra[col], rb[col]
                if (x == "") != (y == ""):
                    print(f"DIFFER: {key} {col}: {x!r} vs {y!r}")
                    return False
                if x:
                    x, y = float(x), float(y)
                    worst = max(worst, abs(x - y) / max(1.0, abs(x)))
                    vals.append((x, y))
            if len(vals) == 2 and vals[1][0] != 0:
                (xn, yn), (xd, yd) = vals
                r1, r2 = xn / xd, yn / yd
                worst_ratio = max(worst_ratio, abs(r1 - r2) / max(1.0, abs(r1)))
    ok = worst <= tol and worst_ratio <= tol
    print(f"{b_path}: {len(b)} employee-months x {len(METRICS)} metrics; largest relative difference "
          f"of a sum {worst:.2e}, of a monthly figure (ratio) {worst_ratio:.2e} -> "
          f"{'AGREE' if ok else 'DISAGREE'} to {tol:g}")
    return ok


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "duckdb":
        run_duckdb(*args)
    elif cmd == "ladder":
        run_ladder(*args)
    elif cmd == "compare":
        sys.exit(0 if compare(args[0], args[1], *(float(t) for t in args[2:])) else 1)
    else:
        sys.exit(__doc__)
