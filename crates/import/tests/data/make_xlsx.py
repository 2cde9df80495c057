#!/usr/bin/env python3
"""Writes five9-agent-report.xlsx: a Five9-shaped agent report (title row, then the header and
one row per agent and day) with durations stored as spreadsheet times, as Excel keeps them.
Run with openpyxl installed: python3 make_xlsx.py"""
import datetime
import os

from openpyxl import Workbook

wb = Workbook()
ws = wb.active
ws.title = "Agent report"
ws.append(["Five9 custom agent report: 2025/03/03 - 2025/03/04"])
ws.append(["AGENT", "AGENT NAME", "DATE", "LOGIN TIME", "NOT READY TIME", "CALLS count", "ON CALL TIME",
           "HANDLE TIME", "Average HANDLE TIME", "TALK TIME", "AFTER CALL WORK TIME"])


def t(h, m, s):
    return datetime.time(h, m, s)


rows = [
    ("cora.cruz@example.com", "Cora Cruz", "2025/03/03", t(8, 5, 0), t(0, 40, 0), 41, t(5, 50, 0), t(6, 21, 30), t(0, 9, 18), t(5, 20, 0), t(1, 1, 30)),
    ("dan.lim@example.com", "Dan Lim", "2025/03/03", t(8, 0, 0), t(0, 35, 0), 39, t(5, 30, 0), t(6, 2, 0), t(0, 9, 17), t(5, 5, 0), t(0, 57, 0)),
    ("cora.cruz@example.com", "Cora Cruz", "2025/03/04", t(8, 10, 0), t(0, 30, 0), 44, t(6, 0, 0), t(6, 36, 40), t(0, 9, 1), t(5, 35, 0), t(1, 1, 40)),
]
for r in rows:
    ws.append(list(r))
for row in ws.iter_rows(min_row=3):
    for cell in row[3:]:
        if isinstance(cell.value, datetime.time):
            cell.number_format = "[h]:mm:ss"
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "five9-agent-report.xlsx")
wb.save(out)
print("wrote", out)
