/* synsim lab: time axis, linked uPlot panels, dose markers, reference lines, ghosts,
 * and the PNG/SVG figure export. No model logic here. */
(function () {
  'use strict';

  // Okabe-Ito (colour-blind safe); one meaning per colour within a panel
  var OI = { black: '#000000', orange: '#E69F00', sky: '#56B4E9', green: '#009E73',
    yellow: '#F0E442', blue: '#0072B2', red: '#D55E00', purple: '#CC79A7', grey: '#777777' };
  // Projector: the same hues, the light ones darkened (same hue, lower luminance) so that every
  // line and label has at least 3:1 contrast on white; sky-blue lines are also dashed there,
  // so they stay apart from the blue ones without relying on colour.
  var OI_PROJ = { black: '#000000', orange: '#B77E00', sky: '#438FBA', green: '#009E73',
    yellow: '#8F8500', blue: '#0072B2', red: '#D55E00', purple: '#B96D97', grey: '#666666' };
  function luminance(hex) {
    var h = String(hex).replace('#', '');
    if (h.length === 3) h = h.replace(/./g, '$&$&');
    var n = parseInt(h, 16);
    var lin = function (c) { c /= 255; return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(n >> 16 & 255) + 0.7152 * lin(n >> 8 & 255) + 0.0722 * lin(n & 255);
  }
  // WCAG contrast ratio of a colour against white
  function contrastOnWhite(hex) { return 1.05 / (luminance(hex) + 0.05); }
  var GHOST_DASH = [[9, 5], [3, 4], [12, 4, 3, 4]];

  // ---------- time: a symmetric-log transform (run-in compressed) and human tick labels ----------
  var T0 = 0.05;        // hours: linear below ~3 min
  var NEG = 0.45;       // the run-in (negative time) is drawn compressed
  function fwdLog(h) { var v = Math.log10(1 + Math.abs(h) / T0); return h < 0 ? -NEG * v : v; }
  function bwdLog(v) { var h = T0 * (Math.pow(10, Math.abs(v) / (v < 0 ? NEG : 1)) - 1); return v < 0 ? -h : h; }

  function trimNum(v, d) { return String(+v.toFixed(d)); }
  function fmtTick(h) {
    var s = h < 0 ? '\u2212' : '', a = Math.abs(h);
    if (a < 1e-9) return '0';
    if (a < 1) return s + trimNum(a * 60, 0) + ' min';
    if (a < 24) return s + trimNum(a, 1) + ' h';
    if (a >= 168 && Math.abs(a / 168 - Math.round(a / 168)) < 1e-9) return s + Math.round(a / 168) + ' w';
    return s + trimNum(a / 24, 1) + ' d';
  }
  function fmtTime(h) {
    var s = h < 0 ? '\u2212' : '', a = Math.abs(h);
    if (a < 1) return s + trimNum(a * 60, 0) + ' min';
    if (a < 48) return s + trimNum(a, a < 10 ? 2 : 1) + ' h';
    return s + trimNum(a / 24, 1) + ' d';
  }
  var LOG_TICKS = [-12, -2, -1, 0, 1 / 6, 0.5, 1, 2, 6, 12, 24, 48, 96, 168, 336, 504, 672];
  for (var w = 8; w <= 104; w += 4) LOG_TICKS.push(w * 168);
  var LIN_STEPS = [1, 2, 6, 12, 24, 48, 84, 168, 336, 672, 1344, 2688, 4032];

  function timeTicks(log, min, max, widthPx, minPx) {
    var out = [];
    if (log) {
      var lastPx = -1e9, span = fwdLog(max) - fwdLog(min);
      LOG_TICKS.forEach(function (t) {
        if (t < min - 1e-9 || t > max + 1e-9) return;
        var px = (fwdLog(t) - fwdLog(min)) / span * widthPx;
        if (px - lastPx >= minPx) { out.push(t); lastPx = px; }
      });
      return out;
    }
    var range = max - min, step = LIN_STEPS[LIN_STEPS.length - 1];
    for (var i = 0; i < LIN_STEPS.length; i++) if (range / LIN_STEPS[i] * minPx <= widthPx) { step = LIN_STEPS[i]; break; }
    for (var t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) out.push(t);
    return out;
  }
  // The y axes' gutters. On one screen the plots are too short for a rotated title, so each title
  // is written across in a column of its own outside the tick values (look.cols: the columns'
  // widths, the same for every panel so that the plot areas line up).
  // (whole pixels, so that the plot areas of panels with and without a right axis end alike)
  function tickColumn(look) { return Math.round(look.font * 3.6); }
  function axisTitle(y, look) { return look.fit && y.short || y.label; }
  function rightGutter(look) { return tickColumn(look) + (look.cols ? look.cols.y2 : Math.round(look.font * 1.5)); }
  function yAxisSize(look) { return tickColumn(look) + (look.cols ? look.cols.y : 0); }
  // the widest title of each side among the panels, and a margin at the window's edge
  function titleColumns(specs, look) {
    var font = fontOf(look.font, true);
    function widest(side) {
      return Math.ceil(Math.max.apply(null, [0].concat(specs.filter(function (s) { return s[side]; }).map(function (s) { return textWidth(axisTitle(s[side], look), font); }))));
    }
    return { y: widest('y') + Math.round(look.font * 0.4), y2: widest('y2') + Math.round(look.font * 0.4) };
  }
  function timeAxisTitle(log) { return timeAxisTitles(log)[0]; }
  // longest first: a narrow plot (projector type) writes the first that fits its width
  function timeAxisTitles(log) {
    return log ? ['time after the first dose, log scale (minutes, hours, days and weeks each get room; before 0 compressed)',
      'time after the first dose, log scale (before 0 compressed)', 'time after the first dose, log scale', 'time, log scale']
      : ['time after the first dose (linear scale)', 'time (linear scale)'];
  }
  function xRange(log, t) { var end = t[t.length - 1]; return log ? [-2, end] : [t[0], end]; }

  // value of series `col` of a run at time th (linear interpolation; runs are dense, never resampled)
  function valueAt(run, col, th) {
    var t = run.series.time_h, v = run.series[col];
    if (!v || !t.length) return null;
    if (th <= t[0]) return v[0];
    if (th >= t[t.length - 1]) return v[v.length - 1];
    var lo = 0, hi = t.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (t[mid] <= th) lo = mid; else hi = mid; }
    var f = (th - t[lo]) / (t[hi] - t[lo]);
    return v[lo] + (v[hi] - v[lo]) * f;
  }
  function fmtVal(v, unit) {
    if (v == null || !isFinite(v)) return '\u2013';
    var a = Math.abs(v), s;
    if (unit === 'fraction') return trimNum(v * 100, 0) + ' %';
    if (unit === '0-1') return v.toFixed(2) + ' of 1';
    s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : a >= 0.01 ? v.toFixed(3) : a === 0 ? '0' : v.toExponential(1);
    return s + (unit && unit !== 'a.u.' ? ' ' + unit : '');
  }

  function dashedInProjector(s, look) { return !!(look && look.proj && s.color === OI_PROJ.sky); }

  // ---------- a panel ----------
  // spec: {id, title, y: {label, range?}, y2?: {label}, series: [{col, label, unit, color, axis, width, fill}],
  //        refs(run) -> [{y, label, color, dash}]}
  function Panel(host, spec, look) {
    this.host = host; this.spec = spec; this.look = look; this.u = null; this.key = '';
    this.wrap = document.createElement('figure'); this.wrap.className = 'panel'; this.wrap.id = 'panel-' + spec.id;
    this.cap = document.createElement('figcaption'); this.cap.className = 'panel-head';
    this.cap.innerHTML = '<span class="panel-title">' + spec.title + '</span>';
    this.legend = document.createElement('div'); this.legend.className = 'legend';
    this.cap.appendChild(this.legend);
    this.plotEl = document.createElement('div'); this.plotEl.className = 'plot';
    this.wrap.appendChild(this.cap); this.wrap.appendChild(this.plotEl);
    host.appendChild(this.wrap);
    // A panel built while its view is hidden has no width yet: follow the container's width
    // whenever it changes (view shown, window resized, projector toggled), not only on resize.
    var self = this;
    if (typeof ResizeObserver === 'function') {
      this.ro = new ResizeObserver(function () { self.fit(); });
      this.ro.observe(this.plotEl);
    }
  }
  Panel.prototype.fit = function () {
    var w = this.plotEl.clientWidth;
    if (!this.u || !w || Math.abs(w - this.u.width) < 1) return;
    this.u.setSize({ width: Math.max(260, w), height: this.height() });
  };
  Panel.prototype.dispose = function () { if (this.ro) this.ro.disconnect(); if (this.u) this.u.destroy(); this.u = null; };
  Panel.prototype.activeSeries = function (run) {
    return this.spec.series.filter(function (s) {
      var v = run.series[s.col];
      if (!v) return false;
      if (s.onlyIfMoving) { var mn = Infinity, mx = -Infinity; for (var i = 0; i < v.length; i++) { if (v[i] < mn) mn = v[i]; if (v[i] > mx) mx = v[i]; } return mx - mn > 1e-6; }
      return true;
    });
  };
  Panel.prototype.build = function (active, pins, view) {
    var self = this, look = this.look, spec = this.spec;
    if (this.u) { this.u.destroy(); this.u = null; }
    var series = [{}];
    active.forEach(function (s) {
      series.push({ label: s.label, stroke: s.color, width: (s.width || 2) * look.lw, scale: s.axis === 'y2' ? 'y2' : 'y',
        fill: s.fill ? s.fill : undefined, spanGaps: true, points: { show: false }, paths: s.step ? uPlot.paths.stepped({ align: 1 }) : undefined,
        dash: s.dash ? s.dash.map(function (d) { return d * look.lw; }) : dashedInProjector(s, look) ? [10 * look.lw, 5 * look.lw] : undefined });
    });
    pins.forEach(function (pin, k) {
      pin.cols.forEach(function (s) {
        series.push({ label: 'pin ' + (k + 1) + ' ' + s.label, stroke: s.color, alpha: 0.55, width: 1.6 * look.lw, dash: GHOST_DASH[k % 3].map(function (d) { return d * look.lw; }),
          scale: s.axis === 'y2' ? 'y2' : 'y', spanGaps: true, points: { show: false } });
      });
    });
    var font = look.font + 'px system-ui, sans-serif', labFont = 'bold ' + look.font + 'px system-ui, sans-serif';
    var axisCommon = { font: font, labelFont: labFont, stroke: '#222', grid: { stroke: '#e3e3e3', width: 1 }, ticks: { stroke: '#bbb', width: 1, size: 5 } };
    // One shared time axis: only the panel marked xAxis (the lowest) writes its ticks and title;
    // the others keep its grid lines.
    var xLabels = spec.xAxis || !look.fit;
    var axes = [
      Object.assign({}, axisCommon, {
        // without labels the axis keeps only the grid and room for half of the lowest y value
        scale: 'x', space: look.tickPx, size: xLabels ? this.tickRow() : this.halfDigit(), ticks: Object.assign({}, axisCommon.ticks, { show: xLabels }),
        label: spec.xAxis ? function (u) { return fitTitle(timeAxisTitles(view.log), font, u.bbox.width / devicePixelRatio); } : undefined,
        labelSize: this.titleRow(), labelFont: font,
        splits: function (u) { var sc = u.scales.x; return timeTicks(view.log, sc.min, sc.max, u.bbox.width / devicePixelRatio, look.tickPx); },
        filter: function (u, splits) { return splits; },
        values: function (u, splits) { return splits.map(function (t) { return t == null || !xLabels ? '' : fmtTick(t); }); },
      }),
      Object.assign({}, axisCommon, { scale: 'y', label: look.cols ? undefined : axisTitle(spec.y, look), labelSize: look.font * 1.5, size: yAxisSize(look),
        values: function (u, sp) { return sp.map(function (v) { return spec.y.pct ? trimNum(v * 100, 0) : trimNum(v, 3); }); } }),
    ];
    var hasY2 = this.hasY2 = !!spec.y2 && active.some(function (s) { return s.axis === 'y2'; });
    if (hasY2) {
      axes.push(Object.assign({}, axisCommon, { scale: 'y2', side: 1, label: look.cols ? undefined : axisTitle(spec.y2, look), labelSize: Math.round(look.font * 1.5),
        size: look.cols ? rightGutter(look) : tickColumn(look), grid: { show: false },
        values: function (u, sp) { return sp.map(function (v) { return trimNum(v, 3); }); } }));
    }
    var scales = {
      x: view.log ? { time: false, distr: 100, fwd: fwdLog, bwd: bwdLog, range: function () { return view.xr; } }
        : { time: false, range: function () { return view.xr; } },
      y: { range: function (u, mn, mx) { return self.yRange(mn, mx); } },
      y2: { range: function (u, mn, mx) { return spec.y2 && spec.y2.range ? spec.y2.range : [0, mx > 0 ? mx * 1.15 : 1]; } },
    };
    var opts = {
      width: this.width(), height: this.height(), series: series, axes: axes, scales: scales,
      // every panel keeps the right-hand axis's gutter, so that all plot areas line up
      legend: { show: false }, padding: [this.padTop(), hasY2 ? 8 : 8 + rightGutter(look), 0, 4],
      cursor: { sync: { key: 'synsim-chain', setSeries: false }, drag: { x: false, y: false }, points: { show: false }, y: false },
      hooks: {
        draw: [function (u) { self.drawTitlesAcross(u); self.decorate(u); }],
        // only the reader's pointer moves the page's cursor (not a resize or a cursor set by the page)
        setCursor: [function (u) {
          if (!self.pointerIn || !self.onCursor || u.cursor.left == null || u.cursor.left < 0) return;
          var t = u.posToVal(u.cursor.left, 'x');
          if (isFinite(t)) self.onCursor(t);
        }],
      },
    };
    if (spec.bands) opts.bands = spec.bands;
    this.u = new uPlot(opts, [[]], this.plotEl);
    this.u.over.addEventListener('mouseenter', function () { self.pointerIn = true; });
    this.u.over.addEventListener('mouseleave', function () { self.pointerIn = false; if (self.onLeave) self.onLeave(); });
  };
  Panel.prototype.yRange = function (mn, mx) {
    var r = this.spec.y.range, refs = this.refs || [];
    refs.forEach(function (l) { if (l.y < mn) mn = l.y; if (l.y > mx) mx = l.y; });
    if (r && r[0] != null) mn = Math.min(mn, r[0]);
    if (r && r[1] != null) mx = Math.max(mx, r[1]);
    if (!(mx > mn)) { mx = mn + 1; }
    var pad = (mx - mn) * 0.06;
    return [r && r[0] === 0 && mn >= 0 ? 0 : mn - pad, mx + pad];
  };
  // half a tick value's height: what a value at the plot area's top or bottom edge needs beyond it
  // (a value's glyphs sit above its middle line, so the top needs a little more)
  Panel.prototype.halfDigit = function () { return Math.ceil(this.look.font * 0.3); };
  Panel.prototype.padTop = function () { return this.look.fit ? Math.ceil(this.look.font * 0.55) : this.look.font * 1.3; };
  // the time axis's ticks and values (on one screen without the spare line below them)
  Panel.prototype.tickRow = function () { return Math.round(this.look.font * (this.look.fit ? 2 : 2.4)); };
  Panel.prototype.titleRow = function () { return Math.round(this.look.font * 1.5); };
  // the whole height: the plot area (look.h), the top padding and the time axis below it
  Panel.prototype.height = function () {
    var look = this.look, below = this.spec.xAxis ? this.tickRow() + this.titleRow() : look.fit ? this.halfDigit() : this.tickRow();
    return Math.round(look.h + this.padTop()) + below;
  };
  Panel.prototype.width = function () { return Math.max(260, this.plotEl.clientWidth || this.host.clientWidth || 600); };
  Panel.prototype.resize = function () { if (this.u) this.u.setSize({ width: this.width(), height: this.height() }); };

  // aligned data: current run + pins (uPlot.join adds nulls where x values differ; spanGaps bridges them)
  Panel.prototype.setData = function (run, pins, view) {
    var self = this, active = this.activeSeries(run);
    this.run = run; this.doses = run.doses || []; this.refs = this.spec.refs ? this.spec.refs(run.reference || {}, run) : [];
    var pinCols = pins.map(function (p) { return { run: p.run, cols: self.activeSeries(p.run) }; });
    var key = view.log + '|' + this.look.name + '|' + active.map(function (s) { return s.col; }).join(',') + '|' +
      pinCols.map(function (p) { return p.cols.map(function (s) { return s.col; }).join(','); }).join(';');
    if (key !== this.key || !this.u) { this.build(active, pinCols, view); this.key = key; }
    // drawn: at most about one point per pixel and series, each pixel's lowest and highest kept
    // (the run itself, for legends, read-outs and downloads, keeps every point)
    var px = Math.max(200, Math.round(this.u.bbox.width / devicePixelRatio));
    function table(r, cols) { return decimate(r.series.time_h, cols.map(function (s) { return r.series[s.col]; }), view, px); }
    var data;
    if (!pinCols.length) data = table(run, active);
    else data = uPlot.join([table(run, active)].concat(pinCols.map(function (p) { return table(p.run, p.cols); })));
    this.drawnPoints = data[0].length;
    this.active = active; this.pinCols = pinCols;
    this.u.setData(data, true);
  };

  // Min/max decimation: the time axis cut into one bucket per pixel (in the axis's own, possibly
  // logarithmic, coordinate); each bucket keeps its first and last point and, for every series,
  // the points of its lowest and highest value, so that no peak or trough is lost.
  function decimate(t, cols, view, px) {
    var n = t.length;
    if (n <= 2 * px) return [t].concat(cols);
    var f = view.log ? fwdLog : function (x) { return x; }, a = f(view.xr[0]), k = px / (f(view.xr[1]) - a || 1);
    var keep = new Uint8Array(n), start = 0, bucket = Math.floor((f(t[0]) - a) * k);
    function flush(s, e) {
      keep[s] = 1; keep[e] = 1;
      for (var c = 0; c < cols.length; c++) {
        var v = cols[c], lo = s, hi = s;
        for (var i = s + 1; i <= e; i++) { if (v[i] < v[lo]) lo = i; if (v[i] > v[hi]) hi = i; }
        keep[lo] = 1; keep[hi] = 1;
      }
    }
    for (var i = 1; i < n; i++) {
      var b = Math.floor((f(t[i]) - a) * k);
      if (b !== bucket) { flush(start, i - 1); start = i; bucket = b; }
    }
    flush(start, n - 1);
    var m = 0;
    for (i = 0; i < n; i++) m += keep[i];
    var out = [new Float64Array(m)].concat(cols.map(function () { return new Float64Array(m); }));
    for (i = 0, m = 0; i < n; i++) {
      if (!keep[i]) continue;
      out[0][m] = t[i];
      for (var c = 0; c < cols.length; c++) out[c + 1][m] = cols[c][i];
      m++;
    }
    return out;
  }

  // the titles of its axes as drawn: y, y2 (if shown), the time axis's (if written)
  Panel.prototype.axisTitles = function () {
    var u = this.u, look = this.look, out = [axisTitle(this.spec.y, look)];
    if (this.hasY2) out.push(axisTitle(this.spec.y2, look));
    if (u && u.axes[0].label) out.push(u.axes[0].label(u));
    return out;
  };
  // the y titles across, each centred on the plot area's height in its column beside the tick values
  Panel.prototype.drawTitlesAcross = function (u) {
    var look = this.look, spec = this.spec;
    if (!look.cols) return;
    var ctx = u.ctx, bb = u.bbox, dpr = devicePixelRatio, ticks = tickColumn(look) * dpr, mid = bb.top + bb.height / 2;
    ctx.save();
    ctx.font = fontOf(look.font * dpr, true); ctx.fillStyle = '#222'; ctx.textBaseline = 'middle';
    ctx.textAlign = 'right'; ctx.fillText(axisTitle(spec.y, look), bb.left - ticks, mid);
    if (this.hasY2) { ctx.textAlign = 'left'; ctx.fillText(axisTitle(spec.y2, look), bb.left + bb.width + ticks, mid); }
    ctx.restore();
  };
  Panel.prototype.decorate = function (u) {
    var ctx = u.ctx, bb = u.bbox, dpr = devicePixelRatio, look = this.look;
    ctx.save();
    ctx.beginPath(); ctx.rect(bb.left, bb.top, bb.width, bb.height); ctx.clip();
    // reference lines with labels at the right end; a label that would cover
    // one already drawn is left out (short panels; the legend names every line)
    var placed = [];
    (this.refs || []).forEach(function (l) {
      var y = Math.round(u.valToPos(l.y, 'y', true)) + 0.5;
      ctx.strokeStyle = l.color; ctx.lineWidth = 1.5 * look.lw * dpr; ctx.setLineDash((l.dash || [6, 4]).map(function (d) { return d * dpr; }));
      ctx.beginPath(); ctx.moveTo(bb.left, y); ctx.lineTo(bb.left + bb.width, y); ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = 'bold ' + Math.round(look.font * 0.9 * dpr) + 'px system-ui, sans-serif';
      var below = l.below || y - look.font * 1.2 * dpr < bb.top;
      if (l.below && y + look.font * 1.2 * dpr > bb.top + bb.height) below = false;
      l = Object.assign({}, l, { below: below });
      ctx.textAlign = 'right'; ctx.textBaseline = l.below ? 'top' : 'bottom';
      var tw = ctx.measureText(l.label).width;
      var top = l.below ? y + 1 : y - look.font * 1.15 * dpr, h = look.font * 1.1 * dpr;
      if (placed.some(function (b) { return top < b[1] && top + h > b[0]; })) return;
      placed.push([top, top + h]);
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(bb.left + bb.width - tw - 8 * dpr, top, tw + 6 * dpr, h);
      ctx.fillStyle = l.color; ctx.fillText(l.label, bb.left + bb.width - 5 * dpr, l.below ? y + 2 : y - 2);
    });
    // dose markers: a faint line through the panel and a solid tick at the top
    var xmin = u.scales.x.min, xmax = u.scales.x.max;
    (this.doses || []).forEach(function (d) {
      if (d.time_h < xmin || d.time_h > xmax) return;
      var x = Math.round(u.valToPos(d.time_h, 'x', true)) + 0.5;
      ctx.strokeStyle = 'rgba(0,0,0,0.18)'; ctx.lineWidth = dpr; ctx.setLineDash([2 * dpr, 3 * dpr]);
      ctx.beginPath(); ctx.moveTo(x, bb.top); ctx.lineTo(x, bb.top + bb.height); ctx.stroke();
      ctx.setLineDash([]); ctx.strokeStyle = '#000'; ctx.lineWidth = 2.5 * look.lw * dpr;
      ctx.beginPath(); ctx.moveTo(x, bb.top); ctx.lineTo(x, bb.top + 9 * dpr * look.lw); ctx.stroke();
    });
    ctx.restore();
  };

  // legend with the values at the cursor time (current run, and the last pin's difference)
  Panel.prototype.updateLegend = function (th, pins) {
    if (!this.active) return;
    var run = this.run, html = '', look = this.look;
    this.active.forEach(function (s) {
      if (!s.label) return;
      var v = th == null ? null : valueAt(run, s.col, th);
      html += '<span class="lg">' + (s.swatch ? '<i class="sw" style="background:' + s.swatch + '"></i>' : '<i style="border-color:' + s.color + (s.dash || dashedInProjector(s, look) ? ';border-top-style:dashed' : '') + '"></i>') + s.label +
        (th == null ? '' : ' <b>' + fmtVal(v, s.unit) + '</b>') + '</span>';
    });
    (this.pinCols || []).forEach(function (p, k) {
      html += '<span class="lg ghost"><i class="dash' + (k % 3) + '"></i>pin ' + (k + 1) + '</span>';
    });
    (this.refs || []).forEach(function (l) { html += '<span class="lg ref"><i style="border-color:' + l.color + '"></i>' + l.label + '</span>'; });
    // on one screen the dose marks are named once, beside the dose panel's title
    if (this.doses && this.doses.length && (!look.fit || this.spec.doseKey)) html += '<span class="lg dose"><i></i>dose</span>';
    this.legend.innerHTML = html;
  };
  Panel.prototype.setCursorTime = function (th) {
    if (!this.u || th == null || !isFinite(th)) return;
    // after uPlot has applied new data or a new size (it does so in a microtask)
    var self = this;
    Promise.resolve().then(function () {
      var u = self.u, x = u && u.valToPos(th, 'x');
      if (u && isFinite(x)) u.setCursor({ left: x, top: u.bbox.height / devicePixelRatio / 2 }, false);
    });
  };

  // ---------- figure export ----------
  function pngFigure(panels, title, subtitle) {
    var dpr = 2, W = 0, H = 0, gap = 10 * dpr, headH = 70 * dpr;
    panels.forEach(function (p) { if (!p.u) return; W = Math.max(W, p.u.ctx.canvas.width / devicePixelRatio * dpr); });
    var parts = panels.filter(function (p) { return p.u; }).map(function (p) {
      var c = p.u.ctx.canvas, w = c.width / devicePixelRatio * dpr, h = c.height / devicePixelRatio * dpr;
      return { p: p, c: c, w: w, h: h, lh: 30 * dpr };
    });
    H = headH + parts.reduce(function (a, x) { return a + x.h + x.lh + gap; }, 0) + 30 * dpr;
    var cv = document.createElement('canvas'); cv.width = W + 20 * dpr; cv.height = H;
    var ctx = cv.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, cv.width, cv.height);
    ctx.fillStyle = '#000'; ctx.font = 'bold ' + 20 * dpr + 'px system-ui, sans-serif'; ctx.textBaseline = 'top';
    ctx.fillText(title, 10 * dpr, 10 * dpr);
    ctx.font = 13 * dpr + 'px system-ui, sans-serif'; ctx.fillStyle = '#333'; ctx.fillText(subtitle, 10 * dpr, 40 * dpr);
    var y = headH;
    parts.forEach(function (x) {
      ctx.fillStyle = '#000'; ctx.font = 'bold ' + 14 * dpr + 'px system-ui, sans-serif';
      ctx.fillText(x.p.spec.title, 10 * dpr, y);
      var lx = 10 * dpr + ctx.measureText(x.p.spec.title).width + 16 * dpr;
      ctx.font = 12 * dpr + 'px system-ui, sans-serif';
      x.p.active.forEach(function (s) {
        ctx.strokeStyle = s.color; ctx.lineWidth = 3 * dpr; ctx.beginPath(); ctx.moveTo(lx, y + 8 * dpr); ctx.lineTo(lx + 18 * dpr, y + 8 * dpr); ctx.stroke();
        ctx.fillStyle = '#222'; ctx.fillText(s.label, lx + 22 * dpr, y + 1 * dpr); lx += 22 * dpr + ctx.measureText(s.label).width + 14 * dpr;
      });
      if (x.p.pinCols && x.p.pinCols.length) { ctx.fillStyle = '#555'; ctx.fillText('dashed: pinned runs', lx, y + dpr); }
      ctx.drawImage(x.c, 10 * dpr, y + x.lh, x.w, x.h);
      y += x.h + x.lh + gap;
    });
    ctx.fillStyle = '#555'; ctx.font = 12 * dpr + 'px system-ui, sans-serif';
    ctx.fillText('synsim lab \u2014 illustrative teaching model; a teaching tool, never clinical advice.', 10 * dpr, y);
    return cv;
  }

  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function svgFigure(panels, title, subtitle, view) {
    var W = 900, PW = 780, PH = 170, L = 80, out = [], y = 70;
    var live = panels.filter(function (p) { return p.u; });
    var H = 70 + live.length * (PH + 80) + 30;
    out.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + ' ' + H + '" font-family="system-ui, sans-serif">');
    out.push('<rect width="100%" height="100%" fill="#fff"/>');
    out.push('<text x="10" y="28" font-size="20" font-weight="bold">' + esc(title) + '</text>');
    out.push('<text x="10" y="50" font-size="13" fill="#333">' + esc(subtitle) + '</text>');
    live.forEach(function (p) {
      var u = p.u, xs = u.scales.x, ys = u.scales.y, top = y + 28;
      var fx = view.log ? fwdLog : function (v) { return v; };
      var X = function (t) { return L + (fx(t) - fx(xs.min)) / (fx(xs.max) - fx(xs.min)) * PW; };
      var Y = function (v, sc) { sc = sc || ys; return top + PH - (v - sc.min) / (sc.max - sc.min) * PH; };
      out.push('<text x="10" y="' + (y + 16) + '" font-size="14" font-weight="bold">' + esc(p.spec.title) + '</text>');
      var lx = 20 + p.spec.title.length * 8;
      p.active.forEach(function (s) {
        out.push('<line x1="' + lx + '" y1="' + (y + 11) + '" x2="' + (lx + 18) + '" y2="' + (y + 11) + '" stroke="' + s.color + '" stroke-width="3"/>');
        out.push('<text x="' + (lx + 22) + '" y="' + (y + 15) + '" font-size="12">' + esc(s.label) + '</text>');
        lx += 36 + s.label.length * 6.5;
      });
      out.push('<rect x="' + L + '" y="' + top + '" width="' + PW + '" height="' + PH + '" fill="none" stroke="#999"/>');
      timeTicks(view.log, xs.min, xs.max, PW, 60).forEach(function (t) {
        var x = X(t).toFixed(1);
        out.push('<line x1="' + x + '" y1="' + top + '" x2="' + x + '" y2="' + (top + PH) + '" stroke="#eee"/>');
        out.push('<text x="' + x + '" y="' + (top + PH + 15) + '" font-size="11" text-anchor="middle">' + esc(fmtTick(t)) + '</text>');
      });
      for (var k = 0; k <= 4; k++) {
        var v = ys.min + (ys.max - ys.min) * k / 4, yy = Y(v).toFixed(1);
        out.push('<text x="' + (L - 6) + '" y="' + yy + '" font-size="11" text-anchor="end" dominant-baseline="middle">' + esc(p.spec.y.pct ? trimNum(v * 100, 0) : trimNum(v, 2)) + '</text>');
      }
      out.push('<text transform="translate(14 ' + (top + PH / 2) + ') rotate(-90)" font-size="12" text-anchor="middle">' + esc(p.spec.y.label) + '</text>');
      (p.refs || []).forEach(function (l) {
        var yy = Y(l.y).toFixed(1);
        out.push('<line x1="' + L + '" y1="' + yy + '" x2="' + (L + PW) + '" y2="' + yy + '" stroke="' + l.color + '" stroke-dasharray="6 4" stroke-width="1.5"/>');
        out.push('<text x="' + (L + PW - 4) + '" y="' + (+yy - 3) + '" font-size="11" text-anchor="end" fill="' + l.color + '">' + esc(l.label) + '</text>');
      });
      (p.doses || []).forEach(function (d) {
        if (d.time_h < xs.min || d.time_h > xs.max) return;
        var x = X(d.time_h).toFixed(1);
        out.push('<line x1="' + x + '" y1="' + top + '" x2="' + x + '" y2="' + (top + 9) + '" stroke="#000" stroke-width="2.5"/>');
      });
      function poly(run, s, extra) {
        var t = run.series.time_h, v = run.series[s.col], pts = [], sc = s.axis === 'y2' ? u.scales.y2 : ys;
        for (var i = 0; i < t.length; i++) if (t[i] >= xs.min && t[i] <= xs.max) pts.push(X(t[i]).toFixed(1) + ',' + Y(v[i], sc).toFixed(1));
        out.push('<polyline fill="none" stroke="' + s.color + '" stroke-width="2" ' + (extra || '') + ' points="' + pts.join(' ') + '"/>');
      }
      (p.pinCols || []).forEach(function (pc, k) { pc.cols.forEach(function (s) { poly(pc.run, s, 'stroke-opacity="0.55" stroke-dasharray="' + GHOST_DASH[k % 3].join(' ') + '"'); }); });
      p.active.forEach(function (s) { poly(p.run, s); });
      y += PH + 80;
    });
    out.push('<text x="10" y="' + (H - 10) + '" font-size="12" fill="#555">synsim lab \u2014 illustrative teaching model; a teaching tool, never clinical advice.</text>');
    out.push('</svg>');
    return out.join('\n');
  }

  // ---------- the millisecond circuit: its plots on a canvas or as SVG ----------
  // What the two plots show, shared by the page's legends and both figure exports.
  var CIRCUIT = {
    time: { title: 'Activity over milliseconds', key: 'solid: excitatory (pyramidal cells) \u00b7 dashed: inhibitory (interneurons)',
      x: ['time (ms)'], y: ['activity (fraction of max rate)'] },
    phase: { title: 'Phase plane: nullclines and resting points', key: 'solid: E-nullcline \u00b7 dashed: I-nullcline \u00b7 dot: resting point \u00b7 dotted: path',
      x: ['pyramidal activity E (fraction of max rate)', 'E, pyramidal (fraction of max rate)', 'E (fraction of max rate)'],
      y: ['interneuron activity I (fraction of max rate)', 'I, interneurons (fraction of max rate)', 'I (fraction of max rate)'] },
  };
  var FONT = 'system-ui, sans-serif';
  function fontOf(px, bold) { return (bold ? 'bold ' : '') + px + 'px ' + FONT; }
  var measurer = null;
  function textWidth(s, font) {
    measurer = measurer || document.createElement('canvas').getContext('2d');
    measurer.font = font;
    return measurer.measureText(s).width;
  }
  // the first title that fits in `room` px (else the last, the shortest)
  function fitTitle(titles, font, room) {
    for (var k = 0; k < titles.length; k++) if (textWidth(titles[k], font) <= room) return titles[k];
    return titles[titles.length - 1];
  }
  // `s` broken at spaces into lines no wider than `room` px
  function wrapText(s, font, room) {
    var lines = [], cur = '';
    String(s).split(' ').forEach(function (w) {
      var next = cur ? cur + ' ' + w : w;
      if (cur && textWidth(next, font) > room) { lines.push(cur); cur = w; } else cur = next;
    });
    if (cur) lines.push(cur);
    return lines;
  }

  // A painter draws in CSS px, text placed by its middle line (canvas 'middle', SVG 'central'),
  // so one layout serves the page's canvas, the PNG and the SVG.
  var ANCHOR_SVG = { left: 'start', center: 'middle', right: 'end' };
  function canvasPainter(ctx) {
    return {
      text: function (s, x, y, o) {
        ctx.save(); ctx.translate(x, y); if (o.rotate) ctx.rotate(-Math.PI / 2);
        ctx.font = fontOf(o.size, o.bold); ctx.fillStyle = o.color || '#222'; ctx.textAlign = o.anchor || 'left'; ctx.textBaseline = 'middle';
        ctx.fillText(s, 0, 0); ctx.restore();
      },
      line: function (pts, o) {
        if (!pts.length) return;
        ctx.save(); ctx.strokeStyle = o.color; ctx.globalAlpha = o.alpha == null ? 1 : o.alpha; ctx.lineWidth = o.width || 1; ctx.setLineDash(o.dash || []);
        ctx.beginPath(); pts.forEach(function (q, j) { if (j) ctx.lineTo(q[0], q[1]); else ctx.moveTo(q[0], q[1]); }); ctx.stroke(); ctx.restore();
      },
      box: function (x, y, w, h, color) { ctx.save(); ctx.strokeStyle = color; ctx.lineWidth = 1; ctx.strokeRect(x, y, w, h); ctx.restore(); },
      dot: function (x, y, r, color) {
        ctx.save(); ctx.fillStyle = color; ctx.strokeStyle = '#000'; ctx.lineWidth = 1.5; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke(); ctx.restore();
      },
      clip: function (x, y, w, h, draw) { ctx.save(); ctx.beginPath(); ctx.rect(x, y, w, h); ctx.clip(); draw(); ctx.restore(); },
      at: function (dx, dy, draw) { ctx.save(); ctx.translate(dx, dy); draw(); ctx.restore(); },
    };
  }
  function svgPainter(out) {
    var ox = 0, oy = 0, clips = 0, f = function (v) { return +v.toFixed(1); };
    return {
      text: function (s, x, y, o) {
        var X = f(ox + x), Y = f(oy + y);
        out.push('<text x="' + X + '" y="' + Y + '" font-size="' + o.size + '"' + (o.bold ? ' font-weight="bold"' : '') + (o.color ? ' fill="' + o.color + '"' : '') +
          ' text-anchor="' + ANCHOR_SVG[o.anchor || 'left'] + '" dominant-baseline="central"' + (o.rotate ? ' transform="rotate(-90 ' + X + ' ' + Y + ')"' : '') + '>' + esc(s) + '</text>');
      },
      line: function (pts, o) {
        if (!pts.length) return;
        out.push('<polyline fill="none" stroke="' + o.color + '" stroke-width="' + (o.width || 1) + '"' + (o.dash ? ' stroke-dasharray="' + o.dash.join(' ') + '"' : '') +
          (o.alpha != null ? ' stroke-opacity="' + o.alpha + '"' : '') + ' points="' + pts.map(function (q) { return f(ox + q[0]) + ',' + f(oy + q[1]); }).join(' ') + '"/>');
      },
      box: function (x, y, w, h, color) { out.push('<rect x="' + f(ox + x) + '" y="' + f(oy + y) + '" width="' + f(w) + '" height="' + f(h) + '" fill="none" stroke="' + color + '"/>'); },
      dot: function (x, y, r, color) { out.push('<circle cx="' + f(ox + x) + '" cy="' + f(oy + y) + '" r="' + r + '" fill="' + color + '" stroke="#000" stroke-width="1.5"/>'); },
      clip: function (x, y, w, h, draw) {
        var id = 'clip' + (++clips);
        out.push('<clipPath id="' + id + '"><rect x="' + f(ox + x) + '" y="' + f(oy + y) + '" width="' + f(w) + '" height="' + f(h) + '"/></clipPath><g clip-path="url(#' + id + ')">');
        draw(); out.push('</g>');
      },
      at: function (dx, dy, draw) { ox += dx; oy += dy; draw(); ox -= dx; oy -= dy; },
    };
  }
  // draws nothing: lays a figure out to learn its height
  var NO_PAINT = { text: function () {}, line: function () {}, box: function () {}, dot: function () {}, clip: function () {}, at: function (dx, dy, draw) { draw(); } };

  // Ticks from 0 at a round step (1, 2, 2.5 or 5 × 10^k, about n of them) up to the first
  // multiple of the step at or above max, so that every label names the value at its place.
  function niceTicks(max, n) {
    var raw = (max > 0 ? max : 1) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = [1, 2, 2.5, 5, 10].filter(function (x) { return x * mag >= raw * (1 - 1e-9); })[0], step = m * mag;
    var count = Math.ceil(max / step - 1e-9), digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (m === 2.5 ? 1 : 0);
    var ticks = [];
    for (var k = 0; k <= count; k++) ticks.push({ v: k * step, label: (k * step).toFixed(digits) });
    return { max: count * step, ticks: ticks };
  }
  // A w×h plot with fs-px type: margins wide enough for the tick labels and the axis titles
  // (the longest title that fits), whatever the type size.
  function plotFrame(o) {
    var fs = o.fs, font = fontOf(fs), line = Math.ceil(fs * 1.3), tick = Math.round(fs * 0.4) + 2;
    var yw = Math.max.apply(null, o.yTicks.map(function (t) { return textWidth(t.label, font); }));
    var L = 2 + line + tick + Math.ceil(yw) + tick, T = Math.ceil(line / 2) + 2;
    var R = Math.ceil(textWidth(o.xTicks[o.xTicks.length - 1].label, font) / 2) + 4, B = tick + line + tick + line + 2;
    var pw = o.w - L - R, ph = o.h - T - B, bold = fontOf(fs, true);
    return { w: o.w, h: o.h, fs: fs, line: line, tick: tick, L: L, R: R, T: T, B: B, pw: pw, ph: ph, xTicks: o.xTicks, yTicks: o.yTicks,
      X: function (v) { return L + v / o.xmax * pw; }, Y: function (v) { return T + ph - v / o.ymax * ph; },
      xTitle: fitTitle(o.xTitles, bold, pw), yTitle: fitTitle(o.yTitles, bold, ph) };
  }
  // the least height in which a plot's shortest y title fits beside its plot area
  function minPlotHeight(fs, yTitles) {
    var line = Math.ceil(fs * 1.3), tick = Math.round(fs * 0.4) + 2;
    return Math.ceil(textWidth(yTitles[yTitles.length - 1], fontOf(fs, true)) + line / 2 + 2 + 2 * (tick + line) + 2 + 8);
  }
  function paintFrame(p, f) {
    p.box(f.L, f.T, f.pw, f.ph, '#999');
    var xRow = f.h - f.B + f.tick + f.line / 2;
    f.xTicks.forEach(function (t) { p.text(t.label, f.X(t.v), xRow, { size: f.fs, anchor: 'center' }); });
    f.yTicks.forEach(function (t) { p.text(t.label, f.L - f.tick, f.Y(t.v), { size: f.fs, anchor: 'right' }); });
    p.text(f.xTitle, f.L + f.pw / 2, xRow + f.line / 2 + f.tick + f.line / 2, { size: f.fs, bold: true, anchor: 'center' });
    p.text(f.yTitle, 2 + f.line / 2, f.T + f.ph / 2, { size: f.fs, bold: true, anchor: 'center', rotate: true });
  }
  // the phase plane's ranges: both resting points well inside
  function phaseFrame(res, w, h, fs) {
    var fb = res.fixed_points.blocked, fh = res.fixed_points.healthy;
    var e = niceTicks(Math.min(1, Math.max(fb[0], fh[0]) * 2.2 + 0.02), 4), i = niceTicks(Math.min(1, Math.max(fb[1], fh[1]) * 2.2 + 0.02), 4);
    return plotFrame({ w: w, h: h, fs: fs, xmax: e.max, ymax: i.max, xTicks: e.ticks, yTicks: i.ticks, xTitles: CIRCUIT.phase.x, yTitles: CIRCUIT.phase.y });
  }
  function tracesFrame(res, w, h, fs) {
    var t = niceTicks(Math.max(res.blocked.t_ms[res.blocked.t_ms.length - 1], res.healthy.t_ms[res.healthy.t_ms.length - 1]), 4);
    var y = niceTicks(Math.max.apply(null, res.blocked.exc.concat(res.blocked.inh, res.healthy.exc, res.healthy.inh)) * 1.05 || 1, 4);
    return plotFrame({ w: w, h: h, fs: fs, xmax: t.max, ymax: y.max, xTicks: t.ticks, yTicks: y.ticks, xTitles: CIRCUIT.time.x, yTitles: CIRCUIT.time.y });
  }
  // col: {healthy, blocked} colours; lw: line width factor (projector)
  function paintPhase(p, res, f, col, lw) {
    paintFrame(p, f);
    var at = function (e, i) { return [f.X(e), f.Y(i)]; };
    p.clip(f.L, f.T, f.pw, f.ph, function () {
      [['healthy', col.healthy], ['blocked', col.blocked]].forEach(function (k) {
        var nc = res.nullclines[k[0]];
        p.line(nc.exc.map(function (q) { return at(q[0], q[1]); }), { color: k[1], width: 2 * lw });
        p.line(nc.inh.map(function (q) { return at(q[0], q[1]); }), { color: k[1], width: 2 * lw, dash: [6, 4] });
      });
      [['healthy', col.healthy], ['blocked', col.blocked]].forEach(function (k) {
        var tr = res[k[0]];
        p.line(tr.exc.map(function (e, j) { return at(e, tr.inh[j]); }), { color: k[1], alpha: 0.45, width: 1.5 * lw, dash: [1, 3] });
      });
      [['healthy', col.healthy], ['blocked', col.blocked]].forEach(function (k) {
        var q = at(res.fixed_points[k[0]][0], res.fixed_points[k[0]][1]);
        p.dot(q[0], q[1], 6 * lw, k[1]);
      });
    });
  }
  function paintTraces(p, res, f, col, lw) {
    paintFrame(p, f);
    p.clip(f.L, f.T, f.pw, f.ph, function () {
      [['healthy', col.healthy], ['blocked', col.blocked]].forEach(function (k) {
        var tr = res[k[0]], pts = function (v) { return tr.t_ms.map(function (t, j) { return [f.X(t), f.Y(v[j])]; }); };
        p.line(pts(tr.exc), { color: k[1], width: 2 * lw });
        p.line(pts(tr.inh), { color: k[1], width: 2 * lw, dash: [6, 4] });
      });
    });
  }
  // lines of text from y down; returns the y below them
  function paragraph(p, s, x, y, room, size, o) {
    var line = Math.ceil(size * 1.35);
    wrapText(s, fontOf(size, o.bold), room).forEach(function (t, k) { p.text(t, x, y + k * line + line / 2, { size: size, bold: o.bold, color: o.color }); });
    return y + wrapText(s, fontOf(size, o.bold), room).length * line;
  }
  // a panel's legend: the two colours, then what solid and dashed mean; returns the y below
  function legendRows(p, x, y, room, size, key, col) {
    var line = Math.ceil(size * 1.35), lx = x, mid = y + line / 2;
    [['no block', col.healthy], ['blocked', col.blocked]].forEach(function (k) {
      p.line([[lx, mid], [lx + 20, mid]], { color: k[1], width: 3 });
      p.text(k[0], lx + 25, mid, { size: size });
      lx += 25 + textWidth(k[0], fontOf(size)) + 16;
    });
    return paragraph(p, key, x, y + line, room, size, { color: '#222' });
  }
  // The circuit's figure: title and notes, the two panels as on the page (side by side, or
  // stacked as on a narrow screen), each with its title, legend and axis titles; the disclaimer.
  function paintCircuit(p, fig) {
    var pad = 12, gap = 24, W = fig.stacked ? 784 : 1168, room = W - 2 * pad, pw = fig.stacked ? room : (room - gap) / 2, fs = 12;
    var col = { healthy: OI.blue, blocked: OI.red };
    var y = paragraph(p, fig.title, pad, pad, room, 20, { bold: true, color: '#000' });
    fig.notes.forEach(function (s) { y = paragraph(p, s, pad, y + 4, room, 13, { color: '#333' }); });
    y += 14;
    var parts = [{ spec: CIRCUIT.time, h: Math.round(pw * (fig.stacked ? 0.45 : 0.75)), frame: tracesFrame, paint: paintTraces },
      { spec: CIRCUIT.phase, h: Math.round(pw * 0.75), frame: phaseFrame, paint: paintPhase }];
    var heads = parts.map(function (q) { return legendRows(NO_PAINT, 0, paragraph(NO_PAINT, q.spec.title, 0, 0, pw, 14, { bold: true }) + 4, pw, fs, q.spec.key, col) + 6; });
    var headH = Math.max.apply(null, heads);
    parts.forEach(function (q, k) {
      var x = fig.stacked ? pad : pad + k * (pw + gap), hh = fig.stacked ? heads[k] : headH;
      legendRows(p, x, paragraph(p, q.spec.title, x, y, pw, 14, { bold: true, color: '#000' }) + 4, pw, fs, q.spec.key, col);
      var f = q.frame(fig.res, pw, Math.max(q.h, minPlotHeight(fs, q.spec.y)), fs);
      p.at(x, y + hh, function () { q.paint(p, fig.res, f, col, 1); });
      q.bottom = y + hh + f.h;
      if (fig.stacked) y = q.bottom + 18;
    });
    if (!fig.stacked) y = Math.max(parts[0].bottom, parts[1].bottom) + 18;
    y = paragraph(p, 'synsim lab \u2014 illustrative teaching model; a teaching tool, never clinical advice.', pad, y, room, 12, { color: '#555' });
    return { w: W, h: Math.ceil(y + pad) };
  }
  function circuitPng(fig) {
    var size = paintCircuit(NO_PAINT, fig), k = 2;
    var cv = document.createElement('canvas'); cv.width = size.w * k; cv.height = size.h * k;
    var ctx = cv.getContext('2d'); ctx.scale(k, k);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, size.w, size.h);
    paintCircuit(canvasPainter(ctx), fig);
    return cv;
  }
  function circuitSvg(fig) {
    var out = [], size = paintCircuit(NO_PAINT, fig);
    out.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + size.w + '" height="' + size.h + '" viewBox="0 0 ' + size.w + ' ' + size.h + '" font-family="' + FONT + '">');
    out.push('<rect width="100%" height="100%" fill="#fff"/>');
    paintCircuit(svgPainter(out), fig);
    out.push('</svg>');
    return out.join('\n');
  }

  window.SynsimCharts = { OI: OI, Panel: Panel, fwdLog: fwdLog, bwdLog: bwdLog, fmtTick: fmtTick, fmtTime: fmtTime,
    OI_PROJ: OI_PROJ, contrastOnWhite: contrastOnWhite,
    fmtVal: fmtVal, valueAt: valueAt, decimate: decimate, timeAxisTitle: timeAxisTitle, timeTicks: timeTicks, xRange: xRange, pngFigure: pngFigure, svgFigure: svgFigure, GHOST_DASH: GHOST_DASH,
    titleColumns: titleColumns, CIRCUIT: CIRCUIT, fontOf: fontOf, textWidth: textWidth, canvasPainter: canvasPainter, phaseFrame: phaseFrame, paintPhase: paintPhase,
    minPlotHeight: minPlotHeight, circuitPng: circuitPng, circuitSvg: circuitSvg };
})();
