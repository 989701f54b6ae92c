// `toky` as a person types it (issue 23): singular and plural wording, every argument checked
// before anything is printed or sent, "did you mean" for commands, options and enumerated values,
// relative --since/--until, one empty cell in every table and mode, the key masked by the core's
// rule (readable with a one-letter key), --interval's minimum and a repeated option refused.
// Against the suite's toky-mock ($TOKY_MOCK_URL, key demo-key).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { CLI, control, journal, ok, okJson, root, sleep, start, toky } from "./helpers.mjs";

before(() => control("POST", "/__mock/reset"));

/** Expects exit 2 with one stderr line matching `pattern`, and nothing on stdout. */
const usage = async (args, pattern, opts) => {
  const r = await toky(args, opts);
  assert.equal(r.code, 2, `toky ${args.join(" ")}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1, "one line:\n" + r.stderr);
  assert.match(r.stderr, pattern);
  return r;
};
const sends = async () => (await journal()).filter((j) => j.path == "/v1/sms/send");

describe("wording: one thing is singular", () => {
  test("sms send: 1 segment, 1 character; --verbose shows the one attempt (the argument check is none)", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await ok(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "a", "--yes", "--json", "--verbose"]);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.equal(lines[0], "1 segment (GSM-7, 1 character, 159 left in the last segment)");
    assert.match(lines[1], /^toky: POST \S+\/v1\/sms\/send attempt 1: 200 /);
    assert.equal((await sends()).length, 1);
  });
  test("contacts export progress: 1 contact, 1 page", async () => {
    const r = await ok(["contacts", "export", "--max", "1", "--format", "ndjson", "--progress"]);
    assert.match(r.stderr, /^1 contact, 1 page, [\d,]+\/s\n1 contact, 1 page, [\d,]+\/s: done in [\d.]+s\n$/);
  });
});

describe("every argument is checked before anything is printed or sent", () => {
  const base = ["sms", "send", "--from", "+13055550100", "--text", "hello", "--yes"];
  for (const [what, args, field] of [
    ["a bad --to", [...base, "--to", "555-1234"], "to"],
    ["a bad --from", ["sms", "send", "--from", "3055550100", "--to", "+15557654321", "--text", "hello", "--yes"], "from"],
    ["an empty --text", ["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "", "--yes"], "text"],
  ])
    test(`sms send with ${what}: the validation error alone, no segment line, nothing sent`, async () => {
      await control("DELETE", "/__mock/journal");
      const r = await toky(args);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, new RegExp(`^toky: validation \\(field ${field}\\): [^\\n]*\\n$`));
      assert.deepEqual(await sends(), []);
      assert.deepEqual(await journal(), [], "the check asked nothing of the server");
    });
  test("a bad time is refused before the request", async () => {
    await control("DELETE", "/__mock/journal");
    await usage(["calls", "list", "--since", "2026-02-30"], /^toky: --since: expected /);
    assert.deepEqual(await journal(), []);
  });
});

describe("did you mean", () => {
  test("a mistyped sub-command", () => usage(["sms", "snd"], /unknown command 'toky sms snd' \(expected send, list\); did you mean 'toky sms send'\?/));
  test("two letters swapped", () => usage(["contacts", "exprot"], /did you mean 'toky contacts export'\?/));
  test("a mistyped command; nothing close: no guess", async () => {
    await usage(["smss", "send"], /unknown command 'smss'; did you mean 'toky sms'\?/);
    const r = await usage(["frobnicate"], /unknown command 'frobnicate'/);
    assert.doesNotMatch(r.stderr, /did you mean/);
    const o = await usage(["agents", "list", "--frobnicate"], /Unknown option '--frobnicate'/);
    assert.doesNotMatch(o.stderr, /did you mean/);
  });
  test("names every JavaScript object has are unknown commands and options, with no guess", async () => {
    for (const args of [["toString"], ["sms", "constructor"], ["agents", "list", "--constructor"], ["sms", "send", "--__proto__"]]) {
      const r = await usage(args, /^toky: (unknown command|Unknown option) /);
      assert.doesNotMatch(r.stderr, /did you mean|function/);
    }
  });
  test("a mistyped option", () => usage(["contacts", "list", "--limt", "3"], /Unknown option '--limt'; did you mean --limit\?/));
  test("a global option, also without a command", async () => {
    await usage(["agents", "list", "--jsn"], /did you mean --json\?/);
    const r = await toky(["--verbos"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^toky: unknown option '--verbos'; did you mean --verbose\?/m);
    assert.match((await toky(["--json"])).stderr, /^toky: missing command/m, "a known option is not called unknown");
  });
  test("another tool's name for an option", () =>
    usage(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--message", "hi"], /Unknown option '--message'; did you mean --text\?/));
  test("a mistyped --event", async () => {
    await control("DELETE", "/__mock/journal");
    await usage(["webhooks", "create", "--event", "new_smss", "--url", "https://hooks.example.com/h"], /--event: expected new_sms, .*, got 'new_smss'; did you mean 'new_sms'\?/);
    assert.deepEqual(await journal(), []);
  });
  test("a mistyped --format and --clear", async () => {
    await usage(["contacts", "export", "--format", "jsonl"], /--format: expected csv, json or ndjson, got 'jsonl'; did you mean 'json'\?/);
    await usage(["contacts", "update", "+15551234567", "--clear", "citty"], /--clear: expected first_name, last_name, email, company or city, got 'citty'; did you mean 'city'\?/);
  });
});

describe("relative times on the command line", () => {
  // A zone without daylight saving, 3 hours behind UTC: local midnight is 03:00 UTC.
  const TZ = "Etc/GMT+3", OFFSET = 3 * 36e5;
  const stamp = (ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const localMidnight = (now) => {
    const d = new Date(now - OFFSET);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + OFFSET;
  };
  /** The filter of the last request to `path`, decoded. */
  const filter = async (path) => new URLSearchParams((await journal()).findLast((j) => j.path == path).query).get("filter");

  test("--since yesterday --until today: local midnights (TZ), today up to its last second", async () => {
    const t0 = Date.now();
    await ok(["sms", "list", "--since", "yesterday", "--until", "today", "--json"], { env: { TZ } });
    const t1 = Date.now();
    const want = (now) => {
      const m = localMidnight(now);
      return `(created_at >= ${stamp(m - 864e5)}) AND (created_at <= ${stamp(m + 864e5 - 1000)})`;
    };
    assert.ok([want(t0), want(t1)].includes(await filter("/v1/sms")), await filter("/v1/sms"));
    // Dates and timestamps as before: an offset converted to UTC, a bare date passed as it is.
    await ok(["sms", "list", "--since", "2026-03-01T10:30:00+01:00", "--until", "2026-03-31", "--json"]);
    assert.equal(await filter("/v1/sms"), "(created_at >= 2026-03-01 09:30:00) AND (created_at <= 2026-03-31)");
  });
  test("--until yesterday: the last second of yesterday", async () => {
    const t0 = Date.now();
    await ok(["calls", "list", "--until", "yesterday", "--limit", "1", "--json"], { env: { TZ } });
    const t1 = Date.now();
    const want = (now) => `(created_at <= ${stamp(localMidnight(now) - 1000)})`;
    assert.ok([want(t0), want(t1)].includes(await filter("/v1/cdrs")), await filter("/v1/cdrs"));
  });
  for (const [value, ms] of [["2h", 2 * 36e5], ["30m", 30 * 6e4], ["7d", 7 * 864e5]])
    test(`--since ${value}: that long before now`, async () => {
      const t0 = Date.now();
      await ok(["calls", "list", "--since", value, "--json"]);
      const t1 = Date.now();
      const m = /^\(created_at >= (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\)$/.exec(await filter("/v1/cdrs"));
      assert.ok(m, await filter("/v1/cdrs"));
      const at = Date.parse(m[1].replace(" ", "T") + "Z");
      assert.ok(at >= Math.floor((t0 - ms) / 1000) * 1000 && at <= t1 - ms, `${m[1]} is not ${value} before the run`);
    });
  test("watch --since yesterday prints what arrived since then", async () => {
    const child = start(["watch", "sms", "--since", "yesterday", "--interval", "100ms", "--ndjson"]);
    await sleep(1500);
    child.kill("SIGINT");
    const r = await child.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
  });
  for (const [args, bad] of [
    [["sms", "list", "--since", "yesterdy"], "yesterdy"],
    [["calls", "list", "--until", "2 hours"], "2 hours"],
    [["watch", "sms", "--since", "soon"], "soon"],
    [["calls", "list", "--since", "999999999d"], "999999999d"], // before the year 0000
  ])
    test(`a bad value (${bad}): what is accepted, and no "Date"`, async () => {
      const r = await usage(args, new RegExp(`^toky: --(since|until): expected .*2h.*today.*yesterday.*YYYY-MM-DD.*ISO-8601.*got '${bad}'`));
      assert.doesNotMatch(r.stderr, /\bDate\b/);
    });
});

describe("one empty cell everywhere: —", () => {
  const calls = () => okJson(["calls", "list", "--limit", "100", "--json"]);
  test("tables, key/value lines and watch lines show — for a missing value, never null or a blank", async () => {
    const inbound = (await calls()).find((c) => c.to_number == null);
    assert.ok(inbound, "an inbound call without to_number among the first 100");
    const table = (await ok(["calls", "list", "--limit", "100"])).stdout.trim().split("\n");
    const header = table[0].split(/\s+/);
    const row = table.find((l) => l.startsWith(inbound.callid)).split(/\s+/);
    assert.equal(row.length, header.length, "every column present:\n" + table[0] + "\n" + row.join(" "));
    assert.equal(row[header.indexOf("to_number")], "—");

    const contact = (await okJson(["contacts", "list", "--limit", "100", "--json"])).find((c) => c.email == null);
    assert.ok(contact, "a contact without an email among the first 100");
    assert.match((await ok(["contacts", "get", contact.phone])).stdout, /^email\s+—$/m);

    const w = start(["watch", "calls", "--since", inbound.init_dt, "--interval", "100ms"]);
    const line = await w.waitFor("the inbound call", (c) => c.out.includes(inbound.callid));
    w.kill("SIGINT");
    await w.done;
    const mine = line.out.split("\n").find((l) => l.includes(inbound.callid));
    assert.match(mine, /-> — /);
    assert.doesNotMatch(line.out, /\bnull\b|\bundefined\b/);
  });
  test("on a terminal too", async () => {
    const inbound = (await calls()).find((c) => c.to_number == null);
    const r = await toky(["--", process.execPath, CLI, "calls", "list", "--limit", "100"], { command: ["python3", [join(root, "tests/cli/pty_run.py")]] });
    assert.equal(r.code, 0, r.stdout);
    const row = r.stdout.split(/\r?\n/).find((l) => l.startsWith(inbound.callid));
    assert.ok(row, r.stdout);
    assert.equal(row.split(/\s+/)[4], "—", row);
  });
});

describe("the key is masked by the core's rule", () => {
  test("a one-letter key: masked as a whole token only, so the message stays readable", async () => {
    const r = await toky(["contacts", "list", "--limit", "the e-mail key e"], { key: "e", check: null });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /got 'the e-mail key \*\*\*'/);
    assert.match(r.stderr, /expected a whole number from 1/);
  });
  test("a short key inside a word is left alone; a long one is masked anywhere", async () => {
    const short = await toky(["contacts", "list", "--limit", "xabcdex abcde"], { key: "abcde", check: null });
    assert.match(short.stderr, /got 'xabcdex \*\*\*'/);
    const long = await toky(["contacts", "list", "--limit", "xsekrit-key-123y"], { key: "sekrit-key-123" });
    assert.match(long.stderr, /got 'x\*\*\*y'/);
  });
});

describe("--interval and repeated options", () => {
  test("watch --interval 0 is refused, naming the minimum", async () => {
    const child = start(["watch", "sms", "--interval", "0"]);
    const r = await Promise.race([child.done, sleep(5000).then(() => (child.kill("SIGKILL"), { code: "still running after 5 s" }))]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^toky: --interval: at least 100ms, got '0'/);
    await usage(["watch", "calls", "--interval", "50ms"], /--interval: at least 100ms/);
  });
  test("a single-value option given twice is an error, not last-wins", async () => {
    await usage(["contacts", "list", "--limit", "2", "--limit", "3"], /--limit is given more than once/);
    await usage(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--to", "+15557654322", "--text", "hi", "--yes"], /--to is given more than once/);
    // Repeatable options stay repeatable.
    const r = await okJson(["request", "GET", "/agents", "--query", "limit=1", "--query", "offset=1", "--json"]);
    assert.equal(r.body.results.length, 1);
  });
});
