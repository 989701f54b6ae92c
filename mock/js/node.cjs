"use strict";
// Node (require): wasm-bindgen's nodejs glue loads the same .wasm synchronously on require.
const glue = require("./glue.cjs");
const core = require("./core.cjs");

core.setWasm(glue);

exports.TokyMock = core.TokyMock;
exports.TokyMockError = core.TokyMockError;
