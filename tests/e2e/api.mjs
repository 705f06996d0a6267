// `synsim serve`'s API under bad input: a bounded, seeded fuzz.
//
//   node api.mjs http://127.0.0.1:PORT/
//
// Every answer must be JSON with the right status (200 for good requests,
// 4xx with the command line's wording for bad ones), nothing outside the
// embedded page may be served, and the server must still answer at the end.
import net from 'node:net';

const base = process.argv[2];
if (!base) { console.error('usage: node api.mjs <server URL>'); process.exit(2); }
const u = new URL(base);
let failed = 0;
const report = { checks: {}, fuzz: 0 };
const check = (name, ok, detail) => { report.checks[name] = ok ? true : { ok, detail }; if (!ok) failed++; };

async function post(method, body) {
  const r = await fetch(new URL('api/' + method, base), { method: 'POST', body });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// Raw bytes, for requests fetch will not send.
function raw(text) {
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname, () => s.end(text));
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    s.setTimeout(15000, () => s.destroy());
  });
}

const ok = await post('run', JSON.stringify({ scenario: 'ketamine-iv-single' }));
check('a good run answers 200', ok.status === 200 && ok.json.ok === true, ok.status);
const typo = await post('run', JSON.stringify({ scenario: 'ketamine-iv-single', set: { 'synapse.max_densty': 1.2 } }));
check('unknown parameter: 400 with did you mean', typo.status === 400 && /did you mean/i.test(typo.json.error.message), typo.json);
const range = await post('run', JSON.stringify({ scenario: 'placebo', set: { 'synapse.max_density': 99 } }));
check('out of range: 400 naming the range', range.status === 400 && /range/.test(range.json.error.message), range.json);
const nota = await post('regimen', JSON.stringify({ text: 'ketamine 0.5 mg/kg iv over 40 min' }));
check('bad notation: 400 pointing at the word', nota.status === 400 && /\^/.test(nota.json.error.message), nota.json);
const big = await post('population', JSON.stringify({ scenario: 'placebo', patients: 1e6 }));
check('population size is bounded', big.status === 400, big.json);
const huge = await raw('POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n{}');
check('request bodies are bounded (413)', /^HTTP\/1.1 413/.test(huge), huge.slice(0, 60));
for (const p of ['/../Cargo.toml', '/%2e%2e/Cargo.toml', '/etc/passwd', '/api/../../Cargo.toml']) {
  const r = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`);
  check('no file access: ' + p, /^HTTP\/1.1 (404|400|405)/.test(r), r.slice(0, 40));
}
const file = await post('run', JSON.stringify({ scenario: '/etc/passwd' }));
check('scenario paths are not read', file.status === 400 && /unknown scenario/.test(file.json.error.message), file.json);

// Seeded fuzz over request bodies.
let x = 0x2545f4914f6cdd1dn;
const next = () => { x ^= x << 13n; x &= (1n << 64n) - 1n; x ^= x >> 7n; x ^= x << 17n; x &= (1n << 64n) - 1n; return Number(x % 1000003n); };
const parts = ['{', '}', '"scenario":', '"placebo"', '"ketamine-iv-single"', ',', '"set":', '{"pk.ketamine.cl_l_per_h":', '1e309', '-5', 'true',
  '"regimen":', '"ketamine 0.5 mg/kg iv every 0 d x 2"', '"days":', '0.01', '"patients":', '2', '[', ']', 'null', '"\\u0000"', '"occupancy":'];
const methods = ['run', 'csv', 'regimen', 'circuit', 'catalog', 'population', 'nope'];
for (let i = 0; i < 150; i++) {
  const body = Array.from({ length: next() % 10 }, () => parts[next() % parts.length]).join('');
  const m = methods[next() % methods.length];
  const r = await post(m, body);
  report.fuzz++;
  if (!r.json || (r.status !== 200 && !(r.status >= 400 && r.status < 600 && r.json.ok === false))) {
    check('fuzz answer is JSON with a status: ' + m + ' ' + body, false, r.status);
    break;
  }
}
const still = await post('catalog', '{}');
check('still answering after the fuzz', still.status === 200, still.status);
report.failed = failed;
console.log(JSON.stringify(report, null, 2));
process.exit(failed ? 1 : 0);
