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
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as playwright from 'playwright-core';
import { buildDemo, startServer, apiSignIn, SetupError, CHROMIUM_ARGS } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.LADDER_BIN || 'target/debug/ladder');
const chromium = process.env.LADDER_CHROMIUM || '/usr/bin/chromium';
const artifacts = resolve(root, process.env.LADDER_ARTIFACTS || 'artifacts/browser');
const started = Date.now();
const log = (m) => console.log(`[browser ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
function die(message) {
  console.error(`browser tests: ${message}`);
  process.exit(2);
}

if (!existsSync(bin)) die(`no ladder binary at ${bin}: build it with \`cargo build -p ladder\` (or set LADDER_BIN)`);
if (!existsSync(chromium)) die(`no Chromium at ${chromium}: run scripts/install-browser (it installs Debian's chromium)`);
if (!existsSync(join(here, 'node_modules', 'playwright-core')) || !existsSync(join(here, 'node_modules', 'axe-core'))) {
  die('node packages missing: run scripts/install-browser (npm ci in tests/browser)');
}

const tmp = mkdtempSync(join(tmpdir(), 'ladder-browser-'));
const db = `sqlite://${join(tmp, 'demo.db')}`;
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

let server;
let browserServer;
let code = 1;
try {
  const { args, signIns } = buildDemo(bin, db, ['--employees', '80', '--seed', '7'], join(artifacts, 'demo-output.txt'));
  log(`ladder ${args.join(' ')}`);
  server = await startServer(bin, db, join(artifacts, 'server.log'));
  log(`ladder serve at ${server.baseUrl}`);
  // Every sign-in is checked once through the API, which also gives employee ids and teams.
  for (const [role, who] of Object.entries(signIns)) {
    const { user, cookie } = await apiSignIn(server.baseUrl, who);
    const cookies = cookie.split('; ').filter(Boolean).map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1) }));
    Object.assign(who, { employeeId: user.employee_id, access: user.access, ledTeams: user.led_teams, name: user.name, cookies });
    if (role === 'agent' && !user.employee_id) throw new SetupError('the demo agent has no employee record');
  }
  // One Chromium for the whole run; each test file connects to it with its own contexts.
  browserServer = await playwright.chromium.launchServer({ executablePath: chromium, args: CHROMIUM_ARGS });
  log(`chromium ${chromium}`);
  const contextFile = join(tmp, 'context.json');
  writeFileSync(contextFile, JSON.stringify({ baseUrl: server.baseUrl, artifacts, chromium, wsEndpoint: browserServer.wsEndpoint(), signIns }, null, 2));

  const filters = process.argv.slice(2);
  const files = readdirSync(join(here, 'tests'))
    .filter((f) => f.endsWith('.test.mjs'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => join(here, 'tests', f));
  if (files.length === 0) throw new SetupError(`no test files match ${filters.join(' ')}`);
  log(`running ${files.length} test file(s); screenshots go to ${artifacts}`);
  code = await new Promise((ok) => {
    // One file at a time: the files share one database, and the machine is small.
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      stdio: 'inherit',
      cwd: here,
      env: { ...process.env, LADDER_TEST_CONTEXT: contextFile },
    });
    child.on('exit', (c, s) => ok(c ?? (s ? 1 : 0)));
  });
} catch (e) {
  if (!(e instanceof SetupError)) throw e;
  console.error(`browser tests: ${e.message}`);
  code = 2;
} finally {
  await browserServer?.close();
  await server?.stop();
  if (process.env.LADDER_KEEP_TMP === '1') log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
log(`${code === 0 ? 'passed' : 'FAILED'}; screenshots, demo output and server.log in ${artifacts}`);
process.exit(code);
