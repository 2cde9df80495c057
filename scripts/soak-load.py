#!/usr/bin/env python3
"""The soak's load (scripts/soak runs it): mixed traffic at CONNECTIONS connections against a
served demo organisation for MINUTES minutes, then a report. Reads (the agent's home, the team
page, API scorecards over a token), hand entry of actuals, small KPI imports, sign-ins and an
anonymous flood of the sign-in page (its 429s are the per-address limit working).

Exits 1 on any 5xx, on a request that fails outright, or when the server's RSS grew more than
10 % between the end of the warm-up and the end. Needs aiohttp (scripts/soak installs it)."""
import argparse
import asyncio
import collections
import json
import random
import sys
import time

import aiohttp

KINDS = {  # kind: weight
    "page-home": 16,
    "page-team": 8,
    "api-employee-scorecard": 22,
    "api-team-scorecard": 8,
    "put-actuals": 10,
    "import-kpi": 2,
    "sign-in": 4,
    "anon-signin-page": 30,
}


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def why(body):
    """What a refused request's answer says: the error, or an import report's first problem."""
    try:
        doc = json.loads(body)
        return json.dumps(doc["problems"][0] if doc.get("problems") else doc.get("error", doc))[:200]
    except (ValueError, AttributeError, KeyError, IndexError):
        return body[:200].decode(errors="replace")


class Soak:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        self.counts = collections.Counter()
        self.errors = []  # 5xx and failed requests: (kind, status, excerpt)
        self.samples = {}  # the first answer of each refused (kind, status), to show why
        self.recording = False

    async def sign_in(self, http, email):
        async with http.post(f"{self.base}/api/v1/session", json={"email": email, "password": self.args.password}) as r:
            body = await r.json()
            assert r.status == 200, f"signing in as {email}: {r.status} {body}"
            cookie = "; ".join(f"{k}={m.value}" for k, m in r.cookies.items())
            return {"cookie": cookie, "csrf": body["csrf_token"], "user": body["user"]}

    async def setup(self, http):
        self.agent = await self.sign_in(http, self.args.agent)
        self.leader = await self.sign_in(http, self.args.leader)
        headers = {"cookie": self.leader["cookie"], "x-csrf-token": self.leader["csrf"]}
        async with http.post(f"{self.base}/api/v1/me/tokens", json={"name": "soak"}, headers=headers) as r:
            self.token = (await r.json())["token"]
        self.team = self.leader["user"]["led_teams"][0]
        async with http.get(f"{self.base}/api/v1/teams/{self.team}/scorecard", headers=self.bearer()) as r:
            card = await r.json()
            assert r.status == 200, card
        self.month = card["month"]
        async with http.get(f"{self.base}/api/v1/employees?team={self.team}&limit=500", headers=self.bearer()) as r:
            people = await r.json()
            assert r.status == 200, people
        self.members = [(p["id"], p["code"]) for p in people["items"]]
        assert self.members, "the leader's team has no members"
        # Hand entry in the month after the scorecards' (the current one): the demo's months
        # were imported, and imported figures cannot be typed over.
        y, m = map(int, self.month.split("-"))
        self.entry_month = f"{y + m // 12}-{m % 12 + 1:02d}"
        print(f"team {self.team}: {len(self.members)} members, month {self.month}", flush=True)

    def bearer(self):
        return {"authorization": f"Bearer {self.token}"}

    def kpi_csv(self):
        """A small daily file for two of the team's members (the leader may import it)."""
        lines = ["employee,date,metric,numerator,denominator"]
        for _, code in random.sample(self.members, min(2, len(self.members))):
            for day in random.sample(range(1, 28), 5):
                contacts = random.randint(20, 60)
                lines.append(f"{code},{self.month}-{day:02d},aht,{contacts * random.randint(250, 500)},{contacts}")
                lines.append(f"{code},{self.month}-{day:02d},fcr,{random.randint(0, contacts)},{contacts}")
        return "\n".join(lines) + "\n"

    def request(self, kind):
        """(method, path, headers, body) of one request of a kind."""
        emp, _ = random.choice(self.members)
        cookie = lambda who: {"cookie": who["cookie"]}
        write = {"cookie": self.leader["cookie"], "x-csrf-token": self.leader["csrf"]}
        if kind == "page-home":
            return "GET", "/home", cookie(self.agent), None
        if kind == "page-team":
            return "GET", "/team", cookie(self.leader), None
        if kind == "api-employee-scorecard":
            return "GET", f"/api/v1/employees/{emp}/scorecard?month={self.month}", self.bearer(), None
        if kind == "api-team-scorecard":
            return "GET", f"/api/v1/teams/{self.team}/scorecard?month={self.month}", self.bearer(), None
        if kind == "put-actuals":
            n = random.randint(30, 50)
            figures = [{"metric": "csat", "numerator": random.randint(0, n), "denominator": n},
                       {"metric": "qa-score", "numerator": random.randint(60, 100), "denominator": 100}]
            return "PUT", f"/api/v1/employees/{emp}/actuals/{self.entry_month}", {**write, "content-type": "application/json"}, json.dumps(figures)
        if kind == "import-kpi":
            return "POST", "/api/v1/imports/kpi", {**write, "x-file-name": "soak.csv", "content-type": "text/csv"}, self.kpi_csv()
        if kind == "sign-in":
            who = random.choice([self.args.agent, self.args.leader])
            body = json.dumps({"email": who, "password": self.args.password})
            return "POST", "/api/v1/session", {"content-type": "application/json"}, body
        return "GET", "/signin", {}, None

    async def worker(self, http, deadline):
        kinds, weights = list(KINDS), list(KINDS.values())
        while time.monotonic() < deadline:
            kind = random.choices(kinds, weights)[0]
            method, path, headers, body = self.request(kind)
            try:
                async with http.request(method, self.base + path, headers=headers, data=body, allow_redirects=False) as r:
                    text = await r.read()
                    status = r.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                status, text = "failed", repr(e).encode()
            if not self.recording:
                continue
            self.counts[(kind, status)] += 1
            if status != "failed" and status >= 300 and (kind, status) not in self.samples:
                self.samples[(kind, status)] = why(text)
            if status == "failed" or status >= 500:
                self.errors.append((kind, status, text[:300].decode(errors="replace")))

    async def phase(self, http, seconds):
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(self.worker(http, deadline) for _ in range(self.args.connections)))

    async def run(self):
        connector = aiohttp.TCPConnector(limit=self.args.connections, force_close=False)
        timeout = aiohttp.ClientTimeout(total=60)
        # No cookie jar: every request carries only the cookie it is given (the flood none).
        async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
            await self.setup(http)
            print(f"warm-up {self.args.warmup} s", flush=True)
            await self.phase(http, self.args.warmup)
            rss_start = rss_kb(self.args.pid)
            print(f"RSS after warm-up: {rss_start / 1024:.1f} MiB; soaking {self.args.minutes} min", flush=True)
            self.recording = True
            started = time.monotonic()
            await self.phase(http, self.args.minutes * 60)
            elapsed = time.monotonic() - started
            rss_end = rss_kb(self.args.pid)
        return self.report(rss_start, rss_end, elapsed)

    def report(self, rss_start, rss_end, elapsed):
        total = sum(self.counts.values())
        print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s) at {self.args.connections} connections")
        by_kind = collections.defaultdict(dict)
        for (kind, status), n in self.counts.items():
            by_kind[kind][status] = n
        for kind in KINDS:
            statuses = ", ".join(f"{s}: {n}" for s, n in sorted(by_kind.get(kind, {}).items(), key=str))
            print(f"  {kind:<24} {statuses}")
        for (kind, status), text in sorted(self.samples.items(), key=str):
            print(f"  e.g. {kind} {status}: {text}")
        growth = (rss_end - rss_start) / rss_start * 100
        print(f"RSS: {rss_start / 1024:.1f} MiB after warm-up, {rss_end / 1024:.1f} MiB at the end ({growth:+.1f} %)")
        ok = True
        if self.errors:
            ok = False
            print(f"FAILED: {len(self.errors)} 5xx or failed requests; the first:")
            for e in self.errors[:10]:
                print(f"  {e}")
        if growth > 10:
            ok = False
            print("FAILED: the server's RSS grew more than 10 %")
        summary = {"requests": total, "seconds": round(elapsed), "rss_start_kb": rss_start, "rss_end_kb": rss_end,
                   "errors": len(self.errors), "counts": {f"{k} {s}": n for (k, s), n in sorted(self.counts.items(), key=str)}}
        if self.args.json:
            with open(self.args.json, "w") as f:
                json.dump(summary, f, indent=1)
        return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--pid", type=int, required=True, help="the server's process, for its RSS")
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--warmup", type=float, default=30)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--agent", required=True)
    p.add_argument("--leader", required=True)
    p.add_argument("--password", default="ladder-demo-2026")
    p.add_argument("--json", help="also write the figures here")
    args = p.parse_args()
    ok = asyncio.run(Soak(args).run())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
