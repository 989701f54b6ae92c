// The README as npm users get it: from the packed tarball (TOKY_DOCS_PACKAGE, unpacked by
// tests/suites/docs.sh). Every relative link and anchor resolves inside the package; the
// examples marked to run do, against toky-mock (TOKY_MOCK_URL), importing the package by name.
// Also: the contributor documents' relative links resolve in the repository.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync, symlinkSync, mkdtempSync, statSync } from "node:fs";
import { dirname, join, relative as rel, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { anchors, fences, links, relative } from "./markdown.mjs";

const pkg = process.env.TOKY_DOCS_PACKAGE;
const repo = resolve(dirname(new URL(import.meta.url).pathname), "../..");

// Broken relative links of the Markdown file `file`, none of which may leave `root`.
function broken(file, root) {
  const source = readFileSync(file, "utf8");
  const out = [];
  for (const { href, line } of links(source)) {
    const r = relative(href);
    if (!r) continue;
    const where = `${rel(root, file)}:${line} ${href}`;
    const target = r.path ? resolve(dirname(file), r.path) : file;
    if (rel(root, target).startsWith("..")) out.push(`${where}: outside ${root === pkg ? "the package" : "the repository"}`);
    else if (!existsSync(target)) out.push(`${where}: no such file${root === pkg ? " in the package" : ""}`);
    else if (r.anchor && statSync(target).isFile() && target.endsWith(".md") && !anchors(readFileSync(target, "utf8")).has(r.anchor))
      out.push(`${where}: no heading with that anchor`);
  }
  return out;
}

test("the packed README's relative links and anchors resolve inside the package", { skip: !pkg && "TOKY_DOCS_PACKAGE not set" }, () => {
  const readme = join(pkg, "README.md");
  assert.ok(existsSync(readme), "README.md is in the tarball");
  assert.deepEqual(broken(readme, pkg), []);
  const all = links(readFileSync(readme, "utf8"));
  assert.ok(all.some((l) => l.href.startsWith("#")), "the README links to its own sections (so anchors are checked)");
});

test("the packed README names the repository's two commands, and the package carries its MIT licence", { skip: !pkg && "TOKY_DOCS_PACKAGE not set" }, () => {
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  for (const words of ["make demo", "make test", "npm install toky-wasm"]) assert.ok(readme.includes(words), words);
  assert.match(readFileSync(join(pkg, "LICENSE"), "utf8"), /^MIT License/);
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(manifest.license, "MIT");
  assert.ok(!/example\.invalid|placeholder/.test(JSON.stringify(manifest)), "no placeholder URL in package.json");
});

test("the contributor documents' relative links resolve in the repository", () => {
  const files = ["README.md", "CONTRIBUTING.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
  assert.deepEqual(files.flatMap((f) => broken(join(repo, f), repo)), []);
});

test("the README examples marked to run pass against toky-mock", { skip: !(pkg && process.env.TOKY_MOCK_URL) && "needs TOKY_DOCS_PACKAGE and TOKY_MOCK_URL" }, () => {
  const marked = fences(readFileSync(join(pkg, "README.md"), "utf8")).filter((f) => /runs this example against toky-mock/.test(f.comment));
  assert.ok(marked.length >= 1, "at least one README example is marked to run");
  // A project that installed the tarball: node_modules/toky-wasm is the unpacked package.
  const dir = mkdtempSync(join(tmpdir(), "toky-readme-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "toky-wasm"));
  marked.forEach(({ code, line, comment }, i) => {
    assert.ok(code.includes("http://127.0.0.1:8787"), `README line ${line}: the example names toky-mock at http://127.0.0.1:8787`);
    const file = join(dir, `example-${i}.mjs`);
    writeFileSync(file, code.replaceAll("http://127.0.0.1:8787", process.env.TOKY_MOCK_URL));
    const run = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, `README line ${line} failed:\n${run.stdout}\n${run.stderr}`);
    // `it prints "..."` in the marker: what the example's output must contain.
    for (const [, want] of comment.matchAll(/prints "([^"]+)"/g)) assert.ok(run.stdout.includes(want), `README line ${line} printed ${JSON.stringify(run.stdout)}, not "${want}"`);
  });
});
