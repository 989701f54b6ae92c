//! The native front end's connections. They are served with hyper directly (the axum Router
//! is a tower service called per request by the shared pipeline), so that a fault can close a
//! connection without writing any response.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, Response};
use axum::Router;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::pipeline::{self, BodyError, Outcome, BODY_LIMIT};
use crate::state::App;

/// Oversized bodies are read and discarded up to this much (so the client sees the 413
/// instead of a reset), then the connection is closed.
const DRAIN_CAP: usize = 64 * 1024 * 1024;
/// How long a `hang` fault keeps the connection open at most.
const HANG_MAX: Duration = Duration::from_secs(600);

pub async fn serve(listener: TcpListener, app: Arc<App>, router: Router) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("toky-mock: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let router = router.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let k = kill.clone();
            let svc = service_fn(move |req: Request<Incoming>| {
                let (app, router, kill) = (app.clone(), router.clone(), k.clone());
                async move { Ok::<_, Infallible>(handle(app, router, kill, req).await) }
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30));
            let conn = builder.serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                // A drop fault: dropping the connection closes the socket, no response written.
                _ = kill.notified() => {}
            }
        });
    }
}

async fn read_body(headers: &HeaderMap, mut body: Incoming) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > DRAIN_CAP) {
        return Err(BodyError::TooLarge);
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut total = 0usize;
    loop {
        let frame = match tokio::time::timeout(Duration::from_secs(30), body.frame()).await {
            Ok(Some(Ok(f))) => f,
            Ok(None) => break,
            Ok(Some(Err(_))) | Err(_) => return Err(BodyError::Unreadable),
        };
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total > BODY_LIMIT {
                buf.clear();
                if total > DRAIN_CAP {
                    break;
                }
            } else {
                buf.extend_from_slice(&data);
            }
        }
    }
    if total > BODY_LIMIT {
        Err(BodyError::TooLarge)
    } else {
        Ok(Bytes::from(buf))
    }
}

async fn handle(
    app: Arc<App>,
    router: Router,
    kill: Arc<Notify>,
    req: Request<Incoming>,
) -> Response<Body> {
    let (parts, incoming) = req.into_parts();
    // A preflight's body is never read (the pipeline answers it first).
    let body = if parts.method == Method::OPTIONS {
        Ok(Bytes::new())
    } else {
        read_body(&parts.headers, incoming).await
    };
    match pipeline::handle(app, router, Request::from_parts(parts, body)).await {
        Outcome::Respond(resp) => resp,
        Outcome::Drop => {
            // Dropping the connection closes the socket, no response written.
            kill.notify_one();
            std::future::pending().await
        }
        Outcome::Hang => {
            tokio::time::sleep(HANG_MAX).await;
            kill.notify_one();
            std::future::pending().await
        }
    }
}
