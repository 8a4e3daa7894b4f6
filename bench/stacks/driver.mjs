// Times exports of one bench/stacks module inside V8 (Node), for
// bench/stacks/run. Usage:
//
//   node --experimental-wasm-wasmfx driver.mjs time FILE.wasm SPEC_JSON
//   node --experimental-wasm-wasmfx driver.mjs call FILE.wasm EXPORT ARGS...
//
// time: SPEC_JSON is {"jobs": [{"export": "bench", "prefix": [], "n": null}, ...],
//   "target": seconds per timed call, "reps": timed calls per job}. The last
//   argument of each export is the operation count n; "prefix" holds the
//   arguments before it (hotsplit's depth). Each job is warmed up (so that V8
//   has tiered up to its optimizing compiler), then its n is raised until one
//   call takes about "target" seconds (unless "n" is given). The timed calls are
//   interleaved across jobs, rep by rep. For each call with n operations and
//   each call with 0 operations the driver records performance.now() time and
//   the result, and prints one JSON object: {"jobs": [{"n", "times", "zero",
//   "results"}], "maxrss_kib"}. The runner checks the results.
// call: calls EXPORT once with ARGS and prints {"result", "maxrss_kib",
//   "seconds"} (used for the parked-memory and deep-recursion cases).
import fs from "node:fs";

const [mode, file, ...rest] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(fs.readFileSync(file));
const ex = instance.exports;

const str = (v) => (typeof v === "bigint" ? v.toString() : String(v));

function timeCall(f, args) {
  const t = performance.now();
  const r = f(...args);
  return [(performance.now() - t) / 1000, r];
}

if (mode === "call") {
  const [name, ...args] = rest;
  const [seconds, r] = timeCall(ex[name], args.map(Number));
  const maxrss_kib = process.resourceUsage().maxRSS;
  console.log(JSON.stringify({ result: str(r), maxrss_kib, seconds }));
} else if (mode === "time") {
  const spec = JSON.parse(rest[0]);
  const target = spec.target ?? 0.3;
  const reps = spec.reps ?? 5;
  const jobs = spec.jobs.map((j) => ({ ...j, f: ex[j.export], prefix: j.prefix ?? [] }));
  for (const j of jobs) {
    if (typeof j.f !== "function") throw new Error(`no export ${j.export}`);
    // Warm-up: enough calls for V8 to tier up from Liftoff to TurboFan.
    const w0 = performance.now();
    while (performance.now() - w0 < 200) j.f(...j.prefix, 10000);
    if (!j.n) {
      let n = 10000;
      for (;;) {
        const [t] = timeCall(j.f, [...j.prefix, n]);
        if (t >= target || n >= 1 << 30) {
          n = Math.min(2 ** 31 - 1, Math.max(n, Math.round((n * target) / Math.max(t, 1e-9))));
          break;
        }
        n = Math.min(2 ** 31 - 1, n * (t < target / 20 ? 8 : 2));
      }
      j.n = n;
    }
    j.times = [];
    j.zero = [];
    j.results = [];
    j.zero_results = [];
  }
  for (let r = 0; r < reps; r++) {
    for (const j of jobs) {
      const [t, res] = timeCall(j.f, [...j.prefix, j.n]);
      j.times.push(t);
      j.results.push(str(res));
      const [t0, res0] = timeCall(j.f, [...j.prefix, 0]);
      j.zero.push(t0);
      j.zero_results.push(str(res0));
    }
  }
  const out = jobs.map(({ f, ...j }) => j);
  console.log(JSON.stringify({ jobs: out, maxrss_kib: process.resourceUsage().maxRSS }));
} else {
  console.error("usage: driver.mjs time FILE SPEC_JSON | call FILE EXPORT ARGS...");
  process.exit(2);
}
