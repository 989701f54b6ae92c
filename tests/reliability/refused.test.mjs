// sms.send when the request provably never left (issue 23): a refused connection, an unknown
// host, a failed TLS handshake. The runtime says so in the fetch error's cause (Node/undici: a
// `code`; Deno: its message), and the outcome is `sent: false` at once, without reading the SMS
// history. Where the runtime cannot tell (a browser's bare "Failed to fetch"), the history is
// read as before. Node in process; Deno as a child process on the same package (pkg/node.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Toky, TokyError } from "toky-wasm";
import { ROOT, within, outcome } from "./lib.mjs";

const SMS = { from: "+13055550100", to: "+15551234567", text: "hi" };

/** A port nothing listens on: bound (port 0), then closed. */
async function closedPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** A client whose onRequest hook records every attempt as "METHOD path". */
function client(baseUrl, more = {}) {
  const seen = [];
  const toky = new Toky({ apiKey: "demo-key", baseUrl, onRequest: (i) => seen.push(`${i.method} ${new URL(i.url).pathname}`), ...more });
  return { toky, seen };
}

async function refusedSend(toky) {
  const r = await within(toky.sms.send(SMS), 5000);
  assert.ok(r.error instanceof TokyError, outcome(r));
  return r;
}

test("Node, connection refused: sent false at once, no history read", async () => {
  const port = await closedPort();
  const { toky, seen } = client(`http://127.0.0.1:${port}/v1`);
  const r = await refusedSend(toky);
  assert.equal(r.error.sent, false, r.error.message);
  assert.equal(r.error.kind, "network");
  assert.match(r.error.message, /ECONNREFUSED/);
  assert.deepEqual(seen, ["POST /v1/sms/send"], "no SMS history read");
  assert.ok(r.elapsed < 1000, `took ${Math.round(r.elapsed)} ms`);
});

test("Node, unknown host and failed TLS handshakes: sent false, no history read", async (t) => {
  const cause = (code, message) => Object.assign(new Error(message), { code });
  const cases = [
    ["ENOTFOUND (real DNS, .invalid)", "http://toky-refused-test.invalid/v1", undefined],
    ["DEPTH_ZERO_SELF_SIGNED_CERT in the cause", "http://127.0.0.1:9/v1", () => Promise.reject(new TypeError("fetch failed", { cause: cause("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate") }))],
    ["ERR_TLS_CERT_ALTNAME_INVALID two causes down", "http://127.0.0.1:9/v1", () => Promise.reject(new TypeError("fetch failed", { cause: new Error("wrapped", { cause: cause("ERR_TLS_CERT_ALTNAME_INVALID", "altname") }) }))],
    // Node >= 20 tries each address of a host; the AggregateError carries the code itself.
    ["AggregateError of ECONNREFUSED (Node's per-address attempts)", "http://127.0.0.1:9/v1", () => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new AggregateError([cause("ECONNREFUSED", "connect ECONNREFUSED ::1:9"), cause("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9")]), { code: "ECONNREFUSED" }) }))],
  ];
  for (const [what, baseUrl, fetch] of cases) {
    await t.test(what, async () => {
      const { toky, seen } = client(baseUrl, fetch ? { fetch } : {});
      const r = await refusedSend(toky);
      // A sandbox without DNS may answer EAI_AGAIN instead of ENOTFOUND: both never left.
      assert.equal(r.error.sent, false, r.error.message);
      assert.deepEqual(seen, ["POST /v1/sms/send"], "no SMS history read");
      assert.ok(r.elapsed < 2000, `took ${Math.round(r.elapsed)} ms`);
    });
  }
});

test("a failure the runtime does not explain (a browser's 'Failed to fetch') still reads the history", async () => {
  const { toky, seen } = client("http://127.0.0.1:9/v1", { fetch: () => Promise.reject(new TypeError("Failed to fetch")), maxRetries: 0 });
  const r = await refusedSend(toky);
  assert.equal(r.error.sent, null, r.error.message);
  assert.ok(seen.includes("GET /v1/sms"), `the history is read: ${seen}`);
  // And a reset after the request may have gone out is not "never left" either.
  const reset = client("http://127.0.0.1:9/v1", { fetch: () => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "ECONNRESET" }) })), maxRetries: 0 });
  const r2 = await refusedSend(reset.toky);
  assert.equal(r2.error.sent, null, r2.error.message);
  assert.ok(reset.seen.includes("GET /v1/sms"));
});

test("Deno, connection refused: sent false at once, no history read", async () => {
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), "toky-refused-"));
  try {
    const script = join(dir, "refused.ts");
    writeFileSync(
      script,
      `import { Toky } from ${JSON.stringify(pathToFileURL(join(ROOT, "pkg/node.js")).href)};
const seen: string[] = [];
const toky = new Toky({ apiKey: "demo-key", baseUrl: Deno.args[0], onRequest: (i: { method: string; url: string }) => { seen.push(i.method + " " + new URL(i.url).pathname); } });
const t0 = performance.now();
try {
  await toky.sms.send(${JSON.stringify(SMS)});
  console.log(JSON.stringify({ resolved: true }));
} catch (e: any) {
  console.log(JSON.stringify({ sent: e.sent, kind: e.kind, message: e.message, seen, ms: performance.now() - t0 }));
}
`,
    );
    const out = await new Promise((resolve, reject) =>
      execFile(
        join(ROOT, "node_modules/.bin/deno"),
        ["run", "--no-check", "--allow-net=127.0.0.1", `--allow-read=${join(ROOT, "pkg")}`, script, `http://127.0.0.1:${port}/v1`],
        { env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" }, timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`deno failed: ${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const r = JSON.parse(out.trim().split("\n").pop());
    assert.equal(r.sent, false, JSON.stringify(r));
    assert.equal(r.kind, "network");
    assert.deepEqual(r.seen, ["POST /v1/sms/send"], "no SMS history read");
    assert.ok(r.ms < 1000, `took ${Math.round(r.ms)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
