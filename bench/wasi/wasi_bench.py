#!/usr/bin/env python3
"""bench/wasi: WASI 0.2 against WASI preview 1 and native `cat` (issue 13's two targets).

1. Start-up: `airwasm run hello.wasm` (a preview 1 module) against `airwasm run hello.component.wasm` (the
   same module made a command component with jco's componentNew and its preview1 command adapter, so it
   runs on WASI 0.2). Target: the component within 2x of the module. Median of RUNS runs of each.
2. Stdout throughput: writer.component.wasm writes 100 MiB to stdout in 64 KiB writes (the adapter cuts
   them into 4 KiB blocking-write-and-flush calls); against native `cat` copying a 100 MiB file; both
   into a pipe read by `cat > /dev/null`, and both straight to /dev/null. Target: at least half of cat's
   throughput.
The programs are built with clang-19 for wasm32-wasi; jco comes from the real-component work folder the
tests use (fixture component_real: build/tests/component/real, with its node_modules).
usage: wasi_bench.py AIRWASM JCO_WORK_DIR [RUNS]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 100


def run_time(cmd, runs, shell=False):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit(f'FAIL: {cmd} exited {p.returncode}: {p.stderr.decode(errors="replace")[:300]}')
    return statistics.median(times)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    airwasm, jco_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    with tempfile.TemporaryDirectory() as tmp:
        for prog in ('hello', 'writer'):
            subprocess.run(['clang-19', '--target=wasm32-wasi', '--sysroot=/usr', '-O2',
                            os.path.join(HERE, prog + '.c'), '-o', os.path.join(tmp, prog + '.wasm')],
                           check=True)
        shutil.copy(os.path.join(HERE, '..', '..', 'tests', 'wasi', 'p2', 'make_command.mjs'), jco_dir)
        subprocess.run(['node', 'make_command.mjs', tmp, os.path.join(tmp, 'hello.wasm'),
                        os.path.join(tmp, 'writer.wasm')], cwd=jco_dir, check=True, stdout=subprocess.DEVNULL)
        big = os.path.join(tmp, 'big.txt')
        with open(big, 'wb') as f:
            f.write((b'abcdefghijklmnopqrstuvwxyz' * 40 + b'\n') * (MIB * 1024 * 1024 // 1041))
            f.write(b'x' * (MIB * 1024 * 1024 - f.tell()))

        p1 = run_time([airwasm, 'run', os.path.join(tmp, 'hello.wasm')], runs)
        p2 = run_time([airwasm, 'run', os.path.join(tmp, 'hello.component.wasm')], runs)
        print('start-up of hello world (median of %d runs)' % runs)
        print(f'  preview 1 module     {p1 * 1000:7.2f} ms')
        print(f'  WASI 0.2 component   {p2 * 1000:7.2f} ms   ({p2 / p1:.2f}x the module; target <= 2x)')

        writer = os.path.join(tmp, 'writer.component.wasm')
        n = max(3, runs // 6)
        rows = [
            ('into a pipe', f'{airwasm} run {writer} | cat > /dev/null', f'cat {big} | cat > /dev/null'),
            ('to /dev/null', f'{airwasm} run {writer} > /dev/null', f'cat {big} > /dev/null'),
        ]
        print(f'stdout throughput, {MIB} MiB (median of {n} runs)')
        for label, ours, native in rows:
            a = run_time(ours, n, shell=True)
            c = run_time(native, n, shell=True)
            print(f'  {label:13s} WASI 0.2 component {MIB / a:7.0f} MiB/s, native cat {MIB / c:7.0f} MiB/s'
                  f'   ({c / a:.2f} of cat; target >= 0.5)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
