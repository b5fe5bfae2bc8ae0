#!/usr/bin/env bash
# tests/wasi: the sandbox escape test. Builds the directory layout escape.c expects (a "box" to pre-open,
# with host-made symbolic links pointing out of it, next to an "outside" file), runs the program with
# only the box pre-opened, compares its report with the expected file, and then checks that nothing
# outside the box was read into the output, created, changed, renamed or removed.
# usage: escape.sh AIRWASM WASM EXPECTED
set -u
airwasm=$1 wasm=$2 expected=$3
for f in "$airwasm" "$wasm" "$expected"; do
  [[ -e $f ]] || { echo "FAIL: $f does not exist (was the build run?)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report=$work/report.txt
tmp=$work/root
mkdir -p "$tmp/box/sub"
echo secret >"$tmp/outside.txt"
touch -d '2001-02-03 04:05:06' "$tmp/outside.txt"
printf inside >"$tmp/box/inside.txt"
ln -s "$tmp/outside.txt" "$tmp/box/hostabs"
ln -s ../outside.txt "$tmp/box/hostup"
ln -s ../../outside.txt "$tmp/box/sub/deep"
before=$(cd "$tmp" && ls -la --time-style=+%s outside.txt && ls -A)

"$airwasm" run --dir "$tmp/box::/box" "$wasm" >"$report" 2>&1
status=$?
fail=0
if ! diff -u --label expected "$expected" --label actual "$report"; then
  echo "FAIL: the report differs from $expected" >&2
  fail=1
fi
[[ $status == 0 ]] || { echo "FAIL: exit status $status" >&2; fail=1; }
grep -q secret "$report" && { echo "FAIL: the guest read the outside file" >&2; fail=1; }
after=$(cd "$tmp" && ls -la --time-style=+%s outside.txt && ls -A)
if [[ $before != "$after" ]]; then
  echo "FAIL: the directory outside the box changed:" >&2
  diff <(echo "$before") <(echo "$after") >&2
  fail=1
fi
[[ $(cat "$tmp/outside.txt") == secret ]] || { echo "FAIL: outside.txt was modified" >&2; fail=1; }
((fail)) && exit 1
echo "ok: every escape attempt failed and the outside is untouched"
