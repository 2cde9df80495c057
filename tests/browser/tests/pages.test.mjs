// Every page of every role: it opens, passes axe-core with no serious or critical violation, and
// is kept as a full-page screenshot (agent pages at 360 × 740, the others at 1280 × 900). Agent
// pages must also work at 360 px: nothing scrolls sideways and controls are big enough to tap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, open, signedIn, visit, shot, expectAccessible, expectNoSidewaysScroll, apiGet, openMenu, thisMonth, monthBefore, testName, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const month = thisMonth();
const lastMonth = monthBefore(month);
const pages = {};
const browser = withBrowser(async (b) => {
  for (const role of ['agent', 'leader', 'manager', 'hr', 'admin']) pages[role] = await signedIn(b, role);
});

async function visibleHeadingsInclude(page, re, what) {
  const hs = await page.locator('main').getByRole('heading').allInnerTexts();
  assert.ok(hs.some((h) => re.test(h)), `${what} (headings: ${hs.join(' | ')})`);
}

async function tour(role, name, path, { phone = false, check } = {}) {
  const page = pages[role];
  await visit(page, path);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await shot(page, T, `${role}-${name}`);
  if (check) await check(page);
  await expectAccessible(page, `${path} as ${role}`, { targetSize: phone });
  if (phone) await expectNoSidewaysScroll(page, `${path} at 360 px`);
  assert.deepEqual(page.jsErrors.splice(0), [], `${path}: no script errors`);
}

// ---- Agent pages, at 360 × 740 -------------------------------------------------------------
const AGENT = [
  ['home', '/home', async (page) => {
    const main = page.locator('main');
    const chart = main.locator('svg');
    assert.ok((await chart.count()) > 0, '/home has the trend chart (an SVG)');
    const label = await chart.first().evaluate((svg) => svg.getAttribute('aria-label') || svg.querySelector('title')?.textContent || svg.getAttribute('aria-labelledby') || '');
    assert.ok(label.trim().length > 0, 'the trend chart has a text alternative (title or aria-label)');
    // The next milestone on the way to the target role, with the gaps to close.
    const next = main.getByRole('heading', { name: /next (step|milestone)/i });
    assert.ok((await next.count()) > 0, '/home has a "Next step" (next milestone) section');
    await visibleHeadingsInclude(page, /this month|so far|latest month/i, '/home shows this month\'s KRAs');
  }],
  ['plan', '/plan', async (page) => {
    await page.getByLabel(/target role/i).first().waitFor();
    await page.getByLabel(/horizon/i).first().waitFor();
    const text = (await page.locator('main').innerText()).toLowerCase();
    assert.ok(/readiness|ready/.test(text), '/plan shows the readiness checklist');
  }],
  ['kras', `/kras?month=${month}`, async (page) => {
    await page.locator('form#actuals').waitFor();
  }],
  ['kras-last-month', `/kras?month=${lastMonth}`, null],
  ['log', '/log', async (page) => {
    await page.getByRole('button', { name: 'Add entry' }).waitFor();
  }],
  ['growth', '/growth', async (page) => {
    const text = (await page.locator('main').innerText()).toLowerCase();
    for (const w of ['skill', 'certification', 'training']) assert.ok(text.includes(w), `/growth covers ${w}s`);
  }],
  ['checkin', '/checkin', async (page) => {
    // The form, or (once this month's check-in is acknowledged, as checkin.test.mjs leaves it)
    // what was sent.
    const form = await page.getByLabel('Highlights').count();
    const sent = await page.getByRole('heading', { name: 'Sent to your leader' }).count();
    assert.ok(form > 0 || sent > 0, '/checkin shows the check-in form or the check-in sent');
  }],
  ['notifications', '/notifications', async (page) => {
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
  }],
  ['account', '/account', null],
];
for (const [name, path, check] of AGENT) {
  test(`agent ${path} at 360 px: opens, is accessible, fits`, async () => {
    await tour('agent', name, path, { phone: true, check });
  });
}

test('agent: the main navigation is usable at 360 px', async () => {
  const page = pages.agent;
  await visit(page, '/home');
  await openMenu(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const link of await nav.getByRole('link').all()) {
    await link.scrollIntoViewIfNeeded();
    const label = (await link.innerText()).replace(/\s+/g, ' ');
    assert.ok(await link.isVisible(), `nav link "${label}" is visible at 360 px`);
    const lines = await link.evaluate((a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size);
    assert.equal(lines, 1, `nav link "${label}" is broken over ${lines} lines at 360 px`);
  }
  await shot(page, T, 'agent-nav');
  // Every navigation link leads to a page that opens.
  const hrefs = await nav.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const h of hrefs) await visit(page, h);
});

// ---- Leader pages, at 1280 × 900 -----------------------------------------------------------
test('leader /team: the team scorecard lists the team', async () => {
  const page = pages.leader;
  const team = ctx.signIns.leader.ledTeams[0];
  assert.ok(team, 'the demo leader leads a team');
  const card = await apiGet(page, `/api/v1/teams/${team}/scorecard?month=${lastMonth}`);
  await tour('leader', 'team', `/team?month=${lastMonth}`, {
    check: async (p) => {
      const table = p.locator('table#team-scorecard');
      await table.waitFor();
      const text = await table.innerText();
      for (const row of card.rows) assert.ok(text.includes(row.name), `#team-scorecard has a row for ${row.name}`);
      assert.ok((await table.locator('th[scope]').count()) > 0, 'the scorecard\'s headers have scope');
    },
  });
});
test('leader /people/<agent>', async () => {
  await tour('leader', 'person', `/people/${ctx.signIns.agent.employeeId}`);
});
test('leader /people/<agent>/packet', async () => {
  await tour('leader', 'packet', `/people/${ctx.signIns.agent.employeeId}/packet`);
});
test('leader /team/checkins/<id> (a pending check-in of the team)', async () => {
  const page = pages.leader;
  const pending = (await apiGet(page, '/api/v1/checkins/pending')).items;
  assert.ok(pending.length > 0, 'the demo leaves the leader a pending check-in to review');
  await tour('leader', 'checkin', `/team/checkins/${pending[0].id}`, {
    check: async (p) => {
      await p.getByRole('button', { name: 'Acknowledge' }).waitFor();
    },
  });
});
test('leader /home', async () => {
  await tour('leader', 'home', '/home');
});

// ---- Manager, HR and admin pages, at 1280 × 900 --------------------------------------------
for (const role of ['manager', 'hr']) {
  test(`${role} /org`, async () => {
    await tour(role, 'org', '/org', {
      check: async (p) => assert.ok((await p.locator('main table').count()) > 0, '/org shows the roll-ups as a table'),
    });
  });
  test(`${role} /pipeline`, async () => {
    await tour(role, 'pipeline', '/pipeline', {
      check: async (p) => {
        const text = (await p.locator('main').innerText()).toLowerCase();
        assert.ok(/9-box|nine-box|potential/.test(text), '/pipeline shows the 9-box');
      },
    });
  });
  test(`${role} /home`, async () => {
    await tour(role, 'home', '/home');
  });
  test(`${role} /headcount`, async () => {
    await tour(role, 'headcount', '/headcount', {
      check: async (p) => assert.ok((await p.locator('main table#headcount').count()) > 0, '/headcount shows a table'),
    });
  });
}
test('admin /admin', async () => {
  await tour('admin', 'admin', '/admin');
});
test('admin /home', async () => {
  await tour('admin', 'home', '/home');
});

test('the sign-in page at 360 px', async () => {
  const page = await open(browser(), PHONE);
  await visit(page, '/signin');
  await shot(page, T, 'signin');
  await expectAccessible(page, '/signin', { targetSize: true });
  await expectNoSidewaysScroll(page, '/signin at 360 px');
  await page.context().close();
});
