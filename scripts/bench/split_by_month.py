"""Splits a `ladder gen` daily file (the ladder-wide preset's columns) at a month: the months
before it are summed per employee, month and metric into a long monthly file (the
ladder-monthly preset), the rest stays daily. Standard library only.

    python3 split_by_month.py KPI_CSV FIRST_DAILY_MONTH OUT_DIR
writes OUT_DIR/monthly.csv and OUT_DIR/daily.csv.
"""
import csv
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

PRESET = Path(__file__).resolve().parents[2] / "crates/import/presets/ladder-wide.toml"


def number(x):
    return int(x) if x == int(x) else repr(x)


def main(kpi, first_daily, out):
    metrics = [(m["id"], m["numerator"], m["denominator"]) for m in tomllib.loads(PRESET.read_text())["metric"]]
    sums = defaultdict(lambda: [0.0, 0.0])
    out = Path(out)
    with open(kpi, newline="") as f, open(out / "daily.csv", "w", newline="") as daily:
        rows = csv.DictReader(f)
        write = csv.writer(daily)
        write.writerow(rows.fieldnames)
        for row in rows:
            if row["date"] >= first_daily:
                write.writerow([row[c] for c in rows.fieldnames])
                continue
            for metric, num, den in metrics:
                if row[num] != "" and row[den] != "":
                    s = sums[(row["employee"], row["date"][:7], metric)]
                    s[0] += float(row[num])
                    s[1] += float(row[den])
    with open(out / "monthly.csv", "w", newline="") as monthly:
        write = csv.writer(monthly)
        write.writerow(["employee", "month", "metric", "numerator", "denominator"])
        for (employee, month, metric), (num, den) in sorted(sums.items()):
            write.writerow([employee, month, metric, number(num), number(den)])


if __name__ == "__main__":
    main(*sys.argv[1:])
