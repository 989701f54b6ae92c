// toky-wasm demo page. Plain ES module, no build step: it imports the built package the way any
// page would, from beside the page (toky-mock serves pkg/ at /pkg/; `make demo-static` copies it).
//
// Two backends, chosen by a switch on the page and remembered in the URL (?backend=...):
// - "server": the Toky API at this page's origin (toky-mock --www, or its --upstream proxy);
// - "in-browser": toky-mock's npm package running inside the page (./mock-pkg/, which
//   `make demo` serves with --mock-pkg and `make demo-static` copies): every panel runs on
//   `new TokyMock()` through its `fetch`, with no server at all. The page says it is a fake.
import { Toky, TokyError, smsSegments, parseWebhookEvent } from "./pkg/browser.js";

const BACKENDS = ["server", "in-browser"];
const backendParam = new URLSearchParams(location.search).get("backend");
// A static build marks its page <html data-default-backend="in-browser"> (there is no API there).
const backend = BACKENDS.includes(backendParam) ? backendParam : document.documentElement.dataset.defaultBackend === "in-browser" ? "in-browser" : "server";
/** The in-browser toky-mock (backend "in-browser"), or null. */
let fake = null;
let fakeError = null;
if (backend === "in-browser") {
  try {
    const { TokyMock } = await import("./mock-pkg/browser.js");
    // Webhook deliveries come into this page (receiveWebhook, in the Events section).
    fake = new TokyMock({ seed: 1, deliver: (request) => receiveWebhook(request) });
  } catch (e) {
    fakeError = e;
  }
}
/** fetch for the control routes (/__mock/*): the fake's in in-browser mode, the network's otherwise. */
const backendFetch = (url, init) => (fake ? fake.fetch(url, init) : fetch(url, init));

// ---------------------------------------------------------------------------------------------
// Small DOM helpers. Everything user- or server-supplied goes in through textContent.
// ---------------------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** h("td", { class: "x", title: "y" }, "text", otherNode) */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const numFmt = new Intl.NumberFormat();
const dateFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function toDate(ts) {
  if (!ts) return null;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A <time> element with a readable date, the exact timestamp in the tooltip. */
function timeEl(ts, fmt = dateFmt) {
  const d = toDate(ts);
  if (!d) return h("span", { class: "dim" }, "—");
  return h("time", { datetime: d.toISOString(), title: d.toISOString().replace(".000Z", "Z") }, fmt.format(d));
}

const clockFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
/** Date on one line, time under it: narrow columns. */
function dateCell(ts) {
  const d = toDate(ts);
  if (!d) return h("span", { class: "dim" }, "—");
  return h("time", { datetime: d.toISOString(), title: d.toISOString().replace(".000Z", "Z"), class: "stack" },
    h("span", {}, dayFmt.format(d)), h("span", { class: "cell-sub" }, clockFmt.format(d)));
}

/** "from" over "→ to". */
function route(from, to) {
  return h("span", { class: "stack mono route" }, h("span", {}, from || "—"), h("span", { class: "cell-sub" }, "→ ", to || "—"));
}

function relativeEl(ts) {
  const d = toDate(ts);
  if (!d) return h("span", { class: "dim" }, "Never");
  const sec = (d.getTime() - Date.now()) / 1000;
  const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
  let text = relFmt.format(Math.round(sec), "second");
  for (const [unit, size] of units) {
    if (Math.abs(sec) >= size) { text = relFmt.format(Math.round(sec / size), unit); break; }
  }
  return h("time", { datetime: d.toISOString(), title: dateFmt.format(d) }, text);
}

function duration(sec) {
  if (sec == null || Number.isNaN(Number(sec))) return "—";
  const s = Math.max(0, Math.round(Number(sec)));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return hh ? `${hh}:${String(mm).padStart(2, "0")}:${String(ss).padStart(2, "0")}` : `${mm}:${String(ss).padStart(2, "0")}`;
}

const text = (v) => (v == null || v === "" ? h("span", { class: "dim" }, "—") : String(v));
const mono = (v) => (v == null || v === "" ? h("span", { class: "dim" }, "—") : h("span", { class: "mono" }, v));
const plural = (n, one, many = one + "s") => `${numFmt.format(n)} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// Errors: a readable banner per section; validation errors go next to their field.
// ---------------------------------------------------------------------------------------------

const KIND_TITLES = {
  validation: "Invalid input",
  auth: "Not authorised — check the API key",
  permission: "Permission denied",
  not_found: "Not found",
  conflict: "Conflict",
  rate_limit: "Rate limited — try again shortly",
  server: "The server had a problem",
  network: "Network error — is the server running?",
  timeout: "The request timed out",
  aborted: "Cancelled",
  decode: "Unexpected response from the server",
  api: "The API refused the request",
};

const isAbort = (e) => e instanceof TokyError && e.kind === "aborted";
/** An error already shown to the user (e.g. next to a field): no banner for it. */
class Handled extends Error {}
const isQuiet = (e) => isAbort(e) || e instanceof Handled;

function slotEl(slot) {
  return typeof slot === "string" ? $(`[data-banners="${slot}"]`) : slot;
}

function clearBanners(slot) {
  const el = slotEl(slot);
  if (el) el.replaceChildren();
}

function showError(slot, err, title) {
  const el = slotEl(slot) || slotEl(currentTab) || slotEl("connect");
  const tokyErr = err instanceof TokyError;
  const meta = [];
  if (tokyErr) {
    meta.push(`kind: ${err.kind}`);
    if (err.status != null) meta.push(`HTTP ${err.status}`);
    if (err.operation) meta.push(err.operation);
    if (err.field) meta.push(`field: ${err.field}`);
    if (err.retries) meta.push(`${err.retries} ${err.retries === 1 ? "retry" : "retries"}`);
    if (err.requestId) meta.push(`request id ${err.requestId}`);
  } else {
    meta.push(err && err.name ? err.name : "Error");
  }
  const banner = h("div", { class: "banner", role: "alert", dataset: { kind: tokyErr ? err.kind : "unexpected", status: tokyErr && err.status != null ? err.status : "" } },
    h("span", { class: "banner-icon", "aria-hidden": "true" }, "!"),
    h("div", { class: "banner-body" },
      h("strong", { class: "banner-title" }, title || (tokyErr ? KIND_TITLES[err.kind] || "Error" : "Something went wrong")),
      h("span", { class: "banner-msg" }, (err && err.message) || String(err)),
      h("span", { class: "banner-meta" }, meta.join(" · ")),
    ),
    h("button", { class: "icon-btn", type: "button", "aria-label": "Dismiss", onclick: (e) => e.currentTarget.closest(".banner").remove() }, "×"),
  );
  el.replaceChildren(banner);
  return banner;
}

function fieldError(input, message) {
  const err = document.getElementById(`${input.id}-error`);
  input.setAttribute("aria-invalid", "true");
  if (err) { err.textContent = message; err.hidden = false; }
}

function clearFieldErrors(root) {
  for (const el of $$('[aria-invalid="true"]', root)) el.removeAttribute("aria-invalid");
  for (const el of $$(".field-error", root)) { el.hidden = true; el.textContent = ""; }
}

/** The form control for an error's field: "phone", "input.phone" and "headers.X-Foo" all work. */
function controlFor(err, map) {
  if (!(err instanceof TokyError) || !err.field) return null;
  const key = String(err.field).split(/[.[]/)[0];
  const found = map[err.field] || map[key];
  return found ? (typeof found === "string" ? document.getElementById(found) : found) : null;
}

/** Puts a validation error next to its field when the form has one; a banner otherwise. */
function showFormError(err, map, slot) {
  const input = controlFor(err, map);
  if (input && err.kind === "validation") {
    // The core prefixes the field name ("phone: expected ..."); the label already says it.
    const msg = err.message.replace(new RegExp(`^${err.field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\s*`), "");
    fieldError(input, msg.charAt(0).toUpperCase() + msg.slice(1));
    input.focus();
    return;
  }
  showError(slot, err);
}

// ---------------------------------------------------------------------------------------------
// Loading states. Busy buttons keep focus (aria-disabled, not disabled) and ignore clicks.
// ---------------------------------------------------------------------------------------------

function setBusy(btn, on) {
  if (!btn) return;
  if (on) { btn.setAttribute("aria-busy", "true"); btn.setAttribute("aria-disabled", "true"); }
  else { btn.removeAttribute("aria-busy"); btn.removeAttribute("aria-disabled"); }
}
const isBusy = (btn) => btn && btn.getAttribute("aria-busy") === "true";

/** Runs fn with btn busy; errors other than aborts become a banner in slot. */
async function act(btn, slot, fn) {
  if (isBusy(btn)) return undefined;
  setBusy(btn, true);
  clearBanners(slot);
  try {
    return await fn();
  } catch (e) {
    if (!isQuiet(e)) showError(slot, e);
    return undefined;
  } finally {
    setBusy(btn, false);
  }
}

function tableState(tbody, message, { spinner = false } = {}) {
  const cols = tbody.closest("table").tHead.rows[0].cells.length;
  tbody.replaceChildren(h("tr", {}, h("td", { class: "state", colspan: cols }, spinner ? h("span", { class: "spinner", "aria-hidden": "true" }) : null, message)));
}

// A highlighted ("fresh") row is highlighted once: not again when the layout changes.
document.addEventListener("animationend", (e) => e.target.closest?.(".fresh")?.classList.remove("fresh"));

let toastTimer;
function toast(message) {
  const el = $("#toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 3200);
}

// On phones the tables become stacked cards: each cell is labelled with its column's heading.
for (const tbody of $$("table.data tbody")) {
  const heads = [...tbody.closest("table").tHead.rows[0].cells].map((th) => (th.querySelector(".visually-hidden") ? "" : th.textContent.trim()));
  new MutationObserver(() => {
    for (const tr of tbody.rows) [...tr.cells].forEach((td, i) => { if (td.colSpan === 1 && heads[i]) td.dataset.label = heads[i]; });
  }).observe(tbody, { childList: true });
}

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------

let toky = null;
let mockOrigin = null; // set when the server answers /__mock/numbers (toky-mock)
let agentsByEmail = new Map();
const fromNumbers = new Set();

const baseInput = $("#base-url");
const keyInput = $("#api-key");
baseInput.value = fake ? fake.baseUrl : `${location.origin}/v1`;

// ---- backend switch (remembered in the URL) and the in-browser banner ----

for (const radio of $$('input[name="backend"]')) {
  radio.checked = radio.value === backend;
  radio.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("backend", radio.value);
    location.assign(url);
  });
}
if (backend === "in-browser") {
  $("#fake-banner").hidden = false;
  // The fake's base URL is its own (no request leaves the page): not something to edit.
  baseInput.readOnly = true;
  $("#base-url-hint").hidden = false;
  for (const el of $$("[data-in-browser-only]")) el.hidden = false;
}

/** The in-browser backend could not start: say why and how to get it, instead of connecting. */
function fakeMissing() {
  const why = new Error(
    `This page imports ./mock-pkg/browser.js (toky-mock's npm package) from beside itself, and that failed: ${fakeError.message}. ` +
      "make demo serves it (toky-mock --mock-pkg mock/pkg); make demo-static copies it into its build.",
  );
  showError("connect", why, "The in-browser toky-mock did not load");
}

function setStatus(kind, message) {
  const el = $("#conn-status");
  el.className = `status ${kind}`;
  $(".status-text", el).textContent = message;
}

async function connect() {
  const form = $("#connect-form");
  clearFieldErrors(form);
  clearBanners("connect");
  if (fakeError) {
    setStatus("bad", "Not connected");
    fakeMissing();
    return;
  }
  const baseUrl = baseInput.value.trim();
  const apiKey = keyInput.value.trim();
  let client;
  try {
    client = new Toky(fake ? { apiKey, baseUrl, fetch: fake.fetch } : { apiKey, baseUrl });
  } catch (e) {
    setStatus("bad", "Not connected");
    showFormError(e, { baseUrl: baseInput, apiKey: keyInput }, "connect");
    return;
  }
  await act($("#connect-btn"), "connect", async () => {
    setStatus("busy", "Connecting…");
    try {
      const agents = await client.agents.list({ limit: 100 });
      toky = client;
      for (const k of Object.keys(loaded)) loaded[k] = false;
      setAgents(agents.results);
      loaded.agents = true;
      renderAgents(agents.results);
      setStatus("ok", fake ? "Connected · in-browser fake" : `Connected · ${new URL(baseUrl).host}`);
    } catch (e) {
      setStatus("bad", "Not connected");
      throw e;
    }
    await probeMock(baseUrl);
    feedConnected(baseUrl);
    if (currentTab !== "agents") loadTab(currentTab);
  });
}

/** toky-mock's control routes give the account's SMS numbers; any other server just lacks them. */
async function probeMock(baseUrl) {
  mockOrigin = null;
  try {
    const origin = new URL(baseUrl).origin;
    const res = await backendFetch(`${origin}/__mock/numbers`, { headers: { accept: "application/json" } });
    if (!res.ok) return;
    const data = await res.json();
    if (!Array.isArray(data.sms_numbers)) return;
    if (data.mode !== "proxy") mockOrigin = origin; // in proxy mode, simulated events would not reach Toky
    addFromNumbers(data.sms_numbers);
  } catch {
    /* not toky-mock: the picker fills from SMS history instead */
  } finally {
    for (const el of $$("[data-mock-only]")) el.hidden = !mockOrigin;
  }
}

function setAgents(list) {
  agentsByEmail = new Map(list.map((a) => [a.email, a]));
  for (const sel of [$("#sms-agent"), $("#cf-created_by")]) {
    const keep = sel.value;
    sel.replaceChildren(h("option", { value: "" }, "—"), ...list.map((a) => h("option", { value: a.email }, `${a.fullname} (${a.email})`)));
    sel.value = keep;
  }
}

/** Agent ids look like carlos__example.com; show the agent's name when known. */
function agentLabel(idOrEmail) {
  if (!idOrEmail) return h("span", { class: "dim" }, "—");
  const email = String(idOrEmail).includes("@") ? idOrEmail : String(idOrEmail).replace("__", "@");
  const a = agentsByEmail.get(email);
  return a ? h("span", { title: email }, a.fullname) : String(idOrEmail);
}

$("#connect-form").addEventListener("submit", (e) => { e.preventDefault(); connect(); });

function requireClient(slot) {
  if (toky) return true;
  const el = slotEl(slot);
  if (el) el.replaceChildren(h("div", { class: "banner info", role: "status" }, h("span", { class: "banner-icon", "aria-hidden": "true" }, "i"),
    h("div", { class: "banner-body" }, h("strong", { class: "banner-title" }, "Not connected"), h("span", { class: "banner-msg" }, "Connect above first."))));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Tabs (WAI-ARIA tabs: arrow keys move between them, the URL hash remembers the section)
// ---------------------------------------------------------------------------------------------

const TABS = $$('[role="tab"]').map((t) => t.dataset.tab);
let currentTab = "agents";
const loaded = Object.fromEntries(TABS.map((t) => [t, false]));

function selectTab(name, { focus = false, load = true } = {}) {
  if (!TABS.includes(name)) name = "agents";
  currentTab = name;
  for (const tab of $$('[role="tab"]')) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  if (name === "events") setUnseen(0);
  if (load) loadTab(name);
}

$("#tabs").addEventListener("click", (e) => {
  const tab = e.target.closest('[role="tab"]');
  if (tab) selectTab(tab.dataset.tab);
});
$("#tabs").addEventListener("keydown", (e) => {
  const i = TABS.indexOf(currentTab);
  const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  selectTab(TABS[(to + TABS.length) % TABS.length], { focus: true });
});
addEventListener("hashchange", () => selectTab(location.hash.slice(1)));

function loadTab(name) {
  if (!toky || loaded[name]) return;
  loaded[name] = true;
  ({
    agents: () => loadAgents(),
    contacts: () => contacts.load(0),
    sms: () => smsList.load(0),
    voicemails: () => vmList.load(0),
    calls: () => callsList.load(0),
    events: () => {}, // the feed runs from the connection on, whichever tab is shown
    webhooks: () => loadHooks(),
    api: () => {},
  })[name]();
}

// ---------------------------------------------------------------------------------------------
// Paged tables: previous/next over limit+offset, with the stale request aborted.
// ---------------------------------------------------------------------------------------------

class PagedTable {
  constructor({ name, limit, fetch, row, empty, noun }) {
    Object.assign(this, { name, limit, fetchPage: fetch, row, empty, noun });
    this.tbody = $(`#panel-${name} table.data tbody`);
    /** blob: URLs of recordings shown in the current rows (see playable). */
    this.blobs = new Set();
    this.wrap = this.tbody.closest(".table-wrap");
    this.pager = $(`[data-pager="${name}"]`);
    this.prev = $("[data-prev]", this.pager);
    this.next = $("[data-next]", this.pager);
    this.info = $(".pager-info", this.pager);
    this.offset = 0;
    this.hasNext = false;
    this.rows = [];
    this.count = 0; // rows the server returned for this page (rows may gain a just-created one)
    this.ctl = null;
    this.prev.addEventListener("click", () => this.load(Math.max(0, this.offset - this.limit), this.prev));
    this.next.addEventListener("click", () => this.load(this.offset + this.count, this.next));
    this.updatePager();
  }

  async load(offset = this.offset, btn = null) {
    if (!requireClient(this.name)) return;
    this.ctl?.abort();
    const ctl = (this.ctl = new AbortController());
    this.wrap.setAttribute("aria-busy", "true");
    if (!this.rows.length) tableState(this.tbody, "Loading…", { spinner: true });
    setBusy(btn, true);
    this.info.textContent = "Loading…";
    clearBanners(this.name);
    try {
      const page = await this.fetchPage({ limit: this.limit, offset, signal: ctl.signal });
      if (ctl !== this.ctl) return;
      this.offset = offset;
      this.rows = page.results;
      this.count = page.results.length;
      this.hasNext = !!page.next;
      this.render();
      this.onPage?.(page);
    } catch (e) {
      if (ctl !== this.ctl || isQuiet(e)) return;
      showError(this.name, e);
      if (!this.rows.length) tableState(this.tbody, "Couldn’t load this page.");
    } finally {
      if (ctl === this.ctl) {
        this.wrap.removeAttribute("aria-busy");
        this.updatePager();
      }
      setBusy(btn, false);
    }
  }

  render(rows = this.rows) {
    // The rows' players go with them: free the recordings fetched for them (in-browser mode).
    for (const url of this.blobs) URL.revokeObjectURL(url);
    this.blobs.clear();
    if (!rows.length) tableState(this.tbody, this.empty);
    else this.tbody.replaceChildren(...rows.map((r) => this.row(r)));
  }

  updatePager() {
    this.prev.disabled = this.offset === 0;
    this.next.disabled = !this.hasNext;
    const n = this.count;
    this.info.textContent = n ? `${this.noun} ${numFmt.format(this.offset + 1)}–${numFmt.format(this.offset + n)}` : this.offset ? "No more rows" : "";
  }
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

const initials = (name) => String(name || "?").split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]).join("").toUpperCase();

function renderAgents(list) {
  const tbody = $("#agents-table tbody");
  if (!list.length) return tableState(tbody, "No agents on this account.");
  tbody.replaceChildren(...list.map((a) => h("tr", {},
    h("td", {}, h("div", { class: "who" },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(a.fullname)),
      h("span", {}, h("span", { class: "cell-main" }, a.fullname || a.email), a.extra_data ? h("span", { class: "cell-sub" }, a.extra_data) : null))),
    h("td", {}, a.email),
    h("td", {}, a.is_admin ? h("span", { class: "badge accent" }, "Admin") : h("span", { class: "badge" }, "Agent")),
    h("td", {}, mono(a.phone_number)),
    h("td", {}, text(a.phone_country)),
    h("td", {}, text(a.timezone)),
    h("td", {}, relativeEl(a.last_connection)),
  )));
}

async function loadAgents(btn) {
  if (!requireClient("agents")) return;
  const tbody = $("#agents-table tbody");
  const wrap = $("#agents-wrap");
  if (!tbody.rows.length) tableState(tbody, "Loading agents…", { spinner: true });
  wrap.setAttribute("aria-busy", "true");
  await act(btn, "agents", async () => {
    try {
      const page = await toky.agents.list({ limit: 100 });
      setAgents(page.results);
      renderAgents(page.results);
    } catch (e) {
      if (!tbody.querySelector("td:not(.state)")) tableState(tbody, "Couldn’t load agents.");
      throw e;
    }
  });
  wrap.removeAttribute("aria-busy");
}
$("#agents-refresh").addEventListener("click", (e) => loadAgents(e.currentTarget));

// ---------------------------------------------------------------------------------------------
// Contacts: paged table, search, create/edit dialog, CSV export
// ---------------------------------------------------------------------------------------------

const E164 = /^\+[1-9]\d{7,14}$/;
const normalisePhone = (s) => s.replace(/[\s().-]/g, "");
const contactName = (c) => c.contact_name || [c.first_name, c.last_name].filter(Boolean).join(" ");

function contactRow(c) {
  const name = contactName(c);
  return h("tr", { dataset: { phone: c.phone } },
    h("td", {}, name ? h("span", { class: "cell-main" }, name) : h("span", { class: "dim" }, "Unnamed")),
    h("td", {}, mono(c.phone)),
    h("td", {}, text(c.email)),
    h("td", {}, text(c.company)),
    h("td", {}, text(c.city)),
    h("td", {}, c.country_code ? h("span", { class: "badge" }, c.country_code) : text(null)),
    h("td", {}, timeEl(c.created_at, dayFmt)),
    h("td", { class: "actions" }, h("button", { class: "btn small ghost", type: "button", "aria-label": `Edit ${name || c.phone}`, onclick: () => openContactDialog(c) }, "Edit")),
  );
}

const contacts = new PagedTable({
  name: "contacts",
  limit: 25,
  noun: "Contacts",
  empty: "No contacts yet.",
  fetch: (q) => toky.contacts.list(q),
  row: contactRow,
});
contacts.render = function (rows = this.rows) {
  const q = $("#contacts-search").value.trim().toLowerCase();
  const shown = q && !E164.test(normalisePhone(q)) ? rows.filter((c) => Object.values(c).some((v) => v != null && String(v).toLowerCase().includes(q))) : rows;
  if (!rows.length) tableState(this.tbody, this.empty);
  else if (!shown.length) tableState(this.tbody, `No contact on this page matches “${$("#contacts-search").value.trim()}”.`);
  else this.tbody.replaceChildren(...shown.map((r) => this.row(r)));
  this.matches = q && !E164.test(normalisePhone(q)) ? shown.length : null;
  this.updatePager();
};
const basePagerInfo = contacts.updatePager;
contacts.updatePager = function () {
  basePagerInfo.call(this);
  if (this.matches != null && this.rows.length) this.info.textContent = `${plural(this.matches, "match", "matches")} among ${this.info.textContent.toLowerCase()}`;
};

$("#contacts-limit").addEventListener("change", (e) => {
  contacts.limit = Number(e.target.value);
  contacts.load(0);
});

let phoneLookup = null; // the phone shown by a contacts.get search, if any
$("#contacts-search").addEventListener("input", () => {
  const raw = $("#contacts-search").value.trim();
  if (phoneLookup && normalisePhone(raw) !== phoneLookup) {
    phoneLookup = null;
    contacts.render();
    contacts.updatePager();
  } else if (!E164.test(normalisePhone(raw))) {
    contacts.render();
  }
});
$("#contacts-search-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const phone = normalisePhone($("#contacts-search").value.trim());
  if (!E164.test(phone)) return contacts.render();
  if (!requireClient("contacts")) return;
  const wrap = contacts.wrap;
  wrap.setAttribute("aria-busy", "true");
  contacts.info.textContent = "Looking up…";
  clearBanners("contacts");
  try {
    const c = await toky.contacts.get(phone);
    phoneLookup = phone;
    contacts.tbody.replaceChildren(contactRow(c));
    contacts.info.textContent = `Found ${phone}`;
  } catch (err) {
    phoneLookup = phone;
    if (err instanceof TokyError && err.kind === "not_found") {
      tableState(contacts.tbody, `No contact with phone ${phone}.`);
      contacts.info.textContent = "No match";
    } else {
      showError("contacts", err);
      contacts.updatePager();
    }
  } finally {
    wrap.removeAttribute("aria-busy");
    contacts.prev.disabled = contacts.next.disabled = !!phoneLookup || contacts.prev.disabled;
  }
});

// ---- create / edit dialog ----

const dialog = $("#contact-dialog");
const cform = $("#contact-form");
const CONTACT_FIELDS = ["phone", "first_name", "last_name", "email", "company", "city", "country_code", "created_by"];
const PATCH_FIELDS = ["first_name", "last_name", "email", "company", "city"];
const contactControls = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, `cf-${f}`]));
let editing = null; // the contact being edited, null when creating

function openContactDialog(contact = null) {
  if (!requireClient("contacts")) return;
  editing = contact;
  cform.reset();
  clearFieldErrors(cform);
  clearBanners("contact-form");
  $("#contact-dialog-title").textContent = contact ? "Edit contact" : "New contact";
  $("#cf-submit").textContent = contact ? "Save changes" : "Create contact";
  $("#cf-phone").readOnly = !!contact;
  $("#cf-phone-hint").textContent = contact ? "The phone number identifies the contact and can’t be changed." : "E.164: + then the country code and number, no spaces.";
  for (const el of $$("[data-create-only]", cform)) el.hidden = !!contact;
  if (contact) for (const f of CONTACT_FIELDS) { const el = $(`#cf-${f}`); if (el) el.value = contact[f] ?? ""; }
  dialog.showModal();
  (contact ? $("#cf-first_name") : $("#cf-phone")).focus();
}

$("#contacts-new").addEventListener("click", () => openContactDialog());
for (const b of $$("[data-close]", dialog)) b.addEventListener("click", () => dialog.close());

cform.addEventListener("submit", async (e) => {
  e.preventDefault();
  clearFieldErrors(cform);
  const btn = $("#cf-submit");
  const values = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, $(`#cf-${f}`).value.trim()]));
  let saved;
  await act(btn, "contact-form", async () => {
    try {
      if (editing) {
        // Only what changed; an emptied field is sent as "" and the core says why it is refused.
        const patch = {};
        for (const f of PATCH_FIELDS) if (values[f] !== (editing[f] ?? "")) patch[f] = values[f];
        if (!Object.keys(patch).length) { dialog.close(); return; }
        saved = await toky.contacts.update(editing.phone, patch);
      } else {
        const input = {};
        for (const f of CONTACT_FIELDS) if (values[f] !== "" || f === "phone") input[f] = values[f];
        saved = await toky.contacts.create(input);
      }
    } catch (err) {
      if (!editing && err instanceof TokyError && err.kind === "conflict") {
        fieldError($("#cf-phone"), err.message);
        $("#cf-phone").focus();
        return;
      }
      if (err instanceof TokyError && err.kind === "validation" && controlFor(err, contactControls)) {
        showFormError(err, contactControls, "contact-form");
        return;
      }
      throw err;
    }
  });
  if (!saved) return;
  const wasEditing = !!editing;
  dialog.close();
  const i = contacts.rows.findIndex((c) => c.phone === saved.phone);
  if (i >= 0) contacts.rows[i] = saved; else contacts.rows.unshift(saved);
  contacts.render();
  const tr = contacts.tbody.querySelector(`tr[data-phone="${CSS.escape(saved.phone)}"]`);
  tr?.classList.add("fresh");
  toast(wasEditing ? `Saved ${contactName(saved) || saved.phone}` : `Created ${contactName(saved) || saved.phone}`);
});

// ---- export all contacts to CSV ----

const CSV_COLUMNS = ["phone", "contact_name", "first_name", "last_name", "email", "company", "city", "country_code", "created_by", "created_at"];
const csvCell = (v) => {
  const s = v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

let exportCtl = null;
let exportUrl = null;

async function exportContacts() {
  if (!requireClient("contacts") || exportCtl) return;
  const btn = $("#contacts-export");
  const box = $("#export-box");
  const bar = $("#export-progress");
  const title = $("#export-title");
  const detail = $("#export-detail");
  const cancel = $("#export-cancel");
  const pageSize = 500;
  const ctl = (exportCtl = new AbortController());
  clearBanners("contacts");
  if (exportUrl) { URL.revokeObjectURL(exportUrl); exportUrl = null; }
  box.hidden = false;
  box.className = "export card inset";
  title.textContent = "Exporting contacts…";
  detail.textContent = "Fetching the first page";
  bar.removeAttribute("value"); // indeterminate until the first page arrives
  cancel.textContent = "Cancel";
  cancel.hidden = false;
  setBusy(btn, true);

  const rows = [];
  let frame = 0, pages = 0, more = true;
  // pages() says where each page stands (offset) and whether another follows (next): the count
  // is exact, and the total is known once the last page (next: null) has arrived.
  const paint = () => {
    frame = 0;
    const known = rows.length + (more ? pageSize : 0);
    bar.max = known;
    bar.value = rows.length;
    detail.textContent = `${numFmt.format(rows.length)} of ${more ? "at least " : ""}${numFmt.format(known)} rows · ${plural(pages, "page")}`;
  };
  try {
    for await (const page of toky.contacts.pages({ pageSize, signal: ctl.signal })) {
      rows.push(...page.results);
      pages++;
      more = page.next !== null;
      if (!frame) frame = requestAnimationFrame(paint);
    }
    cancelAnimationFrame(frame);
    if (ctl.signal.aborted) throw new Handled("export cancelled");
    const extra = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !CSV_COLUMNS.includes(k));
    const cols = [...CSV_COLUMNS, ...extra];
    const lines = [cols.join(","), ...rows.map((r) => cols.map((k) => csvCell(r[k])).join(","))];
    // A BOM so that spreadsheet apps read the accented names as UTF-8.
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const name = `toky-contacts-${new Date().toISOString().slice(0, 10)}.csv`;
    exportUrl = URL.createObjectURL(blob);
    const a = h("a", { href: exportUrl, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    bar.max = Math.max(1, rows.length);
    bar.value = Math.max(1, rows.length);
    box.classList.add("done");
    title.textContent = `Exported ${plural(rows.length, "contact")}`;
    detail.replaceChildren(`${plural(pages, "page")} · `, h("a", { href: exportUrl, download: name }, name));
    cancel.textContent = "Dismiss";
  } catch (e) {
    cancelAnimationFrame(frame);
    if (isAbort(e) || ctl.signal.aborted) {
      box.classList.add("cancelled");
      title.textContent = "Export cancelled";
      detail.textContent = `Stopped after ${plural(rows.length, "row")}; nothing was downloaded.`;
      if (bar.hasAttribute("value") === false) bar.value = 0;
      cancel.textContent = "Dismiss";
    } else {
      box.hidden = true;
      showError("contacts", e, "Export failed");
    }
  } finally {
    exportCtl = null;
    setBusy(btn, false);
  }
}

$("#contacts-export").addEventListener("click", exportContacts);
$("#export-cancel").addEventListener("click", () => {
  if (exportCtl) exportCtl.abort();
  else $("#export-box").hidden = true;
});

// ---------------------------------------------------------------------------------------------
// SMS: compose with a live segment counter, history with date filters
// ---------------------------------------------------------------------------------------------

function addFromNumbers(list) {
  let changed = false;
  for (const n of list) if (n && !fromNumbers.has(n)) { fromNumbers.add(n); changed = true; }
  if (!changed) return;
  $("#sms-from-list").replaceChildren(...[...fromNumbers].map((n) => h("option", { value: n })));
  const from = $("#sms-from");
  if (!from.value) from.value = [...fromNumbers][0];
}

function updateCounter() {
  const el = $("#sms-counter");
  try {
    const s = smsSegments($("#sms-text").value);
    el.replaceChildren(
      h("span", { class: `badge ${s.encoding === "GSM-7" ? "" : "warn"}`, title: s.encoding === "GSM-7" ? "Plain GSM alphabet" : "A character outside the GSM alphabet switches the whole message to UCS-2 (70 per segment)" }, s.encoding),
      h("span", { class: "badge", "data-characters": s.characters }, plural(s.characters, "character")),
      h("span", { class: `badge ${s.segments > 1 ? "accent" : ""}`, "data-segments": s.segments }, plural(s.segments, "segment")),
      h("span", { class: "badge" }, `${numFmt.format(s.remaining)} left of ${s.perSegment}`),
    );
    for (const b of [...el.children].slice(1)) b.before(h("span", { class: "visually-hidden" }, " · ")); // read as separate facts

  } catch (e) {
    el.textContent = e.message;
  }
}
$("#sms-text").addEventListener("input", updateCounter);
updateCounter();

const smsControls = { from: "sms-from", to: "sms-to", text: "sms-text", agent: "sms-agent" };

$("#sms-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!requireClient("sms")) return;
  const form = e.currentTarget;
  clearFieldErrors(form);
  $("#sms-result").textContent = "";
  const input = { from: $("#sms-from").value.trim(), to: $("#sms-to").value.trim(), text: $("#sms-text").value };
  if ($("#sms-agent").value) input.agent = $("#sms-agent").value;
  const sent = await act($("#sms-send"), "sms", async () => {
    try {
      return await toky.sms.send(input);
    } catch (err) {
      if (err instanceof TokyError && err.kind === "validation" && controlFor(err, smsControls)) {
        showFormError(err, smsControls, "sms");
        return undefined;
      }
      throw err;
    }
  });
  if (!sent) return;
  $("#sms-result").textContent = `Sent · ${plural(sent.segments ?? 1, "segment")}`;
  $("#sms-text").value = "";
  updateCounter();
  smsList.highlight = sent.id;
  await smsList.load(0);
});

const smsList = new PagedTable({
  name: "sms",
  limit: 10,
  noun: "Messages",
  empty: "No messages in this period.",
  fetch: (q) => toky.sms.list({ ...q, ...dateRange("sms") }),
  row: (m) => h("tr", { class: m.id === smsList.highlight ? "fresh" : null, dataset: { id: m.id } },
    h("td", {}, dateCell(m.created_at)),
    h("td", {}, h("span", { class: `dir ${m.direction}` }, m.direction === "inbound" ? "Inbound" : "Outbound")),
    h("td", {}, route(m.from, m.to)),
    h("td", { class: "wrap-text" }, m.text),
    h("td", {}, agentLabel(m.agent)),
  ),
});
smsList.onPage = (page) => {
  addFromNumbers(page.results.filter((m) => m.direction === "outbound").map((m) => m.from));
  smsList.highlight = null;
};

/** since/until from a section's date inputs; the core validates them (field "since"/"until"). */
function dateRange(name) {
  const r = {};
  const since = $(`#${name}-since`).value, until = $(`#${name}-until`).value;
  if (since) r.since = since;
  if (until) r.until = until;
  return r;
}

function wireDateFilter(name, list) {
  const form = $(`#${name}-filter`);
  const errEl = $(`#${name}-filter-error`);
  const origFetch = list.fetchPage;
  list.fetchPage = async (q) => {
    errEl.hidden = true;
    for (const k of ["since", "until"]) $(`#${name}-${k}`).removeAttribute("aria-invalid");
    try {
      return await origFetch(q);
    } catch (err) {
      if (err instanceof TokyError && err.kind === "validation" && ["since", "until"].includes(err.field)) {
        $(`#${name}-${err.field}`).setAttribute("aria-invalid", "true");
        errEl.textContent = err.message;
        errEl.hidden = false;
        list.rows = [];
        list.count = 0;
        tableState(list.tbody, "Fix the dates above.");
        throw new Handled(err.message);
      }
      throw err;
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); list.load(0, $(`#${name}-apply`)); });
  $(`#${name}-clear`).addEventListener("click", () => {
    $(`#${name}-since`).value = "";
    $(`#${name}-until`).value = "";
    list.load(0);
  });
}
wireDateFilter("sms", smsList);

$("#sms-simulate").addEventListener("click", (e) =>
  act(e.currentTarget, "sms", async () => {
    const res = await backendFetch(`${mockOrigin}/__mock/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ event: "new_sms" }) });
    if (!res.ok) throw new Error(`toky-mock answered ${res.status} to POST /__mock/events`);
    await smsList.load(0);
    toast("toky-mock delivered an inbound text");
  }));

// ---------------------------------------------------------------------------------------------
// Voicemails: the audio URL comes from voicemails.get(id), fetched on demand
// ---------------------------------------------------------------------------------------------

function player(url, label) {
  return h("audio", { controls: true, preload: "metadata", src: url, "aria-label": label });
}

/** A URL an <audio> element in a row of `table` can load: the fake's recordings live in the
 * page, so they are fetched through it and given a blob: URL, freed when the rows are replaced;
 * other URLs are used as they are. */
async function playable(url, table) {
  if (!fake || new URL(url).origin !== fake.origin) return url;
  const res = await fake.fetch(url);
  if (!res.ok) throw new Error(`the in-browser toky-mock answered ${res.status} to GET ${new URL(url).pathname}`);
  const blob = URL.createObjectURL(await res.blob());
  table.blobs.add(blob);
  return blob;
}

function loadVoicemail(vm, cell, btn) {
  return act(btn, "voicemails", async () => {
    const full = await toky.voicemails.get(vm.id);
    cell.replaceChildren(player(await playable(full.url, vmList), `Voicemail from ${vm.from || "unknown caller"}`));
  });
}

const vmList = new PagedTable({
  name: "voicemails",
  limit: 10,
  noun: "Voicemails",
  empty: "No voicemails.",
  fetch: (q) => toky.voicemails.list(q),
  row: (vm) => {
    const cell = h("td", { class: "rec" });
    const btn = h("button", { class: "btn small", type: "button", "aria-label": `Load recording from ${vm.from || "unknown caller"}` }, "▶ Load");
    btn.load = () => loadVoicemail(vm, cell, btn);
    btn.addEventListener("click", btn.load);
    cell.append(btn);
    return h("tr", { dataset: { id: vm.id } },
      h("td", {}, dateCell(vm.created_at)),
      h("td", {}, route(vm.from, vm.to)),
      h("td", {}, agentLabel(vm.agent)),
      h("td", { class: "num" }, duration(vm.duration)),
      h("td", { class: "wrap-text" }, vm.transcription ? vm.transcription : h("span", { class: "dim" }, "—")),
      cell,
    );
  },
});
$("#vm-refresh").addEventListener("click", (e) => vmList.load(vmList.offset, e.currentTarget));
$("#vm-load-all").addEventListener("click", (e) =>
  act(e.currentTarget, "voicemails", async () => {
    await Promise.all($$("td.rec button", vmList.tbody).map((b) => b.load()));
  }));

// ---------------------------------------------------------------------------------------------
// Calls: CDRs with readable dispositions; the recording URL on demand
// ---------------------------------------------------------------------------------------------

const DISPOSITIONS = {
  200: ["Completed", "ok"],
  486: ["Busy", "warn"],
  487: ["Cancelled", ""],
  480: ["Unavailable", "warn"],
  408: ["No answer", "warn"],
  404: ["Number not found", "bad"],
  403: ["Unauthorised", "bad"],
  402: ["Payment required", "bad"],
  183: ["Cancelled while ringing", ""],
};
function disposition(code) {
  if (code == null) return h("span", { class: "dim" }, "—");
  const n = Number(code);
  const [label, tone] = DISPOSITIONS[n] || (n >= 600 ? ["Declined", "bad"] : n >= 500 ? ["Carrier error", "bad"] : ["Other", ""]);
  return h("span", { class: `badge ${tone}`, title: `SIP ${n}` }, label, h("span", { class: "code" }, n));
}

async function loadRecording(call, cell, btn) {
  if (isBusy(btn)) return;
  setBusy(btn, true);
  clearBanners("calls");
  try {
    const rec = await toky.calls.recording(call.callid);
    cell.replaceChildren(player(await playable(rec.url, callsList), `Recording of call ${call.callid}`));
  } catch (e) {
    if (e instanceof TokyError && e.kind === "not_found") cell.replaceChildren(h("span", { class: "no-rec" }, "No recording"));
    else if (!isAbort(e)) showError("calls", e);
  } finally {
    setBusy(btn, false);
  }
}

const callsList = new PagedTable({
  name: "calls",
  limit: 15,
  noun: "Calls",
  empty: "No calls in this period.",
  fetch: (q) => toky.calls.list({ ...q, ...dateRange("calls") }),
  row: (c) => {
    const cell = h("td", { class: "rec" });
    const btn = h("button", { class: "btn small", type: "button", "aria-label": `Recording of the call from ${c.from || "unknown"}` }, "▶ Recording");
    btn.addEventListener("click", () => loadRecording(c, cell, btn));
    cell.append(btn);
    const to = c.to_number || c.received_on_number || c.to_agent;
    return h("tr", { dataset: { callid: c.callid } },
      h("td", {}, dateCell(c.init_dt || c.start_time)),
      h("td", {}, h("span", { class: `dir ${c.direction}` }, c.direction === "inbound" ? "Inbound" : c.direction === "outbound" ? "Outbound" : c.direction || "—")),
      h("td", {}, route(c.from, to)),
      h("td", {}, agentLabel(c.agent_id || c.to_agent)),
      h("td", { class: "num" }, duration(c.duration)),
      h("td", {}, disposition(c.disposition_code)),
      cell,
    );
  },
});
wireDateFilter("calls", callsList);

// ---------------------------------------------------------------------------------------------
// Events: sms.watch, calls.watch and voicemails.watch running side by side under one
// AbortController. Stopping aborts all three (a poll in flight is cancelled); starting again
// passes each watcher's saved cursor, so nothing is shown twice and nothing is missed.
// ---------------------------------------------------------------------------------------------

const FEED_INTERVAL_MS = 1500; // quick for a demo; an app would poll a real account less often
const FEED_PAGE_SIZE = 20; // most polls find nothing new, so a small page is the cheap one
const FEED_MAX_ROWS = 50;
const SOURCES = { sms: "texts", calls: "calls", voicemails: "voicemails" };

const feed = {
  list: $("#events-feed"),
  live: $("#events-live"),
  ctl: null, // the AbortController of the running watchers, null when stopped
  running: null, // settles when the three loops have ended
  client: null, // the Toky the watchers run on
  base: null, // the base URL the cursors belong to
  cursors: {}, // per source: where its watcher stopped (watcher.cursor)
  states: {}, // per source: starting | live | stopped | error
  unseen: 0, // rows added while another tab was shown
  op: Promise.resolve(), // start/stop/reconnect, one at a time
};
feed.list.dataset.intervalMs = FEED_INTERVAL_MS;
feed.list.dataset.pageSize = FEED_PAGE_SIZE;
feed.list.dataset.maxRows = FEED_MAX_ROWS;

function setSource(name, state, detail = state) {
  feed.states[name] = state;
  const li = $(`#events-sources [data-source="${name}"]`);
  li.dataset.state = state;
  $(".src-state", li).textContent = detail;
  updateFeedStatus();
}

const listNames = (names) => new Intl.ListFormat("en-GB", { type: "conjunction" }).format(names.map((n) => SOURCES[n]));

function updateFeedStatus() {
  const names = Object.keys(SOURCES);
  const live = names.filter((n) => feed.states[n] === "live");
  const failed = names.filter((n) => feed.states[n] === "error");
  let msg;
  if (!toky && !feed.ctl) msg = feed.live.checked ? "Waiting for the connection…" : "Stopped.";
  else if (feed.ctl) {
    if (names.some((n) => feed.states[n] === "starting")) msg = "Starting…";
    else if (live.length) msg = `Watching ${listNames(live)} · a poll every ${FEED_INTERVAL_MS / 1000} s`;
    else msg = "Every watcher stopped after an error. Turn Live off and on to try again.";
    if (live.length && failed.length) msg += ` · ${listNames(failed)} stopped after an error`;
  } else if (feed.running) msg = "Stopping…";
  else msg = "Stopped. Turn Live back on to carry on where each watcher stopped.";
  const el = $("#events-status");
  if (el.textContent !== msg) el.textContent = msg;
}

/** One watcher's loop: each record becomes a row, then the cursor moves past it. */
async function watchSource(name, client, signal) {
  const cursor = feed.cursors[name];
  setSource(name, cursor ? "live" : "starting");
  let w = null;
  try {
    // Without a cursor the watch begins now: its first poll finds the newest record on the
    // server, and only what comes after it is yielded.
    w = client[name].watch({ intervalMs: FEED_INTERVAL_MS, pageSize: FEED_PAGE_SIZE, signal, ...(cursor ? { cursor } : {}) });
    if (!cursor) whenStarted(w, name, signal);
    for await (const record of w) {
      addEvent(name, record);
      feed.cursors[name] = w.cursor; // after handling it: a restart carries on after this record
    }
    setSource(name, "stopped"); // the signal ended the loop
  } catch (e) {
    if (signal.aborted || isQuiet(e)) setSource(name, "stopped");
    else {
      // Network, timeout, 5xx and 429 are retried inside the watcher with backoff; what gets here
      // (auth, permission, a bad answer…) ends this watcher only: the others carry on.
      setSource(name, "error", e instanceof TokyError ? e.kind : "error");
      showFeedError(name, e);
    }
  } finally {
    if (w?.cursor) feed.cursors[name] = w.cursor; // known even when nothing arrived
  }
}

/** A new watch knows where "now" is once its first poll is answered (its cursor is set). */
async function whenStarted(w, name, signal) {
  while (!w.cursor && !signal.aborted && feed.states[name] === "starting") await new Promise((r) => setTimeout(r, 100));
  if (w.cursor && !signal.aborted && feed.states[name] === "starting") setSource(name, "live");
}

async function startFeed() {
  if (feed.ctl && feed.client === toky) return;
  await stopFeed(); // still running on a previous client (after a reconnect)
  for (const b of $$('[data-banners="events"] .banner[data-source]')) b.remove();
  const ctl = (feed.ctl = new AbortController());
  feed.client = toky;
  feed.running = Promise.all(Object.keys(SOURCES).map((name) => watchSource(name, toky, ctl.signal)));
  updateFeedStatus();
}

async function stopFeed() {
  if (!feed.ctl) return;
  feed.ctl.abort();
  feed.ctl = null;
  updateFeedStatus(); // "Stopping…" until the three loops have ended (at once: the abort cancels the wait or the request)
  await feed.running;
  feed.running = null;
  updateFeedStatus();
}

function queueFeed(fn) {
  feed.op = feed.op.then(fn).catch((e) => showError("events", e, "Unexpected error"));
  return feed.op;
}

/** After each successful connect: keep the cursors for the same server, start over for another. */
function feedConnected(baseUrl) {
  queueFeed(async () => {
    if (feed.base !== baseUrl) {
      await stopFeed();
      feed.base = baseUrl;
      feed.cursors = {};
      clearFeed();
    }
    if (feed.live.checked) await startFeed();
    else updateFeedStatus();
  });
}

feed.live.addEventListener("change", () => queueFeed(() => (feed.live.checked && toky ? startFeed() : stopFeed())));

function showFeedError(name, err) {
  const why = err instanceof TokyError ? KIND_TITLES[err.kind] || "Error" : "Something went wrong";
  const banner = showError(h("div"), err, `${name}.watch stopped · ${why}`);
  banner.dataset.source = name;
  const slot = $('[data-banners="events"]');
  slot.querySelector(`.banner[data-source="${name}"]`)?.remove();
  slot.append(banner);
}

// ---- rows ----

const timeOfDayFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
function eventTime(ts, what) {
  const d = toDate(ts);
  if (!d) return h("span", { class: "ev-time dim" }, "—");
  const today = d.toDateString() === new Date().toDateString();
  return h("time", { class: "ev-time", datetime: d.toISOString(), title: `${what} ${d.toISOString().replace(".000Z", "Z")}` }, today ? timeOfDayFmt.format(d) : dateFmt.format(d));
}

/** "from → to" on one line; the arrow is read as "to". */
function evRoute(from, to) {
  return h("span", { class: "ev-route mono" },
    h("span", {}, from || "unknown"), h("span", { class: "arrow", "aria-hidden": "true" }, " → "), h("span", { class: "visually-hidden" }, " to "), h("span", {}, to || "—"));
}

const dirLabel = (d, noun) => (d === "inbound" ? `Inbound ${noun}` : d === "outbound" ? `Outbound ${noun}` : noun.charAt(0).toUpperCase() + noun.slice(1));
const sep = () => h("span", { class: "ev-sep", "aria-hidden": "true" }, "·");

function eventRow(name, r) {
  let type, who, detail, time;
  if (name === "sms") {
    type = "SMS";
    who = evRoute(r.from, r.to);
    detail = [h("span", { class: `dir ${r.direction}` }, r.direction === "outbound" ? "Sent" : "Received"),
      r.text ? h("span", { class: "ev-text", title: r.text }, r.text) : h("span", { class: "dim" }, "(empty)")];
    time = eventTime(r.created_at, "Sent");
  } else if (name === "calls") {
    type = "Call";
    who = evRoute(r.from, r.to_number || r.received_on_number || r.to_agent);
    const agent = r.agent_id || r.to_agent;
    detail = [h("span", { class: `dir ${r.direction}` }, dirLabel(r.direction, "call")), sep(),
      h("span", { class: "ev-num", title: "Duration" }, duration(r.duration)), disposition(r.disposition_code),
      agent ? h("span", { class: "ev-agent" }, agentLabel(agent)) : null];
    time = eventTime(r.init_dt || r.start_time, "Call started");
  } else {
    type = "Voicemail";
    who = evRoute(r.from, r.to);
    detail = [h("span", { class: "ev-num", title: "Length" }, duration(r.duration)),
      r.transcription ? h("span", { class: "ev-text", title: r.transcription }, `“${r.transcription}”`) : h("span", { class: "dim" }, "No transcription")];
    time = eventTime(r.created_at, "Left");
  }
  return h("li", { class: "event", dataset: { type: name, id: r.id, key: `${name}:${r.id}` } },
    h("span", { class: `ev-type ${name}` }, type),
    who,
    h("span", { class: "ev-detail" }, detail),
    time,
  );
}

function addEvent(name, record) {
  const li = eventRow(name, record);
  li.classList.add("fresh");
  feed.list.prepend(li);
  while (feed.list.children.length > FEED_MAX_ROWS) feed.list.lastElementChild.remove();
  $("#events-empty").hidden = true;
  if (currentTab !== "events") setUnseen(feed.unseen + 1);
}

function clearFeed() {
  feed.list.replaceChildren();
  $("#events-empty").hidden = false;
  setUnseen(0);
}
$("#events-clear").addEventListener("click", clearFeed);

/** The count on the Events tab: rows that came in while another tab was shown. */
function setUnseen(n) {
  feed.unseen = n;
  const el = $("#events-unseen");
  el.hidden = !n;
  el.replaceChildren(h("span", { class: "visually-hidden" }, ", "), n > 99 ? "99+" : String(n), h("span", { class: "visually-hidden" }, " new"));
}

// ---- toky-mock controls (shown only when the page is served by toky-mock) ----

const SIMULATED = { new_sms: "an inbound text", new_call: "an inbound call", new_voicemail: "a voicemail (and its missed call)" };
for (const b of $$("[data-simulate]")) {
  b.addEventListener("click", async () => {
    if (isBusy(b) || !mockOrigin) return;
    setBusy(b, true);
    try {
      const res = await backendFetch(`${mockOrigin}/__mock/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ event: b.dataset.simulate }) });
      if (!res.ok) throw new Error(`toky-mock answered ${res.status} to POST /__mock/events`);
      toast(`toky-mock created ${SIMULATED[b.dataset.simulate]}${feed.ctl ? "" : " · turn Live on to see it"}`);
    } catch (e) {
      const banner = showError(h("div"), e, "toky-mock did not create the event");
      $('[data-banners="events"]').append(banner);
    } finally {
      setBusy(b, false);
    }
  });
}
updateFeedStatus();

// ---- webhooks delivered into this page (in-browser backend) ----
// The fake cannot POST to a hook's URL from here, so TokyMock's `deliver` option hands each
// delivery to this function: the page is the webhook receiver, as a test's handler would be.

const INBOX_MAX_ROWS = 50;
async function receiveWebhook(request) {
  const hook = request.url;
  let row;
  try {
    const e = parseWebhookEvent(await request.text());
    const who = evRoute(e.from_number, e.to_number);
    const what = e.event === "new_sms" ? (e.text ? h("span", { class: "ev-text", title: e.text }, e.text) : h("span", { class: "dim" }, "(empty)")) : null;
    row = h("li", { class: "event fresh", dataset: { event: e.event } },
      h("span", { class: "ev-type hook" }, e.event),
      who,
      h("span", { class: "ev-detail" }, what, h("span", { class: "ev-hook mono", title: "The hook URL it was for" }, hook)),
      h("time", { class: "ev-time", datetime: new Date().toISOString() }, timeOfDayFmt.format(new Date())));
  } catch (err) {
    // A body parseWebhookEvent refuses: shown, and answered 400 (the fake records the failure).
    row = h("li", { class: "event fresh", dataset: { event: "invalid" } },
      h("span", { class: "ev-type bad" }, "invalid"), h("span", { class: "ev-detail" }, String(err.message), h("span", { class: "ev-hook mono" }, hook)));
    addInbox(row);
    return new Response(null, { status: 400 });
  }
  addInbox(row);
  return new Response(null, { status: 204 });
}

function addInbox(li) {
  const list = $("#inbox-list");
  list.prepend(li);
  while (list.children.length > INBOX_MAX_ROWS) list.lastElementChild.remove();
  $("#inbox-empty").hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

const EVENTS = [
  ["new_call", "New call"],
  ["new_voicemail", "New voicemail"],
  ["new_sms", "New SMS"],
  ["inbound_call_answered", "Inbound call answered"],
  ["inbound_call_ended", "Inbound call ended"],
  ["outbound_call", "Outbound call"],
  ["outbound_call_ended", "Outbound call ended"],
];
$("#hook-event").replaceChildren(...EVENTS.map(([v, label]) => h("option", { value: v }, label)));
const eventLabel = (v) => (EVENTS.find(([k]) => k === v) || [v, v])[1];

function hookRow(w) {
  const del = h("button", { class: "btn small danger", type: "button", "aria-label": `Delete the ${eventLabel(w.event)} webhook` }, "Delete");
  let armed = null;
  del.addEventListener("click", async () => {
    if (isBusy(del)) return;
    if (!armed) { // first click arms, second deletes
      del.textContent = "Confirm delete";
      del.classList.add("confirm");
      armed = setTimeout(() => { armed = null; del.textContent = "Delete"; del.classList.remove("confirm"); }, 4000);
      return;
    }
    clearTimeout(armed);
    const ok = await act(del, "webhooks", () => toky.webhooks.delete(w.id));
    if (ok) {
      hooks = hooks.filter((x) => x.id !== w.id);
      renderHooks();
      toast("Webhook deleted");
    } else {
      armed = null; del.textContent = "Delete"; del.classList.remove("confirm");
    }
  });
  return h("tr", { dataset: { id: w.id } },
    h("td", {}, h("span", { class: "badge accent" }, eventLabel(w.event)), h("span", { class: "cell-sub mono" }, w.event)),
    h("td", { class: "wrap-text" }, h("span", { class: "mono" }, w.hook_url)),
    h("td", {}, dateCell(w.created_at)),
    h("td", { class: "actions" }, del),
  );
}

let hooks = [];
function renderHooks(fresh) {
  const tbody = $("#hooks-table tbody");
  if (!hooks.length) return tableState(tbody, "No webhooks yet. Add one above.");
  tbody.replaceChildren(...hooks.map((w) => { const tr = hookRow(w); if (w.id === fresh) tr.classList.add("fresh"); return tr; }));
}

async function loadHooks(btn) {
  if (!requireClient("webhooks")) return;
  const tbody = $("#hooks-table tbody");
  const wrap = $("#hooks-wrap");
  if (!hooks.length) tableState(tbody, "Loading webhooks…", { spinner: true });
  wrap.setAttribute("aria-busy", "true");
  await act(btn, "webhooks", async () => {
    const all = [];
    for await (const w of toky.webhooks.iterate({ pageSize: 100 })) all.push(w);
    hooks = all;
    renderHooks();
  });
  wrap.removeAttribute("aria-busy");
}
$("#hooks-refresh").addEventListener("click", (e) => loadHooks(e.currentTarget));

const hookControls = { event: "hook-event", url: "hook-url", hook_url: "hook-url" };
$("#hook-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!requireClient("webhooks")) return;
  clearFieldErrors(e.currentTarget);
  const input = { event: $("#hook-event").value, url: $("#hook-url").value.trim() };
  const created = await act($("#hook-create"), "webhooks", async () => {
    try {
      return await toky.webhooks.create(input);
    } catch (err) {
      if (err instanceof TokyError && err.kind === "validation" && controlFor(err, hookControls)) {
        showFormError(err, hookControls, "webhooks");
        return undefined;
      }
      throw err;
    }
  });
  if (!created) return;
  hooks.push(created);
  renderHooks(created.id);
  $("#hook-url").value = "";
  toast(`Webhook added for ${eventLabel(created.event)}`);
});

// ---------------------------------------------------------------------------------------------
// API console
// ---------------------------------------------------------------------------------------------

class InputError extends Error {
  constructor(control, message) { super(message); this.control = control; }
}

/** "key=value" lines (or &-joined), or a JSON object. Repeated keys become arrays. */
function parseQuery(raw) {
  const s = raw.trim();
  if (!s) return undefined;
  if (s.startsWith("{")) {
    try { return JSON.parse(s); } catch (e) { throw new InputError("api-query", `Not valid JSON: ${e.message}`); }
  }
  const q = {};
  for (const part of s.split(/\n|&/)) {
    const line = part.trim();
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf("=");
    if (i <= 0) throw new InputError("api-query", `Expected key=value, got “${line}”`);
    const k = line.slice(0, i).trim(), v = line.slice(i + 1).trim();
    q[k] = k in q ? [].concat(q[k], v) : v;
  }
  return q;
}

/** "Name: value" lines, or a JSON object. */
function parseHeaders(raw) {
  const s = raw.trim();
  if (!s) return undefined;
  if (s.startsWith("{")) {
    try { return JSON.parse(s); } catch (e) { throw new InputError("api-headers", `Not valid JSON: ${e.message}`); }
  }
  const out = {};
  for (const part of s.split("\n")) {
    const line = part.trim();
    if (!line) continue;
    const i = line.indexOf(":");
    if (i <= 0) throw new InputError("api-headers", `Expected Name: value, got “${line}”`);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function parseBody(raw) {
  const s = raw.trim();
  if (!s) return undefined;
  try { return JSON.parse(s); } catch (e) { throw new InputError("api-body", `Not valid JSON: ${e.message}`); }
}

/** Pretty JSON with light syntax colouring, built as text nodes and spans. */
function renderJson(pre, value) {
  pre.replaceChildren();
  if (value === null || value === undefined || value === "") { pre.append(h("span", { class: "dim" }, "(empty body)")); return; }
  if (typeof value === "string") { pre.textContent = value; return; }
  const src = JSON.stringify(value, null, 2);
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const m of src.matchAll(re)) {
    if (m.index > last) pre.append(src.slice(last, m.index));
    if (m[1]) {
      pre.append(h("span", { class: m[2] ? "j-key" : "j-str" }, m[1]));
      if (m[2]) pre.append(m[2]);
    } else pre.append(h("span", { class: m[3] ? "j-lit" : "j-num" }, m[0]));
    last = m.index + m[0].length;
  }
  pre.append(src.slice(last));
}

function showResponse({ status, headers, body, ms, error }) {
  $("#api-empty").hidden = true;
  $("#api-result").hidden = false;
  const pill = $("#api-status");
  pill.textContent = status != null ? `${status}` : error ? error.kind : "—";
  pill.classList.toggle("bad", !!error);
  $("#api-time").textContent = `${Math.round(ms)} ms`;
  const dl = $("#api-resp-headers");
  const entries = Object.entries(headers || {});
  $("#api-header-count").textContent = `(${entries.length})`;
  dl.replaceChildren(...entries.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  renderJson($("#api-resp-body"), error ? error.toJSON() : body);
}

const apiControls = { method: "api-method", path: "api-path", query: "api-query", headers: "api-headers", body: "api-body" };
$("#api-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!requireClient("api")) return;
  const form = e.currentTarget;
  clearFieldErrors(form);
  clearBanners("api");
  let input;
  try {
    input = { method: $("#api-method").value, path: $("#api-path").value.trim() };
    const query = parseQuery($("#api-query").value);
    const headers = parseHeaders($("#api-headers").value);
    const body = parseBody($("#api-body").value);
    if (query !== undefined) input.query = query;
    if (headers !== undefined) input.headers = headers;
    if (body !== undefined) input.body = body;
  } catch (err) {
    if (err instanceof InputError) { fieldError($(`#${err.control}`), err.message); $(`#${err.control}`).focus(); return; }
    throw err;
  }
  const btn = $("#api-send");
  if (isBusy(btn)) return;
  setBusy(btn, true);
  const t0 = performance.now();
  try {
    const res = await toky.request(input);
    showResponse({ ...res, ms: performance.now() - t0 });
  } catch (err) {
    if (err instanceof TokyError && err.kind === "validation" && controlFor(err, apiControls)) showFormError(err, apiControls, "api");
    else {
      showError("api", err);
      if (err instanceof TokyError) showResponse({ status: err.status, error: err, ms: performance.now() - t0 });
    }
  } finally {
    setBusy(btn, false);
  }
});

const PRESETS = {
  agents: { method: "GET", path: "/agents", query: "limit=3", headers: "", body: "" },
  sms: { method: "GET", path: "/sms", query: "limit=2\noffset=0", headers: "", body: "" },
  hook: { method: "POST", path: "/webhooks", query: "", headers: "", body: '{\n  "event": "new_voicemail",\n  "hook_url": "https://example.com/toky/voicemail"\n}' },
  missing: { method: "GET", path: "/contacts/+13051000000", query: "", headers: "", body: "" },
};
for (const b of $$("[data-preset]")) {
  b.addEventListener("click", () => {
    const p = PRESETS[b.dataset.preset];
    $("#api-method").value = p.method;
    $("#api-path").value = p.path;
    $("#api-query").value = p.query;
    $("#api-headers").value = p.headers;
    $("#api-body").value = p.body;
    clearFieldErrors($("#api-form"));
  });
}

// ---------------------------------------------------------------------------------------------
// Last resort: anything unexpected still shows up as a banner in the current section.
// ---------------------------------------------------------------------------------------------

addEventListener("unhandledrejection", (e) => showError(currentTab, e.reason, "Unexpected error"));
addEventListener("error", (e) => { if (e.error) showError(currentTab, e.error, "Unexpected error"); });

selectTab(location.hash.slice(1) || "agents", { load: false });
connect();
