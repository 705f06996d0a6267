/* synsim lab: controls generated from the engine's parameter registry, and the regimen
 * builder (plain controls that write regimen notation). */
(function () {
  'use strict';

  function el(tag, attrs, html) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] != null) e.setAttribute(k, attrs[k]); });
    if (html != null) e.innerHTML = html;
    return e;
  }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function fmt(v) {
    if (v == null || !isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace(/\.?0+e/, 'e');
    return String(+v.toPrecision(4));
  }
  var uid = 0;

  // The catalog's unit symbols in words, for screen readers and for students
  var UNIT_WORDS = { d: 'days', h: 'hours', min: 'minutes', w: 'weeks', ms: 'milliseconds', kg: 'kg', L: 'litres',
    'L/h': 'litres per hour', 'L/kg': 'litres per kg', '1/h': 'per hour', '1/min': 'per minute', '1/d': 'per day',
    uM: 'micromolar', 'ng/mL': 'nanograms per millilitre', mg: 'mg', 'mg/kg': 'mg per kg of body weight', points: 'points',
    fraction: '(fraction, 0 to 1)', '0-1': '(index, 0 to 1)', '\u00d7 healthy': '\u00d7 healthy', '-': '', '': '' };
  function unitWords(u) { return u == null ? '' : UNIT_WORDS[u] != null ? UNIT_WORDS[u] : u; }
  // how a unit is shown beside a value: the symbol, with the words where they say more
  function unitShown(u) {
    if (!u || u === '-') return '';
    var w = unitWords(u);
    return w && w !== u && !/^\(/.test(w) ? u + ' (' + w + ')' : w && /^\(/.test(w) ? w : u;
  }
  // a "nice" step for a linear slider: 1, 2 or 5 x 10^k, about 1/100 of the range
  function niceStep(range) {
    if (!(range > 0)) return 1;
    var raw = range / 100, e = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / e;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * e;
  }

  // One registry parameter as a control: range slider + number (or a checkbox for switches),
  // with unit, range, default, source, an "illustrative" badge and a reset button.
  // opts: {label, onChange(name, value), compact}
  function ParamRow(def, opts) {
    var self = this, id = 'p' + (++uid) + '-' + def.name.replace(/[^a-z0-9]/gi, '-');
    this.def = def; this.opts = opts;
    var row = this.el = el('div', { class: 'prow' + (def.kind === 'switch' ? ' switch' : ''), 'data-param': def.name });
    var badge = def.illustrative ? ' <span class="badge" title="chosen for teaching, not measured">illustrative</span>' : '';
    var meta = (def.kind === 'switch' ? 'default ' + (def.default ? 'on' : 'off')
      : (unitShown(def.unit) ? 'unit: ' + esc(unitShown(def.unit)) + ' \u00b7 ' : '') + 'range ' + fmt(def.min) + ' to ' + fmt(def.max) + ' \u00b7 default ' + fmt(def.default)) +
      (def.source ? ' \u00b7 source: ' + esc(def.source) : '');
    if (def.kind === 'switch') {
      row.innerHTML = '<div class="check"><input type="checkbox" id="' + id + '"><label for="' + id + '">' + esc(opts.label || def.description) + '</label>' + badge + '</div>' +
        '<div class="pmeta"><code>' + esc(def.name) + '</code> \u00b7 ' + (def.plain ? esc(def.plain) + ' \u00b7 ' : '') + (opts.label ? esc(def.description) + ' \u00b7 ' : '') + meta + '</div>';
      this.box = row.querySelector('input');
      this.box.addEventListener('change', function () { opts.onChange(def.name, self.box.checked); });
    } else {
      var step = def.kind === 'integer' ? 1 : 'any';
      row.innerHTML =
        '<div class="pname"><label for="' + id + '">' + esc(opts.label || def.name) + ' <span class="out"></span></label>' + badge +
        (opts.label ? ' <code>' + esc(def.name) + '</code>' : '') + '</div>' +
        (opts.label ? '' : '<div class="pdesc">' + (def.plain ? '<b>' + esc(def.plain) + '</b> \u00b7 ' : '') + esc(def.description) + '</div>') +
        '<div class="slider-row"><input type="range" id="' + id + '" min="0" max="1000" step="1">' +
        '<input type="number" min="' + def.min + '" max="' + def.max + '" step="' + step + '" aria-label="' + esc(def.name) + ' value">' +
        '<button class="reset" type="button" title="Back to the default">reset</button></div>' +
        '<div class="pmeta">' + (opts.label ? esc(def.description) + ' \u00b7 ' : '') + meta + '</div>';
      this.range = row.querySelector('input[type=range]');
      this.num = row.querySelector('input[type=number]');
      this.out = row.querySelector('.out');
      this.range.addEventListener('input', function () { opts.onChange(def.name, self.fromSlider(+self.range.value), 'drag'); });
      this.range.addEventListener('pointerdown', function () { self.dragging = true; });
      this.range.addEventListener('pointerup', function () { self.dragging = false; });
      this.range.addEventListener('change', function () { self.dragging = false; });
      // arrow keys step in the parameter's own units (the slider's 1/1000 steps are for dragging)
      this.range.addEventListener('keydown', function (ev) {
        var dir = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[ev.key];
        if (ev.key === 'Home' || ev.key === 'End') { ev.preventDefault(); opts.onChange(def.name, ev.key === 'Home' ? def.min : def.max); return; }
        if (!dir) return;
        ev.preventDefault();
        opts.onChange(def.name, self.stepFrom(self.value != null ? self.value : def.default, dir));
      });
      this.num.addEventListener('change', function () {
        var v = parseFloat(self.num.value);
        if (!isFinite(v)) return;
        v = Math.min(def.max, Math.max(def.min, v));
        if (def.kind === 'integer') v = Math.round(v);
        opts.onChange(def.name, v);
      });
      row.querySelector('.reset').addEventListener('click', function () { opts.onChange(def.name, null); });
    }
  }
  // the next value an arrow key gives: linear, a round step of about 1/100 of the range
  // (10 per PageUp); log-scaled, about 10 % (PageUp: x2), at two significant digits
  ParamRow.prototype.stepFrom = function (v, dir) {
    var d = this.def, out;
    if (d.kind === 'integer') out = Math.round(v) + dir;
    else if (this.log()) {
      var f = Math.abs(dir) >= 10 ? 2 : 1.1;
      out = dir > 0 ? v * f : v / f;
      out = +out.toPrecision(2);
      if (out === +v.toPrecision(2)) out = +(dir > 0 ? v * 1.2 : v / 1.2).toPrecision(2);
    } else {
      var st = this.step(), n = Math.round(v / st) + dir;
      out = +(n * st).toPrecision(12);
      if (Math.abs(dir) === 1 && Math.abs(out - v) < st / 2) out = +((n + dir) * st).toPrecision(12);
    }
    return Math.min(d.max, Math.max(d.min, out));
  };
  ParamRow.prototype.step = function () { return niceStep(this.def.max - this.def.min); };
  ParamRow.prototype.log = function () { return this.def.log_scale && this.def.min > 0; };
  ParamRow.prototype.fromSlider = function (x) {
    var d = this.def, v;
    if (this.log()) v = d.min * Math.pow(d.max / d.min, x / 1000);
    else v = d.min + (d.max - d.min) * x / 1000;
    v = d.kind === 'integer' ? Math.round(v) : +v.toPrecision(3);
    return Math.min(d.max, Math.max(d.min, v));
  };
  ParamRow.prototype.toSlider = function (v) {
    var d = this.def;
    if (this.log()) return Math.round(1000 * Math.log(v / d.min) / Math.log(d.max / d.min));
    return Math.round(1000 * (v - d.min) / (d.max - d.min || 1));
  };
  // value: current value; changed: differs from the scenario default
  ParamRow.prototype.show = function (value, changed) {
    // nothing to do if nothing changed (the page calls this for every row after each change)
    if (value === this.shownValue && !!changed === this.shownChanged && !this.dragging && document.activeElement !== this.num) return;
    this.shownValue = value; this.shownChanged = !!changed;
    this.el.classList.toggle('changed', !!changed);
    if (this.box) { this.box.checked = !!value; return; }
    this.value = value;
    if (!this.dragging) this.range.value = this.toSlider(value);
    if (document.activeElement !== this.num) this.num.value = fmt(value);
    var u = this.def.unit && this.def.unit !== '-' ? this.def.unit : '';
    this.out.textContent = '= ' + fmt(value) + (u ? ' ' + u : '');
    this.range.setAttribute('aria-valuetext', fmt(value) + (unitWords(u) ? ' ' + unitWords(u) : ''));
  };

  // ---------- regimen builder ----------
  // Dose slider ranges per drug and unit (UI ranges, not model parameters): [min, max, step, default]
  var DOSE_UI = {
    ketamine: { 'mg/kg': [0.05, 2, 0.05, 0.5], mg: [5, 150, 5, 35] },
    esketamine: { mg: [14, 112, 14, 56], 'mg/kg': [0.05, 1.5, 0.05, 0.2] },
    escitalopram: { mg: [5, 40, 5, 10] },
  };
  function compose(b) {
    var s = b.drug;
    if (b.drug !== 'placebo') s += ' ' + fmt(b.dose) + ' ' + b.unit;
    s += ' ' + b.route;
    if (b.route === 'iv') s += b.over > 0 ? ' over ' + fmt(b.over) + ' min' : ' bolus';
    if (b.sched === 'once') s += ' once';
    else {
      if (b.sched === 'every') s += ' every ' + fmt(b.interval) + ' d';
      else if (b.sched === 'mwf') s += ' on mon,wed,fri';
      else s += ' ' + b.sched;
      s += ' x ' + Math.max(1, Math.round(b.count));
      if (b.maint) s += ' then every ' + Math.max(1, Math.round(b.maintEvery)) + ' w x ' + Math.max(1, Math.round(b.maintCount));
    }
    return s;
  }
  // Best effort: read the builder's fields back from notation. Returns {b, exact}: exact is
  // false when the text says more than the controls can show (the text box stays the truth).
  function parse(text) {
    var t = String(text || '').trim().toLowerCase().replace(/\s+/g, ' ');
    var m = t.match(/^(ketamine|esketamine|s-ketamine|escitalopram|placebo|saline)(?: ([\d.]+) ?(mg\/kg|mg))? (iv|nasal|oral|intravenous|intranasal|po)( bolus)?(?: over ([\d.]+) ?(min|h))? (.*)$/);
    if (!m) return null;
    var drug = { 's-ketamine': 'esketamine', saline: 'placebo' }[m[1]] || m[1];
    var route = { intravenous: 'iv', intranasal: 'nasal', po: 'oral' }[m[4]] || m[4];
    var b = { drug: drug, dose: m[2] ? +m[2] : null, unit: m[3] || null, route: route,
      over: m[6] ? +m[6] * (m[7] === 'h' ? 60 : 1) : 0, sched: 'once', interval: 3.5, count: 1, maint: false, maintEvery: 4, maintCount: 3 };
    var rest = m[8], exact = true, r;
    var maint = rest.match(/^(.*) then every ([\d.]+) w x (\d+)$/);
    if (maint) { rest = maint[1]; b.maint = true; b.maintEvery = +maint[2]; b.maintCount = +maint[3]; }
    if (rest === 'once') b.sched = 'once';
    else if ((r = rest.match(/^every ([\d.]+) ?d x ?(\d+)$/))) { b.sched = 'every'; b.interval = +r[1]; b.count = +r[2]; }
    else if ((r = rest.match(/^on mon,wed,fri x ?(\d+)$/))) { b.sched = 'mwf'; b.count = +r[1]; }
    else if ((r = rest.match(/^(twice weekly|weekly|daily) x ?(\d+)$/))) { b.sched = r[1]; b.count = +r[2]; }
    else if ((r = rest.match(/^(twice weekly|weekly|daily) for ([\d.]+) ?(d|w)$/))) {
      b.sched = r[1]; var span = +r[2] * (r[3] === 'w' ? 7 : 1), per = { daily: 1, weekly: 7, 'twice weekly': 3.5 }[r[1]];
      b.count = Math.ceil(span / per - 1e-9); exact = false;
    } else { exact = false; var first = rest.match(/^(once|every ([\d.]+) ?d|twice weekly|weekly|daily)/); if (first) { b.sched = first[2] ? 'every' : first[1]; if (first[2]) b.interval = +first[2]; } }
    return { b: b, exact: exact };
  }

  // ---------- phases: "A then B then C" ----------
  // The builder shows one phase of a regimen and rewrites only that phase; the other phases
  // keep their text. Later phases may omit drug, dose and route (they carry over).
  var PER_DAY = { daily: 1, weekly: 7, 'twice weekly': 3.5 };
  var DEFAULT_COUNT = { every: 6, mwf: 6, 'twice weekly': 8, weekly: 4, daily: 28 };
  function durDays(n, u) { return +n * ({ h: 1 / 24, d: 1, w: 7, months: 30 }[u] || 1); }
  // a phase's schedule words -> {sched, interval, count, exact}; sched 'custom' when the
  // builder has no control for it (the words are then kept as written)
  function parseSched(t) {
    var r;
    if (t === 'once') return { sched: 'once', interval: 3.5, count: 1, exact: true };
    if ((r = t.match(/^every ([\d.]+) ?(h|d|w) x ?(\d+)$/))) return { sched: 'every', interval: durDays(r[1], r[2]), count: +r[3], exact: r[2] === 'd' };
    if ((r = t.match(/^every ([\d.]+) ?(h|d|w) for ([\d.]+) ?(d|w|months)$/))) {
      var iv = durDays(r[1], r[2]);
      return { sched: 'every', interval: iv, count: Math.ceil(durDays(r[3], r[4]) / iv - 1e-9), exact: false };
    }
    if ((r = t.match(/^on mon,wed,fri x ?(\d+)$/))) return { sched: 'mwf', interval: 3.5, count: +r[1], exact: true };
    if ((r = t.match(/^(twice weekly|weekly|daily) x ?(\d+)$/))) return { sched: r[1], interval: 3.5, count: +r[2], exact: true };
    if ((r = t.match(/^(twice weekly|weekly|daily) for ([\d.]+) ?(d|w|months)$/))) return { sched: r[1], interval: 3.5, count: Math.ceil(durDays(r[2], r[3]) / PER_DAY[r[1]] - 1e-9), exact: false };
    return { sched: 'custom', interval: 3.5, count: 1, exact: false };
  }
  function composeSched(p) {
    if (p.sched === 'once') return 'once';
    var n = Math.max(1, Math.round(p.count));
    if (p.sched === 'every') return 'every ' + fmt(p.interval) + ' d x ' + n;
    if (p.sched === 'mwf') return 'on mon,wed,fri x ' + n;
    return p.sched + ' x ' + n;
  }
  var DRUG_RE = '(ketamine|esketamine|s-ketamine|escitalopram|placebo|saline)';
  // Returns {phases: [...]} or null when the builder cannot show the regimen (several
  // strands joined with "+", or words it does not read); the text box stays the truth.
  function parsePhases(text) {
    var t = String(text || '').trim().toLowerCase().replace(/\s+/g, ' ');
    if (!t || t.indexOf('+') >= 0) return null;
    var parts = t.split(/ then /), first = parse(parts[0]);
    if (!first) return null;
    var b = first.b, phases = [];
    var head0 = parts[0].match(/^(.*?) ?(once|every .*|on .*|twice weekly.*|weekly.*|daily.*)$/);
    var sch0 = parseSched(head0 ? head0[2] : '');
    phases.push({ ownDose: true, dose: b.dose, unit: b.unit, extra: '', schedText: head0 ? head0[2] : 'once',
      sched: sch0.sched, interval: sch0.interval, count: sch0.count, exact: sch0.exact });
    for (var i = 1; i < parts.length; i++) {
      var m = parts[i].match(new RegExp('^(?:' + DRUG_RE + ' )?(?:([\\d.]+) ?(mg/kg|mg) )?((?:(?:iv|intravenous|nasal|intranasal|oral|po|bolus|infusion) |over [\\d.]+ ?(?:min|h) |after [\\d.]+ ?(?:min|h|d|w) )*)(.+)$'));
      if (!m) return null;
      var drug = m[1] ? ({ 's-ketamine': 'esketamine', saline: 'placebo' }[m[1]] || m[1]) : b.drug;
      if (drug !== b.drug) return null;     // a change of drug: the text box only
      var sc = parseSched(m[5]);
      phases.push({ ownDose: !!m[2], dose: m[2] ? +m[2] : null, unit: m[3] || null, extra: m[4].trim(), schedText: m[5],
        sched: sc.sched, interval: sc.interval, count: sc.count, exact: sc.exact });
    }
    // carry the dose over
    for (var k = 1; k < phases.length; k++) if (!phases[k].ownDose) { phases[k].dose = phases[k - 1].dose; phases[k].unit = phases[k - 1].unit; }
    return { head: b, phases: phases };
  }
  // head: {drug, unit, route, over} (phase 1's; carried over); phases as parsePhases gives them,
  // with dirty phases' schedules rewritten from their fields
  function composePhases(head, phases) {
    return phases.map(function (p, i) {
      var sch = p.dirty ? composeSched(p) : p.schedText;
      if (i === 0) {
        var b = Object.assign({}, head, { dose: p.dose, unit: p.unit || head.unit, sched: 'once' });
        return compose(b).replace(/ once$/, '') + ' ' + sch;
      }
      return (p.ownDose && head.drug !== 'placebo' ? fmt(p.dose) + ' ' + (p.unit || head.unit) + ' ' : '') + (p.extra ? p.extra + ' ' : '') + sch;
    }).join(' then ');
  }
  function phaseLabel(p, i, n) {
    var sch = p.dirty ? composeSched(p) : p.schedText;
    return 'Phase ' + (i + 1) + ' of ' + n + ': ' + (p.dose != null ? fmt(p.dose) + ' ' + (p.unit || '') + ' ' : '') + sch +
      ' (' + (p.sched === 'custom' ? 'as written' : p.count + ' dose' + (p.count === 1 ? '' : 's')) + ')';
  }

  window.SynsimControls = { ParamRow: ParamRow, DOSE_UI: DOSE_UI, unitWords: unitWords, unitShown: unitShown, niceStep: niceStep, compose: compose, parse: parse, parsePhases: parsePhases, composePhases: composePhases, composeSched: composeSched, phaseLabel: phaseLabel, DEFAULT_COUNT: DEFAULT_COUNT, fmt: fmt, esc: esc, el: el };
})();
