// tests/wasi/rust: helpers shared by the Rust WASI test programs (included with #[path] mod common),
// and the canonical ABI allocator `cabi_realloc` every one of them exports on wasm32 (below).
// Errors are printed by errno name, never with the io::Error text or ErrorKind: the text differs between
// wasi-libc and glibc, and Rust 1.63's WASI std maps fewer errnos to ErrorKinds than its Unix std, so
// only the errno itself is a fair thing to compare between the native and the wasm32-wasi build.
#![allow(dead_code)]
use std::io;

#[cfg(target_os = "wasi")]
const ERRNOS: &[(i32, &str)] = &[
    (2, "EACCES"), (8, "EBADF"), (20, "EEXIST"), (28, "EINVAL"), (31, "EISDIR"), (32, "ELOOP"),
    (44, "ENOENT"), (54, "ENOTDIR"), (55, "ENOTEMPTY"), (63, "EPERM"), (70, "ESPIPE"), (75, "EXDEV"),
    (76, "ENOTCAPABLE"),
];
#[cfg(not(target_os = "wasi"))]
const ERRNOS: &[(i32, &str)] = &[
    (1, "EPERM"), (2, "ENOENT"), (9, "EBADF"), (13, "EACCES"), (17, "EEXIST"), (18, "EXDEV"),
    (20, "ENOTDIR"), (21, "EISDIR"), (22, "EINVAL"), (29, "ESPIPE"), (39, "ENOTEMPTY"), (40, "ELOOP"),
];

pub fn errname(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => match ERRNOS.iter().find(|t| t.0 == code) {
            Some(t) => t.1.to_string(),
            None => format!("errno {}", code),
        },
        None => format!("no errno: {}", e), // an error made by std itself
    }
}

/// Prints "what: OK" or "what: ERRNAME" and returns the value on success.
pub fn report<T>(what: &str, r: io::Result<T>) -> Option<T> {
    match r {
        Ok(v) => {
            println!("{}: OK", what);
            Some(v)
        }
        Err(e) => {
            println!("{}: {}", what, errname(&e));
            None
        }
    }
}

/// The canonical ABI's `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`, over the program's own
/// allocator, exported on wasm32 as every Rust program meant to become a component exports it
/// (wit-bindgen's runtime crate defines it). The preview 1 modules never call it; it is for the
/// preview1 adapter once tests/wasi/p2 has made the module a component: wit-component then links the
/// adapter's `cabi_realloc` import to this export, so the adapter allocates its stack and its `State`
/// through the program's malloc instead of a stand-in that grows memory by a page. The old wasi-libc
/// malloc inside Rust 1.63's std adopts all memory up to memory.size as heap when it starts, and would
/// take such a page (docs/RATIONALE.md, "WASI 0.2: programs whose malloc takes the adapter's pages").
/// Never called with new_size 0 by the adapter; answers it with an aligned dangling pointer, as
/// wit-bindgen does. An allocation failure aborts (a trap), as the canonical ABI expects.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    use std::alloc::{alloc, handle_alloc_error, realloc, Layout};
    if new_size == 0 {
        return align as *mut u8;
    }
    let new_layout = match Layout::from_size_align(new_size, align) {
        Ok(l) => l,
        Err(_) => std::process::abort(),
    };
    let ptr = if old_size == 0 {
        alloc(new_layout)
    } else {
        realloc(old_ptr, Layout::from_size_align_unchecked(old_size, align), new_size)
    };
    if ptr.is_null() {
        handle_alloc_error(new_layout);
    }
    ptr
}
