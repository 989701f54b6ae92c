// httpbin (PyPI, served by gunicorn; nobody here wrote it) as baseUrl for the raw request():
// status codes → README's error kinds; attempts per method on 503/429 (counted by a wrapping
// fetch, since httpbin keeps no count); redirects not followed and their targets never reached;
// /delay and /drip against timeoutMs; gzip, deflate and brotli; /drip and /stream bodies;
// non-ASCII; query values round-tripped through /get; x-request-id reaching requestId on an error.
// HTTPBIN_URL is set by tests/suites/httpbin.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Toky, TokyError } from "toky-wasm";

const H = process.env.HTTPBIN_URL;
const KEY = "httpbin-key-3c1e";
const cases = {};
const count = (group) => (cases[group] = (cases[group] ?? 0) + 1);

/** A client whose fetch is wrapped to record each attempt (URL, method, status seen). */
function client(opts = {}) {
  const attempts = [];
  const toky = new Toky({
    apiKey: KEY,
    baseUrl: H,
    maxRetries: 0,
    timeoutMs: 10_000,
    fetch: async (url, init) => {
      const a = { url, method: init.method ?? "GET", redirect: init.redirect, status: null };
      attempts.push(a);
      const r = await fetch(url, init);
      a.status = r.status;
      a.redirected = r.redirected;
      return r;
    },
    ...opts,
  });
  return { toky, attempts };
}

/** Settles `p` within `ms` or fails: `{ value }` or `{ error }`, with `elapsed`. */
async function within(p, ms) {
  const t0 = performance.now();
  let timer;
  try {
    return await Promise.race([
      p.then((value) => ({ value }), (error) => ({ error })).then((r) => ({ ...r, elapsed: performance.now() - t0 })),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// Another origin: a redirect's target that must never be reached.
let elsewhere;
const reached = [];
before(async () => {
  assert.ok(H, "HTTPBIN_URL is set by tests/suites/httpbin.sh");
  elsewhere = createServer((req, res) => {
    reached.push({ url: req.url, key: req.headers["x-toky-key"] });
    res.end("{}");
  });
  await new Promise((r) => elsewhere.listen(0, "127.0.0.1", r));
});
after(async () => {
  elsewhere.closeAllConnections();
  await new Promise((r) => elsewhere.close(r));
  const total = Object.values(cases).reduce((a, b) => a + b, 0);
  console.log(`httpbin: ${total} cases (${Object.entries(cases).map(([k, n]) => `${k} ${n}`).join(", ")})`);
});

test("status codes → error kinds (README's Errors table)", async () => {
  const KINDS = {
    400: "validation", 401: "auth", 402: "permission", 403: "permission", 404: "not_found", 409: "conflict",
    413: "validation", 422: "validation", 429: "rate_limit", 408: "timeout",
    500: "server", 501: "server", 502: "server", 503: "server", 504: "server", 505: "server",
  };
  const { toky } = client();
  await Promise.all(
    Object.entries(KINDS).map(async ([code, kind]) => {
      const r = await within(toky.request({ path: `/status/${code}` }), 10_000);
      count("status codes");
      assert.ok(r.error instanceof TokyError, `${code}: expected a TokyError`);
      assert.equal(r.error.kind, kind, `${code}: ${r.error.message}`);
      assert.equal(r.error.status, Number(code));
      assert.equal(r.error.operation, "request");
    }),
  );
  for (const code of [200, 201, 202, 204]) {
    const r = await within(toky.request({ path: `/status/${code}` }), 10_000);
    count("status codes");
    assert.ok(!r.error, `${code}: ${r.error?.message}`);
    assert.equal(r.value.status, code);
  }
});

test("attempts per method on 503 and 429 (maxRetries 2): GET, PUT, DELETE retried; POST, PATCH never", async () => {
  const expected = { GET: 3, PUT: 3, DELETE: 3, POST: 1, PATCH: 1 };
  await Promise.all(
    [503, 429].flatMap((code) =>
      Object.entries(expected).map(async ([method, n]) => {
        const { toky, attempts } = client({ maxRetries: 2 });
        const r = await within(toky.request({ method, path: `/status/${code}`, body: method === "GET" || method === "DELETE" ? undefined : { a: 1 } }), 15_000);
        count("attempts per method");
        assert.equal(r.error?.kind, code === 503 ? "server" : "rate_limit", `${method} ${code}`);
        assert.equal(attempts.length, n, `${method} ${code}: attempts`);
        assert.ok(attempts.every((a) => a.method === method && a.status === code));
        assert.equal(r.error.retries, n - 1, `${method} ${code}: retries`);
      }),
    ),
  );
  // 501 and 505 say the server never will: no retry even for GET.
  for (const code of [501, 505]) {
    const { toky, attempts } = client({ maxRetries: 2 });
    await within(toky.request({ path: `/status/${code}` }), 10_000);
    count("attempts per method");
    assert.equal(attempts.length, 1, `GET ${code} is not retried`);
  }
});

test("redirects (301, 302, 303, 307, 308; relative and absolute) are not followed; the target never sees the key", async () => {
  const targets = [
    ["relative", "/anything/landed"],
    ["absolute, same server", `${H}/anything/landed`],
    ["absolute, another origin", `http://127.0.0.1:${elsewhere.address().port}/landed`],
  ];
  for (const code of [301, 302, 303, 307, 308])
    for (const [how, url] of targets)
      for (const method of ["GET", "POST", "DELETE"]) {
        const { toky, attempts } = client({ maxRetries: 2 });
        const r = await within(toky.request({ method, path: "/redirect-to", query: { url, status_code: code } }), 10_000);
        count("redirects");
        const where = `${method} ${code} ${how}`;
        assert.ok(r.error instanceof TokyError, `${where}: a redirect is an error, got ${JSON.stringify(r.value)?.slice(0, 200)}`);
        assert.equal(r.error.kind, "api", where);
        assert.equal(r.error.status, code, where);
        assert.equal(attempts.length, 1, `${where}: one request, no retry`);
        assert.equal(attempts[0].status, code, `${where}: fetch itself did not follow the redirect`);
        assert.ok(!attempts[0].redirected, where);
      }
  for (const path of ["/redirect/2", "/relative-redirect/1", "/absolute-redirect/1"]) {
    const { toky, attempts } = client();
    const r = await within(toky.request({ path }), 10_000);
    count("redirects");
    assert.equal(r.error?.kind, "api", path);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0].status, 302);
  }
  assert.deepEqual(reached, [], "the other origin was never reached");
});

test("/delay against timeoutMs", async () => {
  const { toky } = client();
  const slow = await within(toky.request({ path: "/delay/3" }, { timeoutMs: 800 }), 3000);
  count("delay");
  assert.equal(slow.error?.kind, "timeout", `/delay/3 with timeoutMs 800: ${slow.error?.message}`);
  assert.ok(slow.elapsed < 800 + 750, `settled after ${Math.round(slow.elapsed)} ms`);
  const ok = await within(toky.request({ path: "/delay/1" }, { timeoutMs: 5000 }), 7000);
  count("delay");
  assert.ok(!ok.error, ok.error?.message);
  assert.equal(ok.value.status, 200);
  assert.match(ok.value.body.url, /\/delay\/1$/);
  assert.ok(ok.elapsed >= 900, `/delay/1 answered after ${Math.round(ok.elapsed)} ms`);
});

test("gzip, deflate and brotli bodies are decoded", async () => {
  const { toky } = client();
  for (const [path, flag] of [["/gzip", "gzipped"], ["/deflate", "deflated"], ["/brotli", "brotli"]]) {
    const r = await within(toky.request({ path }), 10_000);
    count("encodings");
    assert.ok(!r.error, `${path}: ${r.error?.message}`);
    assert.equal(r.value.body[flag], true, path);
  }
});

test("/drip and /stream bodies: read whole, or cut by the deadline", async () => {
  const { toky } = client();
  const drip = await within(toky.request({ path: "/drip", query: { duration: 1, numbytes: 10, delay: 0, code: 200 } }), 10_000);
  count("drip/stream");
  assert.ok(!drip.error, drip.error?.message);
  assert.equal(drip.value.body, "*".repeat(10));
  // A body that drips past the deadline: the call settles at timeoutMs.
  const slow = await within(toky.request({ path: "/drip", query: { duration: 5, numbytes: 5, delay: 0 } }, { timeoutMs: 800 }), 3000);
  count("drip/stream");
  assert.equal(slow.error?.kind, "timeout", slow.error?.message ?? "resolved");
  assert.ok(slow.elapsed < 800 + 750, `settled after ${Math.round(slow.elapsed)} ms`);
  const stream = await within(toky.request({ path: "/stream/5" }), 10_000);
  count("drip/stream");
  assert.ok(!stream.error, stream.error?.message);
  const lines = String(stream.value.body).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.id), [0, 1, 2, 3, 4]);
  const bytes = await within(toky.request({ path: "/stream-bytes/4096", query: { chunk_size: 100, seed: 1 } }), 10_000);
  count("drip/stream");
  assert.ok(!bytes.error, bytes.error?.message);
  assert.equal(bytes.value.status, 200);
});

test("non-ASCII bodies, both ways", async () => {
  const { toky } = client();
  const html = await within(toky.request({ path: "/encoding/utf8" }), 10_000);
  count("non-ASCII");
  assert.ok(!html.error, html.error?.message);
  assert.ok(html.value.body.includes("∮ E⋅da = Q"), "UTF-8 text decoded");
  assert.ok(html.value.body.includes("ði ıntəˈnæʃənəl fəˈnɛtık əsoʊsiˈeıʃn"));
  const sent = { name: "Zoë Ångström", emoji: "👋🏽", cjk: "日本語", rtl: "שלום", nul: "a\u0000b", astral: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" };
  for (const method of ["POST", "PUT", "PATCH"]) {
    const r = await within(toky.request({ method, path: "/anything", body: sent }), 10_000);
    count("non-ASCII");
    assert.ok(!r.error, r.error?.message);
    assert.deepEqual(r.value.body.json, sent, `${method}: the JSON body arrived intact`);
    assert.equal(r.value.body.method, method);
  }
});

test("query values with spaces, & = + % #, unicode and arrays round-trip through /get", async () => {
  const { toky } = client();
  const query = {
    space: "x y", amp: "a&b", eq: "a=b", plus: "1+1=2", pct: "100%", pct2: "%2e%2e", hash: "#frag", all: "&=+%# ?/",
    uni: "Zoë 👋 日本", empty: "", "key with space": "v", "k&=": "w", arr: ["1", "two words", "&"], num: 5, neg: -1.5, yes: true, no: false,
  };
  const r = await within(toky.request({ path: "/get", query }), 10_000);
  count("query");
  assert.ok(!r.error, r.error?.message);
  const want = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
  assert.deepEqual(r.value.body.args, want);
});

test("x-request-id (and request-id) reach requestId when reading the body fails", async () => {
  const { toky } = client();
  const ok = await within(toky.request({ path: "/response-headers", query: { "x-request-id": "ghi-789" } }), 10_000);
  count("request id");
  assert.equal(ok.value?.headers["x-request-id"], "ghi-789");
  // httpbin's status and headers, then a body that breaks while it is read.
  const breaking = new Toky({
    apiKey: KEY,
    baseUrl: H,
    maxRetries: 0,
    fetch: async (url, init) => {
      const r = await fetch(url, init);
      await r.arrayBuffer();
      const body = new ReadableStream({ pull(c) { c.error(new TypeError("terminated")); } });
      return new Response(body, { status: r.status, headers: r.headers });
    },
  });
  for (const [header, id] of [["x-request-id", "abc-123"], ["request-id", "def-456"]]) {
    const r = await within(breaking.request({ path: "/response-headers", query: { [header]: id } }), 10_000);
    count("request id");
    assert.ok(r.error instanceof TokyError, `a body that breaks is an error: ${JSON.stringify(r.value)?.slice(0, 200)}`);
    assert.ok(["network", "decode"].includes(r.error.kind), r.error.kind);
    assert.equal(r.error.status, 200, `${header}: the status that arrived is kept (${r.error.message})`);
    assert.equal(r.error.requestId, id, `${header}: the request id that arrived is kept`);
  }
  // A body that is not the gzip it says it is, through Node's own fetch. Its decoder either fails
  // (then status and request id are kept) or, on some connections, stalls (then the deadline
  // settles the call).
  for (const [header, id] of [["x-request-id", "ghi-123"], ["request-id", "jkl-456"]]) {
    const r = await within(toky.request({ path: "/response-headers", query: { "Content-Encoding": "gzip", [header]: id } }, { timeoutMs: 1500 }), 5000);
    count("request id");
    assert.ok(r.error instanceof TokyError, `a broken gzip body is an error: ${JSON.stringify(r.value)?.slice(0, 200)}`);
    if (r.error.kind === "timeout") {
      assert.ok(r.elapsed < 1500 + 750, `settled after ${Math.round(r.elapsed)} ms`);
      continue;
    }
    assert.ok(["network", "decode"].includes(r.error.kind), r.error.kind);
    assert.equal(r.error.status, 200, `${header}: the status that arrived is kept (${r.error.message})`);
    assert.equal(r.error.requestId, id, `${header}: the request id that arrived is kept`);
  }
});
