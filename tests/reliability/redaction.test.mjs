// Redaction that never garbles (issue 23): a key of 8 characters or more is masked wherever it
// appears; a shorter one only where it stands as a whole token (no ASCII letter, digit, `_` or
// `-` beside it), so a one-letter key cannot turn "number" into "numb[redacted]r" while the key
// as a token never shows. A server echoes the key it received in its error body and headers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";
import { recorder, within, outcome, errorForms } from "./lib.mjs";

const KEYS = ["e", "abc", "k3y_6x", "tk_live_0123456789abcdefghijklmnopqrstuv"];
assert.equal(KEYS[3].length, 40);

// The sentence a server answers with, given the key (or "[redacted]" for what the client shows).
const sentence = (k) => `The number +15550001111 is not an SMS-enabled number; key ${k} (key=${k}, "${k}") was refused`;
const inWords = (k) => `prefix${k}suffix`;

let echo;
before(async () => {
  echo = await recorder((req, res) => {
    const k = req.headers["x-toky-key"];
    if (req.url.startsWith("/v1/words")) {
      res.writeHead(500, { "content-type": "application/json", "x-request-id": `req-${k}` });
      return res.end(JSON.stringify({ success: false, error_message: inWords(k) }));
    }
    res.writeHead(200, { "content-type": "application/json", "x-request-id": k, "x-echo": `key ${k} seen` });
    res.end(JSON.stringify({ success: false, error_message: sentence(k) }));
  });
});
after(() => echo?.close());

/** Whether `text` holds `key` as a whole token. */
const token = (text, key) => new RegExp(`(^|[^A-Za-z0-9_-])${key.replace(/[^A-Za-z0-9]/g, "\\$&")}($|[^A-Za-z0-9_-])`).test(text);

for (const key of KEYS) {
  test(`a ${key.length}-character key: messages stay readable, the key as a token never shows`, async () => {
    const toky = new Toky({ apiKey: key, baseUrl: echo.origin + "/v1", maxRetries: 0, timeoutMs: 3000 });
    const r = await within(toky.sms.send({ from: "+13055550100", to: "+15550001111", text: "hi" }), 5000);
    assert.ok(r.error instanceof TokyError, outcome(r));
    const e = r.error;
    assert.ok(e.message.includes(sentence("[redacted]")), `garbled or unmasked: ${e.message}`);
    assert.equal(e.sent, false);
    assert.equal(e.requestId, "[redacted]");
    for (const [form, text] of Object.entries(errorForms(e))) assert.ok(!token(text, key), `the key stands as a token in ${form}: ${text.slice(0, 300)}`);

    // Inside a word: a short key is a fragment of it (left alone), a long one is masked.
    const w = await within(toky.request({ path: "/words" }), 5000);
    assert.ok(w.error instanceof TokyError, outcome(w));
    const expected = key.length >= 8 ? inWords("[redacted]") : inWords(key);
    assert.ok(w.error.message.includes(expected), `${expected} expected in: ${w.error.message}`);
    assert.equal(w.error.requestId, key.length >= 8 ? "req-[redacted]" : `req-${key}`);
    if (key.length >= 8) for (const [form, text] of Object.entries(errorForms(w.error))) assert.ok(!text.includes(key), `the long key is in ${form}`);

    // .withResponse() headers follow the same rule.
    const { response } = await toky.request({ method: "POST", path: "/echo", body: {} }).withResponse();
    assert.equal(response.headers.get("x-echo"), "key [redacted] seen");
  });
}
