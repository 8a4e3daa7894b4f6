#!/usr/bin/env python3
"""Times the stack benchmarks (bench/stacks/*.wat) under weft, with both
stack-growth strategies, and under V8; checks every result; writes RESULTS.md
and results.png. Called by bench/stacks/run, which encodes the .wasm files
first; see bench/stacks/README.md."""

import argparse
import datetime
import fcntl
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import machine_summary  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keep as keepcase  # noqa: E402  (case 8, spawn and keep)

MASK64 = (1 << 64) - 1

# ---- what each export returns (every run's result is checked) ---------------

def tri(n):
    return n * (n + 1) // 2


EXPECTED = {
    "baseline": lambda n: tri(n) + n,
    "generator": lambda n: tri(n),
    "switch": lambda n: n,
    "spawn": lambda n: 3 * tri(n),
    "never": lambda n: tri(n) + n,
    "parked": lambda n: 3 * tri(n),
    "deep": lambda n: tri(n),
    "hotsplit": lambda n: tri(n) + n,  # sweep(d, n), any d
}

# The timed cases, reported per operation and in plain calls.
TIMED = ["generator", "switch", "spawn", "never"]
ALL_CASES = ["generator", "switch", "spawn", "never", "parked", "deep", "hotsplit"]
# Case 8 (keep.py) has its own section of RESULTS.md and its own engines (weft, Go).
EXTRA_CASES = ["keep"]

CASE_INFO = {
    # case: (table label, what one operation is, target ratio or None)
    "generator": ("1. generator", "suspend/resume round trip", 5),
    "switch": ("2. symmetric switch", "switch", 3),
    "spawn": ("3. spawn", "cont.new + resume + suspend, + resume to return", 10),
    "never": ("4. never-suspending continuation", "cont.new + resume to return", 3),
    "parked": ("5. 1,000,000 parked continuations", "resident bytes per parked continuation", 1024),
    "deep": ("6. recursion 1,000,000 deep in a continuation", "time, and time per frame", None),
    "hotsplit": ("7. hot split", "call crossing a segment boundary (worst depth)", 2),
}

# Known reasons why V8 cannot run a case: (case, pattern in its stderr, explanation).
V8_KNOWN = [
    ("switch", "unimplemented code", "V8 has no `switch`: Node aborts with \"unimplemented code\""),
    ("deep", "Maximum call stack size exceeded", "RangeError: Maximum call stack size exceeded"),
    ("parked", "StackSegment",
     "Node aborts with \"StackSegment Allocation failed - process out of memory\": V8 maps every "
     "continuation stack separately (two mappings each), so it stops near vm.max_map_count / 2{maps}"),
]


def max_map_count():
    try:
        with open("/proc/sys/vm/max_map_count") as f:
            return f" = {int(f.read()) // 2:,}"
    except (OSError, ValueError):
        return ""


# ---- processes ----------------------------------------------------------------

def run_proc(argv, timeout):
    """Runs argv; returns dict(wall, rc, out, err, maxrss_kib, timeout). The peak
    resident size is the child's own (wait4), not the maximum over all children."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=fo, stderr=fe)
        except OSError as e:
            return {"wall": 0.0, "rc": 127, "out": "", "err": str(e), "maxrss_kib": 0, "timeout": False}
        timed_out = []

        def kill():
            timed_out.append(True)
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return {
            "wall": wall,
            "rc": proc.returncode,
            "out": fo.read().decode(errors="replace"),
            "err": fe.read().decode(errors="replace"),
            "maxrss_kib": ru.ru_maxrss,
            "timeout": bool(timed_out),
        }


def last_int(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if re.fullmatch(r"-?\d+", line):
            return int(line) & MASK64
    return None


def reason(r, case=None):
    """One line saying why a run failed."""
    if r.get("timeout"):
        return "timed out"
    text = r["err"] + "\n" + r["out"]
    for c, pat, why in V8_KNOWN:
        if c == case and pat in text:
            return why.replace("{maps}", max_map_count())
    for line in text.splitlines():
        s = line.strip().lstrip("#").strip()
        if re.search(r"error|exhaust|trap|unimplemented|fatal|cannot|invalid|exceeded|failed", s, re.I):
            return s[:160]
    for line in text.splitlines():
        s = line.strip().lstrip("#").strip()
        if s:
            return s[:160]
    return f"exit status {r['rc']}"


class Failure(Exception):
    pass


# ---- engines ------------------------------------------------------------------

class Weft:
    kind = "weft"

    def __init__(self, name, weft, growth, extra):
        self.name = name
        self.label = f"weft {growth}"
        self.base = [weft, "run", f"--stack-growth={growth}", *extra]

    def argv(self, wasm, export, args):
        return [*self.base, "--invoke", export, wasm, *[str(a) for a in args]]


class V8:
    kind = "v8"
    flags = ["--experimental-wasm-wasmfx", "--no-wasm-inlining", "--no-warnings"]

    def __init__(self, node, driver):
        self.name = "v8"
        self.label = "V8 (Node 26)"
        self.node = node
        self.driver = driver

    def call_argv(self, wasm, export, args):
        return [self.node, *self.flags, self.driver, "call", wasm, export, *[str(a) for a in args]]

    def time_argv(self, wasm, spec):
        return [self.node, *self.flags, self.driver, "time", wasm, json.dumps(spec)]


# ---- measurement ----------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.wasm = lambda case: os.path.join(args.wasm_dir, case + ".wasm")
        self.log = lambda msg: print(msg, file=sys.stderr, flush=True)
        self.raw = {}  # for results.json

    # One weft run of export(prefix..., n); checks the result; returns the run.
    def weft_run(self, eng, case, export, prefix, n, timeout=300):
        r = run_proc(eng.argv(self.wasm(case), export, [*prefix, n]), timeout)
        if r["rc"] != 0 or r["timeout"]:
            raise Failure(reason(r, case))
        got = last_int(r["out"])
        want = EXPECTED["baseline" if export == "baseline" else case](n) & MASK64
        if got != want:
            raise Failure(f"wrong result: {export}({', '.join(map(str, [*prefix, n]))}) gave "
                          f"{r['out'].strip()[:40]!r}, expected {want}")
        return r

    def weft_calibrate(self, eng, case, export, prefix, target):
        """The n for which export(prefix..., n) runs about `target` seconds
        beyond start-up."""
        zero = min(self.weft_run(eng, case, export, prefix, 0)["wall"] for _ in range(3))
        n = 20000
        while True:
            dt = self.weft_run(eng, case, export, prefix, n)["wall"] - zero
            if dt >= min(0.08, target / 3) or n >= 1 << 30:
                return max(1, min((1 << 31) - 1, int(n * target / max(dt, 1e-6))))
            n = min(1 << 30, n * (8 if dt < 0.01 else 2))

    def per_op(self, times, zeros, n):
        return (statistics.median(times) - statistics.median(zeros)) / n

    def paired_ratio(self, b, nb, c, nc):
        """Median over reps of (bench time per op) / (baseline time per op), each
        pair measured back to back: steadier than a ratio of medians when the
        machine's load changes during the run."""
        ratios = []
        for bt, bz, ct, cz in zip(b["t"], b["z"], c["t"], c["z"]):
            base = (ct - cz) / nc
            if base > 0:
                ratios.append(((bt - bz) / nb) / base)
        return statistics.median(ratios) if ratios else None

    # ---- weft: timed cases + baseline ----
    def weft_timed(self, eng, cases, res):
        a = self.args
        plan = {}
        for case in cases:
            try:
                plan[case] = {
                    "bench": self.weft_calibrate(eng, case, "bench", [], a.target),
                    "baseline": self.weft_calibrate(eng, case, "baseline", [], a.target),
                }
                self.log(f"   {eng.label} {case}: n = {plan[case]['bench']} (baseline {plan[case]['baseline']})")
            except Failure as e:
                res[case] = {"error": str(e)}
                self.log(f"   {eng.label} {case}: {e}")
        samples = {(c, x): {"t": [], "z": []} for c in plan for x in ("bench", "baseline")}
        for rep in range(a.reps):
            for case in list(plan):
                try:
                    for export in ("bench", "baseline"):
                        s = samples[(case, export)]
                        s["t"].append(self.weft_run(eng, case, export, [], plan[case][export])["wall"])
                        s["z"].append(self.weft_run(eng, case, export, [], 0)["wall"])
                except Failure as e:
                    res[case] = {"error": str(e)}
                    del plan[case]
            self.log(f"   {eng.label}: rep {rep + 1}/{a.reps}")
        for case in plan:
            b, c = samples[(case, "bench")], samples[(case, "baseline")]
            nb, nc = plan[case]["bench"], plan[case]["baseline"]
            res[case] = {
                "n": nb,
                "per_op": self.per_op(b["t"], b["z"], nb),
                "baseline_per_op": self.per_op(c["t"], c["z"], nc),
                "ratio": self.paired_ratio(b, nb, c, nc),
                "samples": b,
                "baseline_samples": c,
            }

    # ---- weft: hot split sweep ----
    def weft_hotsplit(self, eng):
        a = self.args
        run = lambda export, prefix, n: self.weft_run(eng, "hotsplit", export, prefix, n)["wall"]
        try:
            n = self.weft_calibrate(eng, "hotsplit", "sweep", [0], a.sweep_target)
            zeros = [run("sweep", [0], 0) for _ in range(3)]
            t = {d: [] for d in range(a.max_depth + 1)}
            for _ in range(a.sweep_reps):
                for d in range(a.max_depth + 1):
                    t[d].append(run("sweep", [d], n))
                    if d % 8 == 7:
                        zeros.append(run("sweep", [0], 0))
            per = {d: self.per_op(t[d], zeros, n) for d in t}
            # Measure the three slowest depths again, each run next to a plain-call
            # run, and take the worst of their paired ratios.
            worst = sorted(per, key=per.get, reverse=True)[:3]
            nc = self.weft_calibrate(eng, "hotsplit", "baseline", [], a.target)
            conf = {d: {"t": [], "z": []} for d in worst}
            base = {"t": [], "z": []}
            for _ in range(a.reps):
                for d in worst:
                    conf[d]["t"].append(run("sweep", [d], n))
                    conf[d]["z"].append(run("sweep", [0], 0))
                base["t"].append(run("baseline", [], nc))
                base["z"].append(run("baseline", [], 0))
            # One baseline run per rep serves all three depths of that rep.
            ratio = {d: self.paired_ratio(conf[d], n, base, nc) for d in worst}
            wd = max(worst, key=lambda d: ratio[d] or 0)
            for d in worst:
                per[d] = self.per_op(conf[d]["t"], conf[d]["z"], n)
            self.log(f"   {eng.label} hotsplit: n = {n}, worst depth {wd}")
            return {"n": n, "sweep": per, "worst_depth": wd, "per_op": per[wd], "ratio": ratio[wd],
                    "best": min(per.values()), "baseline_per_op": self.per_op(base["t"], base["z"], nc),
                    "samples": {"t": t, "z": zeros, "confirm": conf, "baseline": base}}
        except Failure as e:
            self.log(f"   {eng.label} hotsplit: {e}")
            return {"error": str(e)}

    # ---- memory: parked continuations, deep recursion (weft and V8) ----
    def one_call(self, eng, case, n):
        """Runs bench(n) in a fresh process; returns (wall seconds, maxrss KiB)."""
        if eng.kind == "weft":
            r = self.weft_run(eng, case, "bench", [], n, timeout=600)
            return r["wall"], r["maxrss_kib"]
        r = run_proc(eng.call_argv(self.wasm(case), "bench", [n]), 600)
        if r["rc"] != 0 or r["timeout"]:
            raise Failure(reason(r, case))
        try:
            got = int(json.loads(r["out"].strip().splitlines()[-1])["result"]) & MASK64
        except (ValueError, KeyError, IndexError):
            raise Failure(f"driver output: {r['out'][:80]!r}")
        if got != EXPECTED[case](n) & MASK64:
            raise Failure(f"wrong result for bench({n}): {got}")
        # The time of the call itself, measured inside Node: start-up varies too much.
        return json.loads(r["out"].strip().splitlines()[-1])["seconds"], r["maxrss_kib"]

    def memory_case(self, eng, case, n, reps, fallback_n):
        def measure(n):
            big, zero = [], []
            for _ in range(reps):
                big.append(self.one_call(eng, case, n))
                zero.append(self.one_call(eng, case, 0))
            t = statistics.median(x[0] for x in big) - statistics.median(x[0] for x in zero)
            rss_n = statistics.median(x[1] for x in big)
            rss_0 = statistics.median(x[1] for x in zero)
            return {"n": n, "seconds": t, "per_op": t / n, "rss_n_kib": rss_n, "rss_0_kib": rss_0,
                    "bytes_each": (rss_n - rss_0) * 1024 / n}
        try:
            out = measure(n)
            self.log(f"   {eng.label} {case}: {out['bytes_each']:.0f} B each, {out['seconds'] * 1e3:.1f} ms")
            return out
        except Failure as e:
            out = {"error": str(e)}
            self.log(f"   {eng.label} {case}: {e}")
            if fallback_n and fallback_n < n:
                try:
                    out["fallback"] = measure(fallback_n)
                except Failure as e2:
                    out["fallback_error"] = str(e2)
            return out

    # ---- V8 ----
    def v8_time(self, eng, case, jobs, target, reps):
        spec = {"jobs": jobs, "target": target, "reps": reps}
        r = run_proc(eng.time_argv(self.wasm(case), spec), 900)
        if r["rc"] != 0 or r["timeout"]:
            raise Failure(reason(r, case))
        try:
            data = json.loads(r["out"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise Failure(f"driver output: {r['out'][:80]!r}")
        for j in data["jobs"]:
            check = EXPECTED["baseline" if j["export"] == "baseline" else case]
            for n, results in ((j["n"], j["results"]), (0, j["zero_results"])):
                for got in results:
                    if int(got) & MASK64 != check(n) & MASK64:
                        raise Failure(f"wrong result: {j['export']}(..., {n}) gave {got}")
        return data["jobs"]

    def v8_timed(self, eng, cases, res):
        a = self.args
        for case in cases:
            try:
                jobs = self.v8_time(eng, case, [{"export": "bench"}, {"export": "baseline"}], a.target, a.reps)
                b, c = jobs
                res[case] = {
                    "n": b["n"],
                    "per_op": self.per_op(b["times"], b["zero"], b["n"]),
                    "baseline_per_op": self.per_op(c["times"], c["zero"], c["n"]),
                    "ratio": self.paired_ratio({"t": b["times"], "z": b["zero"]}, b["n"],
                                               {"t": c["times"], "z": c["zero"]}, c["n"]),
                    "samples": {"t": b["times"], "z": b["zero"]},
                    "baseline_samples": {"t": c["times"], "z": c["zero"]},
                }
                self.log(f"   {eng.label} {case}: {res[case]['per_op'] * 1e9:.1f} ns")
            except Failure as e:
                res[case] = {"error": str(e)}
                self.log(f"   {eng.label} {case}: {e}")

    def v8_hotsplit(self, eng):
        a = self.args
        try:
            depths = list(range(a.max_depth + 1))
            jobs = self.v8_time(eng, "hotsplit", [{"export": "sweep", "prefix": [d]} for d in depths],
                                a.sweep_target / 4, a.sweep_reps + 1)
            per = {d: self.per_op(j["times"], j["zero"], j["n"]) for d, j in zip(depths, jobs)}
            worst = sorted(per, key=per.get, reverse=True)[:3]
            jobs2 = self.v8_time(eng, "hotsplit", [{"export": "sweep", "prefix": [d]} for d in worst]
                                 + [{"export": "baseline"}], a.target, a.reps)
            c = jobs2[-1]
            base = {"t": c["times"], "z": c["zero"]}
            ratio = {}
            for d, j in zip(worst, jobs2):
                per[d] = self.per_op(j["times"], j["zero"], j["n"])
                ratio[d] = self.paired_ratio({"t": j["times"], "z": j["zero"]}, j["n"], base, c["n"])
            wd = max(worst, key=lambda d: ratio[d] or 0)
            self.log(f"   {eng.label} hotsplit: worst depth {wd}")
            return {"n": jobs2[0]["n"], "sweep": per, "worst_depth": wd, "per_op": per[wd], "ratio": ratio[wd],
                    "best": min(per.values()), "baseline_per_op": self.per_op(c["times"], c["zero"], c["n"])}
        except Failure as e:
            self.log(f"   {eng.label} hotsplit: {e}")
            return {"error": str(e)}


# ---- report -------------------------------------------------------------------

def fmt_ns(s):
    ns = s * 1e9
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1000:
        return f"{ns / 1000:.2f} µs"
    return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"


def fmt_bytes(b):
    return f"{b:,.0f} B" if b < 10000 else f"{b / 1024:,.0f} KiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasm-dir", required=True)
    ap.add_argument("--weft", required=True)
    ap.add_argument("--weft-args", default="", help="more engine options for weft, e.g. --initial-stack-size=512")
    ap.add_argument("--node", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", default=None, help="write the markdown here instead of --results")
    ap.add_argument("--engines", default="segmented,copying,v8,go")
    ap.add_argument("--cases", default=",".join(ALL_CASES + EXTRA_CASES))
    ap.add_argument("--go-bin", default="", help="keep.go, built (the Go column of case 8)")
    ap.add_argument("--go-version", default="Go")
    ap.add_argument("--keep-n", default="1000000,10000000")
    ap.add_argument("--keep-reps", type=int, default=1)
    ap.add_argument("--keep-timeout", type=float, default=120)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--parked-n", type=int, default=1000000)
    ap.add_argument("--deep-n", type=int, default=1000000)
    ap.add_argument("--max-depth", type=int, default=64)
    ap.add_argument("--lock", default="")
    a = ap.parse_args()
    if a.out:
        a.results = a.out
    a.reps = a.reps or (1 if a.quick else 5)
    a.target = 0.3 if a.quick else 0.6     # seconds per timed run, beyond start-up
    a.sweep_target = 0.1 if a.quick else 0.2
    a.sweep_reps = 1 if a.quick else 2
    a.mem_reps = 1 if a.quick else 3
    cases = [c for c in a.cases.split(",") if c]
    for c in cases:
        if c not in ALL_CASES + EXTRA_CASES:
            sys.exit(f"harness: no case {c} (cases: {', '.join(ALL_CASES + EXTRA_CASES)})")
    run_keep = "keep" in cases
    cases = [c for c in ALL_CASES if c in cases]
    keep_ns = [int(x) for x in a.keep_n.split(",") if x]

    engines = []
    keep_engines = []  # case 8: (name, label, argv of n), weft and Go
    extra = a.weft_args.split()
    for name in [e for e in a.engines.split(",") if e]:
        if name in ("segmented", "copying"):
            engines.append(Weft(name, a.weft, name, extra))
            keep_engines.append((name, engines[-1].label,
                                 lambda n, e=engines[-1]: e.argv(os.path.join(a.wasm_dir, "keep.wasm"), "keep", [n])))
        elif name == "v8":
            engines.append(V8(a.node, a.driver))
        elif name == "go":
            if a.go_bin:
                keep_engines.append(("go", a.go_version, lambda n: [a.go_bin, str(n)]))
        else:
            sys.exit(f"harness: unknown engine {name} (engines: segmented, copying, v8, go)")
    if not cases:
        engines = []

    bench = Bench(a)
    results = {}
    unavailable = {}
    lock_file = None
    if a.lock:
        print(f"== waiting for {a.lock}", file=sys.stderr)
        lock_file = open(a.lock, "a")
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    try:
        load_before = os.getloadavg()
        started = time.time()
        for eng in engines:
            res = results.setdefault(eng.name, {})
            if eng.kind == "v8" and not os.access(eng.node, os.X_OK):
                unavailable[eng.name] = f"no Node at {eng.node}"
                continue
            print(f"== {eng.label}", file=sys.stderr)
            timed = [c for c in cases if c in TIMED]
            if eng.kind == "weft":
                bench.weft_timed(eng, timed, res)
            else:
                bench.v8_timed(eng, timed, res)
            if "hotsplit" in cases:
                res["hotsplit"] = (bench.weft_hotsplit if eng.kind == "weft" else bench.v8_hotsplit)(eng)
            if "parked" in cases:
                res["parked"] = bench.memory_case(eng, "parked", a.parked_n, a.mem_reps, 10000)
            if "deep" in cases:
                res["deep"] = bench.memory_case(eng, "deep", a.deep_n, a.mem_reps, 10000)
        elapsed = time.time() - started
        load_after = os.getloadavg()
        keep_results = {}
        if run_keep:
            keep_load = os.getloadavg()
            keep_started = time.time()
            keep_results = keepcase.measure(keep_engines, keep_ns, a.keep_reps, a.keep_timeout,
                                            lambda r: reason(r, "keep"), bench.log)
            keep_elapsed = time.time() - keep_started
            keep_load_after = os.getloadavg()
    finally:
        if lock_file:
            lock_file.close()

    # The plain call of each engine: the median over all its baseline measurements.
    plain = {}
    for eng in engines:
        vals = [r["baseline_per_op"] for r in results.get(eng.name, {}).values()
                if isinstance(r, dict) and "baseline_per_op" in r]
        if vals:
            plain[eng.name] = statistics.median(vals)

    # ---- verdicts ----
    def verdict(eng, case):
        """(cell text, met?) for the table; met is None for V8 or when n/a."""
        r = results.get(eng.name, {}).get(case)
        if eng.name in unavailable:
            return "n/a: " + unavailable[eng.name], None
        if r is None:
            return "not run", None
        target = CASE_INFO[case][2]
        if "error" in r:
            text = f"n/a: {r['error']}" if eng.kind == "v8" else f"**fails**: {r['error']}"
            fb = r.get("fallback")
            if case == "parked" and fb:
                text += f" (at {fb['n']:,}: {fmt_bytes(fb['bytes_each'])} each)"
            return text, False if eng.kind == "weft" else None
        if case == "parked":
            met = r["bytes_each"] <= target and r["n"] >= 1000000
            at = "" if r["n"] == 1000000 else f" (n = {r['n']:,})"
            return f"{fmt_bytes(r['bytes_each'])} each{at}", met if eng.kind == "weft" else None
        if case == "deep":
            return (f"completes: {r['seconds'] * 1e3:.1f} ms, {fmt_ns(r['per_op'])} per frame",
                    True if eng.kind == "weft" else None)
        p = plain.get(eng.name)
        ratio = r.get("ratio") or (r["per_op"] / p if p else None)
        text = fmt_ns(r["per_op"]) + (f" = {ratio:.1f} calls" if ratio is not None else "")
        if case == "hotsplit":
            text += f" (depth {r['worst_depth']})"
        met = ratio is not None and ratio <= target
        return text, met if eng.kind == "weft" else None

    def mark(met):
        return "" if met is None else (" ✅" if met else " ❌")

    # ---- chart ----
    out_dir = a.wasm_dir
    if a.out:
        chart = os.path.splitext(a.results)[0] + ".png"
    else:
        chart = os.path.join(os.path.dirname(a.results), "results.png")
    chart_ok = False
    ran = [e for e in engines if e.name not in unavailable]
    if ran and cases and shutil.which("gnuplot"):
        chart_ok = draw_chart(chart, out_dir, ran, results, plain, cases)

    # ---- markdown ----
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    node_version = "n/a"
    if any(e.kind == "v8" for e in engines) and os.access(a.node, os.X_OK):
        node_version = subprocess.run([a.node, "--version"], capture_output=True, text=True).stdout.strip()
    L = []
    L.append("# Stack benchmarks")
    L.append("")
    L.append(f"Written by `bench/stacks/run{' --quick' if a.quick else ''}` on {now}; "
             "see `bench/stacks/README.md` for what each case measures.")
    L.append("")
    L.append(f"- Machine: {machine_summary()}; load average {load_before[0]:.2f} before, "
             f"{load_after[0]:.2f} after ({elapsed:.0f} s)")
    L.append(f"- Commit: `{a.commit}`; weft: `{a.weft}`" + (f" with `{a.weft_args}`" if a.weft_args else ""))
    if any(e.kind == "v8" for e in engines):
        L.append(f"- V8: Node {node_version}, `{' '.join(V8.flags)}` (inlining off, so that its plain "
                 "call is a call), timed in-process by `driver.mjs` after a warm-up")
    L.append(f"- weft: each operation count n is timed as a whole `weft run --invoke` process, minus the same "
             f"process with n = 0; median of {a.reps} run{'s' if a.reps > 1 else ''}, n chosen for about {a.target} s of work. "
             "Every run's result is checked.")
    L.append("- Plain call: a call of a small function in a loop (`baseline`), the median over all cases. A case's "
             "ratio (\"= N calls\") is the median over runs of its time per operation over the plain call measured "
             "right after it (same engine, same module), so a change of machine load during the run cancels out; "
             "it can differ a little from the time divided by the plain-call row. ✅/❌: the issue's target for weft.")
    L.append("")
    cols = engines
    L.append("| case | one operation | target | " + " | ".join(e.label for e in cols) + " |")
    L.append("| --- | --- | --- |" + " --- |" * len(cols))
    L.append("| plain call | call of `$leaf` in a loop | | " +
             " | ".join(fmt_ns(plain[e.name]) if e.name in plain else "n/a" for e in cols) + " |")
    targets = {
        "generator": "≤ 5 calls", "switch": "≤ 3 calls", "spawn": "≤ 10 calls", "never": "≤ 3 calls",
        "parked": "≤ 1024 B each", "deep": "completes", "hotsplit": "≤ 2 calls per crossing",
    }
    score = {e.name: [0, 0] for e in cols}
    for case in cases:
        label, what, _ = CASE_INFO[case]
        if case == "deep":
            label = f"6. recursion {a.deep_n:,} deep in a continuation"
        elif case == "parked" and a.parked_n != 1000000:
            label = f"5. {a.parked_n:,} parked continuations"
        cells = []
        for e in cols:
            text, met = verdict(e, case)
            if met is not None:
                score[e.name][1] += 1
                score[e.name][0] += met
            cells.append(text.replace("|", "\\|") + mark(met))
        L.append(f"| {label} | {what} | {targets[case]} | " + " | ".join(cells) + " |")
    L.append("")
    summ = [f"{e.label}: {score[e.name][0]} of {score[e.name][1]}" for e in cols
            if e.kind == "weft" and score[e.name][1]]
    if summ:
        L.append("Targets met: " + "; ".join(summ) + ".")
        L.append("")
    if chart_ok:
        L.append(f"![stack benchmarks]({os.path.basename(chart)})")
        L.append("")

    # Details.
    L.append("## Details")
    L.append("")
    for e in cols:
        res = results.get(e.name, {})
        parts = []
        for case in ("parked", "deep"):
            r = res.get(case)
            if not r:
                continue
            if "error" not in r:
                parts.append(f"{case}: n = {r['n']:,}, peak RSS {r['rss_n_kib'] / 1024:,.1f} MiB vs "
                             f"{r['rss_0_kib'] / 1024:,.1f} MiB with n = 0, "
                             f"{fmt_bytes(r['bytes_each'])} and {fmt_ns(r['per_op'])} per "
                             f"{'continuation' if case == 'parked' else 'frame'}")
            else:
                fb = r.get("fallback")
                s = f"{case}: fails at n = {getattr(a, case + '_n'):,} ({r['error']})"
                if fb and case == "deep":
                    s += f"; completes at n = {fb['n']:,}"
                elif fb:
                    s += (f"; at n = {fb['n']:,}: peak RSS {fb['rss_n_kib'] / 1024:,.1f} MiB vs "
                          f"{fb['rss_0_kib'] / 1024:,.1f} MiB, {fmt_bytes(fb['bytes_each'])} and "
                          f"{fmt_ns(fb['per_op'])} per {'continuation' if case == 'parked' else 'frame'}")
                elif r.get("fallback_error"):
                    s += f"; at n = 10,000 too ({r['fallback_error']})"
                parts.append(s)
        hs = res.get("hotsplit")
        if hs and "error" not in hs:
            parts.append(f"hot split: per call {fmt_ns(hs['best'])} at the best depth, "
                         f"{fmt_ns(hs['per_op'])} at the worst (depth {hs['worst_depth']}), "
                         f"depths 0–{a.max_depth}, n = {hs['n']:,}")
        ns = [f"{c} {res[c]['n']:,}" for c in TIMED if c in res and "n" in res[c]]
        if ns:
            parts.append("n per timed run: " + ", ".join(ns))
        if parts:
            L.append(f"- **{e.label}**: " + "; ".join(parts) + ".")
    L.append("")
    sweeps = [e for e in cols if "sweep" in results.get(e.name, {}).get("hotsplit", {})]
    if sweeps:
        L.append("<details><summary>Hot split sweep: time per call of <code>$leaf</code> at each "
                 "recursion depth inside a fresh continuation</summary>")
        L.append("")
        L.append("| depth | " + " | ".join(e.label for e in sweeps) + " |")
        L.append("| --- |" + " --- |" * len(sweeps))
        for d in range(a.max_depth + 1):
            L.append(f"| {d} | " + " | ".join(fmt_ns(results[e.name]["hotsplit"]["sweep"][d]) for e in sweeps) + " |")
        L.append("")
        L.append("</details>")
        L.append("")

    # Sections not measured by this run are kept from the existing file: the
    # main table (cases 1-7) when only case 8 ran, and case 8 when it did not.
    try:
        with open(a.results) as f:
            old_main, old_keep = keepcase.split(f.read())
    except OSError:
        old_main, old_keep = "", None
    text = "\n".join(L).rstrip("\n") + "\n" if cases else old_main
    if run_keep:
        header = [f"Written by `bench/stacks/run{' --cases keep' if not cases else ''}` on {now}.", "",
                  f"- Machine: {machine_summary()}; load average {keep_load[0]:.2f} before, "
                  f"{keep_load_after[0]:.2f} after ({keep_elapsed:.0f} s)",
                  f"- Commit: `{a.commit}`; weft: `{a.weft}`" + (f" with `{a.weft_args}`" if a.weft_args else "")]
        if any(e[0] == "go" for e in keep_engines):
            header.append(f"- {a.go_version}: `bench/stacks/keep.go` built with `go build`, default settings "
                          "(GOMAXPROCS = number of cores)")
        labels = [(name, label, name != "go") for name, label, _ in keep_engines]
        new_keep = "\n".join(keepcase.section(labels, keep_ns, keep_results, header, a.keep_reps, a.weft_args))
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "# Stack benchmarks\n\n") + new_keep + "\n"
        with open(os.path.join(out_dir, "keep.json"), "w") as f:
            json.dump({"commit": a.commit, "results": keep_results}, f, indent=1, default=str)
    elif old_keep:
        text = text.rstrip("\n") + "\n\n" + old_keep + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(a.results)), exist_ok=True)
    with open(a.results, "w") as f:
        f.write(text)
    if cases:
        with open(os.path.join(out_dir, "results.json"), "w") as f:
            json.dump({"commit": a.commit, "plain": plain, "results": results, "unavailable": unavailable},
                      f, indent=1, default=str)
    print(text)


def draw_chart(chart, out_dir, engines, results, plain, cases):
    colors = {"segmented": "#1f6fd0", "copying": "#e08020", "v8": "#3aa655"}
    ratio_cases = [c for c in ("generator", "switch", "spawn", "never", "hotsplit") if c in cases]
    short = {"generator": "round\\ntrip", "switch": "switch", "spawn": "spawn", "never": "never\\nsuspends",
             "hotsplit": "hot\\nsplit"}
    gp = []
    gp.append('set terminal pngcairo size 1500,520 font "sans,10"')
    gp.append(f'set output "{chart}"')
    gp.append("set multiplot layout 1,3")
    gp.append('set datafile missing "-"')
    gp.append("set grid ytics")
    gp.append("set key top left")
    gp.append("set bmargin 6")
    panels = 0
    # 1: ratios to the plain call, with the targets.
    if ratio_cases:
        dat = os.path.join(out_dir, "chart_ratio.dat")
        with open(dat, "w") as f:
            f.write("index case target " + " ".join(f'"{e.label}"' for e in engines) + "\n")
            for i, c in enumerate(ratio_cases):
                vals = []
                for e in engines:
                    r = results.get(e.name, {}).get(c, {})
                    p = plain.get(e.name)
                    ratio = r.get("ratio") or (r["per_op"] / p if "per_op" in r and p else None)
                    vals.append(f"{ratio:.4f}" if ratio and ratio > 0 else "-")
                f.write(f'{i} "{short[c]}" {CASE_INFO[c][2]} ' + " ".join(vals) + "\n")
        gp.append('set title "Cost per operation in plain calls (lower is better)"')
        gp.append("set style data histograms")
        gp.append("set style histogram clustered gap 1")
        gp.append("set style fill solid 0.85 border -1")
        gp.append("set logscale y")
        gp.append("set yrange [0.1:*]")
        gp.append('set ylabel "plain calls (log scale)"')
        gp.append("set xtics nomirror")
        n = len(engines)
        plots = [f'"{dat}" using {i + 4}:xtic(2) title columnheader({i + 4}) lc rgb "{colors[e.name]}"'
                 for i, e in enumerate(engines)]
        plots.append(f'"{dat}" using 1:3 title "target (weft)" with points pt 7 ps 1.6 lc rgb "#c00000"')
        gp.append("set key below maxrows 2")
        gp.append("plot " + ", ".join(plots))
        gp.append("set style data lines")
        panels += 1
    # 2: the hot split sweep.
    sweeps = [e for e in engines if "sweep" in results.get(e.name, {}).get("hotsplit", {})]
    if sweeps:
        dat = os.path.join(out_dir, "chart_sweep.dat")
        depths = sorted(results[sweeps[0].name]["hotsplit"]["sweep"])
        with open(dat, "w") as f:
            f.write("depth " + " ".join(f'"{e.label}"' for e in sweeps) + "\n")
            for d in depths:
                f.write(f"{d} " + " ".join(f"{results[e.name]['hotsplit']['sweep'][d] * 1e9:.3f}" for e in sweeps)
                        + "\n")
        gp.append('set title "Hot split: ns per leaf call vs. frames below the loop, in a continuation"')
        gp.append("unset logscale y")
        gp.append("set yrange [0:*]")
        gp.append("set xrange [0:*]")
        gp.append('set ylabel "ns per call"')
        gp.append("set xtics auto")
        plots = [f'"{dat}" using 1:{i + 2} title columnheader({i + 2}) with linespoints pt 7 ps 0.5 '
                 f'lc rgb "{colors[e.name]}"' for i, e in enumerate(sweeps)]
        first = True
        for e in sweeps:
            if e.name in plain:
                title = 'title "dashed: plain call"' if first else "notitle"
                first = False
                plots.append(f'{plain[e.name] * 1e9:.3f} {title} with lines dt 2 lc rgb "{colors[e.name]}"')
        gp.append("plot " + ", ".join(plots))
        gp.append("set xrange [*:*]")
        panels += 1
    # 3: parked bytes per continuation.
    rows = []
    for e in engines:
        r = results.get(e.name, {}).get("parked", {})
        if "bytes_each" in r:
            rows.append((e, r["bytes_each"], f"n = {r['n']:,}"))
        elif "fallback" in r:
            rows.append((e, r["fallback"]["bytes_each"], f"n = {r['fallback']['n']:,} only"))
    if rows:
        dat = os.path.join(out_dir, "chart_parked.dat")
        with open(dat, "w") as f:
            for i, (e, b, n) in enumerate(rows):
                f.write(f'{i} {max(b, 1):.1f} "{e.label}\\n{n}"\n')
        gp.append('set title "Resident bytes per parked continuation (dashed: target, 1024 B)"')
        gp.append("set logscale y")
        gp.append("set yrange [10:*]")
        gp.append('set ylabel "bytes (log scale)"')
        gp.append("set style fill solid 0.85 border -1")
        gp.append("set boxwidth 0.6")
        gp.append("set xrange [-0.6:%f]" % (len(rows) - 0.4))
        gp.append("unset key")
        plots = [f'"{dat}" every ::{i}::{i} using 1:2:xtic(3) with boxes lc rgb "{colors[e.name]}"'
                 for i, (e, _, _) in enumerate(rows)]
        plots.append(f'"{dat}" using 1:2:(sprintf("%.0f B", $2)) with labels offset 0,0.8')
        plots.append('1024 with lines dt 2 lw 1.5 lc rgb "#c00000"')

        gp.append("plot " + ", ".join(plots))
        panels += 1
    gp.append("unset multiplot")
    if not panels:
        return False
    path = os.path.join(out_dir, "chart.gp")
    with open(path, "w") as f:
        f.write("\n".join(gp) + "\n")
    r = subprocess.run(["gnuplot", path], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"harness: gnuplot failed: {r.stderr.strip()[:300]}", file=sys.stderr)
    return r.returncode == 0


if __name__ == "__main__":
    main()
