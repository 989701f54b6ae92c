#!/usr/bin/env node
// `npx toky-mock`: the in-process mock (the same wasm as `import { TokyMock }`) behind node:http,
// with the native binary's flags where they apply and the same first line on stdout, so other
// languages and tools get a server without Rust. Proxy mode and static folders are native-only.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { TokyMock } from "./node.js";

const USAGE = `Usage: toky-mock [--port N] [--host HOST] [--seed N] [--api-key KEY] [--contacts N] [--loopback-webhooks]

A local fake of the Toky REST API (https://api.toky.co/v1), from the npm package toky-mock.

  --port N              Port to listen on; 0 picks a free port (env TOKY_MOCK_PORT; default 0)
  --host HOST           Address to bind (default 127.0.0.1)
  --seed N              Seed of the generated data (default 1)
  --api-key KEY         The key clients must send in X-Toky-Key (default demo-key)
  --contacts N          Number of seeded contacts, from 0 to 1000000 (default 300)
  --loopback-webhooks   Refuse webhooks whose hook_url is not loopback
  -h, --help            This help
  -V, --version         The version

On start it prints one line to stdout: \`toky-mock listening on http://HOST:PORT\`.
SIGINT/SIGTERM stop it with exit code 0. Control routes live under /__mock/.
--upstream, --www, --pkg and --mock-pkg exist only in the native toky-mock (cargo install --path mock).`;

const NATIVE_ONLY = ["upstream", "www", "pkg", "mock-pkg"];
/** Oversized bodies are read up to this much (so the client sees the 413), then dropped. */
const DRAIN_CAP = 64 * 1024 * 1024;

function fail(message) {
  process.stderr.write(`toky-mock: ${message}\n${message.includes("native") ? "" : "Try --help.\n"}`);
  process.exit(2);
}

function integer(name, text, max) {
  if (!/^\d+$/.test(text) || Number(text) > max) fail(`--${name} must be an integer from 0 to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string" },
      "api-key": { type: "string" },
      contacts: { type: "string" },
      "loopback-webhooks": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
      ...Object.fromEntries(NATIVE_ONLY.map((n) => [n, { type: "string" }])),
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  fail(e.message);
}
if (values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
if (values.version) {
  const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
  process.stdout.write(`toky-mock ${version}\n`);
  process.exit(0);
}
for (const n of NATIVE_ONLY) {
  if (values[n] !== undefined) fail(`--${n} is only in the native toky-mock (a Rust build: cargo install --path mock); this npm build has no ${n === "upstream" ? "proxy mode" : "static files"}`);
}
const port = integer("port", values.port ?? process.env.TOKY_MOCK_PORT ?? "0", 65535);
const host = values.host ?? "127.0.0.1";
if (!host) fail("--host must not be empty");
let mock;
try {
  mock = new TokyMock({
    seed: integer("seed", values.seed ?? "1", Number.MAX_SAFE_INTEGER),
    apiKey: values["api-key"] ?? "demo-key",
    contacts: integer("contacts", values.contacts ?? "300", 1_000_000),
    loopbackWebhooks: values["loopback-webhooks"] ?? false,
  });
} catch (e) {
  fail(e.message.replace(/^new TokyMock: option `(\w+)`/, (_, n) => `--${n.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`));
}

const server = createServer(async (req, res) => {
  const abort = new AbortController();
  // The client going away is what ends a `hang` fault (and any request still running).
  res.on("close", () => abort.abort(new Error("client closed the connection")));
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > DRAIN_CAP) return req.socket.destroy();
    chunks.push(chunk);
  }
  const hasBody = !["GET", "HEAD"].includes(req.method);
  let response;
  try {
    response = await mock.fetch(`http://${req.headers.host ?? `${host}:${port}`}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: hasBody ? Buffer.concat(chunks) : undefined,
      signal: abort.signal,
    });
  } catch {
    // A drop fault (or the client left): close the connection without a response.
    return req.socket.destroy();
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, [...response.headers].flat());
  res.end(body);
});
server.on("clientError", (_, socket) => socket.destroy());
server.listen(port, host, () => {
  const a = server.address();
  process.stdout.write(`toky-mock listening on http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}\n`);
});
server.on("error", (e) => {
  process.stderr.write(`toky-mock: cannot listen on ${host}:${port}: ${e.message}\n`);
  process.exit(1);
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    mock.close();
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 200).unref();
  });
}
