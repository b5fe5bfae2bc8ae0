#!/usr/bin/env python3
"""run_bench.py: compare airwasm with native code, node (V8) and any locally built peer runtime.

Runs every bench/programs/*.c (built by the bench_programs CMake target) natively and as wasm32-wasi
under each runtime, N times each, interleaved. Reports the median wall time, checks that every run's
stdout equals the native run's (the programs print checksums), and prints Markdown tables:

  1. the programs: native seconds and, per runtime, seconds and the ratio to native; geometric mean;
  2. start-up: load + run of an empty WASI command, median of 20 runs, per runtime;
  3. load speed: MB/s (file bytes / 10^6 / s) turning the generated multi-MB module into something
     runnable: airwasm through build/bench/load_speed (or `airwasm compile --time`), node through
     `new WebAssembly.Module` with lazy (default) and eager Liftoff compilation.

A runtime that is missing or fails is reported in its column and does not stop the others.
Extra runtimes: --runtime NAME=COMMAND-PREFIX (repeatable); the .wasm path is appended to the prefix,
e.g. --runtime wasm3=/opt/wasm3/build/wasm3 --runtime "wasmtime=wasmtime run".

Standard library only. Exit status: 0, or 1 if a native program fails, or with --strict if any runtime
fails or disagrees on any program.
"""
import argparse
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
NODE_RUNNER = BENCH_DIR / "node_wasi_run.mjs"
NODE_LOAD_SPEED = BENCH_DIR / "node_load_speed.mjs"
MB_PER_S = re.compile(r"MB/s:\s*([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)")


# ----------------------------------------------------------------------------------------------------
# runtimes and single runs


@dataclass
class Runtime:
    name: str
    prefix: list  # command prefix; the module (or native executable) path is appended
    problem: str = ""  # non-empty: the runtime is unavailable, and why
    native: bool = False

    def command(self, target):
        return [str(target)] if self.native else self.prefix + [str(target)]


@dataclass
class Run:
    wall: float = 0.0
    cpu: float = 0.0  # user + system of the child (and its children)
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    error: str = ""  # set when the run did not complete normally


def run_once(cmd, timeout):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(wall=time.perf_counter() - start, error=f"timeout after {timeout:g} s")
    except OSError as e:
        return Run(error=f"cannot start: {e.strerror or e}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    r = Run(wall=wall, cpu=cpu, code=p.returncode, stdout=p.stdout.decode("utf-8", "replace"),
            stderr=p.stderr.decode("utf-8", "replace"))
    if p.returncode != 0:
        first = next((line.strip() for line in r.stderr.splitlines() if line.strip()), "")
        r.error = f"exit {p.returncode}" + (f": {first[:120]}" if first else "")
    return r


def clip(line, limit=60):
    text = repr(line)
    return text if len(text) <= limit else text[:limit] + "..."


def first_difference(expected, got):
    a, b = expected.splitlines(), got.splitlines()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<missing>"
        y = b[i] if i < len(b) else "<missing>"
        if x != y:
            return f"line {i + 1}: expected {clip(x)}, got {clip(y)}"
    return "outputs differ"


def shown(path):
    """A path as the user would type it: relative to the repository root when inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def executable(path):
    return path.is_file() and os.access(path, os.X_OK)


def make_runtimes(args):
    runtimes = []
    if not args.no_airwasm:
        airwasm = Path(args.airwasm) if args.airwasm else Path(args.build_dir) / "tools" / "airwasm"
        problem = "" if executable(airwasm) else f"not built ({shown(airwasm)} missing)"
        # Both tiers side by side (issue 15): the baseline compiler forced, and the interpreter.
        runtimes.append(Runtime("airwasm", [str(airwasm), "run", "--compiler", "baseline"], problem))
        if not args.no_interpreter:
            runtimes.append(Runtime("airwasm-interp", [str(airwasm), "run", "--compiler", "interpreter"], problem))
    if not args.no_node:
        node = shutil.which(args.node)
        problem = "" if node else f"{args.node} not found"
        runtimes.append(Runtime("node", [node or args.node, str(NODE_RUNNER)], problem))
    for spec in args.runtime:
        name, sep, prefix = spec.partition("=")
        name = name.strip()
        if not sep or not name or not prefix.strip():
            sys.exit(f"--runtime expects NAME=COMMAND-PREFIX, got {spec!r}")
        if name == "native" or any(r.name == name for r in runtimes):
            sys.exit(f"--runtime: duplicate runtime name {name!r}")
        words = shlex.split(prefix)
        exe = shutil.which(words[0]) or (words[0] if executable(Path(words[0])) else None)
        runtimes.append(Runtime(name, words, "" if exe else f"{words[0]} not found"))
    return runtimes


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------
# 1. programs


METRIC = "wall"  # or "cpu" (user + system time of the child), set from --metric


@dataclass
class Cell:
    """One program under one runtime."""
    runs: list = field(default_factory=list)
    error: str = ""

    def median_of(self, metric):
        if not self.runs or self.error:
            return None
        return statistics.median(r.wall if metric == "wall" else r.cpu for r in self.runs)

    @property
    def median(self):
        return self.median_of(METRIC)


def discover_programs(args, bench_dir):
    names = sorted(p.stem for p in (BENCH_DIR / "programs").glob("*.c"))
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            sys.exit(f"--only: unknown program(s) {', '.join(unknown)}; have {', '.join(names)}")
        names = wanted
    missing = [n for n in names if not executable(bench_dir / "native" / n)]
    if missing:
        sys.exit(f"native builds missing in {bench_dir / 'native'}: {', '.join(missing)}\n"
                 f"build them first: cmake --build {args.build_dir} --target bench_programs")
    return names


def bench_programs(args, bench_dir, runtimes, names):
    native = Runtime("native", [], native=True)
    results = {}  # name -> {runtime name -> Cell}
    for name in names:
        cells = {"native": Cell()}
        wasm = bench_dir / "wasm" / f"{name}.wasm"
        active = [native]
        for rt in runtimes:
            cells[rt.name] = Cell()
            if rt.problem:
                cells[rt.name].error = rt.problem
            elif not wasm.is_file():
                cells[rt.name].error = f"{wasm.name} not built (clang-19 missing?)"
            else:
                active.append(rt)
        reference = None
        for rep in range(args.reps):
            progress = []
            for rt in list(active):
                cell = cells[rt.name]
                r = run_once(rt.command(bench_dir / "native" / name if rt.native else wasm), args.timeout)
                if not r.error and reference is not None and r.stdout != reference:
                    r.error = "wrong output: " + first_difference(reference, r.stdout)
                if not r.error and not r.stdout.strip():
                    r.error = "no output"
                cell.runs.append(r)
                if r.error:
                    cell.error = r.error
                    active.remove(rt)
                    progress.append(f"{rt.name} FAILED ({r.error})")
                    if rt.native:  # nothing to compare with: skip the runtimes for this program
                        for other in active:
                            cells[other.name].error = cells[other.name].error or "skipped: native run failed"
                        active = []
                        break
                    continue
                if rt.native and reference is None:
                    reference = r.stdout
                progress.append(f"{rt.name} {r.wall:.3f}s")
            log(f"  {name} [{rep + 1}/{args.reps}] " + ", ".join(progress))
            if not active:
                break
        results[name] = cells
    return results


def md(text):
    """Makes text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_s(x):
    return f"{x:.3f}" if x >= 0.1 else f"{x:.4f}"


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def programs_table(names, runtimes, results, reps):
    cols = ["program", "native s"] + [f"{rt.name} s (x native)" for rt in runtimes]
    lines = ["| " + " | ".join(cols) + " |", "|---|" + "---:|" * (len(cols) - 1)]
    ratios = {rt.name: [] for rt in runtimes}
    for name in names:
        cells = results[name]
        base = cells["native"].median
        row = [name, fmt_s(base) if base is not None else f"FAIL: {md(cells['native'].error)}"]
        for rt in runtimes:
            cell = cells[rt.name]
            if rt.problem:
                row.append("n/a")  # explained once below the table
            elif cell.median is None:
                unavailable = "not built" in cell.error or cell.error.startswith("skipped")
                row.append(("n/a: " if unavailable else "FAIL: ") + md(cell.error))
            elif base:
                ratio = cell.median / base
                ratios[rt.name].append(ratio)
                row.append(f"{fmt_s(cell.median)} ({ratio:.2f}x)")
            else:
                row.append(fmt_s(cell.median))
        lines.append("| " + " | ".join(row) + " |")
    row = ["**geomean**", ""]
    for rt in runtimes:
        g = geomean(ratios[rt.name])
        n = len(ratios[rt.name])
        partial = "" if n == len(names) else f" ({n}/{len(names)})"
        row.append("–" if g is None else f"**{g:.2f}x**{partial}")
    lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    label = {"wall": "wall time", "cpu": "CPU time (user + system, all threads)"}
    other = "cpu" if METRIC == "wall" else "wall"
    lines.append(f"Median {label[METRIC]} of {reps} run(s) each, process start to exit, seconds; every "
                 f"run's stdout compared with the native run's.")
    others = []
    for rt in runtimes:
        rs = []
        for cells in results.values():
            base, value = cells["native"].median_of(other), cells[rt.name].median_of(other)
            if base and value is not None:
                rs.append(value / base)
        if rs:
            others.append(f"{rt.name} {geomean(rs):.2f}x")
    if others:
        lines.append(f"Geometric mean of the ratios measured by {label[other]} instead: "
                     + ", ".join(others) + ".")
    for rt in runtimes:
        if rt.problem:
            lines.append(f"{rt.name}: n/a, {md(rt.problem)}.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# 2. start-up


def bench_startup(args, bench_dir, runtimes):
    native_exe, wasm = bench_dir / "startup" / "empty", bench_dir / "startup" / "empty.wasm"
    rows = []
    for rt in [Runtime("native", [], native=True)] + runtimes:
        target = native_exe if rt.native else wasm
        entry = {"runtime": rt.name, "runs": [], "error": rt.problem}
        if not entry["error"] and not (executable(target) if rt.native else target.is_file()):
            entry["error"] = f"{target.name} not built"
        if not entry["error"]:
            for _ in range(args.startup_reps):
                r = run_once(rt.command(target), args.timeout)
                if r.error:
                    entry["error"] = r.error
                    break
                entry["runs"].append(r.wall)
        if entry["runs"] and not entry["error"]:
            entry["median"] = statistics.median(entry["runs"])
            log(f"  startup {rt.name}: {entry['median'] * 1e3:.1f} ms")
        else:
            log(f"  startup {rt.name}: {entry['error']}")
        rows.append(entry)
    return rows


def startup_table(rows, reps):
    lines = ["| runtime | empty program, ms | (x native) |", "|---|---:|---:|"]
    base = rows[0].get("median")
    for e in rows:
        if "median" in e:
            ratio = f"{e['median'] / base:.1f}x" if base and e["runtime"] != "native" else ""
            lines.append(f"| {e['runtime']} | {e['median'] * 1e3:.1f} | {ratio} |")
        else:
            lines.append(f"| {e['runtime']} | n/a: {md(e['error'])} | |")
    lines.append("")
    lines.append(f"Median of {reps} runs of `int main(void) {{ return 0; }}` (wasm32-wasi; the native row is "
                 f"the gcc build): process start, load, instantiate, run, exit.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# 3. load speed


def read_leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def wasm_summary(path):
    """Size of the file and of its code section, and the number of function bodies."""
    data = path.read_bytes()
    info = {"file_bytes": len(data), "code_bytes": 0, "functions": 0}
    if data[:4] != b"\0asm":
        return info
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = read_leb(data, pos + 1)
        if sid == 10:
            info["code_bytes"] = size
            info["functions"], _ = read_leb(data, pos)
        pos += size
    return info


def median_mb_per_s(cmd, reps, timeout):
    """Runs cmd reps times (fresh processes) and returns (median MB/s, error)."""
    values = []
    for _ in range(reps):
        r = run_once(cmd, timeout)
        if r.error:
            return None, r.error
        m = MB_PER_S.search(r.stdout)
        if not m:
            return None, "no 'MB/s: X' line in its output"
        values.append(float(m.group(1)))
    return statistics.median(values), ""


def bench_load(args, bench_dir, runtimes):
    large = Path(args.large) if args.large else bench_dir / "large" / "large.wasm"
    if not large.is_file():
        build = shown(args.build_dir)
        return {"error": f"{shown(large)} not built (cmake --build {build} --target bench_large)"}
    info = wasm_summary(large)
    out = {"module": str(large), **info, "rows": [], "runs": []}
    by_name = {rt.name: rt for rt in runtimes}

    airwasm = by_name.get("airwasm")
    if airwasm is not None:
        row = {"runtime": "airwasm", "what": "decode + validate + lower"}
        load_speed = Path(args.build_dir) / "bench" / "load_speed"
        if executable(load_speed):
            row["command"] = f"{shown(load_speed)} FILE"
            row["mb_per_s"], row["error"] = median_mb_per_s([str(load_speed), str(large)], args.load_reps,
                                                            args.timeout)
        elif not airwasm.problem:
            row["command"] = "airwasm compile --time FILE"
            row["mb_per_s"], row["error"] = median_mb_per_s(
                [airwasm.prefix[0], "compile", "--time", str(large)], args.load_reps, args.timeout)
        else:
            row["error"] = f"{shown(load_speed)} not built and airwasm {airwasm.problem}"
        out["rows"].append(row)

    node = by_name.get("node")
    if node is not None:
        node_exe = node.prefix[0]
        for flags, what in (([], "decode + validate (V8 compiles lazily: no code generated yet)"),
                            (["--no-wasm-lazy-compilation"],
                             "decode + validate + Liftoff baseline code for every function")):
            row = {"runtime": "node" + (" " + " ".join(flags) if flags else ""), "what": what,
                   "command": f"node {' '.join(flags + ['node_load_speed.mjs'])} FILE"}
            if node.problem:
                row["mb_per_s"], row["error"] = None, node.problem
            else:
                row["mb_per_s"], row["error"] = median_mb_per_s(
                    [node_exe] + flags + [str(NODE_LOAD_SPEED), str(large)], args.load_reps, args.timeout)
            out["rows"].append(row)
    for row in out["rows"]:
        log(f"  load {row['runtime']}: " + (f"{row['mb_per_s']:.1f} MB/s" if row.get("mb_per_s")
                                            else row.get("error", "")))

    # The large module is also a WASI command: every runtime must print the same checksum as node.
    reference = None
    for rt in runtimes:
        run = {"runtime": rt.name}
        if rt.problem:
            run["error"], run["unavailable"] = rt.problem, True
        else:
            r = run_once(rt.command(large), args.timeout)
            run["seconds"] = r.wall
            if r.error:
                run["error"] = r.error
            elif reference is not None and r.stdout != reference:
                run["error"] = "wrong output: " + first_difference(reference, r.stdout)
            else:
                run["output"] = r.stdout.strip()
                reference = reference if reference is not None else r.stdout
        out["runs"].append(run)
    return out


def load_table(load, reps):
    if "error" in load:
        return f"Not measured: {load['error']}."
    mb = load["file_bytes"] / 1e6
    lines = [f"`{Path(load['module']).name}`: {load['file_bytes'] / 1e6:.2f} MB file, "
             f"{load['code_bytes'] / 1e6:.2f} MB code section, {load['functions']} function bodies.", "",
             "| runtime | what is measured | MB/s | ms |", "|---|---|---:|---:|"]
    for row in load["rows"]:
        v = row.get("mb_per_s")
        if v:
            lines.append(f"| {row['runtime']} | {row['what']} | {v:.1f} | {mb / v * 1e3:.1f} |")
        else:
            lines.append(f"| {row['runtime']} | {row['what']} | n/a: {md(row.get('error'))} | |")
    lines.append("")
    lines.append(f"MB/s = file bytes / 10^6 / seconds, median of {reps} fresh process(es); node measures "
                 f"one synchronous `new WebAssembly.Module(bytes)`.")
    runs = [f"{r['runtime']} " + ("ok" if "output" in r else
                                  f"n/a ({md(r['error'])})" if r.get("unavailable") else
                                  f"FAIL ({md(r['error'])})") for r in load["runs"]]
    if runs:
        lines.append(f"Running it as a program (checksums compared with the first runtime that ran it): "
                     + ", ".join(runs) + ".")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------


def tool_version(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
        return p.stdout.decode("utf-8", "replace").splitlines()[0].strip()
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return None


def environment(args):
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "platform": platform.platform(), "cpu": cpu,
            "cpus": os.cpu_count(), "node": tool_version([args.node, "--version"]),
            "gcc": tool_version(["gcc", "--version"]), "clang": tool_version(["clang-19", "--version"])}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--build-dir", default=str(ROOT / "build"),
                    help="CMake build directory (default: build/)")
    ap.add_argument("--bench-dir", help="where native/, wasm/, startup/ are (default: BUILD/bench)")
    ap.add_argument("--reps", type=int, default=5, help="runs per program and runtime (default 5)")
    ap.add_argument("--startup-reps", type=int, default=20, help="runs of the empty program (default 20)")
    ap.add_argument("--load-reps", type=int, default=5, help="load-speed measurements (default 5)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 repetition, 3 start-up runs, 1 load")
    ap.add_argument("--only", help="comma-separated program names")
    ap.add_argument("--runtime", action="append", default=[], metavar="NAME=PREFIX",
                    help="extra runtime: command prefix to which the .wasm path is appended (repeatable)")
    ap.add_argument("--airwasm", help="airwasm CLI (default: BUILD/tools/airwasm)")
    ap.add_argument("--node", default="node", help="node executable (default: node from PATH)")
    ap.add_argument("--no-airwasm", action="store_true", help="leave out the airwasm column")
    ap.add_argument("--no-node", action="store_true", help="leave out the node column")
    ap.add_argument("--no-interpreter", action="store_true",
                    help="leave out the airwasm-interp column (airwasm with --compiler interpreter)")
    ap.add_argument("--no-programs", action="store_true", help="skip the program benchmarks")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    ap.add_argument("--no-load", action="store_true", help="skip the large-module load-speed measurement")
    ap.add_argument("--large", help="module for load speed (default: BENCH/large/large.wasm)")
    ap.add_argument("--metric", choices=["wall", "cpu"], default="wall",
                    help="program table: median wall time (default) or user+system CPU time, which "
                         "suffers less from other load on a shared machine")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per run (default 600)")
    ap.add_argument("--json", metavar="FILE", help="save raw results as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="also write the tables to FILE")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any runtime is unavailable, fails or prints a different checksum")
    args = ap.parse_args()
    global METRIC
    METRIC = args.metric
    if args.quick:
        args.reps, args.startup_reps, args.load_reps = 1, 3, 1
    if min(args.reps, args.startup_reps, args.load_reps) < 1:
        sys.exit("repetition counts must be at least 1")
    bench_dir = Path(args.bench_dir) if args.bench_dir else Path(args.build_dir) / "bench"

    runtimes = make_runtimes(args)
    for rt in runtimes:
        if rt.problem:
            log(f"note: {rt.name} unavailable: {rt.problem}; its column will say so")
    report = {"environment": environment(args), "bench_dir": str(bench_dir), "reps": args.reps,
              "metric": args.metric,
              "runtimes": {rt.name: {"command": rt.prefix, "problem": rt.problem} for rt in runtimes}}
    sections = []
    failed = False

    if not args.no_programs:
        names = discover_programs(args, bench_dir)
        log(f"programs ({args.reps} run(s) each): {', '.join(names)}")
        results = bench_programs(args, bench_dir, runtimes, names)
        sections.append("## Programs\n\n" + programs_table(names, runtimes, results, args.reps))
        report["programs"] = {
            name: {rt: {"median": c.median, "error": c.error,
                        "wall": [r.wall for r in c.runs if not r.error],
                        "cpu": [r.cpu for r in c.runs if not r.error],
                        "stdout": c.runs[0].stdout if c.runs else None}
                   for rt, c in cells.items()}
            for name, cells in results.items()}
        for cells in results.values():
            if cells["native"].error:
                failed = True
            if args.strict and any(c.error for c in cells.values()):
                failed = True

    if not args.no_startup:
        log(f"start-up ({args.startup_reps} runs of the empty program)")
        rows = bench_startup(args, bench_dir, runtimes)
        sections.append("## Start-up\n\n" + startup_table(rows, args.startup_reps))
        report["startup"] = rows
        if args.strict and any(e["error"] for e in rows):
            failed = True

    if not args.no_load:
        log("load speed (large module)")
        load = bench_load(args, bench_dir, runtimes)
        sections.append("## Load speed\n\n" + load_table(load, args.load_reps))
        report["load"] = load
        if args.strict and ("error" in load or any(r.get("error") for r in load["rows"] + load["runs"])):
            failed = True

    text = "\n\n".join(sections) + "\n"
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
