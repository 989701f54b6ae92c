//! The control API: faults, journal, simulated events, webhook delivery, reset.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

fn fault(m: &Mock, f: Value) -> Value {
    let r = m
        .raw(
            "POST",
            "/__mock/faults",
            &[],
            Some(f.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn send_sms(m: &Mock, text: &str) -> std::io::Result<Resp> {
    let body = json!({"from": "+13055550100", "to": "+15550001234", "text": text}).to_string();
    m.raw(
        "POST",
        "/v1/sms/send",
        &[("X-Toky-Key", KEY), ("Content-Type", "application/json")],
        Some(body.as_bytes()),
    )
}

fn sms_texts(m: &Mock, n: usize) -> Vec<String> {
    m.get(&format!("/v1/sms?limit={n}")).json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect()
}

fn journal(m: &Mock) -> Vec<Value> {
    m.raw("GET", "/__mock/journal", &[], None)
        .unwrap()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn status_faults_with_retry_after_count_and_matching() {
    let m = Mock::start(&[]);
    let f = fault(
        &m,
        json!({"route": "/agents", "status": 429, "retry_after": 2, "count": 2}),
    );
    assert_eq!(f["kind"], "status");
    for _ in 0..2 {
        let r = m.get("/v1/agents");
        assert_eq!(r.status, 429);
        assert_eq!(r.header("retry-after"), Some("2"));
        assert_eq!(r.json()["success"], false);
        assert!(r.header("x-request-id").is_some());
    }
    assert_eq!(m.get("/v1/agents").status, 200, "count exhausted");
    // default: 503 once; string retry_after sent verbatim
    fault(
        &m,
        json!({"route": "/cdrs", "retry_after": "Wed, 21 Oct 2026 07:28:00 GMT"}),
    );
    let r = m.get("/v1/cdrs?limit=1");
    assert_eq!(r.status, 503);
    assert_eq!(
        r.header("retry-after"),
        Some("Wed, 21 Oct 2026 07:28:00 GMT")
    );
    assert_eq!(m.get("/v1/cdrs?limit=1").status, 200);
    // prefix routes and methods
    fault(
        &m,
        json!({"route": "/contacts/*", "method": "PUT", "status": 500}),
    );
    assert_eq!(m.get("/v1/contacts?limit=1").status, 200);
    let phone = m.get("/v1/contacts?limit=1").json()["results"][0]["phone"]
        .as_str()
        .unwrap()
        .replace('+', "%2B");
    assert_eq!(
        m.get(&format!("/v1/contacts/{phone}")).status,
        200,
        "GET does not match a PUT fault"
    );
    let r = m.call(
        "PUT",
        &format!("/v1/contacts/{phone}"),
        Some(&json!({"city": "Oslo"})),
    );
    assert_eq!(r.status, 500);
    assert_ne!(
        m.get(&format!("/v1/contacts/{phone}")).json()["city"],
        "Oslo",
        "handler did not run"
    );
    // listing and clearing
    fault(&m, json!({"route": "/sms", "count": 5}));
    assert_eq!(
        m.raw("GET", "/__mock/faults", &[], None)
            .unwrap()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = m.raw("DELETE", "/__mock/faults", &[], None).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(m.get("/v1/sms?limit=1").status, 200);
    // bad fault definitions
    for bad in [
        json!({"kind": "status"}),
        json!({"route": "/sms", "kind": "explode"}),
        json!({"route": "/sms", "count": 0}),
        json!({"route": "/sms", "bogus": 1}),
    ] {
        let r = m
            .raw(
                "POST",
                "/__mock/faults",
                &[],
                Some(bad.to_string().as_bytes()),
            )
            .unwrap();
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[test]
fn drop_before_and_drop_after() {
    let m = Mock::start(&[]);
    fault(&m, json!({"route": "/sms/send", "kind": "drop_before"}));
    let r = send_sms(&m, "dropped before");
    assert!(r.is_err(), "expected a connection error, got {r:?}");
    assert!(
        !sms_texts(&m, 5).contains(&"dropped before".to_string()),
        "handler must not run"
    );

    fault(
        &m,
        json!({"route": "/sms/send", "method": "POST", "kind": "drop_after"}),
    );
    let r = send_sms(&m, "dropped after");
    assert!(r.is_err(), "expected a connection error, got {r:?}");
    assert_eq!(
        sms_texts(&m, 1),
        vec!["dropped after".to_string()],
        "handler ran: the SMS was stored"
    );

    let j = journal(&m);
    let before = j.iter().find(|e| e["fault"] == "drop_before").unwrap();
    assert!(before["status"].is_null());
    assert_eq!(before["handler_ran"], false);
    let after = j.iter().find(|e| e["fault"] == "drop_after").unwrap();
    assert!(after["status"].is_null());
    assert_eq!(after["handler_ran"], true);
    assert!(after["body"].as_str().unwrap().contains("dropped after"));
    // and the server carries on
    assert_eq!(send_sms(&m, "fine").unwrap().status, 200);
}

#[test]
fn truncate_invalid_json_huge() {
    let m = Mock::start(&[]);
    let full = m.get("/v1/agents").body;
    fault(&m, json!({"route": "/agents", "kind": "truncate"}));
    let r = m.get("/v1/agents");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, full[..full.len() / 2].to_vec());
    assert_eq!(
        r.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        full.len() / 2
    );
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    fault(&m, json!({"route": "/agents", "kind": "invalid_json"}));
    let r = m.get("/v1/agents");
    assert_eq!(r.status, 200);
    assert!(r.text().starts_with("{\"count\": 1, \"results\": ["));
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    fault(&m, json!({"route": "/agents", "kind": "huge"}));
    let r = m.get("/v1/agents");
    assert_eq!(r.status, 200);
    assert!(r.body.len() >= 8 * 1024 * 1024, "{}", r.body.len());
    let v = r.json();
    assert!(
        v["results"].as_array().unwrap().len() >= 5,
        "the real response, padded"
    );
    assert!(v["padding"].is_string());
    assert_eq!(m.get("/v1/agents").body, full);
}

#[test]
fn hang_does_not_block_and_delay() {
    let m = Mock::start(&[]);
    fault(&m, json!({"route": "/agents", "kind": "hang"}));
    let url = format!("{}/v1/agents", m.url);
    let t0 = Instant::now();
    let hung = std::thread::spawn(move || {
        request(
            "GET",
            &url,
            &[("X-Toky-Key", KEY)],
            None,
            Duration::from_millis(2500),
        )
    });
    std::thread::sleep(Duration::from_millis(200));
    // other requests are served meanwhile (well before the hung client gives up)
    let r = m.get("/v1/cdrs?limit=1");
    assert_eq!(r.status, 200);
    assert!(t0.elapsed() < Duration::from_millis(2300));
    assert!(!hung.is_finished(), "the hung request is still waiting");
    let res = hung.join().unwrap();
    assert!(res.is_err(), "hang must not answer: {res:?}");
    let e = res.unwrap_err();
    assert!(
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{e:?}"
    );
    let j = journal(&m);
    let h = j.iter().find(|e| e["fault"] == "hang").unwrap();
    assert!(h["status"].is_null());
    assert_eq!(h["handler_ran"], false);

    // delay_ms alone: a normal response, later
    fault(&m, json!({"route": "/agents", "delay_ms": 300}));
    let t0 = Instant::now();
    let r = m.get("/v1/agents");
    assert_eq!(r.status, 200);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    // delay combined with a status
    fault(
        &m,
        json!({"route": "/agents", "delay_ms": 200, "status": 502}),
    );
    let t0 = Instant::now();
    assert_eq!(m.get("/v1/agents").status, 502);
    assert!(t0.elapsed() >= Duration::from_millis(200));
}

#[test]
fn journal_records_requests() {
    let m = Mock::start(&[]);
    m.get("/v1/agents?limit=3");
    m.post("/v1/contacts", &json!({"phone": "+15550004444"}));
    m.raw("GET", "/v1/agents", &[], None).unwrap();
    let j = journal(&m);
    assert_eq!(j.len(), 3, "{j:?}");
    assert_eq!(
        j[0],
        json!({"request_id": j[0]["request_id"], "method": "GET", "path": "/v1/agents", "query": "limit=3", "body": null, "status": 200, "handler_ran": true, "fault": null})
    );
    assert_eq!(j[1]["method"], "POST");
    assert_eq!(j[1]["status"], 201);
    assert_eq!(j[1]["body"], "{\"phone\":\"+15550004444\"}");
    assert_eq!(j[2]["status"], 401);
    assert_eq!(j[2]["handler_ran"], false);
    // the journal does not record itself; control routes are recorded
    m.raw("GET", "/__mock/numbers", &[], None).unwrap();
    let j = journal(&m);
    assert_eq!(j.len(), 4);
    assert_eq!(j[3]["path"], "/__mock/numbers");
    assert_eq!(
        m.raw("DELETE", "/__mock/journal", &[], None)
            .unwrap()
            .status,
        200
    );
    assert!(journal(&m).is_empty());
}

#[test]
fn simulated_events_appear_in_lists() {
    let m = Mock::start(&[]);
    let ctl = |body: Value| {
        let r = m
            .raw(
                "POST",
                "/__mock/events",
                &[],
                Some(body.to_string().as_bytes()),
            )
            .unwrap();
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()
    };
    let e = ctl(
        json!({"event": "new_sms", "text": "hello from a customer", "from_number": "+447700900111"}),
    );
    assert_eq!(e["record"]["direction"], "inbound");
    assert_eq!(e["payload"]["event"], "new_sms");
    assert_eq!(e["payload"]["from_number"], "+447700900111");
    let first = m.get("/v1/sms?limit=1").json()["results"][0].clone();
    assert_eq!(first, e["record"]);
    assert!(first["created_at"].as_str().unwrap() > "2026-10-31 23:59:59");

    let e = ctl(json!({"event": "new_call", "duration": 22, "agent": "carlos@example.com"}));
    let cdr = m.get("/v1/cdrs?limit=1").json()["results"][0].clone();
    assert_eq!(cdr, e["record"]);
    assert_eq!(cdr["duration"], "22");
    assert_eq!(cdr["agent_id"], "carlos__example.com");
    let p = &e["payload"];
    assert_eq!(p["duration"], "22");
    assert_eq!(p["web_call"], "no");
    assert_eq!(p["state"], "completed");
    assert_eq!(p["agent"], "carlos@example.com");
    assert_eq!(p["agent_name"], "Carlos Mendoza");
    assert!(is_ts(p["date"].as_str().unwrap()));
    for f in [
        "callid",
        "direction",
        "from_number",
        "to_number",
        "record_url",
        "record_url_raw",
        "caller_name",
        "caller_email",
        "caller_country",
        "caller_phone_number",
        "contact_name",
        "contact_email",
    ] {
        assert!(p.get(f).is_some(), "call payload field {f}");
    }
    let rec = m.get(&format!(
        "/v1/recordings/{}",
        cdr["callid"].as_str().unwrap()
    ));
    assert_eq!(rec.status, 200);

    let e = ctl(json!({"event": "new_voicemail", "transcription": "call me", "custom_field": 7}));
    let vm = m.get("/v1/voicemails?limit=1").json()["results"][0].clone();
    assert_eq!(vm["id"], e["record"]["id"]);
    assert_eq!(vm["transcription"], "call me");
    assert_eq!(e["payload"]["voicemail_id"], vm["id"]);
    assert_eq!(e["payload"]["state"], "missed");
    assert_eq!(
        e["payload"]["custom_field"], 7,
        "unknown fields pass through to the payload"
    );
    let url = e["payload"]["voicemail_url"].as_str().unwrap();
    assert_eq!(m.raw("GET", url, &[], None).unwrap().status, 200);
    let missed = m.get("/v1/cdrs?limit=1").json()["results"][0].clone();
    assert_eq!(missed["callid"], vm["callid"]);
    assert_eq!(
        m.get(&format!(
            "/v1/recordings/{}",
            missed["callid"].as_str().unwrap()
        ))
        .status,
        404
    );

    let e = ctl(json!({"event": "outbound_call_ended", "state": "unsuccessful"}));
    assert_eq!(e["record"]["direction"], "outbound");
    assert_eq!(e["record"]["disposition_code"], "486");

    // bursts
    let list = ctl(json!({"event": "new_sms", "count": 25}));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 25);
    let ids: Vec<Value> = m.get("/v1/sms?limit=25").json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let mut expected: Vec<Value> = list.iter().map(|e| e["record"]["id"].clone()).collect();
    expected.reverse();
    assert_eq!(ids, expected, "newest first");

    let r = m
        .raw(
            "POST",
            "/__mock/events",
            &[],
            Some(br#"{"event":"new_fax"}"#),
        )
        .unwrap();
    assert_eq!(r.status, 400);
}

#[test]
fn a_call_that_started_earlier_is_listed_by_its_init_dt() {
    let m = Mock::start(&[]);
    let ctl = |body: Value| {
        m.raw("POST", "/__mock/events", &[], Some(body.to_string().as_bytes()))
            .unwrap()
    };
    let short = ctl(json!({"event": "inbound_call_ended", "duration": 5}));
    assert_eq!(short.status, 201, "{}", short.text());
    let short = short.json()["record"].clone();
    let long = ctl(json!({"event": "inbound_call_ended", "started_s_ago": 1800}));
    assert_eq!(long.status, 201, "{}", long.text());
    let long = long.json()["record"].clone();
    assert!(long["init_dt"].as_str() < short["init_dt"].as_str(), "{long} {short}");
    assert_eq!(long["start_time"], long["init_dt"]);
    // It rang, then lasted until now.
    let d: i64 = long["duration"].as_str().unwrap().parse().unwrap();
    assert!((1780..=1797).contains(&d), "{d}");
    assert!(long["end_time"].as_str() >= short["init_dt"].as_str());
    let ids = |v: &Value| v["id"].as_str().unwrap().parse::<u64>().unwrap();
    assert!(ids(&long) > ids(&short), "the late record is the newer one");

    // Listed newest first by init_dt: the short call on top, the long one below it.
    let list = m.get("/v1/cdrs?limit=100").json()["results"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(list[0], short);
    let at = list.iter().position(|c| c["id"] == long["id"]).expect("listed");
    assert_eq!(list[at], long);
    let times: Vec<&str> = list.iter().map(|c| c["init_dt"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    // The next call without it starts after the newest one, as before.
    let next = ctl(json!({"event": "new_call"})).json()["record"].clone();
    assert!(next["init_dt"].as_str() >= short["init_dt"].as_str());
    assert_eq!(m.get("/v1/cdrs?limit=1").json()["results"][0], next);
    // A voicemail's missed call can start earlier too; the voicemail itself is new.
    let vm = ctl(json!({"event": "new_voicemail", "started_s_ago": "60"}));
    assert_eq!(vm.status, 201, "{}", vm.text());
    let vm = vm.json();
    assert_eq!(vm["cdr"]["duration"], "0");
    assert!(vm["cdr"]["init_dt"].as_str() < vm["record"]["created_at"].as_str());

    for bad in [json!(-1), json!(86401), json!("soon"), json!(1.5), json!("")] {
        let r = ctl(json!({"event": "new_call", "started_s_ago": bad}));
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
        assert!(r.text().contains("started_s_ago"), "{}", r.text());
    }
    let r = ctl(json!({"event": "new_call", "callid": short["callid"], "started_s_ago": 10}));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("existing call"), "{}", r.text());
}

#[test]
fn webhook_delivery_with_retry() {
    let m = Mock::start(&[]);
    let rx = receiver(vec![500]);
    let r = m.post(
        "/v1/webhooks",
        &json!({"event": "new_sms", "hook_url": rx.url}),
    );
    assert_eq!(r.status, 201);
    // a hook for another event gets nothing
    let other = receiver(vec![]);
    m.post(
        "/v1/webhooks",
        &json!({"event": "new_call", "hook_url": other.url}),
    );

    let r = send_sms(&m, "webhook me").unwrap();
    let id = r.json()["id"].as_str().unwrap().to_string();
    let (path1, body1) = rx
        .rx
        .recv_timeout(Duration::from_secs(10))
        .expect("first attempt");
    let (_, body2) = rx
        .rx
        .recv_timeout(Duration::from_secs(10))
        .expect("retry after 500");
    assert_eq!(path1, "/hooks/secret-token");
    assert_eq!(body1, body2);
    assert_eq!(body2["event"], "new_sms");
    assert_eq!(body2["id"], json!(id));
    assert_eq!(body2["text"], "webhook me");
    assert_eq!(body2["from_number"], "+13055550100");
    assert_eq!(body2["to_number"], "+15550001234");
    assert_eq!(body2["direction"], "outbound");
    assert!(is_ts(body2["date"].as_str().unwrap()));
    let d = wait_for(10, || {
        let d = m.raw("GET", "/__mock/deliveries", &[], None).ok()?.json();
        let first = d.as_array()?.first()?.clone();
        (first["delivered"] == true).then_some(first)
    });
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["last_status"], 200);
    assert_eq!(d["event"], "new_sms");
    assert_eq!(d["hook_url"], json!(rx.url));

    // simulated inbound event reaches the hook too
    m.raw(
        "POST",
        "/__mock/events",
        &[],
        Some(br#"{"event":"new_sms","text":"inbound!"}"#),
    )
    .unwrap();
    let (_, b) = rx
        .rx
        .recv_timeout(Duration::from_secs(10))
        .expect("inbound event");
    assert_eq!(b["text"], "inbound!");
    assert_eq!(b["direction"], "inbound");
    assert!(other.rx.try_recv().is_err());

    // an unreachable hook: retried, then recorded as failed
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/gone", dead.local_addr().unwrap());
    drop(dead);
    m.post(
        "/v1/webhooks",
        &json!({"event": "new_call", "hook_url": dead_url}),
    );
    m.raw(
        "POST",
        "/__mock/events",
        &[],
        Some(br#"{"event":"new_call"}"#),
    )
    .unwrap();
    let d = wait_for(15, || {
        let d = m.raw("GET", "/__mock/deliveries", &[], None).ok()?.json();
        d.as_array()?
            .iter()
            .find(|x| x["hook_url"] == json!(dead_url) && x["attempts"] == 4)
            .cloned()
    });
    assert_eq!(d["delivered"], false);
    assert!(d["last_status"].is_null());
    let (_, b) = other
        .rx
        .recv_timeout(Duration::from_secs(10))
        .expect("new_call");
    assert_eq!(b["event"], "new_call");
}

#[test]
fn reset_restores_the_seeded_state() {
    let m = Mock::start(&[]);
    let sms0 = m.get("/v1/sms?limit=20").body;
    let contacts0 = m.get("/v1/contacts?offset=280&limit=50").body;
    send_sms(&m, "temporary").unwrap();
    m.post("/v1/contacts", &json!({"phone": "+15550005555"}));
    m.post(
        "/v1/webhooks",
        &json!({"event": "new_sms", "hook_url": "http://127.0.0.1:9/x"}),
    );
    fault(&m, json!({"route": "/agents", "count": 10}));
    assert_ne!(m.get("/v1/sms?limit=20").body, sms0);
    let r = m.raw("POST", "/__mock/reset", &[], None).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(m.get("/v1/sms?limit=20").body, sms0);
    assert_eq!(m.get("/v1/contacts?offset=280&limit=50").body, contacts0);
    assert_eq!(m.get("/v1/webhooks").json()["count"], 0);
    assert_eq!(m.get("/v1/agents").status, 200, "faults cleared");
    assert_eq!(m.get("/v1/contacts/%2B15550005555").status, 404);
    let j = journal(&m);
    assert_eq!(j.len(), 5, "journal restarted at the reset: {j:?}");
    assert!(m
        .raw("GET", "/__mock/deliveries", &[], None)
        .unwrap()
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}
