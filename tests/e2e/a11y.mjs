// Accessibility check of the lab page with axe-core (WCAG 2 A and AA rules) in the system
// Chromium: every view (One patient, Population, Milliseconds) in normal and projector mode.
// Usage: node a11y.mjs URL [OUT.json]. Exits 1 on any serious or critical violation.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const url = process.argv[2];
const outFile = process.argv[3];
if (!url) {
  console.error('usage: node a11y.mjs URL [OUT.json]');
  process.exit(2);
}
const context = await chromium.launchPersistentContext(
  fs.mkdtempSync(path.join(os.tmpdir(), 'lab-a11y-')),
  {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
  });
const page = await context.newPage();
await page.goto(url);
await page.waitForFunction(() => window.synsimLab && synsimLab.ready && synsimLab.renderCount > 0,
  null, { timeout: 60000 });
await page.addScriptTag({ path: axePath });

const report = [];
let serious = 0;
let rules = 0; // rules that found elements to check and passed (proof that axe ran)
for (const projector of [false, true]) {
  for (const view of ['intro', 'patient', 'population', 'circuit']) {
    await page.click('#tab-' + view);
    if (projector !== (await page.evaluate(() => document.body.classList.contains('projector')))) {
      await page.click('#projector');
    }
    await page.waitForTimeout(1500);
    const res = await page.evaluate(async () => {
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
      return {
        passed: r.passes.length,
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
        })),
      };
    });
    rules = Math.max(rules, res.passed);
    for (const v of res.violations) {
      const bad = v.impact === 'serious' || v.impact === 'critical';
      if (bad) serious++;
      console.log(`${bad ? 'FAIL' : 'note'} ${view}${projector ? ' (projector)' : ''}: ${v.id} [${v.impact}] ${v.help}: ${v.nodes} element(s), e.g. ${v.targets.join(', ')}`);
    }
    report.push({ view, projector, ...res });
  }
}
await context.close();
if (outFile) fs.writeFileSync(outFile, JSON.stringify(report, null, 1));
console.log(`a11y: ${serious} serious or critical violation(s) over 4 views in 2 modes (axe-core, WCAG 2 A/AA; up to ${rules} rules passed per view)`);
process.exit(serious || rules < 10 ? 1 : 0);
