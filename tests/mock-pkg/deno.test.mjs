// The same package in Deno (its "deno" condition: node.js reading the .wasm with node:fs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";

test("Deno: the client on the in-process mock, a fault and a webhook into deliver", () => {
  cpSync(new URL("./deno/main.ts", import.meta.url), "deno-main.ts");
  writeFileSync("deno.json", JSON.stringify({ nodeModulesDir: "manual", lock: false }));
  const r = spawnSync(process.env.DENO_BIN ?? "deno", ["run", "--cached-only", "--allow-read=node_modules", "deno-main.ts"], {
    encoding: "utf8",
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1", DENO_DIR: process.cwd() + "/.deno" },
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());
  assert.equal(out.sent, true);
  assert.equal(out.faultKind, "server");
  assert.equal(out.delivered, "STOP");
  assert.deepEqual(out.journaled.slice(0, 3), ["POST /v1/sms/send 200", "GET /v1/agents 503", "POST /v1/webhooks 201"]);
});
