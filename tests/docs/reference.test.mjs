// The API reference: TypeDoc's model of the shipped declarations (build/docs/api.json, written
// by tests/suites/docs.sh, whose TypeDoc run already fails on an undocumented export). Here:
// every operation — each method of Toky and its namespaces, the constructor, the Listing
// methods, the exported functions — carries an @example and a @throws naming TokyError kinds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const api = JSON.parse(readFileSync(process.env.TOKY_DOCS_API_JSON ?? "build/docs/api.json", "utf8"));
const index = api.children.find((c) => c.name === "index");
const KINDS = ["validation", "auth", "permission", "not_found", "conflict", "rate_limit", "server", "network", "timeout", "aborted", "decode", "api"];
const SIGNATURE = new Set([4096, 16384]); // CallSignature, ConstructorSignature

// Every signature under a reflection, through inline object types (the namespaces).
function signatures(node, path, out = []) {
  if (Array.isArray(node)) node.forEach((n) => signatures(n, path, out));
  else if (node && typeof node === "object") {
    const here = typeof node.name === "string" && node.name !== "__type" && typeof node.kind === "number" && !SIGNATURE.has(node.kind) ? [...path, node.name] : path;
    if (SIGNATURE.has(node.kind)) out.push({ name: here.join("."), comment: node.comment });
    for (const [k, v] of Object.entries(node)) if (k !== "comment" && k !== "sources") signatures(v, here, out);
  }
  return out;
}

const text = (parts) => (parts ?? []).map((p) => p.text ?? "").join("");

test("every operation has an @example and a @throws naming TokyError kinds", () => {
  const roots = ["Toky", "Listing", "smsSegments", "parseWebhookEvent"].map((n) => {
    const r = index.children.find((c) => c.name === n);
    assert.ok(r, `${n} is in the reference`);
    return r;
  });
  const ops = roots.flatMap((r) => signatures(r, []));
  const names = new Set(ops.map((o) => o.name));
  for (const n of ["Toky.constructor", "Toky.request", "Toky.contacts.get", "Toky.contacts.create", "Toky.contacts.update", "Toky.sms.send", "Toky.sms.watch", "Toky.voicemails.get", "Toky.voicemails.watch", "Toky.calls.recording", "Toky.calls.watch", "Toky.webhooks.create", "Toky.webhooks.delete", "Toky.webhooks.subscribe", "Toky.webhooks.unsubscribe", "Listing.list", "Listing.iterate", "Listing.pages", "smsSegments", "parseWebhookEvent"])
    assert.ok(names.has(n), `${n} is an operation of the reference (found: ${[...names].join(", ")})`);
  const missing = [];
  for (const { name, comment } of ops) {
    const tags = comment?.blockTags ?? [];
    const example = tags.find((t) => t.tag === "@example");
    const throws = tags.find((t) => t.tag === "@throws");
    if (!text(comment?.summary).trim()) missing.push(`${name}: no summary`);
    if (!example || !/```/.test(text(example.content))) missing.push(`${name}: no @example with code`);
    if (!throws) missing.push(`${name}: no @throws`);
    else {
      const said = text(throws.content);
      if (!/TokyError/.test(JSON.stringify(throws.content))) missing.push(`${name}: @throws does not name TokyError`);
      if (!KINDS.some((k) => said.includes("`" + k + "`"))) missing.push(`${name}: @throws names no kind`);
    }
  }
  assert.deepEqual(missing, []);
  console.log(`${ops.length} operation signatures documented with @example and @throws`);
});

test("every TokyError kind is explained where ErrorKind is documented", () => {
  const kind = index.children.find((c) => c.name === "ErrorKind");
  const doc = text(kind.comment?.summary);
  assert.deepEqual(KINDS.filter((k) => !doc.includes("`" + k + "`")), []);
});
