// The demo page with no server behind it: `scripts/demo-static.sh` (what `make demo-static`
// runs) builds the static site into a temporary directory, a tiny static file server serves it
// on 127.0.0.1 (port 0), and headless Chromium goes through every panel on the in-browser
// toky-mock. No native toky-mock is involved: every request the page makes goes to the static
// server, and none of them is an API call. Fails on any console error or uncaught exception.
// Then the same page under a native toky-mock started with --mock-pkg (what `make demo` runs),
// switched to ?backend=in-browser.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../lib/serve.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

let browser, page, site, work;
let problems = [];
let allowed = []; // console errors a step provokes on purpose (RegExp of their text)
const requests = []; // every URL the page asked the network for

async function tab(name) {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

async function noBanner(section) {
  const b = page.locator(`[data-banners="${section}"] .banner`);
  if (await b.count()) assert.fail(`unexpected banner in ${section}: ${await b.first().innerText()}`);
}

function watch(p) {
  p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error" && !allowed.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()} ${m.location().url || ""}`);
  });
  p.on("request", (r) => requests.push(r.url()));
}

describe("demo page as a static site, on the in-browser toky-mock (no server)", { timeout: 90_000 }, () => {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "toky-demo-static-"));
    const built = spawnSync("bash", [join(ROOT, "scripts/demo-static.sh"), join(work, "site")], { encoding: "utf8" });
    assert.equal(built.status, 0, built.stdout + built.stderr);
    site = await serve(join(work, "site"));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light", locale: "en-US", timezoneId: "UTC" });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watch(page);
    // No ?backend: the static build's page starts on the in-browser fake by itself.
    await page.goto(`${site.url}/`);
  });

  afterEach(() => {
    const found = problems;
    problems = [];
    allowed = [];
    assert.deepEqual(found, [], "no console errors or uncaught exceptions");
  });

  after(async () => {
    await browser?.close();
    site?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("says plainly that it is a fake, connects to it and lists the agents", async () => {
    const banner = page.locator("#fake-banner");
    // The page shows the banner once toky-mock's package has loaded: wait for that, not a time.
    await banner.waitFor({ state: "visible" });
    assert.ok(await banner.isVisible(), "the in-browser banner is shown");
    assert.match(await banner.innerText(), /In-browser fake: no server, no Toky account/);
    assert.ok(await page.isChecked('input[name="backend"][value="in-browser"]'), "the switch shows the in-browser backend");
    await page.waitForSelector("#conn-status.ok");
    assert.match(await page.textContent("#conn-status"), /Connected · in-browser fake/);
    assert.equal(await page.inputValue("#base-url"), "http://toky-mock.localhost/v1");
    await page.waitForSelector("#agents-table tbody tr:not(:has(td.state))");
    assert.equal(await page.locator("#agents-table tbody tr").count(), 7);
    assert.match(await page.textContent("#agents-table tbody"), /Carlos Mendoza/);
    // Both packages' browser builds came from the static server, beside the page.
    assert.ok(site.paths.includes("/pkg/toky_wasm_bg.wasm"), site.paths.join(" "));
    assert.ok(site.paths.includes("/mock-pkg/toky_mock_bg.wasm"), site.paths.join(" "));
    await noBanner("agents");
  });

  it("pages through contacts", async () => {
    await tab("contacts");
    await page.waitForSelector("#contacts-table tbody tr[data-phone]");
    assert.equal(await page.locator("#contacts-table tbody tr[data-phone]").count(), 25);
    const first = await page.getAttribute("#contacts-table tbody tr[data-phone]", "data-phone");
    await page.click("[data-pager=contacts] [data-next]");
    await page.waitForFunction(() => document.querySelector("[data-pager=contacts] .pager-info").textContent === "Contacts 26–50");
    assert.notEqual(await page.getAttribute("#contacts-table tbody tr[data-phone]", "data-phone"), first);
    await noBanner("contacts");
  });

  it("sends an SMS from one of the fake's numbers and finds it in the history", async () => {
    await tab("sms");
    await page.waitForSelector("#sms-table tbody tr[data-id]");
    // The from-number picker is filled from the fake's /__mock/numbers.
    assert.match(await page.inputValue("#sms-from"), /^\+\d{8,15}$/);
    await page.fill("#sms-to", "+15550001234");
    await page.fill("#sms-text", "sent to the in-browser fake");
    await page.click("#sms-send");
    await page.waitForFunction(() => /Sent/.test(document.querySelector("#sms-result").textContent));
    await page.waitForFunction(() => /in-browser fake/.test(document.querySelector("#sms-table tbody tr").textContent));
    await noBanner("sms");
  });

  it("plays a voicemail, its audio fetched from the fake as a blob: URL", async () => {
    await tab("voicemails");
    await page.waitForSelector("#vm-table tbody tr[data-id]");
    const row = page.locator("#vm-table tbody tr[data-id]").first();
    await row.getByRole("button").click();
    const audio = row.locator("audio[controls]");
    await audio.waitFor();
    assert.match(await audio.getAttribute("src"), /^blob:/);
    await page.waitForFunction(() => document.querySelector("#vm-table audio").readyState >= 1);
    assert.ok(await page.evaluate(() => document.querySelector("#vm-table audio").duration > 1));
    await noBanner("voicemails");
  });

  it("shows call records and loads a recording or says there is none", async () => {
    await tab("calls");
    await page.waitForSelector("#calls-table tbody tr[data-callid]");
    assert.match(await page.textContent("#calls-table tbody"), /Completed/);
    const row = page.locator("#calls-table tbody tr[data-callid]", { hasText: "Completed" }).first();
    await row.getByRole("button").click();
    await page.waitForFunction((id) => {
      const tr = document.querySelector(`#calls-table tr[data-callid="${id}"]`);
      return tr.querySelector("audio[src^='blob:']") || /No recording/.test(tr.textContent);
    }, await row.getAttribute("data-callid"));
    await noBanner("calls");
  });

  it("creates a webhook, and a simulated text is delivered into the page (parseWebhookEvent) and shown live", async () => {
    await tab("webhooks");
    await page.waitForSelector("#hooks-table tbody td");
    await page.selectOption("#hook-event", "new_sms");
    await page.fill("#hook-url", "https://example.com/toky/sms");
    await page.click("#hook-create");
    await page.locator("#hooks-table tbody tr[data-id]", { hasText: "https://example.com/toky/sms" }).waitFor();
    await noBanner("webhooks");

    await tab("events");
    assert.ok(await page.isVisible("#inbox"), "the in-page webhook inbox is shown");
    await page.waitForFunction(() => [...document.querySelectorAll("#events-sources li")].every((li) => li.dataset.state === "live"));
    await page.click('[data-simulate="new_sms"]');
    const delivered = page.locator('#inbox-list li[data-event="new_sms"]');
    await delivered.waitFor();
    assert.match(await delivered.innerText(), /https:\/\/example\.com\/toky\/sms/);
    // The watcher picks up the same text on its next poll of the fake.
    await page.waitForSelector('#events-feed li[data-type="sms"]', { timeout: 15_000 });
    await noBanner("events");
  });

  it("makes a raw API call through the fake", async () => {
    await tab("api");
    await page.click("[data-preset=agents]");
    await page.click("#api-send");
    await page.waitForSelector("#api-result:not([hidden])");
    assert.equal(await page.textContent("#api-status"), "200");
    assert.match(await page.textContent("#api-resp-headers"), /x-request-id/i);
    await noBanner("api");
  });

  it("made no API request to any server: everything went through the fake", () => {
    const origin = new URL(site.url).origin;
    const elsewhere = requests.filter((u) => !u.startsWith(origin + "/") && !u.startsWith("blob:") && !u.startsWith("data:"));
    assert.deepEqual(elsewhere, []);
    const api = site.paths.filter((p) => p.startsWith("/v1") || p.startsWith("/__mock"));
    assert.deepEqual(api, []);
  });

  it("the switch is remembered in the URL: server, then back to in-browser", async () => {
    // On a static site the server backend has no API: the page says so (404s expected).
    allowed.push(/status of 404/);
    await Promise.all([page.waitForURL(/[?&]backend=server\b/), page.check('input[name="backend"][value="server"]')]);
    await page.waitForSelector("#conn-status.bad");
    assert.ok(await page.isHidden("#fake-banner"));
    assert.equal(await page.inputValue("#base-url"), `${site.url}/v1`);
    await Promise.all([page.waitForURL(/[?&]backend=in-browser\b/), page.check('input[name="backend"][value="in-browser"]')]);
    await page.waitForSelector("#conn-status.ok");
    assert.ok(await page.isVisible("#fake-banner"));
  });

  it("says why, readably, when toky-mock's package cannot be loaded", async () => {
    allowed.push(/status of 404/);
    await page.route("**/mock-pkg/**", (route) => route.fulfill({ status: 404, body: "not found" }));
    try {
      await page.goto(`${site.url}/?backend=in-browser`);
      const banner = page.locator('[data-banners="connect"] .banner');
      await banner.waitFor();
      assert.match(await banner.innerText(), /The in-browser toky-mock did not load[\s\S]*mock-pkg\/browser\.js[\s\S]*--mock-pkg mock\/pkg/);
      assert.match(await page.textContent("#conn-status"), /Not connected/);
    } finally {
      await page.unroute("**/mock-pkg/**");
    }
  });
});

describe("demo page under a native toky-mock with --mock-pkg (make demo), switched to the in-browser backend", { timeout: 60_000 }, () => {
  let mock, url;
  before(async () => {
    const bin = join(ROOT, "target/release/toky-mock");
    mock = spawn(bin, ["--port", "0", "--www", "www", "--pkg", "pkg", "--mock-pkg", "mock/pkg"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    url = await new Promise((ok, fail) => {
      mock.stdout.on("data", (d) => {
        log += d;
        const m = /listening on (http:\/\/[\d.:]+)/.exec(log);
        if (m) ok(m[1]);
      });
      mock.stderr.on("data", (d) => (log += d));
      mock.on("exit", (code) => fail(new Error(`toky-mock exited ${code}: ${log}`)));
    });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    requests.length = 0;
    watch(page);
  });

  afterEach(() => {
    const found = problems;
    problems = [];
    assert.deepEqual(found, [], "no console errors or uncaught exceptions");
  });

  after(async () => {
    await browser?.close();
    mock?.kill("SIGTERM");
  });

  it("loads toky-mock's package from /mock-pkg/ and runs on it, not on the server's API", async () => {
    const apiBefore = (await (await fetch(`${url}/__mock/journal`)).json()).length;
    await page.goto(`${url}/?backend=in-browser#agents`);
    await page.waitForSelector("#conn-status.ok");
    assert.ok(await page.isVisible("#fake-banner"));
    await page.waitForSelector("#agents-table tbody tr:not(:has(td.state))");
    assert.equal(await page.locator("#agents-table tbody tr").count(), 7);
    assert.ok(requests.some((u) => u === `${url}/mock-pkg/toky_mock_bg.wasm`), requests.join("\n"));
    assert.deepEqual(requests.filter((u) => /\/(v1|__mock)\//.test(u)), []);
    const journal = (await (await fetch(`${url}/__mock/journal`)).json()).filter((e) => /^\/(v1|__mock)\//.test(e.path) && e.path !== "/__mock/journal");
    assert.equal(journal.length, 0, `the server's API was not called: ${JSON.stringify(journal)} (before: ${apiBefore})`);
  });
});
