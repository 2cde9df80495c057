// Every page of each role (agent, leader, manager, HR, admin) at 360 × 740 and at 1280 × 900:
// nothing scrolls sideways, the header stays one line at 360 px, chart text is 12 px or more at 360 px,
// axe-core finds no serious or critical violation, and each page is kept as a full-page
// screenshot (every_page-<role>-<width>-<page>.png). The pages are the role's navigation plus
// the pages it reaches from there (a person, a check-in, an opening…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, openMenu, testName, PHONE, LAPTOP, ROLES, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const phones = {};
const laptops = {};
withBrowser(async (b) => {
  for (const role of ROLES) {
    phones[role] = await signedIn(b, role, PHONE);
    laptops[role] = await signedIn(b, role, LAPTOP);
  }
});

/** Pages a role reaches beyond its navigation (ids from the API where needed). */
async function extraPages(role, page) {
  const agent = ctx.signIns.agent.employeeId;
  const team = ctx.signIns.leader.ledTeams?.[0];
  const pages = ['/jobs/market', '/jobs/tracker', '/explore/fit', '/explore/industries', '/explore/certifications'];
  if (role === 'agent') pages.push('/record', '/kras/plan', '/year');
  if (role === 'leader') {
    pages.push(`/people/${agent}`, `/people/${agent}/packet`, `/people/${agent}/kras-plan`, `/people/${agent}/year`, `/wellbeing/team/${team}`);
    // A paged list: the demo leaves check-ins waiting for the leader (notifications.test too).
    const pending = await apiGet(page, '/api/v1/checkins/pending');
    assert.ok(pending.items.length > 0, `the demo leaves a check-in to review: ${JSON.stringify(pending)}`);
    pages.push(`/team/checkins/${pending.items[0].id}`);
  }
  if (['manager', 'hr', 'admin'].includes(role)) pages.push(`/people/${agent}`, '/wellbeing/rollup');
  return pages;
}

/** The role's navigation links, then its other pages, then the first opening it can see. */
async function pagesOf(role) {
  const page = laptops[role];
  await visit(page, '/home');
  await openMenu(page);
  const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(nav.length >= 4, `${role} has a navigation (${nav.join(', ')})`);
  const all = [...nav, ...(await extraPages(role, page))];
  await visit(page, '/openings');
  const links = await page.locator('main a[href^="/openings/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const opening = links.find((h) => /^\/openings\/\d+$/.test(h));
  assert.ok(opening, `${role} sees an opening of the demo's: ${links.join(', ')}`);
  all.push(opening);
  return [...new Set(all)];
}

/** A path as a screenshot name: /people/<id>/packet → people-packet. */
const slug = (path) => path.replace(/\/\d+/g, '').replace(/[^a-z]+/gi, '-').replace(/^-|-$/g, '') || 'root';

/** How many lines the header's items sit on (their middles more than 16 px apart). */
async function headerLines(page) {
  return page.locator('header.top').evaluate((h) => {
    const items = [...h.querySelectorAll('.brand, a, summary, button')].filter((e) => e.checkVisibility()).map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
    const middles = items.map((r) => r.top + r.height / 2).sort((a, b) => a - b);
    const rows = middles.filter((m, i) => i === 0 || m - middles[i - 1] > 16).length;
    return { tall: Math.round(h.getBoundingClientRect().height), rows };
  });
}

/** Chart labels drawn smaller than 12 px (an SVG's text scales with the chart's width). */
async function smallChartText(page) {
  return page.locator('svg.chart').evaluateAll((svgs) =>
    svgs
      .flatMap((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')]
          .map((t) => ({ text: t.textContent.trim(), px: parseFloat(t.getAttribute('font-size')) * scale }))
          .filter((t) => t.text && t.px < 11.9)
          .map((t) => `"${t.text}" ${t.px.toFixed(1)} px`);
      })
      .slice(0, 5),
  );
}

/** Opens `path` on `page`: a heading, a screenshot, no sideways scroll, axe clean, no script errors. */
async function checkPage(page, role, path, width) {
  await visit(page, path);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await shot(page, T, `${role}-${width}-${slug(path)}`);
  await expectNoSidewaysScroll(page, `${path} as ${role} at ${width} px`);
  await expectAccessible(page, `${path} as ${role} at ${width} px`, { targetSize: width === 360 });
  assert.deepEqual(page.jsErrors.splice(0), [], `${path}: no script errors`);
}

for (const role of ROLES) {
  test(`${role}: every page fits 360 px and 1280 px and is accessible`, async () => {
    const paths = await pagesOf(role);
    for (const path of paths) {
      await checkPage(phones[role], role, path, 360);
      // On a phone the header is one line (the navigation in a menu) and chart text 12 px or more.
      const header = await headerLines(phones[role]);
      assert.equal(header.rows, 1, `${path} as ${role} at 360 px: the header is one line (${header.tall} px tall)`);
      assert.deepEqual(await smallChartText(phones[role]), [], `${path} as ${role}: chart text under 12 px at 360 px`);
    }
    // On a laptop a long navigation may take two lines, and charts are drawn larger.
    for (const path of paths) await checkPage(laptops[role], role, path, 1280);
  });
}

test('at 360 px the navigation is a menu: one line closed, every link reachable open', async () => {
  const page = phones.leader;
  await visit(page, '/home');
  const summary = page.locator('header details.menu > summary');
  assert.equal(await summary.isVisible(), true, 'a Menu button at 360 px');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count(), 0, 'closed, the links are hidden');
  await summary.focus();
  await page.keyboard.press('Enter');
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  assert.ok((await links.count()) >= 4, 'Enter opens the menu');
  for (const link of await links.all()) assert.ok(await link.isVisible(), `${await link.innerText()} shows in the open menu`);
  await expectNoSidewaysScroll(page, 'the open menu at 360 px');
  await expectAccessible(page, 'the open menu', { targetSize: true });
  await shot(page, T, 'menu-open');
  await visit(laptops.leader, '/home');
  assert.equal(await laptops.leader.locator('header details.menu > summary').isVisible(), false, 'no Menu button at 1280 px');
  assert.ok(await laptops.leader.getByRole('navigation', { name: 'Main' }).getByRole('link').first().isVisible(), 'the links show at 1280 px');
});
