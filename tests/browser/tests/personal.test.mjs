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
import { ctx, ROOT, PHONE, LAPTOP, shot, testName, expectAccessible, expectNoSidewaysScroll, withBrowser, monthBefore, thisMonth } from '../lib/harness.mjs';
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

/** A fresh context on the personal server at `viewport`, signed in through the page. */
async function signedInAs(who, pass, viewport = PHONE) {
  const context = await getBrowser().newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  const p = await context.newPage();
  await p.goto('/signin');
  await p.getByLabel('Email').fill(who);
  await p.getByLabel('Password').fill(pass);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(new URL(p.url()).pathname, '/home', `signed in as ${who}`);
  return p;
}

/** Opens `path` on `p` and checks it (phone pages with the target-size rule). */
async function checkOn(p, path, what, phone = true) {
  const response = await p.goto(path);
  assert.equal(response.status(), 200, `GET ${path}`);
  await expectNoSidewaysScroll(p, what);
  await expectAccessible(p, what, { targetSize: phone });
}

test('the person invites a supervisor by link, who sees a shared entry and not a private one', async () => {
  assert.ok(server, 'the personal Ladder is served (first test)');
  const ana = await signedInAs(email, password);
  const shared = 'Shared with my supervisor: coached two new hires';
  const secret = 'Private: applying elsewhere';
  for (const [title, share] of [[shared, true], [secret, false]]) {
    await ana.goto('/log');
    await ana.getByLabel('Title').fill(title);
    const box = ana.getByRole('checkbox', { name: 'Share with my leader' });
    if (share) await box.check();
    else await box.uncheck();
    await Promise.all([ana.waitForNavigation(), ana.getByRole('button', { name: 'Add entry' }).click()]);
  }

  await checkOn(ana, '/account', 'the account page of a personal Ladder');
  await Promise.all([ana.waitForNavigation(), ana.getByRole('link', { name: 'Supervisor' }).click()]);
  await expectAccessible(ana, '/account/supervisor', { targetSize: true });
  await Promise.all([ana.waitForNavigation(), ana.getByRole('button', { name: 'Make an invite link' }).click()]);
  const link = (await ana.locator('#supervisor-link').innerText()).trim();
  assert.match(link, /\/supervise\/[A-Za-z0-9_-]+$/, link);
  await expectNoSidewaysScroll(ana, 'the supervisor page with a new link');
  await expectAccessible(ana, 'the supervisor page with a new link', { targetSize: true });
  await shot(ana, T, 'supervisor-link');

  // The supervisor opens the link on their own phone and makes an account.
  const context = await getBrowser().newContext({ baseURL: server.baseUrl, viewport: PHONE, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  const guest = await context.newPage();
  const linkPath = new URL(link).pathname;
  await checkOn(guest, linkPath, 'the supervisor invitation');
  assert.match(await guest.locator('h1').innerText(), /Supervise Ana Reyes/);
  await guest.getByLabel('Your name').fill('Ben Cruz');
  await guest.getByLabel(/Your e-mail/).fill('ben.cruz@example.com');
  await guest.getByLabel(/New password/).fill('ben chooses a passphrase');
  await Promise.all([guest.waitForNavigation(), guest.getByRole('button', { name: 'Create my account' }).click()]);
  assert.match(await guest.locator('main').innerText(), /Account ready/);
  assert.equal((await guest.goto(linkPath)).status(), 404, 'the link works once');
  await context.close();

  const ben = await signedInAs('ben.cruz@example.com', 'ben chooses a passphrase', LAPTOP);
  await expectAccessible(ben, "the supervisor's home");
  await Promise.all([ben.waitForNavigation(), ben.getByRole('link', { name: /people you supervise/ }).click()]);
  assert.equal(new URL(ben.url()).pathname, '/team');
  await expectAccessible(ben, "the supervisor's team");
  const { employee_id: id } = await (await ana.request.get(`${server.baseUrl}/api/v1/me`)).json();
  await checkOn(ben, `/people/${id}`, 'the person, as the supervisor sees them', false);
  const seen = await ben.locator('main').innerText();
  assert.ok(seen.includes(shared), 'the supervisor sees the shared entry');
  assert.ok(!seen.includes(secret), 'and not the private one');
  await shot(ben, T, 'supervisor-sees');

  // Removing the supervisor signs them out and gives self-review back.
  await checkOn(ana, '/account/supervisor', 'the supervisor page with a supervisor');
  await Promise.all([ana.waitForNavigation(), ana.getByRole('button', { name: 'Remove Ben Cruz' }).click()]);
  assert.match(await ana.getByRole('status').first().innerText(), /removed/);
  assert.match(await ana.locator('main').innerText(), /You review your own check-ins/);
  const gone = await ben.goto(`/people/${id}`);
  assert.equal(new URL(ben.url()).pathname, '/signin', `a removed supervisor is signed out (${gone.status()})`);
  await ana.context().close();
  await ben.context().close();
});
