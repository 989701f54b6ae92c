// `toky watch`: a burst of 30 texts printed once each, in order; a restart resumes from the
// cursor file without gaps or repeats; calls and voicemails too. Against $TOKY_MOCK_URL.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulate, start, until } from "./helpers.mjs";

const dir = mkdtempSync(join(tmpdir(), "toky-watch-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a watch and resolves once it has saved its starting point. */
async function watching(resource, cursorFile, extra = []) {
  const before = existsSync(cursorFile) ? readFileSync(cursorFile, "utf8") : null;
  const child = start(["watch", resource, "--interval", "100ms", "--cursor-file", cursorFile, ...extra]);
  if (before == null) await until("the cursor file", () => existsSync(cursorFile));
  return child;
}
const ids = (lines) => lines.map((l) => JSON.parse(l).id);

describe("watch sms", () => {
  const cursor = join(dir, "sms.cursor");

  test("a burst of 30 texts: each once, oldest first; a restart resumes from the cursor file", async () => {
    let w = await watching("sms", cursor, ["--ndjson"]);
    const burst = await simulate({ event: "new_sms", count: 30 });
    assert.equal(burst.length, 30);
    // A marker after the burst: when it arrives, everything before it has been printed.
    const [marker] = await simulate({ event: "new_sms", text: "marker 1", count: 1 });
    const lines = await w.lines(31);
    assert.deepEqual(ids(lines), [...burst.map((e) => e.record.id), marker.record.id]);
    assert.equal(JSON.parse(lines[0]).direction, "inbound");
    w.kill("SIGINT");
    let r = await w.done;
    assert.equal(r.code, 0, r.stderr); // Ctrl-C is how a watch ends
    assert.equal(r.stdout.trimEnd().split("\n").length, 31, "nothing after the marker");
    const saved = readFileSync(cursor, "utf8");

    // While it is stopped, 5 more arrive; the restart prints exactly those, then the next marker.
    const missed = await simulate({ event: "new_sms", count: 5 });
    w = await watching("sms", cursor, ["--ndjson"]);
    const [marker2] = await simulate({ event: "new_sms", text: "marker 2", count: 1 });
    assert.deepEqual(ids(await w.lines(6)), [...missed.map((e) => e.record.id), marker2.record.id]);
    w.kill("SIGINT");
    r = await w.done;
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trimEnd().split("\n").length, 6);
    assert.notEqual(readFileSync(cursor, "utf8"), saved);
  });

  test("readable lines by default: time, direction, numbers, text", async () => {
    const w = await watching("sms", join(dir, "plain.cursor"));
    await simulate({ event: "new_sms", from_number: "+447700900111", text: "hello\nthere", count: 1 });
    const [line] = await w.lines(1);
    assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  inbound  \+447700900111 -> \+\d+  hello there$/);
    w.kill("SIGINT");
    assert.equal((await w.done).code, 0);
  });
});

describe("watch calls and voicemails", () => {
  test("watch calls prints a new call record", async () => {
    const w = await watching("calls", join(dir, "calls.cursor"), ["--ndjson"]);
    const [e] = await simulate({ event: "inbound_call_ended", count: 1 });
    const [line] = await w.lines(1);
    assert.equal(JSON.parse(line).callid, e.record.callid);
    w.kill("SIGINT");
    assert.equal((await w.done).code, 0);
  });

  test("watch voicemails prints a new voicemail", async () => {
    const w = await watching("voicemails", join(dir, "vm.cursor"), ["--ndjson"]);
    const [e] = await simulate({ event: "new_voicemail", count: 1 });
    const [line] = await w.lines(1);
    assert.equal(JSON.parse(line).id, e.record.id);
    w.kill("SIGINT");
    assert.equal((await w.done).code, 0);
  });

  test("watch calls --lookback sets the window its cursor's floor keeps; 24h at most; calls only", async () => {
    // The cursor (base64url JSON) keeps the newest second seen (t) and the floor (f): t - lookback.
    const windowOf = async (extra, name) => {
      const file = join(dir, `lookback-${name}.cursor`);
      const w = await watching("calls", file, extra);
      w.kill("SIGINT");
      assert.equal((await w.done).code, 0);
      const c = JSON.parse(Buffer.from(readFileSync(file, "utf8").trim(), "base64url").toString());
      return Date.parse(c.t + "Z") - Date.parse(c.f + "Z");
    };
    assert.equal(await windowOf(["--lookback", "0"], "0"), 0);
    assert.equal(await windowOf(["--lookback", "90m"], "90m"), 90 * 60_000);
    assert.equal(await windowOf([], "default"), 60 * 60_000, "without --lookback, the client's default (an hour)");
    for (const [args, message] of [
      [["watch", "calls", "--lookback", "25h"], /^toky: --lookback: at most 24h/],
      [["watch", "calls", "--lookback", "soon"], /^toky: --lookback: expected a duration/],
      [["watch", "sms", "--lookback", "1h"], /^toky: Unknown option '--lookback'/],
    ]) {
      const r = await start(args).done;
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  test("an auth failure ends the watch with exit 4", async () => {
    const r = await start(["watch", "sms", "--interval", "100ms"], { key: "not-the-key-9431" }).done;
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^toky: auth 401: /);
  });
});
