// A person's record and calendar (issue 30) on the demo: "My record" offers three downloads that
// each give the file they name (at phone size and on a laptop), and the account page's calendar
// makes a secret feed address that a calendar app reads, until it is revoked (then 404/410).
// Every page axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, PHONE, LAPTOP, signedIn, visit, shot, testName, expectAccessible, expectNoSidewaysScroll, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let phone, laptop;
withBrowser(async (b) => {
  phone = await signedIn(b, 'agent', PHONE);
  laptop = await signedIn(b, 'agent', LAPTOP);
});

/** Clicks the download link named `name` and gives the file's name and bytes. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const stream = await file.createReadStream();
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

test('My record fits a phone and a laptop and its three buttons download the files they name', async () => {
  for (const [page, size] of [[phone, 'phone'], [laptop, 'laptop']]) {
    await visit(page, '/record');
    await expectNoSidewaysScroll(page, `/record on a ${size}`);
    await expectAccessible(page, `/record on a ${size}`, { targetSize: size === 'phone' });
    await shot(page, T, `record-${size}`);
  }
  const json = await download(phone, /Ladder record \(JSON\)/);
  const record = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(record.format, 'ladder-record');
  assert.equal(record.version, 1);
  assert.ok(record.person?.code, 'the record names the person');
  assert.match(json.name, /\.json$/);

  const zip = await download(phone, /ZIP with a spreadsheet file/);
  assert.equal(zip.bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');
  assert.ok(zip.bytes.includes(Buffer.from('record.json')), 'record.json is inside');
  assert.match(zip.name, /\.zip$/);

  const resume = await download(laptop, /Résumé \(JSON Resume\)/);
  const cv = JSON.parse(resume.bytes.toString('utf8'));
  assert.equal(cv.basics?.name, record.person.name, 'the résumé is the same person');
  assert.ok(Array.isArray(cv.work), 'JSON Resume has work');
});

test('a calendar feed address works in a calendar app until it is revoked', async () => {
  await visit(phone, '/account');
  await expectNoSidewaysScroll(phone, '/account');
  await expectAccessible(phone, '/account', { targetSize: true });
  const calendar = phone.locator('section', { has: phone.getByRole('heading', { name: 'Calendar' }) });
  const make = calendar.getByRole('button', { name: /Make (a new feed address|a feed address)/ });
  await Promise.all([phone.waitForNavigation(), make.click()]);
  const url = (await calendar.getByRole('status').locator('code').innerText()).trim();
  assert.match(url, /^https?:\/\/.+\/calendar\/.+\.ics$/, url);
  const webcal = await calendar.getByRole('link', { name: 'subscribe with webcal' }).getAttribute('href');
  assert.equal(webcal, url.replace(/^https?:/, 'webcal:'), 'the webcal link is the same address');
  await expectAccessible(phone, '/account with a new feed address', { targetSize: true });
  await shot(phone, T, 'feed-made');

  // A calendar app: no cookies, just the address (fetched against the test server's host).
  const feedPath = new URL(url).pathname;
  const before = await fetch(`${ctx.baseUrl}${feedPath}`);
  assert.equal(before.status, 200);
  assert.match(before.headers.get('content-type'), /text\/calendar/);
  assert.match(await before.text(), /^BEGIN:VCALENDAR/);

  await Promise.all([phone.waitForNavigation(), calendar.getByRole('button', { name: 'Revoke the feed address' }).click()]);
  assert.match(await phone.getByRole('status').first().innerText(), /revoked/i);
  await expectAccessible(phone, '/account after revoking', { targetSize: true });
  const after = await fetch(`${ctx.baseUrl}${feedPath}`);
  assert.ok([404, 410].includes(after.status), `the revoked address answers ${after.status}`);
  await shot(phone, T, 'feed-revoked');
});
