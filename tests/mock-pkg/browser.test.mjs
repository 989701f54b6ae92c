// The package in headless Chromium: pages with no bundler (browser/, and the package README's
// browser example; import maps into the installed node_modules of both tarballs) served by a
// static server on 127.0.0.1, port 0. Checks the pages' results, that they fetched toky-mock's
// wasm and toky-wasm's browser build, and that nothing went to the console as an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];
// The repository's tests/lib/serve.mjs (tests/suites/mock-pkg.sh says where: this file runs
// from a temporary consumer folder).
const { serve } = await import(pathToFileURL(process.env.TOKY_TEST_LIB + "/serve.mjs").href);

/**
 * Opens path on the site in headless Chromium and waits until `selector` is there; resolves
 * with what `read` (run in the page) returns, and the console errors, page errors and failed
 * requests seen (an uncaught error ends the wait at once).
 */
async function inChromium(site, path, selector, read) {
  const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? "playwright-core");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || (m.type() === "warning" && /wasm|instantiate/i.test(m.text()))) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("requestfailed", (q) => problems.push(`request failed: ${q.url()} ${q.failure()?.errorText}`));
    const crashed = new Promise((_, fail) => page.on("pageerror", (e) => fail(new Error("page error: " + e.message))));
    crashed.catch((e) => problems.push(e.message));
    await page.goto(site.url + path);
    await Promise.race([page.waitForSelector(selector, { timeout: 60_000 }), crashed]);
    return { result: await page.evaluate(read), problems };
  } finally {
    await browser.close();
  }
}

test("Chromium, no bundler: the page runs the client on new TokyMock (send, list, faults, hang + abort, journal, webhook into its handler, close)", { timeout: 90_000 }, async () => {
  const site = await serve(".");
  try {
    const { result, problems } = await inChromium(site, "/browser/index.html", '#result:not([data-state="loading"])', () => {
      const e = document.getElementById("result");
      return [e.dataset.state, e.textContent];
    });
    const [state, text] = result;
    assert.equal(state, "ok", text);
    assert.deepEqual(problems, []);
    const r = JSON.parse(text);
    assert.match(r.from, /^\+\d{8,15}$/);
    assert.deepEqual(r.sent, { success: true, id: "string" });
    assert.equal(r.contacts.length, 5);
    assert.ok(r.contacts.every((p) => /^\+\d{8,15}$/.test(p)), r.contacts.join());
    // The client's outcomes of the two drops: proven not sent; sent and found in the history.
    assert.deepEqual(r.dropBefore, { kind: "network", sent: false });
    assert.deepEqual(r.dropAfter, { success: true, reconciled: true });
    assert.equal(r.hang, "aborted");
    const sends = r.journal.filter(([m, p]) => m === "POST" && p === "/v1/sms/send");
    assert.deepEqual(sends, [
      ["POST", "/v1/sms/send", 200, null, true],
      ["POST", "/v1/sms/send", null, "drop_before", false],
      ["POST", "/v1/sms/send", null, "drop_after", true],
    ]);
    assert.deepEqual(r.journal.at(-1), ["GET", "/v1/agents", null, "hang", false]);
    assert.deepEqual(r.webhook, [{ event: "new_sms", text: "STOP", direction: "inbound" }]);
    assert.deepEqual(r.deliveries, [{ delivered: true, attempts: 1 }]);
    assert.match(r.afterClose, /closed/);
    // The page loaded both packages' browser entries and fetched their browser wasm builds.
    const wasm = site.paths.filter((p) => p.endsWith(".wasm")).sort();
    assert.deepEqual(wasm, ["/node_modules/toky-mock/toky_mock_bg.wasm", "/node_modules/toky-wasm/toky_wasm_bg.wasm"]);
    assert.ok(site.paths.includes("/node_modules/toky-mock/browser.js"), site.paths.join("\n"));
  } finally {
    site.close();
  }
});

test("Chromium: the package README's browser example runs as written", { timeout: 60_000 }, async () => {
  const readme = readFileSync(require.resolve("toky-mock/package.json").replace(/package\.json$/, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```html\n(<!-- example: browser page -->\n[\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 1, "the README has one `<!-- example: browser page -->` block");
  // Served from the project's folder, beside node_modules, as the README says.
  writeFileSync("readme-example.html", blocks[0]);
  const site = await serve(".");
  try {
    const { result, problems } = await inChromium(site, "/readme-example.html", "#out:not(:empty)", () => document.getElementById("out").textContent);
    assert.deepEqual(problems, []);
    assert.match(result, /^GET \/__mock\/numbers → 200\nPOST \/v1\/sms\/send → 200$/);
    assert.ok(site.paths.includes("/node_modules/toky-mock/toky_mock_bg.wasm"), site.paths.join(" "));
  } finally {
    site.close();
  }
});
