// Assembles the npm package `toky-mock` in mock/pkg/ from build/mock (the wasm and its glue,
// scripts/build-mock.sh) and mock/js (entries, core, types, CLI); prints the wasm's size.
// package.json and README.md are committed in mock/pkg/; everything else there is generated.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = (f) => root + "mock/js/" + f;
const build = (f) => root + "build/mock/" + f;
const pkg = (f) => root + "mock/pkg/" + f;

copyFileSync(build("toky_mock_bg.wasm"), pkg("toky_mock_bg.wasm"));
copyFileSync(build("web/toky_mock.js"), pkg("glue.js"));
// The nodejs glue loads `toky_mock_bg.wasm` from beside itself, under the name it was given.
copyFileSync(build("node/toky_mock.js"), pkg("glue.cjs"));
for (const f of ["core.js", "node.js", "node.cjs", "browser.js", "workerd.js", "cli.mjs"]) copyFileSync(src(f), pkg(f));

// index.d.ts: the hand-written declarations (the JS API: options, TokyMock, TokyMockError) with
// the control API's value types generated from their Rust types (build/mock/control.d.ts, by
// scripts/build-mock.sh), reprinted by TypeScript's printer so they read like the rest.
const marker = "// @generated-control-types";
const handWritten = readFileSync(src("index.d.ts"), "utf8");
if (!handWritten.includes(marker)) throw new Error("mock/js/index.d.ts lost its " + marker + " marker");
const generated = ts.createPrinter().printFile(
  ts.createSourceFile("control.d.ts", readFileSync(build("control.d.ts"), "utf8"), ts.ScriptTarget.Latest, true),
);
const dts = handWritten.replace(/\/\/ @generated-control-types[^\n]*\n(\/\/[^\n]*\n)*/, () => generated);
writeFileSync(pkg("index.d.ts"), dts);
writeFileSync(pkg("index.d.cts"), dts);
copyFileSync(root + "LICENSE", pkg("LICENSE"));

// The core has no imports, so CommonJS is the same code with its exports collected.
const core = readFileSync(src("core.js"), "utf8");
const names = [...core.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
writeFileSync(
  pkg("core.cjs"),
  '"use strict";\n' + core.replace(/^export (class|function) /gm, "$1 ") + `\nmodule.exports = { ${names.join(", ")} };\n`,
);

const wasm = readFileSync(pkg("toky_mock_bg.wasm"));
// node:zlib at level 9 (as scripts/pack.mjs measures the client); GNU `gzip -9` compresses this
// module ~6 KB smaller.
console.log(`toky-mock package: mock/pkg (wasm ${wasm.length} B, ${gzipSync(wasm, { level: 9 }).length} B with zlib level 9)`);
