#!/usr/bin/env python3
"""Reference scorers for scripts/bench-import: every monthly KRA score of a `ladder gen` KPI file,
computed by DuckDB or by pandas instead of Ladder.

Both read the same framework file Ladder embeds (crates/core/framework/default.toml): each
role's KRA template, the metric library's limits and scales, and the scoring curve. A month's
value of a KRA is a ratio of sums (Σnumerator ÷ Σdenominator × scale); attainment is the
piecewise-linear curve (0 below threshold, threshold_credit at threshold, 100 at target,
stretch_credit from stretch on; `lower` metrics mirrored; `band` metrics full inside
[target, stretch]); KRAs without data are re-weighted away. Output: employee,month,total.

usage: reference.py duckdb|pandas KPI.csv PEOPLE.csv OUT.csv
"""
import sys
import tomllib
from pathlib import Path

FRAMEWORK = Path(__file__).resolve().parents[2] / "crates/core/framework/default.toml"

# ladder-wide preset: metric -> (numerator column, denominator column)
COLUMNS = {
    "aht": ("handle_seconds", "contacts"),
    "fcr": ("resolved_first_contact", "contacts"),
    "csat": ("surveys_top_box", "surveys"),
    "qa-score": ("qa_points", "qa_possible"),
    "adherence": ("adherent_minutes", "scheduled_minutes"),
    "attendance": ("worked_hours", "scheduled_hours"),
}


def framework():
    fw = tomllib.loads(FRAMEWORK.read_text())
    metrics = {m["id"]: m for m in fw["metric"]}
    plans = {}
    for role in fw["role"]:
        lines = []
        for k in role.get("kras", []):
            m = metrics[k["metric"]]
            lines.append({
                "metric": k["metric"],
                "weight": float(k["weight"]),
                "direction": m["direction"],
                "threshold": float(k.get("threshold", m["threshold"])),
                "target": float(k.get("target", m["target"])),
                "stretch": float(k.get("stretch", m["stretch"])),
                "scale": float(m.get("scale", 1)),
            })
        plans[role["id"]] = lines
    s = fw["scoring"]
    return plans, float(s["threshold_credit"]), float(s["stretch_credit"])


def attainment_sql(v, line, tc, sc):
    """The curve as a SQL CASE over the value expression v (NULL stays NULL)."""
    t, g, s = line["threshold"], line["target"], line["stretch"]
    if line["direction"] == "lower":
        v, t, g, s = f"(-({v}))", -t, -g, -s
    if line["direction"] == "band":
        tol = g - t
        dist = f"(CASE WHEN {v} < {g} THEN {g} - {v} WHEN {v} > {s} THEN {v} - {s} ELSE 0 END)"
        return (f"(CASE WHEN {v} IS NULL THEN NULL WHEN {dist} = 0 THEN 100 WHEN {dist} > {tol} THEN 0 "
                f"ELSE {tc} + (100 - {tc}) * (1 - {dist} / {tol}) END)")
    return (f"(CASE WHEN {v} IS NULL THEN NULL WHEN {v} < {t} THEN 0 "
            f"WHEN {v} < {g} THEN {tc} + (100 - {tc}) * ({v} - ({t})) / (({g}) - ({t})) "
            f"WHEN {v} < {s} THEN 100 + ({sc} - 100) * ({v} - ({g})) / (({s}) - ({g})) ELSE {sc} END)")


def run_duckdb(kpi, people, out):
    import duckdb
    plans, tc, sc = framework()
    con = duckdb.connect()
    sums = ", ".join(f'sum("{n}") AS "{m}_n", sum("{d}") AS "{m}_d"' for m, (n, d) in COLUMNS.items())
    con.execute(f"""CREATE TABLE monthly AS
        SELECT employee, strftime(date, '%Y-%m') AS month, {sums}
        FROM read_csv('{kpi}', header = true, columns = {{
            'employee': 'VARCHAR', 'date': 'DATE', 'contacts': 'DOUBLE', 'handle_seconds': 'DOUBLE',
            'resolved_first_contact': 'DOUBLE', 'surveys': 'DOUBLE', 'surveys_top_box': 'DOUBLE',
            'qa_points': 'DOUBLE', 'qa_possible': 'DOUBLE', 'scheduled_minutes': 'DOUBLE',
            'adherent_minutes': 'DOUBLE', 'scheduled_hours': 'DOUBLE', 'worked_hours': 'DOUBLE'}})
        GROUP BY ALL""")
    con.execute(f"CREATE TABLE roles AS SELECT code, role FROM read_csv('{people}', header = true, all_varchar = true)")
    selects = []
    for role, lines in plans.items():
        if not lines:
            continue
        parts_num, parts_w = [], []
        for line in lines:
            m = line["metric"]
            if m not in COLUMNS:
                continue  # never in the file: re-weighted away, as Ladder does
            v = f'(CASE WHEN "{m}_d" <> 0 THEN "{m}_n" / "{m}_d" * {line["scale"]} END)'
            a = attainment_sql(v, line, tc, sc)
            parts_num.append(f"coalesce({line['weight']} * {a}, 0)")
            parts_w.append(f"(CASE WHEN {v} IS NULL THEN 0 ELSE {line['weight']} END)")
        if not parts_num:
            continue
        selects.append(f"""SELECT m.employee, m.month,
            ({' + '.join(parts_num)}) / nullif({' + '.join(parts_w)}, 0) AS total
            FROM monthly m JOIN roles r ON r.code = m.employee WHERE r.role = '{role}'""")
    con.execute(f"COPY ({' UNION ALL '.join(selects)} ORDER BY 1, 2) TO '{out}' (HEADER, DELIMITER ',')")


def run_pandas(kpi, people, out):
    import numpy as np
    import pandas as pd
    plans, tc, sc = framework()
    df = pd.read_csv(kpi, dtype={"employee": "string", "date": "string"})
    df["month"] = df["date"].str.slice(0, 7)
    cols = sorted({c for pair in COLUMNS.values() for c in pair})
    monthly = df.groupby(["employee", "month"], sort=True)[cols].sum(min_count=0).reset_index()
    roles = pd.read_csv(people, dtype=str)[["code", "role"]].rename(columns={"code": "employee"})
    monthly = monthly.merge(roles, on="employee", how="left")
    total = pd.Series(np.nan, index=monthly.index)
    for role, lines in plans.items():
        mask = (monthly["role"] == role).to_numpy()
        if not lines or not mask.any():
            continue
        part = monthly[mask]
        num = np.zeros(len(part))
        wsum = np.zeros(len(part))
        for line in lines:
            if line["metric"] not in COLUMNS:
                continue
            n, d = COLUMNS[line["metric"]]
            den = part[d].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(den != 0, part[n].to_numpy(dtype=float) / den * line["scale"], np.nan)
            a = attain(v, line, tc, sc)
            has = ~np.isnan(v)
            num += np.where(has, line["weight"] * a, 0.0)
            wsum += np.where(has, line["weight"], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            total[mask] = np.where(wsum > 0, num / wsum, np.nan)
    monthly["total"] = total
    monthly[["employee", "month", "total"]].to_csv(out, index=False)


def attain(v, line, tc, sc):
    import numpy as np
    t, g, s = line["threshold"], line["target"], line["stretch"]
    if line["direction"] == "band":
        tol = g - t
        dist = np.where(v < g, g - v, np.where(v > s, v - s, 0.0))
        return np.where(dist == 0, 100.0, np.where(dist > tol, 0.0, tc + (100 - tc) * (1 - dist / tol)))
    if line["direction"] == "lower":
        v, t, g, s = -v, -t, -g, -s
    return np.select(
        [v < t, v < g, v < s],
        [0.0, tc + (100 - tc) * (v - t) / (g - t), 100 + (sc - 100) * (v - g) / (s - g)],
        sc,
    )


if __name__ == "__main__":
    engine, kpi, people, out = sys.argv[1:5]
    {"duckdb": run_duckdb, "pandas": run_pandas}[engine](kpi, people, out)
