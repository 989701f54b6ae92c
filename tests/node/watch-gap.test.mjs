// calls.watch and the long-call gap, through the built package imported by name: a CDR is placed
// by init_dt (when the call started), so a long call that ends after a newer short one was
// yielded lands below it in the list. toky-mock's `started_s_ago` makes such a call. Runs
// against the toky-mock that tests/run.sh started (no reset: it only adds calls).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Toky } from "toky-wasm";

const MOCK = process.env.TOKY_MOCK_URL;
const WAIT_MS = 15_000; // a guard against hanging, never a pause: every wait ends on a condition

async function call(body) {
  const r = await fetch(MOCK + "/__mock/events", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()).record;
}

/** The watcher's next record, or a failure naming what was awaited. */
async function next(w, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no record within ${WAIT_MS} ms: ${what}`)), WAIT_MS)));
  try {
    const r = await Promise.race([w.next(), late]);
    assert.equal(r.done, false, what);
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the watch has made its first poll (its starting point is known). */
async function started(w) {
  const until = Date.now() + WAIT_MS;
  while (w.cursor === null) {
    assert.ok(Date.now() < until, "the watch's first poll did not end");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("a long call appearing late is yielded once by calls.watch, and not again after a restart from its cursor", async () => {
  assert.ok(MOCK, "TOKY_MOCK_URL is set by tests/run.sh");
  const toky = new Toky({ apiKey: "demo-key", baseUrl: MOCK + "/v1" });
  const w = toky.calls.watch({ intervalMs: 20 });
  // The rules before the look-back window, for contrast: it misses the long call.
  const old = toky.calls.watch({ intervalMs: 20, lookbackMs: 0 });
  try {
    await Promise.all([started(w), started(old)]);

    const short = await call({ event: "inbound_call_ended", duration: 5 });
    assert.equal((await next(w, "the short call")).id, short.id);
    assert.equal((await next(old, "the short call (lookbackMs 0)")).id, short.id);

    // A call that began half an hour ago ends now: its record is newer, its init_dt older.
    const long = await call({ event: "inbound_call_ended", started_s_ago: 1800 });
    assert.ok(long.init_dt < short.init_dt, `${long.init_dt} < ${short.init_dt}`);
    const got = await next(w, "the long call");
    assert.equal(got.id, long.id);
    assert.equal(got.init_dt, long.init_dt.replace(" ", "T") + "Z");
    const saved = w.cursor;

    // Once: after it, the next record is the next new call (not the long one again).
    const after = await call({ event: "new_call" });
    assert.equal((await next(w, "the call after the long one")).id, after.id);
    assert.equal((await next(old, "the call after (lookbackMs 0)")).id, after.id, "without the window the long call is missed");

    // A restart from the cursor saved right after the long call: the first record is the call
    // made after it, then the next new one; the long call is not yielded again.
    await w.return();
    const again = toky.calls.watch({ cursor: saved, intervalMs: 20 });
    try {
      assert.equal((await next(again, "the call after, from the cursor")).id, after.id);
      const last = await call({ event: "new_call" });
      assert.equal((await next(again, "a new call, from the cursor")).id, last.id);
    } finally {
      await again.return();
    }
  } finally {
    await w.return();
    await old.return();
  }
});

test("lookbackMs is a calls.watch option only, 0 to 86400000", () => {
  const toky = new Toky({ apiKey: "demo-key", baseUrl: (MOCK ?? "http://127.0.0.1:9") + "/v1" });
  for (const bad of [-1, 86_400_001, "1h"])
    assert.throws(() => toky.calls.watch({ lookbackMs: bad }), (e) => e.kind === "validation" && e.field === "lookbackMs" && e.operation === "calls.watch");
  for (const r of ["sms", "voicemails"])
    assert.throws(() => toky[r].watch({ lookbackMs: 60_000 }), (e) => e.field === "lookbackMs" && /unknown option/.test(e.message));
});
