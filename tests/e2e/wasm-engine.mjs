// The lab's WebAssembly engine in node, called the way web/engine.js calls it:
// JSON request in, JSON answer out, through synsim_alloc / synsim_call / synsim_free.
import { readFileSync } from 'node:fs';

/** Loads a synsim_web.wasm file; returns call(method, request) -> parsed answer. */
export function loadEngine(wasmPath) {
  const { exports: ex } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
  const enc = new TextEncoder(), dec = new TextDecoder();
  return function call(method, req) {
    const put = (s) => { const b = enc.encode(s); const p = ex.synsim_alloc(b.length); new Uint8Array(ex.memory.buffer, p, b.length).set(b); return [p, b.length]; };
    const [mp, ml] = put(method), [bp, bl] = put(JSON.stringify(req));
    const r = ex.synsim_call(mp, ml, bp, bl);
    const len = new DataView(ex.memory.buffer).getUint32(r, true);
    const text = dec.decode(new Uint8Array(ex.memory.buffer, r + 4, len));
    ex.synsim_free(r, 4 + len); ex.synsim_free(mp, ml); ex.synsim_free(bp, bl);
    return JSON.parse(text);
  };
}
