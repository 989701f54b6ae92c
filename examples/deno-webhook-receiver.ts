// A webhook receiver on Deno.serve: it subscribes to Toky's new_sms, new_call and new_voicemail
// events on start, prints every event it receives as one JSON line on stdout, and unsubscribes on
// SIGINT/SIGTERM.
//
//   TOKY_API_KEY=... PUBLIC_URL=https://hooks.example.com \
//     deno run --allow-net --allow-read --allow-env deno-webhook-receiver.ts
//
// "toky-wasm" is resolved from ./node_modules (npm install toky-wasm beside a package.json, and
// deno.json {"nodeModulesDir": "manual"}); --allow-read is for the package's .wasm file.
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
import { parseWebhookEvent, Toky, TokyError, type Webhook, type WebhookEventName } from "toky-wasm";

const env = (name: string) => Deno.env.get(name) || undefined;
const toky = new Toky({ apiKey: env("TOKY_API_KEY") ?? "", baseUrl: env("TOKY_BASE_URL") });
const token = env("TOKY_HOOK_TOKEN") ??
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24)))).replace(/\+/g, "-").replace(/\//g, "_");
const events = (env("TOKY_EVENTS") ?? "new_sms,new_call,new_voicemail").split(",").map((e) => e.trim() as WebhookEventName);
const MAX_BODY = 1 << 20;
const hooks: Webhook[] = [];
const kind = (e: unknown) => (e instanceof TokyError ? e.kind : "error");

const shutdown = new AbortController();
const server = Deno.serve({
  hostname: "127.0.0.1",
  port: Number(env("PORT") ?? 0),
  signal: shutdown.signal,
  onListen: ({ hostname, port }) => console.log(`http://${hostname}:${port}`),
}, async (req) => {
  if (req.method !== "POST" || new URL(req.url).pathname !== "/hook") return new Response(null, { status: 404 });
  const body = new Uint8Array(await req.arrayBuffer());
  if (body.length > MAX_BODY) return new Response(null, { status: 413 });
  try {
    // req.url is the full URL the request was sent to: that is where the token is.
    const event = parseWebhookEvent(body, { token, url: req.url });
    console.log(JSON.stringify(event));
    return new Response(null, { status: 204 });
  } catch (e) {
    console.error(`refused a delivery (${kind(e)}): ${(e as Error).message}`);
    return new Response(null, { status: kind(e) === "auth" ? 401 : 400 });
  }
});

let stopping = false;
let started: Promise<void> = Promise.resolve();
async function stop(why: string, code = 0) {
  if (stopping) return;
  stopping = true;
  await started; // a subscribe in flight finishes first, so its hook is deleted too
  // Deleting is idempotent: a hook already gone counts as done.
  for (const h of hooks) {
    try {
      const deleted = await toky.webhooks.unsubscribe(h, { timeoutMs: 5000 });
      console.error(`${deleted ? "unsubscribed" : "already gone:"} ${h.event} (hook ${h.id})`);
    } catch (e) {
      console.error(`could not unsubscribe hook ${h.id} (${kind(e)}): ${(e as Error).message}`);
    }
  }
  shutdown.abort();
  await server.finished;
  console.error(`stopped (${why})`);
  Deno.exit(code);
}
Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));

const here = `http://127.0.0.1:${server.addr.port}`;
const hookUrl = `${(env("PUBLIC_URL") ?? here).replace(/\/+$/, "")}/hook?token=${token}`;
started = (async () => {
  // subscribe reuses a hook with the same event and URL, so a restart with the same
  // TOKY_HOOK_TOKEN does not register a second one.
  for (const event of events) {
    if (stopping) return;
    hooks.push(await toky.webhooks.subscribe({ event, url: hookUrl }));
  }
  console.error(`ready: subscribed ${hooks.map((h) => `${h.event} (hook ${h.id})`).join(", ")}`);
})().catch((e) => {
  console.error(`could not subscribe (${kind(e)}): ${(e as Error).message}`);
  setTimeout(() => stop("error", 1));
});
