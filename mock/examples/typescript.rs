//! Prints the TypeScript declarations of toky-mock's control API values, generated from their
//! Rust types; `scripts/build-mock.sh` puts them into the package's `index.d.ts`.
fn main() {
    print!("{}", toky_mock::typescript());
}
