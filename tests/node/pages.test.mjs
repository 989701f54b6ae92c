// `pages()` through the built package, imported by name: a listing a page at a time, each page
// with its offset, against the seeded toky-mock that tests/run.sh started. What a listing holds
// is read straight from toky-mock's API (not through the client), and what was requested from
// its journal.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";

const MOCK = process.env.TOKY_MOCK_URL;
const KEY = "demo-key";
const control = (path, init) => fetch(MOCK + path, init).then((r) => (r.status == 204 ? null : r.json()));
/** The requests toky-mock received for `path` since the journal was last cleared. */
const requests = async (path) => (await control("/__mock/journal")).filter((j) => j.path == path);
const clearJournal = () => control("/__mock/journal", { method: "DELETE" });

/** Every record of a listing, read from toky-mock's API directly, 500 at a time. */
async function everything(path) {
  const rows = [];
  for (let off = 0; ; off += 500) {
    const r = await fetch(`${MOCK}/v1${path}?limit=500&offset=${off}`, { headers: { "X-Toky-Key": KEY } });
    assert.equal(r.status, 200, `GET ${path}`);
    const body = await r.json();
    rows.push(...body.results);
    if (!body.next) return rows;
  }
}

/** Collects the pages of `it` and checks what every pages() must satisfy. */
async function collect(it, { pageSize, offset = 0 }) {
  const pages = [];
  for await (const p of it) pages.push(p);
  let at = offset;
  pages.forEach((p, i) => {
    const last = i == pages.length - 1;
    assert.equal(p.offset, at, `page ${i}: offsets are contiguous`);
    assert.equal(p.count, p.results.length, `page ${i}: count is its own length`);
    if (!last) {
      assert.equal(p.results.length, pageSize, `page ${i}: a full page of the asked size`);
      assert.equal(typeof p.next, "string", `page ${i}: a next URL before the last page`);
    } else {
      assert.ok(p.results.length >= 1 && p.results.length <= pageSize, "the last page is not empty and not over size");
      assert.equal(p.next, null, "the last page's next is null");
    }
    at += p.results.length;
  });
  return pages;
}

let toky;
before(async () => {
  assert.ok(MOCK, "TOKY_MOCK_URL is set by tests/run.sh");
  await control("/__mock/reset", { method: "POST" });
  await control("/__mock/faults", { method: "DELETE" });
  toky = new Toky({ apiKey: KEY, baseUrl: MOCK + "/v1" });
});

describe("pages() covers a listing exactly", () => {
  test("contacts: 300 seeded, pages of 37, every record once, in the listing's order", async () => {
    const all = await everything("/contacts");
    assert.equal(all.length, 300, "the seeded toky-mock has 300 contacts");
    await clearJournal();
    const pages = await collect(toky.contacts.pages({ pageSize: 37 }), { pageSize: 37 });
    assert.equal(pages.length, Math.ceil(300 / 37));
    assert.equal(pages.at(-1).results.length, 300 % 37);
    const rows = pages.flatMap((p) => p.results);
    assert.equal(rows.length, 300, "the lengths add up to the total");
    assert.equal(new Set(rows.map((c) => c.phone)).size, 300, "no record twice");
    assert.deepEqual(rows.map((c) => c.phone), all.map((c) => c.phone), "every record, in order");
    const reqs = await requests("/v1/contacts");
    assert.equal(reqs.length, pages.length, "one request per page");
    assert.match(reqs[0].query, /(^|&)limit=37(&|$)/);
  });

  test("contacts from an offset: the first page's offset is the query's", async () => {
    const all = await everything("/contacts");
    const pages = await collect(toky.contacts.pages({ pageSize: 20, offset: 250 }), { pageSize: 20, offset: 250 });
    assert.deepEqual(pages.map((p) => p.offset), [250, 270, 290]);
    assert.deepEqual(pages.flatMap((p) => p.results).map((c) => c.phone), all.slice(250).map((c) => c.phone));
  });

  test("calls (with the date filter) and agents, each as listed", async () => {
    const calls = await everything("/cdrs");
    assert.ok(calls.length > 60, `enough seeded calls for several pages (${calls.length})`);
    const pages = await collect(toky.calls.pages({ pageSize: 25 }), { pageSize: 25 });
    assert.deepEqual(pages.flatMap((p) => p.results).map((c) => c.id), calls.map((c) => c.id));
    assert.equal(pages.reduce((n, p) => n + p.results.length, 0), calls.length);

    // A date range: what the same range lists through list(), page by page.
    const range = { since: "2000-01-01", until: "2100-01-01" };
    const ranged = await collect(toky.calls.pages({ ...range, pageSize: 40 }), { pageSize: 40 });
    assert.equal(ranged.reduce((n, p) => n + p.results.length, 0), calls.length);

    const agents = await everything("/agents");
    const ap = await collect(toky.agents.pages({ pageSize: 2 }), { pageSize: 2 });
    assert.deepEqual(ap.flatMap((p) => p.results).map((a) => a.email), agents.map((a) => a.email));
  });

  test("an exact multiple of the page size ends with a full page whose next is null", async () => {
    const pages = await collect(toky.contacts.pages({ pageSize: 100 }), { pageSize: 100 });
    assert.deepEqual(pages.map((p) => [p.offset, p.results.length]), [[0, 100], [100, 100], [200, 100]]);
  });
});

describe("max and early stops", () => {
  test("max cuts the last page and ends there: no request past it", async () => {
    await clearJournal();
    const pages = [];
    for await (const p of toky.contacts.pages({ pageSize: 40, max: 100 })) pages.push(p);
    assert.deepEqual(pages.map((p) => [p.offset, p.results.length, p.count]), [[0, 40, 40], [40, 40, 40], [80, 20, 20]]);
    assert.equal(typeof pages[1].next, "string");
    assert.equal(pages[2].next, null, "the page where max stops is the last one");
    assert.equal((await requests("/v1/contacts")).length, 3);

    // max on a page boundary: the next page is not fetched.
    await clearJournal();
    const two = [];
    for await (const p of toky.contacts.pages({ pageSize: 40, max: 80 })) two.push(p);
    assert.deepEqual(two.map((p) => p.results.length), [40, 40]);
    assert.equal(two[1].next, null);
    assert.equal((await requests("/v1/contacts")).length, 2);
  });

  test("break after the first page sends no further request", async () => {
    await clearJournal();
    let seen = 0;
    for await (const p of toky.contacts.pages({ pageSize: 50 })) {
      seen++;
      assert.equal(p.results.length, 50);
      assert.equal(typeof p.next, "string", "more pages were there to fetch");
      break;
    }
    assert.equal(seen, 1);
    assert.equal((await requests("/v1/contacts")).length, 1, "only the first page was requested");

    // The same by hand: after return(), next() is done and requests nothing.
    await clearJournal();
    const it = toky.contacts.pages({ pageSize: 50 });
    assert.equal((await it.next()).value.offset, 0);
    assert.deepEqual(await it.return(undefined), { value: undefined, done: true });
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    assert.equal((await requests("/v1/contacts")).length, 1);
  });

  test("iterate() (built on the same loop) still fetches lazily and stops at max", async () => {
    await clearJournal();
    for await (const _ of toky.contacts.iterate({ pageSize: 50 })) break;
    assert.equal((await requests("/v1/contacts")).length, 1);
    let n = 0;
    for await (const _ of toky.contacts.iterate({ pageSize: 40, max: 90 })) n++;
    assert.equal(n, 90);
  });
});

describe("errors name pages()", () => {
  test("a bad pageSize is a validation error naming the field, before any request", async () => {
    await clearJournal();
    for (const pageSize of [0, 501, "10", 1.5]) {
      await assert.rejects(
        toky.contacts.pages({ pageSize }).next(),
        (e) =>
          e instanceof TokyError &&
          e.kind == "validation" &&
          e.field == "pageSize" &&
          e.operation == "contacts.pages" &&
          e.message.startsWith("pageSize"),
        `pageSize ${JSON.stringify(pageSize)}`,
      );
    }
    await assert.rejects(toky.sms.pages({ limit: 10 }).next(), (e) => e.kind == "validation" && e.field == "limit" && e.operation == "sms.pages");
    await assert.rejects(toky.voicemails.pages({ since: "2026-01-01" }).next(), (e) => e.field == "since" && e.operation == "voicemails.pages");
    await assert.rejects(toky.contacts.pages({ signal: "no" }).next(), (e) => e.field == "signal" && e.operation == "contacts.pages");
    // iterate() keeps its own name.
    await assert.rejects(toky.contacts.iterate({ pageSize: 0 }).next(), (e) => e.field == "pageSize" && e.operation == "contacts.iterate");
    assert.equal((await control("/__mock/journal")).length, 0, "no request was sent");
  });

  test("a server error on a later page: the pages before it were yielded, the error names contacts.pages", async () => {
    await control("/__mock/faults", { method: "POST", body: JSON.stringify({ route: "/contacts", kind: "delay", delay_ms: 1 }) });
    await control("/__mock/faults", { method: "POST", body: JSON.stringify({ route: "/contacts", kind: "status", status: 403 }) });
    const got = [];
    try {
      await assert.rejects(
        (async () => {
          for await (const p of toky.contacts.pages({ pageSize: 100 })) got.push(p.offset);
        })(),
        (e) => e instanceof TokyError && e.kind == "permission" && e.status == 403 && e.operation == "contacts.pages",
      );
    } finally {
      await control("/__mock/faults", { method: "DELETE" });
    }
    assert.deepEqual(got, [0]);
  });
});
