// Helpers shared by the benchmark scripts: starting/stopping toky-mock, statistics, the
// contenders (plain fetch, axios, toky-wasm's server and browser builds) and small formatting
// helpers. Loopback only.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = new URL("../", import.meta.url);
export const rootPath = (p) => fileURLToPath(new URL(p, ROOT));
export const KEY = "demo-key";
export const HEADERS = { "X-Toky-Key": KEY };

// --- the mock ------------------------------------------------------------------------------

/** Starts target/release/toky-mock on 127.0.0.1 with a free port; resolves { url, stop, pid }. */
export function startMock(extra = []) {
  const bin = rootPath("target/release/toky-mock");
  const args = ["--port", "0", "--host", "127.0.0.1", "--seed", "1", ...extra];
  const child = spawn(bin, args, { cwd: rootPath("."), stdio: ["ignore", "pipe", "inherit"] });
  live.add(child);
  child.on("exit", () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("toky-mock did not start within 10 s")), 10000);
    child.on("error", (e) => (clearTimeout(timer), reject(e)));
    child.on("exit", (code) => (clearTimeout(timer), reject(new Error("toky-mock exited with " + code))));
    const rl = createInterface({ input: child.stdout });
    let stopping = false;
    child.on("exit", (code, signal) => {
      if (!stopping) console.error(`toky-mock (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}`);
    });
    rl.once("line", (line) => {
      clearTimeout(timer);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return reject(new Error("unexpected toky-mock output: " + line));
      resolve({
        url: m[1],
        pid: child.pid,
        stop: () =>
          new Promise((res) => {
            stopping = true;
            if (child.exitCode !== null || child.signalCode !== null) return res();
            child.once("exit", () => res());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
const live = new Set();
// Never leave a mock behind, whatever happens to this process.
process.on("exit", () => {
  for (const c of live) c.kill("SIGTERM");
});
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    for (const c of live) c.kill("SIGTERM");
    process.exit(130);
  });

/** Control calls to the mock (not timed). */
export async function control(url, method, path) {
  const r = await fetch(url + path, { method });
  const body = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} -> ${r.status} ${body}`);
  return body ? JSON.parse(body) : null;
}
export const clearJournal = (url) => control(url, "DELETE", "/__mock/journal");

/** RSS (MB) of another process, from /proc (Linux); null elsewhere. */
export async function rssOfPid(pid) {
  try {
    const { readFileSync } = await import("node:fs");
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? +m[1] / 1024 : null;
  } catch {
    return null;
  }
}

// --- statistics ----------------------------------------------------------------------------

/** Nearest-rank percentile of a sorted array. */
export function pct(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
export const median = (xs) => pct([...xs].sort((a, b) => a - b), 50);

/** Summary of latencies in ms. */
export function summary(xs) {
  const s = Float64Array.from(xs).sort();
  let sum = 0;
  for (const x of s) sum += x;
  return { n: s.length, p50_ms: pct(s, 50), p90_ms: pct(s, 90), p99_ms: pct(s, 99), mean_ms: sum / s.length, min_ms: s[0], max_ms: s[s.length - 1] };
}

/**
 * Bootstrap 95% interval of pct(a)/pct(b), resampling the interleaved rounds (pairs), so the
 * interval reflects the noise of this run. Deterministic (fixed PRNG seed).
 */
export function ratioCI(a, b, p = 50, reps = 400) {
  const n = Math.min(a.length, b.length);
  let seed = 0x9e3779b9;
  const rnd = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
  const ra = new Float64Array(n), rb = new Float64Array(n), out = [];
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) {
      const j = (rnd() * n) | 0;
      ra[i] = a[j];
      rb[i] = b[j];
    }
    ra.sort();
    rb.sort();
    out.push(pct(ra, p) / pct(rb, p));
  }
  out.sort((x, y) => x - y);
  return [round(pct(out, 2.5), 3), round(pct(out, 97.5), 3)];
}

export const round = (x, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** Every order of the contenders (24 for 4), cycled round by round, so none is always first or last. */
export function orders(names) {
  const out = [];
  const perm = (a, rest) => (rest.length ? rest.forEach((x, i) => perm([...a, x], rest.filter((_, j) => j != i))) : out.push(a));
  perm([], names);
  return out;
}

// --- the contenders ------------------------------------------------------------------------

/** Paging by hand as users write it: 500-row pages, following `next`, up to `max` records. */
async function follow(base, getPage, max, visit) {
  let url = base + "/contacts?limit=500", n = 0;
  while (url && n < max) {
    const page = await getPage(url);
    for (const c of page.results) {
      if (n >= max) return n;
      n++;
      visit(c);
    }
    url = page.next;
  }
  return n;
}

/** A toky-wasm contender: `Toky` is the class of one build. */
function tokyContender(Toky, base) {
  const toky = new Toky({ apiKey: KEY, baseUrl: base });
  return {
    getContact: (phone) => toky.contacts.get(phone),
    list: (limit) => toky.contacts.list({ limit }),
    send: (input) => toky.sms.send(input),
    async iterate(max, visit) {
      let n = 0;
      for await (const c of toky.contacts.iterate({ pageSize: 500, max })) {
        n++;
        visit(c);
      }
      return n;
    },
  };
}

/** Builds the contenders against `base` (…/v1). Each op resolves to what it decoded. */
export async function contenders(base, { axios, Toky, TokyBrowser }) {
  const ax = axios.create({ baseURL: base, headers: HEADERS });
  const jsonHeaders = { ...HEADERS, "Content-Type": "application/json" };
  return {
    fetch: {
      getContact: async (phone) => (await fetch(base + "/contacts/" + encodeURIComponent(phone), { headers: HEADERS })).json(),
      list: async (limit) => (await fetch(base + "/contacts?limit=" + limit, { headers: HEADERS })).json(),
      send: async (input) => (await fetch(base + "/sms/send", { method: "POST", headers: jsonHeaders, body: JSON.stringify(input) })).json(),
      iterate: (max, visit) => follow(base, async (url) => (await fetch(url, { headers: HEADERS })).json(), max, visit),
    },
    axios: {
      getContact: async (phone) => (await ax.get("/contacts/" + encodeURIComponent(phone))).data,
      list: async (limit) => (await ax.get("/contacts", { params: { limit } })).data,
      send: async (input) => (await ax.post("/sms/send", input)).data,
      iterate: (max, visit) => follow(base, async (url) => (await ax.get(url)).data, max, visit),
    },
    toky: tokyContender(Toky, base),
    toky_browser: tokyContender(TokyBrowser, base),
  };
}

// --- formatting ----------------------------------------------------------------------------

export const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
export const kb = (b) => (b / 1024).toFixed(1) + " KB";
export const log = (...a) => console.log(...a);
