// tests/wasi/rust: the process side of std. The first argument picks a mode:
//   args ARGS...   print the arguments and the sorted environment, then set_var/remove_var
//   exit N         print a line, then std::process::exit(N) (stdout must be flushed by then)
//   err            main returns Err, which Rust turns into exit status 1
//   panic          panic!: natively Rust unwinds and exits with 101; wasm32-wasi std is built with
//                  panic=abort, so the message goes to stderr and abort() traps (tested on its own)
//   cat            stdin to stdout line by line, numbered, then a byte and line count
//   clocks HOST    SystemTime within 5 s of HOST (the host's time in seconds since the epoch), Instant
//                  monotonic, thread::sleep of 50 ms lasting at least 50 ms
// The test runs it natively under `env -i` with the same variables and compares the output.
#[path = "common.rs"]
mod common; // for its cabi_realloc export (a component's allocator); the helpers are not used here
use std::env;
use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn args_mode(args: &[String]) {
    println!("args after the mode: {}", args.len());
    for (i, a) in args.iter().enumerate() {
        println!("  [{}] {:?}", i, a);
    }
    let mut vars: Vec<(String, String)> = env::vars().collect();
    vars.sort();
    println!("vars: {}", vars.len());
    for (k, v) in &vars {
        println!("  {}={:?}", k, v);
    }
    println!("FOO: {:?}", env::var("FOO").ok());
    println!("EMPTY: {:?}", env::var("EMPTY").ok());
    println!("AIRWASM_TEST_MISSING: {:?}", env::var_os("AIRWASM_TEST_MISSING"));
    env::set_var("AIRWASM_NEW", "set by the guest");
    env::remove_var("FOO");
    println!("after set/remove: NEW {:?} FOO {:?}", env::var("AIRWASM_NEW").ok(), env::var("FOO").ok());
}

fn cat_mode() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (mut lines, mut bytes) = (0usize, 0usize);
    for line in stdin.lock().lines() {
        let line = line.expect("stdin line");
        lines += 1;
        bytes += line.len() + 1;
        writeln!(out, "{:5} {}", lines, line).expect("stdout");
    }
    writeln!(out, "lines {} bytes {}", lines, bytes).expect("stdout");
}

fn clocks_mode(host: u64) {
    let a = Instant::now();
    let mut x = 0u64;
    for i in 0..1_000_000u64 {
        x = x.wrapping_add(i * i);
    }
    let b = Instant::now();
    println!("busy loop checksum {}", x);
    println!("instant monotonic: {}", b >= a);
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(50));
    let slept = t0.elapsed();
    println!("slept at least 50ms: {}", slept >= Duration::from_millis(50));
    println!("slept less than 2s: {}", slept < Duration::from_secs(2));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after the epoch").as_secs();
    println!("system time near host: {}", now + 5 >= host && now <= host + 5);
    let later = SystemTime::now();
    println!("system time not behind: {}", later.duration_since(UNIX_EPOCH).unwrap().as_secs() >= now);
}

fn main() -> Result<(), String> {
    let all: Vec<String> = env::args().collect();
    println!("argc {}", all.len());
    let mode = all.get(1).map(String::as_str).unwrap_or("");
    let rest = if all.len() > 2 { &all[2..] } else { &[] };
    match mode {
        "args" => args_mode(rest),
        "exit" => {
            let n: i32 = rest.get(0).and_then(|s| s.parse().ok()).unwrap_or(99);
            println!("exiting with {}", n);
            io::stdout().flush().expect("flush");
            std::process::exit(n);
        }
        "err" => {
            println!("returning Err from main");
            return Err("deliberate".to_string());
        }
        "panic" => panic!("deliberate panic"),
        "cat" => cat_mode(),
        "clocks" => clocks_mode(rest.get(0).and_then(|s| s.parse().ok()).unwrap_or(0)),
        other => {
            println!("unknown mode {:?}", other);
            std::process::exit(2);
        }
    }
    Ok(())
}
