// Takes a built lab page apart: its WebAssembly engine, and the page without it.
//
//   node extract-wasm.mjs <synsim-lab.html> <engine.wasm> [<page-without-engine.html>]
//
// The engine is the base64 in <script id="synsim-wasm" type="application/octet-stream">
// (what xtask's `lab` inlines and web/engine.js decodes). The page without it is the same
// file with that script left empty, so two builds' HTML, scripts and styles compare
// byte for byte while their engines are compared by what they compute (.ci/lab).
// Exits 1, naming the file, when the page holds no engine or one that is not valid WebAssembly.
import { readFileSync, writeFileSync } from 'node:fs';

const [page, wasmOut, restOut] = process.argv.slice(2);
if (!wasmOut) {
  console.error('usage: node extract-wasm.mjs <synsim-lab.html> <engine.wasm> [<page-without-engine.html>]');
  process.exit(2);
}
const html = readFileSync(page, 'utf8');
const open = '<script id="synsim-wasm" type="application/octet-stream">';
// The slot is a line of its own (web/engine.js quotes the tag in a comment).
const slot = /^[ \t]*<script id="synsim-wasm" type="application\/octet-stream">([^<]*)<\/script>[ \t]*$/gm;
const found = [...html.matchAll(slot)];
const fail = (why) => { console.error(`error: ${page}: ${why}`); process.exit(1); };
if (found.length !== 1) {
  fail(`${found.length ? 'more than one' : 'no'} line ${open}…</script> ` +
    '(a page built by `cargo run --release -p xtask -- lab` has one)');
}
const m = found[0], start = m.index + m[0].indexOf('>') + 1, end = start + m[1].length;
const b64 = m[1].replace(/\s+/g, '');
if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4) fail('the engine is not base64');
const wasm = Buffer.from(b64, 'base64');
if (!WebAssembly.validate(wasm)) fail('the engine is not a valid WebAssembly module');
writeFileSync(wasmOut, wasm);
if (restOut) writeFileSync(restOut, html.slice(0, start) + html.slice(end));
console.error(`${page}: engine ${(wasm.length / 1e6).toFixed(2)} MB -> ${wasmOut}`);
