"use strict";
// Node (require): wasm-bindgen's nodejs glue loads the same .wasm synchronously on require.
const glue = require("./glue.cjs");
const skin = require("./skin.cjs");

skin.setWasm(glue);

exports.Toky = skin.Toky;
exports.TokyError = skin.TokyError;
exports.smsSegments = skin.smsSegments;
exports.parseWebhookEvent = skin.parseWebhookEvent;
