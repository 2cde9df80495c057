// A leaver's one-time link (issue 30): HR closes the account of someone with no sign-in of their
// own and gets the link; opened on a phone it shows what the download holds and until when
// (opening spends nothing), the button downloads the ZIP once, and after that the link says it no
// longer works. Each page at 360 px, axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let hr, admin, phone;
withBrowser(async (b) => {
  hr = await signedIn(b, 'hr');
  admin = await signedIn(b, 'admin');
  phone = await open(b, PHONE);
});

test('a leaver opens their link on a phone, downloads once, and the link is spent', async () => {
  // Someone no other test signs in as: no user account of their own.
  const users = await apiGet(admin, '/api/v1/users?limit=500');
  const linked = new Set(users.items.map((u) => u.employee_id).filter((id) => id != null));
  const people = await apiGet(hr, '/api/v1/employees?limit=500');
  const leaver = people.items.filter((p) => !linked.has(p.id)).at(-1);
  assert.ok(leaver, 'the demo has someone without an account');

  await visit(hr, `/people/${leaver.id}`);
  await Promise.all([hr.waitForNavigation(), hr.getByRole('button', { name: 'Close as leaver' }).click()]);
  const text = await hr.locator('main').innerText();
  const link = text.match(/https?:\/\/\S+\/leaver\/[0-9a-f]{64}/)?.[0];
  assert.ok(link, `the closing page shows the link: ${text.slice(0, 400)}`);
  const path = new URL(link).pathname;

  for (let i = 0; i < 2; i++) {
    await visit(phone, path);
    const main = await phone.locator('main').innerText();
    assert.match(main, /works once, until/, main);
    assert.match(main, /record\.json/, main);
  }
  await shot(phone, T, 'link-page');
  await expectNoSidewaysScroll(phone, 'a leaver link at 360 px');
  await expectAccessible(phone, 'a leaver link', { targetSize: true });

  const [download] = await Promise.all([
    phone.waitForEvent('download'),
    phone.getByRole('button', { name: 'Download my record' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^ladder-record-.+\.zip$/);

  await visit(phone, path, { status: 410 });
  assert.match(await phone.locator('h1').first().innerText(), /This link no longer works/);
  await shot(phone, T, 'link-spent');
  await expectNoSidewaysScroll(phone, 'a spent leaver link at 360 px');
  await expectAccessible(phone, 'a spent leaver link', { targetSize: true });
});
