// Shared helpers for the browser tests: the running server, sign-ins, screenshots, axe-core.
// run.mjs starts the server on demo data and passes its address and the demo sign-ins through
// the file named by LADDER_TEST_CONTEXT.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..', '..');

if (!process.env.LADDER_TEST_CONTEXT) {
  throw new Error('run the browser tests through tests/browser/run.mjs (npm --prefix tests/browser test): it starts the server');
}
/** { baseUrl, artifacts, chromium, signIns: { agent, leader, manager, hr, admin }: {email, password, employeeId} } */
export const ctx = JSON.parse(readFileSync(process.env.LADDER_TEST_CONTEXT, 'utf8'));

/** Agent pages are checked on a small phone; leader, manager and HR pages on a laptop. */
export const PHONE = { width: 360, height: 740 };
export const LAPTOP = { width: 1280, height: 900 };

/** The roles every test can sign in as (keys of ctx.signIns). */
export const ROLES = ['agent', 'leader', 'manager', 'hr', 'admin'];


/**
 * The browser: run.mjs starts one Chromium for the whole run and every test file connects to it
 * (closing a connected browser only disconnects); run alone, a file launches its own.
 */
export async function launch() {
  if (ctx.wsEndpoint) return chromium.connect(ctx.wsEndpoint);
  return chromium.launch({ executablePath: ctx.chromium, args: CHROMIUM_ARGS });
}

/**
 * The browser of a test file: connected before its first test, `setUp(browser)` then run (to
 * sign in the pages the file needs), closed after its last. Returns a getter for the browser.
 */
export function withBrowser(setUp = async () => {}) {
  let browser;
  before(async () => {
    browser = await launch();
    await setUp(browser);
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}

/** A fresh browser context (own cookies) with a page, at `viewport`. */
export async function open(browser, viewport = LAPTOP) {
  const context = await browser.newContext({ baseURL: ctx.baseUrl, viewport, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // A style or image the Content-Security-Policy blocks shows as a console error.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.jsErrors = errors;
  return page;
}

/**
 * A fresh context signed in as `role`. It carries the session run.mjs opened for that role
 * through the API (signing in through the page is what signin.test.mjs tests, for every role);
 * `{ viaPage: true }` signs in through the sign-in page instead.
 */
export async function signedIn(browser, role, viewport, { viaPage = false } = {}) {
  const page = await open(browser, viewport ?? (role === 'agent' ? PHONE : LAPTOP));
  const cookies = ctx.signIns[role]?.cookies;
  if (viaPage || !cookies?.length) {
    await signIn(page, role);
  } else {
    await page.context().addCookies(cookies.map(({ name, value }) => ({ name, value, url: ctx.baseUrl })));
  }
  return page;
}

export async function signIn(page, role) {
  const who = ctx.signIns[role];
  assert.ok(who, `no demo sign-in for ${role}; the demo printed: ${JSON.stringify(Object.keys(ctx.signIns))}`);
  await visit(page, '/signin');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  const url = new URL(page.url());
  const alert = await page.getByRole('alert').allTextContents().catch(() => []);
  assert.equal(url.pathname, '/home', `signing in as ${role} (${who.email}) should land on /home, got ${page.url()} ${alert.join(' ')}`);
}

/**
 * Opens `path` and checks the status (200 unless told): a page that is not built yet fails here
 * with a message that says so, rather than with a missing selector later.
 */
export async function visit(page, path, { status = 200 } = {}) {
  const response = await page.goto(path);
  assert.ok(response, `no response for ${path}`);
  if (response.status() !== status) {
    const heading = await page.locator('h1').first().textContent({ timeout: 1000 }).catch(() => '');
    const hint = response.status() === 404 && status === 200 ? ' (is the page built yet? no route answers it)' : '';
    assert.fail(`GET ${path} → ${response.status()} ${heading ? `"${heading.trim()}"` : ''}, expected ${status}${hint}`);
  }
  return response;
}

/** Full-page screenshot to artifacts/browser/<test>-<name>.png. */
export async function shot(page, test, name) {
  mkdirSync(ctx.artifacts, { recursive: true });
  const path = join(ctx.artifacts, `${test}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE = join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');
const AXE_SOURCE = readFileSync(AXE, 'utf8');

/**
 * Runs axe-core on the page; fails on any serious or critical violation, listing them.
 * `targetSize`: also check WCAG 2.2 target size (for phone pages).
 */
export async function expectAccessible(page, what, { targetSize = false } = {}) {
  // Evaluated rather than added as a <script>: the pages' policy allows no scripts.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (targetSize) => {
    // target-size (WCAG 2.2 2.5.8, 24 × 24 px or spaced apart) is off in axe by default; phone
    // pages turn it on.
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: targetSize } } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  }, targetSize);
  const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.filter((v) => !bad.includes(v));
  if (minor.length) {
    console.log(`axe (${what}): ${minor.length} minor/moderate: ${minor.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
  }
  if (bad.length) {
    const lines = bad.flatMap((v) => [
      `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `      at ${n.target}: ${n.html}\n        ${(n.summary || '').replace(/\n/g, '\n        ')}`),
      ...(v.nodes.length > 5 ? [`      … and ${v.nodes.length - 5} more`] : []),
    ]);
    assert.fail(`axe-core found ${bad.length} serious/critical violation(s) on ${what}:\n${lines.join('\n')}`);
  }
  return results;
}

/** The page fits its viewport: nothing scrolls sideways (the 360 px check). */
export async function expectNoSidewaysScroll(page, what) {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => {
    const vw = window.innerWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Content inside a deliberate horizontal scroller (e.g. a wide table in .scroll) is fine.
      if (el.closest('.scroll, [data-scroll-x]') && !el.matches('.scroll, [data-scroll-x]')) continue;
      if (r.right > vw + 1 || r.left < -1) {
        if (getComputedStyle(el).position === 'absolute' && r.right < 0) continue; // off-screen skip link
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (${Math.round(r.left)}–${Math.round(r.right)} px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide: wide.slice(0, 8) };
  });
  assert.ok(
    scrollWidth <= innerWidth + 1 && wide.length === 0,
    `${what} is wider than the ${innerWidth} px screen (document ${scrollWidth} px); too wide: ${wide.join(', ') || '(none found)'}`,
  );
}

/** GET a JSON API path with the page's cookies. */
export async function apiGet(page, path) {
  const r = await page.request.get(path);
  const text = await r.text();
  assert.equal(r.status(), 200, `GET ${path} → ${r.status()}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The signed-in user (GET /api/v1/me). */
export async function me(page) {
  return apiGet(page, '/api/v1/me');
}

/** YYYY-MM of today (UTC), and of the month before. */
export function thisMonth(d = new Date()) {
  return d.toISOString().slice(0, 7);
}
export function monthBefore(m) {
  const [y, mo] = m.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo - 2, 1));
  return d.toISOString().slice(0, 7);
}
export function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

/** The text of the main landmark, whitespace collapsed. */
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** Screenshot test name from the test file, e.g. tests/log.test.mjs → "log". */
export function testName(url) {
  return fileURLToPath(url).split('/').pop().replace(/\.test\.mjs$/, '');
}

/**
 * Opens the header's menu when the navigation is folded into one (small screens); on a wide
 * screen the navigation is already shown and this does nothing.
 */
export async function openMenu(page) {
  const menu = page.locator('header details.menu');
  if ((await menu.count()) === 0) return;
  const summary = menu.locator('summary');
  if ((await summary.isVisible()) && !(await menu.evaluate((d) => d.open))) await summary.click();
}
