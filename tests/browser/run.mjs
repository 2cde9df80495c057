#!/usr/bin/env node
// Ladder's browser tests: builds the demo organisation in a temporary SQLite database, starts
// `ladder serve` on it, runs tests/*.test.mjs (node:test) against it in Debian's headless
// Chromium, and stops the server.
//
//   node tests/browser/run.mjs [NAME…]      only the test files whose name contains NAME
//
// Environment: LADDER_BIN (default target/debug/ladder), LADDER_CHROMIUM (default
// /usr/bin/chromium), LADDER_ARTIFACTS (default artifacts/browser), LADDER_KEEP_TMP=1 keeps the
// temporary directory (database, server log).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.LADDER_BIN || 'target/debug/ladder');
const chromium = process.env.LADDER_CHROMIUM || '/usr/bin/chromium';
const artifacts = resolve(root, process.env.LADDER_ARTIFACTS || 'artifacts/browser');
const started = Date.now();

function die(message) {
  console.error(`browser tests: ${message}`);
  process.exit(2);
}
const log = (m) => console.log(`[browser ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

if (!existsSync(bin)) die(`no ladder binary at ${bin}: build it with \`cargo build -p ladder\` (or set LADDER_BIN)`);
if (!existsSync(chromium)) die(`no Chromium at ${chromium}: run scripts/install-browser (it installs Debian's chromium)`);
if (!existsSync(join(here, 'node_modules', 'playwright-core')) || !existsSync(join(here, 'node_modules', 'axe-core'))) {
  die('node packages missing: run scripts/install-browser (npm ci in tests/browser)');
}

const tmp = mkdtempSync(join(tmpdir(), 'ladder-browser-'));
const db = `sqlite://${join(tmp, 'demo.db')}`;
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

// ---- The demo organisation, and its sign-ins ---------------------------------------------------
const help = spawnSync(bin, ['demo', '--help'], { encoding: 'utf8' });
if (help.status !== 0) die(`\`ladder demo\` is not available in ${bin}:\n${help.stderr || help.stdout}`);
const wantsJson = /--json\b/.test(help.stdout);
const demoArgs = ['demo', '--no-serve', '--database', db, '--employees', '80', '--seed', '7', ...(wantsJson ? ['--json'] : [])];
log(`ladder ${demoArgs.join(' ')}`);
const demo = spawnSync(bin, demoArgs, { encoding: 'utf8', maxBuffer: 64 << 20 });
writeFileSync(join(artifacts, 'demo-output.txt'), `${demo.stdout}\n--- stderr\n${demo.stderr}`);
if (demo.status !== 0) die(`ladder demo failed (exit ${demo.status}):\n${demo.stderr}\n${demo.stdout}`);
const signIns = parseSignIns(demo.stdout, wantsJson);
for (const role of ['agent', 'leader', 'manager', 'hr', 'admin']) {
  if (!signIns[role]) die(`ladder demo printed no sign-in for "${role}" (see ${join(artifacts, 'demo-output.txt')})`);
  if (!signIns[role].password) die(`ladder demo printed no password for "${role}" (see ${join(artifacts, 'demo-output.txt')})`);
}

/**
 * Sign-ins from the demo's output: the JSON summary if it offers one, else its text, one line per
 * persona with the email (and the password on that line or once for all).
 */
function parseSignIns(stdout, json) {
  const key = (persona = '', email = '') => {
    const p = `${persona} ${email.split('@')[0]}`.toLowerCase();
    if (/site head|\bhead\b/.test(p)) return 'head';
    if (/leader/.test(p)) return 'leader';
    if (/manager/.test(p)) return 'manager';
    if (/\bhr\b/.test(p)) return 'hr';
    if (/admin/.test(p)) return 'admin';
    if (/agent/.test(p)) return 'agent';
    return null;
  };
  const out = {};
  if (json) {
    const start = stdout.indexOf('{');
    const doc = JSON.parse(stdout.slice(start));
    const list = doc.sign_ins || doc.signIns || doc.summary?.sign_ins || [];
    const shared = doc.password || doc.demo_password || doc.summary?.password;
    for (const s of list) {
      const k = key(s.persona, s.email);
      if (k && !out[k]) out[k] = { email: s.email, password: s.password || shared, employeeId: s.employee_id ?? null, name: s.name };
    }
    return out;
  }
  const lines = stdout.split('\n');
  const pw = (line) => line.match(/password\W{0,3}\s*[:=]?\s*[`"']?([^\s`"',;]{6,})/i)?.[1];
  const shared = lines.map(pw).find(Boolean) || process.env.LADDER_DEMO_PASSWORD;
  for (const line of lines) {
    const email = line.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/)?.[0];
    if (!email) continue;
    const k = key(line.replace(email, ''), email);
    if (k && !out[k]) out[k] = { email, password: pw(line) || shared, employeeId: null };
  }
  return out;
}

// ---- The server -------------------------------------------------------------------------------
const port = await new Promise((ok, fail) => {
  const s = createServer();
  s.unref();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});
const baseUrl = `http://127.0.0.1:${port}`;
const serverLog = createWriteStream(join(artifacts, 'server.log'));
log(`ladder serve --database ${db} --bind 127.0.0.1:${port}`);
const server = spawn(bin, ['serve', '--database', db, '--bind', `127.0.0.1:${port}`], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
});
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);
let serverExit = null;
server.on('exit', (code, signal) => {
  serverExit = { code, signal };
});

function stopServer() {
  if (serverExit || server.exitCode !== null) return;
  server.kill('SIGINT');
  const t = setTimeout(() => server.kill('SIGKILL'), 3000);
  t.unref();
}
process.on('exit', stopServer);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopServer();
    process.exit(130);
  });
}

async function waitHealthy() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (serverExit) break;
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stopServer();
  const tail = existsSync(join(artifacts, 'server.log')) ? readFileSync(join(artifacts, 'server.log'), 'utf8').slice(-2000) : '';
  die(`the server did not answer ${baseUrl}/healthz ${serverExit ? `(it exited: ${JSON.stringify(serverExit)})` : 'within 30 s'}\n${tail}`);
}
await waitHealthy();
log(`server up at ${baseUrl}`);

// Check every sign-in through the API once, and note employee ids, so tests fail early and clearly.
for (const [role, who] of Object.entries(signIns)) {
  const r = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  const body = await r.text();
  if (r.status !== 200) die(`the demo sign-in for ${role} (${who.email}) does not work: ${r.status} ${body}`);
  const info = JSON.parse(body).user;
  who.employeeId = info.employee_id;
  who.access = info.access;
  who.ledTeams = info.led_teams;
  who.name = info.name;
}

const contextFile = join(tmp, 'context.json');
writeFileSync(contextFile, JSON.stringify({ baseUrl, artifacts, chromium, signIns, tmp }, null, 2));

// ---- The tests --------------------------------------------------------------------------------
const filters = process.argv.slice(2);
const files = readdirSync(join(here, 'tests'))
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => join(here, 'tests', f));
if (files.length === 0) die(`no test files match ${filters.join(' ')}`);
log(`running ${files.length} test file(s); screenshots in ${artifacts}`);
const code = await new Promise((ok) => {
  // One file at a time: the files share one database, and the machine is small.
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    cwd: here,
    env: { ...process.env, LADDER_TEST_CONTEXT: contextFile },
  });
  child.on('exit', (c, s) => ok(c ?? (s ? 1 : 0)));
});

stopServer();
await new Promise((r) => (serverExit ? r() : server.on('exit', r)));
if (process.env.LADDER_KEEP_TMP === '1') log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
log(`${code === 0 ? 'passed' : 'FAILED'}; screenshots and server.log in ${artifacts}`);
process.exit(code);
