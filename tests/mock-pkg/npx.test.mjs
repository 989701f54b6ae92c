// `npx toky-mock` from the installed tarball: the listening line, requests over TCP (faults
// included), the native-only flags refused, SIGTERM exits 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";

const npx = process.platform === "win32" ? "npx.cmd" : "npx";

function start(args, command = [npx, "--no-install", "toky-mock"]) {
  // Its own process group: npx runs the bin as a child, and the test stops both.
  const child = spawn(command[0], [...command.slice(1), ...args], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no listening line within 20 s")), 20_000);
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ child, line });
    });
    child.once("exit", (code) => reject(new Error(`npx toky-mock exited with ${code}`)));
  });
}

test("npx toky-mock serves the in-process mock over HTTP", async () => {
  const { child, line } = await start(["--port", "0", "--seed", "2", "--api-key", "sk-npx", "--contacts", "40"]);
  try {
    const m = line.match(/^toky-mock listening on (http:\/\/127\.0\.0\.1:\d+)$/);
    assert.ok(m, line);
    const url = m[1];
    const unauth = await fetch(url + "/v1/agents");
    assert.equal(unauth.status, 401);
    const contacts = await (await fetch(url + "/v1/contacts?limit=500", { headers: { "x-toky-key": "sk-npx" } })).json();
    assert.equal(contacts.results.length, 40);
    const { sms_numbers } = await (await fetch(url + "/__mock/numbers")).json();
    assert.equal(sms_numbers.length, 3);
    // The base URL of /openapi.json comes from the Host the client used.
    assert.equal((await (await fetch(url + "/openapi.json")).json()).servers[0].url, url + "/v1");
    await fetch(url + "/__mock/faults", { method: "POST", body: JSON.stringify({ route: "/agents", kind: "drop_before" }) });
    await assert.rejects(fetch(url + "/v1/agents", { headers: { "x-toky-key": "sk-npx" } }), TypeError);
    await fetch(url + "/__mock/faults", { method: "POST", body: JSON.stringify({ route: "/agents", kind: "hang" }) });
    await assert.rejects(fetch(url + "/v1/agents", { headers: { "x-toky-key": "sk-npx" }, signal: AbortSignal.timeout(300) }), { name: "TimeoutError" });
    const journal = await (await fetch(url + "/__mock/journal")).json();
    assert.deepEqual(journal.filter((e) => e.path === "/v1/agents").map((e) => e.fault), [null, "drop_before", "hang"]);
  } finally {
    process.kill(-child.pid, "SIGTERM");
  }
  await new Promise((r) => child.once("exit", r));
});

test("toky-mock (the bin npx runs) exits 0 on SIGTERM and SIGINT", async () => {
  for (const sig of ["SIGTERM", "SIGINT"]) {
    const { child, line } = await start(["--port", "0"], ["node_modules/.bin/toky-mock"]);
    const url = line.replace("toky-mock listening on ", "");
    assert.equal((await fetch(url + "/__mock/numbers")).status, 200);
    child.kill(sig);
    assert.equal(await new Promise((r) => child.once("exit", (code) => r(code))), 0, sig);
    await assert.rejects(fetch(url + "/__mock/numbers"), TypeError);
  }
});

test("npx toky-mock: native-only and bad flags exit 2 and say why", () => {
  for (const [args, why] of [
    [["--upstream", "https://api.toky.co/v1"], /--upstream is only in the native toky-mock/],
    [["--www", "."], /--www is only in the native toky-mock/],
    [["--mock-pkg", "mock/pkg"], /--mock-pkg is only in the native toky-mock/],
    [["--seed", "x"], /--seed must be an integer/],
    [["--contacts", "2000000"], /--contacts must be an integer from 0 to 1000000/],
    [["--bogus"], /Unknown option '--bogus'/],
  ]) {
    const r = spawnSync(npx, ["--no-install", "toky-mock", ...args], { encoding: "utf8" });
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, why);
  }
  const help = spawnSync(npx, ["--no-install", "toky-mock", "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--loopback-webhooks/);
});
