// Outside jobs (issue 28): at 360 px the agent searches /jobs with filters, sees their fit,
// saves the search, and tracks a posting in their private tracker, moving it to "applied"
// with a reminder that then shows on /jobs. HR does not see the agent's saved search or
// tracker. Each page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, testName, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let agent, hr;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent');
  hr = await signedIn(b, 'hr');
});

test('the agent searches with filters, sees the fit, saves the search and tracks a posting', async () => {
  await visit(agent, '/jobs');
  await agent.getByLabel('Work arrangement').selectOption('remote');
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Search', exact: true }).click()]);
  assert.match(agent.url(), /arrangement=remote/);
  const postings = agent.locator('#postings > li');
  assert.ok((await postings.count()) > 0, 'the demo has remote postings');
  const first = await postings.first().innerText();
  assert.match(first, /remote/);
  assert.match(first, /Fit for|Your own role|Not matched to a role/, 'each posting says how the agent fits');
  await expectAccessible(agent, '/jobs with filters as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, '/jobs at 360 px');
  await shot(agent, T, 'search');

  const name = `Remote ${Date.now()}`;
  await agent.getByLabel('Save these filters as').fill(name);
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Save search' }).click()]);
  const saved = agent.locator('#saved-searches li', { hasText: name });
  assert.match(await saved.innerText(), /0 new postings since you last looked/);

  const title = (await postings.first().locator('h3').innerText()).trim();
  await Promise.all([agent.waitForNavigation(), postings.first().getByRole('button', { name: /^Track/ }).click()]);
  assert.equal(new URL(agent.url()).pathname, '/jobs/tracker');
  const item = agent.locator('#tracked > li', { hasText: title }).first();
  await item.locator('summary').click();
  await item.getByLabel('Stage').selectOption('applied');
  await item.getByLabel('Remind me on').fill(new Date().toISOString().slice(0, 10));
  await Promise.all([agent.waitForNavigation(), item.getByRole('button', { name: 'Save' }).click()]);
  assert.match(await agent.locator('#tracked > li', { hasText: title }).first().innerText(), /stage: applied/);
  await expectAccessible(agent, '/jobs/tracker as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, '/jobs/tracker at 360 px');
  await shot(agent, T, 'tracker');

  await visit(agent, '/jobs');
  assert.match(await agent.locator('body').innerText(), /Reminders due/);

  const mine = (await apiGet(agent, '/api/v1/me/outside-applications?limit=500')).items;
  assert.ok(mine.some((a) => a.title === title && a.stage === 'applied'));
  const theirs = (await apiGet(hr, '/api/v1/me/outside-applications?limit=500')).items;
  assert.ok(!theirs.some((a) => a.title === title), "HR's tracker is HR's own");
  await visit(hr, '/jobs');
  assert.ok(!(await hr.locator('body').innerText()).includes(name), "HR does not see the agent's saved search");
});
