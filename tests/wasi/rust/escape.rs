// tests/wasi/rust: attempts to leave the pre-opened directory through Rust's std, each of which must
// fail. Built for wasm32-wasi only (natively these paths are simply reachable); tests/wasi/escape.sh runs
// it with only the "box" directory pre-opened as /box:
//   box/inside.txt ("inside"), box/sub/, box/hostabs -> <absolute path of ../outside.txt>,
//   box/hostup -> ../outside.txt, box/sub/deep -> ../../outside.txt
// and checks afterwards that nothing outside the box was read, created, changed or removed. One line per
// attempt: "name: ERRNAME", or "name: OK" / "name: read '...'" where success is right.
#[path = "common.rs"]
mod common;
use common::{errname, report};
use std::fs;

fn try_read(what: &str, path: &str) {
    match fs::read_to_string(path) {
        Ok(s) => println!("{}: read {:?}", what, s),
        Err(e) => println!("{}: {}", what, errname(&e)),
    }
}

fn main() {
    try_read("inside", "/box/inside.txt");
    try_read("inside via sub/..", "/box/sub/../inside.txt");
    try_read("dotdot", "/box/../outside.txt");
    try_read("dotdot via sub", "/box/sub/../../outside.txt");
    try_read("relative dotdot", "../outside.txt");
    try_read("absolute outside the preopen", "/etc/passwd");
    try_read("host absolute symlink", "/box/hostabs");
    try_read("host relative symlink", "/box/hostup");
    try_read("host symlink in subdir", "/box/sub/deep");
    try_read("host symlink as directory", "/box/hostup/x");
    println!("symlink_metadata of host symlink: is_symlink {:?}",
             fs::symlink_metadata("/box/hostup").map(|m| m.file_type().is_symlink()).map_err(|e| errname(&e)));
    println!("read_link of host symlink: {:?}", fs::read_link("/box/hostup").map_err(|e| errname(&e)));
    report("metadata through host symlink", fs::metadata("/box/hostup"));
    report("metadata ..", fs::metadata("/box/.."));
    report("read_dir ..", fs::read_dir("/box/.."));
    report("write outside", fs::write("/box/../created.txt", "x"));
    report("write through symlink", fs::write("/box/hostup", "overwritten"));
    report("create_dir outside", fs::create_dir("/box/../newdir"));
    report("create_dir_all outside", fs::create_dir_all("/box/sub/../../newdir2/x"));
    report("rename to outside", fs::rename("/box/inside.txt", "/box/../moved.txt"));
    report("rename from outside", fs::rename("/box/../outside.txt", "/box/stolen.txt"));
    report("remove_file outside", fs::remove_file("/box/../outside.txt"));
    report("remove_dir ..", fs::remove_dir("/box/.."));
    report("remove_dir_all ..", fs::remove_dir_all("/box/sub/../.."));
    report("hard_link from outside", fs::hard_link("/box/../outside.txt", "/box/hl"));
    report("hard_link through symlink", fs::hard_link("/box/hostup", "/box/hl2"));
    // Without SYMLINK_FOLLOW the link itself is linked: hl2 is one more symlink to ../outside.txt,
    // which must be as unusable as the original.
    println!("read_link of hl2: {:?}", fs::read_link("/box/hl2").map_err(|e| errname(&e)));
    try_read("read through hl2", "/box/hl2");
    report("copy outside in", fs::copy("/box/../outside.txt", "/box/copied.txt"));
    report("copy inside out", fs::copy("/box/inside.txt", "/box/../copied.txt"));
    let mut names: Vec<String> = fs::read_dir("/box")
        .expect("read_dir /box")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("box after: [{}]", names.join(" "));
    try_read("inside still", "/box/inside.txt");
}
