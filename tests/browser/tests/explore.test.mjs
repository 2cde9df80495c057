// The public career explorer (issue 30), signed out: the landing page, a role, and the
// self-assessment on a phone (360 px) and a desktop (1280 px) — no sideways scroll, axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, visit, shot, expectAccessible, expectNoSidewaysScroll, testName, PHONE, LAPTOP, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const browser = withBrowser();

for (const [size, viewport] of [['phone', PHONE], ['desktop', LAPTOP]]) {
  test(`a visitor explores the ladder and a role (${size})`, async () => {
    const page = await open(browser(), viewport);
    await visit(page, '/');
    await page.getByRole('heading', { level: 1, name: /careers in bpo/i }).waitFor();
    assert.ok((await page.getByRole('link', { name: 'Sign in' }).count()) > 0, 'a sign-in link, not only a sign-in box');
    assert.ok((await page.locator('main svg[role="img"]').count()) === 1, 'the ladder as a picture');
    await shot(page, T, `landing-${size}`);
    await expectAccessible(page, `/ (${size})`, { targetSize: size === 'phone' });
    await expectNoSidewaysScroll(page, `/ at ${viewport.width} px`);

    await visit(page, '/explore/roles/technical-support-associate');
    await page.getByRole('heading', { name: 'Skills it needs' }).waitFor();
    await page.getByRole('heading', { name: /outside BPO/ }).waitFor();
    await shot(page, T, `role-${size}`);
    await expectAccessible(page, `a role page (${size})`, { targetSize: size === 'phone' });
    await expectNoSidewaysScroll(page, `a role page at ${viewport.width} px`);
    await page.context().close();
  });

  test(`the self-assessment suggests entry roles (${size})`, async () => {
    const page = await open(browser(), viewport);
    await visit(page, '/explore/fit');
    await expectAccessible(page, `/explore/fit (${size})`, { targetSize: size === 'phone' });
    await expectNoSidewaysScroll(page, `/explore/fit at ${viewport.width} px`);
    await page.getByLabel('Typing speed and accuracy').selectOption('5');
    await page.getByLabel('Attention to detail').selectOption('4');
    await page.getByLabel('Which work do you want?').selectOption('non-voice');
    await page.getByLabel('Can you work night shifts?').selectOption('no');
    await page.getByLabel('Do you have a degree?').selectOption('yes');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Suggest entry roles' }).click()]);
    const section = page.locator('#suggestions');
    await section.waitFor();
    const first = (await section.getByRole('heading', { level: 3 }).first().innerText()).trim();
    assert.equal(first, 'Data Entry Operator', 'a fast, careful typist who wants non-voice work is pointed to data entry first');
    assert.ok((await section.getByRole('heading', { name: 'The first 90 days' }).count()) > 0);
    assert.equal(await page.getByLabel('Typing speed and accuracy').inputValue(), '5', 'the answers stay in the form');
    await shot(page, T, `fit-${size}`);
    await expectAccessible(page, `/explore/fit with suggestions (${size})`, { targetSize: size === 'phone' });
    await expectNoSidewaysScroll(page, `/explore/fit with suggestions at ${viewport.width} px`);
    await page.context().close();
  });
}
