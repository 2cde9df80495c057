// Well-being (issue 29): the demo agent sees a flag from their schedule on /wellbeing at 360 px,
// adds a shift by hand and sees it, then deletes it; the leader opens their team's fatigue board.
// Each page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let agent, leader;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent', PHONE);
  leader = await signedIn(b, 'leader');
});

test('the agent sees a flag from the demo schedule on /wellbeing at 360 px', async () => {
  await visit(agent, '/wellbeing');
  const flags = agent.locator('ul.flags li');
  assert.ok((await flags.count()) > 0, 'the demo agent has at least one flag this week or next');
  const text = await flags.allInnerTexts();
  assert.ok(text.some((t) => t.includes('rest between')), `a short rest among the flags: ${text.join(' | ')}`);
  await shot(agent, T, 'agent');
  await expectAccessible(agent, '/wellbeing as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, '/wellbeing at 360 px');
});

test('the agent adds a shift by hand, sees it, and deletes it', async () => {
  // Sunday of next week, 09:00–17:00: the demo schedules no Sunday shifts.
  const now = new Date();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  const sunday = new Date(monday.getTime() + 13 * 86400000).toISOString().slice(0, 10);
  await visit(agent, '/wellbeing');
  await agent.getByLabel('Start', { exact: true }).fill(`${sunday}T09:00`);
  await agent.getByLabel('End', { exact: true }).fill(`${sunday}T17:00`);
  await agent.getByLabel('Kind', { exact: true }).selectOption('day');
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Add shift' }).click()]);
  const shifts = agent.locator('ul.shifts li');
  const all = await shifts.allInnerTexts();
  const mine = all.findIndex((t) => t.includes('Sun') && t.includes('09:00'));
  assert.ok(mine >= 0, `the added Sunday shift is listed: ${all.join(' | ')}`);
  await shot(agent, T, 'agent-added');
  await expectAccessible(agent, '/wellbeing after adding a shift', { targetSize: true });
  await Promise.all([agent.waitForNavigation(), shifts.nth(mine).getByRole('button').click()]);
  const after = await agent.locator('ul.shifts li').allInnerTexts();
  assert.ok(!after.some((t) => t.includes('Sun') && t.includes('09:00')), 'the shift is gone after Delete');
});

test('the leader opens the team fatigue board', async () => {
  const team = ctx.signIns.leader.ledTeams[0];
  assert.ok(team, 'the demo leader leads a team');
  await visit(leader, `/wellbeing/team/${team}`);
  const text = await leader.locator('main').innerText();
  assert.ok(text.includes(ctx.signIns.agent.name), `the board lists the agent (${ctx.signIns.agent.name})`);
  await shot(leader, T, 'board');
  await expectAccessible(leader, 'the fatigue board');
});

test('the agent sees the month\'s attendance and lists every shift of a range at 360 px', async () => {
  await visit(agent, '/wellbeing');
  const attendance = await agent.locator('#attendance').innerText();
  assert.ok(attendance.startsWith('Attendance since'), `the attendance card: ${attendance}`);
  await Promise.all([agent.waitForNavigation(), agent.getByRole('link', { name: /All your shifts/ }).click()]);
  const rows = agent.locator('table tbody tr');
  assert.ok((await rows.count()) > 0, 'the demo schedule has shifts in the default range (4 weeks back, 2 ahead)');
  const first = await rows.first().innerText();
  assert.ok(/scheduled|worked/.test(first), `a row says its record: ${first}`);
  await shot(agent, T, 'all-shifts');
  await expectAccessible(agent, '/wellbeing/shifts/all as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, '/wellbeing/shifts/all at 360 px');
});
