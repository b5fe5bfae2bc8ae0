#!/usr/bin/env bash
# tests/wasi/p2: runs one test program twice with `airwasm run`: the preview 1 core module, and the same
# module made a WASI 0.2 command component (preview1 command adapter), and requires the same stdout,
# stderr and exit status. Each run gets a fresh empty directory pre-opened as "." and the same argv[0]
# (the file is copied to bin/prog.wasm of its own scratch tree).
# WASI 0.2's wasi:cli/exit carries only success or failure (exit-with-code is not stable), so the adapter
# turns every non-zero proc_exit status into 1: a preview 1 status N in 1..125 is expected as 1.
# usage: compare_p1_p2.sh AIRWASM P1.wasm P2.component.wasm [--env NAME=VALUE]... [--stdin FILE]
#                         [--exit N] [--no-stderr] [--host-time] [-- ARGS...]
#   --host-time    pass the host's current time (seconds since the epoch) as the last argument
set -u
airwasm=$1 p1=$2 p2=$3
shift 3
envs=() stdin=/dev/null expect_exit="" args=() check_stderr=1 host_time=0
while (($#)); do
  case $1 in
    --env) envs+=(--env "$2"); shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --exit) expect_exit=$2; shift 2 ;;
    --no-stderr) check_stderr=0; shift ;;
    --host-time) host_time=1; shift ;;
    --) shift; args=("$@"); break ;;
    *) echo "compare_p1_p2.sh: bad option $1" >&2; exit 2 ;;
  esac
done
for f in "$airwasm" "$p1" "$p2"; do
  [[ -e $f ]] || { echo "FAIL: $f does not exist (was the build / fixture run?)" >&2; exit 1; }
done
((host_time)) && args+=("$(date +%s)")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {  # run SIDE FILE
  mkdir -p "$tmp/$1/bin" "$tmp/$1/run"
  cp "$2" "$tmp/$1/bin/prog.wasm"
  (cd "$tmp/$1/run" && "$airwasm" run --dir . "${envs[@]}" ../bin/prog.wasm "${args[@]}" <"$stdin" \
     >"$tmp/$1.out" 2>"$tmp/$1.err")
  echo $? >"$tmp/$1.status"
}
run p1 "$p1"
run p2 "$p2"
s1=$(cat "$tmp/p1.status") s2=$(cat "$tmp/p2.status")
want2=$s1
((s1 >= 1 && s1 <= 125)) && want2=1
fail=0
diff -u --label preview1 "$tmp/p1.out" --label wasi-0.2 "$tmp/p2.out" || { echo "FAIL: stdout differs" >&2; fail=1; }
if ((check_stderr)); then
  diff -u --label preview1 "$tmp/p1.err" --label wasi-0.2 "$tmp/p2.err" || { echo "FAIL: stderr differs" >&2; fail=1; }
fi
[[ $s2 == "$want2" ]] || { echo "FAIL: exit status: preview 1 $s1, WASI 0.2 $s2 (expected $want2)" >&2; fail=1; }
[[ -z $expect_exit || $s1 == "$expect_exit" ]] || { echo "FAIL: preview 1 exit status $s1, expected $expect_exit" >&2; fail=1; }
if ((fail)); then
  echo "--- WASI 0.2 stderr:" >&2
  cat "$tmp/p2.err" >&2
  exit 1
fi
echo "ok: $(basename "$p2") ${args[*]}: same stdout ($(wc -l <"$tmp/p2.out") lines), stderr and exit status ($s1 -> $s2)"
