// Notifications (issue 26): the demo's agent (phone, 360 px) and team leader (laptop, 1280 px)
// find their unread count in the header, open the list, open one (it is marked read) and mark
// the rest read; the list, a past check-in and the review queue fit the screen and pass axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, visit, shot, apiGet, testName, expectAccessible, expectNoSidewaysScroll, PHONE, LAPTOP, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let agent, leader;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent', PHONE);
  leader = await signedIn(b, 'leader', LAPTOP);
});

/** The header's unread count (0 when it shows none). */
async function headerCount(page) {
  const badge = page.locator('header a[href="/notifications"] .unread');
  if ((await badge.count()) === 0) return 0;
  return Number.parseInt((await badge.innerText()).trim(), 10);
}

for (const [who, page, size, targetSize] of [
  ['agent', () => agent, '360 px', true],
  ['leader', () => leader, '1280 px', false],
]) {
  test(`the ${who} (${size}) sees unread notifications in the header and opens one`, async () => {
    const p = page();
    await visit(p, '/home');
    const before = await headerCount(p);
    const listed = await apiGet(p, '/api/v1/me/notifications');
    const unread = listed.items.filter((n) => !n.read);
    assert.ok(unread.length > 0, `the demo gives the ${who} unread notifications: ${JSON.stringify(listed.items)}`);
    assert.equal(before, unread.length, 'the header counts the unread ones');
    await Promise.all([p.waitForNavigation(), p.locator('header a[href="/notifications"]').click()]);
    assert.equal(new URL(p.url()).pathname, '/notifications');
    await p.getByText(unread[0].text).first().waitFor();
    await expectNoSidewaysScroll(p, `/notifications (${who}, ${size})`);
    await expectAccessible(p, `/notifications (${who}, ${size})`, { targetSize });
    await shot(p, T, `${who}-list`);

    // Opening an unread one marks it read and goes to its page.
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: unread[0].text, exact: true }).click()]);
    const opened = new URL(p.url());
    assert.equal(opened.pathname + opened.search, unread[0].link, 'the notification\'s own page, with its query');
    const after = await apiGet(p, '/api/v1/me/notifications');
    assert.equal(after.items.find((n) => n.id === unread[0].id)?.read, true, 'opened means read');
    assert.equal(await headerCount(p), unread.length - 1);
  });
}

test('the agent marks all read and the header shows no count', async () => {
  await visit(agent, '/notifications');
  const all = agent.getByRole('button', { name: 'Mark all read' });
  if ((await all.count()) > 0) await Promise.all([agent.waitForNavigation(), all.click()]);
  assert.equal(await headerCount(agent), 0);
  const listed = await apiGet(agent, '/api/v1/me/notifications');
  assert.ok(listed.items.every((n) => n.read), 'every notification is read');
  await expectAccessible(agent, '/notifications, all read (360 px)', { targetSize: true });
});

test('a past check-in opens with the leader\'s comment, at 360 px', async () => {
  const mine = await apiGet(agent, '/api/v1/me');
  const list = await apiGet(agent, `/api/v1/employees/${mine.employee_id}/checkins`);
  const reviewed = list.items.find((c) => c.acknowledged_at);
  assert.ok(reviewed, 'the demo has a reviewed check-in for the agent');
  await visit(agent, '/checkin');
  await Promise.all([agent.waitForNavigation(), agent.locator(`a[href="/checkin/${reviewed.id}"]`).click()]);
  await agent.getByRole('heading', { name: 'Your leader\'s review' }).waitFor();
  if (reviewed.leader_comment) await agent.getByText(reviewed.leader_comment).first().waitFor();
  await expectNoSidewaysScroll(agent, `/checkin/${reviewed.id}`);
  await expectAccessible(agent, `/checkin/${reviewed.id}`, { targetSize: true });
  await shot(agent, T, 'past-checkin');
});

test('the leader\'s review queue says how many wait and for how long', async () => {
  for (const p of [leader]) {
    const pending = await apiGet(p, '/api/v1/checkins/pending?limit=500');
    assert.ok(pending.total > 0, 'the demo leaves check-ins waiting for the leader');
    await visit(p, '/team');
    const heading = p.getByRole('heading', { name: `Check-ins to review (${pending.total})`, exact: true });
    await heading.waitFor();
    const items = p.locator('#review-queue li');
    assert.equal(await items.count(), pending.total, 'the count is the queue\'s length');
    assert.match(await items.first().innerText(), /waiting (since today|\d+ days?)/);
    await expectAccessible(p, '/team with its review queue');
    await shot(p, T, 'review-queue');
  }
});
