// A team leader imports a KPI file in the browser: a dry run that writes nothing, then the real
// import; a file with a row about someone outside their teams is refused whole, naming the row;
// an import's page is its uploader's alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, thisMonth, monthBefore, testName, expectAccessible, expectNoSidewaysScroll, mainText, PHONE, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
// Two months back, away from the month other tests type figures into.
const month = monthBefore(monthBefore(thisMonth()));
let leader, hr, agent, member, outsider, jobUrl;
withBrowser(async (b) => {
  leader = await signedIn(b, 'leader', PHONE);
  hr = await signedIn(b, 'hr');
  agent = await signedIn(b, 'agent');
  const mine = (await apiGet(leader, '/api/v1/employees?limit=500')).items;
  member = mine.find((p) => p.id !== ctx.signIns.leader.employeeId && p.id !== ctx.signIns.agent.employeeId);
  assert.ok(member, 'the leader\'s team has someone besides the leader and the agent persona');
  const led = new Set(ctx.signIns.leader.ledTeams);
  const otherTeam = (await apiGet(hr, '/api/v1/teams?limit=500')).items.find((t) => !led.has(t.id));
  assert.ok(otherTeam, 'the demo has a team the leader does not lead');
  outsider = (await apiGet(hr, `/api/v1/employees?team=${otherTeam.id}`)).items[0];
  assert.ok(outsider, `team ${otherTeam.name} has people`);
});

const fcr = async (page, person) =>
  (await apiGet(page, `/api/v1/employees/${person.id}/actuals/${month}`)).find((a) => a.metric === 'fcr') ?? null;

/**
 * Uploads `csv` from /import (dry run or not; with the user's own mapping file when given) and
 * waits on the import's page for its report.
 */
async function upload(page, csv, { dryRun, mapping, replace }) {
  await visit(page, '/import');
  await page.getByLabel('What', { exact: true }).selectOption('kpi');
  await page.getByLabel('Platform (KPI files)').selectOption('ladder-long');
  if (mapping) {
    await page.getByLabel(/own mapping file/).setInputFiles({ name: 'mine.toml', mimeType: 'text/plain', buffer: Buffer.from(mapping) });
  }
  await page.getByLabel(/Dry run/).setChecked(dryRun);
  await page.getByLabel('Replace stored months').setChecked(Boolean(replace));
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'kpi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([page.waitForURL(/\/import\/jobs\//), page.getByRole('button', { name: 'Import', exact: true }).click()]);
  // The page refreshes itself each second until the report is in.
  await page.getByRole('link', { name: 'Import another file' }).waitFor({ timeout: 60_000 });
  return mainText(page);
}

test('a dry run shows what would change and writes nothing; the real import writes the figures', async () => {
  const csv = `employee,date,metric,numerator,denominator\n${member.code},${month}-03,fcr,7,10\n${member.code},${month}-04,fcr,8,10\n`;
  const before = await fcr(leader, member);

  await visit(leader, '/import');
  await expectAccessible(leader, '/import', { targetSize: true });
  await expectNoSidewaysScroll(leader, '/import');
  const dry = await upload(leader, csv, { dryRun: true });
  assert.match(dry, /1 problem in kpi\.csv: nothing was written/, dry);
  const table = leader.getByRole('table', { name: 'What would change' });
  assert.ok((await table.innerText()).length > 0, 'the dry run lists what would change');
  assert.deepEqual(await fcr(leader, member), before, 'the dry run wrote nothing');
  await expectAccessible(leader, 'the dry run\'s report', { targetSize: true });
  await shot(leader, T, 'dry-run');

  // The demo holds the month as a whole-month figure: two days replace it only when chosen.
  assert.match(dry, /1 stored figure the file replaces with less data/, dry);
  const replacement = await leader.locator('#replacements tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(replacement.slice(0, 3), [member.code, month, 'First-contact resolution'], `before → after per person and month: ${replacement}`);
  assert.match(replacement[3], /whole month/);
  // In the metric's unit with its volume: 15 of 20 contacts resolved.
  assert.match(replacement[4], /75\.0 % \(20 contacts\), 2 days/);
  const refused = await upload(leader, csv, { dryRun: false });
  assert.match(refused, /partial months/, refused);
  assert.deepEqual(await fcr(leader, member), before, 'refused until chosen');
  const real = await upload(leader, csv, { dryRun: false, replace: true });
  assert.match(real, /Imported kpi\.csv: 2 rows\./, real);
  jobUrl = new URL(leader.url()).pathname;
  const after = await fcr(leader, member);
  assert.ok(after, `fcr of ${month} is stored for ${member.code}`);
  assert.deepEqual([after.numerator, after.denominator, after.source], [15, 20, 'import'], 'the month is the sum of the two days');
  await shot(leader, T, 'imported');
});

test('a row about someone outside the leader\'s teams refuses the whole file, naming row, column and value', async () => {
  const own = await fcr(leader, member);
  const theirs = await fcr(hr, outsider);
  const csv = `employee,date,metric,numerator,denominator\n${member.code},${month}-05,fcr,1,10\n${outsider.code},${month}-05,fcr,9,10\n`;
  const text = await upload(leader, csv, { dryRun: false });
  assert.match(text, /1 problem in kpi\.csv: nothing was written/, text);
  const cells = await leader.locator('#problems tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3).map((c) => c.trim()), ['3', 'employee', outsider.code], `the problem names the row: ${cells}`);
  assert.match(cells[3], /not allowed/, cells[3]);
  const kinds = await leader.locator('#problem-kinds tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(kinds.slice(0, 4).map((c) => c.trim()), ['1', 'not allowed', 'employee', '3'], `problems by kind: ${kinds}`);
  assert.deepEqual(await fcr(leader, member), own, 'the leader\'s own row was not written either');
  assert.deepEqual(await fcr(hr, outsider), theirs, 'the outsider\'s figures are untouched');
  await expectAccessible(leader, 'a refused import\'s report', { targetSize: true });
  await shot(leader, T, 'refused');
});

test('an export no preset reads goes in with the leader\'s own mapping file; a broken one is named', async () => {
  // Resolved calls over contacts, a day a row, dates written day first, semicolons.
  const mapping = `name = "our-dialler"
format = "wide"
grain = "day"
employee = "Agent ID"
date = "Day"
date_formats = ["%d.%m.%Y"]
[[metric]]
id = "fcr"
numerator = "Resolved first time"
denominator = "Contacts"
`;
  const [y, m] = month.split('-');
  const csv = `Agent ID;Day;Contacts;Resolved first time\n${member.code};10.${m}.${y};20;17\n`;
  const before = await fcr(leader, member);
  const text = await upload(leader, csv, { dryRun: false, mapping });
  assert.match(text, /Imported kpi\.csv: 1 row\./, text);
  const after = await fcr(leader, member);
  assert.deepEqual([after.numerator, after.denominator], [before.numerator + 17, before.denominator + 20], 'the day is added to the month');

  const refused = await upload(leader, csv, { dryRun: false, mapping: 'name = "broken"\nformat = ' });
  assert.match(refused, /mapping mine\.toml: .*line 2/, `a mapping that does not parse is named, with its line: ${refused.slice(0, 300)}`);
  await leader.getByRole('alert').waitFor();
  assert.deepEqual(await fcr(leader, member), after, 'nothing was written');
});

test('an import\'s page is its uploader\'s alone, and agents cannot import', async () => {
  assert.ok(jobUrl, 'the first test imported a file');
  await visit(hr, jobUrl, { status: 404 });
  assert.ok(!(await mainText(hr)).includes('kpi.csv'), 'HR does not see the leader\'s import');
  await visit(agent, '/import', { status: 403 });
});
