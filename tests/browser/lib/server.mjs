// Building the demo organisation and serving it: shared by run.mjs (the browser tests) and
// scripts/bench-pages.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export class SetupError extends Error {}

/** Chromium's flags. --no-sandbox: CI containers run as root, where its sandbox cannot start. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'];

/**
 * `ladder demo --no-serve` into `db`; returns the sign-ins by role (agent, leader, manager, head,
 * hr, admin): { email, password }. `outFile` keeps the demo's output.
 */
export function buildDemo(bin, db, extra, outFile) {
  const help = spawnSync(bin, ['demo', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) throw new SetupError(`\`ladder demo\` is not available in ${bin}:\n${help.stderr || help.stdout}`);
  const json = /--json\b/.test(help.stdout);
  const args = ['demo', '--no-serve', '--database', db, ...extra, ...(json ? ['--json'] : [])];
  const demo = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (outFile) writeFileSync(outFile, `$ ladder ${args.join(' ')}\n${demo.stdout}\n--- stderr\n${demo.stderr}`);
  if (demo.status !== 0) throw new SetupError(`ladder ${args.join(' ')} failed (exit ${demo.status}):\n${demo.stderr}\n${demo.stdout}`);
  const signIns = parseSignIns(demo.stdout, json);
  for (const role of ['agent', 'leader', 'manager', 'hr', 'admin']) {
    if (!signIns[role]?.email) throw new SetupError(`ladder demo printed no sign-in for "${role}"${outFile ? ` (see ${outFile})` : ''}`);
    if (!signIns[role].password) throw new SetupError(`ladder demo printed no password for "${role}"${outFile ? ` (see ${outFile})` : ''}`);
  }
  return { args, signIns };
}

/**
 * Sign-ins from the demo's output: its JSON summary when it offers one, else its text, one line
 * per persona with the email (and the password on that line, or once for all).
 */
export function parseSignIns(stdout, json) {
  const key = (persona = '', email = '') => {
    const p = `${persona} ${email.split('@')[0]}`.toLowerCase();
    if (/site head|\bhead\b/.test(p)) return 'head';
    if (/leader/.test(p)) return 'leader';
    if (/manager/.test(p)) return 'manager';
    if (/\bhr\b/.test(p)) return 'hr';
    if (/admin/.test(p)) return 'admin';
    if (/\bqa\b|trainer/.test(p)) return 'trainer';
    if (/agent/.test(p)) return 'agent';
    return null;
  };
  const out = {};
  if (json) {
    const doc = JSON.parse(stdout.slice(stdout.indexOf('{')));
    const list = doc.sign_ins || doc.signIns || doc.summary?.sign_ins || [];
    const shared = doc.password || doc.demo_password || doc.summary?.password || process.env.LADDER_DEMO_PASSWORD;
    for (const s of list) {
      const k = key(s.persona, s.email);
      if (k && !out[k]) out[k] = { email: s.email, password: s.password || shared };
    }
    return out;
  }
  const lines = stdout.split('\n');
  // "Sign in with password SECRET:" or "password: SECRET" (trailing punctuation is not part of it).
  const pw = (line) => line.match(/password\W{0,3}\s*[:=]?\s*[`"']?([^\s`"',;]{6,})/i)?.[1]?.replace(/[:.]+$/, '');
  const shared = process.env.LADDER_DEMO_PASSWORD || lines.map(pw).find(Boolean);
  for (const line of lines) {
    // "  PERSONA   EMAIL  Name (description)": the persona is what comes before the email.
    const m = line.match(/^\s*(.*?)\s*([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/);
    if (!m) continue;
    const [, persona, email] = m;
    const k = key(persona, email);
    if (k && !out[k]) out[k] = { email, password: pw(line) || shared };
  }
  return out;
}

export async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `ladder serve` on `db` (with `extra` flags) and waits for /healthz. Returns
 * { baseUrl, stop() }; the server's output goes to `logFile`.
 */
export async function startServer(bin, db, logFile, extra = []) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(logFile);
  const child = spawn(bin, ['serve', '--database', db, '--bind', `127.0.0.1:${port}`, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const done = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  const stop = async () => {
    if (exited) return exited;
    child.kill('SIGINT');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    const r = await done;
    clearTimeout(t);
    return r;
  };
  process.on('exit', () => exited || child.kill('SIGKILL'));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return { baseUrl, stop, pid: child.pid };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
  throw new SetupError(`ladder serve did not answer ${baseUrl}/healthz ${exited ? `(it exited: ${JSON.stringify(exited)})` : 'within 30 s'}\n${tail}`);
}

/** Signs in through the API; returns { cookie, user } (the session cookie header value). */
export async function apiSignIn(baseUrl, { email, password }) {
  const r = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await r.text();
  if (r.status !== 200) throw new SetupError(`signing in as ${email} failed: ${r.status} ${body}`);
  const cookie = (r.headers.getSetCookie?.() || [r.headers.get('set-cookie')]).filter(Boolean).map((c) => c.split(';')[0]).join('; ');
  return { cookie, user: JSON.parse(body).user };
}
