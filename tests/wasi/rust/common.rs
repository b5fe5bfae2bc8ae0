// tests/wasi/rust: helpers shared by the Rust WASI test programs (included with #[path] mod common).
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
