// A webhook receiver in plain Node (node:http): it subscribes to Toky's new_sms, new_call and
// new_voicemail events on start, prints every event it receives as one JSON line on stdout, and
// unsubscribes on SIGINT/SIGTERM.
//
//   TOKY_API_KEY=... PUBLIC_URL=https://hooks.example.com node node-webhook-receiver.mjs
//
// Env: TOKY_API_KEY (required), TOKY_BASE_URL (default Toky's), PORT (default 0: any free port),
// PUBLIC_URL (the address Toky can reach this server at; default http://127.0.0.1:<port>, which
// only a local toky-mock can), TOKY_EVENTS (default "new_sms,new_call,new_voicemail") and
// TOKY_HOOK_TOKEN (the secret in the hook URL; default a new random one per run).
// stdout: first the listening URL, then one JSON line per event. Everything else goes to stderr.
//
// Why a token in the URL: Toky does not sign its deliveries, so a receiver cannot verify where a
// POST came from. It can register a hook URL that carries a secret (`/hook?token=...`) and refuse
// requests whose URL does not carry it: parseWebhookEvent does that check (and throws kind "auth").
// Serve it over HTTPS so the token is not readable on the way.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { Toky, parseWebhookEvent } from "toky-wasm";

const env = process.env;
const toky = new Toky({ apiKey: env.TOKY_API_KEY ?? "", baseUrl: env.TOKY_BASE_URL || undefined });
const token = env.TOKY_HOOK_TOKEN || randomBytes(24).toString("base64url");
const events = (env.TOKY_EVENTS || "new_sms,new_call,new_voicemail").split(",").map((e) => e.trim());
const MAX_BODY = 1 << 20;
const hooks = [];

const server = createServer(async (req, res) => {
  if (req.method !== "POST" || new URL(req.url, "http://x").pathname !== "/hook") return res.writeHead(404).end();
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    if ((size += chunk.length) > MAX_BODY) return res.writeHead(413).end();
    chunks.push(chunk);
  }
  try {
    // req.url is the path and query the request was sent to: that is where the token is.
    const event = parseWebhookEvent(Buffer.concat(chunks), { token, url: req.url });
    console.log(JSON.stringify(event));
    res.writeHead(204).end();
  } catch (e) {
    console.error(`refused a delivery (${e.kind}): ${e.message}`);
    res.writeHead(e.kind === "auth" ? 401 : 400).end();
  }
});

let started = Promise.resolve();
let stopping = false;
async function stop(why, code = 0) {
  if (stopping) return;
  stopping = true;
  await started; // a subscribe in flight finishes first, so its hook is deleted too
  // Deleting is idempotent: a hook already gone counts as done.
  for (const h of hooks) {
    try {
      const deleted = await toky.webhooks.unsubscribe(h, { timeoutMs: 5000 });
      console.error(`${deleted ? "unsubscribed" : "already gone:"} ${h.event} (hook ${h.id})`);
    } catch (e) {
      console.error(`could not unsubscribe hook ${h.id} (${e.kind}): ${e.message}`);
    }
  }
  server.close();
  server.closeAllConnections?.();
  console.error(`stopped (${why})`);
  process.exit(code);
}
process.once("SIGINT", () => stop("SIGINT"));
process.once("SIGTERM", () => stop("SIGTERM"));

server.listen(Number(env.PORT || 0), "127.0.0.1", () => {
  const here = `http://127.0.0.1:${server.address().port}`;
  console.log(here);
  const hookUrl = `${(env.PUBLIC_URL || here).replace(/\/+$/, "")}/hook?token=${token}`;
  started = (async () => {
    // subscribe reuses a hook with the same event and URL, so a restart with the same
    // TOKY_HOOK_TOKEN does not register a second one.
    for (const event of events) {
      if (stopping) return;
      hooks.push(await toky.webhooks.subscribe({ event, url: hookUrl }));
    }
    console.error(`ready: subscribed ${hooks.map((h) => `${h.event} (hook ${h.id})`).join(", ")}`);
  })().catch((e) => {
    console.error(`could not subscribe (${e.kind}): ${e.message}`);
    setImmediate(() => stop("error", 1));
  });
});
