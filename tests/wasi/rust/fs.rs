// tests/wasi/rust: std::fs and std::io on files in the current directory (a pre-opened "." under
// airwasm): create/write/read/append/seek/set_len, metadata, read_dir, copy, rename, hard links,
// create_dir_all/remove_dir_all and the errors of the common misuses. Output is deterministic (listings
// are sorted, times are only checked for sanity) and compared with the natively built program.
// With the argument `remove-tree` the last step removes `work` with remove_tree below instead of
// std::fs::remove_dir_all: the form tests/wasi/p2 runs as a WASI 0.2 component, since through the
// preview1 adapter Rust 1.63's remove_dir_all cannot give its preview 1 output (see remove_tree).
#[path = "common.rs"]
mod common;
use common::{errname, report};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::time::{Duration, SystemTime};

fn list(path: &str) {
    match fs::read_dir(path) {
        Err(e) => println!("list {}: {}", path, errname(&e)),
        Ok(rd) => {
            let mut names: Vec<String> = rd
                .map(|e| {
                    let e = e.expect("read_dir entry");
                    let t = e.file_type().expect("file_type");
                    let suffix = if t.is_dir() { "/" } else if t.is_symlink() { "@" } else { "" };
                    format!("{}{}", e.file_name().to_string_lossy(), suffix)
                })
                .collect();
            names.sort();
            println!("list {}: [{}]", path, names.join(" "));
        }
    }
}

fn describe(path: &str) {
    match fs::metadata(path) {
        Err(e) => println!("metadata {}: {}", path, errname(&e)),
        Ok(m) => {
            let recent = match m.modified() {
                Ok(t) => match SystemTime::now().duration_since(t) {
                    Ok(d) => d < Duration::from_secs(120),
                    Err(e) => e.duration() < Duration::from_secs(2), // mtime a little in the future
                },
                Err(_) => false,
            };
            let len = if m.is_dir() { "-".to_string() } else { m.len().to_string() };
            println!("metadata {}: file {} dir {} len {} modified recently {}", path, m.is_file(), m.is_dir(),
                     len, recent);
        }
    }
}

/// Removes the tree at `path` reading each directory's whole listing before removing anything in it,
/// as Rust's std::fs::remove_dir_all does on WASI since rust-lang/rust#146691 (September 2025).
/// Rust 1.63's remove_dir_all deletes while it reads, resuming fd_readdir at a cookie after it has
/// recursed into a subdirectory; the preview1 adapter keeps one directory stream cached and otherwise
/// re-reads the directory and skips `cookie` entries of the new listing, from which the deleted entries
/// are gone, so it skips live ones and remove_dir_all fails with ENOTEMPTY, on any host
/// (docs/RATIONALE.md).
fn remove_tree(path: &str) -> io::Result<()> {
    let mut entries = Vec::new();
    for e in fs::read_dir(path)? {
        let e = e?;
        entries.push((e.file_name().to_string_lossy().into_owned(), e.file_type()?.is_dir()));
    }
    for (name, is_dir) in entries {
        let child = format!("{}/{}", path, name);
        if is_dir {
            remove_tree(&child)?;
        } else {
            fs::remove_file(&child)?;
        }
    }
    fs::remove_dir(path)
}

fn main() {
    let remove_by_tree = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("remove-tree") => true,
        Some(other) => {
            println!("unknown argument {:?}", other);
            std::process::exit(2);
        }
    };
    report("create_dir work", fs::create_dir("work"));
    report("create_dir work again", fs::create_dir("work"));
    report("create_dir_all work/a/b/c", fs::create_dir_all("work/a/b/c"));
    report("create_dir missing parent", fs::create_dir("work/x/y"));

    {
        let mut f = File::create("work/hello.txt").expect("create hello.txt");
        f.write_all(b"hello, world\n").expect("write");
    }
    describe("work/hello.txt");
    describe("work");
    println!("read_to_string: {:?}", fs::read_to_string("work/hello.txt").ok());

    {
        let mut f = OpenOptions::new().append(true).open("work/hello.txt").expect("open append");
        writeln!(f, "second line").expect("append");
        writeln!(f, "third line").expect("append");
    }
    let lines: Vec<String> = BufReader::new(File::open("work/hello.txt").expect("open"))
        .lines()
        .map(|l| l.expect("line"))
        .collect();
    println!("lines after append: {:?}", lines);

    {
        let mut f = OpenOptions::new().read(true).write(true).open("work/hello.txt").expect("open rw");
        println!("seek 7: {}", f.seek(SeekFrom::Start(7)).expect("seek"));
        let mut buf = [0u8; 5];
        f.read_exact(&mut buf).expect("read_exact");
        println!("read 5: {:?}", String::from_utf8_lossy(&buf));
        println!("seek current: {}", f.seek(SeekFrom::Current(0)).expect("seek"));
        println!("seek end: {}", f.seek(SeekFrom::End(0)).expect("seek"));
        println!("seek end-5: {}", f.seek(SeekFrom::End(-5)).expect("seek"));
        f.seek(SeekFrom::Start(0)).expect("seek");
        f.write_all(b"HELLO").expect("overwrite");
        report("set_len 12", f.set_len(12));
        println!("len after set_len: {}", f.metadata().expect("fstat").len());
        report("sync_all", f.sync_all());
    }
    println!("after overwrite: {:?}", fs::read_to_string("work/hello.txt").ok());

    // A larger file, written in one call and read back; then copied.
    let data: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    report("write big.bin", fs::write("work/big.bin", &data));
    let back = fs::read("work/big.bin").expect("read big.bin");
    println!("big.bin: len {} same {}", back.len(), back == data);
    println!("copy: {:?}", fs::copy("work/big.bin", "work/a/copy.bin").map_err(|e| errname(&e)));
    println!("copy same: {}", fs::read("work/a/copy.bin").map(|c| c == data).unwrap_or(false));

    report("create_new existing", OpenOptions::new().write(true).create_new(true).open("work/hello.txt"));
    report("create_new fresh", OpenOptions::new().write(true).create_new(true).open("work/new.txt"));
    report("open missing", File::open("work/missing.txt"));
    report("open through a file", File::open("work/hello.txt/x"));
    report("read_dir on a file", fs::read_dir("work/hello.txt"));

    report("rename hello -> a/renamed", fs::rename("work/hello.txt", "work/a/renamed.txt"));
    report("open old name", File::open("work/hello.txt"));
    println!("renamed content: {:?}", fs::read_to_string("work/a/renamed.txt").ok());
    report("rename dir b -> a/bb", fs::rename("work/a/b", "work/a/bb"));
    report("hard_link", fs::hard_link("work/a/renamed.txt", "work/link.txt"));
    println!("link content: {:?}", fs::read_to_string("work/link.txt").ok());
    report("hard_link existing", fs::hard_link("work/a/renamed.txt", "work/link.txt"));
    list("work");
    list("work/a");
    list("work/a/bb");
    list("work/missing");

    report("remove_dir non-empty", fs::remove_dir("work/a"));
    report("remove_file on a dir", fs::remove_file("work/a"));
    report("remove_dir on a file", fs::remove_dir("work/link.txt"));
    report("remove_file", fs::remove_file("work/link.txt"));
    report("remove_file again", fs::remove_file("work/link.txt"));
    report("remove_dir empty", fs::remove_dir("work/a/bb/c"));
    describe("work/a/bb/c");
    if remove_by_tree {
        report("remove_tree work", remove_tree("work"));
    } else {
        report("remove_dir_all work", fs::remove_dir_all("work"));
    }
    describe("work");
    list(".");
}
