//! toky-mock: a faithful local fake of the Toky REST API (see mock/README.md).

// Handlers return `Result<_, Response>` so validation errors are ready-made JSON responses.
#![allow(clippy::result_large_err)]

mod api;
mod control;
mod data;
mod events;
mod prng;
mod proxy;
mod segments;
mod server;
mod state;
mod time;
mod util;
mod wav;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use state::{App, Config, DEFAULT_API_KEY};

const USAGE: &str = "\
toky-mock - a local fake of the Toky REST API (https://api.toky.co/v1)

USAGE:
    toky-mock [OPTIONS]

OPTIONS:
    --port N          port to listen on; 0 picks a free port (default 0)
    --host HOST       address to bind (default 127.0.0.1)
    --seed N          seed of the generated data (default 1)
    --api-key KEY     the key clients must send in X-Toky-Key (default demo-key)
    --contacts N      number of seeded contacts, up to 1000000 (default 300)
    --www DIR         serve DIR at / (index.html for /)
    --pkg DIR         serve DIR at /pkg/ (e.g. the wasm-pack output)
    --upstream URL    proxy mode: forward /v1/* to URL (e.g. https://api.toky.co/v1),
                      adding the key from the TOKY_API_KEY environment variable
    -h, --help        print this help

On start it prints one line to stdout: `toky-mock listening on http://HOST:PORT`.
SIGINT/SIGTERM stop it with exit code 0. Control routes live under /__mock/ (see README).
";

struct Args {
    port: u16,
    host: String,
    cfg: Config,
}

fn parse_args(argv: Vec<String>) -> Result<Option<Args>, String> {
    let mut port = 0u16;
    let mut host = "127.0.0.1".to_string();
    let mut cfg = Config {
        seed: 1,
        api_key: DEFAULT_API_KEY.to_string(),
        contacts: 300,
        www: None,
        pkg: None,
        upstream: None,
        upstream_key: None,
    };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--port",
            "--host",
            "--seed",
            "--api-key",
            "--contacts",
            "--www",
            "--pkg",
            "--upstream",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--port" => {
                port = value
                    .parse()
                    .map_err(|_| format!("--port: invalid port {value:?}"))?
            }
            "--host" => {
                if value.is_empty() {
                    return Err("--host: empty host".into());
                }
                host = value
            }
            "--seed" => {
                cfg.seed = value
                    .parse()
                    .map_err(|_| format!("--seed: invalid number {value:?}"))?
            }
            "--api-key" => {
                if value.is_empty() || value.bytes().any(|b| b.is_ascii_control()) {
                    return Err("--api-key: must be a non-empty header-safe string".into());
                }
                cfg.api_key = value
            }
            "--contacts" => {
                let n: usize = value
                    .parse()
                    .map_err(|_| format!("--contacts: invalid number {value:?}"))?;
                if n > data::MAX_CONTACTS {
                    return Err(format!("--contacts: at most {}", data::MAX_CONTACTS));
                }
                cfg.contacts = n
            }
            "--www" | "--pkg" => {
                let p = PathBuf::from(&value);
                if !p.is_dir() {
                    return Err(format!("{flag}: {value:?} is not a directory"));
                }
                if flag == "--www" {
                    cfg.www = Some(p)
                } else {
                    cfg.pkg = Some(p)
                }
            }
            _ => {
                let u = value.trim_end_matches('/').to_string();
                let rest = u
                    .strip_prefix("http://")
                    .or_else(|| u.strip_prefix("https://"));
                if rest.is_none_or(|r| r.is_empty()) {
                    return Err(format!(
                        "--upstream: {value:?} is not an absolute http(s) URL"
                    ));
                }
                cfg.upstream = Some(u)
            }
        }
    }
    Ok(Some(Args { port, host, cfg }))
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut args = match parse_args(argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("toky-mock: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.cfg.upstream.is_some() {
        match std::env::var("TOKY_API_KEY") {
            Ok(k) if !k.trim().is_empty() && !k.bytes().any(|b| b.is_ascii_control()) => {
                args.cfg.upstream_key = Some(k.trim().to_string())
            }
            _ => {
                eprintln!("toky-mock: --upstream needs the real API key in the TOKY_API_KEY environment variable");
                return ExitCode::from(2);
            }
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = rt.block_on(run(args));
    rt.shutdown_timeout(Duration::from_millis(200));
    code
}

async fn run(args: Args) -> ExitCode {
    // Install the signal handlers before announcing the URL, so a SIGTERM sent right after
    // the line is read still exits cleanly with code 0.
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    let addr = format!("{}:{}", args.host, args.port);
    let bind_to: Vec<SocketAddr> = match tokio::net::lookup_host(&addr).await {
        Ok(a) => a.collect(),
        Err(e) => {
            eprintln!("toky-mock: cannot resolve {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(first) = bind_to.first().copied() else {
        eprintln!("toky-mock: cannot resolve {addr}");
        return ExitCode::from(2);
    };
    let listener = match tokio::net::TcpListener::bind(first).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("toky-mock: cannot listen on {first}: {e}");
            return ExitCode::from(1);
        }
    };
    let local = listener.local_addr().expect("local address");
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
        .expect("http client");
    let app = Arc::new(App::new(args.cfg, local, client));
    let router = server::router(app.clone());
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "toky-mock listening on http://{local}");
        let _ = out.flush();
    }
    tokio::spawn(server::serve(listener, app, router));
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    ExitCode::SUCCESS
}
