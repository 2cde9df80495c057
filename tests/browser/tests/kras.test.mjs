// An agent enters a month's actuals on /kras at phone size and sees the score and its explanation;
// imported figures are shown but cannot be typed over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, thisMonth, monthBefore, testName, expectNoSidewaysScroll, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
const month = thisMonth();
let agent;
withBrowser(async (b) => {
  agent = await signedIn(b, 'agent');
});

/** The editable figure inputs of the actuals form: metric → {numerator, denominator?}. */
async function editableFigures(page) {
  const form = page.locator('form#actuals');
  await form.waitFor();
  const names = await form.locator('input[name$=".numerator"]').evaluateAll((els) =>
    els.filter((e) => !e.disabled && !e.readOnly && e.type !== 'hidden').map((e) => e.name),
  );
  const figures = {};
  for (const name of names) {
    const metric = name.slice(0, -'.numerator'.length);
    const den = form.locator(`input[name="${metric}.denominator"]`);
    figures[metric] = { hasDenominator: (await den.count()) > 0 };
  }
  return { form, figures };
}

test(`an agent enters ${month}'s figures and sees the score with its explanation`, async () => {
  await visit(agent, `/kras?month=${month}`);
  const { form, figures } = await editableFigures(agent);
  const metrics = Object.keys(figures);
  assert.ok(metrics.length > 0, `the actuals form of ${month} has figures to type in (inputs named <metric>.numerator)`);
  await shot(agent, T, 'before');

  // Ratio metrics get 90 of 100; plain sums get 90 (e.g. seconds of handle time, a count).
  const entered = {};
  for (const [metric, { hasDenominator }] of Object.entries(figures)) {
    await form.locator(`input[name="${metric}.numerator"]`).fill('90');
    if (hasDenominator) await form.locator(`input[name="${metric}.denominator"]`).fill('100');
    entered[metric] = hasDenominator ? [90, 100] : [90, 1];
  }
  await Promise.all([agent.waitForNavigation(), form.getByRole('button', { name: 'Save figures' }).click()]);
  assert.equal(new URL(agent.url()).pathname, '/kras', `after saving, /kras again (got ${agent.url()})`);

  // Stored as typed, as manual figures.
  const api = await apiGet(agent, `/api/v1/employees/${agentId()}/scorecard?month=${month}`);
  for (const [metric, [num, den]] of Object.entries(entered)) {
    const a = api.actuals.find((x) => x.metric === metric);
    assert.ok(a, `${metric} is stored for ${month}`);
    assert.equal(a.numerator, num, `${metric} numerator`);
    assert.equal(a.denominator, den, `${metric} denominator`);
    assert.equal(a.source, 'manual', `${metric} is a manual figure`);
  }
  assert.ok(api.scorecard && typeof api.scorecard.total === 'number', `the figures give a score for ${month}`);

  // The score section: the total, and the explanation line by line, as the API gives them.
  const score = agent.locator('#score');
  await score.waitFor();
  const scoreText = (await score.innerText()).replace(/\s+/g, ' ');
  const total = api.scorecard.total;
  const shown = [total.toFixed(1), total.toFixed(0), String(Math.round(total * 10) / 10)];
  assert.ok(shown.some((t) => scoreText.includes(t)), `#score shows the total ${total.toFixed(1)}: "${scoreText.slice(0, 300)}"`);
  if (api.scorecard.rating_label) {
    assert.ok(scoreText.includes(api.scorecard.rating_label), `#score shows the rating "${api.scorecard.rating_label}"`);
  }
  const lines = (await score.locator('.explanation li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  assert.ok(lines.length > 0, '#score has an explanation list (.explanation li)');
  assert.deepEqual(lines, api.explanation.map((s) => s.replace(/\s+/g, ' ').trim()), 'the explanation lines are the scorecard\'s');

  // The form shows what was saved.
  const { form: again } = await editableFigures(agent);
  for (const [metric, [num]] of Object.entries(entered)) {
    assert.equal(Number(await again.locator(`input[name="${metric}.numerator"]`).inputValue()), num, `${metric} shows the saved figure`);
  }
  await expectNoSidewaysScroll(agent, `/kras?month=${month} with a score`);
  await shot(agent, T, 'scored');
});

test('a figure that is not a number of at least 0 is refused and nothing is saved', async () => {
  await visit(agent, `/kras?month=${month}`);
  const { form, figures } = await editableFigures(agent);
  const metric = Object.keys(figures)[0];
  assert.ok(metric, 'there is a figure to type in');
  const before = await apiGet(agent, `/api/v1/employees/${agentId()}/actuals/${month}`);
  // Past the browser's own checks (min="0"), the server must refuse too.
  await form.locator(`input[name="${metric}.numerator"]`).evaluate((el) => {
    el.removeAttribute('min');
    el.type = 'text';
    el.value = '-5';
  });
  await form.evaluate((f) => (f.noValidate = true));
  const [response] = await Promise.all([agent.waitForNavigation(), form.getByRole('button', { name: 'Save figures' }).click()]);
  const alerts = await agent.getByRole('alert').count();
  const text = (await agent.locator('main').innerText()).replace(/\s+/g, ' ');
  assert.ok(alerts > 0 || response.status() >= 400, `the refusal is shown (an alert or an error page): ${response.status()} "${text.slice(0, 200)}"`);
  assert.match(text, /at least 0|negative|not a number|must be/i, 'the message says what is wrong with the figure');
  const after = await apiGet(agent, `/api/v1/employees/${agentId()}/actuals/${month}`);
  assert.deepEqual(after, before, 'a refused form changes nothing');
  await shot(agent, T, 'refused');
});

test('imported figures of an earlier month are shown read-only', async () => {
  const past = monthBefore(month);
  // The month's KRAs (the plan's metrics) whose figures came from the platform.
  const card = await apiGet(agent, `/api/v1/employees/${agentId()}/scorecard?month=${past}`);
  const kras = new Set((card.scorecard?.kras ?? []).map((k) => k.metric));
  const imported = card.actuals.filter((a) => a.source === 'import' && kras.has(a.metric));
  assert.ok(imported.length > 0, `the demo has imported KRA figures for the agent in ${past}`);
  await visit(agent, `/kras?month=${past}`);
  await agent.locator('form#actuals').or(agent.locator('#score')).first().waitFor();
  for (const a of imported) {
    const input = agent.locator(`input[name="${a.metric}.numerator"]`);
    const editable = (await input.count()) > 0 && (await input.first().evaluate((e) => !e.disabled && !e.readOnly && e.type !== 'hidden'));
    assert.ok(!editable, `${a.metric} was imported: it cannot be typed over`);
    // The figure itself is on the page, by its metric name.
    await agent.locator('main').getByText(a.metric_name, { exact: false }).first().waitFor();
  }
  await expectNoSidewaysScroll(agent, `/kras?month=${past}`);
  await shot(agent, T, 'imported');
});
