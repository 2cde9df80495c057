// Signing in as each role through the sign-in page, landing on /home with that role's navigation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, open, openMenu, signIn, visit, shot, expectAccessible, ROLES, PHONE, LAPTOP, testName, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const browser = withBrowser();

// What each role's main navigation must offer, and must not.
const NAV = {
  agent: { has: ['Home', 'My plan', 'KRAs', 'Log', 'Skills', 'Check-in', 'Account'], not: ['My team', 'Organisation', 'Pipeline', 'Admin'] },
  leader: { has: ['Home', 'My team', 'Account'], not: ['Organisation', 'Pipeline', 'Admin'] },
  manager: { has: ['Home', 'Organisation', 'Pipeline', 'Account'], not: ['My team', 'Admin'] },
  hr: { has: ['Home', 'Organisation', 'Pipeline', 'Account'], not: ['My team', 'Admin'] },
  admin: { has: ['Home', 'Organisation', 'Pipeline', 'Admin', 'Account'], not: ['My team'] },
};

test('a visitor who is not signed in is sent to the sign-in page, and back afterwards', async () => {
  const page = await open(browser(), PHONE);
  await page.goto('/kras');
  const url = new URL(page.url());
  assert.equal(url.pathname, '/signin');
  assert.equal(url.searchParams.get('next'), '/kras');
  await expectAccessible(page, '/signin');
  await shot(page, T, 'signin');
  const who = ctx.signIns.agent;
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/kras', 'after signing in, the page asked for first');
  await page.context().close();
});

test('a wrong password is refused with a message, on the sign-in page', async () => {
  const page = await open(browser(), PHONE);
  await visit(page, '/signin');
  await page.getByLabel('Email').fill('nobody@northstar.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(new URL(page.url()).pathname, '/signin');
  assert.equal(await page.getByLabel('Email').inputValue(), 'nobody@northstar.example', 'the email is kept');
  await expectAccessible(page, '/signin with an error');
  await shot(page, T, 'signin-refused');
  await page.context().close();
});

for (const role of ROLES) {
  test(`signs in as ${role} and sees the ${role}'s navigation`, async () => {
    const page = await open(browser(), role === 'agent' ? PHONE : LAPTOP);
    await signIn(page, role);
    await openMenu(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
    for (const want of NAV[role].has) assert.ok(links.includes(want), `${role} should have "${want}" in the navigation: ${links.join(', ')}`);
    for (const not of NAV[role].not) assert.ok(!links.includes(not), `${role} should not have "${not}" in the navigation: ${links.join(', ')}`);
    assert.equal(await nav.locator('[aria-current="page"]').textContent(), 'Home', 'Home is marked as the current page');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await shot(page, T, `${role}-home`);

    // Signing out ends the session: /home asks to sign in again.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/signin');
    await page.goto('/home');
    assert.equal(new URL(page.url()).pathname, '/signin', 'signed out: /home sends to the sign-in page');
    await page.context().close();
  });
}
