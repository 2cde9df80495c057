import * as playwright from 'playwright-core';
const base = process.argv[2]; const who = process.argv[3]; const out = process.argv[4]; const paths = process.argv.slice(5);
const b = await playwright.chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await (await b.newContext({ viewport: { width: 360, height: 780 } })).newPage();
if (who !== 'none') {
  await page.goto(base + '/signin');
  await page.getByLabel('Email').fill(who);
  await page.getByLabel('Password').fill('ladder-demo-2026');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /sign in/i }).click()]);
}
let i = 0;
for (const p of paths) {
  const r = await page.goto(base + p);
  await page.screenshot({ path: `${out}-${i++}.png`, fullPage: false });
  console.log(p, r.status(), (await page.innerText('main')).slice(0, 1500).replace(/\n+/g, ' | '));
}
await b.close();
