// Helpers shared by tests/reliability/*.test.mjs: bounded waits (so that a client defect makes a
// test fail fast instead of hanging), toky-mock instances and its control API, and tiny local
// servers (127.0.0.1, port 0) that record what reached them and answer what a test scripts.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import assert from "node:assert/strict";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const MOCK_BIN = process.env.TOKY_MOCK_BIN ?? ROOT + "target/release/toky-mock";
export const KEY = "demo-key";

/**
 * Waits for `promise` at most `ms`. Resolves `{ value }`, `{ error }` or `{ hung: true }`, with
 * `elapsed` in ms; the guard timer is cleared either way. Given a function, calls it and counts
 * `elapsed` from just before the call (its synchronous part included).
 */
export async function within(promise, ms) {
  const t0 = performance.now();
  if (typeof promise == "function") {
    try {
      promise = Promise.resolve(promise());
    } catch (e) {
      promise = Promise.reject(e);
    }
  }
  let timer;
  const guard = new Promise((res) => {
    timer = setTimeout(() => res({ hung: true }), ms);
  });
  try {
    const r = await Promise.race([promise.then((value) => ({ value }), (error) => ({ error })), guard]);
    r.elapsed = performance.now() - t0;
    return r;
  } finally {
    clearTimeout(timer);
  }
}

/** One line describing an outcome of `within`, for assertion messages. */
export function outcome(r) {
  if (r.hung) return `still pending after ${Math.round(r.elapsed)} ms`;
  if (r.error) return `rejected after ${Math.round(r.elapsed)} ms: ${r.error?.kind ?? "(no kind)"} ${inspect(r.error?.message ?? r.error)}`;
  return `resolved after ${Math.round(r.elapsed)} ms`;
}

/** Polls `check` (sync or async) until it returns a truthy value, at most `ms`. */
export async function until(check, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts a toky-mock of its own (port 0, seeded); `stop()` ends it. */
export async function startMock(args = []) {
  const child = spawn(MOCK_BIN, ["--port", "0", "--seed", "1", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const url = await within(
    new Promise((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`toky-mock exited with ${code} before listening`)));
    }),
    10_000,
  );
  if (!url.value) {
    child.kill("SIGKILL");
    throw url.error ?? new Error(`toky-mock (${MOCK_BIN}) did not start within 10 s`);
  }
  const stop = () =>
    new Promise((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once("exit", () => res());
      child.kill("SIGTERM");
    });
  return { url: url.value, stop, ...control(url.value) };
}

/** The control API of the toky-mock at `url`. */
export function control(url) {
  const json = async (path, init) => {
    const r = await fetch(url + path, init);
    if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  const send = (method, path, body) =>
    json(path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    reset: () => send("POST", "/__mock/reset"),
    fault: (f) => send("POST", "/__mock/faults", f),
    clearFaults: () => send("DELETE", "/__mock/faults"),
    faults: () => json("/__mock/faults"),
    journal: () => json("/__mock/journal"),
    clearJournal: () => send("DELETE", "/__mock/journal"),
    numbers: () => json("/__mock/numbers"),
    /** A /v1 call with the key, outside the client (set-up and checks). */
    api: (method, path, body) =>
      fetch(url + "/v1" + path, {
        method,
        headers: { "x-toky-key": KEY, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() })),
  };
}

/** The toky-mock of the suite (TOKY_MOCK_URL from tests/run.sh), or one started for this file. */
export async function suiteMock() {
  if (process.env.TOKY_MOCK_URL) return { url: process.env.TOKY_MOCK_URL, stop: async () => {}, ...control(process.env.TOKY_MOCK_URL) };
  return startMock();
}

/**
 * A local HTTP server that records every request (method, raw url, headers, body) and answers
 * with `handler(req, res, body, seen)` (default: 404 JSON). `close()` also destroys open
 * connections, so a test that left one hanging cannot keep the process alive.
 */
export async function recorder(handler) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (handler) handler(req, res, body, seen);
      else res.writeHead(404, { "content-type": "application/json" }).end('{"success":false,"error_message":"not here"}');
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return {
    seen,
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Every string form of an error a user could print or log. */
export function errorForms(e) {
  const forms = {
    message: String(e?.message),
    String: String(e),
    JSON: JSON.stringify(e),
    stack: String(e?.stack),
    inspect: inspect(e, { depth: Infinity, showHidden: true }),
    properties: JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(e ?? {}).map((k) => [k, String(e[k])]))),
  };
  return forms;
}

/** Runs every case, collecting failures, then fails once with the whole list (not just the first). */
export async function table(t, cases, run) {
  const failures = [];
  const tally = {};
  for (const c of cases) {
    try {
      const how = await run(c);
      tally[how] = (tally[how] ?? 0) + 1;
    } catch (e) {
      if (!(e instanceof assert.AssertionError)) throw e;
      failures.push(e.message);
      tally.failed = (tally.failed ?? 0) + 1;
    }
  }
  t.diagnostic(`${cases.length} cases: ${JSON.stringify(tally)}`);
  assert.ok(failures.length === 0, `${failures.length} of ${cases.length} cases failed:\n  ${failures.join("\n  ")}`);
  return tally;
}

