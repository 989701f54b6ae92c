// A static file server for the browser tests (consumers, the toky-mock page, the static demo):
// one folder on 127.0.0.1 at a port the system chooses, nothing else. A folder's path serves
// its index.html; a path outside the folder gets 403, a missing file 404, except a missing
// /favicon.ico, which gets 204 (Chromium asks for one, and a 404 would be a console error).
// Every path asked for is kept in `paths`, so a test can check what a page fetched.
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";

const MIME = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
};

/**
 * Serves `dir`; resolves to `{ url, paths, close }` once it listens.
 * @param {string} dir
 * @returns {Promise<{ url: string, paths: string[], close: () => void }>}
 */
export function serve(dir) {
  const top = resolve(dir);
  const paths = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    paths.push(path);
    let file = normalize(join(top, path));
    if (file !== top && !file.startsWith(top + sep)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return path === "/favicon.ico" ? res.writeHead(204).end() : res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}`, paths, close: () => server.close() })),
  );
}
