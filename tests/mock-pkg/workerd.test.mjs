// The same package in workerd (its "workerd" entry: the .wasm imported as a compiled module).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";

const freePort = () => new Promise((r) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });

test("workerd: a worker runs the client on the in-process mock (fault, deliver) with no network", async () => {
  const port = await freePort();
  const w = spawn(process.env.WORKERD_BIN ?? "workerd", ["serve", "config.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { cwd: "workerd", stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  w.stdout.on("data", (c) => (log += c));
  w.stderr.on("data", (c) => (log += c));
  try {
    let res;
    for (let i = 0; i < 100 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      if (!res) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(res, "workerd did not serve:\n" + log);
    const out = await res.json();
    assert.deepEqual(out, { sent: true, dropped: "TypeError", delivered: "STOP", journaled: 6 }, log);
  } finally {
    w.kill("SIGTERM");
  }
});
