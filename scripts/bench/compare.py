#!/usr/bin/env python3
"""Checks that score files (employee,month,...,total[,...]) agree: same employee-months, totals
within 1e-6. usage: compare.py A.csv B.csv [C.csv ...]"""
import csv
import sys


def load(path):
    with open(path, newline="") as f:
        return {(r["employee"], r["month"]): r["total"] for r in csv.DictReader(f)}


base_path, *others = sys.argv[1:]
base = load(base_path)
ok = True
for path in others:
    other = load(path)
    if set(other) != set(base):
        print(f"DIFFER: {path} has {len(other)} employee-months, {base_path} has {len(base)}")
        ok = False
        continue
    worst = 0.0
    for key, value in base.items():
        a, b = value, other[key]
        if (a == "") != (b == ""):
            print(f"DIFFER: {key}: {a!r} vs {b!r} in {path}")
            ok = False
            break
        if a:
            worst = max(worst, abs(float(a) - float(b)))
    print(f"{path}: {len(other)} employee-months, largest difference {worst:.2e}")
    ok = ok and worst < 1e-6
print("AGREE" if ok else "DISAGREE")
sys.exit(0 if ok else 1)
