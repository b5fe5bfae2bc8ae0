#!/usr/bin/env bash
# The test command (README, .ci/run): installs dependencies, builds airwasm, runs every test (unit, the
# official core/SIMD/component suites, WASI, CLI golden files, benchmark smoke test), then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit and spec tests again there, and builds
# the plugin host's tests with ThreadSanitizer and runs them (on the release build's test components).
# Prints the spec totals. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${AIRWASM_JOBS:-$(nproc)}

scripts/install_deps.sh

echo "== format check"
scripts/check_format.sh

echo "== release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIRWASM_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
echo "== tests (release)"
ctest --test-dir build -j "$jobs" --output-on-failure

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAIRWASM_SANITIZE=ON -DAIRWASM_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
echo "== unit and spec tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" -L 'unit|spec' --output-on-failure

echo "== plugin host and lazy-tiering tests (ThreadSanitizer)"
# Only the host libraries and their tests (the engine, its services, the component runtime below them), on
# the C and .wat components the release run built; the JS ones are left to the release and ASan runs
# (SpiderMonkey under an instrumented interpreter takes minutes per test). The engine tests run under the
# three compiler modes (compiled code is not instrumented; the host's threads around it are).
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIRWASM_BENCH=OFF \
  -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
cmake --build build-tsan -j "$jobs" --target host_engine_test host_services_engine_test host_services_test host_storage_test \
  runtime_test
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
export AIRWASM_HOST_FIXTURES=$PWD/build/tests/host/fixtures AIRWASM_HOST_WAT_FIXTURES=$PWD/build/tests/host/engine/work/wasm
build-tsan/tests/host/services/host_services_test --gtest_brief=1
build-tsan/tests/host/services/host_storage_test --gtest_brief=1
build-tsan/tests/host/engine/host_engine_test --gtest_brief=1 --gtest_filter='*/wat:*/c:*/wat_*:*/c_*:AsyncSleep.*'
# (not the 1,000-component test: TSan's shadow memory leaves too little address space to reserve 1,000
# linear memories, which the engine reports as resource-limit-exceeded at about the 900th)
build-tsan/tests/host/engine/host_services_engine_test --gtest_brief=1 --gtest_filter='*/c-*ManyComponentsLoadedAtOnce*'
# lazy tiering: Stores on several threads making the functions of one Module hot at once
build-tsan/tests/unit/runtime_test --gtest_brief=1 --gtest_filter='LazyTierThreads.*:LazyTierSliced.*'
unset TSAN_OPTIONS AIRWASM_HOST_FIXTURES AIRWASM_HOST_WAT_FIXTURES

echo "== spec totals (release)"
for suite in core simd; do
  printf '%s: ' "$suite"
  build/tools/airwasm wast --wasm2 build/spec/"$suite"/*.json | tail -n 1
done
echo "all tests passed"
