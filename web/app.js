/* synsim lab: the page.
 *
 * URL hash (the whole view; "Copy link" writes it, loading a page with it restores it):
 *   #s=<scenario id>                 built-in scenario (catalog.scenarios[].id)
 *   &r=<regimen notation>            replaces the scenario's regimen (URI-encoded text)
 *   &set.<parameter>=<value>         one per changed registry parameter; switches are true/false
 *   &days=<d>                        simulated days after the first dose
 *   &x=log|lin                       time axis
 *   &m=intro|patient|population|circuit  view (a page opened with no fragment starts on intro: "Start here")
 *   &n=<patients>&seed=<seed>        population size (50-2000) and seed
 *   &arm2=placebo                    population beside its placebo arm (the same sessions, no drug)
 *   &occ=<0-0.95>                    pyramidal NMDA block shown in the millisecond view
 *   &proj=1                          projector mode
 *   &t=<hours>                       the time the values are read at (the cursor)
 *   &pin=<pinned run>                one per pinned run, oldest first: "base" (the scenario's own run)
 *                                    or a URI-encoded s=…&r=…&set.…=…&days=… of that run
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
  var C = window.SynsimCharts, K = window.SynsimControls, OI = C.OI;  // OI: C.OI_PROJ in projector mode (see applyProjector)
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
  var cursorT = null, rows = {}, hook = null, intro = null;

  // ---------- state ----------
  function scen(id) { return cat.scenarios.filter(function (s) { return s.id === (id || st.scenario); })[0] || cat.scenarios[0]; }
  function defaultFor(name) { var s = scen(); return s.set && name in s.set ? +s.set[name] : defs[name].default; }
  function freshState(id) {
    var s = scen.call(null, id) || cat.scenarios[0];
    return { scenario: s.id, regimen: null, set: {}, days: null, log: !!s.log_time, mode: st ? st.mode : 'patient', t: null,
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
    if (st.t != null && isFinite(st.t)) p.push('t=' + +st.t.toPrecision(5));
    pins.forEach(function (pn) { p.push('pin=' + encodeURIComponent(pinText(pn.req))); });
    if (st.tryText) p.push('try=' + encodeURIComponent(st.tryText));
    return p.join('&');
  }
  // a pinned run's request in the link: "base" for the scenario's own run
  function pinText(req) {
    var keys = Object.keys(req);
    if (keys.length === 1 && req.scenario === st.scenario) return 'base';
    var p = ['s=' + encodeURIComponent(req.scenario)];
    if (req.regimen != null) p.push('r=' + encodeURIComponent(req.regimen));
    if (req.set) Object.keys(req.set).sort().forEach(function (n) { p.push('set.' + n + '=' + req.set[n]); });
    if (req.days != null) p.push('days=' + req.days);
    return p.join('&');
  }
  function pinRequest(text, scenario) {
    if (text === 'base') return { scenario: scenario };
    var kv = {}, set = {}, any = false;
    String(text).split('&').forEach(function (part) {
      var i = part.indexOf('='); if (i < 0) return;
      var k = part.slice(0, i), v = decodeURIComponent(part.slice(i + 1));
      if (k.indexOf('set.') === 0) { var d = defs[k.slice(4)]; if (!d) return; set[k.slice(4)] = d.kind === 'switch' ? v === 'true' || v === '1' : parseFloat(v); any = true; } else kv[k] = v;
    });
    if (!kv.s || !cat.scenarios.some(function (x) { return x.id === kv.s; })) return null;
    var r = { scenario: kv.s };
    if (kv.r != null) r.regimen = kv.r;
    if (any) r.set = set;
    if (kv.days && isFinite(+kv.days)) r.days = +kv.days;
    return r;
  }
  function fromHash(hash) {
    var kv = {}, sets = {}, pinList = [];
    String(hash || '').replace(/^#/, '').split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('='), k = i < 0 ? part : part.slice(0, i), v = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
      if (k.indexOf('set.') === 0) sets[k.slice(4)] = v; else if (k === 'pin') pinList.push(v); else kv[k] = v;
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
    if (/^(intro|patient|population|circuit)$/.test(kv.m)) s.mode = kv.m;
    // a first visit (no fragment at all) starts on the intro view
    else if (!Object.keys(kv).length && !Object.keys(sets).length && !pinList.length) s.mode = 'intro';
    if (kv.n && isFinite(+kv.n)) s.n = Math.max(50, Math.min(2000, Math.round(+kv.n)));
    if (kv.seed && isFinite(+kv.seed)) s.seed = Math.round(+kv.seed);
    s.arm2 = kv.arm2 === 'placebo';
    if (kv.occ && isFinite(+kv.occ)) s.occ = Math.max(0, Math.min(0.95, +kv.occ));
    s.proj = kv.proj === '1';
    s.tryText = kv['try'] || null;
    if (kv.t != null && kv.t !== '' && isFinite(+kv.t)) s.t = +kv.t;
    return { state: s, pins: pinList.slice(-3).map(function (x) { return pinRequest(x, s.scenario); }).filter(Boolean) };
  }
  // The fragment as the page last wrote (or loaded) it. A fragment that differs from it was
  // navigated to or pasted since: a pending write must not put the old state back over it
  // before the hashchange handler has loaded it.
  var lastHash = null;
  function writeHash() {
    clearTimeout(hashTimer); hashTimer = 0;
    if (lastHash !== null && location.hash.replace(/^#/, '') !== lastHash) return;
    lastHash = toHash();
    try { history.replaceState(null, '', '#' + lastHash); } catch (e) { location.hash = lastHash; }
  }
  // The address follows a drag at most five times a second: replacing it takes the browser
  // several milliseconds each time (more than a whole run's drawing).
  var hashTimer = 0;
  function writeHashSoon() { if (!hashTimer) hashTimer = setTimeout(writeHash, 200); }

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
  // the run first: the worker simulates while the page updates its controls
  function afterChange() {
    var t = performance.now();
    schedule(); writeHashSoon(); syncUI(); updateCommand(); schedulePopulation(); scheduleCircuit();
    hook.changeMs.push(performance.now() - t);
    if (hook.changeMs.length > 200) hook.changeMs.shift();
  }

  // ---------- running: at most one run per animation frame; drop intermediate values ----------
  var pending = false, busy = false, raf = 0;
  // The engine runs in a worker: a change is sent at once if no run is under way; otherwise
  // only the latest change waits and goes when the running one is back (latest wins).
  function kick() { if (!raf) { raf = -1; Promise.resolve().then(frame); } }
  // Plots get the series on the command line's figure grid (one to four points per pixel);
  // the CSV download asks for every row.
  function shown(req) { return Object.assign({ display: true }, req); }
  function schedule() { pending = true; if (!busy) frame(); }
  function frame() {
    raf = 0;
    if (!pending || busy) return;
    pending = false;
    var req = request(), t0 = performance.now(), inputAt = hook.inputAt;
    // nothing the run depends on changed (another view, projector mode, the cursor): keep it
    if (current && JSON.stringify(req) === JSON.stringify(currentReq)) { hook.inputAt = null; return; }
    busy = true;
    var slow = setTimeout(function () { status('Simulating\u2026', 'busy'); }, 150);
    engine.call('run', shown(req)).then(function (res) {
      clearTimeout(slow); busy = false;
      onRun(req, res, t0, inputAt);
      if (pending) kick();
    }, function (e) { clearTimeout(slow); busy = false; showError('run', String(e && e.message || e)); });
  }
  function onRun(req, res, t0, inputAt) {
    hook.request = req;
    if (!res.ok) { showError(res.error.kind, res.error.message); status('The model could not simulate this: see the message under Dose and schedule.', 'error'); return; }
    showError(null);
    current = res; currentReq = req;
    var t1 = performance.now();
    drawPanels();
    intro.update(res);
    updateCards(); updateSentence(); updateWarnings();
    updateCommand();
    $('regimen-desc').textContent = res.doses.length + ' dose' + (res.doses.length === 1 ? '' : 's') + (res.regimen ? ' \u00b7 ' + res.regimen : '');
    var t2 = performance.now();
    status('Up to date: the plots show this patient and regimen.', 'idle');
    $('status').title = 'simulated in ' + Math.round(t1 - t0) + ' ms, drawn in ' + Math.round(t2 - t1) + ' ms (' + engine.kind + ' engine)';
    var s = res.series, sc = s.symptom_score, sum = 0, mn = Infinity;
    for (var i = 0; i < sc.length; i++) { sum += sc[i]; if (sc[i] < mn) mn = sc[i]; }
    var plasmaCol = res.columns.filter(function (c) { return /^plasma_/.test(c); })[0];
    hook.response = { title: res.title, regimen: res.regimen, columns: res.columns.length, doses: res.doses.length, warnings: res.warnings.slice(), command: res.command };
    hook.series = { length: s.time_h.length, peakPlasma: plasmaCol ? Math.max.apply(null, s[plasmaCol]) : 0, plasmaColumn: plasmaCol || null,
      minScore: mn, scoreSum: sum, peakOccupancy: res.summary.peak_nmda_occupancy ? res.summary.peak_nmda_occupancy.value : 0 };
    // counted once the legends too show this run (paintCursor, in the next animation frame)
    drawnRun = { inputAt: inputAt, t0: t0, t1: t1, t2: t2 };
    if (inputAt != null) hook.inputAt = null;
    paintCursor(cursorT);  // the legends at once, in the same task as the plots
  }
  var drawnRun = null;

  function status(text, kind) { var s = $('status'); s.className = 'status ' + (kind || ''); $('status-text').textContent = text; }
  function showError(kind, msg) {
    var box = $('regimen-error');
    if (!kind) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false; box.textContent = (kind === 'run' ? 'The model could not finish this run:\n' : '') + msg;
    hook.errors.push(msg);
  }

  // ---------- the six linked panels ----------
  // an index is no percentage: the 0-1 columns say so in their labels
  var LABELS = { dissociation: 'dissociation index (side effect, 0\u20131)', rapid_relief: 'rapid relief index (0\u20131)', expectancy: 'expectancy of relief (0\u20131)' };
  function label(col) { return LABELS[col] || (colInfo[col] && colInfo[col].label) || col.replace(/_/g, ' '); }
  function unitOf(col) { return colInfo[col] ? colInfo[col].unit : ''; }
  function S(col, color, extra) { return Object.assign({ col: col, color: color, label: label(col), unit: unitOf(col) }, extra || {}); }
  function panelSpecs() {
    return [
      { id: 'pk', title: '1 \u00b7 Dose and plasma', y: { label: 'plasma (ng/mL)', short: 'ng/mL', range: [0, null] }, y2: { label: 'dose rate (mg/h)', short: 'mg/h' },
        series: [S('dose_rate_mg_per_h', OI.orange, { axis: 'y2', width: 1, fill: 'rgba(230,159,0,0.22)', step: true }),
          S('plasma_ketamine_ng_ml', OI.blue), S('plasma_esketamine_ng_ml', OI.blue), S('plasma_escitalopram_ng_ml', OI.blue),
          S('plasma_norketamine_ng_ml', OI.sky), S('plasma_hnk_ng_ml', OI.purple)] },
      { id: 'receptor', title: '2 \u00b7 NMDA receptor block', y: { label: 'blocked (%)', short: '% blocked', range: [0, 1], pct: true }, y2: { label: 'dissociation index', short: 'index', range: [0, 1] },
        series: [S('nmda_occupancy', OI.blue), S('nmda_occupancy_interneuron', OI.red), S('dissociation', OI.purple, { axis: 'y2' }), S('sert_occupancy', OI.green)] },
      { id: 'circuit', title: '3 \u00b7 Glutamate, GABA and E/I activity', y: { label: '\u00d7 healthy' }, y2: { label: 'activity (rate)', short: 'rate' },
        series: [S('glutamate_rel', OI.red), S('gaba_rel', OI.blue), S('exc_activity', OI.orange, { axis: 'y2', width: 1.5 }), S('inh_activity', OI.sky, { axis: 'y2', width: 1.5 })],
        refs: function (ref) { return ref.baseline_gaba != null ? [] : []; } },
      { id: 'signalling', title: '4 \u00b7 BDNF and mTOR', y: { label: '\u00d7 healthy' },
        series: [S('bdnf_rel', OI.green), S('mtor_rel', OI.orange), S('serotonin_rel', OI.purple, { onlyIfMoving: true })],
        refs: function () { return [{ y: 1, label: 'healthy', color: '#444', dash: [3, 3] }]; } },
      { id: 'synapse', title: '5 \u00b7 Synapse density', y: { label: '\u00d7 healthy' },
        series: [S('synapse_density_rel', OI.green, { width: 2.5 })],
        refs: function (ref) { return [{ y: ref.healthy_synapse != null ? ref.healthy_synapse : 1, label: 'healthy', color: '#444', dash: [3, 3] }]; } },
      { id: 'score', title: '6 \u00b7 Depression score (illustrative)', y: { label: 'score (points)', short: 'points', range: [0, null] },
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
  // Projector: larger type and thicker lines, but panels only a little taller than on a
  // laptop, so that as many fit on the wall.
  // fit: the six panels of one patient share the window's height (beside the controls, from
  // 801 px wide): h is then set by fitPanels, and only the lowest panel labels the time axis.
  // In projector mode only where its large type leaves the plots tall enough (projectorTooShort).
  function look(fit) {
    var proj = st.proj, small = window.innerWidth < 800, font = proj ? 17 : 12, total = proj ? 205 : small ? 170 : 185;
    fit = !!fit && window.innerWidth > 800 && !(proj && projectorTooShort);
    return { name: (proj ? 'proj' : 'std') + (small ? 's' : '') + (fit ? 'fit' : ''), proj: !!proj, font: font, lw: proj ? 1.9 : 1,
      total: total, h: fit ? 90 : total - 3.7 * font, fit: fit, tickPx: proj ? 95 : 62 };
  }
  var projectorTooShort = false;
  // the least plot-area height at which projector type still reads on one screen
  function minProjectorPlot(lk) { return Math.round(lk.font * 4.5); }
  function buildPanels() {
    var host = $('panels');
    panels.forEach(function (p) { p.dispose(); });
    host.innerHTML = '';
    var lk = look(true);
    document.body.classList.toggle('fit', lk.fit);
    var specs = panelSpecs();
    specs[specs.length - 1].xAxis = true;
    specs[0].doseKey = true;
    if (lk.fit) lk.cols = C.titleColumns(specs, lk);
    hook.panels = panels = specs.map(function (spec) {
      var p = new C.Panel(host, spec, lk);
      p.onCursor = function (t) { userCursor(t); };
      // the cursor stays where the legends read their values when the pointer leaves
      p.onLeave = function () { updateCursor(cursorT); };
      return p;
    });
    // Heights follow the panels' heads (a legend that wraps to a second line takes height from
    // the plots) and the boxes above them, measured after the browser's own layout: no run
    // waits for a layout forced in the middle of it.
    if (fitObserver) fitObserver.disconnect();
    if (lk.fit && typeof ResizeObserver === 'function') {
      fitObserver = new ResizeObserver(function () { fitPanels(); });
      panels.forEach(function (p) { fitObserver.observe(p.cap); });
      ['warnings', 'trythis', 'live', 'status'].forEach(function (id) { fitObserver.observe($(id)); });
    }
  }
  var fitObserver = null;
  // the plot areas' height so that the six panels end at the window's bottom edge
  function fitPanels() {
    var lk = panels.length && panels[0].look, host = $('panels');
    if (!lk || !lk.fit || !host.offsetParent) return;
    var chrome = 0;
    panels.forEach(function (p) { chrome += p.wrap.offsetHeight - p.plotEl.offsetHeight + p.height() - lk.h; });
    chrome += (parseFloat(getComputedStyle(host).rowGap) || 0) * (panels.length - 1);
    var top = host.getBoundingClientRect().top + window.scrollY;
    var room = hook.fitRoom = Math.floor((window.innerHeight - top - 4 - chrome) / panels.length);
    // too short for projector type: the panels keep their own height and time axes, the page scrolls
    if (lk.proj && room < minProjectorPlot(lk)) { projectorTooShort = true; buildPanels(); drawPanels(); updateCursor(cursorT); return; }
    var h = Math.max(52, Math.min(260, room));
    if (h === lk.h) return;
    lk.h = h;
    panels.forEach(function (p) { p.resize(); });
    updateCursor(cursorT);  // drawn again where the legends read
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
    var tp = performance.now();
    if (t == null) { var sb = current.summary.best_score; t = sb ? sb.time_h : 0; }
    cursorT = t;
    var lastPin = pins.length ? pins[pins.length - 1].run : null;
    panels.forEach(function (p) { p.updateLegend(t, pins); p.setCursorTime(t); });
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
    if (drawnRun) {
      // input -> every panel and legend redrawn
      var r = drawnRun;
      drawnRun = null;
      // after uPlot's own drawing (queued as microtasks by setData and setSize)
      Promise.resolve().then(function () {
        var te = performance.now();
        // where the time goes: waiting to send, the engine, plotting, legends and read-out
        hook.timing = { send: r.inputAt != null ? r.t0 - r.inputAt : null, engine: r.t1 - r.t0, in_worker: current && current.worker_ms, plot: r.t2 - r.t1, legends: te - tp };
        if (r.inputAt != null) hook.latencies.push(te - r.inputAt);
        hook.renderCount++;
        hook.ready = true;
      });
    }
  }
  // the reader moved the cursor: it goes into the link too
  var cursorHashTimer = 0;
  function userCursor(t) {
    st.t = t; updateCursor(t);
    clearTimeout(cursorHashTimer); cursorHashTimer = setTimeout(writeHash, 250);
  }
  function cursorFromSlider() {
    if (!current) return;
    var xr = C.xRange(st.log, current.series.time_h), x = +$('cursor').value / 1000;
    var t = st.log ? C.bwdLog(C.fwdLog(xr[0]) + x * (C.fwdLog(xr[1]) - C.fwdLog(xr[0]))) : xr[0] + x * (xr[1] - xr[0]);
    panels.forEach(function (p) { p.setCursorTime(t); });
    userCursor(t);
  }

  // ---------- summary cards, sentence, warnings ----------
  function mainDrug(res) { var d = res.doses.filter(function (x) { return x.drug !== 'placebo'; })[0]; return d ? d.drug : null; }
  var CARDS = [
    { k: 'Peak plasma', get: function (r) { var d = mainDrug(r), p = r.summary.peak_plasma_ng_ml; return d && p && p[d] ? p[d].value : null; }, f: function (v) { return C.fmtVal(v, 'ng/mL'); } },
    { k: 'Peak NMDA block, pyramidal', get: function (r) { return g(r, 'peak_nmda_occupancy'); }, f: pct },
    { k: 'Peak block, interneurons', get: function (r) { return g(r, 'peak_nmda_occupancy_interneuron'); }, f: pct },
    { k: 'Glutamate surge', get: function (r) { var v = g(r, 'peak_glutamate_vs_baseline'); return v == null ? null : v - 1; }, f: function (v) { return '+' + Math.round(v * 100) + ' %'; } },
    { k: 'Peak dissociation index (0\u20131)', get: function (r) { return g(r, 'peak_dissociation'); }, f: function (v) { return v.toFixed(2); }, lower: true },
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
    sel.addEventListener('change', function () { setScenario(sel.value); });
    intro = SynsimIntro.create(introApi());
    // registry-driven rows
    function row(name, lab, host) {
      var d = defs[name]; if (!d) return;
      var r = new K.ParamRow(d, { label: lab, onChange: onParam });
      host.appendChild(r.el); (rows[name] = rows[name] || []).push(r);
    }
    THEORIES.forEach(function (t) { row(t[0], t[1], $('theories')); row(t[0], t[1], intro.theoriesHost()); });
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
    ['b-drug', 'b-route', 'b-unit', 'b-sched', 'b-interval', 'b-count', 'b-dose-num'].forEach(function (id) {
      $(id).addEventListener('change', function () { builderChanged(id); });
    });
    $('b-phase').addEventListener('change', function () { bPhase = +this.value; syncBuilder(); });
    $('b-add').addEventListener('click', function () { builderChanged('b-add'); });
    $('b-remove').addEventListener('click', function () { builderChanged('b-remove'); });
    $('b-dose').addEventListener('input', function () { $('b-dose-num').value = $('b-dose').value; builderChanged('b-dose', 'drag'); });
    $('b-over').addEventListener('input', function () { builderChanged('b-over', 'drag'); });
    $('regimen').addEventListener('input', function () { var v = this.value; change(function (s) { s.regimen = v; }, 'drag'); });
    $('days').addEventListener('change', function () { var v = parseFloat(this.value); change(function (s) { s.days = isFinite(v) && v > 0 ? Math.min(365, v) : null; }); });
    $('x-log').addEventListener('change', function () { change(function (s) { s.log = true; }); });
    $('x-lin').addEventListener('change', function () { change(function (s) { s.log = false; }); });
    $('pin').addEventListener('click', pin);
    $('unpin').addEventListener('click', function () { pins = []; renderPins(); drawPanels(); updateCards(); updateCursor(cursorT); writeHash(); });
    $('undo').addEventListener('click', function () { if (!undoStack.length) return; var proj = st.proj; st = JSON.parse(undoStack.pop()); if (st.proj !== proj) applyProjector(); afterChange(); });
    $('reset').addEventListener('click', function () { pins = []; cursorT = null; change(function () { var keep = { mode: st.mode, proj: st.proj }; st = freshState(st.scenario); st.mode = keep.mode; st.proj = keep.proj; st.n = 200; st.seed = 1; st.tryText = null; }); pins = []; renderPins(); $('trythis').hidden = true; updateCursor(null); });
    $('cursor').addEventListener('input', cursorFromSlider);
    document.querySelectorAll('.modes button').forEach(function (b) { b.addEventListener('click', function () { var m = b.getAttribute('data-mode'); change(function (s) { s.mode = m; }); }); });
    // view tabs: arrow keys, Home and End move between them (one tab stop for the group)
    $('tab-patient').parentNode.addEventListener('keydown', function (ev) {
      var tabs = [].slice.call(document.querySelectorAll('.modes [role=tab]')), i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      var j = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (j == null) return;
      ev.preventDefault();
      j = (j + tabs.length) % tabs.length;
      tabs[j].focus();
      var m = tabs[j].getAttribute('data-mode');
      change(function (s) { s.mode = m; });
    });
    $('projector').addEventListener('click', function () { change(function (s) { s.proj = !s.proj; }); });
    $('copy-link').addEventListener('click', copyLink); $('copy-link2').addEventListener('click', copyLink);
    $('copy-cmd').addEventListener('click', function () { copyText($('command').textContent, 'Command copied.'); });
    $('about-open').addEventListener('click', function () { $('about').showModal(); });
    $('dl-png').addEventListener('click', downloadPng); $('dl-svg').addEventListener('click', downloadSvg); $('dl-csv').addEventListener('click', downloadCsv);
    $('pop-n').addEventListener('input', function () { var v = +this.value; change(function (s) { s.n = v; }, 'drag'); });
    $('pop-seed').addEventListener('change', function () { var v = Math.round(+this.value) || 0; change(function (s) { s.seed = v; }); });
    $('pop-arm2').addEventListener('change', function () { var v = this.checked; change(function (s) { s.arm2 = v; }); clearPopPanels(); });
    $('occ').addEventListener('input', function () { var v = +this.value; change(function (s) { s.occ = v; }, 'drag'); });
    $('occ-cursor').addEventListener('click', function () { if (current && cursorT != null) { var v = +C.valueAt(current, 'nmda_occupancy', cursorT).toFixed(3); change(function (s) { s.occ = Math.min(0.95, v); }); } });
    $('occ-peak').addEventListener('click', function () { change(function (s) { s.occ = null; }); });
    window.addEventListener('resize', function () { clearTimeout(window.__rz); window.__rz = setTimeout(relayout, 120); });
  }
  function setScenario(id) { pins = []; renderPins(); cursorT = null; change(function () { st = freshState(id); }); }
  // what the intro view needs from the page: it shows the page's run and changes its state
  function introApi() {
    return {
      hasScenario: function (id) { return cat.scenarios.some(function (x) { return x.id === id; }); },
      setScenario: setScenario,
      // the first phase's dose of the regimen, with the slider range of its drug and unit
      dose: function () {
        var pp = K.parsePhases(regimenText());
        if (!pp || pp.head.drug === 'placebo') return null;
        var p = pp.phases[0], unit = p.unit || pp.head.unit, ui = K.DOSE_UI[pp.head.drug] && K.DOSE_UI[pp.head.drug][unit];
        return ui && p.dose != null ? { dose: p.dose, unit: unit, ui: ui, phases: pp.phases.length } : null;
      },
      // every phase's own dose scaled so that the first is v (a course keeps its shape)
      setDose: function (v) {
        var pp = K.parsePhases(regimenText());
        if (!pp || !(v > 0)) return;
        var f = v / pp.phases[0].dose;
        pp.phases.forEach(function (p, i) { if (p.ownDose && p.dose != null) p.dose = i === 0 ? v : +(p.dose * f).toPrecision(3); });
        var text = K.composePhases({ drug: pp.head.drug, unit: pp.head.unit, route: pp.head.route, over: pp.head.over }, pp.phases);
        change(function (s) { s.regimen = text; }, 'drag');
      },
      explore: function (t) { cursorT = t; change(function (s) { s.mode = 'patient'; s.t = t; }); updateCursor(cursorT); },
      fmtCol: function (col, v) { return C.fmtVal(v, unitOf(col)); },
      unitOf: unitOf,
      hook: function (x) { hook.intro = x; },
    };
  }
  function onParam(name, value, how) {
    change(function (s) { if (value == null) delete s.set[name]; else s.set[name] = typeof value === 'boolean' ? (value ? 1 : 0) : value; }, how);
  }
  // The builder shows one phase of the regimen (bPhase) and rewrites only that phase; drug,
  // route and infusion length are the first phase's (later phases carry them over). A new
  // drug starts a new one-phase regimen (the note under the phase list says so).
  var bPhase = 0, bShape = '';
  function builderParse() {
    var pp = K.parsePhases(regimenText());
    if (!pp) return null;
    var shape = st.scenario + '|' + pp.phases.length;
    if (shape !== bShape || bPhase >= pp.phases.length) {
      // a new regimen: show the phase that gives the most doses
      bShape = shape; bPhase = 0;
      pp.phases.forEach(function (p, i) { if (p.count > pp.phases[bPhase].count) bPhase = i; });
    }
    return pp;
  }
  function builderChanged(id, how) {
    var pp = builderParse(), drugName = $('b-drug').value, drug = cat.drugs.filter(function (d) { return d.name === drugName; })[0], text;
    if (!pp || id === 'b-drug') {
      // a new drug (or a regimen the builder cannot show): a new one-phase regimen
      var b = { drug: drugName, dose: +$('b-dose-num').value, unit: $('b-unit').value, route: $('b-route').value, over: +$('b-over').value,
        sched: $('b-sched').value === 'custom' ? 'once' : $('b-sched').value, interval: +$('b-interval').value || 3.5, count: +$('b-count').value || 1 };
      if (id === 'b-drug') {
        b.route = drug.routes[0]; b.unit = drug.dose_units[0] || null; b.sched = 'once'; b.count = 1; b.over = 0;
        var ui = K.DOSE_UI[b.drug] && K.DOSE_UI[b.drug][b.unit]; if (ui) b.dose = ui[3];
        if (b.drug === 'escitalopram') { b.sched = 'daily'; b.count = 56; } else if (b.route === 'iv') b.over = 40;
      }
      text = K.compose(b);
    } else {
      var head = { drug: pp.head.drug, unit: pp.head.unit, route: pp.head.route, over: pp.head.over }, ph = pp.phases, p = ph[bPhase];
      if (id === 'b-route') { head.route = $('b-route').value; if (head.route === 'iv' && !head.over) head.over = 40; }
      if (id === 'b-over') head.over = +$('b-over').value;
      if (id === 'b-dose' || id === 'b-dose-num') {
        var v = +$(id === 'b-dose' ? 'b-dose' : 'b-dose-num').value;
        if (isFinite(v) && v >= 0) { p.dose = v; p.ownDose = true; if (!p.unit) p.unit = $('b-unit').value; }
      }
      if (id === 'b-unit') {
        var u2 = K.DOSE_UI[head.drug] && K.DOSE_UI[head.drug][$('b-unit').value];
        p.unit = $('b-unit').value; p.ownDose = true; if (u2) p.dose = u2[3];
        if (bPhase === 0) head.unit = p.unit;
      }
      if (id === 'b-sched' || id === 'b-interval' || id === 'b-count') {
        var was = p.sched;
        p.sched = $('b-sched').value; p.dirty = true;
        p.interval = +$('b-interval').value || p.interval || 3.5;
        p.count = Math.max(1, Math.round(+$('b-count').value || 1));
        // from "once" to a repeating schedule: more than one dose, or nothing would change
        if (id === 'b-sched' && p.sched !== 'once' && (was === 'once' || p.count <= 1)) p.count = head.drug === 'escitalopram' && p.sched === 'daily' ? 56 : K.DEFAULT_COUNT[p.sched] || 4;
        if (p.sched === 'custom') p.dirty = false;
      }
      if (id === 'b-add') {
        ph.push({ ownDose: false, dose: p.dose, unit: p.unit, extra: '', schedText: head.drug === 'escitalopram' ? 'daily x 28' : 'every 4 w x 3', sched: 'every', interval: 28, count: 3, exact: true });
        if (head.drug === 'escitalopram') { ph[ph.length - 1].sched = 'daily'; ph[ph.length - 1].count = 28; }
        bPhase = ph.length - 1; bShape = st.scenario + '|' + ph.length;
      }
      if (id === 'b-remove' && ph.length > 1) {
        var gone = ph.splice(bPhase, 1)[0];
        if (bPhase === 0 && !ph[0].ownDose) { ph[0].ownDose = true; ph[0].dose = gone.dose; ph[0].unit = gone.unit; }
        bPhase = Math.min(bPhase, ph.length - 1); bShape = st.scenario + '|' + ph.length;
      }
      text = K.composePhases(head, ph);
    }
    change(function (s) { s.regimen = text; }, how);
  }
  // a select's options rewritten only when they differ (not on every step of a drag)
  function setOptions(sel, html) { if (sel.__html !== html) { sel.innerHTML = html; sel.__html = html; } }
  function syncBuilder() {
    var pp = builderParse(), note = $('b-note');
    document.querySelectorAll('.box [id^=b-]').forEach(function (e) { if (e.id !== 'b-drug' && e.id !== 'b-note') e.disabled = !pp; });
    $('b-phase-row').hidden = !pp || pp.phases.length < 2;
    if (!pp) {
      note.textContent = 'The builder cannot show this regimen (several drugs, or words it does not know): edit the notation below, or pick a drug to start a new regimen.';
      return;
    }
    var b = pp.head, ph = pp.phases, p = ph[bPhase], drug = cat.drugs.filter(function (d) { return d.name === b.drug; })[0] || cat.drugs[0];
    setOptions($('b-phase'), ph.map(function (x, i) { return '<option value="' + i + '">' + K.esc(K.phaseLabel(x, i, ph.length)) + '</option>'; }).join(''));
    $('b-phase').value = String(bPhase);
    $('b-remove').disabled = ph.length < 2;
    note.textContent = (ph.length > 1 ? 'Dose and schedule change phase ' + (bPhase + 1) + ' only; the other ' + (ph.length > 2 ? 'phases stay' : 'phase stays') +
      ' as written (a phase with no dose of its own takes the one before). ' : '') + 'Another drug replaces the whole regimen.';
    $('b-drug').value = b.drug;
    setOptions($('b-route'), drug.routes.map(function (r) { return '<option>' + r + '</option>'; }).join(''));
    $('b-route').value = b.route;
    setOptions($('b-unit'), drug.dose_units.map(function (u) { return '<option>' + u + '</option>'; }).join(''));
    var unit = p.unit || b.unit || drug.dose_units[0]; if (unit) $('b-unit').value = unit;
    var ui = (K.DOSE_UI[b.drug] || {})[unit];
    $('b-dose-field').hidden = b.drug === 'placebo' || !ui;
    if (ui) {
      var r = $('b-dose'); r.min = ui[0]; r.max = Math.max(ui[1], p.dose || 0); r.step = ui[2];
      if (document.activeElement !== r) r.value = p.dose; if (document.activeElement !== $('b-dose-num')) $('b-dose-num').value = p.dose;
      $('b-dose-num').min = 0; $('b-dose-num').step = 'any';
      $('b-dose-out').textContent = '= ' + K.fmt(p.dose) + ' ' + unit + (ph.length > 1 ? ' (phase ' + (bPhase + 1) + ')' : '');
      r.setAttribute('aria-valuetext', K.fmt(p.dose) + ' ' + K.unitWords(unit));
    }
    $('b-over-field').hidden = b.route !== 'iv';
    if (document.activeElement !== $('b-over')) $('b-over').value = b.over;
    $('b-over-out').textContent = b.over > 0 ? '= ' + K.fmt(b.over) + ' min' : '= bolus';
    $('b-over').setAttribute('aria-valuetext', b.over > 0 ? K.fmt(b.over) + ' minutes' : 'bolus (no infusion)');
    $('b-sched').value = p.sched;
    $('b-interval-field').hidden = p.sched !== 'every'; $('b-interval').value = +(+p.interval).toFixed(3);
    $('b-count-row').hidden = p.sched === 'once' || p.sched === 'custom'; $('b-count').value = p.count;
    hook.builder = { phases: ph.length, shown: bPhase, dose: p.dose, sched: p.sched, count: p.count };
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
    document.querySelectorAll('.modes button').forEach(function (b) { var on = b.getAttribute('data-mode') === st.mode; b.setAttribute('aria-selected', String(on)); b.tabIndex = on ? 0 : -1; });
    ['intro', 'patient', 'population', 'circuit'].forEach(function (m) { $('view-' + m).hidden = st.mode !== m; });
    document.body.classList.toggle('intro-mode', st.mode === 'intro');
    if (st.mode !== 'intro') intro.stop();
    intro.sync(st);
    $('projector').setAttribute('aria-pressed', String(!!st.proj));
    $('pop-n').value = st.n; $('pop-n-out').textContent = '= ' + st.n; $('pop-n').setAttribute('aria-valuetext', st.n + ' virtual patients'); $('pop-seed').value = st.seed; $('pop-arm2').checked = !!st.arm2;
    $('pop-warn').hidden = st.n <= 500;
    $('undo').disabled = !undoStack.length;
    if (st.tryText) { $('trythis').hidden = false; $('trythis').innerHTML = '<h2>Try this</h2><p>' + K.esc(st.tryText) + '</p>'; }
    hook.state = JSON.parse(JSON.stringify(st));
  }
  // Projector mode: the class on <html> too, since the root font size (rem) is read there.
  function setProjectorClass() {
    document.documentElement.classList.toggle('projector', !!st.proj);
    document.body.classList.toggle('projector', !!st.proj);
    OI = st.proj ? C.OI_PROJ : C.OI;
  }
  function applyProjector() { setProjectorClass(); relayout(); }
  function clearPopPanels() { popPanels.forEach(function (p) { p.dispose(); }); popPanels = []; $('pop-panels').innerHTML = ''; }
  function relayout() {
    projectorTooShort = false;
    buildPanels(); drawPanels(); updateCursor(cursorT);
    clearPopPanels(); if (population) drawPopulation(population, placeboPop);
    if (circuitPlot) { circuitPlot.destroy(); circuitPlot = null; } if (lastCircuit) drawCircuit(lastCircuit);
  }
  // the millisecond view's plots follow their containers' width too (built while hidden, shown later)
  function watchCircuitSize() {
    if (typeof ResizeObserver !== 'function') return;
    var last = { p: 0 };
    new ResizeObserver(function () {
      var pw = $('phase').clientWidth;
      if (lastCircuit && pw && Math.abs(pw - last.p) >= 1) { last.p = pw; drawPhase(lastCircuit, look()); }
      fitCircuitPlot(look());
    }).observe($('view-circuit'));
  }

  // ---------- compare ----------
  // the link's pinned runs, oldest first
  function loadPins(list) {
    return (list || []).reduce(function (chain, req) {
      return chain.then(function () {
        return engine.call('run', shown(req)).then(function (res) { if (res.ok) pushPin(res, req); });
      });
    }, Promise.resolve());
  }
  function pushPin(run, req) {
    if (pins.length >= 3) pins.shift();
    pins.push({ run: run, req: req, label: describe(req) });
    renderPins(); drawPanels(); if (current) updateCards(); updateCursor(cursorT);
    hook.pins = pins.length;
  }
  function pin() {
    if (!current) return;
    pushPin(current, currentReq);
    writeHash();
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
  var popKey = null, popRuns = 0;            // the request (and arms) of the population shown or running
  function popRequest() { return Object.assign(request(), { patients: st.n, seed: st.seed }); }
  function popKeyNow() { return JSON.stringify(popRequest()) + (st.arm2 ? '|placebo' : ''); }
  function schedulePopulation() {
    if (st.mode !== 'population') return;
    clearTimeout(popTimer);
    // back on the tab with nothing changed: keep what is shown (or still running)
    if (popKey === popKeyNow()) return;
    popTimer = setTimeout(runPopulation, 350);
  }
  function runPopulation() {
    if (st.mode !== 'population') return;   // the reader left the tab before it started
    var req = popRequest(), t0 = performance.now(), two = !!st.arm2, key = popKeyNow();
    popKey = key;
    var box = $('pop-status');
    box.innerHTML = '';
    var what = two ? 'two arms of ' + st.n + ' patients' : st.n + ' patients';
    var spin = setTimeout(function () { box.innerHTML = '<span class="spinner" aria-hidden="true"></span> Simulating ' + what + '\u2026 <span id="pop-elapsed"></span>'; }, 150);
    var tick = setInterval(function () { var e = $('pop-elapsed'); if (e) e.textContent = ((performance.now() - t0) / 1000).toFixed(1) + ' s'; }, 200);
    hook.population = { status: 'running', patients: st.n, arms: two ? 2 : 1 };
    function fail(msg) { clearTimeout(spin); clearInterval(tick); popKey = null; box.textContent = 'Could not run the population: ' + msg; hook.population = { status: 'error', message: msg }; }
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
      population = res; placeboPop = pl; population.req = req; population.key = key;
      box.textContent = (pl ? 'Two groups of ' : '') + res.patients + ' virtual patients' + (pl ? ' each' : '') + ' (seed ' + res.seed + '), simulated in ' + ((performance.now() - t0) / 1000).toFixed(1) + ' s';
      drawPopulation(res, pl);
      updateCommand();
      hook.population = { status: 'done', patients: res.patients, seed: res.seed, rates: res.rates, arms: pl ? 2 : 1,
        placebo_rates: pl ? pl.rates : null, ms: performance.now() - t0, runs: ++popRuns,
        shown: [].map.call(document.querySelectorAll('#rates li'), function (li) { return li.textContent; }) };
    }, function (e) {
      clearTimeout(spin); clearInterval(tick);
      if (e && e.cancelled) return;          // a newer request replaced this one
      popKey = null;
      box.textContent = 'Could not run the population: ' + (e && e.message || e);
    });
  }
  // A percentage as `synsim population` prints it: Rust's "{:.0}" of 100 x, which rounds a
  // tie to the even neighbour (46.5 -> 46), where Math.round would give 47.
  function cliPct(x) {
    var v = 100 * x, f = Math.floor(v), d = v - f;
    return String(d === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v));
  }
  function hasRate(r) { return r && r.n > 0 && r.rate != null && isFinite(r.rate); }
  function drawPopulation(res, pl) {
    var days = res.time_h && res.time_h.length ? res.time_h[res.time_h.length - 1] / 24 : null;
    var base = population && population.req ? JSON.stringify(Object.assign({}, population.req, { patients: undefined, seed: undefined })) : null;
    var nDoses = base && current && base === JSON.stringify(currentReq) ? current.doses.length : null;
    var rates = res.rates.map(function (r, k) { return [r, pl && pl.rates[k]]; }).filter(function (x) {
      // one dose: "24 h after the last dose" is the 24-h card again
      return !(nDoses === 1 && /^(response|remission) at the end/.test(x[0].label));
    });
    $('rates').innerHTML = rates.map(function (x) {
      var r = x[0], p = x[1], label = r.label;
      if (nDoses === 1 && / at 24 h$/.test(label)) label += ' (= 24 h after the only dose)';
      if (!hasRate(r)) {
        return '<li class="none"><div class="k">' + K.esc(label) + '</div><div class="v">\u2013</div><div class="ci">not simulated: the run ends at ' +
          (days != null ? K.fmt(+days.toFixed(1)) + ' d' : 'an earlier time') + ' (set more days under Time)</div></li>';
      }
      return '<li><div class="k">' + K.esc(label) + '</div><div class="v">' + cliPct(r.rate) + ' %</div><div class="ci">95 % CI ' +
        cliPct(r.lo) + '\u2013' + cliPct(r.hi) + ' %</div>' +
        (p ? '<div class="ci placebo">placebo arm ' + (hasRate(p) ? cliPct(p.rate) + ' % (' + cliPct(p.lo) + '\u2013' + cliPct(p.hi) + ' %)' : '\u2013') + '</div>' : '') + '</li>';
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
  function circuitRequest(occ) { var req = { occupancy: occ }, r = request(); if (r.set) req.set = r.set; return req; }
  function scheduleCircuit() {
    if (st.mode !== 'circuit') return;
    if (circTimer) return;
    circTimer = requestAnimationFrame(function () {
      circTimer = 0;
      engine.call('circuit', circuitRequest(circuitOcc())).then(function (res) { if (res.ok) drawCircuit(res); else $('circuit-note').textContent = res.error.message; });
    });
  }
  // The rise of resting excitation with the block on a coarse grid, once per set of parameters
  // (abandoned when they change): where the release is largest, for the note at higher blocks.
  var riseCurve = { key: null, peak: null };
  var RISE_GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  function rise(res) { return res.fixed_points.blocked[0] / res.fixed_points.healthy[0] - 1; }
  function loadRisePeak() {
    var key = JSON.stringify(circuitRequest(0).set || {});
    if (riseCurve.key === key) return Promise.resolve(riseCurve.peak);
    riseCurve = { key: key, peak: null };
    return RISE_GRID.reduce(function (chain, occ) {
      return chain.then(function (best) {
        if (riseCurve.key !== key) return null;
        return engine.call('circuit', circuitRequest(occ)).then(function (res) {
          if (!best || !res.ok) return res.ok ? { occ: occ, rise: rise(res) } : best;
          return rise(res) > best.rise ? { occ: occ, rise: rise(res) } : best;
        });
      });
    }, Promise.resolve(null)).then(function (best) {
      if (riseCurve.key === key) riseCurve.peak = best;
      return riseCurve.key === key ? best : null;
    });
  }
  function pctChange(x) { return (x >= 0 ? '+' : '\u2212') + Math.abs(Math.round(x * 100)) + ' %'; }
  // What this block does to the circuit, in the engine's numbers; once the release has fallen
  // well below the grid's largest (a fifth or more) it says that it shrinks at high block.
  function circuitNote(res, peak) {
    var fh = res.fixed_points.healthy, fb = res.fixed_points.blocked, r = rise(res), occ = res.occupancy;
    var s = 'A healthy brain\'s circuit (the run views start from a depressed one). Resting excitatory activity ' + fh[0].toFixed(3) + ' with no block \u2192 ' +
      fb[0].toFixed(3) + ' with this block (' + pctChange(r) + ')';
    if (occ === 0) return s + ': with no block both circuits are the same.';
    if (!res.disinhibition) return s + ': with disinhibition switched off the block reaches only the pyramidal cells and takes excitation away.';
    if (r <= 0) return s + ': here the block on the pyramidal cells\' own NMDA receptors outweighs the release from the interneurons.';
    s += ': blocking the interneurons (' + Math.round(res.interneuron_occupancy * 100) + ' %) more than the pyramidal cells releases excitation.';
    if (peak && peak.rise > 0 && occ > peak.occ && r < 0.8 * peak.rise) {
      s += ' The release is largest near ' + Math.round(peak.occ * 100) + ' % block (' + pctChange(peak.rise) + ') and shrinks at higher block: the interneurons are already mostly blocked, ' +
        'while the block on the pyramidal cells\' own NMDA receptors keeps growing.';
    }
    return s;
  }
  function showCircuitNote(res) {
    $('circuit-note').textContent = circuitNote(res, riseCurve.peak);
    hook.circuitNote = $('circuit-note').textContent;
    if (res.occupancy <= RISE_GRID[0] || !res.disinhibition) return;
    loadRisePeak().then(function (peak) { if (peak && lastCircuit === res) { $('circuit-note').textContent = hook.circuitNote = circuitNote(res, peak); } });
  }
  // the two colours, then what the line styles mean (each "style: meaning" kept on one line)
  function legendHtml(key) {
    return '<span class="lg"><i style="border-color:' + OI.blue + '"></i>no block</span><span class="lg"><i style="border-color:' + OI.red + '"></i>blocked</span>' +
      '<span class="lg key">' + key.split(' \u00b7 ').map(function (part) { return '<span class="nw">' + K.esc(part) + '</span>'; }).join(' \u00b7 ') + '</span>';
  }
  function drawCircuit(res) {
    lastCircuit = res;
    $('occ').value = res.occupancy; $('occ').setAttribute('aria-valuetext', Math.round(res.occupancy * 100) + ' % of NMDA receptors blocked on pyramidal cells');
    $('occ-out').textContent = '= ' + Math.round(res.occupancy * 100) + ' % (interneurons ' + Math.round(res.interneuron_occupancy * 100) + ' %)';
    showCircuitNote(res);
    var lk = look();
    drawPhase(res, lk);
    var data = uPlot.join([[res.healthy.t_ms, res.healthy.exc, res.healthy.inh], [res.blocked.t_ms, res.blocked.exc, res.blocked.inh]]);
    if (!circuitPlot) {
      circuitPlot = buildCircuitPlot(lk);
      $('circ-legend').innerHTML = legendHtml(C.CIRCUIT.time.key);
    }
    fitCircuitPlot(lk);
    circuitPlot.setData([data[0], data[1], data[2], data[3], data[4]]);
    updateCommand();
  }
  // The traces' axes sized from their labels (the projector's type, the tick labels' width),
  // so no tick label runs into an axis title.
  function circuitAxes(lk) {
    var font = C.fontOf(lk.font), bold = C.fontOf(lk.font, true), line = Math.ceil(lk.font * 1.3), ticks = 5, gap = 5;
    var common = { font: font, labelFont: bold, stroke: '#222', gap: gap, grid: { stroke: '#e3e3e3' }, ticks: { size: ticks, stroke: '#bbb', width: 1 } };
    var ySize = function (u, values) {
      var w = Math.max.apply(null, (values || ['0.000']).map(function (v) { return C.textWidth(String(v), font); }));
      return Math.ceil(line + ticks + gap + w + 6);
    };
    return [Object.assign({ label: C.CIRCUIT.time.x[0], labelSize: line, size: circuitXAxisSize(lk) }, common),
      Object.assign({ label: C.CIRCUIT.time.y[0], labelSize: line, size: ySize }, common)];
  }
  function circuitXAxisSize(lk) { return 5 + 5 + Math.ceil(lk.font * 1.2) + Math.ceil(lk.font * 1.3); }
  function buildCircuitPlot(lk) {
    var mk = function (lab, color, dash) { return { label: lab, stroke: color, width: 2 * lk.lw, dash: dash, spanGaps: true, points: { show: false } }; };
    var size = circuitTimeSize(lk);
    return new uPlot({ width: size.width, height: size.height, legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } }, axes: circuitAxes(lk),
      series: [{}, mk('excitatory, no block', OI.blue), mk('inhibitory, no block', OI.blue, [6, 4]), mk('excitatory, blocked', OI.red), mk('inhibitory, blocked', OI.red, [6, 4])] }, [[]], $('circ-time'));
  }
  // Side by side the traces are as tall as the phase plane; always tall enough for their y title.
  function circuitTimeSize(lk) {
    var beside = circuitStacked() ? 0 : $('phase').height / (devicePixelRatio || 1);
    var title = C.textWidth(C.CIRCUIT.time.y[0], C.fontOf(lk.font, true)) + circuitXAxisSize(lk) + 2 * Math.ceil(lk.font * 1.3);
    return { width: Math.max(260, $('circ-time').clientWidth || 400), height: Math.ceil(Math.max(lk.total + 40, beside, title)) };
  }
  function fitCircuitPlot(lk) {
    if (!circuitPlot) return;
    var size = circuitTimeSize(lk);
    if (Math.abs(size.width - circuitPlot.width) >= 1 || size.height !== circuitPlot.height) circuitPlot.setSize(size);
  }
  // the phase plane below the traces (a narrow screen) rather than beside them
  function circuitStacked() {
    var a = $('circ-time').getBoundingClientRect(), b = $('phase').getBoundingClientRect();
    return b.top >= a.bottom - 1 && b.height > 0;
  }
  // The phase plane on its canvas; as tall as 3/4 of its width, and never too short for its y title.
  function drawPhase(res, lk) {
    var cv = $('phase'), w = cv.clientWidth || 480, dpr = devicePixelRatio || 1;
    var h = Math.max(Math.round(w * 0.75), C.minPlotHeight(lk.font, C.CIRCUIT.phase.y));
    cv.width = w * dpr; cv.height = h * dpr; cv.style.height = h + 'px';
    var ctx = cv.getContext('2d'); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
    C.paintPhase(C.canvasPainter(ctx), res, C.phaseFrame(res, w, h, lk.font), { healthy: OI.blue, blocked: OI.red }, lk.lw);
    $('phase-legend').innerHTML = legendHtml(C.CIRCUIT.phase.key);
    hook.circuit = { occupancy: res.occupancy, interneurons: res.interneuron_occupancy, fixed: res.fixed_points };
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
  // A page opened from a file (or from this computer's own server) has an address no one else
  // can open: copy the link relative to the page, which works next to any copy of the file.
  function shareLink() {
    var local = location.protocol === 'file:' || /^(127\.0\.0\.1|localhost|\[::1\])$/.test(location.hostname);
    if (!local) return { text: location.href, msg: 'Link copied: it opens exactly this view.' };
    var file = decodeURIComponent(location.pathname.split('/').pop() || '');
    if (!/\.html?$/i.test(file)) file = 'synsim-lab.html';
    return { text: file + '#' + toHash(),
      msg: 'Link copied, relative to the page: put it next to synsim-lab.html on a web page, or open your copy of the file and paste the part from # on at the end of its address.' };
  }
  function copyLink() { writeHash(); var l = shareLink(); copyText(l.text, l.msg); }
  function save(blob, name) {
    var a = document.createElement('a'), url = URL.createObjectURL(blob);
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 4000);
    $('share-msg').textContent = 'Saved ' + name + '.';
    hook.lastDownload = { name: name, size: blob.size };
  }
  // Each view exports its own figure, data and command.
  function popShown() { return st.mode === 'population' && population && population.key === popKeyNow() ? population : null; }
  function circuitOcc() {
    return st.occ != null ? st.occ : current && current.summary.peak_nmda_occupancy ? Math.min(0.95, +current.summary.peak_nmda_occupancy.value.toFixed(3)) : 0.5;
  }
  // `synsim circuit` with the lab's block, length and changed parameters (the lab's circuit
  // starts from the registry's values with the page's changes, as the command line does)
  function circuitCommand(occ) {
    var r = request(), cmd = 'synsim circuit --occupancy ' + occ + ' --duration-ms ' + CIRCUIT_MS;
    if (r.set) Object.keys(r.set).forEach(function (n) { cmd += ' --set ' + n + '=' + r.set[n]; });
    return cmd;
  }
  var CIRCUIT_MS = 200;
  function updateCommand() {
    var txt = '', lab = 'The same run on the command line';
    if (st.mode === 'population') {
      var pop = popShown();
      lab = 'The same virtual patients on the command line';
      txt = pop ? pop.command + (placeboPop && placeboPop.command ? '\n' + placeboPop.command : '') : 'Simulating the population\u2026';
    } else if (st.mode === 'circuit') {
      lab = 'The same circuit on the command line';
      txt = lastCircuit ? circuitCommand(lastCircuit.occupancy) : '';
    } else txt = current ? current.command || '' : '';
    $('command').textContent = txt;
    $('command-label').textContent = lab;
    hook.command = txt;
  }
  function figurePanels() { return st.mode === 'population' && popPanels.length ? popPanels : panels; }
  function figTitle() {
    var pop = popShown();
    if (pop) return (current ? current.title : scen().title) + ': ' + pop.patients + ' virtual patients' + (placeboPop ? ', beside a placebo arm' : '');
    return current ? current.title : 'synsim';
  }
  function figSub() {
    var pop = popShown();
    if (pop) return (current && current.regimen ? current.regimen + ' \u00b7 ' : '') + pop.command;
    return (current && current.regimen ? current.regimen + ' \u00b7 ' : '') + (current ? current.command : '');
  }
  function figName(ext) { return st.mode === 'circuit' ? 'synsim-circuit.' + ext : 'synsim-' + (st.mode === 'population' ? 'population-' : '') + st.scenario + '.' + ext; }
  function downloadPng() {
    var cv = st.mode === 'circuit' ? circuitFigure() : C.pngFigure(figurePanels(), figTitle(), figSub());
    if (!cv) return;
    cv.toBlob(function (b) { save(b, figName('png')); }, 'image/png');
  }
  function downloadSvg() {
    var svg = st.mode === 'circuit' ? circuitSvg() : C.svgFigure(figurePanels(), figTitle(), figSub(), { log: st.log });
    if (!svg) return;
    save(new Blob([svg], { type: 'image/svg+xml' }), figName('svg'));
  }
  function downloadCsv() {
    if (st.mode === 'population') {
      var pop = popShown();
      if (!pop) { $('share-msg').textContent = 'The population is still being simulated.'; return; }
      save(new Blob([bandsCsv(pop, placeboPop)], { type: 'text/csv' }), 'bands.csv');
      return;
    }
    if (st.mode === 'circuit') {
      if (!lastCircuit) return;
      save(new Blob([circuitCsv(lastCircuit)], { type: 'text/csv' }), 'circuit.csv');
      return;
    }
    engine.call('csv', request()).then(function (res) {
      if (!res.ok) { showError(res.error.kind, res.error.message); return; }
      save(new Blob([res.csv], { type: 'text/csv' }), 'timeseries.csv');
    });
  }
  // a number as the command line's CSV files write it (synsim_core::export::fmt_csv)
  function csvNum(v) {
    if (v == null || !isFinite(v)) return '';
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1e-4 && a < 1e7) { var t = v.toFixed(9).replace(/0+$/, '').replace(/\.$/, ''); return t === '-0' ? '0' : t; }
    return v.toExponential(8).replace('e+', 'e');
  }
  // bands.csv of `synsim population` (the placebo arm, if shown, in extra columns placebo_*)
  function bandsCsv(res, pl) {
    // the command line's column order: score, synapses, then the drug's plasma
    var rank = function (n) { return n === 'symptom_score' ? 0 : n === 'synapse_density_rel' ? 1 : 2; };
    var P = ['p5', 'p25', 'p50', 'p75', 'p95'], names = Object.keys(res.bands).map(function (n, i) { return [rank(n), i, n]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (x) { return x[2]; });
    var head = ['time_h'], cols = [res.time_h];
    function add(prefix, r) {
      names.forEach(function (n) { P.forEach(function (p) { head.push(prefix + n + '_' + p); cols.push(r.bands[n][p]); }); });
      head.push(prefix + 'response_rate', prefix + 'remission_rate'); cols.push(r.response_rate, r.remission_rate);
    }
    add('', res);
    if (pl && pl.time_h.length === res.time_h.length) add('placebo_', pl);
    var out = [head.join(',')];
    for (var i = 0; i < res.time_h.length; i++) out.push(cols.map(function (c) { return csvNum(c[i]); }).join(','));
    return out.join('\n') + '\n';
  }
  // circuit.csv (blocked) and circuit_healthy.csv of `synsim circuit`, side by side
  function circuitCsv(res) {
    var b = res.blocked, h = res.healthy, n = Math.max(b.t_ms.length, h.t_ms.length), same = b.t_ms.length === h.t_ms.length && b.t_ms.every(function (t, i) { return t === h.t_ms[i]; });
    var out = [same ? 'time_ms,exc_activity,inh_activity,exc_activity_healthy,inh_activity_healthy' : 'time_ms,exc_activity,inh_activity,time_ms_healthy,exc_activity_healthy,inh_activity_healthy'];
    for (var i = 0; i < n; i++) {
      var row = [csvNum(b.t_ms[i]), csvNum(b.exc[i]), csvNum(b.inh[i])];
      if (!same) row.push(csvNum(h.t_ms[i]));
      row.push(csvNum(h.exc[i]), csvNum(h.inh[i]));
      out.push(row.join(','));
    }
    return out.join('\n') + '\n';
  }
  function circuitTitle() { return 'The fast E/I circuit over milliseconds, NMDA block ' + Math.round(lastCircuit.occupancy * 100) + ' % on pyramidal cells'; }
  // the figure as the page shows it: its title, command and numbers, the two panels
  function circuitFig() {
    var res = lastCircuit;
    return { res: res, title: circuitTitle(), stacked: circuitStacked(),
      notes: [circuitCommand(res.occupancy), 'Resting excitatory activity ' + res.fixed_points.healthy[0].toFixed(3) + ' with no block, ' + res.fixed_points.blocked[0].toFixed(3) +
        ' with this block (' + pctChange(rise(res)) + '); NMDA block on interneurons ' + Math.round(res.interneuron_occupancy * 100) + ' %.'] };
  }
  function circuitFigure() { return lastCircuit ? C.circuitPng(circuitFig()) : null; }
  function circuitSvg() { return lastCircuit ? C.circuitSvg(circuitFig()) : null; }

  // ---------- start ----------
  hook = window.synsimLab = {
    ready: false, engineKind: null, catalog: null, state: null, request: null, response: null, series: null,
    renderCount: 0, intro: null, latencies: [], changeMs: [], inputAt: null, pins: 0, ghostSeries: 0, population: null, circuit: null, errors: [], cursorTime: null,
    hash: function () { return toHash(); },
    pct: function (x) { return cliPct(x); },
    // every visible plot: its drawn width against its container's (a plot built while hidden must follow)
    // the current run's value of a column at a time (as the legends read it)
    valueAt: function (col, t) { return current ? C.valueAt(current, col, t) : null; },
    plotFit: function () {
      var out = [];
      panels.concat(popPanels).forEach(function (p) { if (p.u && p.plotEl.offsetParent) out.push({ id: p.spec.id, plot: p.u.width, box: p.plotEl.clientWidth }); });
      if (circuitPlot && $('circ-time').offsetParent) out.push({ id: 'circuit', plot: circuitPlot.width, box: $('circ-time').clientWidth });
      return out;
    },
    // colours of the lines and labels drawn in the visible plots, with their contrast on white
    lineColors: function () {
      var out = [];
      panels.concat(popPanels).forEach(function (p) {
        if (!p.u || !p.plotEl.offsetParent) return;
        (p.active || []).forEach(function (x) { if (x.color && x.color !== 'transparent' && (x.width == null || x.width > 0)) out.push({ panel: p.spec.id, what: x.label, color: x.color, contrast: C.contrastOnWhite(x.color) }); });
        (p.refs || []).forEach(function (l) { out.push({ panel: p.spec.id, what: l.label, color: l.color, contrast: C.contrastOnWhite(l.color) }); });
      });
      return out;
    },
    // each panel's drawn cursor and where the time the legends read lies on its axis (CSS px)
    cursorDrawn: function () { return panels.filter(function (p) { return p.u; }).map(function (p) { return { drawn: p.u.cursor.left, legends: p.u.valToPos(cursorT, 'x') }; }); },
    // the time axis's title (drawn on the canvas, under the lowest panel)
    timeAxisTitles: function () { return panels.filter(function (p) { return p.u && p.u.axes[0].label; }).map(function (p) { return p.u.axes[0].label(p.u); }); },
    // each panel's axis titles as drawn on its canvas
    axisTitles: function () { return panels.filter(function (p) { return p.u; }).map(function (p) { return { id: p.spec.id, titles: p.axisTitles() }; }); },
    stats: function () {
      var a = hook.latencies.slice().sort(function (x, y) { return x - y; });
      var q = function (p) { return a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : null; };
      return { n: a.length, median_ms: q(0.5), p95_ms: q(0.95) };
    },
  };
  function start() {
    status('Loading the model\u2026', 'busy');
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
      lastHash = location.hash.replace(/^#/, '');
      st = h.state;
      setProjectorClass();
      buildControls(); buildPanels(); watchCircuitSize();
      // a link pasted into the address bar of the open page (e.g. a downloaded copy)
      window.addEventListener('hashchange', function () {
        lastHash = location.hash.replace(/^#/, '');
        if (lastHash === toHash()) return;
        var h2 = fromHash(location.hash); undoStack.push(JSON.stringify(st)); st = h2.state; cursorT = st.t; applyProjector();
        pins = []; renderPins();
        loadPins(h2.pins).then(afterChange);
      });
      cursorT = st.t;
      return loadPins(h.pins).then(afterChange);
    }).catch(function (e) {
      status(String(e && e.message || e), 'error');
      hook.errors.push(String(e && e.message || e));
    });
  }
  start();
})();
