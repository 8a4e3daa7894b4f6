#!/usr/bin/env python3
"""Times the compute kernels under each engine, checks checksums, and writes
RESULTS.md and RESULTS.png. Called by bench/compute/run, which builds the
kernels first; see bench/compute/README.md."""

import argparse
import datetime
import fcntl
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import machine_summary  # noqa: E402

MASK64 = (1 << 64) - 1
PROBE_CHECKSUM = (0x5EED * 0x100000001) & MASK64

# What each kernel is there to stress (the table's second column).
KERNEL_NOTES = {
    "fib": "recursive calls",
    "matmul": "f64 multiply-add, strided loads",
    "sieve": "byte loads/stores, branches",
    "sha256": "32-bit rotates and adds",
    "nbody": "f64 arithmetic, sqrt, division",
    "qsort": "indirect calls (comparator)",
    "coremark": "lists, int matrices, state machine, CRC",
    "lz": "LZ77 + Huffman round trip (larger program)",
}

ENGINE_LABELS = {
    "native": "native",
    "weft": "weft",
    "weft-clang": "weft (clang)",
    "node": "Node 26",
    "wasm-interp": "wasm-interp",
}


def parse_checksum(text):
    """The checksum from an engine's output: `checksum N` (WASI and native),
    `bench_run() => i64:N` (wasm-interp), or a lone integer (weft --invoke)."""
    m = re.search(r"checksum (\d+)", text) or re.search(r"i64:(-?\d+)", text)
    if not m:
        m = re.fullmatch(r"\s*(-?\d+)\s*", text)
    return int(m.group(1)) & MASK64 if m else None


class Engine:
    def __init__(self, name, wasi_argv, bare_argv, reps, timeout):
        self.name = name
        self.label = ENGINE_LABELS.get(name, name)
        self.wasi_argv = wasi_argv  # kernel -> argv running the WASI command
        self.bare_argv = bare_argv  # kernel -> argv calling the bare export
        self.reps = reps
        self.timeout = timeout
        self.mode = None  # "wasi", "bare" or None (not available)
        self.why_not = ""

    def argv(self, kernel):
        return self.wasi_argv(kernel) if self.mode == "wasi" else self.bare_argv(kernel)


def run_once(argv, timeout):
    """Runs argv; returns (wall seconds, cpu seconds, stdout, stderr, exit code),
    or None on timeout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        return 0.0, 0.0, "", str(e), 127
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.decode(errors="replace"), err.decode(errors="replace"), proc.returncode


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def probe(engine):
    """Finds out whether the engine runs WASI commands, else whether it can
    call the bare export; sets engine.mode."""
    attempts = []
    if engine.wasi_argv:
        attempts.append("wasi")
    if engine.bare_argv:
        attempts.append("bare")
    reasons = []
    for mode in attempts:
        engine.mode = mode
        r = run_once(engine.argv("probe"), 60)
        if r and r[4] == 0 and parse_checksum(r[2]) == PROBE_CHECKSUM:
            return
        reasons.append(f"{mode}: " + (first_line(r[3]) or first_line(r[2]) or f"exit {r[4]}" if r else "timeout"))
    engine.mode = None
    engine.why_not = "; ".join(reasons) or "not found"


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def code_section_bytes(path):
    data = open(path, "rb").read()
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        pos += 1
        size = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        if section_id == 10:
            return size
        pos += size
    return 0


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return first_line(out.stdout or out.stderr)
    except (OSError, subprocess.TimeoutExpired):
        return "n/a"


def weft_compiler(path):
    """The compiler named on the `build:` line of `weft --version`, short form."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    m = re.search(r"^build: [^,]*, (\S+)", out, re.M)
    if not m:
        return "?"
    return {"GNU": "GCC", "Clang": "clang"}.get(m.group(1), m.group(1))


def fmt_time(t):
    return f"{t:.3f} s" if t < 10 else f"{t:.1f} s"


def fmt_short(t):
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def measure_startup(args):
    """Times `weft validate` (decode + validate + lower) on each startup module,
    with wabt's wasm-validate and V8's WebAssembly.validate for comparison."""
    startup_rows = []
    modules = [m for m in args.startup_modules.split(",") if m]
    startup_reps = max(3, min(args.reps, 5))
    node_validate = (
        "const fs=require('fs');const b=fs.readFileSync(process.argv[1]);const t=[];let ok=true;"
        "for(let i=0;i<5;i++){const s=performance.now();ok=WebAssembly.validate(b)&&ok;t.push(performance.now()-s);}"
        "t.sort((x,y)=>x-y);console.log(ok?t[2]/1000:'invalid');"
    )
    for m in modules:
        row = {"module": m, "bytes": os.path.getsize(m), "code": code_section_bytes(m)}
        if os.access(args.weft, os.X_OK):
            walls, err = [], ""
            for _ in range(startup_reps):
                r = run_once([args.weft, "validate", m], 300)
                if r is None or r[4] != 0:
                    err = "timeout" if r is None else (first_line(r[3]) or first_line(r[2]) or f"exit {r[4]}")
                    break
                walls.append(r[0])
            row["weft"] = statistics.median(walls) if not err else err
        if shutil.which("wasm-validate"):
            walls = []
            for _ in range(startup_reps):
                r = run_once(["wasm-validate", "--enable-all", m], 300)
                if r is None or r[4] != 0:
                    break
                walls.append(r[0])
            if len(walls) == startup_reps:
                row["wabt"] = statistics.median(walls)
        if os.access(args.node, os.X_OK):
            r = run_once([args.node, "-e", node_validate, m], 300)
            if r and r[4] == 0:
                try:
                    row["v8"] = float(r[2].strip())
                except ValueError:
                    pass
        startup_rows.append(row)
        print(f"== startup {os.path.basename(m)}: {row}", file=sys.stderr)

    return startup_rows, startup_reps


def compare_builds(median, kernels, a, b):
    """Per-kernel time ratios of engine a to engine b: (geomean, max, kernel of
    the max), or None unless both ran every kernel."""
    ratios = {k: median[(a, k)] / median[(b, k)] for k in kernels if (a, k) in median and (b, k) in median}
    if not ratios or len(ratios) != len(kernels):
        return None
    worst_k = max(ratios, key=ratios.get)
    return geomean(list(ratios.values())), ratios[worst_k], worst_k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--engines", required=True)
    ap.add_argument("--kernels", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--slow-reps", type=int, default=1)
    ap.add_argument("--weft", required=True)
    ap.add_argument("--weft-clang", default="", help="weft built with clang-16 (engine weft-clang)")
    ap.add_argument("--node", required=True)
    ap.add_argument("--node-runner", required=True)
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--cflags", default="-O2")
    ap.add_argument("--startup-modules", default="")
    ap.add_argument("--lock", default="", help="hold this flock(2) file while timing the fast engines")
    args = ap.parse_args()

    out = args.out_dir
    kernels = [k for k in args.kernels.split(",") if k]
    wasm = lambda k: os.path.join(out, "wasm", k + ".wasm")
    bare = lambda k: os.path.join(out, "bare", k + ".wasm")
    native = lambda k: os.path.join(out, "native", k)

    factories = {
        "native": lambda: Engine("native", lambda k: [native(k)], None, args.reps, 120),
        "weft": lambda: Engine(
            "weft",
            lambda k: [args.weft, "run", wasm(k)],
            lambda k: [args.weft, "run", "--invoke", "bench_run", bare(k)],
            args.reps,
            300,
        ),
        # The same engine built with clang-16 (issue 12: both compilers' release
        # builds are measured, and the clang build must keep up with GCC's).
        "weft-clang": lambda: Engine(
            "weft-clang",
            lambda k: [args.weft_clang, "run", wasm(k)],
            lambda k: [args.weft_clang, "run", "--invoke", "bench_run", bare(k)],
            args.reps,
            300,
        ),
        "node": lambda: Engine(
            "node", lambda k: [args.node, "--no-warnings", args.node_runner, wasm(k)], None, args.reps, 120
        ),
        "wasm-interp": lambda: Engine(
            "wasm-interp",
            lambda k: ["wasm-interp", "--wasi", wasm(k)],
            lambda k: ["wasm-interp", "--run-all-exports", bare(k)],
            args.slow_reps,
            600,
        ),
    }
    names = [e for e in args.engines.split(",") if e]
    for n in names:
        if n not in factories:
            sys.exit(f"harness: unknown engine {n} (known: {', '.join(factories)})")
    # Native is the baseline for ratios and checksums: always run it, first.
    names = ["native"] + [n for n in names if n != "native"]
    engines = [factories[n]() for n in names]
    if any(e.name == "weft-clang" for e in engines):
        # Two weft columns: name each by its compiler (from `weft --version`).
        for e in engines:
            if e.name == "weft":
                e.label = f"weft ({weft_compiler(args.weft)})"
    for e in engines:
        probe(e)
        state = {"wasi": "WASI command", "bare": "bare export bench_run"}.get(e.mode, "n/a: " + e.why_not)
        print(f"== {e.label}: {state}", file=sys.stderr)
    if engines[0].mode is None:
        sys.exit("harness: the native build does not run: " + engines[0].why_not)

    times = {(e.name, k): [] for e in engines for k in kernels}
    cpu = {(e.name, k): [] for e in engines for k in kernels}
    status = {}  # (engine, kernel) -> "timeout" / "mismatch ..." / "error ..."
    expected = {}
    failures = []

    def measure(e, k, rep):
        """One timed run of kernel k under engine e; records time or failure."""
        r = run_once(e.argv(k), e.timeout)
        if r is None:
            status[(e.name, k)] = "timeout"
            print(f"   {rep + 1}/{e.reps} {k:9} {e.label:12} timeout", file=sys.stderr)
            return
        wall, cpu_s, stdout, stderr, code = r
        got = parse_checksum(stdout)
        if code != 0 or got is None:
            status[(e.name, k)] = "error"
            msg = f"{e.label} {k}: exit {code}: {first_line(stderr) or first_line(stdout)}"
            failures.append(msg)
            print("   " + msg, file=sys.stderr)
            return
        if k not in expected:
            expected[k] = got
        if got != expected[k]:
            status[(e.name, k)] = "mismatch"
            msg = f"{e.label} {k}: checksum {got} != native {expected[k]}"
            failures.append(msg)
            print("   " + msg, file=sys.stderr)
            return
        times[(e.name, k)].append(wall)
        cpu[(e.name, k)].append(cpu_s)
        print(f"   {rep + 1}/{e.reps} {k:9} {e.label:12} {wall:8.3f} s", file=sys.stderr)

    # The slow engine (wasm-interp) runs after the others, so the fast engines'
    # runs are interleaved closely and, with --lock, can hold the lock briefly.
    fast = [e for e in engines if e.name != "wasm-interp"]
    slow = [e for e in engines if e.name == "wasm-interp"]

    def run_group(group):
        for rep in range(max((e.reps for e in group), default=0)):
            for k in kernels:
                for e in group:
                    if e.mode is None or rep >= e.reps or (e.name, k) in status:
                        continue
                    measure(e, k, rep)

    lock_file = None
    if args.lock:
        print(f"== waiting for {args.lock}", file=sys.stderr)
        lock_file = open(args.lock, "a")
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    try:
        load_before = os.getloadavg()
        run_group(fast)
        startup_rows, startup_reps = measure_startup(args)
    finally:
        if lock_file:
            lock_file.close()
    run_group(slow)
    load_after = os.getloadavg()

    median = {key: statistics.median(v) for key, v in times.items() if v}

    # ---- chart -------------------------------------------------------------
    chart = os.path.splitext(args.results)[0] + ".png"
    others = [e for e in engines[1:] if any((e.name, k) in median for k in kernels)]
    chart_ok = False
    if others and shutil.which("gnuplot"):
        dat = os.path.join(out, "chart.dat")
        with open(dat, "w") as f:
            f.write("kernel " + " ".join(f'"{e.label}"' for e in others) + "\n")
            rows = []
            for k in kernels:
                base = median.get(("native", k))
                vals = [median[(e.name, k)] / base if (e.name, k) in median and base else None for e in others]
                rows.append((k, vals))
            gm = []
            for e in others:
                ratios = [median[(e.name, k)] / median[("native", k)] for k in kernels
                          if (e.name, k) in median and ("native", k) in median]
                gm.append(geomean(ratios) if len(ratios) == len(kernels) else None)
            rows.append(("geomean", gm))
            for k, vals in rows:
                f.write(k + " " + " ".join(f"{v:.4f}" if v else "-" for v in vals) + "\n")
        colors = {"weft": "#1f6fd0", "weft-clang": "#7f4fc0", "node": "#3aa655", "wasm-interp": "#a0a0a0"}
        plots = ", ".join(
            f'"{dat}" using {i + 2}:xtic(1) title columnheader({i + 2}) lc rgb "{colors.get(e.name, "#e08020")}"'
            for i, e in enumerate(others)
        )
        plots += (', 9 with lines dt 2 lw 1.5 lc rgb "#c00000" title "weft target: geometric mean 9x"'
                  ', 12 with lines dt 3 lw 1.5 lc rgb "#c00000" title "weft target: any kernel 12x"')
        gp = os.path.join(out, "chart.gp")
        with open(gp, "w") as f:
            f.write(
                f"""set terminal pngcairo size 1000,520 font "sans,10"
set output "{chart}"
set title "Run time relative to native (clang-16 -O2), lower is better"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set datafile missing "-"
set logscale y
set yrange [0.5:*]
set ylabel "times native (log scale)"
set grid ytics
set key top left
set xtics nomirror
plot {plots}
"""
            )
        chart_ok = subprocess.run(["gnuplot", gp], capture_output=True).returncode == 0

    # ---- markdown ----------------------------------------------------------
    def cell(e, k):
        key = (e.name, k)
        if e.mode is None:
            return "n/a"
        if key in status and key not in median:
            return status[key]
        if key not in median:
            return "n/a"
        t = median[key]
        if e.name == "native":
            return fmt_time(t)
        base = median.get(("native", k))
        return f"{fmt_time(t)} ({t / base:.1f}×)" if base else fmt_time(t)

    lines = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append("# Compute benchmarks")
    lines.append("")
    lines.append(f"Written by `bench/compute/run` on {now}; see `bench/compute/README.md` for the kernels.")
    lines.append("")
    lines.append(f"- Machine: {machine_summary()}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    lines.append(f"- Commit: `{args.commit}`")
    lines.append(f"- C compiler: {tool_version(['clang-16', '--version'])}, `{args.cflags}` "
                 "(Wasm: `--target=wasm32-wasi`, wasi-libc; native: x86-64 default target)")
    ver = []
    for e in engines[1:]:
        if e.name == "weft" and e.mode:
            ver.append(f"{e.label} `{args.weft}`")
        if e.name == "weft-clang" and e.mode:
            ver.append(f"{e.label} `{args.weft_clang}`")
        if e.name == "node":
            ver.append(f"Node {tool_version([args.node, '--version'])} (`node:wasi`)")
        elif e.name == "wasm-interp":
            ver.append(f"wabt wasm-interp {tool_version(['wasm-interp', '--version'])}")
    if ver:
        lines.append("- Engines: " + ", ".join(ver))
    reps_note = ", ".join(f"{e.label} {e.reps}" for e in engines if e.mode)
    lines.append(f"- Each cell: median wall time of whole-process runs ({reps_note} runs), "
                 "with the ratio to native; every run's checksum matched native unless marked")
    for e in engines:
        if e.mode == "bare":
            lines.append(f"- {e.label}: no WASI, so timed as a call of the export `bench_run` in the "
                         "import-free build of the same kernel (same code; only the final printing differs)")
        elif e.mode is None:
            lines.append(f"- {e.label}: not available ({e.why_not})")
    lines.append("")
    header = "| kernel | stresses | " + " | ".join(e.label for e in engines) + " |"
    lines.append(header)
    lines.append("|" + " --- |" * (len(engines) + 2))
    for k in kernels:
        lines.append(f"| {k} | {KERNEL_NOTES.get(k, '')} | " + " | ".join(cell(e, k) for e in engines) + " |")
    summary = {}
    gm_cells, max_cells = [], []
    for e in engines:
        ratios = [median[(e.name, k)] / median[("native", k)] for k in kernels
                  if (e.name, k) in median and ("native", k) in median]
        if e.name == "native" or len(ratios) != len(kernels) or not ratios:
            gm_cells.append("1.0×" if e.name == "native" else "n/a")
            max_cells.append("1.0×" if e.name == "native" else "n/a")
            continue
        g, mx = geomean(ratios), max(ratios)
        summary[e.name] = {"geomean": g, "max": mx}
        gm_cells.append(f"**{g:.1f}×**")
        max_cells.append(f"{mx:.1f}×")
    lines.append("| **geometric mean** | | " + " | ".join(gm_cells) + " |")
    lines.append("| **slowest kernel** | | " + " | ".join(max_cells) + " |")
    lines.append("")
    if "weft" in summary:
        g, mx = summary["weft"]["geomean"], summary["weft"]["max"]
        ok = g <= 9 and mx <= 12
        lines.append(f"Issue 6 target for weft (geometric mean ≤ 9× native, no kernel above 12×): "
                     f"**{'met' if ok else 'not met'}** (geometric mean {g:.1f}×, slowest {mx:.1f}×).")
    else:
        lines.append("Issue 6 target for weft (geometric mean ≤ 9× native, no kernel above 12×): not measured.")
    lines.append("")
    clang_vs_gcc = compare_builds(median, kernels, "weft-clang", "weft")
    if clang_vs_gcc:
        g, worst, worst_k = clang_vs_gcc
        ok = g <= 1.15 and worst <= 1.25
        summary["weft-clang-vs-weft"] = {"geomean": g, "max": worst, "max_kernel": worst_k}
        lines.append(f"Issue 12 target for the clang-16 build (within 15% of the GCC build in geometric mean, "
                     f"no kernel more than 25% slower): **{'met' if ok else 'not met'}** (clang/GCC time: "
                     f"geometric mean {g:.2f}, slowest kernel {worst_k} {worst:.2f}).")
        lines.append("")
    if chart_ok:
        lines.append(f"![run time relative to native]({os.path.basename(chart)})")
        lines.append("")
    if startup_rows:
        lines.append("## Startup: validation and lowering")
        lines.append("")
        lines.append("`weft validate FILE` decodes, validates and lowers every function into internal code; the "
                     "time is the whole process (median of "
                     f"{startup_reps} runs, nothing subtracted). Throughput is code-section bytes per second. "
                     "For comparison: wabt's `wasm-validate` (validation only, whole process) and V8's "
                     "`WebAssembly.validate` (in-process, median of 5, no process start).")
        lines.append("")
        lines.append("| module | file | code section | weft validate | weft MB/s | wasm-validate | V8 validate |")
        lines.append("| --- | --- | --- | --- | --- | --- | --- |")
        mb = lambda n: f"{n / 1e6:.2f} MB"
        for row in startup_rows:
            w = row.get("weft")
            if isinstance(w, float):
                wcell, rate = fmt_short(w), f"{row['code'] / 1e6 / w:.1f}"
            else:
                wcell, rate = (w or "n/a"), "n/a"
            wabt = row.get("wabt")
            v8 = row.get("v8")
            name = os.path.basename(row["module"])
            lines.append(f"| {name} | {mb(row['bytes'])} | {mb(row['code'])} | {wcell} | {rate} | "
                         f"{fmt_short(wabt) if wabt else 'n/a'} | {fmt_short(v8) if v8 else 'n/a'} |")
        lines.append("")
        lines.append("esbuild.wasm is esbuild-wasm 0.28.2 from npm (Go compiled to Wasm); sql-wasm.wasm is "
                     "sql.js 1.16.0 (SQLite, Emscripten); the last row is the largest kernel built here.")
        lines.append("")
    if failures:
        lines.append("## Failures")
        lines.append("")
        for f_ in failures:
            lines.append(f"- {f_}")
        lines.append("")

    with open(args.results, "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(
            {
                "commit": args.commit,
                "kernels": kernels,
                "expected": {k: str(v) for k, v in expected.items()},
                "times": {f"{e}/{k}": v for (e, k), v in times.items()},
                "cpu": {f"{e}/{k}": v for (e, k), v in cpu.items()},
                "modes": {e.name: e.mode for e in engines},
                "summary": summary,
                "startup": startup_rows,
                "failures": failures,
            },
            f,
            indent=1,
        )
    print("\n".join(lines))
    if failures:
        print(f"harness: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
