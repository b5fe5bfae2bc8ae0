#!/usr/bin/env python3
"""tests/wasi/p2: runs the official WASI test suite (WebAssembly/wasi-testsuite, the wasm32-wasip1
programs of ../shared/testsuite/wasi) with `airwasm run`, either as the preview 1 modules they are
(--mode p1) or made WASI 0.2 command components by jco's componentNew with the preview1 command
adapter (--mode p2; the components are made in WORK/components once per run).

What a runner does, per the suite's README: every NAME.wasm under a wasm32-wasip1 folder is a test with
NAME.json beside it (missing: defaults); `args`, `env` and `root` (a folder beside the test, preopened as
"/") describe the run, run in a scratch copy of the folder; `exit_code` (default 0) and `stdout` (when
given) are compared. WASI 0.2's wasi:cli/exit carries only success or failure, so in p2 mode a non-zero
expected exit code is expected as 1.

Tests listed in KNOWN_FAILURES[mode] with a reason are reported but do not fail the run; an unexpected
failure, or a known failure that now passes (so that the list stays true), fails it. Two ctests run it:
wasi_p1_testsuite (src/wasi) and wasi_p2_testsuite (src/wasi/p2).
usage: wasi_testsuite.py --mode p1|p2 AIRWASM SUITE_DIR WORK_DIR [JCO_DIR]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# The preview1 *adapter* fails these AssemblyScript programs whatever the host (jco's runtime on node
# fails them the same way); docs/RATIONALE.md, "the three AssemblyScript programs ...", has the details.
# Line numbers: wasmtime's crates/wasi-preview1-component-adapter/src/lib.rs (v46-v48, as jco 1.35 ships).
_STATE_CLOBBERED = ('AssemblyScript\'s TLSF allocator starts after the adapter grew memory for its State page, '
                    'adopts all memory up to memory.size and writes its tail block header over State.magic2 '
                    '(adapter asserts at lib.rs:2858)')
_EMPTY_IOVECS = ('the adapter\'s fd_write returns success for zero iovecs before looking the fd up '
                 '(lib.rs:1721), where the program expects EBADF')
KNOWN_FAILURES = {
    'p1': {},
    'p2': {
        'assemblyscript/testsuite/wasm32-wasip1/args_get-multiple-arguments.wasm': _STATE_CLOBBERED,
        'assemblyscript/testsuite/wasm32-wasip1/environ_get-multiple-variables.wasm': _STATE_CLOBBERED,
        'assemblyscript/testsuite/wasm32-wasip1/fd_write-to-invalid-fd.wasm': _EMPTY_IOVECS,
    },
}


def tests(suite):
    for root, _dirs, files in sorted(os.walk(suite)):
        if os.path.basename(root) != 'wasm32-wasip1':
            continue
        for f in sorted(files):
            if f.endswith('.wasm'):
                yield os.path.join(root, f)


def make_components(wasms, work, jco_dir):
    """One node process per language folder; returns {wasm: component path}."""
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, 'make_command.mjs'), jco_dir)
    out = {}
    by_dir = {}
    for w in wasms:
        by_dir.setdefault(os.path.dirname(w), []).append(w)
    for d, ws in by_dir.items():
        lang = os.path.relpath(d, os.path.dirname(os.path.dirname(os.path.dirname(d))))
        dest = os.path.join(work, 'components', lang.replace(os.sep, '_'))
        os.makedirs(dest, exist_ok=True)
        subprocess.run(['node', 'make_command.mjs', dest] + ws, cwd=jco_dir, stdout=subprocess.DEVNULL)
        for w in ws:
            c = os.path.join(dest, os.path.basename(w)[:-5] + '.component.wasm')
            if os.path.exists(c):
                out[w] = c
    return out


def run_one(airwasm, wasm, program, mode):
    spec_path = wasm[:-5] + '.json'
    spec = {}
    if os.path.exists(spec_path):
        with open(spec_path) as f:
            spec = json.load(f)
    folder = os.path.dirname(wasm)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [airwasm, 'run']
        if 'root' in spec:
            scratch = os.path.join(tmp, 'root')
            shutil.copytree(os.path.join(folder, spec['root']), scratch, symlinks=True)
            for r, _d, fs in os.walk(scratch):
                for f in fs:
                    if f.endswith('.cleanup'):
                        os.remove(os.path.join(r, f))
            cmd += ['--dir', scratch + '::/']
        for k, v in spec.get('env', {}).items():
            cmd += ['--env', f'{k}={v}']
        cmd += [program] + spec.get('args', [])
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=60, stdin=subprocess.DEVNULL, cwd=tmp)
        except subprocess.TimeoutExpired:
            return 'timed out'
    want = spec.get('exit_code', 0)
    if mode == 'p2' and 1 <= want <= 125:
        want = 1
    problems = []
    if p.returncode != want:
        problems.append(f'exit {p.returncode}, expected {want}')
    if 'stdout' in spec and p.stdout.decode(errors='replace') != spec['stdout']:
        problems.append(f'stdout {p.stdout[:200]!r}, expected {spec["stdout"][:200]!r}')
    if problems and p.stderr:
        problems.append('stderr: ' + p.stderr.decode(errors='replace').strip().splitlines()[0][:300])
    return '; '.join(problems)


def main():
    args = sys.argv[1:]
    if len(args) < 5 or args[0] != '--mode' or args[1] not in ('p1', 'p2'):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    mode, airwasm, suite, work = args[1], args[2], args[3], args[4]
    os.makedirs(work, exist_ok=True)
    wasms = list(tests(suite))
    if not wasms:
        print(f'FAIL: no tests under {suite}', file=sys.stderr)
        return 1
    programs = {w: w for w in wasms}
    if mode == 'p2':
        if len(args) < 6:
            print('p2 mode needs JCO_DIR', file=sys.stderr)
            return 2
        programs = make_components(wasms, work, args[5])
    known = KNOWN_FAILURES[mode]
    passed = failed = 0
    unexpected = []
    for w in wasms:
        name = os.path.relpath(w, suite)
        problem = run_one(airwasm, w, programs[w], mode) if w in programs else 'jco could not make a component'
        if problem:
            failed += 1
            tag = 'known failure' if name in known else 'FAIL'
            print(f'{tag}: {name}: {problem}')
            if name not in known:
                unexpected.append(name)
        else:
            passed += 1
            if name in known:
                print(f'FAIL: {name} passes but is listed as a known failure ({known[name]})')
                unexpected.append(name)
    print(f'WASI test suite ({mode}): {passed} passed, {failed} failed of {len(wasms)}')
    return 1 if unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
