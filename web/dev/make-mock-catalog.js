// Dev only: builds web/dev/mock-catalog.js (the mock engine's catalog) from the real CLI,
// so the mock's parameter registry and scenarios match synsim's.
//   node web/dev/make-mock-catalog.js /work/main/target/release/synsim
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const bin = process.argv[2] || 'synsim';
const sh = (...a) => execFileSync(bin, a, { encoding: 'utf8' });

// parameters from the Markdown tables
const parameters = [];
let stage = null;
for (const line of sh('params', '--markdown').split('\n')) {
  const h = line.match(/^#### `([a-z_]+)\.\*`/);
  if (h) { stage = h[1]; continue; }
  const m = line.match(/^\| `([^`]+)` \| ([^|]*) \| ([^|]*) \| ([^|]*) \| ([^|]*) \| ([^|]*) \|$/);
  if (!m) continue;
  const [, name, def, unit, range, description, source] = m.map(s => s.trim());
  const sw = range === 'true or false';
  let min = 0, max = 1, d;
  if (sw) d = def === 'true' ? 1 : 0;
  else { const r = range.split(' to '); min = +r[0]; max = +r[1]; d = +def; }
  parameters.push({
    name, unit: unit === '-' ? '' : unit, default: d, min, max, description, source,
    illustrative: /^illustrative/i.test(source), stage: name.split('.')[0],
    kind: sw ? 'switch' : 'number', log_scale: !sw && min > 0 && max / min >= 100,
  });
}
const regimen_knobs = [
  { name: 'regimen.dose', unit: 'mg/kg or mg', default: 0.5, min: 0, max: 1000, description: 'dose of every dose in the regimen', source: 'scenario', illustrative: false, stage: 'regimen', kind: 'number', log_scale: false },
];

// scenarios from `list` (captions) and `list --long` (description, regimen, days)
const short = {};
let cur = null;
for (const line of sh('list').split('\n')) {
  const m = line.match(/^  (\S+)\s{2,}(.*)$/);
  if (m && !line.startsWith('   ')) { cur = m[1]; short[cur] = { title: m[2].trim(), caption: '' }; continue; }
  const t = line.match(/^\s{20,}(?:teaches: )?(.*)$/);
  if (cur && t) short[cur].caption = (short[cur].caption + ' ' + t[1]).trim();
  if (/^Run one/.test(line)) cur = null;
}
const long = {};
cur = null;
for (const line of sh('list', '--long').split('\n')) {
  const m = line.match(/^  (\S+)\s{2,}(.*)$/);
  if (m) { cur = m[1]; long[cur] = { desc: [], regimen: null, days: 28, inTry: false }; continue; }
  if (!cur) continue;
  const t = line.trim();
  if (!t) { cur = null; continue; }
  if (t.startsWith('regimen: ')) long[cur].regimen = t.slice(9);
  else if (/^runs /.test(t)) long[cur].days = +t.match(/runs (\d+)/)[1];
  else if (t.startsWith('try:')) long[cur].inTry = true;
  else if (!long[cur].inTry) long[cur].desc.push(t);
}
const scenarios = Object.keys(short).map(id => ({
  id, title: short[id].title, description: (long[id] ? long[id].desc.join(' ') : ''),
  regimen: long[id] ? long[id].regimen : null, days: long[id] ? long[id].days : 28,
  log_time: (long[id] ? long[id].days : 28) <= 28 && id !== 'healthy' && id !== 'placebo' ? true : false,
  caption: short[id].caption,
}));

const C = (name, label, unit, stage) => ({ name, label, unit, stage });
const columns = [
  C('time_h', 'time', 'h', 'time'),
  C('dose_rate_mg_per_h', 'dose rate', 'mg/h', 'pk'),
  C('plasma_ketamine_ng_ml', 'plasma ketamine', 'ng/mL', 'pk'),
  C('plasma_norketamine_ng_ml', 'plasma norketamine', 'ng/mL', 'pk'),
  C('plasma_esketamine_ng_ml', 'plasma esketamine', 'ng/mL', 'pk'),
  C('plasma_escitalopram_ng_ml', 'plasma escitalopram', 'ng/mL', 'pk'),
  C('nmda_occupancy', 'NMDA block, pyramidal cells', 'fraction', 'receptor'),
  C('nmda_occupancy_interneuron', 'NMDA block, interneurons', 'fraction', 'receptor'),
  C('sert_occupancy', 'SERT occupancy', 'fraction', 'receptor'),
  C('exc_activity', 'excitatory activity', 'rate', 'circuit'),
  C('inh_activity', 'inhibitory activity', 'rate', 'circuit'),
  C('glutamate_rel', 'glutamate', 'x healthy', 'circuit'),
  C('gaba_rel', 'GABA', 'x healthy', 'circuit'),
  C('bdnf_rel', 'BDNF', 'x healthy', 'signalling'),
  C('mtor_rel', 'mTOR activity', 'x healthy', 'signalling'),
  C('synapse_density_rel', 'synapse density', 'x healthy', 'synapse'),
  C('symptom_score', 'depression score', 'points', 'symptom'),
  C('dissociation', 'dissociation', '0-1', 'receptor'),
  C('synaptic_protein', 'synaptic protein', 'a.u.', 'signalling'),
  C('rapid_relief', 'rapid relief', 'share', 'symptom'),
  C('serotonin_rel', 'serotonin', 'x healthy', 'ssri'),
  C('autoreceptor_sensitivity', '5-HT1A autoreceptor sensitivity', 'x healthy', 'ssri'),
  C('expectancy', 'expectancy', 'share', 'symptom'),
  C('plasma_hnk_ng_ml', 'plasma HNK', 'ng/mL', 'pk'),
];
const drugs = [
  { name: 'ketamine', routes: ['iv', 'oral', 'nasal'], dose_units: ['mg/kg', 'mg'], label: 'Ketamine (racemic)' },
  { name: 'esketamine', routes: ['nasal', 'iv', 'oral'], dose_units: ['mg', 'mg/kg'], label: 'Esketamine (S-ketamine)' },
  { name: 'escitalopram', routes: ['oral'], dose_units: ['mg'], label: 'Escitalopram (SSRI)' },
  { name: 'placebo', routes: ['iv', 'nasal', 'oral'], dose_units: [], label: 'Placebo (saline)' },
];
const version = sh('--version').trim().split(' ')[1];
const catalog = {
  ok: true, version, parameters, regimen_knobs, scenarios, drugs, columns,
  disclaimer: 'A teaching tool, never clinical advice. The model is illustrative; it recommends no dose.',
};
const out = path.join(__dirname, 'mock-catalog.js');
fs.writeFileSync(out, '// Generated by make-mock-catalog.js from the synsim CLI (dev only).\n' +
  'window.SynsimMockCatalog = ' + JSON.stringify(catalog, null, 1) + ';\n');
console.log('wrote', out, parameters.length, 'parameters', scenarios.length, 'scenarios');
