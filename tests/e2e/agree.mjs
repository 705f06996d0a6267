// The lab's WebAssembly engine gives the command line's numbers.
//
//   node agree.mjs <synsim_web.wasm> <synsim binary> <work dir>
//
// For every built-in scenario, the engine's `csv` must equal the CLI's
// timeseries.csv value for value to printing precision (one unit in the last
// printed digit; it may differ where the browser's math library rounds
// differently). A value within 1e-10 of its column's scale (its largest
// magnitude, at least 1) is roundoff around zero, a hundred times below the
// integrator's absolute tolerance (solver.atol, 1e-8), so its digits depend
// on the math library's rounding (such as the synaptic-protein excess
// before a dose, about 1e-22 with either sign, or a relief decayed to 1e-11
// weeks after it), and it matches any other such value. A 100-patient population (seed 1) must give the CLI's
// response and remission rates exactly. Prints a JSON report; exits 1 on a mismatch.
import { readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadEngine } from './wasm-engine.mjs';

const [wasmPath, bin, work] = process.argv.slice(2);
if (!work) { console.error('usage: node agree.mjs <wasm> <synsim> <work dir>'); process.exit(2); }
mkdirSync(work, { recursive: true });

const call = loadEngine(wasmPath);

const close = (a, b, scale) => {
  if (a === b) return true;
  const x = Number(a), y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  if (Math.max(Math.abs(x), Math.abs(y)) <= 1e-10 * scale) return true;
  // One unit in the last printed digit, the CSV's printing precision.
  const unit = (t) => {
    const [mant, exp] = String(t).toLowerCase().split('e');
    const dot = mant.indexOf('.');
    const decimals = dot < 0 ? 0 : mant.length - dot - 1;
    return Math.pow(10, (exp ? Number(exp) : 0) - decimals);
  };
  return Math.abs(x - y) <= 1.01 * Math.max(unit(a), unit(b));
};

const report = { scenarios: {}, population: null, failed: 0 };
const cat = call('catalog', {});
for (const s of cat.scenarios) {
  const out = join(work, s.id);
  execFileSync(bin, ['run', s.id, '--out', out, '--no-plot'], { stdio: 'ignore' });
  const cli = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
  const lab = call('csv', { scenario: s.id }).csv.trim().split('\n');
  let cells = 0, identical = 0, bad = null;
  if (cli[0] !== lab[0] || cli.length !== lab.length) bad = { header: cli[0] === lab[0], rows: [cli.length, lab.length] };
  // Largest magnitude of each column (the CLI's, at least 1): the scale of roundoff.
  const scale = cli[0].split(',').map(() => 1);
  for (let i = 1; i < cli.length; i++) {
    cli[i].split(',').forEach((v, j) => { const x = Math.abs(Number(v)); if (Number.isFinite(x)) scale[j] = Math.max(scale[j], x); });
  }
  for (let i = 1; !bad && i < cli.length; i++) {
    const a = cli[i].split(','), b = lab[i].split(',');
    for (let j = 0; j < a.length; j++) {
      cells++;
      if (a[j] === b[j]) identical++;
      else if (!close(a[j], b[j], scale[j])) { bad = { row: i, column: cli[0].split(',')[j], cli: a[j], lab: b[j] }; break; }
    }
  }
  report.scenarios[s.id] = { rows: cli.length - 1, cells, identical_text: identical, mismatch: bad };
  if (bad) report.failed++;
}

const pop = call('population', { scenario: 'ketamine-iv-single', patients: 100, seed: 1 });
const pout = join(work, 'population');
execFileSync(bin, ['population', 'ketamine-iv-single', '--patients', '100', '--seed', '1', '--out', pout, '--no-plot', '--quiet'], { stdio: 'ignore' });
const cliRates = JSON.parse(readFileSync(join(pout, 'summary.json'), 'utf8')).rates;
const labRates = pop.summary.rates;
const diff = Object.keys(cliRates).filter((k) => JSON.stringify(cliRates[k]) !== JSON.stringify(labRates[k]));
report.population = { rates: Object.keys(cliRates).length, differing: diff, response_24h: labRates.response_24h };
if (diff.length) report.failed++;

// What a population costs in the browser's engine (one thread): reported,
// not asserted (speed is measured by the criterion benches).
const times = [];
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const big = call('population', { scenario: 'ketamine-iv-serial', patients: 500, seed: 1 });
  times.push(performance.now() - t0);
  if (!big.summary) { report.failed++; break; }
}
times.sort((a, b) => a - b);
report.population_500_serial_ms = { median: Math.round(times[1]), all: times.map(Math.round) };

console.log(JSON.stringify(report, null, 2));
process.exit(report.failed ? 1 : 0);
