/* synsim lab: the first screen ("Start here").
 *
 * Three controls (drug, dose, the two theories) and a play button that runs time forward from the
 * first dose: the six stages of the chain as six cards, each with the value it has at that time,
 * and a dendrite whose spines follow the synapse density beside the score. It shows the page's
 * current run (the same request as "One patient"); "Explore the whole model" opens that view on
 * the same run, at the time reached. Every number shown is read from the run; the words beside
 * them only compare it with the value before the first dose.
 */
(function () {
  'use strict';
  var K = window.SynsimControls, C = window.SynsimCharts;
  // the scenarios offered, as a student would name them
  var CHOICES = [['ketamine-iv-single', 'Ketamine: one infusion'], ['esketamine-nasal', 'Esketamine nasal spray: the label course'],
    ['ssri-escitalopram', 'Escitalopram (an SSRI): a pill every day'], ['placebo', 'Placebo: a saline infusion']];
  var SPINES = 24;     // spine slots on the drawn dendrite, all filled at healthy density
  var PLAY_S = 16;     // seconds from the first dose to the end of the run
  var TAU_H = 0.25;    // time runs on a log-like scale, so minutes, hours, days and weeks all get screen time
  var STEPS = 1000;    // positions of the time slider

  // where time slider position u (0-1) lies in a run of `end` hours, and back
  function timeAt(u, end) { return TAU_H * (Math.pow(1 + end / TAU_H, u) - 1); }
  function posOf(t, end) { return Math.log(1 + Math.max(0, t) / TAU_H) / Math.log(1 + end / TAU_H); }

  // the drug's plasma column of a run, and its receptor: SERT for the SSRI, NMDA (interneurons) otherwise
  function plasmaCol(run) {
    return run.columns.filter(function (c) { return /^plasma_/.test(c) && !/norketamine|noresketamine|hnk/.test(c); })[0] || null;
  }
  function peak(run, col) { var v = run.series[col]; return v ? Math.max.apply(null, v) : 0; }
  function receptorCol(run) { return peak(run, 'sert_occupancy') > peak(run, 'nmda_occupancy_interneuron') ? 'sert_occupancy' : 'nmda_occupancy_interneuron'; }

  // the six cards: what each stage is, which column it reads, and the scale of its bar
  function stages(run) {
    var pc = plasmaCol(run), rc = receptorCol(run), ref = run.reference || {};
    return [
      { n: 1, title: 'Dose and plasma', col: pc, what: pc ? 'drug in the blood' : 'no drug in this regimen', max: pc ? Math.max(peak(run, pc), 1e-9) : 1 },
      { n: 2, title: rc === 'sert_occupancy' ? 'Serotonin transporter block' : 'NMDA receptor block', col: rc,
        what: rc === 'sert_occupancy' ? 'share of serotonin transporters blocked' : 'share of NMDA receptors blocked on the inhibitory interneurons', max: 1 },
      { n: 3, title: 'Glutamate', col: 'glutamate_rel', what: 'glutamate signal, healthy = 1', max: Math.max(1.5, peak(run, 'glutamate_rel')), mark: 1 },
      { n: 4, title: 'BDNF (with mTOR)', col: 'bdnf_rel', what: 'the growth signal BDNF, which switches on mTOR; healthy = 1', max: Math.max(1.5, peak(run, 'bdnf_rel')), mark: 1 },
      { n: 5, title: 'Synapses', col: 'synapse_density_rel', what: 'synapse density, healthy = 1', max: Math.max(1.2, peak(run, 'synapse_density_rel')), mark: 1 },
      { n: 6, title: 'Depression score', col: 'symptom_score', what: 'illustrative score, lower is better' +
        (ref.response_score != null ? '; response at ' + C.fmtVal(ref.response_score) + ' or less' : ''), max: 60, mark: ref.response_score },
    ];
  }

  // compared with the value before the first dose: the only words that move
  function trend(now, before, unit) {
    if (now == null || before == null) return '';
    var d = now - before, scale = unit === 'points' ? 1 : Math.max(Math.abs(before), 0.05);
    if (Math.abs(d) / scale < 0.02) return 'as before the dose';
    return (d > 0 ? 'higher' : 'lower') + ' than before the dose';
  }

  // the dendrite: a shaft with SPINES stalks and heads; density d fills round(d * SPINES) of them,
  // the next one drawn faint as it grows or fades
  function dendriteSvg() {
    var w = 420, h = 130, y = h / 2, out = ['<svg viewBox="0 0 ' + w + ' ' + h + '" class="dendrite" role="img" aria-labelledby="intro-spines-text">',
      '<path d="M6 ' + y + ' C ' + w / 3 + ' ' + (y - 8) + ', ' + 2 * w / 3 + ' ' + (y + 8) + ', ' + (w - 6) + ' ' + y + '" stroke="#555" stroke-width="14" stroke-linecap="round" fill="none"/>'];
    for (var i = 0; i < SPINES; i++) {
      var x = 18 + i * (w - 36) / (SPINES - 1), up = i % 2 === 0, len = 26 + (i * 7) % 11, dir = up ? -1 : 1;
      out.push('<g class="spine" data-i="' + i + '"><line x1="' + x + '" y1="' + (y + dir * 6) + '" x2="' + (x + (up ? 3 : -3)) + '" y2="' + (y + dir * len) + '" stroke="#009E73" stroke-width="4" stroke-linecap="round"/>' +
        '<circle cx="' + (x + (up ? 3 : -3)) + '" cy="' + (y + dir * (len + 6)) + '" r="7" fill="#009E73"/></g>');
    }
    out.push('</svg>');
    return out.join('');
  }

  function create(api) {
    var root = document.getElementById('view-intro'), t = 0, playing = false, last = 0, raf = 0, cards = [], run = null, stale = false;
    root.innerHTML =
      '<div class="intro-head"><h2 id="intro-title">What does one treatment do, step by step?</h2>' +
      '<p class="intro-lead">Choose a treatment and press <b>Play</b>. Time runs from the first dose; each box is one step of the chain, from the drug in the blood to the depression score. ' +
      'This is an illustrative model for teaching, not a prediction for any real patient.</p></div>' +
      '<div class="intro-controls box">' +
      '<div><label for="intro-drug">Treatment</label><select id="intro-drug"></select></div>' +
      '<div id="intro-dose-field"><label for="intro-dose">Dose <span id="intro-dose-out" class="out"></span></label><input type="range" id="intro-dose"></div>' +
      '<fieldset class="seg intro-theories"><legend>Theories</legend><div id="intro-theories"></div></fieldset>' +
      '</div>' +
      '<div class="intro-play box"><button id="intro-play" class="strong" aria-pressed="false">Play</button>' +
      '<div class="intro-time"><label for="intro-t">Time after the first dose: <b id="intro-t-out">0 min</b></label><input type="range" id="intro-t" min="0" max="' + STEPS + '" step="1" value="0"></div>' +
      '<button id="intro-explore">Explore the whole model</button></div>' +
      '<div class="intro-body"><ol id="intro-chain" class="intro-chain" aria-label="The chain, step by step"></ol>' +
      '<div class="intro-spines box"><h3>Spines on a dendrite</h3>' + dendriteSvg() + '<p id="intro-spines-text"></p></div></div>';
    var $ = function (id) { return document.getElementById(id); };
    $('intro-drug').innerHTML = CHOICES.filter(function (c) { return api.hasScenario(c[0]); })
      .map(function (c) { return '<option value="' + c[0] + '">' + K.esc(c[1]) + '</option>'; }).join('');
    $('intro-drug').addEventListener('change', function () { stop(); t = 0; api.setScenario(this.value); });
    $('intro-dose').addEventListener('input', function () { api.setDose(+this.value); });
    $('intro-play').addEventListener('click', function () { if (playing) stop(); else play(); });
    $('intro-t').addEventListener('input', function () { stop(); if (run) { t = timeAt(+this.value / STEPS, end()); show(); } });
    $('intro-explore').addEventListener('click', function () { stop(); api.explore(t); });

    function end() { var s = run.series.time_h; return s[s.length - 1]; }
    function play() {
      if (!run) return;
      if (posOf(t, end()) >= 0.999) t = 0;
      playing = true; last = performance.now();
      $('intro-play').textContent = 'Pause'; $('intro-play').setAttribute('aria-pressed', 'true');
      raf = requestAnimationFrame(tick);
    }
    function stop() {
      if (!playing) return;
      playing = false; cancelAnimationFrame(raf);
      show();
      $('intro-play').textContent = 'Play'; $('intro-play').setAttribute('aria-pressed', 'false');
    }
    function tick(now) {
      if (!playing || !run) return;
      var u = Math.min(1, posOf(t, end()) + (now - last) / 1000 / PLAY_S);
      last = now; t = timeAt(u, end()); show();
      if (u >= 1) stop(); else raf = requestAnimationFrame(tick);
    }

    function draw() { stale = false; buildCards(); show(); }
    function buildCards() {
      var list = $('intro-chain');
      cards = stages(run);
      list.innerHTML = cards.map(function (c) {
        return '<li class="intro-card" data-stage="' + c.n + '"><h3>' + c.n + ' \u00b7 ' + K.esc(c.title) + '</h3>' +
          '<p class="intro-value" aria-live="off"></p><div class="intro-bar" aria-hidden="true"><i></i>' + (c.mark != null ? '<b style="left:' + (100 * c.mark / c.max).toFixed(1) + '%"></b>' : '') + '</div>' +
          '<p class="intro-trend"></p><p class="hint">' + K.esc(c.what) + '</p></li>';
      }).join('');
    }
    function show() {
      if (!run) return;
      var els = document.querySelectorAll('#intro-chain .intro-card');
      cards.forEach(function (c, i) {
        var el = els[i], v = c.col ? C.valueAt(run, c.col, t) : null, v0 = c.col ? C.valueAt(run, c.col, 0) : null;
        el.querySelector('.intro-value').textContent = c.col ? api.fmtCol(c.col, v) : '\u2013';
        el.querySelector('.intro-bar i').style.width = (v == null ? 0 : Math.max(0, Math.min(1, v / c.max)) * 100).toFixed(1) + '%';
        el.querySelector('.intro-trend').textContent = trend(v, v0, api.unitOf(c.col));
      });
      var d = C.valueAt(run, 'synapse_density_rel', t), filled = d * SPINES, full = Math.floor(filled);
      document.querySelectorAll('#view-intro .spine').forEach(function (g, i) {
        g.style.opacity = i < full ? 1 : i === full ? Math.max(0.12, filled - full) : 0.12;
      });
      $('intro-spines-text').textContent = 'Synapse density ' + C.fmtVal(d) + ' \u00d7 healthy: ' + Math.round(filled) + ' of ' + SPINES +
        ' spines (a healthy dendrite has all ' + SPINES + '); the faint ones stand for synapses lost.';
      $('intro-t-out').textContent = C.fmtTime(t);
      var slider = $('intro-t');
      slider.value = Math.round(posOf(t, end()) * STEPS);
      slider.setAttribute('aria-valuetext', C.fmtTime(t) + ' after the first dose');
      api.hook({ time_h: t, playing: playing, values: cards.map(function (c) { return c.col ? { col: c.col, value: C.valueAt(run, c.col, t) } : null; }), spines: Math.round(filled) });
    }

    return {
      // a new run of the page: kept, and drawn only while this view is shown (the other views'
      // runs pay nothing for it); the time reached stays, within the new run
      update: function (res) {
        if (!res) return;
        run = res; t = Math.min(t, end()); stale = true;
        if (!root.hidden) draw();
      },
      // the controls follow the page's state; a view just shown draws the latest run
      sync: function (state) {
        if (state.mode === 'intro' && stale && run) draw();
        $('intro-drug').value = state.scenario;
        var d = api.dose(), f = $('intro-dose-field');
        f.hidden = !d;
        if (d) {
          var r = $('intro-dose'); r.min = d.ui[0]; r.max = Math.max(d.ui[1], d.dose); r.step = d.ui[2];
          if (document.activeElement !== r) r.value = d.dose;
          $('intro-dose-out').textContent = '= ' + K.fmt(d.dose) + ' ' + d.unit + (d.phases > 1 ? ' (first phase; the others scale with it)' : '');
          r.setAttribute('aria-valuetext', K.fmt(d.dose) + ' ' + K.unitWords(d.unit));
        }
      },
      theoriesHost: function () { return $('intro-theories'); },
      stop: stop,
      play: play,
    };
  }
  window.SynsimIntro = { create: create };
})();
