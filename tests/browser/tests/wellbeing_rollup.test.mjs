// The well-being roll-up (issue 29) at 360 px: HR opens this week's figures by site on the demo,
// drills down site → account → team, and the leader sees only their own teams. Each page passes
// axe and has no sideways scroll (the table scrolls inside its own region).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let hr, leader;
withBrowser(async (b) => {
  hr = await signedIn(b, 'hr', PHONE);
  leader = await signedIn(b, 'leader', PHONE);
});

const today = new Date().toISOString().slice(0, 10);
const lastWeek = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
const rows = (page) => page.locator('#rollup tbody tr');

test('HR drills down from site to account to team at 360 px', async () => {
  await visit(hr, `/wellbeing/rollup?week=${today}`);
  assert.match(await hr.locator('h1').innerText(), /by site/);
  assert.ok((await rows(hr).count()) > 0, 'the demo has sites');
  assert.equal(await hr.locator('svg[role="img"]').count(), 1, 'one bar chart');
  const total = await hr.locator('#rollup tfoot tr').innerText();
  assert.match(total, /Whole organisation/);
  // This week's attendance counts only the shifts already over, so it may not be shown yet.
  assert.match(total, /% worked|no worked-time data/);
  await shot(hr, T, 'sites');
  await expectAccessible(hr, '/wellbeing/rollup by site as HR', { targetSize: true });
  await expectNoSidewaysScroll(hr, '/wellbeing/rollup at 360 px');

  await Promise.all([hr.waitForNavigation(), rows(hr).first().getByRole('link').click()]);
  assert.match(await hr.locator('h1').innerText(), /by account/);
  assert.ok((await rows(hr).count()) > 0, 'the site has accounts');
  await expectAccessible(hr, '/wellbeing/rollup by account', { targetSize: true });

  await Promise.all([hr.waitForNavigation(), rows(hr).first().getByRole('link').click()]);
  assert.match(await hr.locator('h1').innerText(), /by team/);
  assert.ok((await rows(hr).count()) > 0, 'the account has teams');
  await shot(hr, T, 'teams');
  await expectAccessible(hr, '/wellbeing/rollup by team', { targetSize: true });
  await expectNoSidewaysScroll(hr, '/wellbeing/rollup by team at 360 px');
});

test('last week shows attendance from the demo\'s time clock', async () => {
  await visit(hr, `/wellbeing/rollup?week=${lastWeek}`);
  const total = await hr.locator('#rollup tfoot tr').innerText();
  assert.match(total, /\d+ % worked, \d+ % late, \d+ % missed of [\d,]+ shifts/);
  await expectNoSidewaysScroll(hr, '/wellbeing/rollup with attendance at 360 px');
});

test('the leader sees only the teams they lead', async () => {
  await visit(leader, '/wellbeing');
  await Promise.all([leader.waitForNavigation(), leader.getByRole('link', { name: /Well-being by site/ }).click()]);
  await visit(leader, `/wellbeing/rollup?week=${today}`);
  assert.match(await leader.locator('h1').innerText(), /by team/);
  assert.equal(await rows(leader).count(), ctx.signIns.leader.ledTeams.length);
  assert.match(await leader.locator('#rollup tfoot tr').innerText(), /Everyone you may see/);
  await shot(leader, T, 'leader');
  await expectAccessible(leader, '/wellbeing/rollup as a leader', { targetSize: true });
  await expectNoSidewaysScroll(leader, '/wellbeing/rollup as a leader at 360 px');
});
