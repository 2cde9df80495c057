// Phone-first and board items of issue 26, at 360 × 740 and 1280 × 900: the team board shows each
// team's attrition and keeps the rows' first column (where gate badges sit) on screen; the roll-ups show a few
// metrics and a picker for the others (no script); the signed-out header is one line.
// Each page: no sideways scroll, axe clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, openMenu, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, testName, PHONE, LAPTOP, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const browser = withBrowser();
const sizes = [['phone', PHONE], ['laptop', LAPTOP]];

/** How many lines the header's visible items sit on (their middles more than 16 px apart). */
async function headerRows(page) {
  return page.locator('header.top').evaluate((h) => {
    const middles = [...h.querySelectorAll('.brand, a, summary, button')]
      .filter((e) => e.checkVisibility())
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.height > 0)
      .map((r) => r.top + r.height / 2)
      .sort((a, b) => a - b);
    return middles.filter((m, i) => i === 0 || m - middles[i - 1] > 16).length;
  });
}

/** Whether the element lies wholly inside the viewport's width. */
async function inView(locator) {
  return locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
  });
}

for (const [size, viewport] of sizes) {
  test(`signed out, the header is one line with a menu and a sign-in link (${size})`, async () => {
    const page = await open(browser(), viewport);
    for (const path of ['/explore', '/signin', '/explore/fit']) {
      await visit(page, path);
      assert.equal(await headerRows(page), 1, `${path}: the header is one line at ${viewport.width} px`);
      assert.ok(await page.locator('header a.signin').isVisible(), `${path}: signing in is one tap away`);
      await expectNoSidewaysScroll(page, `${path} signed out at ${viewport.width} px`);
      await expectAccessible(page, `${path} signed out (${size})`, { targetSize: size === 'phone' });
    }
    const nav = page.getByRole('navigation', { name: 'Main' });
    // A phone folds the pages into the menu; a laptop shows them.
    assert.equal(await page.locator('header details.menu > summary').isVisible(), size === 'phone', 'a Menu button on a phone only');
    assert.equal(await nav.getByRole('link').count(), size === 'phone' ? 0 : 2, 'the menu\'s links show on a laptop only');
    await openMenu(page);
    assert.ok(await nav.getByRole('link', { name: 'Which role fits me' }).isVisible(), 'the pages are in the menu');
    await shot(page, T, `signed-out-${size}`);
    await page.context().close();
  });

  test(`the team board shows attrition, and the rows' first column (where gates show), on screen (${size})`, async () => {
    const page = await signedIn(browser(), 'leader', viewport);
    await visit(page, '/team');
    const attrition = page.locator('.team-attrition').first();
    assert.match(await attrition.innerText(), /^Attrition in \w+ \d{4}: (\d+\.\d %|not shown: fewer than 5 people|no one here)/);
    assert.ok(await inView(attrition), 'the attrition line is on screen');
    const names = page.locator('#team-scorecard tbody th[scope="row"]');
    assert.ok((await names.count()) > 0, 'the board has agents');
    // The gates sit in the first column, which stays on screen however wide the table.
    for (const row of (await names.all()).slice(0, 10)) assert.ok(await inView(row), `${await row.innerText()} is on screen`);
    // On a laptop every KRA column is on screen too: the table does not scroll sideways.
    const tableScrolls = await page.locator('#team-scorecard').first()
      .evaluate((t) => t.parentElement.scrollWidth > t.parentElement.clientWidth);
    assert.equal(tableScrolls, size === 'phone', `/team's scorecard scrolls sideways on a phone only (${size})`);
    await expectNoSidewaysScroll(page, `/team at ${viewport.width} px`);
    await expectAccessible(page, `/team (${size})`, { targetSize: size === 'phone' });
    await shot(page, T, `team-${size}`);
    await page.context().close();
  });

  test(`the roll-ups show four metrics and a picker for the rest (${size})`, async () => {
    const page = await signedIn(browser(), 'hr', viewport);
    for (const [path, table] of [['/org?level=site', '#rollup'], ['/wellbeing/rollup', '#rollup']]) {
      await visit(page, path);
      const headings = () => page.locator(`${table} thead th`).count();
      // The unit and its people, then the default four.
      assert.equal(await headings(), 6, `${path}: four metrics by default`);
      const picker = page.locator('details.picker');
      await picker.locator('summary').click();
      const boxes = picker.getByRole('checkbox');
      assert.ok((await boxes.count()) > 4, `${path}: the picker offers more than the four shown`);
      assert.equal(await picker.locator('input[type="checkbox"]:checked').count(), 4);
      await expectNoSidewaysScroll(page, `${path} with the picker open at ${viewport.width} px`);
      await expectAccessible(page, `${path} with the picker open (${size})`, { targetSize: size === 'phone' });
      await shot(page, T, `${path.split('?')[0].replace(/\W+/g, '-')}-picker-${size}`);
      // One more metric: five columns, and the choice in the address.
      const unchecked = picker.locator('input[type="checkbox"]:not(:checked)').first();
      const id = await unchecked.getAttribute('value');
      await unchecked.check();
      await Promise.all([page.waitForNavigation(), picker.getByRole('button', { name: 'Show these metrics' }).click()]);
      assert.ok(new URL(page.url()).searchParams.getAll('metrics').includes(id), `${id} in ${page.url()}`);
      assert.equal(await headings(), 7, `${path}: the picked metric is a column`);
      await expectNoSidewaysScroll(page, `${path} with five metrics at ${viewport.width} px`);
    }
    await page.context().close();
  });
}
