// Browser test of the synsim lab page, driving the system Chromium with playwright-core.
//
//   cd tests/e2e && npm ci && node lab.mjs <page URL> [screenshot dir]
//   e.g. node lab.mjs "file://$PWD/../../web/index.html?mock" /tmp/lab-shots     (dev page, mock engine)
//        node lab.mjs file:///path/to/synsim-lab.html /tmp/lab-shots             (built page, wasm engine)
//        node lab.mjs http://127.0.0.1:8080/ /tmp/lab-shots                      (synsim serve)
// Prints one JSON object on stdout (checks, latency median/p95); exits 1 if a check fails.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const url = process.argv[2];
const shots = process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), 'lab-shots-'));
if (!url) { console.error('usage: node lab.mjs <page URL> [screenshot dir]'); process.exit(2); }
fs.mkdirSync(shots, { recursive: true });
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-chromium-'));

const results = { url, checks: {}, errors: [] };
let failed = 0;
function check(name, ok, detail) {
  results.checks[name] = detail === undefined ? !!ok : { ok: !!ok, detail };
  if (!ok) { failed++; console.error('FAIL', name, detail === undefined ? '' : JSON.stringify(detail)); }
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 720 }, acceptDownloads: true,
});
function watch(page, tag) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Over HTTP the engine answers a deliberately bad regimen with a 400 JSON error, which
    // the browser reports as a failed resource load; the page shows the message itself.
    if (/status of 400 \(Bad Request\)/.test(m.text()) && /^https?:/.test(url)) return;
    results.errors.push(tag + ' console: ' + m.text());
  });
  page.on('pageerror', (e) => results.errors.push(tag + ' pageerror: ' + e.message));
}
const lab = (page) => page.evaluate(() => JSON.parse(JSON.stringify({
  ready: synsimLab.ready, engineKind: synsimLab.engineKind, catalog: synsimLab.catalog, state: synsimLab.state,
  request: synsimLab.request, series: synsimLab.series, renderCount: synsimLab.renderCount, pins: synsimLab.pins,
  ghostSeries: synsimLab.ghostSeries, population: synsimLab.population, hash: synsimLab.hash(), errors: synsimLab.errors,
})));
const waitRender = (page, n) => page.waitForFunction((k) => window.synsimLab && synsimLab.renderCount > k, n, { timeout: 20000 });

try {
  const page = context.pages()[0] || await context.newPage();
  watch(page, 'page1');
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.synsimLab && synsimLab.ready, null, { timeout: 30000 });
  results.first_plot_ms = Date.now() - t0;
  let s = await lab(page);
  results.engine = s.engineKind;
  check('catalog loaded', s.catalog && s.catalog.parameters > 50 && s.catalog.scenarios >= 7, s.catalog);
  check('first run plotted', s.series && s.series.length > 100, s.series && s.series.length);
  await page.screenshot({ path: path.join(shots, 'lab-1280x720.png') });
  await page.screenshot({ path: path.join(shots, 'lab-1280x720-full.png'), fullPage: true });

  // dose slider, keyboard
  const before = s;
  await page.focus('#b-dose');
  let n = before.renderCount;
  await page.keyboard.press('ArrowRight');
  await waitRender(page, n);
  s = await lab(page);
  check('dose key changes the regimen', s.request.regimen && s.request.regimen !== (before.request.regimen || ''), s.request.regimen);
  check('dose key changes plotted data', Math.abs(s.series.peakPlasma - before.series.peakPlasma) > 1e-6, [before.series.peakPlasma, s.series.peakPlasma]);
  check('dose key changes the URL hash', s.hash !== before.hash && decodeURIComponent(s.hash).includes('0.55 mg/kg'), s.hash);

  // latency: ~20 keyboard steps, one redraw each
  const lat = [];
  for (let i = 0; i < 20; i++) {
    n = (await lab(page)).renderCount;
    const tk = Date.now();
    await page.keyboard.press(i < 10 ? 'ArrowRight' : 'ArrowLeft');
    await waitRender(page, n);
    lat.push(Date.now() - tk);
  }
  const inPage = await page.evaluate(() => { const l = synsimLab.latencies.slice(-20).sort((a, b) => a - b); return l; });
  const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))];
  results.latency = {
    steps: lat.length,
    in_page_input_to_redrawn_ms: { median: +q(inPage, 0.5).toFixed(1), p95: +q(inPage, 0.95).toFixed(1) },
    key_to_render_wall_ms: { median: q(lat, 0.5), p95: q(lat, 0.95) },
  };

  // theory switch
  s = await lab(page);
  n = s.renderCount;
  const sumBefore = s.series.scoreSum;
  await page.click('#theories .prow[data-param="mechanisms.synaptogenesis"] input');
  await waitRender(page, n);
  s = await lab(page);
  check('theory switch changes the score', Math.abs(s.series.scoreSum - sumBefore) > 1e-6 && s.request.set && s.request.set['mechanisms.synaptogenesis'] === false, s.request.set);

  // pin: a ghost appears
  await page.click('#pin');
  s = await lab(page);
  check('pin shows a ghost', s.pins === 1 && s.ghostSeries > 0, { pins: s.pins, ghostSeries: s.ghostSeries });
  n = s.renderCount;
  await page.click('#theories .prow[data-param="mechanisms.synaptogenesis"] input');
  await waitRender(page, n);
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(shots, 'lab-pinned-1280x720.png') });

  // regimen error shown with caret
  n = (await lab(page)).renderCount;
  await page.fill('#regimen', 'ketamine 0.5 mg/kg iv over 40 min');
  await page.waitForFunction(() => !document.getElementById('regimen-error').hidden, null, { timeout: 10000 });
  const errText = await page.textContent('#regimen-error');
  check('regimen error with caret', /\^/.test(errText), errText);
  await page.fill('#regimen', 'ketamine 0.5 mg/kg iv over 40 min every 3.5 d x 6');
  await waitRender(page, n);
  check('regimen error cleared', await page.isHidden('#regimen-error'));

  // share: the hash round-trips in a new page
  s = await lab(page);
  const shared = page.url();
  const page2 = await context.newPage();
  watch(page2, 'page2');
  await page2.goto(shared);
  await page2.waitForFunction(() => window.synsimLab && synsimLab.ready, null, { timeout: 30000 });
  const s2 = await lab(page2);
  check('shared link restores the state', JSON.stringify(s2.request) === JSON.stringify(s.request) && s2.hash === s.hash, { a: s.request, b: s2.request });
  check('shared link restores the plot', Math.abs(s2.series.scoreSum - s.series.scoreSum) < 1e-9, [s.series.scoreSum, s2.series.scoreSum]);
  await page2.close();

  // downloads: CSV, SVG, PNG
  for (const [btn, re] of [['#dl-csv', /^time_h,/], ['#dl-svg', /^<svg/]]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(btn)]);
    const p = await dl.path();
    const head = fs.readFileSync(p, 'utf8').slice(0, 40);
    check('download ' + dl.suggestedFilename(), re.test(head), head);
  }
  {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-png')]);
    const buf = fs.readFileSync(await dl.path());
    check('download ' + dl.suggestedFilename(), buf.slice(1, 4).toString() === 'PNG' && buf.length > 10000, buf.length);
  }

  // population of 50 patients
  await page.click('#tab-population');
  await page.$eval('#pop-n', (el) => { el.value = 50; el.dispatchEvent(new Event('input', { bubbles: true })); });
  const tp = Date.now();
  await page.waitForFunction(() => synsimLab.population && synsimLab.population.status === 'done' && synsimLab.population.patients === 50, null, { timeout: 120000 });
  s = await lab(page);
  results.population_50_ms = Date.now() - tp;
  check('population of 50 completes', s.population.rates && s.population.rates.length > 0, s.population.rates && s.population.rates[0]);
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, 'lab-population-1280x720.png'), fullPage: true });

  // the same population beside its placebo arm (the same sessions, no drug)
  await page.click('#pop-arm2');
  await page.waitForFunction(() => synsimLab.population && synsimLab.population.status === 'done' && synsimLab.population.arms === 2, null, { timeout: 120000 });
  s = await lab(page);
  {
    const drug = s.population.rates[0], pl = s.population.placebo_rates && s.population.placebo_rates[0];
    check('placebo arm beside the population', !!pl && pl.label === drug.label && drug.rate > pl.rate, { drug, pl });
    const cmd = await page.$eval('#command', (el) => el.textContent);
    check('the placebo arm shows its own command', /--regimen "placebo iv over 40 min /.test(cmd), cmd);
  }
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, 'lab-population-two-arms-1280x720.png'), fullPage: true });
  await page.click('#pop-arm2');

  // millisecond circuit
  await page.click('#tab-circuit');
  await page.waitForFunction(() => synsimLab.circuit && synsimLab.circuit.fixed, null, { timeout: 20000 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, 'lab-circuit-1280x720.png') });
  check('circuit view drawn', true);

  // projector mode
  await page.click('#tab-patient');
  n = (await lab(page)).renderCount;
  await page.click('#projector');
  await page.waitForTimeout(400);
  s = await lab(page);
  check('projector mode in the hash', /proj=1/.test(s.hash), s.hash);
  await page.screenshot({ path: path.join(shots, 'lab-projector-1280x720.png') });
  await page.screenshot({ path: path.join(shots, 'lab-projector-full.png'), fullPage: true });
  await page.click('#projector');

  // phone width
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'lab-390x844.png') });
  await page.screenshot({ path: path.join(shots, 'lab-390x844-full.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('no horizontal overflow at 390 px', overflow <= 1, overflow);

  // lesson hash: pin=base + try text
  const page3 = await context.newPage();
  watch(page3, 'page3');
  const lesson = url.split('#')[0] + '#s=ketamine-iv-single&pin=base&set.mechanisms.synaptogenesis=false&try=Which%20part%20of%20the%20early%20drop%20survives%3F';
  await page3.goto(lesson);
  await page3.waitForFunction(() => window.synsimLab && synsimLab.ready && synsimLab.pins === 1, null, { timeout: 30000 });
  check('lesson hash pins the base run and shows the card', await page3.isVisible('#trythis'));
  await page3.close();

  // every "In the lab" link of docs/lessons sets up its experiment
  const lessonDir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'docs', 'lessons');
  const links = fs.readdirSync(lessonDir).filter((f) => f.endsWith('.md')).flatMap((f) =>
    [...fs.readFileSync(path.join(lessonDir, f), 'utf8').matchAll(/\]\(http:\/\/127\.0\.0\.1:8080\/(#[^)]+)\)/g)].map((m) => [f, m[1]]));
  check('lessons link into the lab', links.length >= 8, links.length);
  for (const [f, hash] of links) {
    const p = await context.newPage();
    watch(p, f);
    await p.goto(url.split('#')[0] + hash);
    await p.waitForFunction(() => window.synsimLab && synsimLab.ready && synsimLab.renderCount > 0, null, { timeout: 30000 });
    const want = new URLSearchParams(hash.slice(1));
    const st = await lab(p);
    check('lesson link ' + f + ' ' + hash.slice(0, 60), st.state.scenario === want.get('s') && st.errors.length === 0, st.state);
    await p.close();
  }

  check('no console or page errors', results.errors.length === 0, results.errors);
} catch (e) {
  failed++;
  results.exception = String(e && e.stack || e);
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
results.screenshots = shots;
results.failed = failed;
console.log(JSON.stringify(results, null, 2));
process.exit(failed ? 1 : 0);
