// The demo page (www/) in headless Chromium, against the toky-mock that tests/run.sh starts
// with `--www www --pkg pkg` (its URL in TOKY_MOCK_URL). It goes through every section the way
// a person would, fails on any console error or uncaught exception, and saves a screenshot per
// section in tests/screenshots/. UPDATE_SCREENSHOT=1 also refreshes www/screenshot.png (the
// README's picture: 1280×800, the live Events feed).
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = join(ROOT, "tests", "screenshots");
const MOCK = (process.env.TOKY_MOCK_URL || "").replace(/\/+$/, "");
const KEY = "demo-key";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SECTIONS = ["agents", "contacts", "sms", "voicemails", "calls", "events", "webhooks", "api"];

/** A contact phone no seeded contact can have (seeded subscriber numbers are ≥ 2,000,000). */
const NEW_PHONE = "+15550001234";

const api = async (path, init = {}) => {
  const res = await fetch(MOCK + path, { ...init, headers: { "X-Toky-Key": KEY, "content-type": "application/json", ...init.headers } });
  const body = await res.text();
  return { status: res.status, body: body ? JSON.parse(body) : null };
};

let browser, context, page;
let problems = []; // console errors and page errors not expected by the current step
let allowed = []; // [RegExp of a URL, HTTP status]: 4xx answers the current step provokes on purpose
let downloads = 0;

/** Chromium logs every 4xx fetch as a console error; a step that provokes one says so. */
const expectHttpError = (url, status) => allowed.push([url, status]);

async function tab(name) {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

async function shot(name, size = "desktop") {
  await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`) });
}

/** toky-mock's control API: creates an event (a record, and a webhook delivery). */
async function simulate(event, fields = {}) {
  const res = await fetch(`${MOCK}/__mock/events`, { method: "POST", body: JSON.stringify({ event, ...fields }) });
  assert.equal(res.status, 201, `POST /__mock/events ${event}`);
  return res.json();
}

/** The events feed, top to bottom (newest first), as "type:id". */
const feedKeys = () => page.$$eval("#events-feed li[data-key]", (rows) => rows.map((r) => r.dataset.key));

async function waitForKeys(keys, timeout = 15_000) {
  await page.waitForFunction((want) => want.every((k) => document.querySelector(`#events-feed li[data-key="${k}"]`)), keys, { timeout });
}

/** All three watchers know where they start: from now on, nothing that arrives is missed. */
async function watchersLive() {
  await page.waitForFunction(() => [...document.querySelectorAll("#events-sources li")].every((li) => li.dataset.state === "live"));
}

/**
 * The state a feed test starts from: the feed has caught up with every record that exists now,
 * e.g. the SMS an earlier test sent, which the watchers may not have polled yet. One new record
 * of each kind is simulated and waited for: the watchers yield oldest first, so once these show,
 * everything created before them is shown too.
 */
async function feedCaughtUp() {
  const sms = await simulate("new_sms", { text: "caught up" });
  const call = await simulate("new_call");
  const vm = await simulate("new_voicemail");
  await waitForKeys([`sms:${sms.record.id}`, `calls:${call.record.id}`, `voicemails:${vm.record.id}`, `calls:${vm.cdr.id}`]);
}

async function noBanner(section) {
  const n = await page.locator(`[data-banners="${section}"] .banner`).count();
  if (n) assert.fail(`unexpected banner in ${section}: ${await page.locator(`[data-banners="${section}"] .banner`).first().innerText()}`);
}

describe("demo page (www/) in headless Chromium", { timeout: 60_000 }, () => {
  before(async () => {
    assert.ok(MOCK, "TOKY_MOCK_URL must point at a toky-mock started with --www www --pkg pkg");
    mkdirSync(SHOTS, { recursive: true });
    const reset = await fetch(`${MOCK}/__mock/reset`, { method: "POST" });
    assert.equal(reset.status, 200, "POST /__mock/reset");
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    });
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, colorScheme: "light", locale: "en-US", timezoneId: "UTC" });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const url = m.location().url || "";
      const status = Number((/status of (\d+)/.exec(m.text()) || [])[1]);
      if (allowed.some(([re, s]) => re.test(url) && s === status)) return;
      problems.push(`console error: ${m.text()} ${url}`);
    });
    page.on("download", () => downloads++);
    await page.goto(`${MOCK}/`);
  });

  afterEach(() => {
    const found = problems;
    problems = [];
    allowed = [];
    assert.deepEqual(found, [], "no console errors or uncaught exceptions");
  });

  after(async () => {
    await browser?.close();
  });

  it("connects with the defaults and lists the agents", async () => {
    assert.equal(await page.inputValue("#base-url"), `${MOCK}/v1`);
    assert.equal(await page.inputValue("#api-key"), KEY);
    await page.waitForSelector("#conn-status.ok");
    assert.match(await page.textContent("#conn-status"), /Connected/);
    await page.waitForSelector("#agents-table tbody tr:not(:has(td.state))");
    assert.equal(await page.locator("#agents-table tbody tr").count(), 7);
    assert.match(await page.textContent("#agents-table tbody"), /Carlos Mendoza/);
    assert.match(await page.textContent(".note"), /--upstream https:\/\/api\.toky\.co\/v1/);
    // the wasm package came from /pkg/, no other origin was asked for anything
    const origins = await page.evaluate(() => [...new Set(performance.getEntriesByType("resource").map((e) => new URL(e.name).origin))]);
    assert.deepEqual(origins, [new URL(MOCK).origin]);
    await noBanner("agents");
    await shot("agents");
  });

  it("tabs are buttons with aria-selected and arrow keys move between them", async () => {
    await page.focus("#tab-agents");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.getAttribute("#tab-contacts", "aria-selected"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-contacts");
    assert.equal(await page.getAttribute("#tab-agents", "aria-selected"), "false");
    assert.ok(await page.isVisible("#panel-contacts"));
  });

  it("pages through contacts and searches", async () => {
    await tab("contacts");
    const rows = page.locator("#contacts-table tbody tr[data-phone]");
    await page.waitForSelector("#contacts-table tbody tr[data-phone]");
    assert.equal(await rows.count(), 25);
    assert.equal(await page.textContent("[data-pager=contacts] .pager-info"), "Contacts 1–25");
    assert.ok(await page.isDisabled("[data-pager=contacts] [data-prev]"));
    const first = await rows.first().getAttribute("data-phone");
    await page.click("[data-pager=contacts] [data-next]");
    await page.waitForFunction(() => document.querySelector("[data-pager=contacts] .pager-info").textContent === "Contacts 26–50");
    assert.notEqual(await rows.first().getAttribute("data-phone"), first);
    const page2 = await api("/v1/contacts?limit=25&offset=25");
    assert.equal(await rows.first().getAttribute("data-phone"), page2.body.results[0].phone);
    await page.click("[data-pager=contacts] [data-prev]");
    await page.waitForFunction(() => document.querySelector("[data-pager=contacts] .pager-info").textContent === "Contacts 1–25");
    assert.equal(await rows.first().getAttribute("data-phone"), first);

    // a full number is looked up with contacts.get
    const target = page2.body.results[3];
    await page.fill("#contacts-search", target.phone);
    await page.press("#contacts-search", "Enter");
    await page.waitForFunction((p) => document.querySelectorAll("#contacts-table tbody tr").length === 1 && document.querySelector("#contacts-table tbody tr").dataset.phone === p, target.phone);
    // other text filters the page shown
    await page.fill("#contacts-search", "");
    await page.waitForFunction(() => document.querySelectorAll("#contacts-table tbody tr[data-phone]").length === 25);
    const third = rows.nth(2);
    const [name, phone] = [(await third.locator("td").first().innerText()).split(" ")[0], await third.getAttribute("data-phone")];
    await page.fill("#contacts-search", name.toLowerCase());
    const n = await rows.count();
    assert.ok(n >= 1 && n < 25, `filtering by “${name}” keeps some rows (${n})`);
    assert.equal(await page.locator(`#contacts-table tr[data-phone="${phone}"]`).count(), 1);
    assert.match(await page.textContent("[data-pager=contacts] .pager-info"), /match/);
    await page.fill("#contacts-search", "");
    await noBanner("contacts");
    await shot("contacts");
  });

  it("exports every contact to CSV with a progress bar", async () => {
    let total = 0;
    for (let off = 0; ; off += 500) {
      const r = await api(`/v1/contacts?limit=500&offset=${off}`);
      total += r.body.results.length;
      if (!r.body.next) break;
    }
    assert.ok(total >= 300, `the seeded mock has 300 contacts (got ${total})`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#contacts-export")]);
    assert.ok(await page.isVisible("#export-progress"));
    await page.waitForSelector("#export-box.done");
    assert.equal(await page.textContent("#export-title"), `Exported ${total} contacts`);
    assert.equal(await page.evaluate(() => document.querySelector("#export-progress").value), total);
    // pages() counted the pages as they came: 500 rows a page.
    const pages = Math.ceil(total / 500);
    assert.match(await page.textContent("#export-detail"), new RegExp(`^${pages} pages? · toky-contacts-`));
    assert.match(download.suggestedFilename(), /^toky-contacts-\d{4}-\d\d-\d\d\.csv$/);
    const csv = readFileSync(await download.path(), "utf8").replace(/^\ufeff/, "");
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0], "phone,contact_name,first_name,last_name,email,company,city,country_code,created_by,created_at");
    assert.equal(lines.length, total + 1, "header + one line per contact");
    const phones = new Set(lines.slice(1).map((l) => l.split(",")[0]));
    assert.equal(phones.size, total, "every contact once");
    await noBanner("contacts");
    await shot("contacts-export");
    await page.click("#export-cancel"); // "Dismiss"
    assert.ok(await page.isHidden("#export-box"));
  });

  it("cancels an export through its AbortSignal", async () => {
    // slow the next contacts page down so that Cancel lands while the request is in flight
    const fault = await fetch(`${MOCK}/__mock/faults`, { method: "POST", body: JSON.stringify({ route: "/contacts", method: "GET", delay_ms: 4000, count: 1 }) });
    assert.equal(fault.status, 201);
    const before = downloads;
    await page.click("#contacts-export");
    await page.waitForSelector("#export-box:not([hidden])");
    assert.equal(await page.textContent("#export-title"), "Exporting contacts…");
    const clicked = Date.now();
    await page.click("#export-cancel");
    await page.waitForSelector("#export-box.cancelled");
    assert.ok(Date.now() - clicked < 2000, "the request in flight was aborted, not waited for");
    assert.equal(await page.textContent("#export-title"), "Export cancelled");
    await noBanner("contacts");
    await page.waitForTimeout(300);
    assert.equal(downloads, before, "nothing downloaded");
    await shot("contacts-export-cancelled");
    await fetch(`${MOCK}/__mock/faults`, { method: "DELETE" });
    await page.click("#export-cancel");
  });

  it("creates a contact, showing the validation error next to the phone field", async () => {
    await page.click("#contacts-new");
    await page.waitForSelector("#contact-dialog[open]");
    await page.fill("#cf-phone", "555-0100");
    await page.fill("#cf-first_name", "Ada");
    await page.click("#cf-submit");
    await page.waitForSelector("#cf-phone-error:not([hidden])");
    assert.match(await page.textContent("#cf-phone-error"), /E\.164/);
    assert.equal(await page.getAttribute("#cf-phone", "aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "cf-phone");
    await shot("contacts-invalid-phone");

    await page.fill("#cf-phone", NEW_PHONE);
    await page.fill("#cf-email", "ada@");
    await page.click("#cf-submit");
    await page.waitForSelector("#cf-email-error:not([hidden])");
    assert.ok(await page.isHidden("#cf-phone-error"));
    assert.match(await page.textContent("#cf-email-error"), /email/i);

    await page.fill("#cf-email", "ada@example.com");
    await page.fill("#cf-last_name", "Lovelace");
    await page.fill("#cf-company", "Analytical Engines");
    await page.click("#cf-submit");
    await page.waitForSelector("#contact-dialog", { state: "hidden" });
    const row = page.locator(`#contacts-table tbody tr[data-phone="${NEW_PHONE}"]`);
    assert.match(await row.innerText(), /Ada Lovelace/);
    const stored = await api(`/v1/contacts/${encodeURIComponent(NEW_PHONE)}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.email, "ada@example.com");

    // edit: only the changed field is sent
    await row.getByRole("button", { name: /Edit/ }).click();
    await page.waitForSelector("#contact-dialog[open]");
    assert.equal(await page.inputValue("#cf-phone"), NEW_PHONE);
    assert.ok(await page.getAttribute("#cf-phone", "readonly") !== null);
    await page.fill("#cf-city", "London");
    await page.click("#cf-submit");
    await page.waitForSelector("#contact-dialog", { state: "hidden" });
    assert.match(await row.innerText(), /London/);
    assert.equal((await api(`/v1/contacts/${encodeURIComponent(NEW_PHONE)}`)).body.city, "London");
    await noBanner("contacts");
  });

  it("sends an SMS and finds it in the history; filters the history by date", async () => {
    await tab("sms");
    await page.waitForSelector("#sms-table tbody tr[data-id]");
    // the from-number picker is filled from GET /__mock/numbers
    const numbers = (await (await fetch(`${MOCK}/__mock/numbers`)).json()).sms_numbers;
    const options = await page.$$eval("#sms-from-list option", (o) => o.map((x) => x.value));
    for (const n of numbers) assert.ok(options.includes(n), `${n} offered`);
    assert.equal(await page.inputValue("#sms-from"), numbers[0]);

    // the live counter
    await page.fill("#sms-text", "x".repeat(161));
    assert.match(await page.textContent("#sms-counter"), /GSM-7 · 161 characters · 2 segments/);
    await page.fill("#sms-text", "Olá — your order ships today ✓");
    assert.match(await page.textContent("#sms-counter"), /UCS-2 · 30 characters · 1 segment · 40 left of 70/);

    // a bad number is reported next to its field
    await page.fill("#sms-to", "12345");
    await page.click("#sms-send");
    await page.waitForSelector("#sms-to-error:not([hidden])");
    assert.match(await page.textContent("#sms-to-error"), /E\.164/);

    await page.fill("#sms-to", NEW_PHONE);
    await page.click("#sms-send");
    await page.waitForFunction(() => /Sent/.test(document.querySelector("#sms-result").textContent));
    const first = page.locator("#sms-table tbody tr").first();
    await page.waitForFunction(() => /ships today/.test(document.querySelector("#sms-table tbody tr").textContent));
    assert.match(await first.innerText(), /Outbound/);
    assert.match(await first.innerText(), new RegExp(NEW_PHONE.replace("+", "\\+")));
    assert.equal(await page.inputValue("#sms-text"), "");
    await noBanner("sms");
    await shot("sms");

    // since/until
    await page.fill("#sms-since", "2026-10-01");
    await page.fill("#sms-until", "2026-10-31");
    await page.click("#sms-apply");
    await page.waitForFunction(() => !/ships today/.test(document.querySelector("#sms-table tbody").textContent) && !document.querySelector("#sms-wrap[aria-busy]"));
    const stamps = await page.$$eval("#sms-table tbody time", (t) => t.map((x) => x.getAttribute("datetime")));
    assert.ok(stamps.length > 0);
    for (const s of stamps) assert.ok(s >= "2026-10-01" && s < "2026-11-01", `${s} in October 2026`);
    await page.click("#sms-clear");
    await page.waitForFunction(() => /ships today/.test(document.querySelector("#sms-table tbody").textContent));
    await noBanner("sms");
  });

  it("plays a voicemail with an <audio> player loaded on demand", async () => {
    await tab("voicemails");
    await page.waitForSelector("#vm-table tbody tr[data-id]");
    assert.equal(await page.locator("#vm-table audio").count(), 0, "nothing fetched before asked");
    const row = page.locator("#vm-table tbody tr[data-id]").first();
    await row.getByRole("button").click();
    const audio = row.locator("audio[controls]");
    await audio.waitFor();
    assert.match(await audio.getAttribute("src"), /\/__mock\/audio\/.+\.wav$/);
    await page.waitForFunction(() => document.querySelector("#vm-table audio").readyState >= 1); // the WAV's header was read
    assert.ok(await page.evaluate(() => document.querySelector("#vm-table audio").duration > 1));
    await noBanner("voicemails");
    await shot("voicemails");
  });

  it("shows call records with readable dispositions and recordings", async () => {
    await tab("calls");
    await page.waitForSelector("#calls-table tbody tr[data-callid]");
    const text = await page.textContent("#calls-table tbody");
    assert.match(text, /Completed/);
    assert.doesNotMatch(text, /\bOther\b/);
    const cdrs = (await api("/v1/cdrs?limit=15")).body.results;
    const answered = cdrs.find((c) => c.disposition_code === "200" && Number(c.duration) > 0);
    const missed = cdrs.find((c) => c.disposition_code !== "200");
    assert.ok(answered && missed, "the first page has answered and missed calls");

    expectHttpError(/\/v1\/recordings\//, 404);
    const missedRow = page.locator(`#calls-table tr[data-callid="${missed.callid}"]`);
    await missedRow.getByRole("button").click();
    await missedRow.getByText("No recording").waitFor();

    const rec = await api(`/v1/recordings/${answered.callid}`);
    const answeredRow = page.locator(`#calls-table tr[data-callid="${answered.callid}"]`);
    await answeredRow.getByRole("button").click();
    if (rec.status === 200) await answeredRow.locator("audio[controls]").waitFor();
    else await answeredRow.getByText("No recording").waitFor();
    assert.match(await answeredRow.innerText(), /Completed/);
    await noBanner("calls");
    await shot("calls");
  });

it("shows new texts, calls and voicemails live, each once and in order, and resumes after a stop without gaps or repeats", async () => {
    await tab("events");
    assert.ok(await page.isChecked("#events-live"), "the feed runs by default");
    await watchersLive();
    const pageSize = Number(await page.getAttribute("#events-feed", "data-page-size"));
    const interval = Number(await page.getAttribute("#events-feed", "data-interval-ms"));
    assert.ok(pageSize < 30, `the watchers page by ${pageSize}: a burst of 30 spans pages`);
    assert.ok(interval >= 1000 && interval <= 2000, `a demo-friendly interval (${interval} ms)`);
    await feedCaughtUp();
    const before = await feedKeys();

    // A burst bigger than one page, then single events of each kind in between.
    const burst = await simulate("new_sms", { count: 30 });
    const call = await simulate("new_call", { duration: "125" });
    const vm = await simulate("new_voicemail", { transcription: "Please call me back about order 1042" });
    const singles = [];
    for (const text of ["single one", "<img src=x onerror=alert(1)> is text", "single three"]) singles.push(await simulate("new_sms", { text }));
    const expected = {
      sms: [...burst, ...singles].map((e) => e.record.id),
      calls: [call.record.id, vm.cdr.id],
      voicemails: [vm.record.id],
    };
    const all = Object.entries(expected).flatMap(([type, ids]) => ids.map((id) => `${type}:${id}`));
    await waitForKeys(all);

    const after = await feedKeys();
    assert.equal(new Set(after).size, after.length, "no row twice");
    assert.deepEqual(after.filter((k) => !before.includes(k)).sort(), [...all].sort(), "exactly the simulated events were added");
    for (const [type, ids] of Object.entries(expected)) {
      const shown = after.filter((k) => k.startsWith(`${type}:`) && !before.includes(k)).map((k) => k.slice(type.length + 1)).reverse();
      assert.deepEqual(shown, ids, `${type}: in arrival order, newest at the top`);
    }

    // What the rows say; API data goes in as text, never as markup
    const row = (key) => page.locator(`#events-feed li[data-key="${key}"]`);
    const callRow = await row(`calls:${call.record.id}`).innerText();
    assert.match(callRow, /Call/);
    assert.match(callRow, /Inbound call/);
    assert.match(callRow, /2:05/);
    assert.match(callRow, /Completed/);
    assert.ok(callRow.includes(call.record.from), "caller shown");
    const vmRow = await row(`voicemails:${vm.record.id}`).innerText();
    assert.match(vmRow, /Voicemail/);
    assert.match(vmRow, /Please call me back about order 1042/);
    assert.match(await row(`calls:${vm.cdr.id}`).innerText(), /Unavailable/);
    const smsRow = row(`sms:${singles[1].record.id}`);
    assert.match(await smsRow.innerText(), /SMS/);
    assert.ok((await smsRow.innerText()).includes(singles[1].record.from));
    assert.equal(await smsRow.locator(".ev-text").textContent(), "<img src=x onerror=alert(1)> is text");
    assert.equal(await page.locator("#events-feed img").count(), 0);
    assert.match(await row(`sms:${burst[0].record.id}`).innerText(), /Received/);
    await noBanner("events");

    // Stop: the three loops end at once (the wait or the request in flight is aborted)
    const requests = [];
    const onRequest = (r) => { if (/\/v1\/(sms|cdrs|voicemails)\b/.test(r.url())) requests.push(r.url()); };
    const stopped = Date.now();
    await page.uncheck("#events-live");
    await page.waitForFunction(() => [...document.querySelectorAll("#events-sources li")].every((li) => li.dataset.state === "stopped"));
    assert.ok(Date.now() - stopped < 1000, `stopped in ${Date.now() - stopped} ms, not after the next poll`);
    assert.match(await page.textContent("#events-status"), /Stopped/);
    page.on("request", onRequest);
    const missed = await simulate("new_sms", { text: "sent while the feed was stopped" });
    const missedCall = await simulate("new_call");
    // Nothing can announce "still nothing": give the stopped feed a bit more than one interval.
    await page.waitForTimeout(interval + 500);
    page.off("request", onRequest);
    assert.deepEqual(requests, [], "no polling while stopped");
    assert.equal(await page.locator(`#events-feed li[data-key="sms:${missed.record.id}"]`).count(), 0, "not shown while stopped");

    // Start again: each watcher resumes from its cursor
    await page.check("#events-live");
    await waitForKeys([`sms:${missed.record.id}`, `calls:${missedCall.record.id}`]);
    await watchersLive();
    const resumed = await feedKeys();
    assert.equal(new Set(resumed).size, resumed.length, "no row twice after the restart");
    assert.deepEqual(resumed.filter((k) => !after.includes(k)).sort(), [`calls:${missedCall.record.id}`, `sms:${missed.record.id}`].sort(), "only what came while stopped was added");
    await noBanner("events");
    await shot("events");
  });

  it("keeps the newest 50 events and counts those that arrive on another tab", async () => {
    const max = Number(await page.getAttribute("#events-feed", "data-max-rows"));
    assert.equal(max, 50);
    const burst = await simulate("new_sms", { count: 60 }); // three pages of the watcher
    const last = `sms:${burst.at(-1).record.id}`;
    await waitForKeys([last]);
    const keys = await feedKeys();
    assert.equal(keys.length, max, "at most 50 rows");
    assert.deepEqual(keys, burst.slice(-max).map((e) => `sms:${e.record.id}`).reverse(), "the newest 50, newest first");

    await tab("agents");
    const two = await simulate("new_sms", { count: 2 });
    await page.waitForFunction(() => document.querySelector("#events-unseen").textContent === ", 2 new");
    assert.ok(await page.isVisible("#events-unseen"));
    assert.equal(await page.getAttribute("#tab-events", "aria-selected"), "false");
    await tab("events");
    assert.ok(await page.isHidden("#events-unseen"), "the count goes once the feed is seen");
    await waitForKeys(two.map((e) => `sms:${e.record.id}`));
    await page.click("#events-clear");
    assert.equal(await page.locator("#events-feed li").count(), 0);
    assert.ok(await page.isVisible("#events-empty"));
  });

  it("shows a watcher's error in the panel, rides out a 503, keeps the others running, and resumes on restart", async () => {
    await tab("events");
    await watchersLive();
    // A 403 ends the SMS watcher; a 503 is retried by the calls watcher with backoff, silently.
    expectHttpError(/\/v1\/sms\b/, 403);
    expectHttpError(/\/v1\/cdrs\b/, 503);
    for (const f of [{ route: "/sms", method: "GET", status: 403, count: 1 }, { route: "/cdrs", method: "GET", status: 503, count: 1 }]) {
      const fault = await fetch(`${MOCK}/__mock/faults`, { method: "POST", body: JSON.stringify(f) });
      assert.equal(fault.status, 201);
    }
    const call = await simulate("new_call");
    await page.waitForSelector('#events-sources [data-source="sms"][data-state="error"]');
    const banner = page.locator('[data-banners="events"] .banner');
    assert.equal(await banner.count(), 1);
    assert.equal(await banner.getAttribute("data-kind"), "permission");
    assert.match(await banner.innerText(), /sms\.watch stopped/);
    assert.match(await banner.innerText(), /kind: permission/);
    assert.match(await banner.innerText(), /HTTP 403/);
    assert.match(await page.textContent('#events-sources [data-source="sms"]'), /permission/);
    assert.match(await page.textContent("#events-status"), /texts stopped after an error/);
    await shot("events-error");

    // the call and voicemail watchers carry on, the calls one past its 503
    const sms = await simulate("new_sms", { text: "sent while the SMS watcher was down" });
    await waitForKeys([`calls:${call.record.id}`]);
    assert.equal(await page.getAttribute('#events-sources [data-source="calls"]', "data-state"), "live");
    assert.deepEqual(await (await fetch(`${MOCK}/__mock/faults`)).json(), [], "both faults were hit");
    assert.equal(await banner.count(), 1, "a retried 503 is no error");
    assert.equal(await page.locator(`#events-feed li[data-key="sms:${sms.record.id}"]`).count(), 0);

    // off and on: the banner goes, the SMS watcher resumes from its cursor and catches up
    await page.uncheck("#events-live");
    await page.waitForFunction(() => [...document.querySelectorAll("#events-sources li")].every((li) => li.dataset.state !== "live"));
    await page.check("#events-live");
    await waitForKeys([`sms:${sms.record.id}`]);
    await watchersLive();
    assert.equal(await banner.count(), 0);
    const keys = await feedKeys();
    assert.equal(new Set(keys).size, keys.length, "no row twice");
  });

  it("lists, creates and deletes webhooks", async () => {
    await tab("webhooks");
    await page.waitForSelector("#hooks-table tbody td");
    const events = await page.$$eval("#hook-event option", (o) => o.map((x) => x.value));
    assert.deepEqual(events, ["new_call", "new_voicemail", "new_sms", "inbound_call_answered", "inbound_call_ended", "outbound_call", "outbound_call_ended"]);
    await page.selectOption("#hook-event", "new_sms");
    await page.fill("#hook-url", "ftp://example.com/hook");
    await page.click("#hook-create");
    await page.waitForSelector("#hook-url-error:not([hidden])");
    await page.fill("#hook-url", "https://example.com/toky/sms");
    await page.click("#hook-create");
    const row = page.locator("#hooks-table tbody tr[data-id]", { hasText: "https://example.com/toky/sms" });
    await row.waitFor();
    const listed = (await api("/v1/webhooks")).body.results;
    assert.ok(listed.some((w) => w.event === "new_sms" && w.hook_url === "https://example.com/toky/sms"));
    await shot("webhooks");
    const del = row.getByRole("button", { name: /Delete/ });
    await del.click();
    assert.equal(await del.innerText(), "Confirm delete");
    await del.click();
    await row.waitFor({ state: "detached" });
    assert.equal((await api("/v1/webhooks")).body.results.length, listed.length - 1);
    await noBanner("webhooks");
  });

  it("makes a raw API call and shows errors as a banner", async () => {
    await tab("api");
    await page.click("[data-preset=agents]");
    await page.click("#api-send");
    await page.waitForSelector("#api-result:not([hidden])");
    assert.equal(await page.textContent("#api-status"), "200");
    const body = JSON.parse(await page.textContent("#api-resp-body"));
    assert.equal(body.results.length, 3);
    assert.match(await page.textContent("#api-resp-headers"), /x-request-id/i);
    await noBanner("api");
    await shot("api");

    await page.fill("#api-query", "{ not json");
    await page.click("#api-send");
    await page.waitForSelector("#api-query-error:not([hidden])");

    expectHttpError(/\/v1\/contacts\//, 404);
    await page.click("[data-preset=missing]");
    await page.click("#api-send");
    const banner = page.locator('[data-banners="api"] .banner');
    await banner.waitFor();
    assert.equal(await banner.getAttribute("data-kind"), "not_found");
    assert.match(await banner.innerText(), /HTTP 404/);
    assert.equal(await page.textContent("#api-status"), "404");
    await shot("api-error");
  });

  it("reports a wrong key or base URL readably, then reconnects", async () => {
    await tab("agents");
    await page.fill("#base-url", "not a url");
    await page.click("#connect-btn");
    await page.waitForSelector("#base-url-error:not([hidden])");
    assert.equal(await page.getAttribute("#base-url", "aria-invalid"), "true");

    expectHttpError(/\/v1\/agents/, 401);
    await page.fill("#base-url", `${MOCK}/v1`);
    await page.fill("#api-key", "wrong-key");
    await page.click("#connect-btn");
    const banner = page.locator('[data-banners="connect"] .banner');
    await banner.waitFor();
    assert.equal(await banner.getAttribute("data-kind"), "auth");
    assert.match(await banner.innerText(), /HTTP 401/);
    assert.match(await page.textContent("#conn-status"), /Not connected/);
    await shot("connect-error");

    await page.fill("#api-key", KEY);
    await page.click("#connect-btn");
    await page.waitForSelector("#conn-status.ok");
    assert.equal(await banner.count(), 0);
    await noBanner("agents");
  });

  it("fits a 390-px phone without horizontal scrolling", async () => {
    await page.setViewportSize(PHONE);
    for (const name of SECTIONS) {
      await tab(name);
      await page.waitForTimeout(150);
      const wide = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: innerWidth,
        overflowing: [...document.querySelectorAll("body *")]
          .filter((e) => e.getClientRects().length && !e.closest(".table-wrap, dialog") && e.getBoundingClientRect().right > innerWidth + 0.5)
          .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")),
      }));
      assert.equal(wide.scroll, wide.width, `${name}: page is as wide as the screen`);
      assert.deepEqual(wide.overflowing, [], `${name}: nothing sticks out`);
      await shot(name, "phone");
    }
    await page.setViewportSize(DESKTOP);
  });

  it("takes the README picture when asked (UPDATE_SCREENSHOT=1)", { skip: !process.env.UPDATE_SCREENSHOT }, async () => {
    await fetch(`${MOCK}/__mock/reset`, { method: "POST" });
    const fresh = await context.newPage();
    await fresh.goto(`${MOCK}/#events`);
    await fresh.waitForFunction(() => [...document.querySelectorAll("#events-sources li")].every((li) => li.dataset.state === "live"));
    const events = [
      ["new_sms", { from_number: "+447700900111", text: "Hi! Is order #1042 shipping today?" }],
      ["new_call", { duration: "184" }],
      ["new_voicemail", { transcription: "Hi, it's Noah from Helios Solar, please call me back about the invoice." }],
      ["new_sms", { direction: "outbound", to_number: "+447700900111", text: "Yes, it ships this afternoon. Tracking to follow." }],
      ["outbound_call", { disposition_code: "486", state: "unsuccessful" }],
      ["new_sms", { text: "Can I pay by card over the phone?" }],
    ];
    for (const [event, fields] of events) await simulate(event, fields);
    await fresh.waitForFunction(() => document.querySelectorAll("#events-feed li").length === 7, null, { timeout: 15_000 }); // the voicemail's missed call too
    await fresh.waitForFunction(() => !document.querySelector("#events-feed .fresh")); // highlight faded
    await fresh.evaluate(() => document.activeElement?.blur());
    await fresh.screenshot({ path: join(ROOT, "www", "screenshot.png") });
    await fresh.close();
  });
});
