// An agent sends this month's check-in; their team leader finds it on /team and acknowledges it
// with a comment and a coaching note on one KRA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, thisMonth, isoDate, testName, expectNoSidewaysScroll, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
const month = thisMonth();
const stamp = Date.now().toString(36);
const highlights = `Closed the month with no repeat escalations ${stamp}`;
const comment = `Good month: keep the call-back habit ${stamp}`;
const note = `Practise the hold script to bring handle time down ${stamp}`;
let agent, leader, checkinId;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent');
  leader = await signedIn(b, 'leader');
});

test(`an agent sends ${month}'s check-in to their leader`, async () => {
  await visit(agent, '/checkin');
  await agent.getByLabel('Highlights').fill(highlights);
  // Pick an entry of the log, if any are offered.
  const picks = agent.locator('main form').getByRole('checkbox');
  const picked = (await picks.count()) > 0;
  if (picked) await picks.first().check();
  await agent.getByLabel('Blockers').fill('The knowledge base search misses the new plan names.');
  await agent.getByLabel('Asks').fill('A side-by-side with a quality analyst.');
  await expectNoSidewaysScroll(agent, '/checkin');
  await shot(agent, T, 'agent-form');
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Send to my leader' }).click()]);
  const status = await agent.getByRole('status').or(agent.getByRole('alert')).allInnerTexts();
  await shot(agent, T, 'agent-sent');

  const list = (await apiGet(agent, `/api/v1/employees/${agentId()}/checkins?limit=500`)).items;
  const sent = list.find((c) => c.month.startsWith(month) && c.highlights === highlights);
  assert.ok(sent, `the check-in for ${month} is stored (page said: ${status.join(' | ') || 'nothing'})`);
  assert.equal(sent.acknowledged_at, null, 'not acknowledged yet');
  if (picked) assert.equal(sent.accomplishment_ids.length, 1, 'the picked log entry is attached');
  checkinId = sent.id;
});

test('the leader sees it pending on /team and acknowledges it with a coaching note', async () => {
  assert.ok(checkinId, 'the agent\'s check-in was sent (previous test)');
  await visit(leader, `/team?month=${month}`);
  const link = leader.locator(`a[href="/team/checkins/${checkinId}"]`);
  assert.equal(await link.count(), 1, `/team lists the pending check-in with a link to /team/checkins/${checkinId}`);
  await shot(leader, T, 'team-pending');
  await Promise.all([leader.waitForNavigation(), link.click()]);
  assert.equal(new URL(leader.url()).pathname, `/team/checkins/${checkinId}`);
  await leader.getByText(highlights).first().waitFor();

  const followUp = isoDate(new Date(Date.now() + 14 * 86400_000));
  await leader.getByLabel('Comment', { exact: true }).fill(comment);
  const kra = leader.locator('select[name="metric"]');
  const options = await kra.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(options.length > 0, 'the KRA select offers the agent\'s KRAs');
  const metric = options[0];
  await kra.selectOption(metric);
  await leader.getByLabel('Coaching note').fill(note);
  await leader.getByLabel('Follow-up date').fill(followUp);
  await shot(leader, T, 'leader-form');
  await Promise.all([leader.waitForNavigation(), leader.getByRole('button', { name: 'Acknowledge' }).click()]);
  await shot(leader, T, 'leader-acknowledged');

  const list = (await apiGet(leader, `/api/v1/employees/${agentId()}/checkins?limit=500`)).items;
  const done = list.find((c) => c.id === checkinId);
  assert.ok(done?.acknowledged_at, 'the check-in is acknowledged');
  assert.equal(done.leader_comment, comment);
  const notes = (await apiGet(leader, `/api/v1/employees/${agentId()}/coaching-notes?limit=500`)).items;
  const saved = notes.find((n) => n.note === note);
  assert.ok(saved, 'the coaching note is stored');
  assert.equal(saved.metric, metric);
  assert.equal(saved.follow_up, followUp);
  if ('checkin_id' in saved) assert.equal(saved.checkin_id, checkinId, 'the note belongs to the check-in');

  // No longer pending.
  await visit(leader, `/team?month=${month}`);
  assert.equal(await leader.locator(`a[href="/team/checkins/${checkinId}"]`).count(), 0, 'an acknowledged check-in is no longer pending');
});

test('the agent sees the leader\'s comment and coaching note', async () => {
  assert.ok(checkinId, 'the check-in was sent and acknowledged (previous tests)');
  await visit(agent, '/checkin');
  const text = (await agent.locator('main').innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(comment), '/checkin shows the leader\'s comment on this month\'s check-in');
  await shot(agent, T, 'agent-acknowledged');
  const pages = ['/checkin', '/home', `/kras?month=${month}`];
  let found = false;
  for (const p of pages) {
    await visit(agent, p);
    if ((await agent.locator('main').innerText()).includes(note)) {
      found = true;
      break;
    }
  }
  assert.ok(found, `the coaching note is shown to the agent on one of ${pages.join(', ')}`);
});
