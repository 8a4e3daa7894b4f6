"""Case 8, spawn and keep (issue 14), for bench/stacks/harness.py.

n continuations are created, each run to its first suspend and all kept alive,
then all resumed once more so that each finishes (keep.wat's keep(n)); the same
pattern with goroutines (keep.go) is the Go column. Every run is a whole
process, measured from outside: wall time, peak RSS (ru_maxrss) and minor page
faults (ru_minflt) from wait4(2) of that child, each minus the same process
with n = 0, divided by n. Writes one section of RESULTS.md, between markers, so
that `bench/stacks/run --cases keep` can rewrite it alone."""

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time

BEGIN = "<!-- case 8 (spawn and keep): written by bench/stacks/run; `--cases keep` rewrites only this section -->"
END = "<!-- end of case 8 -->"
MASK64 = (1 << 64) - 1
TARGET_BYTES = 256          # issue 14: resident bytes per parked continuation, default options
TARGET_N = 10_000_000       # issue 14: parked continuations with default options


def expected(n):
    return (2 * n * (n + 1)) & MASK64   # sum of 3x at the suspends + x at the returns


def mem_available_kib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def rss_kib(pid):
    """Resident size of pid and its children (the program under GNU time)."""
    total = 0
    try:
        with open(f"/proc/{pid}/statm") as f:
            total = int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for c in f.read().split():
                total += rss_kib(int(c))
    except (OSError, ValueError, IndexError):
        pass
    return total


GNU_TIME = "/usr/bin/time"


def have_gnu_time():
    try:
        r = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
        return r.returncode == 0 and r.stderr.strip().isdigit()
    except OSError:
        return False


def run_child(argv, timeout, rss_limit_kib):
    """Runs argv; returns wall time, exit status, output, and the child's own
    ru_maxrss / ru_minflt (wait4). Kills it after `timeout` seconds, or when its
    resident size passes rss_limit_kib (the machine has no swap: better one
    failed measurement than the OOM killer on a shared machine).

    With GNU time (/usr/bin/time), the program runs under it and its numbers
    are time's: Linux counts the memory a process had before its exec(2) in
    its ru_maxrss, so a child forked from this python would never report less
    than python's own RSS (about 19 MiB), which is a bias of ~15 B per
    continuation at n = 1,000,000; time is small."""
    use_time = have_gnu_time()
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe, \
            tempfile.NamedTemporaryFile("r") as ft:
        if use_time:
            argv = [GNU_TIME, "-q", "-f", "%M %R", "-o", ft.name, *argv]
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=fo, stderr=fe, start_new_session=True)
        except OSError as e:
            return {"wall": 0.0, "rc": 127, "out": "", "err": str(e), "maxrss_kib": 0, "minflt": 0,
                    "killed": None}
        killed = []
        done = threading.Event()

        def watch():
            while not done.wait(0.05):
                if time.perf_counter() - start > timeout:
                    killed.append(f"timeout (over {timeout:.0f} s)")
                elif rss_limit_kib and rss_kib(proc.pid) > rss_limit_kib:
                    killed.append(f"killed: resident memory passed {rss_limit_kib / 1048576:.1f} GiB "
                                  "(the memory available to the benchmark)")
                else:
                    continue
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        watcher.join()
        fo.seek(0)
        fe.seek(0)
        rc = os.waitstatus_to_exitcode(status)
        maxrss, minflt = ru.ru_maxrss, ru.ru_minflt
        if use_time:
            try:
                m, f = ft.read().split()[-2:]
                maxrss, minflt = int(m), int(f)
            except ValueError:
                pass   # killed, or time's own failure: keep wait4's numbers
        return {"wall": wall, "rc": rc,
                "out": fo.read().decode(errors="replace"), "err": fe.read().decode(errors="replace"),
                "maxrss_kib": maxrss, "minflt": minflt, "killed": killed[0] if killed else None}


class Fail(Exception):
    pass


def one(argv, n, timeout, rss_limit_kib, reason):
    r = run_child(argv, timeout, rss_limit_kib)
    if r["killed"]:
        raise Fail(r["killed"])
    if r["rc"] != 0:
        raise Fail(reason(r))
    lines = [s.strip() for s in r["out"].strip().splitlines() if s.strip()]
    got = None
    if lines:
        try:
            got = int(lines[-1]) & MASK64
        except ValueError:
            pass
    if got != expected(n):
        raise Fail(f"wrong result for n = {n:,}: {r['out'].strip()[:40]!r}, expected {expected(n)}")
    return r


def measure(engines, ns, reps, timeout, reason, log):
    """engines: list of (name, label, argv_of_n). Returns {name: {n: result}}."""
    limit = max(mem_available_kib() - 2 * 1048576, 1048576)
    out = {}
    for name, label, argv_of in engines:
        res = out.setdefault(name, {})
        log(f"== spawn and keep: {label}")
        try:
            zeros = [one(argv_of(0), 0, timeout, limit, reason) for _ in range(3)]
        except Fail as e:
            for n in ns:
                res[n] = {"error": f"n = 0 fails: {e}"}
            log(f"   {label}: n = 0 fails: {e}")
            continue
        z_wall = min(r["wall"] for r in zeros)
        z_rss = statistics.median(r["maxrss_kib"] for r in zeros)
        z_flt = statistics.median(r["minflt"] for r in zeros)
        per_byte = None   # resident bytes per continuation at the largest n that ran
        for n in sorted(ns):
            if per_byte is not None and z_rss + per_byte * n / 1024 > limit:
                need = (z_rss * 1024 + per_byte * n) / 2 ** 30
                res[n] = {"error": f"not run: would need about {need:.0f} GiB at {per_byte:,.0f} B each "
                                   f"(as measured at a smaller n), more than the {limit / 1048576:.0f} GiB "
                                   "available", "skipped": True}
                log(f"   {label} n = {n:,}: {res[n]['error']}")
                continue
            try:
                runs = [one(argv_of(n), n, timeout, limit, reason) for _ in range(reps)]
            except Fail as e:
                res[n] = {"error": str(e)}
                log(f"   {label} n = {n:,}: {e}")
                continue
            wall = statistics.median(r["wall"] for r in runs)
            rss = statistics.median(r["maxrss_kib"] for r in runs)
            flt = statistics.median(r["minflt"] for r in runs)
            res[n] = {"n": n, "wall": wall, "wall_0": z_wall, "rss_kib": rss, "rss_0_kib": z_rss,
                      "minflt": flt, "minflt_0": z_flt, "per_op": (wall - z_wall) / n,
                      "bytes_each": (rss - z_rss) * 1024 / n, "faults_each": (flt - z_flt) / n}
            if n:
                per_byte = max(res[n]["bytes_each"], 1)
            log(f"   {label} n = {n:,}: {res[n]['per_op'] * 1e9:.0f} ns, {res[n]['bytes_each']:.0f} B, "
                f"{res[n]['faults_each']:.3f} faults each ({wall:.2f} s, {rss / 1024:.0f} MiB)")
    return out


def fmt_ns(s):
    ns = s * 1e9
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1000:
        return f"{ns / 1000:.2f} µs"
    return f"{ns:.1f} ns" if ns < 100 else f"{ns:.0f} ns"


def section(engines, ns, results, header, reps, weft_args=""):
    """The markdown of case 8, between BEGIN and END. engines: (name, label, is_weft)."""
    L = [BEGIN, "## 8. Spawn and keep", ""]
    L += header
    L.append(f"- One operation: `cont.new`, a resume that runs the task to its first `suspend`, the "
             "continuation kept in a table with all the others, and (after all n are parked) one more "
             "resume that lets it return; Go: a goroutine that does its first step, blocks on a shared "
             "channel until all n are parked, then finishes.")
    opts = f"with `{weft_args}` (**not** the default options the targets are about)" if weft_args \
        else "default options"
    via = "GNU time's `wait4` of it (`/usr/bin/time`)" if have_gnu_time() else "`wait4`"
    L.append(f"- Measured per whole process (weft: `weft run --stack-growth=G --invoke keep keep.wasm N`, "
             f"{opts}; Go: `keep N`, built from `keep.go`): wall time, peak RSS (`ru_maxrss`) and "
             f"minor page faults (`ru_minflt`) of the program from {via}, minus the same process with "
             f"n = 0, divided by n; median of {reps} run{'s' if reps > 1 else ''} (n = 0: 3 runs). "
             "Every run's checksum is checked. A run is killed after a timeout or when its resident size "
             "passes the memory available minus 2 GiB (there is no swap), and a larger n is not run when the "
             "bytes per continuation measured at a smaller n say it would not fit. "
             "✅/❌: issue 14's targets, for weft.")
    L.append("")
    L.append("| n | per continuation | target (weft) | " + " | ".join(e[1] for e in engines) + " |")
    L.append("| --- | --- | --- |" + " --- |" * len(engines))
    for n in ns:
        rows = [("time (spawn, suspend, keep, final resume)", "", "per_op", fmt_ns),
                ("resident bytes", f"≤ {TARGET_BYTES} B", "bytes_each", lambda b: f"{b:,.0f} B"),
                ("minor page faults", "", "faults_each", lambda f: f"{f:.3f}")]
        for i, (what, target, key, fmt) in enumerate(rows):
            cells = []
            for name, _, is_weft in engines:
                r = results.get(name, {}).get(n)
                if r is None:
                    cells.append("not run")
                elif "error" in r:
                    cells.append((f"**fails**: {r['error']}" if is_weft and not r.get("skipped") else r["error"])
                                 .replace("|", "\\|") if i == 0 else "—")
                else:
                    cell = fmt(r[key])
                    if key == "bytes_each" and is_weft:
                        cell += " ✅" if r[key] <= TARGET_BYTES else " ❌"
                    cells.append(cell)
            L.append(f"| {n:,} | {what} | {target} | " + " | ".join(cells) + " |")
    L.append("")

    # Issue 14's acceptance, as far as this case measures it.
    weft = [e for e in engines if e[2]]
    if weft:
        L.append("Issue 14's targets (default options" +
                 (f"; this run used `{weft_args}`, so it does not decide them" if weft_args else "") + "):")
        L.append("")
        big = [n for n in ns if n >= 1_000_000]
        why = []
        ok = bool(big)
        for name, label, _ in weft:
            for n in big:
                r = results.get(name, {}).get(n)
                if r is None or "error" in r:
                    ok = False
                    why.append(f"{label} at {n:,}: {'not run' if r is None else 'fails'}")
                elif r["bytes_each"] > TARGET_BYTES:
                    ok = False
                    why.append(f"{label} at {n:,}: {r['bytes_each']:,.0f} B")
                else:
                    why.append(f"{label} at {n:,}: {r['bytes_each']:,.0f} B")
        missing = [n for n in (1_000_000, 10_000_000) if n not in ns]
        if missing:
            ok = False
            why.append("not measured at " + ", ".join(f"{n:,}" for n in missing))
        L.append(f"- At most {TARGET_BYTES} resident bytes per parked continuation with one small frame, at "
                 f"n = 1,000,000 and 10,000,000, both strategies: **{'met' if ok else 'not met'}** "
                 f"({'; '.join(why)}).")
        why2 = []
        ok2 = TARGET_N in ns
        for name, label, _ in weft:
            r = results.get(name, {}).get(TARGET_N)
            if r is None or "error" in r:
                ok2 = False
                why2.append(f"{label}: " + ("not run" if r is None else r["error"]))
            else:
                why2.append(f"{label}: completes")
        L.append(f"- {TARGET_N:,} parked continuations: **{'met' if ok2 else 'not met'}** "
                 f"({'; '.join(why2) if why2 else 'not measured'}).")
        L.append("")

    details = []
    for name, label, _ in engines:
        parts = []
        for n in ns:
            r = results.get(name, {}).get(n)
            if r and "error" not in r:
                parts.append(f"n = {n:,}: {r['wall']:.2f} s, peak RSS {r['rss_kib'] / 1024:,.1f} MiB, "
                             f"{r['minflt']:,.0f} minor faults")
        r0 = next((r for r in results.get(name, {}).values() if "rss_0_kib" in r), None)
        if r0:
            parts.append(f"n = 0: {r0['wall_0']:.3f} s, {r0['rss_0_kib'] / 1024:,.1f} MiB, "
                         f"{r0['minflt_0']:,.0f} minor faults")
        if parts:
            details.append(f"- **{label}**: " + "; ".join(parts) + ".")
    if details:
        L += ["Runs (wall time of the whole process, its peak RSS and minor faults):", ""] + details
        L.append("")
    L.append(END)
    return L


def split(text):
    """(the file without case 8, case 8's section or None)."""
    if BEGIN in text and END in text:
        a = text.index(BEGIN)
        b = text.index(END) + len(END)
        return (text[:a].rstrip("\n") + "\n" + text[b:].lstrip("\n")).rstrip("\n") + "\n", text[a:b]
    return text, None
