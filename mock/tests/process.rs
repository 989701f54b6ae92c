//! The process: CLI, start-up line, signals, big data sets, proxy mode, static folders.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_toky-mock"));
    c.env_remove("TOKY_API_KEY").stdin(Stdio::null());
    c
}

#[test]
fn help_and_bad_flags() {
    let out = bin().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let usage = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--host",
        "--seed",
        "--api-key",
        "--contacts",
        "--www",
        "--pkg",
        "--mock-pkg",
        "--upstream",
    ] {
        assert!(usage.contains(flag), "usage mentions {flag}");
    }
    for args in [
        vec!["--bogus"],
        vec!["--port"],
        vec!["--port", "99999"],
        vec!["--seed", "x"],
        vec!["--contacts", "1000001"],
        vec!["--www", "/definitely/not/here"],
        vec!["--mock-pkg", "/definitely/not/here"],
        vec!["--upstream", "ftp://x"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    // proxy mode refuses to start without TOKY_API_KEY
    let out = bin()
        .args(["--port", "0", "--upstream", "http://127.0.0.1:9/v1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TOKY_API_KEY"));
}

#[test]
fn startup_line_and_signals() {
    for (sig, use_it) in [("-TERM", true), ("-INT", true), ("-TERM", false)] {
        let mut m = Mock::start(&[]);
        assert!(
            m.line
                .starts_with("toky-mock listening on http://127.0.0.1:"),
            "{:?}",
            m.line
        );
        assert!(m.line.ends_with('\n'));
        let port: u16 = m.url.rsplit(':').next().unwrap().parse().unwrap();
        assert!(port > 0);
        if use_it {
            assert_eq!(m.get("/v1/agents").status, 200);
        } // else: the signal arrives right after the line was printed
        let st = Command::new("kill")
            .args([sig, &m.pid().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        let code = loop {
            if let Some(s) = m.child.try_wait().unwrap() {
                break s.code();
            }
            assert!(Instant::now() < deadline, "did not exit on {sig}");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(code, Some(0), "{sig}");
    }
}

#[test]
fn a_million_contacts_start_fast() {
    let m = Mock::start(&["--contacts", "1000000", "--seed", "9"]);
    assert!(
        m.started_in < Duration::from_secs(1),
        "started in {:?}",
        m.started_in
    );
    let v = m.get("/v1/contacts?offset=999990&limit=10").json();
    assert_eq!(v["count"], 10);
    assert!(v["next"].is_null());
    let last = v["results"][9].clone();
    let phone = last["phone"].as_str().unwrap();
    assert!(is_e164(phone));
    let got = m
        .get(&format!("/v1/contacts/{}", phone.replace('+', "%2B")))
        .json();
    assert_eq!(got, last);
    let v = m.get("/v1/contacts?offset=999500&limit=500").json();
    assert_eq!(v["count"], 500);
    let mut phones: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["phone"].as_str().unwrap())
        .collect();
    phones.sort();
    phones.dedup();
    assert_eq!(phones.len(), 500);
    // a new contact goes after the millionth
    let r = m.post(
        "/v1/contacts",
        &json!({"phone": "+15550006666", "first_name": "New"}),
    );
    assert_eq!(r.status, 201);
    let v = m.get("/v1/contacts?offset=1000000").json();
    assert_eq!(v["count"], 1);
    assert_eq!(v["results"][0]["phone"], "+15550006666");
}

#[test]
fn proxy_mode_forwards_with_the_real_key() {
    let upstream = Mock::start(&["--api-key", "up-secret", "--seed", "5"]);
    let base = format!("{}/v1", upstream.url);
    let proxy = Mock::start_with_env(&["--upstream", &base], &[("TOKY_API_KEY", "up-secret")]);
    // the client's key (wrong, or none) is ignored; the proxy adds the real one
    let via = proxy
        .raw("GET", "/v1/sms?limit=3", &[("X-Toky-Key", "wrong")], None)
        .unwrap();
    assert_eq!(via.status, 200, "{}", via.text());
    assert!(via.header("x-request-id").is_some());
    assert_eq!(via.header("access-control-allow-origin"), Some("*"));
    let direct = upstream
        .raw(
            "GET",
            "/v1/sms?limit=3",
            &[("X-Toky-Key", "up-secret")],
            None,
        )
        .unwrap()
        .json();
    let v = via.json();
    assert_eq!(v["results"], direct["results"]);
    // next is rewritten to the proxy's base and can be followed through the proxy
    let next = v["next"].as_str().unwrap();
    assert_eq!(next, format!("{}/v1/sms?offset=3&limit=3", proxy.url));
    let p2 = proxy.raw("GET", next, &[], None).unwrap().json();
    assert_eq!(p2["count"], 3);
    // filters pass through (query forwarded verbatim)
    let f = "filter=%28created_at%20%3E%3D%202026-01-01%29&limit=2";
    let a = proxy
        .raw("GET", &format!("/v1/cdrs?{f}"), &[], None)
        .unwrap()
        .json();
    let b = upstream
        .raw(
            "GET",
            &format!("/v1/cdrs?{f}"),
            &[("X-Toky-Key", "up-secret")],
            None,
        )
        .unwrap()
        .json();
    assert_eq!(a["results"], b["results"]);
    assert!(a["next"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/v1/cdrs?offset=2&limit=2&filter=", proxy.url)));
    // bodies, methods and statuses pass through
    let body = json!({"phone": "+15550007777", "first_name": "Via"}).to_string();
    let r = proxy
        .raw(
            "POST",
            "/v1/contacts",
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    let r = proxy
        .raw(
            "POST",
            "/v1/contacts",
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 409);
    let r = proxy
        .raw("GET", "/v1/contacts/%2B15550007777", &[], None)
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["first_name"], "Via");
    let r = proxy
        .raw(
            "POST",
            "/v1/sms/send",
            &[],
            Some(br#"{"from":"+13055550100","to":"+15550001234","text":"proxied"}"#),
        )
        .unwrap();
    assert_eq!(r.json()["success"], true);
    // upstream status + Retry-After pass back
    upstream
        .raw(
            "POST",
            "/__mock/faults",
            &[],
            Some(br#"{"route":"/agents","status":429,"retry_after":3}"#),
        )
        .unwrap();
    let r = proxy.raw("GET", "/v1/agents", &[], None).unwrap();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("3"));
    // the upstream saw the requests with the real key (none of them was a 401)
    let j = upstream
        .raw("GET", "/__mock/journal", &[], None)
        .unwrap()
        .json();
    let api: Vec<&Value> = j
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().starts_with("/v1/"))
        .collect();
    assert!(api.len() >= 8);
    assert!(api.iter().all(|e| e["status"] != 401), "{api:?}");
    // the proxy's own journal and preflight
    let pj = proxy
        .raw("GET", "/__mock/journal", &[], None)
        .unwrap()
        .json();
    assert!(pj.as_array().unwrap().len() >= 8);
    let r = proxy
        .raw(
            "OPTIONS",
            "/v1/agents",
            &[("Access-Control-Request-Headers", "x-toky-key")],
            None,
        )
        .unwrap();
    assert_eq!(r.status, 204);
    // upstream down → 502 JSON
    drop(upstream);
    let r = proxy.raw("GET", "/v1/agents", &[], None).unwrap();
    assert_eq!(r.status, 502);
    assert_eq!(r.json()["success"], false);
    assert!(!r.text().contains("up-secret"));
}

#[test]
fn static_folders() {
    let dir = std::env::temp_dir().join(format!("toky-mock-static-{}", std::process::id()));
    let www = dir.join("www");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("app.css"), "body{}").unwrap();
    std::fs::write(pkg.join("toky_wasm_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(pkg.join("toky_wasm.js"), "export default 1;").unwrap();
    std::fs::write(pkg.join("a.mjs"), "export {};").unwrap();
    std::fs::write(pkg.join("b.cjs"), "module.exports = 1;").unwrap();
    std::fs::write(pkg.join("package.json"), "{}").unwrap();
    let m = Mock::start(&[
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
    ]);
    let get = |p: &str| m.raw("GET", p, &[], None).unwrap();
    let r = get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("demo"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(get("/app.css")
        .header("content-type")
        .unwrap()
        .starts_with("text/css"));
    for (path, ct) in [
        ("/pkg/toky_wasm_bg.wasm", "application/wasm"),
        ("/pkg/toky_wasm.js", "text/javascript"),
        ("/pkg/a.mjs", "text/javascript"),
        ("/pkg/b.cjs", "text/javascript"),
        ("/pkg/package.json", "application/json"),
    ] {
        let r = get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(ct),
            "{path}: {:?}",
            r.header("content-type")
        );
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    let r = get("/missing.html");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["success"], false);
    // the API still works next to the static files
    assert_eq!(m.get("/v1/agents").status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mock_pkg_folder() {
    // --mock-pkg serves the toky-mock npm package at /mock-pkg/ beside --www and --pkg.
    let dir = std::env::temp_dir().join(format!("toky-mock-mockpkg-{}", std::process::id()));
    let www = dir.join("www");
    let mock_pkg = dir.join("mock-pkg");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&mock_pkg).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(mock_pkg.join("browser.js"), "export {};").unwrap();
    std::fs::write(mock_pkg.join("toky_mock_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let m = Mock::start(&[
        "--www",
        www.to_str().unwrap(),
        "--mock-pkg",
        mock_pkg.to_str().unwrap(),
    ]);
    let get = |p: &str| m.raw("GET", p, &[], None).unwrap();
    for (path, ct) in [
        ("/mock-pkg/browser.js", "text/javascript"),
        ("/mock-pkg/toky_mock_bg.wasm", "application/wasm"),
    ] {
        let r = get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(ct), "{path}");
    }
    assert_eq!(get("/mock-pkg/missing.js").status, 404);
    assert!(get("/").text().contains("demo"));
    assert_eq!(m.get("/v1/agents").status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn port_from_the_environment_and_version() {
    // a port that was free a moment ago; the flag, when given, wins over the variable
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = bin()
        .env("TOKY_MOCK_PORT", port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        line,
        format!("toky-mock listening on http://127.0.0.1:{port}\n")
    );
    let out = bin().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("toky-mock "));
    let help = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for s in [
        "--loopback-webhooks",
        "--version",
        "TOKY_MOCK_PORT",
        "TOKY_API_KEY",
    ] {
        assert!(help.contains(s), "help mentions {s}");
    }
}
