// An agent adds an accomplishment to their log at phone size and shares it with their leader;
// the leader sees shared entries only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, isoDate, testName, expectNoSidewaysScroll, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
let agent, leader;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent');
  leader = await signedIn(b, 'leader');
});

const stamp = Date.now().toString(36);
const privateTitle = `Cut repeat calls on billing queries ${stamp}`;
const sharedTitle = `Mentored two new hires through nesting ${stamp}`;

/** The entry of the log list that carries `title` (a list item, table row or article). */
function entry(page, title) {
  return page.getByRole('listitem').or(page.getByRole('row')).or(page.locator('article')).filter({ hasText: title }).last();
}

async function addEntry(page, { title, share }) {
  await visit(page, '/log');
  const today = isoDate(new Date());
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Date').fill(today);
  await page.getByLabel('Details').fill('Built a call-back checklist with the billing team; repeat calls fell over four weeks.');
  await page.getByLabel('Impact value').fill('12');
  await page.getByLabel('Impact unit').fill('% fewer repeat calls');
  await page.getByLabel('Tags').fill('fcr, billing');
  const box = page.getByRole('checkbox', { name: 'Share with my leader' });
  if (share) await box.check();
  else await box.uncheck();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add entry' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/log', `after "Add entry" the log is shown again, got ${page.url()}`);
}

async function apiEntry(page, title) {
  const list = (await apiGet(page, `/api/v1/employees/${agentId()}/accomplishments?limit=500`)).items;
  return list.find((e) => e.title === title);
}

test('an agent adds a private entry; it is listed with a Share button, and the leader cannot see it', async () => {
  await addEntry(agent, { title: privateTitle, share: false });
  const row = entry(agent, privateTitle);
  await row.waitFor();
  await row.getByRole('button', { name: /^share/i }).waitFor();
  assert.equal(await row.getByText('Shared', { exact: true }).count(), 0, 'a private entry has no "Shared" badge');
  await expectNoSidewaysScroll(agent, '/log after adding an entry');
  await shot(agent, T, 'added-private');

  const saved = await apiEntry(agent, privateTitle);
  assert.ok(saved, 'the entry is stored');
  assert.equal(saved.shared, false);
  assert.equal(saved.impact_value, 12);
  assert.equal(saved.impact_unit, '% fewer repeat calls');
  assert.deepEqual([...saved.tags].sort(), ['billing', 'fcr']);
  assert.equal(await apiEntry(leader, privateTitle), undefined, 'the leader does not see a private entry');
});

test('the agent shares it; it shows "Shared" and the leader now sees it', async () => {
  await visit(agent, '/log');
  const row = entry(agent, privateTitle);
  await Promise.all([agent.waitForNavigation(), row.getByRole('button', { name: /^share/i }).click()]);
  const after = entry(agent, privateTitle);
  await after.getByText('Shared', { exact: true }).waitFor();
  assert.equal(await after.getByRole('button', { name: /^share/i }).count(), 0, 'no Share button once shared');
  await shot(agent, T, 'shared');
  assert.equal((await apiEntry(agent, privateTitle))?.shared, true);
  const seen = await apiEntry(leader, privateTitle);
  assert.ok(seen, 'the leader sees the shared entry');

  // And on the leader's page for the agent.
  await visit(leader, `/people/${agentId()}`);
  await leader.getByText(privateTitle).first().waitFor();
  await shot(leader, T, 'leader-sees-shared');
});

test('an entry added with "Share with my leader" ticked is shared at once', async () => {
  await addEntry(agent, { title: sharedTitle, share: true });
  const row = entry(agent, sharedTitle);
  await row.getByText('Shared', { exact: true }).waitFor();
  assert.equal((await apiEntry(agent, sharedTitle))?.shared, true);
  assert.ok(await apiEntry(leader, sharedTitle), 'the leader sees it');
});

test('a log entry without a title is refused with a message', async () => {
  await visit(agent, '/log');
  const before = (await apiGet(agent, `/api/v1/employees/${agentId()}/accomplishments`)).total;
  // The browser's own check (required) or the server's: either way nothing is stored.
  await agent.getByLabel('Title').fill('');
  await agent.getByLabel('Details').fill('no title');
  await agent.getByRole('button', { name: 'Add entry' }).click();
  await agent.waitForLoadState();
  const invalid = await agent.getByLabel('Title').evaluate((el) => !el.checkValidity()).catch(() => false);
  const alert = await agent.getByRole('alert').count();
  assert.ok(invalid || alert > 0, 'a missing title is pointed out (required field or an alert)');
  assert.equal((await apiGet(agent, `/api/v1/employees/${agentId()}/accomplishments`)).total, before, 'nothing was stored');
});
