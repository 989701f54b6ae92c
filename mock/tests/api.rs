//! The fake API under /v1: envelope, paging, value types, ordering, validation, auth, CORS.

mod common;

use common::*;
use serde_json::{json, Value};

fn results(v: &Value) -> &Vec<Value> {
    v["results"].as_array().expect("results array")
}

#[test]
fn agents_envelope_and_loose_types() {
    let m = Mock::start(&[]);
    let r = m.get("/v1/agents");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v = r.json();
    let rows = results(&v);
    assert!(rows.len() >= 5);
    assert_eq!(v["count"], json!(rows.len()));
    assert!(v["next"].is_null());
    let mut null_conn = 0;
    for a in rows {
        assert!(a["email"].as_str().unwrap().contains('@'));
        assert!(a["fullname"].is_string());
        assert!(is_ts(a["created_at"].as_str().unwrap()));
        assert!(is_ts(a["last_update"].as_str().unwrap()));
        match &a["last_connection"] {
            Value::Null => null_conn += 1,
            Value::String(s) => assert!(is_ts(s)),
            other => panic!("last_connection {other}"),
        }
        let admin = a["is_admin"].as_str().unwrap();
        assert!(admin == "true" || admin == "false");
        assert!(a["phone_number"].is_null() || is_e164(a["phone_number"].as_str().unwrap()));
        assert_eq!(a["phone_country"].as_str().unwrap().len(), 2);
    }
    assert!(null_conn >= 1, "some agents have never connected");
    assert!(rows.iter().any(|a| a.get("timezone").is_none()));
    assert!(rows.iter().any(|a| a["timezone"].is_string()));
    assert!(rows.iter().any(|a| a["extra_data"].is_string()));
    // paging agents with a small limit
    let v = m.get("/v1/agents?limit=2").json();
    assert_eq!(v["count"], 2);
    assert_eq!(
        v["next"],
        json!(format!("{}/v1/agents?offset=2&limit=2", m.url))
    );
}

#[test]
fn contacts_paging_to_the_end() {
    let m = Mock::start(&[]);
    let first = m.get("/v1/contacts").json();
    assert_eq!(first["count"], 10, "default limit is 10");
    assert_eq!(
        first["next"],
        json!(format!("{}/v1/contacts?offset=10&limit=10", m.url))
    );
    // follow absolute next URLs to the end
    let mut url = format!("{}/v1/contacts?limit=120", m.url);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let v = m.get(&url).json();
        pages += 1;
        let rows = results(&v);
        assert_eq!(v["count"], json!(rows.len()));
        for c in rows {
            seen.push(c["phone"].as_str().unwrap().to_string());
        }
        match &v["next"] {
            Value::Null => break,
            Value::String(n) => {
                assert!(n.starts_with(&m.url), "next must be absolute: {n}");
                url = n.clone();
            }
            other => panic!("next {other}"),
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 300);
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), 300, "phones are unique");
    assert!(seen.iter().all(|p| is_e164(p)));
    let countries: std::collections::HashSet<_> = seen.iter().map(|p| &p[..3]).collect();
    assert!(countries.len() >= 4, "a mix of countries");
    // beyond the end
    let v = m.get("/v1/contacts?offset=5000").json();
    assert_eq!(v["count"], 0);
    assert!(v["next"].is_null());
    // exactly at the end: next is null on the last full page
    let v = m.get("/v1/contacts?offset=290&limit=10").json();
    assert_eq!(v["count"], 10);
    assert!(v["next"].is_null());
}

#[test]
fn limit_clamp_and_bad_paging() {
    let m = Mock::start(&["--contacts", "1200"]);
    let v = m.get("/v1/contacts?limit=1000").json();
    assert_eq!(v["count"], 500, "limit above 500 is clamped");
    assert_eq!(
        v["next"],
        json!(format!("{}/v1/contacts?offset=500&limit=500", m.url))
    );
    for q in [
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=",
        "offset=-1",
        "offset=x",
        "limit=1.5",
    ] {
        let r = m.get(&format!("/v1/sms?{q}"));
        assert_eq!(r.status, 400, "{q}");
        let v = r.json();
        assert_eq!(v["success"], false);
        assert!(v["error_message"].as_str().unwrap().len() > 5);
    }
}

#[test]
fn contacts_crud() {
    let m = Mock::start(&[]);
    let seeded = m.get("/v1/contacts?offset=7&limit=1").json()["results"][0].clone();
    let phone = seeded["phone"].as_str().unwrap().to_string();
    let enc = phone.replace('+', "%2B");
    let got = m.get(&format!("/v1/contacts/{enc}"));
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), seeded);
    for k in [
        "phone",
        "contact_name",
        "first_name",
        "last_name",
        "email",
        "company",
        "city",
        "country_code",
        "created_by",
        "created_at",
    ] {
        assert!(seeded.get(k).is_some(), "field {k}");
    }
    let name = format!(
        "{} {}",
        seeded["first_name"].as_str().unwrap_or(""),
        seeded["last_name"].as_str().unwrap_or("")
    );
    assert_eq!(seeded["contact_name"], json!(name.trim()));

    // create
    let body = json!({"phone": "+15550009999", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "company": "Engines", "created_by": "carlos@example.com"});
    let r = m.post("/v1/contacts", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let c = r.json();
    assert_eq!(c["contact_name"], "Ada Lovelace");
    assert_eq!(c["country_code"], "US");
    assert!(c["city"].is_null());
    assert!(is_ts(c["created_at"].as_str().unwrap()));
    // duplicate (created and seeded)
    assert_eq!(m.post("/v1/contacts", &body).status, 409);
    let r = m.post("/v1/contacts", &json!({"phone": phone}));
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["success"], false);
    // appears at the end of the list order
    let v = m.get("/v1/contacts?offset=300").json();
    assert_eq!(v["count"], 1);
    assert_eq!(v["results"][0]["phone"], "+15550009999");
    // get/update it
    assert_eq!(
        m.get("/v1/contacts/%2B15550009999").json()["first_name"],
        "Ada"
    );
    let r = m.call(
        "PUT",
        "/v1/contacts/%2B15550009999",
        Some(&json!({"last_name": "King", "city": "London"})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["contact_name"], "Ada King");
    assert_eq!(
        m.get("/v1/contacts/%2B15550009999").json()["city"],
        "London"
    );
    // update a seeded one
    let r = m.call(
        "PUT",
        &format!("/v1/contacts/{enc}"),
        Some(&json!({"company": "New Co", "email": null})),
    );
    assert_eq!(r.status, 200);
    let u = m.get(&format!("/v1/contacts/{enc}")).json();
    assert_eq!(u["company"], "New Co");
    assert!(u["email"].is_null());
    assert_eq!(u["phone"], json!(phone));
    // errors
    assert_eq!(m.get("/v1/contacts/%2B15550001111").status, 404);
    let r = m.call(
        "PUT",
        "/v1/contacts/%2B15550001111",
        Some(&json!({"city": "x"})),
    );
    assert_eq!(r.status, 404);
    let r = m.post(
        "/v1/contacts",
        &json!({"phone": "+15550002222", "nickname": "x"}),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error_message"]
        .as_str()
        .unwrap()
        .contains("nickname"));
    let r = m.call(
        "PUT",
        "/v1/contacts/%2B15550009999",
        Some(&json!({"phone": "+15550003333"})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error_message"]
        .as_str()
        .unwrap()
        .contains("phone"));
    for bad in [
        "15550009999",
        "+05550009999",
        "+1555",
        "+1555000999912345",
        "+1555abc9999",
    ] {
        let r = m.post("/v1/contacts", &json!({"phone": bad}));
        assert_eq!(r.status, 400, "{bad}");
    }
    let r = m
        .raw(
            "POST",
            "/v1/contacts",
            &[("X-Toky-Key", KEY)],
            Some(b"{\"phone\": "),
        )
        .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["success"], false);
    let r = m
        .raw(
            "POST",
            "/v1/contacts",
            &[("X-Toky-Key", KEY)],
            Some(b"[1,2]"),
        )
        .unwrap();
    assert_eq!(r.status, 400);
}

#[test]
fn sms_send_segments_and_history() {
    let m = Mock::start(&[]);
    let numbers = m.get("/__mock/numbers").json();
    let from = numbers["sms_numbers"][0].as_str().unwrap().to_string();
    assert_eq!(numbers["sms_numbers"].as_array().unwrap().len(), 3);
    assert_eq!(numbers["api_key_hint"], "demo-key");
    let cases: Vec<(String, u64)> = vec![
        ("hello".into(), 1),
        ("a".repeat(160), 1),
        ("a".repeat(161), 2),
        ("a".repeat(306), 2),
        ("a".repeat(307), 3),
        ("{".repeat(80), 1),
        ("€".repeat(81), 2),
        ("ê".repeat(70), 1),
        ("ê".repeat(71), 2),
        ("😀".repeat(35), 1),
        ("😀".repeat(36), 2),
    ];
    for (text, segs) in &cases {
        let r = m.post(
            "/v1/sms/send",
            &json!({"from": from, "to": "+15550001234", "text": text}),
        );
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_eq!(v["success"], true, "{v}");
        assert!(v["id"].is_string());
        assert_eq!(v["segments"], json!(segs), "text {text:?}");
    }
    let r = m.post("/v1/sms/send", &json!({"from": from, "to": "+447700900123", "text": "last one", "email": "carlos@example.com"}));
    let id = r.json()["id"].as_str().unwrap().to_string();
    let first = m.get("/v1/sms?limit=1").json()["results"][0].clone();
    assert_eq!(first["id"], json!(id));
    assert_eq!(first["direction"], "outbound");
    assert_eq!(first["agent"], "carlos@example.com");
    assert_eq!(first["from"], json!(from));
    assert_eq!(first["to"], "+447700900123");
    assert_eq!(first["text"], "last one");
    let second = m.get("/v1/sms?offset=1&limit=1").json()["results"][0].clone();
    assert!(second["agent"].is_null(), "no email → agent null");

    // from not SMS-enabled → 200 + success:false, nothing stored
    let r = m.post(
        "/v1/sms/send",
        &json!({"from": "+15550007777", "to": "+15550001234", "text": "hi"}),
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["success"], false);
    assert!(v["error_message"]
        .as_str()
        .unwrap()
        .contains("+15550007777"));
    assert_eq!(
        m.get("/v1/sms?limit=1").json()["results"][0]["id"],
        json!(id)
    );
    // validation → 400
    for body in [
        json!({"from": from, "to": "5550001234", "text": "hi"}),
        json!({"from": "nope", "to": "+15550001234", "text": "hi"}),
        json!({"from": from, "to": "+15550001234", "text": ""}),
        json!({"from": from, "to": "+15550001234"}),
        json!({"from": from, "text": "hi"}),
        json!({"from": from, "to": "+15550001234", "text": 5}),
    ] {
        let r = m.post("/v1/sms/send", &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["success"], false);
    }
}

#[test]
fn lists_newest_first_and_filters() {
    let m = Mock::start(&[]);
    for (path, field, min) in [
        ("/v1/sms", "created_at", 300),
        ("/v1/cdrs", "init_dt", 500),
        ("/v1/voicemails", "created_at", 60),
    ] {
        let v = m.get(&format!("{path}?limit=500")).json();
        let mut rows = results(&v).clone();
        let mut next = v["next"].clone();
        while let Value::String(n) = next {
            let p = m.get(&n).json();
            rows.extend(results(&p).iter().cloned());
            next = p["next"].clone();
        }
        assert!(rows.len() >= min, "{path}: {}", rows.len());
        let ts: Vec<&str> = rows.iter().map(|r| r[field].as_str().unwrap()).collect();
        assert!(ts.iter().all(|t| is_ts(t)));
        assert!(ts.windows(2).all(|w| w[0] >= w[1]), "{path} newest first");
        assert!(
            ts.iter()
                .all(|t| *t <= "2026-10-31 23:59:59" && *t >= "2025-01-01"),
            "seeded window"
        );
    }
    // filter: date-only upper bound includes the whole day; either order; URL-encoded next
    let all = m.get("/v1/sms?limit=500").json();
    let day = results(&all)[40]["created_at"].as_str().unwrap()[..10].to_string();
    let expected: Vec<Value> = results(&all)
        .iter()
        .filter(|r| r["created_at"].as_str().unwrap().starts_with(&day))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    for f in [
        format!("(created_at >= {day}) AND (created_at <= {day})"),
        format!("(created_at <= {day}) AND (created_at >= {day})"),
        format!("(created_at >= {day} 00:00:00) AND (created_at <= {day} 23:59:59)"),
    ] {
        let q = f
            .replace(' ', "%20")
            .replace('>', "%3E")
            .replace('<', "%3C")
            .replace('=', "%3D");
        let v = m.get(&format!("/v1/sms?limit=500&filter={q}")).json();
        assert_eq!(results(&v), &expected, "{f}");
    }
    let f = "(created_at >= 2026-01-01) AND (created_at <= 2026-06-30)";
    let q = f
        .replace(' ', "+")
        .replace('>', "%3E")
        .replace('<', "%3C")
        .replace('=', "%3D");
    let v = m.get(&format!("/v1/sms?limit=5&filter={q}")).json();
    let next = v["next"].as_str().unwrap();
    assert!(
        next.ends_with("&filter=%28created_at%20%3E%3D%202026-01-01%29%20AND%20%28created_at%20%3C%3D%202026-06-30%29"),
        "{next}"
    );
    assert!(next.starts_with(&format!("{}/v1/sms?offset=5&limit=5&filter=", m.url)));
    let p2 = m.get(next).json();
    assert_eq!(p2["count"], 5);
    assert!(results(&p2).iter().all(|r| {
        let t = r["created_at"].as_str().unwrap();
        ("2026-01-01".."2026-07-01").contains(&t)
    }));
    // one clause only
    let v = m
        .get("/v1/cdrs?limit=500&filter=created_at%20%3E%3D%202026-10-01")
        .json();
    assert!(results(&v)
        .iter()
        .all(|r| r["init_dt"].as_str().unwrap() >= "2026-10-01"));
    assert!(v["count"].as_u64().unwrap() > 0);
    // malformed
    for bad in [
        "(created_at%20%3E%3D%20yesterday)",
        "(updated_at%20%3E%3D%202026-01-01)",
        "created_at%202026",
        "(created_at%20%3E%3D%202026-13-01)",
    ] {
        let r = m.get(&format!("/v1/sms?filter={bad}"));
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error_message"]
            .as_str()
            .unwrap()
            .contains("filter"));
    }
}

#[test]
fn cdrs_recordings_voicemails() {
    let m = Mock::start(&[]);
    let v = m.get("/v1/cdrs?limit=500").json();
    let rows = results(&v);
    let fields = [
        "id",
        "callid",
        "from",
        "to_number",
        "country",
        "caller_id_used",
        "received_on_number",
        "init_dt",
        "start_time",
        "end_time",
        "duration",
        "agent_id",
        "to_agent",
        "direction",
        "web_call",
        "disposition_code",
        "ivr_option_pressed",
    ];
    let mut dispositions = std::collections::BTreeMap::new();
    for c in rows {
        for f in fields {
            assert!(c.get(f).is_some(), "cdr field {f}");
        }
        assert!(c["id"].as_str().unwrap().parse::<u64>().is_ok());
        assert!(c["duration"].as_str().unwrap().parse::<u64>().is_ok());
        let w = c["web_call"].as_str().unwrap();
        assert!(w == "yes" || w == "no");
        let d = c["direction"].as_str().unwrap();
        assert!(d == "inbound" || d == "outbound");
        if let Some(a) = c["agent_id"].as_str() {
            assert!(a.contains("__") && !a.contains('@'), "{a}");
        }
        *dispositions
            .entry(c["disposition_code"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert!(dispositions["200"] > rows.len() / 2);
    for code in ["486", "487", "480", "408"] {
        assert!(
            dispositions.contains_key(code),
            "{code} present: {dispositions:?}"
        );
    }
    // recordings: completed call → url; missed call → 404
    let done = rows
        .iter()
        .filter(|c| c["disposition_code"] == "200")
        .map(|c| c["callid"].as_str().unwrap());
    let mut found = None;
    for callid in done {
        let r = m.get(&format!("/v1/recordings/{callid}"));
        if r.status == 200 {
            found = Some(r.json()["url"].as_str().unwrap().to_string());
            break;
        }
    }
    let url = found.expect("a recording");
    assert!(url.starts_with(&format!("{}/__mock/audio/", m.url)) && url.ends_with(".wav"));
    let audio = m.raw("GET", &url, &[], None).unwrap();
    assert_eq!(audio.status, 200);
    assert_eq!(audio.header("content-type"), Some("audio/wav"));
    assert_eq!(&audio.body[..4], b"RIFF");
    assert_eq!(&audio.body[8..12], b"WAVE");
    let missed = rows
        .iter()
        .find(|c| c["disposition_code"] == "480")
        .unwrap();
    let r = m.get(&format!(
        "/v1/recordings/{}",
        missed["callid"].as_str().unwrap()
    ));
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["success"], false);
    assert_eq!(m.get("/v1/recordings/nope").status, 404);

    // voicemails
    let v = m.get("/v1/voicemails?limit=100").json();
    let vms = results(&v);
    assert!(vms.len() >= 60);
    assert!(vms.iter().any(|x| x.get("transcription").is_some()));
    let vm = &vms[0];
    for f in [
        "id",
        "callid",
        "from",
        "to",
        "agent",
        "duration",
        "created_at",
    ] {
        assert!(vm.get(f).is_some(), "voicemail field {f}");
    }
    let got = m
        .get(&format!("/v1/voicemails/{}", vm["id"].as_str().unwrap()))
        .json();
    let url = got["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("{}/__mock/audio/{}.wav", m.url, vm["id"].as_str().unwrap())
    );
    let audio = m.raw("GET", url, &[], None).unwrap();
    assert_eq!(audio.status, 200);
    assert_eq!(&audio.body[..4], b"RIFF");
    assert_eq!(m.get("/v1/voicemails/999999").status, 404);
    assert_eq!(
        m.raw("GET", "/__mock/audio/999999.wav", &[], None)
            .unwrap()
            .status,
        404
    );
}

#[test]
fn auth_cors_and_errors() {
    let m = Mock::start(&["--api-key", "s3cret"]);
    let r = m.raw("GET", "/v1/agents", &[], None).unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["success"], false);
    let r = m
        .raw("GET", "/v1/agents", &[("X-Toky-Key", "demo-key")], None)
        .unwrap();
    assert_eq!(r.status, 401);
    let r = m
        .raw("GET", "/v1/agents", &[("X-Toky-Key", "s3cret")], None)
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("x-request-id, retry-after")
    );
    assert!(r.header("x-request-id").unwrap().starts_with("req_"));
    // a non-default key is never hinted
    let n = m.raw("GET", "/__mock/numbers", &[], None).unwrap().json();
    assert!(n.get("api_key_hint").is_none());
    assert!(!n.to_string().contains("s3cret"));
    // preflight: no key needed
    let r = m
        .raw(
            "OPTIONS",
            "/v1/sms/send",
            &[
                ("Origin", "http://localhost:8080"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "x-toky-key, content-type, x-custom",
                ),
            ],
            None,
        )
        .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("x-toky-key, content-type, x-custom")
    );
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
    );
    assert!(r.header("access-control-max-age").is_some());
    assert!(r.header("x-request-id").is_some());
    let r = m.raw("OPTIONS", "/v1/agents", &[], None).unwrap();
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("x-toky-key"));

    let key = [("X-Toky-Key", "s3cret")];
    // unknown route, wrong method
    let r = m.raw("GET", "/v1/nothing", &key, None).unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["success"], false);
    let r = m.raw("GET", "/elsewhere", &[], None).unwrap();
    assert_eq!(r.status, 404);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let r = m.raw("DELETE", "/v1/agents", &key, None).unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["success"], false);
    assert!(r.header("x-request-id").is_some());
    // 413 over 1 MiB
    let big = vec![b'x'; 1024 * 1024 + 10];
    let r = m.raw("POST", "/v1/contacts", &key, Some(&big)).unwrap();
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["success"], false);
    // the server is still fine, and request ids differ
    let a = m.raw("GET", "/v1/agents", &key, None).unwrap();
    let b = m.raw("GET", "/v1/agents", &key, None).unwrap();
    assert_ne!(a.header("x-request-id"), b.header("x-request-id"));
    // garbage on the wire does not wedge it
    {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(m.host()).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let _ = s.write_all(b"\x00\x01garbage\r\n\r\n");
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
    }
    assert_eq!(m.raw("GET", "/v1/agents", &key, None).unwrap().status, 200);
}

#[test]
fn webhooks_crud() {
    let m = Mock::start(&[]);
    let r = m.post(
        "/v1/webhooks",
        &json!({"event": "new_sms", "hook_url": "https://example.org/hook?t=1"}),
    );
    assert_eq!(r.status, 201);
    let h = r.json();
    assert_eq!(h["event"], "new_sms");
    assert!(h["id"].is_string());
    assert!(is_ts(h["created_at"].as_str().unwrap()));
    for bad in [
        json!({"event": "new_thing", "hook_url": "https://example.org/h"}),
        json!({"event": "new_sms", "hook_url": "ftp://example.org/h"}),
        json!({"event": "new_sms", "hook_url": "/relative"}),
        json!({"event": "new_sms"}),
    ] {
        assert_eq!(m.post("/v1/webhooks", &bad).status, 400, "{bad}");
    }
    m.post(
        "/v1/webhooks",
        &json!({"event": "new_call", "hook_url": "http://127.0.0.1:9/h"}),
    );
    let v = m.get("/v1/webhooks").json();
    assert_eq!(v["count"], 2);
    assert!(v["next"].is_null());
    let id = h["id"].as_str().unwrap();
    let r = m.call("DELETE", &format!("/v1/webhooks/{id}"), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"success": true}));
    assert_eq!(
        m.call("DELETE", &format!("/v1/webhooks/{id}"), None).status,
        404
    );
    assert_eq!(m.get("/v1/webhooks").json()["count"], 1);
}

#[test]
fn determinism_by_seed() {
    let a = Mock::start(&["--seed", "42"]);
    let b = Mock::start(&["--seed", "42"]);
    let c = Mock::start(&["--seed", "43"]);
    for path in [
        "/v1/sms?limit=50",
        "/v1/cdrs?limit=50",
        "/v1/voicemails?limit=20",
        "/v1/contacts?limit=50",
        "/v1/agents",
    ] {
        let strip = |m: &Mock| m.get(path).json()["results"].clone();
        assert_eq!(strip(&a), strip(&b), "{path}");
        if !path.contains("agents") {
            assert_ne!(strip(&a), strip(&c), "{path}");
        }
    }
}

#[test]
fn openapi_document_and_loopback_webhooks() {
    let m = Mock::start(&["--loopback-webhooks"]);
    // the document needs no key and names this mock first
    let r = m.raw("GET", "/openapi.json", &[], None).unwrap();
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."));
    assert_eq!(doc["servers"][0]["url"], json!(format!("{}/v1", m.url)));
    assert_eq!(doc["servers"][1]["url"], "https://api.toky.co/v1");
    assert_eq!(doc["paths"].as_object().unwrap().len(), 11);
    assert_eq!(doc["webhooks"].as_object().unwrap().len(), 7);
    // only loopback hook URLs are accepted
    for (url, status) in [
        ("https://example.org/hook?t=1", 400),
        ("http://10.0.0.1/h", 400),
        ("http://127.0.0.1.example.org/h", 400),
        ("http://127.0.0.1:9/h", 201),
        ("http://localhost:9/h?token=x", 201),
        ("http://[::1]:9/h", 201),
    ] {
        let r = m.post(
            "/v1/webhooks",
            &json!({"event": "new_sms", "hook_url": url}),
        );
        assert_eq!(r.status, status, "{url}: {}", r.text());
        if status == 400 {
            assert!(r.json()["error_message"]
                .as_str()
                .unwrap()
                .contains("loopback"));
        }
    }
    // a body that does not fit gets the JSON error body naming the field
    let r = m.post("/v1/contacts", &json!({"phone": 5}));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["success"], false);
    assert!(r.json()["error_message"]
        .as_str()
        .unwrap()
        .starts_with("field `phone`"));
}
