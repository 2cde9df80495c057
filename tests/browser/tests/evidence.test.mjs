// Evidence people can trust (issue 26): the agent marks a certification earned with a link, it
// waits for verification; the QA/trainer verifies it from "To verify", HR rejects another with a
// reason the agent reads. At 360 and 1280 px, axe-clean, nothing scrolling sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ctx, signedIn, visit, shot, apiGet, isoDate, testName, expectAccessible, expectNoSidewaysScroll, withBrowser, PHONE, LAPTOP,
} from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
let agentPhone, agentLaptop, trainerPhone, hrLaptop;
withBrowser(async (b) => {
  agentPhone = await signedIn(b, 'agent', PHONE);
  agentLaptop = await signedIn(b, 'agent', LAPTOP);
  trainerPhone = await signedIn(b, 'trainer', PHONE);
  hrLaptop = await signedIn(b, 'hr', LAPTOP);
});

const stamp = Date.now().toString(36);
const link = `https://certificates.example.com/itil/${stamp}`;

/** The agent's stored record of a certification. */
async function stored(id) {
  const { items } = await apiGet(agentLaptop, `/api/v1/employees/${agentId()}/certifications?limit=500`);
  return items.find((c) => c.certification_id === id);
}

/** Marks `id` earned yesterday on the growth page, with `evidence` as the link. */
async function claim(page, id, evidence) {
  await visit(page, '/growth');
  await page.locator('#cert').selectOption(id);
  await page.locator('#cert-status').selectOption('earned');
  await page.locator('#earned_date').fill(isoDate(new Date(Date.now() - 86_400_000)));
  await page.locator('#evidence_url').fill(evidence);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save certification' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/growth', `after saving, the growth page again: ${page.url()}`);
}

/** axe's findings on the page, failing on serious ones; /growth must also have no two landmarks alike. */
async function expectGrowthAccessible(page, what, options) {
  const found = await expectAccessible(page, what, options);
  assert.deepEqual(found.filter((v) => v.id === 'landmark-unique').map((v) => v.nodes), [], `${what}: landmarks are unique`);
}

test('earned without evidence is refused, naming the field', async () => {
  await visit(agentPhone, '/growth');
  // A certification the agent has no record of, so no link or file saved before could stand.
  const offered = await agentPhone.locator('#cert option').evaluateAll((os) => os.map((o) => o.value));
  const recorded = new Set((await apiGet(agentLaptop, `/api/v1/employees/${agentId()}/certifications?limit=500`)).items.map((c) => c.certification_id));
  const fresh = offered.find((id) => !recorded.has(id) && id !== 'itil-4-foundation' && id !== 'ccsp');
  assert.ok(fresh, `a certification the agent has no record of, among ${offered.join(', ')}`);
  await agentPhone.locator('#cert').selectOption(fresh);
  await agentPhone.locator('#cert-status').selectOption('earned');
  await agentPhone.locator('#earned_date').fill(isoDate(new Date(Date.now() - 86_400_000)));
  await Promise.all([agentPhone.waitForLoadState(), agentPhone.getByRole('button', { name: 'Save certification' }).click()]);
  await agentPhone.getByRole('alert').filter({ hasText: /evidence/i }).waitFor();
  assert.equal(await stored(fresh), undefined, `nothing saved for ${fresh}`);
});

test('an earned certification with a link waits for verification, at 360 and 1280 px', async () => {
  await claim(agentPhone, 'itil-4-foundation', link);
  const row = agentPhone.getByRole('row').filter({ hasText: 'earned, awaiting verification' }).first();
  await row.waitFor();
  const saved = await stored('itil-4-foundation');
  assert.equal(saved.evidence_url, link);
  assert.equal(saved.verification, null);
  await expectNoSidewaysScroll(agentPhone, '/growth at 360 px');
  await expectGrowthAccessible(agentPhone, '/growth at 360 px', { targetSize: true });
  await shot(agentPhone, T, 'growth-awaiting-360');
  await visit(agentLaptop, '/growth');
  await expectNoSidewaysScroll(agentLaptop, '/growth at 1280 px');
  await expectGrowthAccessible(agentLaptop, '/growth at 1280 px');
  await shot(agentLaptop, T, 'growth-awaiting-1280');
});

test('the QA/trainer verifies it from "To verify" at 360 px; it then counts', async () => {
  await visit(trainerPhone, '/verify');
  await expectNoSidewaysScroll(trainerPhone, '/verify at 360 px');
  await expectAccessible(trainerPhone, '/verify at 360 px', { targetSize: true });
  await shot(trainerPhone, T, 'verify-360');
  const card = trainerPhone.locator('section.card').filter({ hasText: link }).first();
  await card.waitFor();
  await Promise.all([trainerPhone.waitForNavigation(), card.getByRole('button', { name: /^Verify / }).click()]);
  await trainerPhone.getByRole('status').filter({ hasText: 'verified' }).waitFor();
  assert.equal(await trainerPhone.locator('section.card').filter({ hasText: link }).count(), 0, 'it leaves the list');
  const saved = await stored('itil-4-foundation');
  assert.equal(saved.verification, 'verified');
  assert.ok(saved.verified_by, 'who verified is kept');
  await visit(agentPhone, '/growth');
  await agentPhone.getByRole('row').filter({ hasText: 'earned, verified' }).first().waitFor();
});

test('HR rejects another claim with a reason at 1280 px; the agent reads it', async () => {
  const other = `https://courses.example.com/enrolment/${stamp}`;
  await claim(agentLaptop, 'ccsp', other);
  await visit(hrLaptop, '/verify');
  await expectNoSidewaysScroll(hrLaptop, '/verify at 1280 px');
  await expectAccessible(hrLaptop, '/verify at 1280 px');
  const card = hrLaptop.locator('section.card').filter({ hasText: other }).first();
  await card.waitFor();
  const reason = 'This is an enrolment, not the certificate: upload the certificate';
  await card.getByLabel(/Why it is rejected/).fill(reason);
  await Promise.all([hrLaptop.waitForNavigation(), card.getByRole('button', { name: 'Reject' }).click()]);
  await hrLaptop.getByRole('status').filter({ hasText: 'rejected' }).waitFor();
  await shot(hrLaptop, T, 'verify-1280-after-reject');
  assert.equal((await stored('ccsp')).verification, 'rejected');
  await visit(agentPhone, '/growth');
  await agentPhone.getByText(reason).first().waitFor();
  await expectNoSidewaysScroll(agentPhone, '/growth with a rejection at 360 px');
  await shot(agentPhone, T, 'growth-rejected-360');
});
