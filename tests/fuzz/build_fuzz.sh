#!/bin/sh
# Builds a libFuzzer target with clang-19 + ASan/UBSan into $1 (default build-fuzz/) and, if a seed
# directory is given as $2, runs it for $3 seconds (default 600). The target is $FUZZ_TARGET:
#   component_decoder_fuzz (default)  the component front end (reader, validator, WIT printer)
#   module_fuzz                       core modules: decode + validate + lower + instantiate + call
#   component_run_fuzz                components: compile, link stubs, instantiate, call exports with values
#   canon_fuzz                        the canonical ABI codec on hostile memories, flat values, reallocs
#   wit_parser_fuzz                   the WIT text parser (WIT files as seeds)
#   baseline_diff_fuzz                the baseline compiler against the interpreter on generated modules
#                                     (no seeds needed: pass an empty directory)
# module_fuzz runs with the limits of issue 14's acceptance (-rss_limit_mb=1024 -timeout=5).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/build-fuzz}
target=${FUZZ_TARGET:-component_decoder_fuzz}
mkdir -p "$out"
# -fno-sanitize=function: clang's UBSan checks an indirect call by reading a signature word just before the
# callee, which compiled wasm code (reached through a function pointer into executable pages) does not have:
# with it, the first call into compiled code faults reading the page below.
flags="-std=c++23 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize=function -fno-sanitize-recover=undefined -I$here/include -I$here/src"
core="$here/src/base/*.cc $here/src/wasm/*.cc $here/src/decode/*.cc $here/src/validate/*.cc"
# The runtime runs compiled code too: it needs the baseline compiler and its assembler.
interp="$here/src/interp/lower_control.cc $here/src/interp/lower_ops.cc $here/src/interp/interpreter.cc $here/src/baseline/*.cc $here/src/jit/*.cc"
case $target in
  component_decoder_fuzz)
    srcs="$here/tests/fuzz/component_decoder_fuzz.cc $here/src/component/*.cc $core"
    run_flags="-max_len=4096 -timeout=10 -rss_limit_mb=2048" ;;
  module_fuzz)
    srcs="$here/tests/fuzz/module_fuzz.cc $core $interp $here/src/runtime/*.cc"
    run_flags="-max_len=65536 -timeout=5 -rss_limit_mb=1024" ;;
  component_run_fuzz)
    srcs="$here/tests/fuzz/component_run_fuzz.cc $core $interp $here/src/runtime/*.cc $here/src/component/*.cc $here/src/canon/*.cc $here/src/component_runtime/*.cc"
    run_flags="-max_len=65536 -timeout=10 -rss_limit_mb=2048" ;;
  baseline_diff_fuzz)
    srcs="$here/tests/fuzz/baseline_diff_fuzz.cc $here/tests/fuzz/wasm_gen.cc $here/tests/fuzz/baseline_diff.cc $core $interp $here/src/runtime/*.cc"
    run_flags="-max_len=4096 -timeout=20 -rss_limit_mb=2048" ;;
  canon_fuzz)
    srcs="$here/tests/fuzz/canon_fuzz.cc $here/src/canon/*.cc $here/src/component/*.cc $core"
    run_flags="-max_len=2048 -timeout=10 -rss_limit_mb=2048" ;;
  wit_parser_fuzz)
    srcs="$here/tests/fuzz/wit_parser_fuzz.cc $here/src/wit/*.cc $here/src/component/*.cc $core"
    run_flags="-max_len=4096 -timeout=10 -rss_limit_mb=2048" ;;
  *) echo "unknown FUZZ_TARGET $target" >&2; exit 2 ;;
esac
# One object per source, two compilers at a time (the machine has 2 cores), then one link; through ccache
# when it is installed (a rebuild after a small change then recompiles only what changed).
mkdir -p "$out/obj-$target"
cxx=clang++-19
if command -v ccache >/dev/null 2>&1; then cxx="ccache clang++-19"; fi
# shellcheck disable=SC2086
for src in $srcs; do echo "$src"; done |
  xargs -P "${FUZZ_JOBS:-2}" -I{} sh -c 'o="$1/$(echo "$2" | tr / _).o"; $4 $3 -c "$2" -o "$o"' _ "$out/obj-$target" {} "$flags" "$cxx"
clang++-19 $flags "$out/obj-$target"/*.o -o "$out/$target"
if [ $# -ge 2 ]; then
  mkdir -p "$out/corpus-$target"
  # shellcheck disable=SC2086
  "$out/$target" -max_total_time="${3:-600}" $run_flags "$out/corpus-$target" "$2"
fi
