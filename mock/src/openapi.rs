//! `GET /openapi.json`: the contract as an OpenAPI 3.1 document. The source is
//! `mock/openapi.yaml`, written from `shared/toky-api.md` (not generated from these
//! handlers, so checking the mock against it checks two independent descriptions). build.rs
//! turns it into JSON text at build time; it is parsed once, on first use.

use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::util::{base_url, ok};

include!(concat!(env!("OUT_DIR"), "/openapi.rs"));

/// The parsed document (or why it did not parse: a build of a broken file still serves
/// the API, and this route says what is wrong).
pub fn document() -> &'static Result<Value, String> {
    static DOC: OnceLock<Result<Value, String>> = OnceLock::new();
    DOC.get_or_init(|| {
        GENERATED.map_err(str::to_string).and_then(|json| {
            serde_json::from_str::<Value>(json).map_err(|e| format!("mock/openapi.yaml: {e}"))
        })
    })
}

/// Serves the document with this toky-mock's own `/v1` as the first server, so a tool
/// pointed at `/openapi.json` talks to the mock by default.
pub async fn serve(State(app): State<Arc<App>>, headers: HeaderMap) -> ApiResult {
    let mut doc = document()
        .clone()
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    let ours = json!({
        "url": format!("{}/v1", base_url(&app, &headers)),
        "description": "this toky-mock",
    });
    if let Some(Value::Array(servers)) = doc.get_mut("servers") {
        servers.insert(0, ours);
    }
    Ok(ok(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_openapi_3_1() {
        let doc = document().as_ref().expect("mock/openapi.yaml parses");
        assert!(doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")));
        assert!(doc["servers"].is_array());
        assert!(doc["paths"].is_object());
        assert!(doc["webhooks"].is_object());
    }
}
