// `toky`: every command's happy path, --help for each, usage errors, exit codes per error kind,
// and the key never printed. Against the suite's toky-mock ($TOKY_MOCK_URL, seeded, key demo-key).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, COMMANDS, KEY, big, bigKey, clearFaults, control, fault, journal, mock, ok, okJson, okLines, root, simulate, start, toky } from "./helpers.mjs";

const api = async (path) => {
  const r = await fetch(mock + "/v1" + path, { headers: { "x-toky-key": KEY } });
  assert.equal(r.status, 200, path);
  return r.json();
};
const tmp = mkdtempSync(join(tmpdir(), "toky-cli-"));
// The contacts these tests create must not exist yet: a fresh seed, as tests/run.sh gives every
// suite, also when this file is run again against the same toky-mock.
before(() => control("POST", "/__mock/reset"));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("help", () => {
  test("toky --help lists every command, the environment and the exit codes", async () => {
    const { stdout } = await ok(["--help"]);
    for (const c of COMMANDS) assert.match(stdout, new RegExp(`^  ${c}\\b`, "m"), c);
    assert.match(stdout, /TOKY_API_KEY/);
    assert.match(stdout, /TOKY_BASE_URL/);
    assert.match(stdout, /2 usage, 3 validation, 4 auth\/permission, 5 not found,\s+6 network\/timeout/);
  });
  for (const c of COMMANDS)
    test(`toky ${c} --help: usage, options and an example`, async () => {
      // No key needed for help.
      const { stdout, stderr } = await ok([...c.split(" "), "--help"], { key: null });
      assert.match(stdout, new RegExp(`^Usage: toky ${c}\\b`));
      assert.match(stdout, new RegExp(`Example:\\n  toky ${c}\\b`));
      assert.match(stdout, /--base-url URL/);
      assert.equal(stderr, "");
    });
  for (const g of ["agents", "contacts", "sms", "voicemails", "calls", "webhooks", "watch"])
    test(`toky ${g} --help lists its sub-commands`, async () => {
      const { stdout } = await ok([g, "--help"], { key: null });
      for (const c of COMMANDS.filter((c) => c.startsWith(g + " "))) assert.match(stdout, new RegExp(`^  ${c.split(" ")[1]}\\b`, "m"));
    });
  test("toky help COMMAND is toky COMMAND --help", async () => {
    assert.equal((await ok(["help", "contacts", "export"], { key: null })).stdout, (await ok(["contacts", "export", "--help"], { key: null })).stdout);
    assert.match((await ok(["help"], { key: null })).stdout, /^toky \d/);
  });
  test("--version prints the package's version", async () => {
    const { stdout } = await ok(["--version"], { key: null });
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe("usage errors: exit 2, naming the problem", () => {
  const usage = async (args, pattern) => {
    const r = await toky(args);
    assert.equal(r.code, 2, `toky ${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, "one line:\n" + r.stderr);
  };
  test("no command", async () => {
    const r = await toky([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing command/);
  });
  test("unknown command", () => usage(["frobnicate"], /unknown command 'frobnicate'/));
  test("unknown sub-command", () => usage(["contacts", "delete"], /unknown command 'toky contacts delete'/));
  test("missing sub-command", () => usage(["contacts"], /needs a sub-command/));
  test("unknown flag", () => usage(["agents", "list", "--frobnicate"], /'--frobnicate'.*toky agents list --help/));
  test("unknown short flag", () => usage(["contacts", "list", "-z"], /'-z'/));
  test("a flag of another command", () => usage(["agents", "list", "--since", "2026-01-01"], /'--since'/));
  test("missing flag value", () => usage(["agents", "list", "--limit"], /--limit/));
  test("bad number", () => usage(["contacts", "list", "--limit", "ten"], /--limit: expected a whole number/));
  test("missing argument", () => usage(["contacts", "get"], /missing PHONE/));
  test("extra argument", () => usage(["contacts", "get", "+15551234567", "+15551234568"], /unexpected argument '\+15551234568'/));
  test("--json with --ndjson", () => usage(["agents", "list", "--json", "--ndjson"], /--json and --ndjson/));
  test("bad export format", () => usage(["contacts", "export", "--format", "xml"], /--format: expected csv, json or ndjson, got 'xml'/));
  test("required option missing", () => usage(["sms", "send", "--to", "+15557654321", "--text", "hi", "--yes"], /--from is required/));
  test("--data that is not JSON", () => usage(["request", "POST", "/contacts", "--data", "{nope"], /--data: not valid JSON/));
  test("--query without =", () => usage(["request", "GET", "/agents", "--query", "limit"], /--query: expected KEY=VALUE/));
  test("watch --json", () => usage(["watch", "sms", "--json"], /use --ndjson/));
  test("bad --interval", () => usage(["watch", "sms", "--interval", "soon"], /--interval/));
});

describe("commands against toky-mock", () => {
  test("agents list: a table, --json and --ndjson match the API", async () => {
    const want = (await api("/agents?limit=500")).results.map((a) => a.email);
    const table = (await ok(["agents", "list"])).stdout.trim().split("\n");
    assert.match(table[0], /^email\s+fullname\s+is_admin\s+phone_number\s+last_connection$/);
    assert.deepEqual(table.slice(1).map((l) => l.split(/\s+/)[0]), want);
    const json = await okJson(["agents", "list", "--json"]);
    assert.deepEqual(json.map((a) => a.email), want);
    assert.equal(typeof json[0].is_admin, "boolean"); // normalised by the client
    const lines = await okLines(["--ndjson", "agents", "list"]); // global flags before the command too
    assert.deepEqual(lines, json);
  });

  test("contacts list: --limit, --offset and --all across pages", async () => {
    const all = [];
    for (let url = "/contacts?limit=500"; url; ) {
      const p = await api(url);
      all.push(...p.results.map((c) => c.phone));
      url = p.next && p.next.slice(p.next.indexOf("/v1") + 3);
    }
    assert.deepEqual((await okJson(["contacts", "list", "--json"])).map((c) => c.phone), all.slice(0, 50));
    assert.deepEqual((await okJson(["contacts", "list", "--limit", "7", "--offset", "3", "--json"])).map((c) => c.phone), all.slice(3, 10));
    const every = await okLines(["contacts", "list", "--all", "--ndjson"]);
    assert.deepEqual(every.map((c) => c.phone), all);
  });

  test("contacts create, get, update", async () => {
    const phone = "+15557650001";
    const made = await okJson(["contacts", "create", phone, "--first-name", "Ada", "--last-name", "Lovelace", "--city", "London", "--json"]);
    assert.equal(made.phone, phone);
    assert.equal(made.contact_name, "Ada Lovelace");
    const got = await okJson(["contacts", "get", phone, "--json"]);
    assert.equal(got.city, "London");
    const changed = await okJson(["contacts", "update", phone, "--company", "Analytical Engines", "--clear", "city", "--json"]);
    assert.equal(changed.company, "Analytical Engines");
    assert.equal(changed.city, null);
    // The default output: key/value lines.
    const { stdout } = await ok(["contacts", "get", phone]);
    assert.match(stdout, /^phone\s+\+15557650001$/m);
    assert.match(stdout, /^company\s+Analytical Engines$/m);
  });

  test("sms send: the segment count on stderr, sent exactly once", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await ok(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "Build finished ✅", "--yes", "--json"]);
    const sent = JSON.parse(r.stdout);
    assert.equal(sent.success, true);
    assert.equal(sent.segments, 1);
    assert.match(r.stderr, /^1 segment \(UCS-2, 16 characters, 54 left in the last segment\)$/m);
    const sends = (await journal()).filter((j) => j.path == "/v1/sms/send");
    assert.equal(sends.length, 1);
    assert.equal(JSON.parse(sends[0].body).text, "Build finished ✅");
    const [first] = (await api("/sms?limit=1")).results;
    assert.equal(first.id, sent.id);
  });

  test("sms send: without a terminal it does not ask (stdin is a pipe); --text - reads stdin", async () => {
    const r = await ok(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "-", "--ndjson"], { input: "a".repeat(161) + "\n" });
    assert.equal(JSON.parse(r.stdout).segments, 2);
    assert.match(r.stderr, /^2 segments \(GSM-7, 161 characters/m);
  });

  test("sms send: the answer is lost after Toky sent it → found in the history, never sent twice", async () => {
    await control("DELETE", "/__mock/journal");
    await fault({ route: "/sms/send", kind: "drop_after" });
    const r = await toky(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "once", "--yes", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).reconciled, true);
    assert.match(r.stderr, /^the answer was lost; the text was found in the SMS history/m);
    assert.equal((await journal()).filter((j) => j.path == "/v1/sms/send").length, 1);
  });

  test("sms send: the connection drops before Toky acts → exit 6, says it was NOT sent", async () => {
    await control("DELETE", "/__mock/journal");
    await fault({ route: "/sms/send", kind: "drop_before" });
    const r = await toky(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "never", "--yes"]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /^toky: network: .*The text was NOT sent: it is not in the SMS history/m);
    assert.equal((await journal()).filter((j) => j.path == "/v1/sms/send").length, 1);
  });

  test("sms list --since/--until", async () => {
    const rows = await okJson(["sms", "list", "--since", "2026-03-01", "--until", "2026-03-31", "--limit", "5", "--json"]);
    assert.equal(rows.length, 5);
    for (const s of rows) assert.ok(s.created_at >= "2026-03-01T00:00:00Z" && s.created_at <= "2026-03-31T23:59:59Z", s.created_at);
    const table = (await ok(["sms", "list", "--limit", "3"])).stdout.trim().split("\n");
    assert.equal(table.length, 4);
    assert.match(table[0], /^id\s+created_at\s+direction\s+from\s+to\s+agent\s+text$/);
  });

  test("voicemails list and get", async () => {
    const rows = await okJson(["voicemails", "list", "--limit", "3", "--json"]);
    assert.equal(rows.length, 3);
    const vm = await okJson(["voicemails", "get", rows[0].id, "--json"]);
    assert.equal(vm.id, rows[0].id);
    assert.match(vm.url, /\/__mock\/audio\/.+\.wav$/);
  });

  test("calls list and recording", async () => {
    const rows = await okJson(["calls", "list", "--limit", "100", "--json"]);
    assert.equal(rows.length, 100);
    let found = null;
    for (const c of rows.filter((c) => c.disposition_code == 200).slice(0, 10)) {
      const r = await toky(["calls", "recording", c.callid, "--json"]);
      if (r.code == 0) {
        found = JSON.parse(r.stdout);
        break;
      }
      assert.equal(r.code, 5, r.stderr); // answered calls without a recording: not_found
    }
    assert.ok(found, "no answered call with a recording among the first 100");
    assert.match(found.url, /\.wav$/);
  });

  test("webhooks create, list, delete", async () => {
    const url = "https://hooks.example.com/hook?token=s3cret";
    const hook = await okJson(["webhooks", "create", "--event", "new_sms", "--url", url, "--json"]);
    assert.equal(hook.hook_url, url);
    const listed = await okJson(["webhooks", "list", "--json"]);
    assert.ok(listed.some((h) => h.id == hook.id));
    assert.deepEqual(await okJson(["webhooks", "delete", hook.id, "--json"]), { success: true });
    assert.ok(!(await okJson(["webhooks", "list", "--json"])).some((h) => h.id == hook.id));
    const r = await toky(["webhooks", "delete", hook.id]);
    assert.equal(r.code, 5);
  });

  test("request: method, path, --query, --header, --data", async () => {
    const one = await okJson(["request", "get", "/agents", "--query", "limit=1", "--header", "X-Trace: cli", "--json"]);
    assert.equal(one.status, 200);
    assert.equal(one.body.results.length, 1);
    const t = (await journal()).findLast((j) => j.path == "/v1/agents");
    assert.equal(t.query, "limit=1");
    // Default output: the body.
    const body = JSON.parse((await ok(["request", "GET", "/agents", "--query", "limit=2"])).stdout);
    assert.equal(body.results.length, 2);
    const file = join(tmp, "contact.json");
    writeFileSync(file, JSON.stringify({ phone: "+15557650002", first_name: "Grace" }));
    const made = await okJson(["request", "POST", "/contacts", "--data", "@" + file, "--json"]);
    assert.equal(made.status, 201);
    assert.equal(made.body.first_name, "Grace");
    const fromStdin = await okJson(["request", "PUT", "/contacts/+15557650002", "--data", "-", "--ndjson"], { input: '{"city":"Arlington"}' });
    assert.equal(fromStdin.body.city, "Arlington");
  });

  test("segments: no key needed", async () => {
    const s = await okJson(["segments", "Hello 👋", "--json"], { key: null, base: null });
    assert.deepEqual(s, { encoding: "UCS-2", characters: 8, segments: 1, perSegment: 70, remaining: 62 });
    const { stdout } = await ok(["segments", "hi"], { key: null });
    assert.match(stdout, /^encoding\s+GSM-7$/m);
    assert.match(stdout, /^segments\s+1$/m);
  });
});

describe("exit codes by error kind, one line each", () => {
  after(() => clearFaults());
  const fails = async (args, code, pattern, opts) => {
    const r = await toky(args, opts);
    assert.equal(r.code, code, `toky ${args.join(" ")}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    // One error line (sms send prints the segment count before it).
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("toky:"));
    assert.equal(errors.length, 1, "one error line:\n" + r.stderr);
    assert.match(errors[0], pattern);
    assert.equal(r.stdout, "");
    return r;
  };
  test("validation before any request: 3, with the field", () =>
    fails(["sms", "send", "--from", "+13055550100", "--to", "555-1234", "--text", "hi", "--yes"], 3, /^toky: validation \(field to\): to: expected a phone number/));
  test("validation caught by the client, another field: 3", () =>
    fails(["contacts", "create", "+15557650003", "--country-code", "USA"], 3, /^toky: validation \(field country_code\): /));
  test("validation from the server (400): 3", () =>
    fails(["request", "POST", "/contacts", "--data", '{"phone":"+15557650004","nickname":"x"}'], 3, /^toky: validation 400: .*nickname/));
  test("auth: a wrong key is 4, and the key is not printed", async () => {
    const r = await fails(["agents", "list"], 4, /^toky: auth 401: /, { key: "wrong-secret-key-0042" });
    assert.ok(!r.stderr.includes("wrong-secret-key-0042"));
  });
  test("auth: no key at all is 4", () => fails(["agents", "list"], 4, /no API key: set TOKY_API_KEY/, { key: null }));
  test("permission (403): 4", async () => {
    await fault({ route: "/agents", kind: "status", status: 403 });
    await fails(["agents", "list"], 4, /^toky: permission 403: /);
  });
  test("permission (402): 4", async () => {
    await fault({ route: "/voicemails", kind: "status", status: 402 });
    await fails(["voicemails", "list"], 4, /^toky: permission 402: /);
  });
  test("not_found: 5", () => fails(["contacts", "get", "+19995550123"], 5, /^toky: not_found 404: /));
  test("network (nothing listening): 6", () => fails(["agents", "list", "--base-url", "http://127.0.0.1:9/v1"], 6, /^toky: network: /));
  test("timeout: 6", async () => {
    await fault({ route: "/agents", kind: "hang", count: 5 });
    await fails(["agents", "list", "--timeout", "300ms"], 6, /^toky: timeout: /);
    await clearFaults();
  });
  test("conflict (409): 1", () => fails(["contacts", "create", "+15557650001"], 1, /^toky: conflict 409: /));
  test("api (success:false in a 200): 1", () =>
    fails(["sms", "send", "--from", "+15550000000", "--to", "+15557654321", "--text", "hi", "--yes"], 1, /^toky: api 200: /));
  test("server (5xx after the retries): 1", async () => {
    await fault({ route: "/agents", kind: "status", status: 500, count: 3 });
    await fails(["agents", "list"], 1, /^toky: server 500: /);
  });
  test("--verbose: one stderr line per attempt, retries included; stdout stays JSON", async () => {
    await fault({ route: "/agents", kind: "status", status: 503, count: 1 });
    const r = await toky(["agents", "list", "--verbose", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Array.isArray(JSON.parse(r.stdout)));
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    const url = String.raw`http://127\.0\.0\.1:\d+/v1/agents\S*`;
    assert.match(lines[0], new RegExp(`^toky: GET ${url} attempt 1: 503 in \\d+ ms \\(request id \\S+\\)$`));
    assert.match(lines[1], new RegExp(`^toky: GET ${url} attempt 2: 200 in \\d+ ms \\(request id \\S+\\)$`));
    const down = await toky(["agents", "list", "--verbose", "--base-url", "http://127.0.0.1:9/v1"]);
    assert.equal(down.code, 6);
    assert.match(down.stderr.split("\n")[0], /^toky: GET http:\/\/127\.0\.0\.1:9\/v1\/agents\S* attempt 1: the request failed before a response arrived.* in \d+ ms$/);
  });
  test("--api-key works with a warning that does not show the key", async () => {
    const r = await toky(["agents", "list", "--api-key", KEY, "--json"], { key: null });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: --api-key puts the key in your shell history/);
    assert.ok(!r.stderr.includes(KEY) && !r.stdout.includes(KEY));
  });
  test("--api-key-file", async () => {
    const f = join(tmp, "key");
    writeFileSync(f, KEY + "\n");
    assert.equal((await okJson(["agents", "list", "--api-key-file", f, "--limit", "1", "--json"], { key: null })).length, 1);
    const r = await toky(["agents", "list", "--api-key-file", "-", "--limit", "1"], { key: null, input: KEY });
    assert.equal(r.code, 0, r.stderr);
  });
  test("a base URL from --base-url wins over TOKY_BASE_URL", async () => {
    const r = await okJson(["agents", "list", "--limit", "1", "--json", "--base-url", mock + "/v1"], { base: "http://127.0.0.1:9" });
    assert.equal(r.length, 1);
  });
});

describe("on a terminal (a pseudo-terminal from Python's pty module)", () => {
  const pty = (args, { answer, expect = "\\[y/N\\] " } = {}) => {
    const pre = answer === undefined ? [] : ["--expect", expect, "--answer", answer];
    return toky([...pre, "--", process.execPath, CLI, ...args], { command: ["python3", [join(root, "tests/cli/pty_run.py")]] });
  };
  const send = ["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "Are you there?"];
  const sends = async () => (await journal()).filter((j) => j.path == "/v1/sms/send").length;

  test("sms send asks first; 'n' sends nothing (exit 1)", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await pty(send, { answer: "n" });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /1 segment \(GSM-7, 14 characters/);
    assert.match(r.stdout, /Send this text to \+15557654321 from \+13055550100\? \[y\/N\] /);
    assert.match(r.stdout, /toky: not sent/);
    assert.equal(await sends(), 0);
  });
  test("sms send asks first; 'y' sends it once", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await pty(send, { answer: "y" });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^success\s+true\r?$/m);
    assert.equal(await sends(), 1);
  });
  test("sms send: Ctrl-C at the question sends nothing (exit 130)", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await pty(send, { answer: "\x03" });
    assert.equal(r.code, 130, r.stdout);
    assert.match(r.stdout, /toky: interrupted: not sent/);
    assert.equal(await sends(), 0);
  });
  test("--yes does not ask", async () => {
    await control("DELETE", "/__mock/journal");
    const r = await pty([...send, "--yes"]);
    assert.equal(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, /\[y\/N\]/);
    assert.equal(await sends(), 1);
  });
  test("contacts export shows progress on a terminal, rewritten in place", async () => {
    const out = join(tmp, "tty.csv");
    const r = await pty(["contacts", "export", "--out", out, "--page-size", "100"]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /\r\x1b\[K\d+ contacts, \d+ pages?, [\d,]+\/s: done in [\d.]+s, written to /);
  });
});

describe("the key is never printed, even when it is misplaced", () => {
  test("as the value of another flag, from the environment", async () => {
    const r = await toky(["contacts", "list", "--limit", KEY]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /got '\*\*\*'/);
  });
  test("as the value of another flag, with --api-key", async () => {
    const r = await toky(["agents", "list", "--api-key", "sekrit-key-123", "--limit", "sekrit-key-123"], { key: null, check: "sekrit-key-123" });
    assert.equal(r.code, 2);
  });
  test("as an unknown command", async () => {
    const r = await toky([KEY]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command '\*\*\*'/);
  });
});

describe("output problems", () => {
  test("export to a folder that does not exist: exit 1, naming the file", async () => {
    const r = await toky(["contacts", "export", "--out", join(tmp, "missing", "x.csv")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^toky: cannot write .*missing\/x\.csv: ENOENT$/m);
  });
  test("a reader that goes away (| head): exit 0, quietly", async () => {
    // 10,000 contacts (3 MB): still writing when the reader leaves.
    const child = start(["contacts", "export", "--format", "ndjson"], { key: bigKey, base: big });
    await child.lines(1);
    child.stdout.destroy();
    const r = await child.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
  });
});
