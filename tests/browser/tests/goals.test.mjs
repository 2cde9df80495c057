// The long-term plan (issue 26): each step of the path with its readiness, and the agent's own
// goals under the steps. At 360 px and 1280 px the agent adds a goal and ticks it done; the
// page keeps to the screen and passes axe, with the edit form open too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, isoDate, mainText, testName, PHONE, LAPTOP, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let phone, laptop;
withBrowser(async (b) => {
  phone = await signedIn(b, 'agent', PHONE);
  laptop = await signedIn(b, 'agent', LAPTOP);
});

test('the agent adds a goal under a step and ticks it done, at 360 px and 1280 px', async () => {
  const due = isoDate(new Date(Date.now() + 10 * 24 * 3600 * 1000));
  for (const [page, size] of [[phone, '360'], [laptop, '1280']]) {
    await visit(page, '/plan');
    await page.getByRole('heading', { name: 'Add a goal of my own' }).waitFor();
    assert.match(await mainText(page), /Ready|Nearly ready|Gaps to close/, 'each step says how ready the agent is');
    const title = `Run the Monday huddle (${size} px)`;
    await page.locator('#goal-title').fill(title);
    await page.locator('#goal-due').fill(due);
    await page.locator('#goal-note').fill('Ask my leader for the agenda first.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add goal' }).click()]);
    const goal = page.locator('li.goal', { hasText: title });
    await goal.waitFor();
    await goal.locator('summary').click();
    await shot(page, T, `added-${size}`);
    await expectAccessible(page, `/plan with a goal at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(page, `/plan with a goal at ${size} px`);

    await Promise.all([page.waitForNavigation(), goal.getByRole('button', { name: /^Mark done/ }).click()]);
    const done = page.locator('li.goal', { hasText: title });
    assert.equal(await done.locator('s').innerText(), title, 'the goal is shown done');
    assert.ok((await done.getByRole('button', { name: /^Reopen/ }).count()) === 1);
    await shot(page, T, `done-${size}`);
    await expectAccessible(page, `/plan with a goal done at ${size} px`, { targetSize: size === '360' });
    await expectNoSidewaysScroll(page, `/plan with a goal done at ${size} px`);
  }
});
