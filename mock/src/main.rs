//! toky-mock: a faithful local fake of the Toky REST API (see mock/README.md).

// The native front end (wasm32 builds take only the library: `--lib`).
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use toky_mock::state::{App, Config, DEFAULT_API_KEY};
use toky_mock::{data, pipeline, server};

/// A local fake of the Toky REST API (https://api.toky.co/v1).
#[derive(Parser, Debug)]
#[command(
    name = "toky-mock",
    version,
    after_help = "\
Environment:
  TOKY_API_KEY   the real Toky key that --upstream adds to every forwarded request
                 (required with --upstream; never taken from the command line)

On start it prints one line to stdout: `toky-mock listening on http://HOST:PORT`.
SIGINT/SIGTERM stop it with exit code 0. Control routes live under /__mock/, and the
contract as OpenAPI 3.1 at /openapi.json (see the README)."
)]
struct Cli {
    /// Port to listen on; 0 picks a free port
    #[arg(long, value_name = "N", env = "TOKY_MOCK_PORT", default_value_t = 0)]
    port: u16,
    /// Address to bind
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1", value_parser = non_empty)]
    host: String,
    /// Seed of the generated data (the same seed always gives the same data)
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// The key clients must send in X-Toky-Key
    #[arg(long, value_name = "KEY", default_value = DEFAULT_API_KEY, value_parser = header_safe)]
    api_key: String,
    /// Number of seeded contacts, from 0 to 1000000
    #[arg(long, value_name = "N", default_value_t = 300, value_parser = contact_count)]
    contacts: usize,
    /// Serve DIR at / (index.html for /)
    #[arg(long, value_name = "DIR", value_parser = directory)]
    www: Option<PathBuf>,
    /// Serve DIR at /pkg/ (e.g. the wasm-pack output)
    #[arg(long, value_name = "DIR", value_parser = directory)]
    pkg: Option<PathBuf>,
    /// Serve DIR at /mock-pkg/ (the toky-mock npm package, mock/pkg: the demo page's
    /// in-browser backend loads it from there)
    #[arg(long, value_name = "DIR", value_parser = directory)]
    mock_pkg: Option<PathBuf>,
    /// Proxy mode: forward /v1/* to URL (e.g. https://api.toky.co/v1), adding the key from
    /// the TOKY_API_KEY environment variable
    #[arg(long, value_name = "URL", value_parser = http_url)]
    upstream: Option<String>,
    /// Refuse webhooks whose hook_url is not loopback (localhost, 127.0.0.0/8, [::1]), so
    /// no delivery ever leaves the machine (for tests that create arbitrary webhooks)
    #[arg(long)]
    loopback_webhooks: bool,
}

fn non_empty(v: &str) -> Result<String, String> {
    if v.is_empty() {
        Err("empty host".into())
    } else {
        Ok(v.to_string())
    }
}

fn header_safe(v: &str) -> Result<String, String> {
    if v.is_empty() || v.bytes().any(|b| b.is_ascii_control()) {
        Err("must be a non-empty header-safe string".into())
    } else {
        Ok(v.to_string())
    }
}

fn contact_count(v: &str) -> Result<usize, String> {
    let n: usize = v.parse().map_err(|e| format!("{e}"))?;
    if n > data::MAX_CONTACTS {
        return Err(format!("at most {}", data::MAX_CONTACTS));
    }
    Ok(n)
}

fn directory(v: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(v);
    if p.is_dir() {
        Ok(p)
    } else {
        Err("not a directory".into())
    }
}

fn http_url(v: &str) -> Result<String, String> {
    let u = v.trim_end_matches('/');
    match url::Url::parse(u) {
        Ok(p) if matches!(p.scheme(), "http" | "https") && p.host().is_some() => Ok(u.to_string()),
        _ => Err("not an absolute http(s) URL".into()),
    }
}

struct Args {
    port: u16,
    host: String,
    cfg: Config,
    mock_pkg: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut args = Args {
        port: cli.port,
        host: cli.host,
        cfg: Config {
            seed: cli.seed,
            api_key: cli.api_key,
            contacts: cli.contacts,
            www: cli.www,
            pkg: cli.pkg,
            upstream: cli.upstream,
            upstream_key: None,
            loopback_webhooks: cli.loopback_webhooks,
        },
        mock_pkg: cli.mock_pkg,
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
    let app = Arc::new(App::new(args.cfg, local.to_string(), client));
    let mut router = pipeline::router(app.clone());
    if let Some(dir) = &args.mock_pkg {
        // Static files only, like --pkg (the shared pipeline has no file serving on wasm32).
        router = router.nest_service("/mock-pkg", tower_http::services::ServeDir::new(dir));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition() {
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from(["toky-mock", "--port=8080", "--loopback-webhooks"]).unwrap();
        assert_eq!((cli.port, cli.seed, cli.contacts), (8080, 1, 300));
        assert_eq!(cli.api_key, DEFAULT_API_KEY);
        assert!(cli.loopback_webhooks);
        assert!(Cli::try_parse_from(["toky-mock", "--upstream", "ftp://x"]).is_err());
        assert!(Cli::try_parse_from(["toky-mock", "--api-key", ""]).is_err());
    }
}
