// A personal Ladder (issue 30): `ladder me` sets one up in an empty database of its own, a
// second `ladder serve` serves it, and the person — agent and their own admin — signs in on a
// phone, types last month's figures, sees the month's score, and saves and reviews their own
// check-in. Every page at 360 px, axe clean.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ctx, ROOT, PHONE, shot, testName, expectAccessible, expectNoSidewaysScroll, withBrowser, monthBefore, thisMonth } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';

const T = testName(import.meta.url);
const bin = resolve(ROOT, process.env.LADDER_BIN || 'target/debug/ladder');
const tmp = mkdtempSync(join(tmpdir(), 'ladder-me-'));
const db = `sqlite://${join(tmp, 'me.db')}`;
const email = 'ana.reyes@example.com';
const password = 'a long personal passphrase';
const month = monthBefore(thisMonth());
let server, page;

const getBrowser = withBrowser(async () => {});
after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Opens `path` on the personal server and checks it at phone size. */
async function check(path, what) {
  const response = await page.goto(`${server.baseUrl}${path}`);
  assert.equal(response.status(), 200, `GET ${path}`);
  await expectNoSidewaysScroll(page, what);
  await expectAccessible(page, what, { targetSize: true });
}

test('ladder me sets up a personal Ladder in an empty database', async () => {
  const me = spawnSync(
    bin,
    ['me', '--no-serve', '--database', db, '--name', 'Ana Reyes', '--email', email, '--role', 'Customer Service Executive', '--hire-date', '2025-01-13', '--password-stdin'],
    { input: `${password}\n`, encoding: 'utf8' },
  );
  assert.equal(me.status, 0, `ladder me failed:\n${me.stderr}\n${me.stdout}`);
  assert.match(me.stdout, /Your personal Ladder is ready: Ana Reyes/);
  server = await startServer(bin, db, join(ctx.artifacts, 'personal-server.log'));
});

test('the person signs in on a phone, types a month and gets its score', async () => {
  assert.ok(server, 'the personal Ladder is served (previous test)');
  const context = await getBrowser().newContext({ baseURL: server.baseUrl, viewport: PHONE, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  await check('/signin', 'the sign-in page of a personal Ladder');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/home');
  await shot(page, T, 'home-empty');

  await check(`/kras?month=${month}`, 'KRAs of a personal Ladder');
  await page.locator('#csat-n').fill('45');
  await page.locator('#csat-d').fill('50');
  await page.locator('#fcr-n').fill('75');
  await page.locator('#fcr-d').fill('100');
  await page.locator('#aht-n').fill(String(560 * 200));
  await page.locator('#aht-d').fill('200');
  await shot(page, T, 'kras-form');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save figures' }).click()]);
  const card = await (await page.request.get(`${server.baseUrl}/api/v1/me`)).json();
  const scorecard = await (await page.request.get(`${server.baseUrl}/api/v1/employees/${card.employee_id}/scorecard?month=${month}`)).json();
  assert.equal(scorecard.month_state.state, 'scored', JSON.stringify(scorecard.month_state));
  assert.ok(scorecard.scorecard.total > 0, 'the month has a score');

  await check(`/home`, 'home with the first month');
  const main = await page.locator('main').innerText();
  assert.match(main, /Hello, Ana Reyes/);
  assert.ok(main.includes(scorecard.scorecard.total.toFixed(1)), `home shows the score ${scorecard.scorecard.total.toFixed(1)}: ${main.slice(0, 400)}`);
  await shot(page, T, 'home-scored');
});

test('the person saves a check-in and reviews it themselves', async () => {
  assert.ok(page, 'signed in (previous test)');
  await check('/checkin', 'the check-in of a personal Ladder');
  await page.getByLabel('Highlights').fill('My first month on Ladder: CSAT at 90 %.');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save my check-in' }).click()]);
  const review = page.locator('#self-review');
  assert.equal(await review.count(), 1, 'the check-in page offers a self-review');
  await Promise.all([page.waitForNavigation(), review.click()]);
  await expectNoSidewaysScroll(page, 'the self-review');
  await expectAccessible(page, 'the self-review', { targetSize: true });
  await page.getByLabel('Comment', { exact: true }).fill('On track; keep the call-back habit.');
  await shot(page, T, 'self-review');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Acknowledge' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/checkin', 'back to the check-in after reviewing it');
  assert.match(await page.getByRole('status').first().innerText(), /Acknowledged on/);
  await shot(page, T, 'checkin-reviewed');
  await page.context().close();
});
