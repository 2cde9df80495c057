// Self sign-up (issue 30), turned on for this test: a server of its own over a personal Ladder
// (`ladder me`, so there is an organisation to join) with `--self-signup` and a mail folder. A
// visitor signs up on a phone, opens the link from the e-mail, chooses a password, signs in and
// saves a personal plan on /my-plan (phone and laptop). Every page axe clean.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ctx, ROOT, PHONE, LAPTOP, shot, testName, expectAccessible, expectNoSidewaysScroll, withBrowser } from '../lib/harness.mjs';
import { startServer } from '../lib/server.mjs';

const T = testName(import.meta.url);
const bin = resolve(ROOT, process.env.LADDER_BIN || 'target/debug/ladder');
const tmp = mkdtempSync(join(tmpdir(), 'ladder-signup-'));
const mail = join(tmp, 'mail');
const db = `sqlite://${join(tmp, 'signup.db')}`;
const email = 'joy.santos@example.com';
const password = 'joy picks a long passphrase';
let server;

const getBrowser = withBrowser(async () => {});
after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function newPage(viewport) {
  const context = await getBrowser().newContext({ baseURL: server.baseUrl, viewport, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

async function check(page, path, what, viewport = PHONE) {
  const response = await page.goto(path);
  assert.equal(response.status(), 200, `GET ${path}`);
  await expectNoSidewaysScroll(page, what);
  await expectAccessible(page, what, { targetSize: viewport === PHONE });
}

/** The e-mails written so far, quoted-printable soft breaks joined. */
function messages() {
  let files = [];
  try {
    files = readdirSync(mail).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(mail, f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='));
}

test('a server with self sign-up on', async () => {
  const me = spawnSync(
    bin,
    ['me', '--no-serve', '--database', db, '--name', 'Owner One', '--email', 'owner@example.com', '--password-stdin'],
    { input: 'the owner passphrase here\n', encoding: 'utf8' },
  );
  assert.equal(me.status, 0, `ladder me failed:\n${me.stderr}\n${me.stdout}`);
  server = await startServer(bin, db, join(ctx.artifacts, 'signup-server.log'), ['--self-signup', 'true', '--mail-folder', mail]);
});

test('a visitor signs up, confirms by the mailed link and saves a personal plan', async () => {
  assert.ok(server, 'the server runs (previous test)');
  const page = await newPage(PHONE);
  await check(page, '/signup', 'the sign-up page');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Your name').fill('Joy Santos');
  await shot(page, T, 'signup-form');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send me the link' }).click()]);
  assert.match(await page.locator('main').innerText(), /Check your e-mail/);
  await expectAccessible(page, 'the "check your e-mail" page', { targetSize: true });

  const sent = messages().find((m) => m.includes(email));
  assert.ok(sent, `a confirmation e-mail to ${email} in ${mail}`);
  const link = sent.match(/https?:\/\/\S+\/signup\/[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link, `the e-mail holds the link: ${sent.slice(0, 600)}`);
  const path = new URL(link).pathname;
  await check(page, path, 'the confirmation page');
  assert.match(await page.locator('h1').innerText(), /Joy Santos/);
  await page.getByLabel(/New password/).fill(password);
  await shot(page, T, 'confirm-form');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create my account' }).click()]);
  assert.match(await page.locator('main').innerText(), /Account ready/);
  const again = await page.goto(path);
  assert.equal(again.status(), 404, 'the link works once');

  await check(page, '/signin', 'sign-in after signing up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.ok(await page.getByRole('link', { name: 'My personal plan' }).count(), 'home links the personal plan');

  await check(page, '/my-plan', '/my-plan on a phone');
  await page.getByLabel('Role I hold or want to start in').selectOption('customer-service-executive');
  await page.getByLabel('Role I want').selectOption('team-leader');
  await page.getByLabel('Horizon (years)').selectOption('5');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save plan' }).click()]);
  const path_ = page.locator('section', { has: page.getByRole('heading', { name: 'The path' }) });
  assert.match(await path_.innerText(), /Team Leader/, 'the saved plan shows its path');
  await expectNoSidewaysScroll(page, '/my-plan with a plan');
  await expectAccessible(page, '/my-plan with a plan', { targetSize: true });
  await shot(page, T, 'my-plan-phone');

  // The same plan on a laptop, in the same session.
  const cookies = await page.context().cookies();
  const wide = await newPage(LAPTOP);
  await wide.context().addCookies(cookies);
  await check(wide, '/my-plan', '/my-plan on a laptop', LAPTOP);
  assert.equal(await wide.getByLabel('Role I want').inputValue(), 'team-leader', 'the plan was kept');
  await shot(wide, T, 'my-plan-laptop');
  await wide.context().close();
  await page.context().close();
});
