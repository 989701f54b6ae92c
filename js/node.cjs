"use strict";
// Node (require): wasm-bindgen's nodejs glue loads the server build's .wasm (speed-optimised, the
// same one node.js reads) synchronously on require.
const glue = require("./glue-server.cjs");
const skin = require("./skin.cjs");

skin.setWasm(glue);

exports.Toky = skin.Toky;
exports.TokyError = skin.TokyError;
exports.smsSegments = skin.smsSegments;
exports.parseWebhookEvent = skin.parseWebhookEvent;
