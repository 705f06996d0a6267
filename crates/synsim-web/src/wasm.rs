//! The WebAssembly exports: a byte-buffer calling convention with no
//! imports, so the page needs no generated JavaScript glue and works from
//! `file://`.
//!
//! The page allocates two buffers with [`synsim_alloc`], writes the method
//! name and the request JSON (UTF-8) into them and calls [`synsim_call`].
//! The result points at a little-endian `u32` length followed by that many
//! bytes of response JSON; the page reads it and frees all three buffers
//! with [`synsim_free`] (the result's size is `4 + length`).

use std::alloc::{alloc, dealloc, Layout};

fn layout(len: usize) -> Layout {
    // Size 0 is not a valid allocation; a 1-byte buffer is harmless.
    Layout::from_size_align(len.max(1), 4).expect("a small buffer layout")
}

/// Allocates `len` bytes for the page to write into.
#[no_mangle]
pub extern "C" fn synsim_alloc(len: usize) -> *mut u8 {
    // SAFETY: the layout has a non-zero size.
    unsafe { alloc(layout(len)) }
}

/// Frees a buffer from [`synsim_alloc`] or [`synsim_call`].
///
/// # Safety
/// `ptr` must come from one of them with the same `len`, and be freed once.
#[no_mangle]
pub unsafe extern "C" fn synsim_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        dealloc(ptr, layout(len));
    }
}

/// Answers one request (see [`crate::api::call`]).
///
/// # Safety
/// The two (pointer, length) pairs must describe buffers from
/// [`synsim_alloc`] that hold the bytes written by the page.
#[no_mangle]
pub unsafe extern "C" fn synsim_call(
    method: *const u8,
    method_len: usize,
    body: *const u8,
    body_len: usize,
) -> *mut u8 {
    let text = |p: *const u8, n: usize| {
        if p.is_null() || n == 0 {
            String::new()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(p, n)).into_owned()
        }
    };
    let out = crate::api::call(&text(method, method_len), &text(body, body_len));
    let bytes = out.as_bytes();
    let ptr = synsim_alloc(4 + bytes.len());
    if ptr.is_null() {
        return ptr;
    }
    std::ptr::copy_nonoverlapping((bytes.len() as u32).to_le_bytes().as_ptr(), ptr, 4);
    std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr.add(4), bytes.len());
    ptr
}
