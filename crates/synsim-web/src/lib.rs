//! # synsim-web: the lab's engine
//!
//! The browser lab talks to one function, [`api::call`]: a method name and
//! a JSON request in, a JSON response out. The same function runs in two
//! places, so the page shows the command line's numbers wherever it is
//! opened:
//!
//! - compiled to WebAssembly and inlined in the self-contained
//!   `synsim-lab.html` (the `wasm` module exports `synsim_alloc`, `synsim_free`
//!   and `synsim_call`; no imports, no JavaScript glue);
//! - natively behind `synsim serve`, as `POST /api/<method>`.
//!
//! Methods (see web/README.md for what each reads and answers): `catalog`, `run`,
//! `csv`, `regimen`, `population`, `circuit`. Every response is
//! `{"ok": true, …}` or `{"ok": false, "error": {"message", "kind"}}` with
//! the command line's wording. Nothing here touches the file system: only
//! built-in scenarios can be named.

pub mod api;
mod request;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
