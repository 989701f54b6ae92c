// Shared by tests/cli/*.test.mjs: running the `toky` command (pkg/cli.mjs) in Node or Deno,
// toky-mock's control routes, and waiting on conditions. Every run checks that the API key it
// was given appears nowhere in what the command printed.
import { after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
export const CLI = join(root, "pkg/cli.mjs");
export const DENO = join(root, "node_modules/.bin/deno");
export const KEY = "demo-key";

const trim = (u) => (u || "").replace(/\/+$/, "");
/** The suite's toky-mock (seeded, key demo-key), reset before the suite. */
export const mock = trim(process.env.TOKY_MOCK_URL);
/** The second toky-mock started by tests/suites/cli.sh: 10,000 contacts, its own key. */
export const big = trim(process.env.TOKY_MOCK_10K_URL);
export const bigKey = process.env.TOKY_MOCK_10K_KEY || "";
if (!mock) throw new Error("TOKY_MOCK_URL is not set: run through tests/suites/cli.sh (or tests/run.sh)");
if (!existsSync(CLI)) throw new Error("pkg/cli.mjs is missing: run bash scripts/build.sh");

/** The package's own client, to compare the command's output with what the API lists. */
export const pkg = () => import(pathToFileURL(join(root, "pkg/node.js")).href);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (every 20 ms) until it returns something truthy; fails after `ms`. */
export async function until(what, check, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

export async function control(method, path, body, base = mock) {
  const r = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
export const simulate = (body, base) => control("POST", "/__mock/events", body, base);
export const fault = (f, base) => control("POST", "/__mock/faults", f, base);
export const clearFaults = (base) => control("DELETE", "/__mock/faults", undefined, base);
export const journal = (base = mock) => control("GET", "/__mock/journal", undefined, base);

/** Fails if `secret` appears in any of `texts`. */
export function assertNoKey(secret, ...texts) {
  if (!secret) return;
  for (const t of texts) assert.ok(!t.includes(secret), `the API key appears in the output:\n${t.slice(0, 2000)}`);
}

/**
 * Starts `toky ARGS...`: Node by default, Deno with runtime "deno". Environment: TOKY_API_KEY =
 * `key` (none if null), TOKY_BASE_URL = `base` + "/v1"; `check` (default: the key) must not be printed. Returns the child with `stdout`/`stderr`
 * accumulating as strings, `lines(n)` (resolves with the first n stdout lines) and `done`
 * (resolves with { code, signal, stdout, stderr } after the key check).
 */
export function start(args, { key = KEY, check = key, base = mock, env = {}, input, cwd, runtime = "node", command } = {}) {
  const e = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", ...env };
  delete e.TOKY_API_KEY;
  delete e.TOKY_BASE_URL;
  if (key != null) e.TOKY_API_KEY = key;
  if (base != null) e.TOKY_BASE_URL = base + "/v1";
  Object.assign(e, env);
  const [cmd, pre] =
    command ?? (runtime == "deno" ? [DENO, ["run", "-A", "--quiet", CLI]] : [process.execPath, [CLI]]);
  const child = spawn(cmd, [...pre, ...args], { cwd: cwd ?? root, env: e, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.out = "";
  child.err = "";
  const waiters = new Set();
  const notify = () => waiters.forEach((w) => w());
  child.stdout.on("data", (d) => ((child.out += d), notify()));
  child.stderr.on("data", (d) => ((child.err += d), notify()));
  if (input !== undefined) child.stdin.end(input);
  running.add(child);
  const exited = new Promise((ok) => child.on("close", (code, signal) => (running.delete(child), ok({ code, signal }))));
  /** Resolves when predicate(child) holds (checked on each output chunk and on exit). */
  child.waitFor = (what, predicate, ms = 15_000) =>
    new Promise((ok, fail) => {
      let closed = false;
      const check = () => {
        if (predicate(child)) return finish(ok, child);
        if (closed) finish(fail, new Error(`exited before ${what}\nstdout: ${child.out}\nstderr: ${child.err}`));
      };
      const t = setTimeout(() => finish(fail, new Error(`timed out waiting for ${what}\nstdout: ${child.out}\nstderr: ${child.err}`)), ms);
      const finish = (f, v) => (clearTimeout(t), waiters.delete(check), f(v));
      exited.then(() => ((closed = true), check()));
      waiters.add(check);
      check();
    });
  child.lines = (n, ms) =>
    child.waitFor(`${n} lines of output`, (c) => c.out.split("\n").length > n, ms).then((c) => c.out.split("\n").slice(0, n));
  child.done = exited.then(({ code, signal }) => {
    assertNoKey(check, child.out, child.err);
    return { code, signal, stdout: child.out, stderr: child.err };
  });
  return child;
}

/** Runs `toky ARGS...` to the end: { code, stdout, stderr }. */
export const toky = (args, opts) => start(args, opts).done;

/** Runs it and expects exit 0; returns stdout parsed as JSON when `json`. */
export async function ok(args, opts = {}) {
  const r = await toky(args, opts);
  assert.equal(r.code, 0, `toky ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}
export const okJson = async (args, opts) => JSON.parse((await ok(args, opts)).stdout);
export const okLines = async (args, opts) => (await ok(args, opts)).stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));

// A failed test must not leave a command running (it would keep the test file alive).
const running = new Set();
after(() => {
  for (const c of running) c.kill("SIGKILL");
});

/** Every command, as `toky --help` lists them. */
export const COMMANDS = [
  "agents list",
  "contacts list", "contacts get", "contacts create", "contacts update", "contacts export",
  "sms send", "sms list",
  "voicemails list", "voicemails get",
  "calls list", "calls recording",
  "webhooks list", "webhooks create", "webhooks delete",
  "watch sms", "watch calls", "watch voicemails",
  "request", "segments",
];
