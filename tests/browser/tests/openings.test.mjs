// Internal openings (issue 28): the agent finds an opening they are eligible or nearly eligible
// for, sees the gaps, and applies at 360 px; HR moves an application at the offer stage to hired
// and that person's role changes; the public page of a published opening carries JobPosting
// JSON-LD and needs no sign-in. Each page passes axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let agent, hr, nobody;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent');
  hr = await signedIn(b, 'hr');
  nobody = await open(b, PHONE);
});

test('the agent sees openings with their gaps and applies with one click', async () => {
  await visit(agent, '/openings');
  const items = agent.locator('li.opening');
  assert.ok((await items.count()) > 0, 'the demo agent has openings they are eligible or nearly eligible for');
  const texts = await items.allInnerTexts();
  const nearly = texts.findIndex((t) => t.includes('Nearly eligible'));
  if (nearly >= 0) assert.ok(texts[nearly].includes('To close:'), `a nearly-eligible opening lists its gaps: ${texts[nearly]}`);
  await shot(agent, T, 'agent-list');
  await expectAccessible(agent, '/openings as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, '/openings at 360 px');

  const pick = nearly >= 0 ? nearly : 0;
  await items.nth(pick).getByRole('link').first().click();
  await agent.getByRole('heading', { level: 1 }).first().waitFor();
  const declare = agent.getByLabel('I have no final written warning');
  if (await declare.count()) await declare.check();
  await expectNoSidewaysScroll(agent, 'an opening at 360 px');
  await expectAccessible(agent, 'an opening as the agent', { targetSize: true });
  await Promise.all([agent.waitForNavigation(), agent.getByRole('button', { name: 'Apply' }).click()]);
  assert.match(new URL(agent.url()).pathname, /^\/applications\/\d+$/);
  assert.equal((await agent.locator('#stage').innerText()).trim(), 'Applied');
  await shot(agent, T, 'agent-applied');
  await expectAccessible(agent, 'the application as the agent', { targetSize: true });
  await expectNoSidewaysScroll(agent, 'the application at 360 px');
});

test('HR hires an applicant at the offer stage and their role changes', async () => {
  const openings = await apiGet(hr, '/api/v1/openings?all=true');
  let offer;
  for (const o of openings.items) {
    const apps = (await apiGet(hr, `/api/v1/openings/${o.id}/applications?limit=500`)).items;
    offer = offer ?? apps.find((a) => a.stage === 'offer');
  }
  assert.ok(offer, 'the demo has an application at the offer stage');
  const opening = await apiGet(hr, `/api/v1/openings/${offer.opening_id}`);
  await visit(hr, `/applications/${offer.id}`);
  await hr.getByLabel('New stage').selectOption('hired');
  await hr.getByLabel('Note').fill('Welcome aboard');
  await hr.getByLabel('Start date (for hired)').fill(new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10));
  await Promise.all([hr.waitForNavigation(), hr.getByRole('button', { name: 'Move' }).click()]);
  assert.equal((await hr.locator('#stage').innerText()).trim(), 'Hired');
  await shot(hr, T, 'hr-hired');
  await expectAccessible(hr, 'the application as HR');
  const person = await apiGet(hr, `/api/v1/employees/${offer.employee_id}`);
  assert.equal(person.role_id, opening.role_id, `the hire moved ${offer.employee_name} to ${opening.role_id}`);
});

test('a published opening has a public page with JobPosting JSON-LD', async () => {
  const openings = await apiGet(hr, '/api/v1/openings');
  const published = openings.items.find((o) => o.published);
  assert.ok(published, 'the demo has a published opening');
  await visit(nobody, `/jobs/${published.id}`);
  const ld = JSON.parse(await nobody.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld['@type'], 'JobPosting');
  for (const key of ['title', 'description', 'datePosted', 'validThrough', 'hiringOrganization', 'baseSalary', 'employmentType', 'workHours', 'incentiveCompensation']) {
    assert.ok(ld[key], `JSON-LD has ${key}`);
  }
  assert.ok(ld.jobLocation || (ld.jobLocationType === 'TELECOMMUTE' && ld.applicantLocationRequirements), 'a place, or remote with where applicants may live');
  assert.equal(ld.baseSalary.value.unitText, 'MONTH');
  await shot(nobody, T, 'public');
  await expectAccessible(nobody, 'the public opening page', { targetSize: true });
  await expectNoSidewaysScroll(nobody, 'the public opening page at 360 px');
  const feed = await nobody.request.get('/openings/feed.jsonld');
  assert.equal(feed.status(), 200);
  assert.ok((await feed.json()).some((p) => p.title === published.title));
});
