// The promotion packet: a leader opens it for their agent; it renders on screen, prints without
// the navigation, and makes a PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ctx, signedIn, visit, shot, testName, expectAccessible, withBrowser } from '../lib/harness.mjs';

const T = testName(import.meta.url);
const agentId = () => ctx.signIns.agent.employeeId;
let leader;
withBrowser(async (b) => {
  leader = await signedIn(b, 'leader');
});

test('the packet renders for the agent\'s leader', async () => {
  await visit(leader, `/people/${agentId()}/packet`);
  const h1 = await leader.getByRole('heading', { level: 1 }).first().innerText();
  const main = await leader.locator('main').innerText();
  assert.ok(main.includes(ctx.signIns.agent.name), `the packet names the agent (${ctx.signIns.agent.name}); h1: "${h1}"`);
  const sections = await leader.locator('main').getByRole('heading', { level: 2 }).allInnerTexts();
  assert.ok(sections.length >= 3, `the packet has its sections (h2): ${sections.join(' | ')}`);
  assert.ok(main.length > 500, `the packet has content (${main.length} characters of text)`);
  await expectAccessible(leader, 'the promotion packet');
  await shot(leader, T, 'screen');
});

test('the packet prints: no navigation in print, and a non-empty PDF', async () => {
  await visit(leader, `/people/${agentId()}/packet`);
  const nav = leader.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.isVisible(), true, 'on screen the navigation shows');
  await leader.emulateMedia({ media: 'print' });
  assert.equal(await nav.isVisible(), false, 'in print the main navigation is hidden');
  assert.equal(await leader.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'in print the sign-out button is hidden');
  assert.equal(await leader.locator('main').isVisible(), true, 'in print the packet itself shows');
  await shot(leader, T, 'print');

  const pdf = await leader.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(ctx.artifacts, `${T}-packet.pdf`), pdf);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1, `the PDF has pages (${pages})`);
  // Against an empty page printed the same way: the packet must carry far more.
  const blankPage = await leader.context().newPage();
  await blankPage.setContent('<!doctype html><title>blank</title><p>.</p>');
  const blank = await blankPage.pdf({ format: 'A4', printBackground: true });
  await blankPage.close();
  assert.ok(pdf.length > 3 * blank.length, `the PDF has content (${pdf.length} bytes; an empty page prints to ${blank.length})`);
  await leader.emulateMedia({ media: 'screen' });
});
