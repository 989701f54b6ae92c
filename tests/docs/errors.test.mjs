// Readable errors from the packed package (TOKY_DOCS_PACKAGE): a TokyError keeps its name
// (constructor.name, stack, util.inspect), and an uncaught one in a plain `node` run (no flags)
// prints short lines whose frames name readable functions at file:line of the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { inspect } from "node:util";

const pkg = process.env.TOKY_DOCS_PACKAGE;
const mock = process.env.TOKY_MOCK_URL;
const skip = !(pkg && mock) && "needs TOKY_DOCS_PACKAGE and TOKY_MOCK_URL";

// A project that installed the tarball.
function project() {
  const dir = mkdtempSync(join(tmpdir(), "toky-errors-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "toky-wasm"));
  return dir;
}

// Runs `code` as FILE in a fresh project with plain `node` and checks what an uncaught TokyError prints.
function uncaught(file, code, kind) {
  const dir = project();
  writeFileSync(join(dir, file), code);
  const run = spawnSync(process.execPath, [join(dir, file)], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } });
  const out = run.stderr;
  assert.equal(run.status, 1, `exit status\n${out}`);
  const lines = out.split("\n");
  const long = lines.filter((l) => l.length > 300);
  assert.deepEqual(long.map((l) => l.length), [], `no line of what node prints is longer than 300 characters:\n${out.slice(0, 2000)}`);
  assert.ok(lines.some((l) => l.startsWith("TokyError: ")), `"TokyError: message" is printed:\n${out}`);
  assert.match(out, new RegExp(`kind: '${kind}'`), "the error's fields are printed");
  // Frames inside the package: file:line:column of a short source line, named functions.
  const root = realpathSync(pkg);
  const ours = lines
    .filter((l) => /^\s+at /.test(l))
    .map((l) => l.match(/\(?(?:file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?$/))
    .filter((m) => m && m[1].startsWith(root + "/"));
  assert.ok(ours.length >= 1, `a frame points into the package:\n${out}`);
  for (const [, f, line] of ours) {
    const src = readFileSync(f, "utf8").split("\n")[Number(line) - 1];
    assert.ok(src !== undefined && src.length <= 300, `${f}:${line} is a short source line (${src?.length} characters)`);
  }
  const named = lines.filter((l) => /^\s+at [\w.$<>]+ \(/.test(l)).map((l) => l.trim().split(" ")[1]);
  assert.ok(named.every((n) => n.replace(/^async /, "").length > 1), `frames name functions readably: ${named.join(", ")}`);
}

test("an uncaught TokyError (a 404 from toky-mock) prints short readable lines: ESM entry", { skip }, () => {
  uncaught(
    "not-found.mjs",
    `import { Toky } from "toky-wasm";\nconst toky = new Toky({ apiKey: "demo-key", baseUrl: ${JSON.stringify(mock + "/v1")} });\nawait toky.contacts.get("+19995550000");\n`,
    "not_found",
  );
});

test("an uncaught TokyError (bad input) prints short readable lines: CommonJS entry", { skip }, () => {
  uncaught(
    "validation.cjs",
    `const { Toky } = require("toky-wasm");\nnew Toky({ apiKey: "demo-key", baseUrl: ${JSON.stringify(mock + "/v1")} }).sms.send({ from: "+13055550100", to: "555-1234", text: "hi" });\n`,
    "validation",
  );
});

test("TokyError keeps its name: constructor.name, stack and util.inspect", { skip: !pkg && "needs TOKY_DOCS_PACKAGE" }, async () => {
  const require = createRequire(join(project(), "x.cjs"));
  for (const { Toky, TokyError } of [require("toky-wasm"), await import(join(pkg, "node.js"))]) {
    const toky = new Toky({ apiKey: "demo-key", baseUrl: "http://127.0.0.1:9/v1" });
    const e = await toky.contacts.get("555").then(() => null, (e) => e);
    assert.ok(e instanceof TokyError);
    assert.equal(TokyError.name, "TokyError");
    assert.equal(e.constructor.name, "TokyError");
    assert.equal(e.name, "TokyError");
    assert.match(e.stack, /^TokyError: phone: /);
    assert.match(inspect(e), /^TokyError: phone: /);
    assert.doesNotMatch(inspect(e), /^\w \[TokyError\]/, "util.inspect does not show a minified class name");
  }
});
