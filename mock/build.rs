//! Turns mock/openapi.yaml into JSON text at build time (no YAML parser in the binary or the
//! wasm). A file that does not parse still builds: the error is what `/openapi.json` then says.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=openapi.yaml");
    let doc = fs::read_to_string("openapi.yaml")
        .map_err(|e| format!("mock/openapi.yaml: {e}"))
        .and_then(|y| {
            serde_norway::from_str::<serde_json::Value>(&y)
                .map_err(|e| format!("mock/openapi.yaml: {e}"))
        })
        .map(|v| v.to_string());
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("openapi.rs");
    fs::write(out, format!("const GENERATED: Result<&str, &str> = {doc:?};\n"))
        .expect("write OUT_DIR/openapi.rs");
}
