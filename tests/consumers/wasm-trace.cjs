// Preloaded (`node --require`) by run.mjs into the Node consumers: records the name of every
// .wasm file the process reads with fs.readFileSync (how node.js and node.cjs load the wasm) in
// the file named by $TOKY_WASM_TRACE, one per line, so run.mjs can check which build a runtime
// got. Writes nothing to stdout or stderr.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const trace = process.env.TOKY_WASM_TRACE;
const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  const name = file instanceof URL ? file.pathname : String(file);
  if (trace && name.endsWith(".wasm")) fs.appendFileSync(trace, path.basename(name) + "\n");
  return read.call(this, file, ...rest);
};
