/* synsim lab: the engine loader (see the engine contract, web/README.md).
 *
 *   SynsimEngine.load() -> Promise<engine>
 *   engine.kind                 "http" | "wasm"
 *   engine.call(method, req)    -> Promise<response JSON>  ({ok:true,...} or {ok:false,error})
 *   engine.population(req, onProgress) -> Promise<response>; a newer call cancels the older one,
 *                               whose promise rejects with {cancelled: true}.
 *
 * Order: (1) over http(s), if GET /api/catalog answers ok, POST /api/<method>;
 * (2) WebAssembly from base64 in <script id="synsim-wasm" type="application/octet-stream">.
 */
(function () {
  'use strict';

  var CANCELLED = { cancelled: true };

  // ---------- HTTP (synsim serve) ----------
  function httpEngine() {
    var popCtl = null;
    function post(method, req, signal) {
      return fetch('api/' + method, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(req || {}), signal: signal,
      }).then(function (r) { return r.json(); });
    }
    var inWorker = null;
    try { inWorker = workerCaller(null, HTTP_WORKER_SRC, location.href); } catch (e) { inWorker = null; }
    return {
      kind: 'http',
      worker: !!inWorker,
      // runs through the worker (their answers are large); the rest directly
      call: function (method, req) { return inWorker && method === 'run' ? inWorker(method, req) : post(method, req); },
      population: function (req) {
        if (popCtl) popCtl.abort();
        var ctl = popCtl = new AbortController();
        return post('population', req, ctl.signal).then(function (res) {
          if (ctl.signal.aborted) throw CANCELLED;
          return res;
        }, function (e) {
          if (ctl.signal.aborted) throw CANCELLED;
          throw e;
        });
      },
    };
  }
  function probeHttp() {
    if (!/^https?:$/.test(location.protocol) || typeof fetch !== 'function') return Promise.resolve(null);
    var ctl = new AbortController();
    var timer = setTimeout(function () { ctl.abort(); }, 2500);
    return fetch('api/catalog', { signal: ctl.signal, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { clearTimeout(timer); return j && j.ok ? httpEngine() : null; })
      .catch(function () { clearTimeout(timer); return null; });
  }

  // ---------- WebAssembly (no imports, no wasm-bindgen) ----------
  // The same function runs on the main thread and, as source text, inside the Blob worker.
  function makeCaller(instance) {
    var ex = instance.exports, enc = new TextEncoder(), dec = new TextDecoder();
    function put(s) {
      var b = enc.encode(s), p = ex.synsim_alloc(b.length);
      new Uint8Array(ex.memory.buffer, p, b.length).set(b);
      return [p, b.length];
    }
    return function call(method, req) {
      var m = put(method), r = put(JSON.stringify(req || {}));
      var out = ex.synsim_call(m[0], m[1], r[0], r[1]);
      var len = new DataView(ex.memory.buffer).getUint32(out, true);
      var text = dec.decode(new Uint8Array(ex.memory.buffer, out + 4, len));
      ex.synsim_free(out, 4 + len);
      ex.synsim_free(m[0], m[1]);
      ex.synsim_free(r[0], r[1]);
      return JSON.parse(text);
    };
  }
  // NOTE: the contract leaves open who frees the argument buffers; this page frees them
  // after synsim_call returns (see the report / lab-api.md).

  // A run's series as Float64Arrays, whose memory moves to the page instead of being copied.
  function typedSeries(res) {
    var moved = [];
    if (res && res.ok && res.series) {
      for (var k in res.series) { var a = new Float64Array(res.series[k]); res.series[k] = a; moved.push(a.buffer); }
    }
    return moved;
  }
  var WORKER_SRC = [
    'var makeCaller = ' + makeCaller.toString() + ';',
    'var typedSeries = ' + typedSeries.toString() + ';',
    'var call = null;',
    'onmessage = function (ev) {',
    '  var d = ev.data;',
    '  try {',
    '    if (!call) call = makeCaller(new WebAssembly.Instance(d.module, {}));',
    '    var t0 = performance.now(), res = call(d.method, d.req), ms = performance.now() - t0;',
    '    postMessage({ id: d.id, result: res, ms: ms }, d.typed ? typedSeries(res) : []);',
    '  } catch (e) { postMessage({ id: d.id, result: { ok: false, error: { kind: "run", message: String(e && e.message || e) } } }); }',
    '};',
  ].join('\n');
  // synsim serve: the worker posts the request and reads the (large) answer off the main thread
  var HTTP_WORKER_SRC = [
    'var typedSeries = ' + typedSeries.toString() + ';',
    'onmessage = function (ev) {',
    '  var d = ev.data;',
    '  fetch(d.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(d.req || {}) })',
    '    .then(function (r) { return r.json(); })',
    '    .then(function (res) { postMessage({ id: d.id, result: res }, d.typed ? typedSeries(res) : []); },',
    '      function (e) { postMessage({ id: d.id, result: { ok: false, error: { kind: "run", message: String(e && e.message || e) } } }); });',
    '};',
  ].join('\n');

  function workerPopulation(module, source) {
    // module: the compiled WebAssembly.Module the worker instantiates
    var worker = null, seq = 0, rejectStale = null;
    var url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return function population(req) {
      if (worker) { worker.terminate(); worker = null; }
      if (rejectStale) { rejectStale(CANCELLED); rejectStale = null; }
      var w = worker = new Worker(url), id = ++seq;
      return new Promise(function (resolve, reject) {
        rejectStale = reject;
        w.onmessage = function (ev) {
          if (ev.data.id !== id) return;
          w.terminate(); if (worker === w) worker = null; rejectStale = null;
          resolve(ev.data.result);
        };
        w.onerror = function (e) {
          w.terminate(); if (worker === w) worker = null; rejectStale = null;
          resolve({ ok: false, error: { kind: 'run', message: 'population worker failed: ' + (e.message || e) } });
        };
        w.postMessage({ id: id, module: module, method: 'population', req: req });
      });
    };
  }

  // One long-lived worker for single runs (and every other call): the page stays responsive
  // while the engine computes. Calls are answered in order; the page sends a new run only
  // when the last one has come back, with the latest values (see app.js, frame()).
  function workerCaller(module, source, base) {
    var url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    var w = new Worker(url), seq = 0, waiting = {}, sentModule = false;
    function failAll(msg) {
      Object.keys(waiting).forEach(function (id) { var f = waiting[id]; delete waiting[id]; f({ ok: false, error: { kind: 'run', message: msg } }); });
    }
    w.onmessage = function (ev) {
      var f = waiting[ev.data.id];
      if (!f) return;
      delete waiting[ev.data.id];
      // the engine's own time (simulation and JSON) in the worker, for the page's timing
      if (ev.data.ms != null && ev.data.result) ev.data.result.worker_ms = ev.data.ms;
      f(ev.data.result);
    };
    w.onerror = function (e) { failAll('engine worker failed: ' + (e.message || e)); };
    return function call(method, req) {
      return new Promise(function (resolve) {
        var id = ++seq;
        waiting[id] = resolve;
        w.postMessage({ id: id, module: sentModule ? null : module, method: method, req: req, typed: method === 'run',
          url: base ? new URL('api/' + method, base).href : null });
        sentModule = true;
      });
    };
  }

  function wasmBytes() {
    var el = document.getElementById('synsim-wasm');
    var b64 = el ? el.textContent.replace(/\s+/g, '') : '';
    if (!b64) return null;
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }
  function wasmEngine(bytes) {
    return WebAssembly.compile(bytes).then(function (module) {
      return WebAssembly.instantiate(module, {}).then(function (instance) {
        var call = makeCaller(instance), inWorker = null;
        // Off the main thread where the browser allows a worker from a Blob URL (also from
        // file://); on the main thread otherwise.
        try { inWorker = workerCaller(module, WORKER_SRC); } catch (e) { inWorker = null; }
        return {
          kind: 'wasm',
          worker: !!inWorker,
          call: inWorker || function (method, req) {
            return new Promise(function (resolve) {
              try { resolve(call(method, req)); }
              catch (e) { resolve({ ok: false, error: { kind: 'run', message: String(e && e.message || e) } }); }
            });
          },
          population: workerPopulation(module, WORKER_SRC),
        };
      });
    });
  }

  function load() {
    return probeHttp().then(function (http) {
      if (http) return http;
      var bytes = wasmBytes();
      if (bytes) return wasmEngine(bytes);
      throw new Error('No simulation engine found. This page needs the WebAssembly engine built into it ' +
        '(the synsim-lab.html file), or `synsim serve`.');
    });
  }

  window.SynsimEngine = { load: load, CANCELLED: CANCELLED };
})();
