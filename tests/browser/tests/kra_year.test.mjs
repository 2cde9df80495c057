// "My KRAs for the year as agreed" and the year-end summary (issue 26): the agent opens both at
// 360 and 1280 px and agrees to the year's plan; the leader sees it agreed on the person's
// sheet and opens their year. No sideways scroll, axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, testName, expectAccessible, expectNoSidewaysScroll, withBrowser, PHONE, LAPTOP } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
const year = new Date().getUTCFullYear();
let phone, laptop, leader;
withBrowser(async (b) => {
  phone = await signedIn(b, 'agent', PHONE);
  laptop = await signedIn(b, 'agent', LAPTOP);
  leader = await signedIn(b, 'leader');
});

for (const [size, page] of [['360', () => phone], ['1280', () => laptop]]) {
  test(`the KRA sheet and the year at ${size} px`, async () => {
    const p = page();
    await visit(p, `/kras/plan?year=${year}`);
    assert.equal((await p.locator('h1').innerText()).trim(), `My KRAs for ${year} as agreed`);
    const sheet = await apiGet(p, `/api/v1/employees/${agentId()}/kra-plans/${year}`);
    assert.ok(sheet.plans.length > 0, `the demo gives the agent a plan for ${year}`);
    const main = await p.locator('main').innerText();
    assert.ok(main.includes(sheet.plans[0].name), `the sheet shows the plan "${sheet.plans[0].name}"`);
    assert.ok(/a month at 100 % payout/.test(main), 'the variable pay with its currency');
    assert.ok(!main.includes('csat') && !main.includes('fcr'), 'KRAs by name, not by metric id');
    await expectAccessible(p, `/kras/plan at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(p, `/kras/plan at ${size} px`);
    await shot(p, T, `sheet-${size}`);

    await visit(p, `/year?year=${year}`);
    assert.equal((await p.locator('h1').innerText()).trim(), `My year ${year}`);
    assert.equal(await p.locator('#year-months tbody tr').count(), 12, 'a row for each month');
    assert.ok(await p.locator('svg').first().isVisible(), 'the monthly chart');
    await expectAccessible(p, `/year at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(p, `/year at ${size} px`);
    await shot(p, T, `year-${size}`);
  });
}

/** The leader changes the terms of the agent's plan in force (its name), through the API, so
 * the year's plan is not agreed as it stands whatever the demo agreed. */
async function leaderChangesThePlan() {
  const { email, password } = ctx.signIns.leader;
  const signIn = await fetch(`${ctx.baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const session = await signIn.json();
  assert.equal(signIn.status, 200, 'the leader signs in through the API');
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const path = `/api/v1/employees/${agentId()}/kra-plans/${year}`;
  const sheet = await apiGet(leader, path);
  const p = sheet.plans[sheet.plans.length - 1];
  const body = {
    name: `${p.name} (revised ${Date.now()})`,
    effective_from: p.effective_from,
    variable_pay: p.variable_pay_minor == null ? null : (p.variable_pay_minor / 100).toFixed(2),
    currency: p.currency,
    kras: p.lines.map(({ metric, weight, threshold, target, stretch }) => ({ metric, weight, threshold, target, stretch })),
  };
  const put = await fetch(`${ctx.baseUrl}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrf_token },
    body: JSON.stringify(body),
  });
  assert.equal(put.status, 200, `the leader changes the plan: ${await put.text()}`);
  const after = await apiGet(phone, path);
  assert.notEqual(after.agreement.state, 'agreed', 'the changed plan is not agreed as it stands');
  assert.equal(after.agreement.may_agree, true, 'the agent may agree to it');
}

test('the agent agrees and the leader sees it agreed', async () => {
  await leaderChangesThePlan();
  await visit(phone, `/kras/plan?year=${year}`);
  const button = phone.locator('button#agree');
  assert.equal(await button.count(), 1, 'a plan not agreed offers the agent the button');
  await Promise.all([phone.waitForNavigation(), button.click()]);
  assert.ok((await phone.getByRole('status').innerText()).includes('Agreed'), 'the page confirms the agreement');
  const status = await phone.locator('#agreement-status').innerText();
  assert.ok(status.startsWith('Agreed by'), `the sheet says who agreed and when: "${status}"`);
  assert.equal(await phone.locator('button#agree').count(), 0, 'no button once agreed');

  await visit(leader, `/people/${agentId()}/kras-plan?year=${year}`);
  assert.ok((await leader.locator('#agreement-status').innerText()).startsWith('Agreed by'));
  assert.equal(await leader.locator('button#agree').count(), 0, 'the leader cannot agree for the person');
  await expectAccessible(leader, "the agent's KRA sheet as the leader sees it");
  await visit(leader, `/people/${agentId()}/year?year=${year}`);
  await expectAccessible(leader, "the agent's year as the leader sees it");
  await expectNoSidewaysScroll(leader, "the agent's year at 1280 px");
  await shot(leader, T, 'leader-year');
});
