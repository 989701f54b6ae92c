//! What differs between the native server and the in-process wasm mock: spawning background
//! work, sleeping, and POSTing a webhook. The rest of the library does not know which it runs
//! on. Native: tokio and reqwest. wasm32: `spawn_local`, and a host object from the JS wrapper
//! (its timers, and its `deliver`: the global `fetch` or the test's own handler), so that
//! `close()` in JS can clear every timer and nothing keeps a Node process alive.

use std::future::Future;
use std::time::Duration;

pub use imp::*;

/// How long one webhook attempt may take.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    /// The HTTP client of webhook deliveries and proxy mode.
    pub type Transport = reqwest::Client;

    pub fn spawn<F: Future<Output = ()> + Send + 'static>(f: F) {
        tokio::spawn(f);
    }

    pub async fn sleep(_: &Transport, d: Duration) {
        tokio::time::sleep(d).await
    }

    /// POSTs a webhook body; the status, or why no response came.
    pub async fn post(client: &Transport, url: &str, body: Vec<u8>) -> Result<u16, String> {
        let r = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "toky-mock-webhooks/1")
            .timeout(DELIVERY_TIMEOUT)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        // read (and discard) the body so the connection closes cleanly
        let _ = r.bytes().await;
        Ok(status)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    use js_sys::{Function, Promise, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// The key of this mock's host object in `HOSTS` (a JS value is neither `Send` nor `Sync`,
    /// and axum's state must be both).
    #[derive(Clone, Copy, Debug)]
    pub struct Transport(pub u32);

    /// `sleep(ms) → Promise<void>` and `deliver(url, bytes, timeoutMs) → Promise<number>` of
    /// the JS wrapper.
    pub struct Host {
        pub sleep: Function,
        pub deliver: Function,
    }

    thread_local! {
        static HOSTS: RefCell<HashMap<u32, Host>> = RefCell::new(HashMap::new());
    }

    pub fn register(id: u32, host: Host) {
        HOSTS.with(|h| h.borrow_mut().insert(id, host));
    }

    /// After this, the mock's sleeps never end and its deliveries fail (the JS side has
    /// cleared its timers): a closed mock does no more work.
    pub fn unregister(id: u32) {
        HOSTS.with(|h| h.borrow_mut().remove(&id));
    }

    pub fn spawn<F: Future<Output = ()> + 'static>(f: F) {
        wasm_bindgen_futures::spawn_local(f);
    }

    fn call(t: &Transport, f: impl FnOnce(&Host) -> Result<JsValue, JsValue>) -> Option<Promise> {
        HOSTS.with(|h| h.borrow().get(&t.0).map(f))?
            .ok()?
            .dyn_into::<Promise>()
            .ok()
    }

    pub async fn sleep(t: &Transport, d: Duration) {
        let ms = JsValue::from_f64(d.as_millis() as f64);
        match call(t, |h| h.sleep.call1(&JsValue::NULL, &ms)) {
            Some(p) => {
                let _ = JsFuture::from(p).await;
            }
            None => std::future::pending::<()>().await,
        }
    }

    pub async fn post(t: &Transport, url: &str, body: Vec<u8>) -> Result<u16, String> {
        let (u, b) = (JsValue::from_str(url), Uint8Array::from(body.as_slice()));
        let ms = JsValue::from_f64(DELIVERY_TIMEOUT.as_millis() as f64);
        let p = call(t, |h| h.deliver.call3(&JsValue::NULL, &u, &b, &ms))
            .ok_or_else(|| "the mock is closed".to_string())?;
        match JsFuture::from(p).await {
            Ok(v) => match v.as_f64() {
                Some(s) if (100.0..=999.0).contains(&s) => Ok(s as u16),
                _ => Err("deliver() did not settle with a Response".into()),
            },
            Err(e) => Err(describe(&e)),
        }
    }

    /// `String(error)`, bounded (a thrown value can be anything).
    fn describe(e: &JsValue) -> String {
        let s: String = match e.dyn_ref::<js_sys::Error>() {
            Some(er) => er.to_string().into(),
            None => e.as_string().unwrap_or_else(|| "delivery failed".into()),
        };
        s.chars().take(500).collect()
    }
}
