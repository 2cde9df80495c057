// The learning catalogue and mentoring (issue 26): the agent sees the items that close each gap
// and enrols in one with one click; the catalogue and the agent's mentoring pair at 360 px and
// 1280 px; HR adds an entry of the organisation's own. No sideways scroll; each page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, testName, PHONE, LAPTOP, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let phone, laptop, hr;
withBrowser(async (b) => {
  phone = await signedIn(b, 'agent', PHONE);
  laptop = await signedIn(b, 'agent', LAPTOP);
  hr = await signedIn(b, 'hr', LAPTOP);
});

test('the agent enrols in an item that closes a gap, with one click', async () => {
  await visit(phone, '/learning');
  await phone.getByRole('heading', { name: 'What closes your gaps' }).waitFor();
  const enrol = phone.getByRole('button', { name: /^Enrol/ });
  assert.ok((await enrol.count()) > 0, 'the demo agent has a gap with items to enrol in');
  await shot(phone, T, 'agent-360');
  await expectAccessible(phone, '/learning at 360 px', { targetSize: true });
  await expectNoSidewaysScroll(phone, '/learning at 360 px');

  const name = (await enrol.first().innerText()).replace(/^Enrol\s*in\s*/, '').trim();
  await Promise.all([phone.waitForNavigation(), enrol.first().click()]);
  assert.equal(new URL(phone.url()).pathname, '/growth');
  const training = await phone.locator('#train-h').locator('..').innerText();
  assert.ok(training.includes(name.slice(0, 40)), `the training plan lists "${name}"`);
  await expectNoSidewaysScroll(phone, '/growth at 360 px with the gaps');
  await expectAccessible(phone, '/growth with the gaps', { targetSize: true });
});

test('the catalogue and the mentoring pair fit 360 px and 1280 px', async () => {
  for (const [page, size] of [[phone, '360'], [laptop, '1280']]) {
    await visit(page, '/learning');
    await page.locator('main details summary').first().click();
    await expectNoSidewaysScroll(page, `/learning at ${size} px`);
    await visit(page, '/mentoring');
    const pairs = page.locator('main a[href^="/mentoring/"]');
    assert.ok((await pairs.count()) > 0, 'the demo agent has a mentoring pair');
    await shot(page, T, `mentoring-${size}`);
    await expectAccessible(page, `/mentoring at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(page, `/mentoring at ${size} px`);
    await Promise.all([page.waitForNavigation(), pairs.first().click()]);
    assert.match(await page.locator('main').innerText(), /minutes in all/);
    await expectAccessible(page, `a mentoring request at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(page, `a mentoring request at ${size} px`);
  }
});

test('HR adds an entry of the organisation\'s own, which is offered first', async () => {
  await visit(hr, '/learning');
  await hr.getByLabel('Title').fill('Empathy lab (internal)');
  await hr.getByLabel('Provider').fill('Learning & Development');
  await hr.getByLabel('Format').selectOption('programme');
  await hr.getByLabel('Helps with').selectOption('skill:empathy');
  await hr.getByLabel(/^Hours/).fill('6');
  await Promise.all([hr.waitForNavigation(), hr.getByRole('button', { name: 'Add entry' }).click()]);
  assert.match(await hr.locator('#own-h').locator('..').innerText(), /Empathy lab \(internal\)/);
  await shot(hr, T, 'hr-1280');
  await expectAccessible(hr, '/learning as HR');
  await expectNoSidewaysScroll(hr, '/learning as HR at 1280 px');
  const { items } = await apiGet(hr, '/api/v1/learning/items?limit=500');
  const empathy = items.filter((i) => i.skills.includes('empathy'));
  assert.equal(empathy[0].title, 'Empathy lab (internal)', 'the organisation\'s own entry first');
});
