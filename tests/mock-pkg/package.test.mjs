// What the packed toky-mock tarball carries besides code (publint and attw, run by
// tests/suites/mock-pkg.sh, check the entries and types): a licence, every listed file, and no
// placeholder metadata pointing at a repository that does not exist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const dir = dirname(createRequire(import.meta.url).resolve("toky-mock/package.json"));
const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

test("the tarball has its MIT LICENSE, every file it lists, and no placeholder URL", () => {
  assert.equal(manifest.license, "MIT");
  assert.ok(manifest.files.includes("LICENSE"), "LICENSE is in package.json's files");
  assert.match(readFileSync(join(dir, "LICENSE"), "utf8"), /^MIT License/);
  for (const f of manifest.files) assert.ok(existsSync(join(dir, f)), `${f} is listed in files but not packed`);
  // A repository/homepage/bugs URL must be real or absent: .invalid, .example and example.*
  // are reserved names that lead nowhere (npm shows them on the package page).
  for (const [key, value] of Object.entries({ repository: manifest.repository, homepage: manifest.homepage, bugs: manifest.bugs })) {
    const url = typeof value === "object" && value ? value.url : value;
    if (url === undefined) continue;
    assert.doesNotMatch(new URL(url.replace(/^git\+/, "")).hostname, /(^|\.)(invalid|example|test|localhost)$|^example\./, `${key}: ${url}`);
  }
});
