// Two builds of the lab's engine offer the same page: the same `catalog` (every
// parameter with its default, range and description, every scenario with its regimen,
// every drug and column, the version and the disclaimer).
//
//   node same-catalog.mjs <engine.wasm> <reference engine.wasm>
//
// .ci/lab runs it on the engine inside docs/lab/synsim-lab.html against a fresh build:
// the engines' bytes differ between Rust versions and machines, their catalogs must not.
// Prints the first few differences; exits 1 if there is any.
import { loadEngine } from './wasm-engine.mjs';

const [a, b] = process.argv.slice(2);
if (!b) { console.error('usage: node same-catalog.mjs <engine.wasm> <reference engine.wasm>'); process.exit(2); }
const [got, want] = [a, b].map((p) => loadEngine(p)('catalog', {}));
if (!want.ok) { console.error(`error: ${b}: catalog failed: ${JSON.stringify(want.error)}`); process.exit(1); }

// Paths where the two JSON values differ, as "scenarios[3].set" and the like.
function differences(x, y, path, out) {
  if (out.length >= 5) return out;
  const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(x) !== kind(y)) out.push(`${path || 'catalog'}: ${JSON.stringify(x)?.slice(0, 80)} vs ${JSON.stringify(y)?.slice(0, 80)}`);
  else if (kind(x) === 'array') {
    if (x.length !== y.length) out.push(`${path}: ${x.length} entries vs ${y.length}`);
    for (let i = 0; i < Math.min(x.length, y.length); i++) differences(x[i], y[i], `${path}[${i}]`, out);
  } else if (kind(x) === 'object') {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      // Name the entry (a parameter, a scenario) rather than its index where one can.
      const label = y.name ?? y.id;
      differences(x[k], y[k], `${path}${label !== undefined && path ? `(${label})` : ''}.${k}`.replace(/^\./, ''), out);
    }
  } else if (x !== y) out.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  return out;
}
const diff = differences(got, want, '', []);
if (diff.length) {
  console.error(`${a} and ${b} offer different catalogs (first differences, this engine vs the reference):`);
  for (const d of diff) console.error('  ' + d);
  process.exit(1);
}
console.error(`same catalog: ${want.parameters.length} parameters, ${want.scenarios.length} scenarios, ${want.columns.length} columns`);
