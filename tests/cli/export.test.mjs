// `toky contacts export` against the second toky-mock (10,000 contacts, its own key), started by
// tests/suites/cli.sh: each format matches what the API lists through the client, CSV read back
// by an independent reader (Python's csv module) with commas, quotes and newlines in values;
// --out is replaced only when complete; Ctrl-C (SIGINT) leaves no file and exits non-zero.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { big, bigKey, clearFaults, fault, ok, pkg, start, toky } from "./helpers.mjs";

if (!big || !bigKey) throw new Error("TOKY_MOCK_10K_URL/TOKY_MOCK_10K_KEY are not set: run through tests/suites/cli.sh");
const opts = { key: bigKey, base: big };
const dir = mkdtempSync(join(tmpdir(), "toky-export-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// Values a naive CSV writer gets wrong.
const TRICKY = [
  { phone: "+15557651001", first: 'Ada, "the Countess"', last: "Love\nlace", company: "Analytical, Engines", city: "London" },
  { phone: "+15557651002", first: '"quoted"', last: "O'Brien", company: "line1\r\nline2", city: "Zürich, CH" },
  { phone: "+15557651003", first: "Emoji 👋", last: ",", company: '""', city: "a\"b,c\"" },
];

let listed; // what the API lists, through the package's client
let columns;
before(async () => {
  for (const t of TRICKY)
    await ok(["contacts", "create", t.phone, "--first-name", t.first, "--last-name", t.last, "--company", t.company, "--city", t.city], opts);
  const { Toky } = await pkg();
  const client = new Toky({ apiKey: bigKey, baseUrl: big + "/v1" });
  listed = [];
  for await (const c of client.contacts.iterate({ pageSize: 500 })) listed.push(c);
  assert.equal(listed.length, 10_003);
  columns = ["phone", "contact_name", "first_name", "last_name", "email", "company", "city", "country_code", "created_by", "created_at"];
  for (const k of Object.keys(listed[0])) if (!columns.includes(k)) columns.push(k);
});

const leftovers = () => readdirSync(dir).filter((f) => f.includes("toky-tmp"));

describe("contacts export of 10,000 contacts", () => {
  test("--format ndjson --out FILE matches the API", async () => {
    const out = join(dir, "contacts.ndjson");
    const r = await ok(["contacts", "export", "--format", "ndjson", "--out", out], opts);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, ""); // stderr is not a terminal: no progress
    const rows = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows, listed);
    assert.deepEqual(leftovers(), []);
  });

  test("--format json (one array) --out FILE matches the API", async () => {
    const out = join(dir, "contacts.json");
    await ok(["contacts", "export", "--format", "json", "-o", out], opts);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), listed);
  });

  test("--format csv matches the API, read back by Python's csv module", async () => {
    const out = join(dir, "contacts.csv");
    await ok(["contacts", "export", "--format", "csv", "--out", out], opts);
    const rows = JSON.parse(
      execFileSync("python3", ["-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))", out], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
      }),
    );
    assert.deepEqual(rows[0], columns);
    assert.equal(rows.length, 1 + listed.length);
    const text = (v) => (v == null ? "" : typeof v == "object" ? JSON.stringify(v) : String(v));
    for (let i = 0; i < listed.length; i++) assert.deepEqual(rows[i + 1], columns.map((c) => text(listed[i][c])), `row ${i + 1}`);
    // The tricky values survived exactly.
    for (const t of TRICKY) {
      const row = rows.find((r) => r[0] == t.phone);
      assert.deepEqual([row[2], row[3], row[5], row[6]], [t.first, t.last, t.company, t.city]);
    }
  });

  test("to stdout (no --out), the same bytes as the file", async () => {
    const r = await ok(["contacts", "export", "--format", "csv"], opts);
    assert.equal(r.stdout, readFileSync(join(dir, "contacts.csv"), "utf8"));
  });

  test("--max and --page-size; --progress prints one line per page on a non-terminal", async () => {
    const r = await ok(["contacts", "export", "--format", "ndjson", "--max", "250", "--page-size", "100", "--progress"], opts);
    assert.deepEqual(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)), listed.slice(0, 250));
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 4, "one line per page (the last one cut by --max), then the summary");
    assert.match(lines[0], /^100 contacts, 1 page, [\d,]+\/s$/);
    assert.match(lines[1], /^200 contacts, 2 pages, /);
    assert.match(lines[2], /^250 contacts, 3 pages, /);
    assert.match(lines[3], /^250 contacts, 3 pages, [\d,]+\/s: done in [\d.]+s$/);
  });
});

describe("an export that does not finish leaves no half-written file", () => {
  after(() => clearFaults(big));

  test("SIGINT during an export: no output file, no temporary file, exit 130", async () => {
    const out = join(dir, "interrupted.csv");
    // The first page comes back, the second request hangs until the command is interrupted.
    await clearFaults(big);
    await fault({ route: "/contacts", kind: "delay", delay_ms: 1 }, big);
    await fault({ route: "/contacts", kind: "hang" }, big);
    const child = start(["contacts", "export", "--format", "csv", "--out", out, "--page-size", "100", "--progress"], opts);
    await child.waitFor("the first progress line", (c) => /^100 contacts, 1 page/m.test(c.err));
    assert.equal(leftovers().length, 1, "the export writes to a temporary file while it runs");
    assert.ok(!existsSync(out));
    child.kill("SIGINT");
    const r = await child.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /^toky: interrupted$/m);
    assert.ok(!existsSync(out), "no output file");
    assert.deepEqual(leftovers(), []);
  });

  test("SIGINT keeps an existing FILE as it was", async () => {
    const out = join(dir, "existing.csv");
    writeFileSync(out, "the previous export\n");
    await clearFaults(big);
    await fault({ route: "/contacts", kind: "delay", delay_ms: 1 }, big);
    await fault({ route: "/contacts", kind: "hang" }, big);
    const child = start(["contacts", "export", "--out", out, "--page-size", "100", "--progress"], opts);
    await child.waitFor("the first progress line", (c) => /^100 contacts, 1 page/m.test(c.err));
    child.kill("SIGINT");
    assert.equal((await child.done).code, 130);
    assert.equal(readFileSync(out, "utf8"), "the previous export\n");
    assert.deepEqual(leftovers(), []);
  });

  test("an API error on a later page: FILE untouched, exit by kind (403: 4)", async () => {
    const out = join(dir, "existing.csv");
    await clearFaults(big);
    await fault({ route: "/contacts", kind: "delay", delay_ms: 1 }, big);
    await fault({ route: "/contacts", kind: "status", status: 403 }, big);
    const r = await toky(["contacts", "export", "--out", out, "--page-size", "100"], opts);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^toky: permission 403: /);
    assert.equal(readFileSync(out, "utf8"), "the previous export\n");
    assert.deepEqual(leftovers(), []);
  });

  test("a successful export replaces FILE", async () => {
    const out = join(dir, "existing.csv");
    await clearFaults(big);
    await ok(["contacts", "export", "--out", out, "--max", "3"], opts);
    assert.equal(readFileSync(out, "utf8").split("\r\n").length, 5); // header, 3 rows, final CRLF
  });
});
