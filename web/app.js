/* synsim lab: the page.
 *
 * URL hash (the whole view; "Copy link" writes it, loading a page with it restores it):
 *   #s=<scenario id>                 built-in scenario (catalog.scenarios[].id)
 *   &r=<regimen notation>            replaces the scenario's regimen (URI-encoded text)
 *   &set.<parameter>=<value>         one per changed registry parameter; switches are true/false
 *   &days=<d>                        simulated days after the first dose
 *   &x=log|lin                       time axis
 *   &m=patient|population|circuit    view
 *   &n=<patients>&seed=<seed>        population size (50-2000) and seed
 *   &arm2=placebo                    population beside its placebo arm (the same sessions, no drug)
 *   &occ=<0-0.95>                    pyramidal NMDA block shown in the millisecond view
 *   &proj=1                          projector mode
 * Lesson links ("try this") add:
 *   &pin=base                        first pin the scenario's own run as a ghost, then apply the changes
 *   &try=<text>                      a "Try this" card above the plots
 * e.g. #s=ketamine-iv-single&pin=base&set.mechanisms.synaptogenesis=false&try=Which%20part%20of%20the%20drop%20survives%3F
 * Unknown keys are ignored; every key is optional (default scenario: ketamine-iv-single, with its own settings).
 *
 * Debug/test hook: window.synsimLab (see the end of this file).
 */
(function () {
  'use strict';
  var C = window.SynsimCharts, K = window.SynsimControls, OI = C.OI;
  var $ = function (id) { return document.getElementById(id); };

  // quick controls reference registry names only; unit, range and default come from the catalog
  var THEORIES = [['mechanisms.disinhibition', 'Disinhibition: NMDA block on interneurons releases a glutamate surge'],
    ['mechanisms.synaptogenesis', 'Synaptogenesis: mTOR-driven synaptic proteins build new spines']];
  var PATIENT = [['patient.synapse_deficit', 'Severity (synapses lost)'], ['synapse.formation_gain', 'Plasticity (spine formation)'],
    ['receptor.interneuron_sensitivity', 'Receptor sensitivity (interneurons)'], ['patient.weight_kg', 'Body weight'],
    ['patient.depressed', 'Depressed baseline (off: a healthy person)']];
  var STAGE_NAMES = { patient: 'Patient', mechanisms: 'Theories (mechanisms)', pk: 'Pharmacokinetics (pk)', receptor: 'Receptors', circuit: 'Fast E/I circuit',
    signalling: 'BDNF/mTOR signalling', ssri: 'Serotonin and SSRI', synapse: 'Synapses', symptom: 'Symptom score', solver: 'Numerics (solver)', time: 'Time' };
  function stageName(s) { return STAGE_NAMES[s] || s; }
  var STAGE_ORDER = ['patient', 'mechanisms', 'pk', 'receptor', 'circuit', 'signalling', 'ssri', 'synapse', 'symptom', 'solver'];

  var engine = null, cat = null, defs = {}, colInfo = {};
  var st = null;                // the state (see the hash format above)
  var current = null, currentReq = null, pins = [], undoStack = [], lastUndoPush = 0;
  var panels = [], popPanels = [], circuitPlot = null, lastCircuit = null, population = null, placeboPop = null;
  var cursorT = null, rows = {}, hook = null;

  // ---------- state ----------
  function scen(id) { return cat.scenarios.filter(function (s) { return s.id === (id || st.scenario); })[0] || cat.scenarios[0]; }
  function defaultFor(name) { var s = scen(); return s.set && name in s.set ? +s.set[name] : defs[name].default; }
  function freshState(id) {
    var s = scen.call(null, id) || cat.scenarios[0];
    return { scenario: s.id, regimen: null, set: {}, days: null, log: !!s.log_time, mode: st ? st.mode : 'patient',
      n: st ? st.n : 200, seed: st ? st.seed : 1, arm2: st ? st.arm2 : false, proj: st ? st.proj : false, occ: null, tryText: st ? st.tryText : null };
  }
  function valueOf(name) { return name in st.set ? st.set[name] : defaultFor(name); }
  function regimenText() { return st.regimen != null ? st.regimen : (scen().regimen || ''); }
  function request() {
    var s = scen(), r = { scenario: st.scenario };
    if (st.regimen != null && st.regimen.trim() !== (s.regimen || '')) r.regimen = st.regimen.trim();
    var names = Object.keys(st.set);
    if (names.length) { r.set = {}; names.forEach(function (n) { r.set[n] = defs[n].kind === 'switch' ? !!st.set[n] : st.set[n]; }); }
    if (st.days != null && st.days !== s.days) r.days = st.days;
    return r;
  }
  function toHash() {
    var p = ['s=' + encodeURIComponent(st.scenario)];
    if (st.regimen != null && st.regimen.trim() !== (scen().regimen || '')) p.push('r=' + encodeURIComponent(st.regimen));
    Object.keys(st.set).sort().forEach(function (n) { p.push('set.' + n + '=' + (defs[n].kind === 'switch' ? String(!!st.set[n]) : st.set[n])); });
    if (st.days != null) p.push('days=' + st.days);
    p.push('x=' + (st.log ? 'log' : 'lin'));
    if (st.mode !== 'patient') p.push('m=' + st.mode);
    if (st.n !== 200) p.push('n=' + st.n);
    if (st.seed !== 1) p.push('seed=' + st.seed);
    if (st.arm2) p.push('arm2=placebo');
    if (st.occ != null) p.push('occ=' + st.occ);
    if (st.proj) p.push('proj=1');
    if (st.tryText) p.push('try=' + encodeURIComponent(st.tryText));
    return p.join('&');
  }
  function fromHash(hash) {
    var kv = {}, sets = {};
    String(hash || '').replace(/^#/, '').split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('='), k = i < 0 ? part : part.slice(0, i), v = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
      if (k.indexOf('set.') === 0) sets[k.slice(4)] = v; else kv[k] = v;
    });
    var first = cat.scenarios.some(function (x) { return x.id === 'ketamine-iv-single'; }) ? 'ketamine-iv-single' : cat.scenarios[0].id;
    var s = freshState(kv.s && cat.scenarios.some(function (x) { return x.id === kv.s; }) ? kv.s : first);
    if (kv.r != null) s.regimen = kv.r;
    Object.keys(sets).forEach(function (n) {
      var d = defs[n]; if (!d) return;
      var v = d.kind === 'switch' ? (sets[n] === 'true' || sets[n] === '1' ? 1 : 0) : parseFloat(sets[n]);
      if (isFinite(v)) s.set[n] = v;
    });
    if (kv.days && isFinite(+kv.days)) s.days = +kv.days;
    if (kv.x) s.log = kv.x === 'log';
    if (/^(patient|population|circuit)$/.test(kv.m)) s.mode = kv.m;
    if (kv.n && isFinite(+kv.n)) s.n = Math.max(50, Math.min(2000, Math.round(+kv.n)));
    if (kv.seed && isFinite(+kv.seed)) s.seed = Math.round(+kv.seed);
    s.arm2 = kv.arm2 === 'placebo';
    if (kv.occ && isFinite(+kv.occ)) s.occ = Math.max(0, Math.min(0.95, +kv.occ));
    s.proj = kv.proj === '1';
    s.tryText = kv['try'] || null;
    return { state: s, pinBase: kv.pin === 'base' };
  }
  function writeHash() { try { history.replaceState(null, '', '#' + toHash()); } catch (e) { location.hash = toHash(); } }

  // every user change goes through here: undo point, hash, controls, re-run
  function change(mutate, how) {
    var now = performance.now();
    if (how !== 'drag' || now - lastUndoPush > 1000) { undoStack.push(JSON.stringify(st)); if (undoStack.length > 50) undoStack.shift(); }
    lastUndoPush = now;
    var before = st.proj;
    mutate(st);
    for (var n in st.set) if (st.set[n] === defaultFor(n)) delete st.set[n];
    if (st.proj !== before) applyProjector();
    hook.inputAt = now;
    afterChange();
  }
  function afterChange() { writeHash(); syncUI(); schedule(); schedulePopulation(); scheduleCircuit(); }

  // ---------- running: at most one run per animation frame; drop intermediate values ----------
  var pending = false, busy = false, raf = 0;
  function schedule() { pending = true; if (!raf) raf = requestAnimationFrame(frame); }
  function frame() {
    raf = 0;
    if (!pending) return;
    if (busy) { raf = requestAnimationFrame(frame); return; }
    pending = false; busy = true;
    var req = request(), t0 = performance.now(), inputAt = hook.inputAt;
    var slow = setTimeout(function () { status('Running\u2026', 'busy'); }, 150);
    engine.call('run', req).then(function (res) {
      clearTimeout(slow); busy = false;
      onRun(req, res, t0, inputAt);
      if (pending && !raf) raf = requestAnimationFrame(frame);
    }, function (e) { clearTimeout(slow); busy = false; showError('run', String(e && e.message || e)); });
  }
  function onRun(req, res, t0, inputAt) {
    hook.request = req;
    if (!res.ok) { showError(res.error.kind, res.error.message); status('The engine could not run this: see the message in the controls.', 'error'); return; }
    showError(null);
    current = res; currentReq = req;
    var t1 = performance.now();
    drawPanels();
    updateCards(); updateSentence(); updateWarnings();
    $('command').textContent = res.command || '';
    $('regimen-desc').textContent = res.doses.length + ' dose' + (res.doses.length === 1 ? '' : 's') + (res.regimen ? ' \u00b7 ' + res.regimen : '');
    updateCursor(cursorT);
    var t2 = performance.now();
    status('Ready \u00b7 ' + engine.kind + ' engine \u00b7 run ' + Math.round(t1 - t0) + ' ms, draw ' + Math.round(t2 - t1) + ' ms', 'idle');
    var s = res.series, sc = s.symptom_score, sum = 0, mn = Infinity;
    for (var i = 0; i < sc.length; i++) { sum += sc[i]; if (sc[i] < mn) mn = sc[i]; }
    var plasmaCol = res.columns.filter(function (c) { return /^plasma_/.test(c); })[0];
    hook.response = { title: res.title, regimen: res.regimen, columns: res.columns.length, doses: res.doses.length, warnings: res.warnings.slice(), command: res.command };
    hook.series = { length: s.time_h.length, peakPlasma: plasmaCol ? Math.max.apply(null, s[plasmaCol]) : 0, plasmaColumn: plasmaCol || null,
      minScore: mn, scoreSum: sum, peakOccupancy: res.summary.peak_nmda_occupancy ? res.summary.peak_nmda_occupancy.value : 0 };
    hook.renderCount++;
    if (inputAt != null) { hook.latencies.push(t2 - inputAt); hook.inputAt = null; }
    hook.ready = true;
  }

  function status(text, kind) { var s = $('status'); s.className = 'status ' + (kind || ''); $('status-text').textContent = text; }
  function showError(kind, msg) {
    var box = $('regimen-error');
    if (!kind) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false; box.textContent = (kind === 'run' ? 'The model could not finish this run:\n' : '') + msg;
    hook.errors.push(msg);
  }

  // ---------- the six linked panels ----------
  function label(col) { return (colInfo[col] && colInfo[col].label) || col.replace(/_/g, ' '); }
  function unitOf(col) { return colInfo[col] ? colInfo[col].unit : ''; }
  function S(col, color, extra) { return Object.assign({ col: col, color: color, label: label(col), unit: unitOf(col) }, extra || {}); }
  function panelSpecs() {
    return [
      { id: 'pk', title: '1 \u00b7 Dose and plasma', y: { label: 'plasma (ng/mL)', range: [0, null] }, y2: { label: 'dose rate (mg/h)' },
        series: [S('dose_rate_mg_per_h', OI.orange, { axis: 'y2', width: 1, fill: 'rgba(230,159,0,0.22)', step: true }),
          S('plasma_ketamine_ng_ml', OI.blue), S('plasma_esketamine_ng_ml', OI.blue), S('plasma_escitalopram_ng_ml', OI.blue),
          S('plasma_norketamine_ng_ml', OI.sky), S('plasma_hnk_ng_ml', OI.purple)] },
      { id: 'receptor', title: '2 \u00b7 NMDA receptor block', y: { label: 'blocked (%)', range: [0, 1], pct: true },
        series: [S('nmda_occupancy', OI.blue), S('nmda_occupancy_interneuron', OI.red), S('dissociation', OI.purple), S('sert_occupancy', OI.green)] },
      { id: 'circuit', title: '3 \u00b7 Glutamate, GABA and E/I activity', y: { label: '\u00d7 healthy' }, y2: { label: 'activity (rate)' },
        series: [S('glutamate_rel', OI.red), S('gaba_rel', OI.blue), S('exc_activity', OI.orange, { axis: 'y2', width: 1.5 }), S('inh_activity', OI.sky, { axis: 'y2', width: 1.5 })],
        refs: function (ref) { return ref.baseline_gaba != null ? [] : []; } },
      { id: 'signalling', title: '4 \u00b7 BDNF and mTOR', y: { label: '\u00d7 healthy' },
        series: [S('bdnf_rel', OI.green), S('mtor_rel', OI.orange), S('serotonin_rel', OI.purple, { onlyIfMoving: true })],
        refs: function () { return [{ y: 1, label: 'healthy', color: '#444', dash: [3, 3] }]; } },
      { id: 'synapse', title: '5 \u00b7 Synapse density', y: { label: '\u00d7 healthy' },
        series: [S('synapse_density_rel', OI.green, { width: 2.5 })],
        refs: function (ref) { return [{ y: ref.healthy_synapse != null ? ref.healthy_synapse : 1, label: 'healthy', color: '#444', dash: [3, 3] }]; } },
      { id: 'score', title: '6 \u00b7 Depression score (illustrative)', y: { label: 'score (points)', range: [0, null] },
        series: [S('symptom_score', OI.black, { width: 2.5 })],
        refs: function (ref) {
          var out = [];
          if (ref.response_score != null) out.push({ y: ref.response_score, label: 'response \u2264 ' + C.fmtVal(ref.response_score), color: OI.orange });
          if (ref.remission_score != null) out.push({ y: ref.remission_score, label: 'remission \u2264 ' + C.fmtVal(ref.remission_score), color: OI.green });
          if (ref.healthy_score != null) out.push({ y: ref.healthy_score, label: 'healthy floor ' + C.fmtVal(ref.healthy_score), color: '#444', dash: [2, 3], below: true });
          return out;
        } },
    ];
  }
  function look() {
    var proj = st.proj, small = window.innerWidth < 800;
    return { name: (proj ? 'proj' : 'std') + (small ? 's' : ''), font: proj ? 17 : 12, lw: proj ? 1.9 : 1, h: proj ? 270 : small ? 170 : 185, tickPx: proj ? 95 : 62 };
  }
  function buildPanels() {
    var host = $('panels'); host.innerHTML = '';
    var lk = look();
    hook.panels = panels = panelSpecs().map(function (spec) {
      var p = new C.Panel(host, spec, lk);
      p.onCursor = function (t) { updateCursor(t); };
      return p;
    });
  }
  function view(t) { return { log: st.log, xr: C.xRange(st.log, t) }; }
  function drawPanels() {
    if (!current) return;
    var v = view(current.series.time_h);
    panels.forEach(function (p) { p.setData(current, pins, v); });
    hook.ghostSeries = pins.length ? panels.reduce(function (a, p) { return a + (p.pinCols || []).reduce(function (b, pc) { return b + pc.cols.length; }, 0); }, 0) : 0;
  }

  // ---------- cursor, legends and readout ----------
  var cursorRaf = 0, cursorWanted = null;
  function updateCursor(t) {
    cursorWanted = t;
    if (cursorRaf) return;
    cursorRaf = requestAnimationFrame(function () { cursorRaf = 0; paintCursor(cursorWanted); });
  }
  function paintCursor(t) {
    if (!current) return;
    if (t == null) { var sb = current.summary.best_score; t = sb ? sb.time_h : 0; }
    cursorT = t;
    var lastPin = pins.length ? pins[pins.length - 1].run : null;
    panels.forEach(function (p) { p.updateLegend(t, pins); });
    $('cursor-time').textContent = C.fmtTime(t) + (t >= 0 ? ' after the first dose' : ' (before the first dose)');
    $('readout-time').textContent = C.fmtTime(t);
    var xr = C.xRange(st.log, current.series.time_h), f = st.log ? C.fwdLog : function (x) { return x; };
    if (document.activeElement !== $('cursor')) $('cursor').value = Math.round(1000 * (f(t) - f(xr[0])) / (f(xr[1]) - f(xr[0])));
    $('cursor').setAttribute('aria-valuetext', C.fmtTime(t));
    $('readout-pin-h').textContent = lastPin ? 'pin ' + pins.length : '';
    var byStage = {};
    current.columns.forEach(function (col) {
      if (col === 'time_h') return;
      var stg = colInfo[col] ? colInfo[col].stage : 'other';
      (byStage[stg] = byStage[stg] || []).push(col);
    });
    var order = ['pk', 'receptor', 'circuit', 'signalling', 'ssri', 'synapse', 'symptom'];
    var html = Object.keys(byStage).sort(function (a, b) { return (order.indexOf(a) + 99) % 99 - (order.indexOf(b) + 99) % 99; }).map(function (stg) {
      return '<table class="readout"><thead><tr><th scope="col">' + K.esc(stageName(stg)) + '</th><th scope="col">now</th>' + (lastPin ? '<th scope="col">pin ' + pins.length + '</th>' : '') + '</tr></thead><tbody>' +
        byStage[stg].map(function (col) {
          var u = unitOf(col);
          return '<tr><td>' + K.esc(label(col)) + '</td><td>' + C.fmtVal(C.valueAt(current, col, t), u) + '</td>' +
            (lastPin ? '<td>' + (lastPin.series[col] ? C.fmtVal(C.valueAt(lastPin, col, t), u) : '\u2013') + '</td>' : '') + '</tr>';
        }).join('') + '</tbody></table>';
    }).join('');
    $('readout').innerHTML = html;
    hook.cursorTime = t;
  }
  function cursorFromSlider() {
    if (!current) return;
    var xr = C.xRange(st.log, current.series.time_h), x = +$('cursor').value / 1000;
    var t = st.log ? C.bwdLog(C.fwdLog(xr[0]) + x * (C.fwdLog(xr[1]) - C.fwdLog(xr[0]))) : xr[0] + x * (xr[1] - xr[0]);
    panels.forEach(function (p) { p.setCursorTime(t); });
    updateCursor(t);
  }

  // ---------- summary cards, sentence, warnings ----------
  function mainDrug(res) { var d = res.doses.filter(function (x) { return x.drug !== 'placebo'; })[0]; return d ? d.drug : null; }
  var CARDS = [
    { k: 'Peak plasma', get: function (r) { var d = mainDrug(r), p = r.summary.peak_plasma_ng_ml; return d && p && p[d] ? p[d].value : null; }, f: function (v) { return C.fmtVal(v, 'ng/mL'); } },
    { k: 'Peak NMDA block, pyramidal', get: function (r) { return g(r, 'peak_nmda_occupancy'); }, f: pct },
    { k: 'Peak block, interneurons', get: function (r) { return g(r, 'peak_nmda_occupancy_interneuron'); }, f: pct },
    { k: 'Glutamate surge', get: function (r) { var v = g(r, 'peak_glutamate_vs_baseline'); return v == null ? null : v - 1; }, f: function (v) { return '+' + Math.round(v * 100) + ' %'; } },
    { k: 'Peak dissociation', get: function (r) { return g(r, 'peak_dissociation'); }, f: pct, lower: true },
    { k: 'Score at 24 h', get: function (r) { return r.summary.score_at ? r.summary.score_at['24h'] : null; }, f: function (v) { return v.toFixed(1); }, lower: true },
    { k: 'Best score', get: function (r) { return g(r, 'best_score'); }, f: function (v) { return v.toFixed(1); }, lower: true },
    { k: 'Time to response', get: function (r) { return r.summary.time_to_response_h; }, f: C.fmtTime, none: 'no response', lower: true },
    { k: 'Response lasts', get: function (r) { return r.summary.response_duration_h; }, f: C.fmtTime, none: '\u2013' },
    { k: 'Relapse after last dose', get: function (r) { var v = r.summary.relapse_after_last_dose_d; return v == null ? null : v * 24; }, f: C.fmtTime, none: '\u2013' },
  ];
  function g(r, k) { var x = r.summary[k]; return x == null ? null : typeof x === 'number' ? x : x.value; }
  function pct(v) { return Math.round(v * 100) + ' %'; }
  function updateCards() {
    var pin = pins.length ? pins[pins.length - 1].run : null, html = '';
    CARDS.forEach(function (c) {
      var v = c.get(current), d = '';
      if (pin) {
        var pv = c.get(pin);
        if (v != null && pv != null) {
          var diff = v - pv, same = Math.abs(diff) < 1e-9 * Math.max(1, Math.abs(pv));
          var better = c.lower == null ? '' : same ? '' : (diff < 0) === !!c.lower ? 'better' : 'worse';
          d = '<div class="d ' + better + '">' + (same ? 'same as pin ' + pins.length : (diff > 0 ? '+' : '\u2212') + c.f(Math.abs(diff)).replace(/^\+/, '') + ' vs pin ' + pins.length) + '</div>';
        } else if (v != null || pv != null) d = '<div class="d">pin ' + pins.length + ': ' + (pv == null ? (c.none || '\u2013') : c.f(pv)) + '</div>';
      }
      html += '<div class="card"><div class="k">' + c.k + '</div><div class="v">' + (v == null ? (c.none || '\u2013') : c.f(v)) + '</div>' + d + '</div>';
    });
    $('cards').innerHTML = html;
  }
  function sentence(res) {
    var s = res.summary, ref = res.reference, best = s.best_score || {};
    var txt = (res.regimen ? res.regimen : 'No treatment') + ': the score starts at ' + (+ref.baseline_score).toFixed(0) +
      ' and is lowest (' + (best.value != null ? best.value.toFixed(1) : '\u2013') + ') at ' + C.fmtTime(best.time_h || 0) + '. ';
    if (s.time_to_response_h != null) txt += 'Response (score \u2264 ' + C.fmtVal(ref.response_score) + ') from ' + C.fmtTime(s.time_to_response_h) +
      (s.response_duration_h != null ? ', lasting ' + C.fmtTime(s.response_duration_h) : '') + '.';
    else txt += 'No response: the score never reaches ' + C.fmtVal(ref.response_score) + ' or less.';
    return txt;
  }
  function updateSentence() { $('live').textContent = sentence(current); }
  function updateWarnings() {
    var w = current.warnings || [], box = $('warnings');
    box.hidden = !w.length;
    box.innerHTML = w.length ? '<ul>' + w.map(function (x) { return '<li>\u26a0 ' + K.esc(x) + '</li>'; }).join('') + '</ul>' : '';
  }

  // ---------- controls ----------
  function buildControls() {
    var sel = $('scenario');
    sel.innerHTML = cat.scenarios.map(function (s) { return '<option value="' + K.esc(s.id) + '">' + K.esc(s.title) + '</option>'; }).join('');
    sel.addEventListener('change', function () { var id = sel.value; change(function () { st = freshState(id); }); pins = []; renderPins(); });
    // registry-driven rows
    function row(name, lab, host) {
      var d = defs[name]; if (!d) return;
      var r = new K.ParamRow(d, { label: lab, onChange: onParam });
      host.appendChild(r.el); (rows[name] = rows[name] || []).push(r);
    }
    THEORIES.forEach(function (t) { row(t[0], t[1], $('theories')); });
    PATIENT.forEach(function (t) { row(t[0], t[1], $('patient')); });
    var groups = {};
    cat.parameters.forEach(function (d) { (groups[d.stage] = groups[d.stage] || []).push(d); });
    var order = STAGE_ORDER.filter(function (s) { return groups[s]; }).concat(Object.keys(groups).filter(function (s) { return STAGE_ORDER.indexOf(s) < 0; }));
    order.forEach(function (stage) {
      var det = K.el('details', { class: 'group', 'data-stage': stage });
      det.appendChild(K.el('summary', {}, K.esc(stageName(stage)) + ' <span class="out">(' + groups[stage].length + ')</span>'));
      groups[stage].forEach(function (d) { row(d.name, null, det); });
      $('param-groups').appendChild(det);
    });
    $('param-filter').addEventListener('input', function () {
      var q = this.value.trim().toLowerCase();
      document.querySelectorAll('#param-groups .prow').forEach(function (r) {
        var name = r.getAttribute('data-param'), hit = !q || name.indexOf(q) >= 0 || defs[name].description.toLowerCase().indexOf(q) >= 0;
        r.hidden = !hit;
      });
      document.querySelectorAll('#param-groups details').forEach(function (dd) { if (q) dd.open = !!dd.querySelector('.prow:not([hidden])'); });
    });
    // regimen builder
    $('b-drug').innerHTML = cat.drugs.map(function (d) { return '<option value="' + d.name + '">' + K.esc(d.label || d.name) + '</option>'; }).join('');
    ['b-drug', 'b-route', 'b-unit', 'b-sched', 'b-interval', 'b-count', 'b-maint', 'b-maint-every', 'b-maint-count', 'b-dose-num'].forEach(function (id) {
      $(id).addEventListener('change', function () { builderChanged(id); });
    });
    $('b-dose').addEventListener('input', function () { $('b-dose-num').value = $('b-dose').value; builderChanged('b-dose', 'drag'); });
    $('b-over').addEventListener('input', function () { builderChanged('b-over', 'drag'); });
    $('regimen').addEventListener('input', function () { var v = this.value; change(function (s) { s.regimen = v; }, 'drag'); });
    $('days').addEventListener('change', function () { var v = parseFloat(this.value); change(function (s) { s.days = isFinite(v) && v > 0 ? Math.min(365, v) : null; }); });
    $('x-log').addEventListener('change', function () { change(function (s) { s.log = true; }); });
    $('x-lin').addEventListener('change', function () { change(function (s) { s.log = false; }); });
    $('pin').addEventListener('click', pin);
    $('unpin').addEventListener('click', function () { pins = []; renderPins(); drawPanels(); updateCards(); updateCursor(cursorT); });
    $('undo').addEventListener('click', function () { if (!undoStack.length) return; var proj = st.proj; st = JSON.parse(undoStack.pop()); if (st.proj !== proj) applyProjector(); afterChange(); });
    $('reset').addEventListener('click', function () { change(function () { var keep = { mode: st.mode, proj: st.proj }; st = freshState(st.scenario); st.mode = keep.mode; st.proj = keep.proj; st.n = 200; st.seed = 1; st.tryText = null; }); pins = []; renderPins(); $('trythis').hidden = true; });
    $('cursor').addEventListener('input', cursorFromSlider);
    document.querySelectorAll('.modes button').forEach(function (b) { b.addEventListener('click', function () { var m = b.getAttribute('data-mode'); change(function (s) { s.mode = m; }); }); });
    $('projector').addEventListener('click', function () { change(function (s) { s.proj = !s.proj; }); });
    $('copy-link').addEventListener('click', copyLink); $('copy-link2').addEventListener('click', copyLink);
    $('copy-cmd').addEventListener('click', function () { copyText($('command').textContent, 'Command copied.'); });
    $('about-open').addEventListener('click', function () { $('about').showModal(); });
    $('dl-png').addEventListener('click', downloadPng); $('dl-svg').addEventListener('click', downloadSvg); $('dl-csv').addEventListener('click', downloadCsv);
    $('pop-n').addEventListener('input', function () { var v = +this.value; change(function (s) { s.n = v; }, 'drag'); });
    $('pop-seed').addEventListener('change', function () { var v = Math.round(+this.value) || 0; change(function (s) { s.seed = v; }); });
    $('pop-arm2').addEventListener('change', function () { var v = this.checked; change(function (s) { s.arm2 = v; }); popPanels = []; $('pop-panels').innerHTML = ''; });
    $('occ').addEventListener('input', function () { var v = +this.value; change(function (s) { s.occ = v; }, 'drag'); });
    $('occ-cursor').addEventListener('click', function () { if (current && cursorT != null) { var v = +C.valueAt(current, 'nmda_occupancy', cursorT).toFixed(3); change(function (s) { s.occ = Math.min(0.95, v); }); } });
    $('occ-peak').addEventListener('click', function () { change(function (s) { s.occ = null; }); });
    window.addEventListener('resize', function () { clearTimeout(window.__rz); window.__rz = setTimeout(relayout, 120); });
  }
  function onParam(name, value, how) {
    change(function (s) { if (value == null) delete s.set[name]; else s.set[name] = typeof value === 'boolean' ? (value ? 1 : 0) : value; }, how);
  }
  function builderState() {
    return { drug: $('b-drug').value, dose: +$('b-dose-num').value, unit: $('b-unit').value, route: $('b-route').value, over: +$('b-over').value,
      sched: $('b-sched').value, interval: +$('b-interval').value || 3.5, count: +$('b-count').value || 1, maint: $('b-maint').checked,
      maintEvery: +$('b-maint-every').value || 4, maintCount: +$('b-maint-count').value || 3 };
  }
  function builderChanged(id, how) {
    var b = builderState(), drug = cat.drugs.filter(function (d) { return d.name === b.drug; })[0];
    if (id === 'b-drug') {
      b.route = drug.routes[0]; b.unit = drug.dose_units[0] || null;
      var ui = K.DOSE_UI[b.drug] && K.DOSE_UI[b.drug][b.unit]; if (ui) b.dose = ui[3];
      if (b.drug === 'escitalopram') { b.sched = 'daily'; b.count = 56; } else if (b.route === 'iv') b.over = 40;
    }
    if (id === 'b-unit') { var u2 = K.DOSE_UI[b.drug] && K.DOSE_UI[b.drug][b.unit]; if (u2) b.dose = u2[3]; }
    var text = K.compose(b);
    change(function (s) { s.regimen = text; }, how);
  }
  function syncBuilder() {
    var text = regimenText(), p = K.parse(text);
    var note = $('regimen-desc');
    document.querySelectorAll('.box [id^=b-]').forEach(function (e) { e.disabled = !p; });
    if (!p) { note.dataset.custom = '1'; return; }
    var b = p.b, drug = cat.drugs.filter(function (d) { return d.name === b.drug; })[0] || cat.drugs[0];
    $('b-drug').value = b.drug;
    $('b-route').innerHTML = drug.routes.map(function (r) { return '<option>' + r + '</option>'; }).join('');
    $('b-route').value = b.route;
    $('b-unit').innerHTML = drug.dose_units.map(function (u) { return '<option>' + u + '</option>'; }).join('');
    var unit = b.unit || drug.dose_units[0]; if (unit) $('b-unit').value = unit;
    var ui = (K.DOSE_UI[b.drug] || {})[unit];
    $('b-dose-field').hidden = b.drug === 'placebo' || !ui;
    if (ui) {
      var r = $('b-dose'); r.min = ui[0]; r.max = Math.max(ui[1], b.dose || 0); r.step = ui[2];
      if (document.activeElement !== r) r.value = b.dose; if (document.activeElement !== $('b-dose-num')) $('b-dose-num').value = b.dose;
      $('b-dose-num').min = 0; $('b-dose-num').step = 'any';
      $('b-dose-out').textContent = '= ' + K.fmt(b.dose) + ' ' + unit;
    }
    $('b-over-field').hidden = b.route !== 'iv';
    if (document.activeElement !== $('b-over')) $('b-over').value = b.over;
    $('b-over-out').textContent = b.over > 0 ? '= ' + K.fmt(b.over) + ' min' : '= bolus';
    $('b-sched').value = b.sched;
    $('b-interval-field').hidden = b.sched !== 'every'; $('b-interval').value = b.interval;
    $('b-count-row').hidden = b.sched === 'once'; $('b-count').value = b.count;
    $('b-maint').checked = b.maint; $('b-maint-row').hidden = !b.maint || b.sched === 'once';
    $('b-maint-every').value = b.maintEvery; $('b-maint-count').value = b.maintCount;
  }
  function syncUI() {
    var s = scen();
    $('scenario').value = st.scenario;
    $('caption').textContent = s.caption || s.description || '';
    if (document.activeElement !== $('regimen')) $('regimen').value = regimenText();
    syncBuilder();
    Object.keys(rows).forEach(function (n) { rows[n].forEach(function (r) { r.show(valueOf(n), n in st.set); }); });
    var changed = Object.keys(st.set);
    $('changed-count').textContent = changed.length ? changed.length + ' changed' : '';
    $('changed').innerHTML = changed.length ? '<b>Changed from the scenario:</b><ul>' + changed.map(function (n) {
      return '<li><code>' + K.esc(n) + '</code> = ' + K.fmt(valueOf(n)) + ' ' + K.esc(defs[n].unit || '') + ' (default ' + K.fmt(defaultFor(n)) + ')</li>';
    }).join('') + '</ul>' : '<p class="hint">All parameters are at the scenario defaults.</p>';
    $('days').value = st.days != null ? st.days : s.days;
    $('x-log').checked = st.log; $('x-lin').checked = !st.log;
    document.querySelectorAll('.modes button').forEach(function (b) { b.setAttribute('aria-selected', String(b.getAttribute('data-mode') === st.mode)); });
    ['patient', 'population', 'circuit'].forEach(function (m) { $('view-' + m).hidden = st.mode !== m; });
    $('projector').setAttribute('aria-pressed', String(!!st.proj));
    $('pop-n').value = st.n; $('pop-n-out').textContent = '= ' + st.n; $('pop-seed').value = st.seed; $('pop-arm2').checked = !!st.arm2;
    $('pop-warn').hidden = st.n <= 500;
    $('undo').disabled = !undoStack.length;
    if (st.tryText) { $('trythis').hidden = false; $('trythis').innerHTML = '<h2>Try this</h2><p>' + K.esc(st.tryText) + '</p>'; }
    hook.state = JSON.parse(JSON.stringify(st));
  }
  function applyProjector() { document.body.classList.toggle('projector', !!st.proj); relayout(); }
  function relayout() {
    buildPanels(); drawPanels(); updateCursor(cursorT);
    popPanels = []; $('pop-panels').innerHTML = ''; if (population) drawPopulation(population, placeboPop);
    if (circuitPlot) { circuitPlot.destroy(); circuitPlot = null; } if (lastCircuit) drawCircuit(lastCircuit);
  }

  // ---------- compare ----------
  function pin() {
    if (!current) return;
    if (pins.length >= 3) pins.shift();
    pins.push({ run: current, req: currentReq, label: describe(currentReq) });
    renderPins(); drawPanels(); updateCards(); updateCursor(cursorT);
    hook.pins = pins.length;
  }
  function describe(req) {
    var parts = [req.regimen || scen(req.scenario).title];
    if (req.set) Object.keys(req.set).forEach(function (n) { parts.push(n + '=' + req.set[n]); });
    return parts.join(', ');
  }
  function renderPins() {
    $('pins').innerHTML = pins.map(function (p, k) {
      return '<li><i style="border-top-style:' + ['dashed', 'dotted', 'dashed'][k] + '"></i> pin ' + (k + 1) + ': ' + K.esc(p.label) + '</li>';
    }).join('');
    hook.pins = pins.length;
  }

  // ---------- population ----------
  var popTimer = 0;
  function schedulePopulation() {
    if (st.mode !== 'population') return;
    clearTimeout(popTimer);
    popTimer = setTimeout(runPopulation, 350);
  }
  function runPopulation() {
    var req = Object.assign(request(), { patients: st.n, seed: st.seed }), t0 = performance.now(), two = !!st.arm2;
    var box = $('pop-status');
    box.innerHTML = '';
    var what = two ? 'two arms of ' + st.n + ' patients' : st.n + ' patients';
    var spin = setTimeout(function () { box.innerHTML = '<span class="spinner" aria-hidden="true"></span> Simulating ' + what + '\u2026 <span id="pop-elapsed"></span>'; }, 150);
    var tick = setInterval(function () { var e = $('pop-elapsed'); if (e) e.textContent = ((performance.now() - t0) / 1000).toFixed(1) + ' s'; }, 200);
    hook.population = { status: 'running', patients: st.n, arms: two ? 2 : 1 };
    function fail(msg) { clearTimeout(spin); clearInterval(tick); box.textContent = 'Could not run the population: ' + msg; hook.population = { status: 'error', message: msg }; }
    // One engine call at a time (a newer call cancels the older): the
    // placebo arm runs after the treatment arm, with the same patients.
    engine.population(req).then(function (res) {
      if (!res.ok) { fail(res.error.message); return null; }
      if (!two) return [res, null];
      return engine.population(Object.assign({}, req, { arm: 'placebo' })).then(function (pl) {
        if (!pl.ok) { fail('placebo arm: ' + pl.error.message); return null; }
        return [res, pl];
      });
    }).then(function (both) {
      if (!both) return;
      clearTimeout(spin); clearInterval(tick);
      var res = both[0], pl = both[1];
      population = res; placeboPop = pl;
      box.textContent = (pl ? 'two arms of ' : '') + res.patients + ' patients, seed ' + res.seed + ' \u00b7 ' + ((performance.now() - t0) / 1000).toFixed(1) + ' s';
      drawPopulation(res, pl);
      $('command').textContent = (res.command || $('command').textContent) + (pl && pl.command ? '\n' + pl.command : '');
      hook.population = { status: 'done', patients: res.patients, seed: res.seed, rates: res.rates, arms: pl ? 2 : 1,
        placebo_rates: pl ? pl.rates : null, ms: performance.now() - t0 };
    }, function (e) {
      clearTimeout(spin); clearInterval(tick);
      if (e && e.cancelled) return;          // a newer request replaced this one
      box.textContent = 'Could not run the population: ' + (e && e.message || e);
    });
  }
  function drawPopulation(res, pl) {
    $('rates').innerHTML = res.rates.map(function (r, k) {
      var p = pl && pl.rates[k];
      return '<li><div class="k">' + K.esc(r.label) + '</div><div class="v">' + Math.round(r.rate * 100) + ' %</div><div class="ci">95 % CI ' +
        Math.round(r.lo * 100) + '\u2013' + Math.round(r.hi * 100) + ' %</div>' +
        (p ? '<div class="ci placebo">placebo arm ' + Math.round(p.rate * 100) + ' % (' + Math.round(p.lo * 100) + '\u2013' + Math.round(p.hi * 100) + ' %)</div>' : '') + '</li>';
    }).join('');
    var ref = current ? current.reference : {}, doses = current ? current.doses : [];
    function bandRun(key) {
      var b = res.bands[key], series = { time_h: res.time_h, p95: b.p95, p75: b.p75, p50: b.p50, p25: b.p25, p5: b.p5 };
      if (pl) series.pl50 = pl.bands[key].p50;
      return { series: series, doses: doses, reference: ref };
    }
    function bandSpec(id, title, ylab, color, fills, refs) {
      return { id: id, title: title, y: { label: ylab, range: [0, null] }, refs: refs,
        series: [{ col: 'p95', label: '90 % of patients', color: 'transparent', width: 0, unit: '', swatch: fills[0] }, { col: 'p75', label: '50 % of patients', color: 'transparent', width: 0, unit: '', swatch: fills[1] },
          { col: 'p50', label: pl ? 'median, treatment arm' : 'median', color: color, width: 2.5, unit: '' }, { col: 'p25', label: '', color: 'transparent', width: 0, unit: '' }, { col: 'p5', label: '', color: 'transparent', width: 0, unit: '' },
          { col: 'pl50', label: 'median, placebo arm (same sessions, no drug)', color: OI.blue, width: 2.5, unit: '', dash: [8, 5] }],
        bands: [{ series: [1, 5], fill: fills[0] }, { series: [2, 4], fill: fills[1] }] };
    }
    var specs = [
      [bandSpec('pop-score', 'Depression score: median, 50 % and 90 % of patients', 'score (points)', OI.black, ['rgba(0,0,0,0.10)', 'rgba(0,0,0,0.22)'], panelSpecs()[5].refs), bandRun('symptom_score')],
      [bandSpec('pop-syn', 'Synapse density: median, 50 % and 90 % of patients', '\u00d7 healthy', OI.green, ['rgba(0,158,115,0.14)', 'rgba(0,158,115,0.32)'], panelSpecs()[4].refs), bandRun('synapse_density_rel')],
      [{ id: 'pop-rate', title: 'Share of patients in response and remission', y: { label: 'patients (%)', range: [0, 1], pct: true },
        series: [{ col: 'response_rate', label: pl ? 'in response, treatment arm' : 'in response', color: OI.orange, unit: 'fraction' }, { col: 'remission_rate', label: pl ? 'in remission, treatment arm' : 'in remission', color: OI.green, unit: 'fraction' },
          { col: 'pl_response', label: 'in response, placebo arm', color: OI.blue, unit: 'fraction', dash: [8, 5] }] },
      { series: pl ? { time_h: res.time_h, response_rate: res.response_rate, remission_rate: res.remission_rate, pl_response: pl.response_rate }
        : { time_h: res.time_h, response_rate: res.response_rate, remission_rate: res.remission_rate }, doses: doses, reference: {} }],
    ];
    if (!popPanels.length) {
      var host = $('pop-panels'), lk = look();
      popPanels = specs.map(function (s) { var p = new C.Panel(host, s[0], lk); p.onCursor = function (t) { popPanels.forEach(function (q) { q.updateLegend(t, []); }); }; return p; });
    }
    popPanels.forEach(function (p, k) { p.spec.refs = specs[k][0].refs; p.setData(specs[k][1], [], view(res.time_h)); p.updateLegend(null, []); });
  }

  // ---------- millisecond circuit ----------
  var circTimer = 0;
  function scheduleCircuit() {
    if (st.mode !== 'circuit') return;
    if (circTimer) return;
    circTimer = requestAnimationFrame(function () {
      circTimer = 0;
      var occ = st.occ != null ? st.occ : current && current.summary.peak_nmda_occupancy ? Math.min(0.95, +current.summary.peak_nmda_occupancy.value.toFixed(3)) : 0.5;
      var req = { occupancy: occ }, r = request();
      if (r.set) req.set = r.set;
      engine.call('circuit', req).then(function (res) { if (res.ok) drawCircuit(res); else $('circuit-note').textContent = res.error.message; });
    });
  }
  function drawCircuit(res) {
    lastCircuit = res;
    $('occ').value = res.occupancy; $('occ-out').textContent = '= ' + Math.round(res.occupancy * 100) + ' % (interneurons ' + Math.round(res.interneuron_occupancy * 100) + ' %)';
    var fh = res.fixed_points.healthy, fb = res.fixed_points.blocked;
    $('circuit-note').textContent = 'A healthy brain\'s circuit (the run views start from a depressed one). Resting excitatory activity ' + fh[0].toFixed(3) + ' with no block \u2192 ' + fb[0].toFixed(3) + ' with this block (' +
      (fb[0] >= fh[0] ? '+' : '') + Math.round((fb[0] / fh[0] - 1) * 100) + ' %): blocking the interneurons more than the pyramidal cells releases excitation.';
    var lk = look(), el = $('circ-time');
    var data = uPlot.join([[res.healthy.t_ms, res.healthy.exc, res.healthy.inh], [res.blocked.t_ms, res.blocked.exc, res.blocked.inh]]);
    if (!circuitPlot) {
      var mk = function (lab, color, dash) { return { label: lab, stroke: color, width: 2 * lk.lw, dash: dash, spanGaps: true, points: { show: false } }; };
      var ax = { font: lk.font + 'px system-ui, sans-serif', labelFont: 'bold ' + lk.font + 'px system-ui, sans-serif', grid: { stroke: '#e3e3e3' } };
      circuitPlot = new uPlot({ width: Math.max(260, el.clientWidth || 400), height: lk.h + 40, legend: { show: false }, cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [Object.assign({ label: 'time (ms)', labelSize: lk.font * 1.6 }, ax), Object.assign({ label: 'activity (rate)', labelSize: lk.font * 1.5, size: lk.font * 3.6 }, ax)],
        series: [{}, mk('excitatory, no block', OI.blue), mk('inhibitory, no block', OI.blue, [6, 4]), mk('excitatory, blocked', OI.red), mk('inhibitory, blocked', OI.red, [6, 4])] }, [[]], el);
      $('circ-legend').innerHTML = '<span class="lg"><i style="border-color:' + OI.blue + '"></i>no block</span><span class="lg"><i style="border-color:' + OI.red + '"></i>blocked</span>' +
        '<span class="lg">solid: excitatory (pyramidal) \u00b7 dashed: inhibitory (interneurons)</span>';
    }
    circuitPlot.setData([data[0], data[1], data[2], data[3], data[4]]);
    drawPhase(res, lk);
  }
  function drawPhase(res, lk) {
    var cv = $('phase'), w = cv.clientWidth || 480, h = Math.round(w * 0.75), dpr = devicePixelRatio || 1;
    cv.width = w * dpr; cv.height = h * dpr; cv.style.height = h + 'px';
    var ctx = cv.getContext('2d'); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
    var L = 58, R = 12, T = 12, B = 44, fs = lk.font;
    var fb = res.fixed_points.blocked, fh = res.fixed_points.healthy;
    var emax = Math.min(1, Math.max(fb[0], fh[0]) * 2.2 + 0.02), imax = Math.min(1, Math.max(fb[1], fh[1]) * 2.2 + 0.02);
    var X = function (e) { return L + e / emax * (w - L - R); }, Y = function (i) { return h - B - i / imax * (h - T - B); };
    ctx.strokeStyle = '#999'; ctx.lineWidth = 1; ctx.strokeRect(L, T, w - L - R, h - T - B);
    ctx.fillStyle = '#222'; ctx.font = fs + 'px system-ui, sans-serif'; ctx.textAlign = 'center';
    for (var k = 0; k <= 4; k++) { ctx.fillText((emax * k / 4).toFixed(2), X(emax * k / 4), h - B + fs + 4); }
    ctx.fillText('excitatory activity E', (L + w - R) / 2, h - 6);
    ctx.textAlign = 'right';
    for (k = 0; k <= 4; k++) ctx.fillText((imax * k / 4).toFixed(2), L - 5, Y(imax * k / 4) + 4);
    ctx.save(); ctx.translate(14, (T + h - B) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText('inhibitory activity I', 0, 0); ctx.restore();
    ctx.save(); ctx.beginPath(); ctx.rect(L, T, w - L - R, h - T - B); ctx.clip();
    function line(pts, color, dash, width) {
      ctx.strokeStyle = color; ctx.setLineDash(dash || []); ctx.lineWidth = width * lk.lw; ctx.beginPath();
      pts.forEach(function (p, j) { if (j) ctx.lineTo(X(p[0]), Y(p[1])); else ctx.moveTo(X(p[0]), Y(p[1])); }); ctx.stroke(); ctx.setLineDash([]);
    }
    function traj(tr) { return tr.exc.map(function (e, j) { return [e, tr.inh[j]]; }); }
    line(res.nullclines.healthy.exc, OI.blue, [], 2); line(res.nullclines.healthy.inh, OI.blue, [6, 4], 2);
    line(res.nullclines.blocked.exc, OI.red, [], 2); line(res.nullclines.blocked.inh, OI.red, [6, 4], 2);
    line(traj(res.healthy), 'rgba(0,114,178,0.45)', [1, 3], 1.5); line(traj(res.blocked), 'rgba(213,94,0,0.45)', [1, 3], 1.5);
    [[fh, OI.blue], [fb, OI.red]].forEach(function (f) { ctx.fillStyle = f[1]; ctx.strokeStyle = '#000'; ctx.lineWidth = 1.5; ctx.beginPath(); ctx.arc(X(f[0][0]), Y(f[0][1]), 6 * lk.lw, 0, 7); ctx.fill(); ctx.stroke(); });
    ctx.restore();
    $('phase-legend').innerHTML = '<span class="lg"><i style="border-color:' + OI.blue + '"></i>no block</span><span class="lg"><i style="border-color:' + OI.red + '"></i>blocked</span>' +
      '<span class="lg">solid: E-nullcline \u00b7 dashed: I-nullcline \u00b7 dot: resting point \u00b7 dotted: path</span>';
    hook.circuit = { occupancy: res.occupancy, fixed: res.fixed_points };
  }

  // ---------- share and export ----------
  function copyText(text, msg) {
    var done = function () { $('share-msg').textContent = msg; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
    function fallback() {
      var ta = document.createElement('textarea'); ta.value = text; document.body.appendChild(ta); ta.select();
      try { document.execCommand('copy'); done(); } catch (e) { $('share-msg').textContent = text; }
      ta.remove();
    }
    hook.copied = text;
  }
  function copyLink() { writeHash(); copyText(location.href, 'Link copied: it opens exactly this view.'); }
  function save(blob, name) {
    var a = document.createElement('a'), url = URL.createObjectURL(blob);
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 4000);
    $('share-msg').textContent = 'Saved ' + name + '.';
    hook.lastDownload = { name: name, size: blob.size };
  }
  function figurePanels() { return st.mode === 'population' && popPanels.length ? popPanels : panels; }
  function figTitle() { return current ? current.title : 'synsim'; }
  function figSub() { return (current && current.regimen ? current.regimen + ' \u00b7 ' : '') + (current ? current.command : ''); }
  function downloadPng() {
    var cv = C.pngFigure(figurePanels(), figTitle(), figSub());
    cv.toBlob(function (b) { save(b, 'synsim-' + st.scenario + '.png'); }, 'image/png');
  }
  function downloadSvg() {
    var svg = C.svgFigure(figurePanels(), figTitle(), figSub(), { log: st.log });
    save(new Blob([svg], { type: 'image/svg+xml' }), 'synsim-' + st.scenario + '.svg');
  }
  function downloadCsv() {
    engine.call('csv', request()).then(function (res) {
      if (!res.ok) { showError(res.error.kind, res.error.message); return; }
      save(new Blob([res.csv], { type: 'text/csv' }), 'timeseries.csv');
    });
  }

  // ---------- start ----------
  hook = window.synsimLab = {
    ready: false, engineKind: null, catalog: null, state: null, request: null, response: null, series: null,
    renderCount: 0, latencies: [], inputAt: null, pins: 0, ghostSeries: 0, population: null, circuit: null, errors: [], cursorTime: null,
    hash: function () { return toHash(); },
    stats: function () {
      var a = hook.latencies.slice().sort(function (x, y) { return x - y; });
      var q = function (p) { return a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : null; };
      return { n: a.length, median_ms: q(0.5), p95_ms: q(0.95) };
    },
  };
  function start() {
    status('Starting the engine\u2026', 'busy');
    SynsimEngine.load().then(function (e) {
      engine = e; hook.engineKind = e.kind;
      return e.call('catalog', {});
    }).then(function (c) {
      if (!c.ok) throw new Error(c.error.message);
      cat = c;
      cat.parameters.concat(cat.regimen_knobs || []).forEach(function (d) { defs[d.name] = d; });
      cat.columns.forEach(function (col) { colInfo[col.name] = col; });
      hook.catalog = { version: c.version, parameters: c.parameters.length, scenarios: c.scenarios.length, columns: c.columns.length };
      if (c.disclaimer) $('disclaimer-more').textContent = c.disclaimer.replace(/^A teaching tool, never clinical advice\.\s*/, '');
      $('about-engine').textContent = 'Engine: synsim ' + c.version + ' (' + engine.kind + '), ' + c.parameters.length + ' parameters, ' + c.scenarios.length + ' scenarios.';
      var h = fromHash(location.hash);
      st = h.state;
      document.body.classList.toggle('projector', !!st.proj);
      buildControls(); buildPanels();
      window.addEventListener('hashchange', function () {
        if (location.hash.replace(/^#/, '') === toHash()) return;
        var h2 = fromHash(location.hash); undoStack.push(JSON.stringify(st)); st = h2.state; applyProjector(); afterChange();
      });
      if (h.pinBase) {
        var base = { scenario: st.scenario };
        return engine.call('run', base).then(function (res) { if (res.ok) { current = res; currentReq = base; pin(); } afterChange(); });
      }
      afterChange();
    }).catch(function (e) {
      status(String(e && e.message || e), 'error');
      hook.errors.push(String(e && e.message || e));
    });
  }
  start();
})();
