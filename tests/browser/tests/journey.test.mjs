// Bugs a walk through every role found (issue 26): error pages keep the site's header, navigation
// and sign-out; a refused log entry keeps what was typed; a long endorsement wraps on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, testName, expectAccessible, expectNoSidewaysScroll, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let agent, leader;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent', PHONE);
  leader = await signedIn(b, 'leader', PHONE);
});

test('unknown pages, unreadable ids and refusals are the app\'s page, with navigation and sign-out', async () => {
  for (const [path, status, heading] of [
    ['/no-such-page', 404, 'Not found'],
    ['/people/abc', 400, 'Check the address'],
    ['/team', 403, 'Not yours to see'],
  ]) {
    await visit(agent, path, { status });
    await agent.getByRole('heading', { level: 1, name: heading }).waitFor();
    // At 360 px the navigation sits in the closed header menu: present, not shown.
    assert.ok(await agent.locator('header nav[aria-label="Main"]').count(), `${path} has the main navigation`);
    assert.ok(await agent.getByRole('button', { name: 'Sign out' }).count(), `${path} has sign-out`);
    await expectNoSidewaysScroll(agent, `the ${status} page`);
    await expectAccessible(agent, `the ${status} page`);
  }
  const why = await agent.locator('#why').innerText();
  assert.ok(why.includes('/team') && why.includes('your own record only'), `the refusal says why: ${why}`);
  await shot(agent, T, 'forbidden');
});

test('a log entry the server refuses keeps everything typed', async () => {
  await visit(agent, '/log');
  const title = `Kept after a refusal ${Date.now().toString(36)}`;
  await agent.getByLabel('Title').fill(title);
  await agent.getByLabel('Date').fill('2099-01-01');
  await agent.getByLabel('Details').fill('First line\nsecond line');
  await agent.getByLabel('Impact value').fill('12');
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Add entry' }).click()]);
  const alert = await agent.getByRole('alert').innerText();
  assert.ok(alert.startsWith('Date:'), `the error names the field: ${alert}`);
  assert.equal(await agent.getByLabel('Title').inputValue(), title);
  assert.equal(await agent.getByLabel('Details').inputValue(), 'First line\nsecond line');
  assert.equal(await agent.getByLabel('Impact value').inputValue(), '12');
  await expectNoSidewaysScroll(agent, '/log after a refused entry');
  await shot(agent, T, 'log-refused');
});

test('a long endorsement wraps on the packet at phone size', async () => {
  const id = ctx.signIns.agent.employeeId;
  await visit(leader, `/people/${id}`);
  await leader.getByLabel('Your endorsement').fill('x'.repeat(3000));
  await Promise.all([leader.waitForNavigation(), leader.getByRole('button', { name: 'Save endorsement' }).click()]);
  assert.equal(new URL(leader.url()).pathname, `/people/${id}/packet`);
  await expectNoSidewaysScroll(leader, 'the packet with a 3,000-character word');
  await shot(leader, T, 'packet-endorsement');
});
