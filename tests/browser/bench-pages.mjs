#!/usr/bin/env node
// The page benchmark behind scripts/bench-pages: server time (curl's time_starttransfer) and bytes
// sent for the agent's home and the team scorecard, on the demo organisation. Prints a Markdown
// section for BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildDemo, startServer, apiSignIn } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.LADDER_BIN || 'target/release/ladder');
const N = Number(process.env.BENCH_REQUESTS || 50);
const employees = process.env.BENCH_EMPLOYEES || '600';
const seed = process.env.BENCH_SEED || '7';

const tmp = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
const db = `sqlite://${join(tmp, 'demo.db')}`;
let server;
try {
  const { args, signIns } = buildDemo(bin, db, ['--employees', employees, '--seed', seed], join(tmp, 'demo-output.txt'));
  server = await startServer(bin, db, join(tmp, 'server.log'));
  const agent = await apiSignIn(server.baseUrl, signIns.agent);
  const leader = await apiSignIn(server.baseUrl, signIns.leader);
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const cases = [
    { name: 'agent home', path: '/home', cookie: agent.cookie },
    { name: 'team scorecard', path: `/team?month=${lastMonth}`, cookie: leader.cookie },
  ];

  const curl = (path, cookie, extra = []) => {
    const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_starttransfer} %{size_download}', '-H', `Cookie: ${cookie}`, ...extra, server.baseUrl + path], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`curl ${path}: ${r.stderr}`);
    const [code, ttfb, size] = r.stdout.trim().split(' ');
    if (code !== '200') throw new Error(`GET ${path} → ${code}`);
    return { ttfb: Number(ttfb) * 1000, size: Number(size) };
  };
  const body = (path, cookie) =>
    spawnSync('curl', ['-s', '-H', `Cookie: ${cookie}`, server.baseUrl + path], { maxBuffer: 64 << 20 }).stdout;
  const encoding = (path, cookie) => {
    const h = spawnSync('curl', ['-s', '-D', '-', '-o', '/dev/null', '-H', 'Accept-Encoding: gzip', '-H', `Cookie: ${cookie}`, server.baseUrl + path], { encoding: 'utf8' }).stdout;
    return h.match(/^content-encoding:\s*(\S+)/im)?.[1] || null;
  };
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };

  const rows = [];
  for (const c of cases) {
    for (let i = 0; i < 5; i++) curl(c.path, c.cookie); // warm-up
    const times = [];
    for (let i = 0; i < N; i++) times.push(curl(c.path, c.cookie).ttfb);
    const plain = curl(c.path, c.cookie).size;
    const wire = curl(c.path, c.cookie, ['-H', 'Accept-Encoding: gzip']).size;
    const enc = encoding(c.path, c.cookie);
    const gz = gzipSync(body(c.path, c.cookie), { level: 6 }).length;
    rows.push({ ...c, median: pct(times, 50), p95: pct(times, 95), plain, wire, enc, gz });
  }

  const date = new Date().toISOString().slice(0, 10);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  console.log(`| date | page | median | p95 | bytes (no gzip) | bytes asking for gzip | gzip -6 of the page | notes |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    const wire = r.enc ? `${kb(r.wire)} (${r.enc})` : `${kb(r.wire)} (not compressed)`;
    console.log(`| ${date} | ${r.name} \`${r.path}\` | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${kb(r.plain)} | ${wire} | ${kb(r.gz)} | ${N} requests, ${cpus().length} cores, ${git} |`);
  }
  console.error(`(ladder ${args.join(' ')}; ladder serve on SQLite; ${bin})`);
} finally {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
