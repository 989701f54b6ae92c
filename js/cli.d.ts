/**
 * `toky-wasm/cli` is the `toky` command (the package's `bin`), not a library: importing it runs
 * the command line in `process.argv`. It exports nothing. `toky --help` lists every command.
 *
 * @example
 * ```sh
 * npx toky-wasm --help
 * deno run -A npm:toky-wasm/cli contacts list --json
 * ```
 * @module
 */
export {};
