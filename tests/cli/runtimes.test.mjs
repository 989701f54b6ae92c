// The same smoke under Deno (pkg/cli.mjs run by Deno directly), and the packed tarball as a user
// gets it: installed in a scratch folder, `npx toky --help`, `npx toky contacts export --format csv`,
// `npx toky-wasm`, and Deno's `npm:toky-wasm/cli` form, all against toky-mock.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DENO, KEY, big, bigKey, clearFaults, fault, mock, ok, okJson, root, simulate, start, toky, until } from "./helpers.mjs";

const scratch = mkdtempSync(join(tmpdir(), "toky-cli-rt-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const denoEnv = { DENO_DIR: join(scratch, ".deno") };

describe("under Deno", () => {
  const deno = { runtime: "deno", cwd: scratch, env: denoEnv };
  test("--help and a command's --help", async () => {
    assert.match((await ok(["--help"], { ...deno, key: null })).stdout, /^toky \d/);
    assert.match((await ok(["contacts", "export", "--help"], { ...deno, key: null })).stdout, /^Usage: toky contacts export/);
  });
  test("agents list --json, contacts get, segments", async () => {
    assert.equal((await okJson(["agents", "list", "--json"], deno)).length, 7);
    const [c] = await okJson(["contacts", "list", "--limit", "1", "--json"], deno);
    assert.equal((await okJson(["contacts", "get", c.phone, "--json"], deno)).phone, c.phone);
    assert.equal((await okJson(["segments", "hi", "--json"], { ...deno, key: null })).segments, 1);
  });
  test("sms send --yes", async () => {
    const r = await ok(["sms", "send", "--from", "+13055550100", "--to", "+15557654321", "--text", "from deno", "--yes", "--json"], deno);
    assert.equal(JSON.parse(r.stdout).success, true);
    assert.match(r.stderr, /^1 segment/m);
  });
  test("contacts export --format csv --out FILE equals Node's", async () => {
    const out = join(scratch, "deno.csv");
    const o = { ...deno, key: bigKey, base: big };
    await ok(["contacts", "export", "--format", "csv", "--out", out], o);
    const node = await ok(["contacts", "export", "--format", "csv"], { key: bigKey, base: big });
    assert.equal(readFileSync(out, "utf8"), node.stdout);
  });
  test("exit codes: usage 2, not_found 5, auth 4 (key not printed)", async () => {
    assert.equal((await toky(["agents", "list", "--frobnicate"], deno)).code, 2);
    assert.equal((await toky(["contacts", "get", "+19995550123"], deno)).code, 5);
    const r = await toky(["agents", "list"], { ...deno, key: "deno-wrong-key-77" });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^toky: auth 401/);
  });
  test("SIGINT during an export: exit 130, no file", async () => {
    const out = join(scratch, "deno-interrupted.csv");
    await clearFaults(big);
    await fault({ route: "/contacts", kind: "delay", delay_ms: 1 }, big);
    await fault({ route: "/contacts", kind: "hang" }, big);
    const child = start(["contacts", "export", "--out", out, "--page-size", "100", "--progress"], { ...deno, key: bigKey, base: big });
    await child.waitFor("the first progress line", (c) => /^100 contacts, 1 page/m.test(c.err));
    child.kill("SIGINT");
    const r = await child.done;
    await clearFaults(big);
    assert.equal(r.code, 130, r.stderr);
    assert.ok(!existsSync(out));
  });
  test("watch sms --ndjson", async () => {
    const cursor = join(scratch, "deno.cursor");
    const w = start(["watch", "sms", "--ndjson", "--interval", "100ms", "--cursor-file", cursor], deno);
    await until("the cursor file", () => existsSync(cursor));
    const burst = await simulate({ event: "new_sms", count: 3 });
    const lines = await w.lines(3);
    assert.deepEqual(lines.map((l) => JSON.parse(l).id), burst.map((e) => e.record.id));
    w.kill("SIGINT");
    assert.equal((await w.done).code, 0);
  });
});

describe("the packed tarball", () => {
  let app;
  before(() => {
    app = join(scratch, "app");
    execFileSync("mkdir", ["-p", app]);
    const [packed] = JSON.parse(execFileSync("npm", ["pack", join(root, "pkg"), "--pack-destination", scratch, "--json", "--loglevel=error"], { encoding: "utf8" }));
    assert.ok(packed.files.some((f) => f.path == "cli.mjs"), "cli.mjs is in the tarball");
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "toky-cli-scratch", private: true }));
    writeFileSync(join(app, "deno.json"), JSON.stringify({ nodeModulesDir: "manual", lock: false }));
    // --offline: the tarball has no dependencies, so nothing may come from a registry.
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", join(scratch, packed.filename)], { cwd: app, stdio: "pipe" });
  });
  const npx = (args, o = {}) => ({ command: ["npx", ["--offline"]], cwd: app, ...o });

  test("npx toky --help", async () => {
    const r = await ok(["toky", "--help"], npx([], { key: null }));
    assert.match(r.stdout, /^toky \d+\.\d+\.\d+: /);
    assert.match(r.stdout, /contacts export/);
  });
  test("npx toky-wasm --help (the package name as a command)", async () => {
    assert.match((await ok(["toky-wasm", "--help"], npx([], { key: null }))).stdout, /^Usage: toky COMMAND/m);
  });
  test("npx toky contacts export --format csv, against toky-mock", async () => {
    const r = await ok(["toky", "contacts", "export", "--format", "csv"], npx([], { key: KEY, base: mock }));
    const lines = r.stdout.split("\r\n");
    assert.equal(lines[0], "phone,contact_name,first_name,last_name,email,company,city,country_code,created_by,created_at");
    const direct = await ok(["contacts", "export", "--format", "csv"], { key: KEY, base: mock });
    assert.equal(r.stdout, direct.stdout);
    assert.ok(lines.length > 300);
  });
  test("deno run -A npm:toky-wasm/cli (node_modules, nodeModulesDir manual)", async () => {
    const r = await ok(["agents", "list", "--limit", "2", "--json"], {
      command: [DENO, ["run", "-A", "--quiet", "npm:toky-wasm/cli"]],
      cwd: app,
      env: denoEnv,
    });
    assert.equal(JSON.parse(r.stdout).length, 2);
  });
});
