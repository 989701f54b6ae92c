// Runs every consumer project against the packed tarball: each project is copied into a temporary
// directory, the tarball (and nothing else) is installed there offline, and the project makes real
// calls to toky-mock with a one-line import and no init call. Prints one line per consumer and
// exits non-zero if any fails.
//
//   node tests/consumers/run.mjs <toky-wasm-x.y.z.tgz> [consumer ...]
//
// Env: TOKY_MOCK_URL (required; the client's baseUrl is $TOKY_MOCK_URL/v1), KEEP=1 keeps the
// temporary directory, VERBOSE=1 prints each consumer's result.
// Tools come from the repository's node_modules (vite, deno, workerd, playwright-core); the
// browser is the system Chromium.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../lib/serve.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../..");
const bin = (name) => join(root, "node_modules/.bin", name);
const require = createRequire(join(root, "package.json"));

const tarball = process.argv[2] && resolve(process.argv[2]);
if (!tarball || !existsSync(tarball)) {
  console.error("usage: node tests/consumers/run.mjs <toky-wasm.tgz> [consumer ...]");
  process.exit(2);
}
const mockUrl = (process.env.TOKY_MOCK_URL || "").replace(/\/+$/, "");
if (!mockUrl) {
  console.error("TOKY_MOCK_URL is not set (start target/release/toky-mock --port 0 and export its URL)");
  process.exit(2);
}
const baseUrl = mockUrl + "/v1";
const work = mkdtempSync(join(tmpdir(), "toky-consumers-"));
const verbose = !!process.env.VERBOSE;

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];

// ---------------------------------------------------------------------------------------------
// helpers

/** Runs a command; resolves with its stdout, rejects with its output on a non-zero exit or, with
 * quiet, on anything written to stderr (a warning at import is a defect too). */
function run(cmd, args, { cwd, env, quiet = false, timeoutMs = 60_000 } = {}) {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const t = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", (e) => (clearTimeout(t), fail(e)));
    p.on("close", (code, signal) => {
      clearTimeout(t);
      if (code === 0 && !(quiet && err.trim())) ok(out);
      else fail(new Error(`${cmd.split(sep).pop()} ${args.join(" ")} exited ${code ?? signal}\n${out}${err}`.trim()));
    });
  });
}

/** Starts a server process, collecting its output in `log`; `stop()` ends it and waits. */
function launch(cmd, args, opts) {
  const p = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
  const s = { log: "", exited: false };
  p.stdout.on("data", (d) => (s.log += d));
  p.stderr.on("data", (d) => (s.log += d));
  p.on("exit", () => (s.exited = true));
  s.stop = async () => {
    if (s.exited) return;
    p.kill("SIGTERM");
    await new Promise((r) => (s.exited ? r() : p.once("exit", r)));
  };
  return s;
}

/** Copies tests/consumers/<name> into the work directory and installs the tarball there. */
async function prepare(name) {
  const dir = join(work, name);
  cpSync(join(here, name), dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|dist|vendor|package-lock\.json|deno\.lock)$/.test(src),
  });
  // --offline: the tarball has no dependencies, so nothing may come from a registry.
  await run("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", tarball], { cwd: dir });
  return dir;
}

/** The one JSON line a consumer prints (the last line of its stdout that parses). */
function lastJson(text) {
  for (const line of text.trim().split("\n").reverse()) {
    try {
      return JSON.parse(line);
    } catch {}
  }
  throw new Error("no JSON result in output:\n" + text);
}

/** Every consumer computes the same result; this checks it. */
function check(r) {
  const bad = [];
  if (!r || typeof r != "object") throw new Error("result is not an object: " + JSON.stringify(r));
  if (r.error) throw new Error("consumer reported: " + r.error);
  if (!(r.agents >= 1)) bad.push("agents.list() returned no agents");
  if (typeof r.firstAgent != "string" || !r.firstAgent.includes("@")) bad.push("first agent has no email");
  if (!Array.isArray(r.contacts) || r.contacts.length != 5 || !r.contacts.every((p) => /^\+\d{8,15}$/.test(p)))
    bad.push("contacts.iterate({ max: 5 }) did not yield 5 contacts with E.164 phones");
  if (r.errorKind != "validation") bad.push(`expected a TokyError of kind "validation", got ${r.errorKind}`);
  if (r.segments != 1) bad.push(`smsSegments("hi").segments = ${r.segments}`);
  // The key guard: only a web page's main thread refuses api.toky.co without allowBrowser.
  const page = /^(browser-nobundler|vite)$/.test(r.runtime);
  const guard = page ? "validation:baseUrl" : "allowed";
  if (r.guard != guard) bad.push(`new Toky({ apiKey }) with the default baseUrl: expected ${guard}, got ${r.guard}`);
  if (bad.length) throw new Error(bad.join("; ") + "\nresult: " + JSON.stringify(r));
  return r;
}

// Which build each runtime must load (scripts/build.sh): servers the speed-optimised wasm,
// pages, bundlers and the extension (inline) the size-optimised one.
const SERVER_WASM = "toky_wasm_server_bg.wasm", BROWSER_WASM = "toky_wasm_bg.wasm";
/** Node consumers: runs main.js with wasm-trace.cjs preloaded; checks the .wasm files it read. */
async function runNode(dir) {
  const trace = join(dir, "wasm-trace.log");
  const out = await run(process.execPath, ["--require", join(here, "wasm-trace.cjs"), "main.js", baseUrl], {
    cwd: dir, env: { TOKY_WASM_TRACE: trace }, quiet: true,
  });
  const read = existsSync(trace) ? readFileSync(trace, "utf8").trim().split("\n") : [];
  if (read.join() != SERVER_WASM) throw new Error(`expected the server build (${SERVER_WASM}) to be read once, read: ${read.join(", ") || "none"}`);
  return out;
}
/** The browser build's bytes as installed in dir (what a page must fetch). */
const browserWasm = (dir) => readFileSync(join(dir, "node_modules/toky-wasm", BROWSER_WASM));


function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens url in headless Chromium; returns the JSON in #result, failing on any console error. */
async function inChromium(url) {
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const problems = [], warnings = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() == "error") problems.push("console error: " + m.text());
      else if (m.type() == "warning") warnings.push(m.text());
    });
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(url);
    await page.waitForSelector('#result:not([data-state="loading"])', { timeout: 30_000 });
    const [state, text] = await page.$eval("#result", (e) => [e.dataset.state, e.textContent]);
    if (state != "ok") problems.push("page shows: " + text);
    // wasm-bindgen warns when it must fall back from instantiateStreaming (wrong MIME type):
    // that is a packaging or serving defect too.
    for (const w of warnings) if (/wasm|instantiate/i.test(w)) problems.push("console warning: " + w);
    if (problems.length) throw new Error(problems.join("\n"));
    return JSON.parse(text);
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// consumers

const consumers = {
  async "node-esm"() {
    const dir = await prepare("node-esm");
    return check(lastJson(await runNode(dir)));
  },

  async "node-cjs"() {
    const dir = await prepare("node-cjs");
    const r = check(lastJson(await runNode(dir)));
    if (!r.runtime.includes("node.cjs")) throw new Error("require() did not resolve to node.cjs: " + r.runtime);
    return r;
  },

  async deno() {
    const dir = await prepare("deno");
    const env = { DENO_DIR: join(work, ".deno"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" };
    // --cached-only: fail rather than download anything. `deno check` proves the bare import
    // finds the package's types ("types" under the "deno" condition).
    await run(bin("deno"), ["check", "--cached-only", "--quiet", "main.ts"], { cwd: dir, env });
    // Permissions: see deno/main.ts. Reading only the server build's file is allowed, so a Deno
    // entry that loaded another build would fail here.
    const out = await run(
      bin("deno"),
      ["run", "--cached-only", "--allow-net=127.0.0.1", `--allow-read=node_modules/toky-wasm/${SERVER_WASM}`, "main.ts", baseUrl],
      { cwd: dir, env, quiet: true },
    );
    return check(lastJson(out));
  },

  async vite() {
    const dir = await prepare("vite");
    const log = await run(bin("vite"), ["build", "--logLevel", "warn"], { cwd: dir, env: { NO_COLOR: "1" } });
    const assets = readdirSync(join(dir, "dist/assets"));
    const wasm = assets.find((f) => f.endsWith(".wasm"));
    if (!wasm) throw new Error("vite build emitted no .wasm asset: " + assets.join(", "));
    if (!readFileSync(join(dir, "dist/assets", wasm)).equals(browserWasm(dir)))
      throw new Error(`vite build emitted ${wasm}, which is not the browser build (${BROWSER_WASM})`);
    // The entry's init (fetch + compile the .wasm, hand it to the skin) must survive
    // tree-shaking: a bundle that no longer names the asset has dropped it.
    const js = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dir, "dist/assets", f), "utf8")).join("\n");
    if (!js.includes(wasm))
      throw new Error(
        `vite build dropped toky-wasm's browser.js (its init and setWasm call): no chunk references ${wasm}. ` +
          `Rollup skips a re-exporting module marked side-effect free, and pkg/package.json says "sideEffects": false.`,
      );
    if (log.trim()) console.log("  vite build said: " + log.trim().replace(/\n/g, "\n  "));
    const site = await serve(join(dir, "dist"));
    try {
      return check(await inChromium(`${site.url}/?api=${encodeURIComponent(baseUrl)}`));
    } finally {
      site.close();
    }
  },

  // The same app under the dev server (with vite.config.js's optimizeDeps.exclude).
  async "vite-dev"() {
    const dir = await prepare("vite");
    const port = await freePort();
    const s = launch(bin("vite"), ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
    });
    try {
      for (let i = 0; i < 100 && !s.exited && !s.log.includes("ready in"); i++) await sleep(100);
      if (s.exited || !s.log.includes("ready in")) throw new Error("vite dev server did not start:\n" + s.log);
      return check(await inChromium(`http://127.0.0.1:${port}/?api=${encodeURIComponent(baseUrl)}`));
    } finally {
      await s.stop();
    }
  },

  async "browser-nobundler"() {
    const dir = await prepare("browser-nobundler");
    const site = await serve(dir);
    try {
      const r = check(await inChromium(`${site.url}/?api=${encodeURIComponent(baseUrl)}`));
      const wasm = site.paths.filter((p) => p.endsWith(".wasm")).map((p) => p.split("/").pop());
      if (wasm.join() != BROWSER_WASM) throw new Error(`expected the page to fetch the browser build (${BROWSER_WASM}), fetched: ${wasm.join(", ") || "none"}`);
      return r;
    } finally {
      site.close();
    }
  },

  async workerd() {
    const dir = await prepare("workerd");
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const s = launch(bin("workerd"), ["serve", "config.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { cwd: dir });
      try {
        const url = `http://127.0.0.1:${port}/?base=${encodeURIComponent(baseUrl)}`;
        for (let i = 0; i < 150 && !s.exited; i++) {
          let res;
          try {
            res = await fetch(url);
          } catch {
            await sleep(100);
            continue;
          }
          const body = await res.text();
          if (!res.ok) throw new Error(`worker answered ${res.status}: ${body}\n${s.log}`);
          return check(JSON.parse(body));
        }
        if (s.exited && attempt < 3 && /address already in use/i.test(s.log)) continue;
        throw new Error("workerd did not serve" + (s.exited ? " (it exited)" : "") + ":\n" + s.log);
      } finally {
        await s.stop();
      }
    }
  },

  async "mv3-extension"() {
    const dir = await prepare("mv3-extension");
    // What an extension author does: ship the package's files inside the extension.
    cpSync(join(dir, "node_modules/toky-wasm"), join(dir, "vendor/toky-wasm"), { recursive: true });
    // toky-wasm/inline embeds the browser build.
    if (!readFileSync(join(dir, "vendor/toky-wasm/inline.js"), "utf8").includes(browserWasm(dir).toString("base64")))
      throw new Error(`inline.js does not embed the browser build (${BROWSER_WASM})`);
    rmSync(join(dir, "node_modules"), { recursive: true });
    const { chromium } = require("playwright-core");
    const context = await chromium.launchPersistentContext(join(work, ".mv3-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
    });
    try {
      const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 20_000 }));
      if (!sw.url().startsWith("chrome-extension://")) throw new Error("unexpected service worker " + sw.url());
      return check(await sw.evaluate((base) => self.tokySmoke(base), baseUrl));
    } finally {
      await context.close();
    }
  },
};

// ---------------------------------------------------------------------------------------------

const wanted = process.argv.slice(3);
for (const w of wanted) if (!consumers[w]) (console.error("unknown consumer " + w), process.exit(2));
const names = wanted.length ? wanted : Object.keys(consumers);
const TIMEOUT_MS = 120_000;
let failed = 0;
const t0 = performance.now();
for (const name of names) {
  const t = performance.now();
  let timer;
  try {
    const r = await Promise.race([
      consumers[name](),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`timed out after ${TIMEOUT_MS / 1000}s`)), TIMEOUT_MS))),
    ]);
    console.log(`ok    ${name.padEnd(18)} ${((performance.now() - t) / 1000).toFixed(1).padStart(5)}s`);
    if (verbose) console.log("      " + JSON.stringify(r));
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name.padEnd(18)} ${((performance.now() - t) / 1000).toFixed(1).padStart(5)}s`);
    console.log("      " + String(e?.stack ?? e).replace(/\n/g, "\n      "));
  } finally {
    clearTimeout(timer);
  }
}
console.log(`consumers: ${names.length - failed} ok, ${failed} failed (${((performance.now() - t0) / 1000).toFixed(1)}s)`);
if (process.env.KEEP) console.log("kept " + work);
else rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
