// Assembles pkg/ from the wasm-bindgen output (build/glue) and the hand-written JS (js/):
// entries per runtime, the skin as ESM and CommonJS, the inline entry, the types; then prints
// the size report (gzip -9). `--check` also enforces the budget and exits non-zero over it.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { transformSync } from "esbuild";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const p = (f) => new URL(f, root);
const pkg = (f) => new URL("pkg/" + f, root);
mkdirSync(p("pkg"), { recursive: true });

// The shipped glue and skin are not minified: an uncaught TokyError in a plain `node` run prints
// the source line it was thrown from and the frames of the stack, and a minified file makes that
// one line of thousands of characters, with `S` for TokyError and `j` for every function (source
// maps do not change what a default `node` prints). esbuild only reprints them: names, lines and
// indentation kept, comments dropped (the commented sources are js/ and build/glue). The cost,
// gzip -9 per entry with the glue and skin it loads, is in docs/size.md.
const readable = (code, format) => transformSync(code, { format, target: "es2022" }).code;

// Two builds of one source (scripts/build.sh): the size-optimised wasm with its glue (glue.js) for
// browsers and the inline entry, the speed-optimised one with its own glue (glue-server.js,
// glue-server.cjs) for the server entries. A glue only fits the wasm it was generated with.
const wasm = readFileSync(p("build/glue/toky_wasm_bg.wasm"));
writeFileSync(pkg("toky_wasm_bg.wasm"), wasm);
const serverWasm = readFileSync(p("build/glue-server/toky_wasm_server_bg.wasm"));
writeFileSync(pkg("toky_wasm_server_bg.wasm"), serverWasm);

writeFileSync(pkg("glue.js"), readable(readFileSync(p("build/glue/web/toky_wasm.js"), "utf8"), "esm"));
writeFileSync(pkg("glue-server.js"), readable(readFileSync(p("build/glue-server/web/toky_wasm_server.js"), "utf8"), "esm"));
// The nodejs glue finds the .wasm by its file name beside it: the server build's file.
const nodeGlue = readFileSync(p("build/glue-server/node/toky_wasm_server.js"), "utf8");
if (!nodeGlue.includes("toky_wasm_server_bg.wasm")) throw new Error("nodejs glue no longer names toky_wasm_server_bg.wasm");
writeFileSync(pkg("glue-server.cjs"), readable(nodeGlue, "cjs"));
// Instantiating each glue with its wasm links every import: a glue that does not fit fails here.
createRequire(import.meta.url)(fileURLToPath(pkg("glue-server.cjs")));
for (const [g, w] of [["glue.js", wasm], ["glue-server.js", serverWasm]])
  (await import(pkg(g).href)).initSync({ module: new WebAssembly.Module(w) });

// The entries are reprinted the same way (their comments stay in js/).
for (const f of ["node.js", "node.cjs", "browser.js", "workerd.js"])
  writeFileSync(pkg(f), readable(readFileSync(p("js/" + f), "utf8"), f.endsWith(".cjs") ? "cjs" : "esm"));
// The `toky` command line (bin, and "./cli" for Deno): plain readable ESM over node.js.
for (const f of ["cli.mjs", "cli.d.ts"]) copyFileSync(p("js/" + f), pkg(f));

// The skin has no imports, so CommonJS is the same code with its exports collected.
const skin = readFileSync(p("js/skin.js"), "utf8");
const names = [...skin.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
writeFileSync(pkg("skin.js"), readable(skin, "esm"));
writeFileSync(
  pkg("skin.cjs"),
  readable('"use strict";\n' + skin.replace(/^export (class|function) /gm, "$1 ") + `\nmodule.exports = { ${names.join(", ")} };\n`, "cjs"),
);

// toky-wasm/inline: the wasm embedded, compiled synchronously on import. For service workers
// (no top-level await) and zero-config bundling; not for Workers (no compiling from bytes).
const inline = (glueImport, setup, exportsLine) => `${glueImport}
const b = atob("${wasm.toString("base64")}");
const bytes = new Uint8Array(b.length);
for (let i = 0; i < b.length; i++) bytes[i] = b.charCodeAt(i);
${setup}
${exportsLine}
`;
writeFileSync(
  pkg("inline.js"),
  inline(
    'import { initSync } from "./glue.js";\nimport * as glue from "./glue.js";\nimport { setWasm } from "./skin.js";',
    "initSync({ module: bytes });\nsetWasm(glue);",
    'export { Toky, TokyError, smsSegments, parseWebhookEvent } from "./skin.js";',
  ),
);

// The record interfaces come from the Rust record structs (scripts/build.sh writes them).
const marker = "// @generated-records";
const handWritten = readFileSync(p("js/index.d.ts"), "utf8");
if (!handWritten.includes(marker)) throw new Error("js/index.d.ts lost its " + marker + " marker");
const dts = handWritten.replace(/\/\/ @generated-records[^\n]*\n(\/\/[^\n]*\n)*/, readFileSync(p("build/records.d.ts"), "utf8"));
writeFileSync(pkg("index.d.ts"), dts);
writeFileSync(pkg("index.d.cts"), dts);
writeFileSync(pkg("inline.d.ts"), dts);
copyFileSync(p("README.md"), pkg("README.md"));
copyFileSync(p("LICENSE"), pkg("LICENSE"));

// Size report: each entry alone and with everything it loads (what a user actually ships).
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const size = (f) => gz(readFileSync(pkg(f)));
const closure = {
  "browser.js": ["browser.js", "glue.js", "skin.js"],
  "node.js": ["node.js", "glue-server.js", "skin.js"],
  "node.cjs": ["node.cjs", "glue-server.cjs", "skin.cjs"],
  "workerd.js": ["workerd.js", "glue-server.js", "skin.js"],
};
const report = {
  // The browser build (browser.js, inline.js): the one the ceiling applies to.
  wasm_bytes: wasm.length,
  wasm_gzip_bytes: gz(wasm),
  // The server build (node.js, node.cjs, workerd.js, Deno, the CLI): reported, not budgeted.
  server_wasm_bytes: serverWasm.length,
  server_wasm_gzip_bytes: gz(serverWasm),
  glue_gzip_bytes: size("glue.js") + size("skin.js"),
  server_glue_gzip_bytes: size("glue-server.js") + size("skin.js"),
  entries: Object.fromEntries(
    Object.entries(closure).map(([e, files]) => [e, { alone: size(e), with_glue: gz(Buffer.concat(files.map((f) => readFileSync(pkg(f))))) }]),
  ),
  inline_gzip_bytes: size("inline.js"),
};
const KB = 1024;
// The ceiling: the browser build's .wasm after gzip -9 (`--check`, run by `make test`, fails the
// build over it). The goal `make bench` reports against is lower (README, Size). The server build
// trades bytes for speed on purpose and has no ceiling.
const budget = { wasm: 121 * KB, entry: 12 * KB };
const mark = (n, b) => `${((100 * n) / b).toFixed(1)}% of the ${b} B budget${n > b ? ": OVER" : ""}`;
console.log("size report (gzip -9):");
console.log(`  toky_wasm_bg.wasm  ${report.wasm_bytes} B raw, ${report.wasm_gzip_bytes} B gzip (browser build; ${mark(report.wasm_gzip_bytes, budget.wasm)})`);
console.log(`  toky_wasm_server_bg.wasm  ${report.server_wasm_bytes} B raw, ${report.server_wasm_gzip_bytes} B gzip (server build; no budget)`);
for (const [e, s] of Object.entries(report.entries))
  console.log(`  ${e.padEnd(18)} ${s.alone} B alone, ${s.with_glue} B with glue + skin (${mark(s.with_glue, budget.entry)})`);
console.log(`  inline.js          ${report.inline_gzip_bytes} B (wasm embedded)`);
writeFileSync(p("build/size.json"), JSON.stringify(report, null, 2));

if (process.argv.includes("--check")) {
  const over = [];
  if (report.wasm_gzip_bytes > budget.wasm) over.push(`wasm ${report.wasm_gzip_bytes} > ${budget.wasm}`);
  for (const [e, s] of Object.entries(report.entries)) if (s.with_glue > budget.entry) over.push(`${e} ${s.with_glue} > ${budget.entry}`);
  if (over.length) {
    console.error("size budget exceeded: " + over.join("; "));
    process.exit(1);
  }
  console.log("size budget held");
}
