// Node CommonJS consumer: one require line, no init call. Usage: node main.js <baseUrl>
const { Toky, TokyError, smsSegments } = require("toky-wasm");

async function main() {
  const baseUrl = process.argv[2] || "http://127.0.0.1:8080/v1";
  const toky = new Toky({ apiKey: "demo-key", baseUrl });

  const page = await toky.agents.list();
  const contacts = [];
  for await (const c of toky.contacts.iterate({ max: 5 })) contacts.push(c.phone);
  let kind = null;
  try {
    await toky.contacts.get("not-a-phone");
  } catch (e) {
    kind = e instanceof TokyError ? e.kind : "not a TokyError: " + e;
  }
  console.log(JSON.stringify({
    runtime: "node-cjs " + process.version + " (" + require.resolve("toky-wasm").split(/[\\/]/).pop() + ")",
    agents: page.results.length,
    firstAgent: page.results[0] ? page.results[0].email : null,
    contacts,
    errorKind: kind,
    segments: smsSegments("hi").segments,
    guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
  }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
