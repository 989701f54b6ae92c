// The example of the package README (as installed from the tarball) runs as written: every
// ```js block marked `// example: node:test` is written to a file and run with node --test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

test("the README's node:test example passes", () => {
  const readme = readFileSync(createRequire(import.meta.url).resolve("toky-mock/package.json").replace(/package\.json$/, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n(\/\/ example: node:test\n[\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1, "the README has a `// example: node:test` block");
  blocks.forEach((code, i) => {
    const file = `readme-example-${i}.test.mjs`;
    writeFileSync(file, code);
    // Without the runner's NODE_TEST_CONTEXT, or the child reports to this runner, not stdout.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ["--test", file], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass [1-9]/);
  });
});
