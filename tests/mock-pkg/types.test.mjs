// toky-mock's TypeScript declarations, from the packed tarball: the control API's types are
// generated from toky-mock's Rust types (mock/examples/typescript.rs), so they must (1) catch
// misuse under `tsc --strict` and (2) name exactly the fields the running mock returns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { TokyMock } from "toky-mock";
import { Toky } from "toky-wasm";

// The repository's TypeScript (tests/suites/mock-pkg.sh says where; the consumer installs none).
const ts = createRequire(process.env.TYPESCRIPT_DIR + "/")("typescript");
const here = process.cwd();

/** Compiles `source` as a module of this consumer project; returns tsc's diagnostics as text. */
function compile(source) {
  const dir = mkdtempSync(join(here, "types-"));
  try {
    const file = join(dir, "check.ts");
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [],
    });
    return ts.getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n") + (d.file ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : ""))
      .join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("tsc --strict accepts typed use of the control API and refuses misuse", () => {
  const out = compile(`
import { TokyMock, type Fault, type FaultKind, type JournalEntry, type Delivery, type Simulated } from "toky-mock";
export async function run(): Promise<void> {
  const mock = new TokyMock({ seed: 1, contacts: 10 });
  const fault: Fault = await mock.fault({ route: "/sms/send", kind: "drop_after", retry_after: 5 });
  const kind: FaultKind = fault.kind;
  const entries: JournalEntry[] = await mock.journal();
  const status: number | null = entries[0].status;
  const hit: FaultKind | null = entries[0].fault;
  const one: Simulated = await mock.simulate({ event: "new_sms", text: "STOP", from_number: "+15550001111", custom: { a: 1 } });
  const many: Simulated | Simulated[] = await mock.simulate({ event: "new_call", count: 3, duration: 22 });
  const payload: Record<string, unknown> = one.payload;
  const delivered: boolean = (await mock.deliveries() as Delivery[])[0].delivered;
  // @ts-expect-error an unknown fault kind
  await mock.fault({ route: "/sms/send", kind: "explode" });
  // @ts-expect-error a fault needs its route
  await mock.fault({ kind: "hang" });
  // @ts-expect-error a journal entry's status is a number or null
  const text: string = entries[0].status;
  // @ts-expect-error an event needs its name
  await mock.simulate({ text: "hi" });
  void [kind, status, hit, many, payload, delivered, text];
}
`);
  assert.equal(out, "");
});

/** The declared properties of an exported type of toky-mock: name → optional? */
function declared(name) {
  const dir = mkdtempSync(join(here, "types-"));
  try {
    const file = join(dir, "probe.ts");
    writeFileSync(file, `import type { ${name} } from "toky-mock";\nexport declare const probe: ${name};\n`);
    const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === "probe");
    const type = checker.getTypeOfSymbolAtLocation(symbol, source);
    return Object.fromEntries(checker.getPropertiesOfType(type).map((p) => [p.name, (p.flags & ts.SymbolFlags.Optional) !== 0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `value`'s keys are declared, and every required declared field is there. */
function agrees(name, value) {
  const props = declared(name);
  assert.ok(Object.keys(props).length > 0, `${name} has no declared properties`);
  for (const k of Object.keys(value)) assert.ok(k in props, `${name}: the mock returned \`${k}\`, which the type does not declare`);
  for (const [k, optional] of Object.entries(props)) if (!optional) assert.ok(k in value, `${name}: the type requires \`${k}\`, which the mock did not return`);
}

test("the declared types name exactly the fields the mock returns", async () => {
  const got = [];
  const mock = new TokyMock({ seed: 1, deliver: () => { got.push(1); return new Response(null, { status: 204 }); } });
  const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
  await toky.webhooks.create({ event: "new_voicemail", url: "https://hooks.example.com/vm" });
  agrees("Fault", await mock.fault({ route: "/agents", status: 429, retry_after: 2 }));
  await assert.rejects(toky.agents.list({ maxRetries: 0 }));
  const journal = await mock.journal();
  for (const e of journal) agrees("JournalEntry", e);
  assert.ok(journal.some((e) => e.fault === "status"));
  const vm = await mock.simulate({ event: "new_voicemail" });
  assert.ok("cdr" in vm);
  agrees("Simulated", vm);
  agrees("Simulated", await mock.simulate({ event: "new_call" }));
  while (!(await mock.deliveries()).some((d) => d.delivered)) await new Promise((r) => setTimeout(r, 10));
  for (const d of await mock.deliveries()) agrees("Delivery", d);
  mock.close();
});
