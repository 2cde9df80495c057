// HR's talent pipeline over everyone (issue 25), at phone size: the counts over the whole demo,
// the list paged by "Next page" ("51–… of …"), a 9-box cell that opens the list of its people,
// and the filter form; axe-checked and without sideways scrolling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let hr;
withBrowser(async (b) => {
  hr = await signedIn(b, 'hr', PHONE);
});

/** Opens the pipeline once the server's start-up refresh is done (it says so while it runs). */
async function openPipeline(page, path = '/pipeline') {
  for (let i = 0; i < 50; i++) {
    await visit(page, path);
    if ((await page.getByRole('status').filter({ hasText: 'being refreshed' }).count()) === 0) return;
    await page.waitForTimeout(200);
  }
  assert.fail('the pipeline was still being refreshed after 10 s');
}

const shown = async (page) => (await page.locator('#shown').innerText()).trim();
const number = (s) => Number(s.replace(/,/g, ''));

test('HR pages through the whole pipeline and opens a 9-box cell at 360 px', async () => {
  await openPipeline(hr);
  await shot(hr, T, 'hr-pipeline');
  await expectAccessible(hr, '/pipeline as HR', { targetSize: true });
  await expectNoSidewaysScroll(hr, '/pipeline at 360 px');
  const first = await shown(hr);
  const m = first.match(/^1–50 of ([\d,]+)$/);
  assert.ok(m, `the first page says "1–50 of N", got "${first}"`);
  const total = number(m[1]);
  assert.ok(total > 50, `the demo has more people in the pipeline than one page (${total})`);
  assert.equal(await hr.locator('#pipeline tbody tr').count(), 50);

  await Promise.all([hr.waitForNavigation(), hr.getByRole('link', { name: 'Next page' }).click()]);
  const second = await shown(hr);
  assert.ok(second.startsWith('51–'), `the second page starts at 51, got "${second}"`);
  assert.ok(second.endsWith(`of ${m[1]}`), `the total stays ${m[1]}, got "${second}"`);
  await hr.getByRole('link', { name: 'First page' }).waitFor();

  // The fullest 9-box cell opens the list of exactly its people.
  await openPipeline(hr);
  const cells = hr.locator('.ninebox li a');
  assert.equal(await cells.count(), 12, 'nine cells and the no-data row');
  let best = 0, bestCount = -1, sum = 0;
  for (let i = 0; i < 12; i++) {
    const n = number(await cells.nth(i).locator('strong').innerText());
    sum += n;
    if (n > bestCount) [best, bestCount] = [i, n];
  }
  assert.equal(sum, total, 'the cells add up to the total');
  await Promise.all([hr.waitForNavigation(), cells.nth(best).click()]);
  const inCell = await shown(hr);
  assert.ok(inCell.endsWith(` of ${bestCount.toLocaleString('en-US')}`), `the cell's list holds its ${bestCount} people, got "${inCell}"`);
  await shot(hr, T, 'hr-pipeline-cell');

  // The filter form: only who is slipping.
  await openPipeline(hr);
  await hr.getByLabel('Only who is slipping').check();
  await Promise.all([hr.waitForNavigation(), hr.getByRole('button', { name: 'Filter' }).click()]);
  assert.ok(new URL(hr.url()).searchParams.get('slipping') === 'true', hr.url());
  const slipping = await shown(hr);
  assert.ok(/ of [\d,]+$/.test(slipping), slipping);
  await expectAccessible(hr, '/pipeline?slipping=true as HR', { targetSize: true });
});
