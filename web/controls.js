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

  // One registry parameter as a control: range slider + number (or a checkbox for switches),
  // with unit, range, default, source, an "illustrative" badge and a reset button.
  // opts: {label, onChange(name, value), compact}
  function ParamRow(def, opts) {
    var self = this, id = 'p' + (++uid) + '-' + def.name.replace(/[^a-z0-9]/gi, '-');
    this.def = def; this.opts = opts;
    var row = this.el = el('div', { class: 'prow' + (def.kind === 'switch' ? ' switch' : ''), 'data-param': def.name });
    var badge = def.illustrative ? ' <span class="badge" title="chosen for teaching, not measured">illustrative</span>' : '';
    var meta = (def.kind === 'switch' ? 'default ' + (def.default ? 'on' : 'off')
      : (def.unit ? def.unit + ' \u00b7 ' : '') + 'range ' + fmt(def.min) + ' to ' + fmt(def.max) + ' \u00b7 default ' + fmt(def.default)) +
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
    this.el.classList.toggle('changed', !!changed);
    if (this.box) { this.box.checked = !!value; return; }
    if (document.activeElement !== this.range) this.range.value = this.toSlider(value);
    if (document.activeElement !== this.num) this.num.value = fmt(value);
    this.out.textContent = '= ' + fmt(value) + (this.def.unit ? ' ' + this.def.unit : '');
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

  window.SynsimControls = { ParamRow: ParamRow, DOSE_UI: DOSE_UI, compose: compose, parse: parse, fmt: fmt, esc: esc, el: el };
})();
