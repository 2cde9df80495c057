// A team leader sees their own team's agents and nobody else's, whether by link or by typing the
// URL; an agent sees only themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, signedIn, visit, shot, apiGet, testName, expectAccessible, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
let leader, agent, hr, other;
withBrowser(async (b) => {
  leader = await signedIn(b, 'leader');
  agent = await signedIn(b, 'agent');
  hr = await signedIn(b, 'hr');
  // Someone on another team (found with HR's wider view).
  const led = new Set(ctx.signIns.leader.ledTeams);
  const teams = (await apiGet(hr, '/api/v1/teams?limit=500')).items;
  const otherTeam = teams.find((t) => !led.has(t.id));
  assert.ok(otherTeam, 'the demo has a team the leader does not lead');
  const people = (await apiGet(hr, `/api/v1/employees?team=${otherTeam.id}&limit=500`)).items;
  other = people.find((p) => p.id !== ctx.signIns.leader.employeeId);
  assert.ok(other, `team ${otherTeam.name} has people`);
});

test('the leader opens their own agent\'s page', async () => {
  const id = ctx.signIns.agent.employeeId;
  await visit(leader, `/people/${id}`);
  const text = await leader.locator('main').innerText();
  assert.ok(text.includes(ctx.signIns.agent.name), `/people/${id} shows the agent's name (${ctx.signIns.agent.name})`);
  await shot(leader, T, 'own-agent');
});

test('the leader cannot open another team\'s agent by URL: a 403 "Not yours to see" page', async () => {
  for (const path of [`/people/${other.id}`, `/people/${other.id}/packet`]) {
    await visit(leader, path, { status: 403 });
    await leader.getByRole('heading', { level: 1, name: 'Not yours to see' }).waitFor();
    const text = await leader.locator('body').innerText();
    assert.ok(!text.includes(other.name), `${path} does not show the other agent's name`);
    assert.ok(!text.includes(other.code), `${path} does not show the other agent's code`);
  }
  await expectAccessible(leader, 'the 403 page');
  await shot(leader, T, 'forbidden');
});

test('the leader\'s team page does not link to another team\'s people, and the API refuses them too', async () => {
  await visit(leader, '/team');
  const links = await leader.locator('main a[href^="/people/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length > 0, '/team links to the team\'s people');
  assert.ok(!links.some((h) => h.startsWith(`/people/${other.id}`)), `/team does not link to /people/${other.id}`);
  const mine = new Set(((await apiGet(leader, '/api/v1/employees?limit=500')).items).map((p) => p.id));
  for (const h of links) {
    const id = Number(h.split('/')[2]);
    assert.ok(mine.has(id), `/team links only to people the leader may see (${h})`);
  }
  const r = await leader.request.get(`/api/v1/employees/${other.id}`);
  assert.equal(r.status(), 403, 'GET /api/v1/employees/<other> is refused');
});

test('another team\'s check-in cannot be opened by URL', async () => {
  const theirs = (await apiGet(hr, `/api/v1/employees/${other.id}/checkins`)).items;
  if (theirs.length === 0) {
    // Nothing to try with: the demo gave this person no check-ins. Say so rather than pass quietly.
    assert.fail(`the demo has no check-in for ${other.name} (${other.id}) to try`);
  }
  const r = await leader.goto(`/team/checkins/${theirs[0].id}`);
  assert.ok([403, 404].includes(r.status()), `/team/checkins/${theirs[0].id} of another team → ${r.status()}, expected 403 or 404`);
  if (theirs[0].highlights) {
    assert.ok(!(await leader.locator('body').innerText()).includes(theirs[0].highlights), 'its highlights are not shown');
  }
});

test('an agent cannot open a colleague\'s page or the team pages', async () => {
  await visit(agent, `/people/${other.id}`, { status: 403 });
  await agent.getByRole('heading', { level: 1, name: 'Not yours to see' }).waitFor();
  for (const path of ['/team', '/org', '/pipeline']) {
    const r = await agent.goto(path);
    const redirected = new URL(agent.url()).pathname !== path;
    assert.ok(r.status() === 403 || redirected, `an agent opening ${path} → ${r.status()} at ${agent.url()}, expected 403 or a redirect away`);
    assert.equal(await agent.locator('#team-scorecard').count(), 0, `no team scorecard for an agent at ${path}`);
  }
});
