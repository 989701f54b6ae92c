// `toky-wasm/cli` is the `toky` command (bin), not a library: importing it runs the command
// line in process.argv. It exports nothing.
export {};
