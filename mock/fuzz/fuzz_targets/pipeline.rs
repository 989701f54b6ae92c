//! Requests and control calls with arbitrary method, path, query, headers and body, several in
//! a row against one fresh mock (so a fault or an event set by one applies to the next), through
//! `pipeline::handle`: what the in-process mock (mock/src/wasm.rs) runs for every `mock.fetch`.
//! A panic there would trap the wasm instance for good, so none may happen. The request is
//! built as wasm.rs builds it: what `http` refuses (a method, a target) is rejected before the
//! pipeline, as the wrapper rejects it.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use toky_mock::pipeline::{self, BodyError, Outcome};
use toky_mock::state::{App, Config};

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
/// Where a path starts, so that most inputs reach a route rather than the 404.
const PREFIXES: [&str; 16] = [
    "/v1/agents", "/v1/contacts", "/v1/contacts/", "/v1/sms", "/v1/sms/send", "/v1/voicemails",
    "/v1/voicemails/", "/v1/cdrs", "/v1/recordings/", "/v1/webhooks", "/v1/webhooks/",
    "/__mock/events", "/__mock/faults", "/__mock/journal", "/__mock/deliveries", "/__mock/",
];

/// Built once (it loads TLS roots). Webhook attempts go through a proxy on [::1]:1, which
/// refuses: nothing leaves the machine.
static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::all("http://[::1]:1").expect("a proxy URL"))
        .build()
        .expect("a client")
}

#[derive(Arbitrary, Debug)]
struct Call {
    method: Result<u8, String>,
    prefix: u8,
    rest: String,
    headers: Vec<(String, String)>,
    key: bool,
    body: Option<Vec<u8>>,
    too_large: bool,
}

fuzz_target!(|calls: Vec<Call>| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    rt.block_on(async {
        let client = CLIENT.get_or_init(client).clone();
        let cfg = Config {
            seed: 1,
            api_key: "demo-key".into(),
            contacts: 20,
            www: None,
            pkg: None,
            upstream: None,
            upstream_key: None,
            loopback_webhooks: true,
        };
        let app = Arc::new(App::new(cfg, "toky-mock.localhost".into(), client));
        let router = pipeline::router(app.clone());
        for call in calls.into_iter().take(8) {
            let method = match &call.method {
                Ok(i) => METHODS[*i as usize % METHODS.len()].to_string(),
                Err(s) => s.clone(),
            };
            let Ok(method) = Method::from_bytes(method.as_bytes()) else { continue };
            let target = format!("{}{}", PREFIXES[call.prefix as usize % PREFIXES.len()], call.rest);
            let body = match call.body {
                _ if call.too_large => Err(BodyError::TooLarge),
                Some(b) => Ok(Bytes::from(b)),
                None => Ok(Bytes::new()),
            };
            let Ok(mut req) = Request::builder().method(method).uri(&target).body(body) else { continue };
            let h = req.headers_mut();
            h.insert("host", HeaderValue::from_static("toky-mock.localhost"));
            if call.key {
                h.insert("x-toky-key", HeaderValue::from_static("demo-key"));
            }
            for (k, v) in &call.headers {
                if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) {
                    h.append(k, v);
                }
            }
            match pipeline::handle(app.clone(), router.clone(), req).await {
                Outcome::Respond(resp) => {
                    use http_body_util::BodyExt;
                    let _ = resp.into_body().collect().await;
                }
                Outcome::Drop | Outcome::Hang => {}
            }
        }
    });
});
