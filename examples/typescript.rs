//! Prints the TypeScript interfaces of the records, generated from their Rust declarations;
//! `scripts/build.sh` puts them into `pkg/index.d.ts`.
fn main() {
    print!("{}", toky_wasm::records::typescript());
}
