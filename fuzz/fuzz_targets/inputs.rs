//! Every planner with arguments built from the data (the bytes after the first are read as JSON
//! into `args::Arg`, as serde reads a JS value). Never panics. An accepted input plans a request
//! that `Config::target` lets through to a URL under the base, and a body that is JSON (the raw
//! call's string body excepted: it is sent as given). A refused input is a `validation` error
//! without the API key.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use toky_wasm::args::{self, Arg};
use toky_wasm::error::{Error, ErrorKind};
use toky_wasm::request::{self, Config, Decode, Env, Plan};
use toky_wasm::{agents, calls, contacts, sms, voicemails, webhooks};
use toky_wasm_fuzz::{config, resolve, API_KEY, BASE};

fn planned(cfg: &Config, which: u8, arg: &Arg) -> Result<Option<Plan>, Error> {
    // The operations that take an object of named arguments get it as the wasm layer passes it.
    let obj = || args::object(Some(arg), "input", true);
    let iterate = which & 0x80 != 0;
    Ok(Some(match which % 17 {
        0 => contacts::create(cfg, Some(arg))?,
        1 => contacts::update(cfg, obj()?)?,
        2 => contacts::get(cfg, obj()?)?,
        3 => sms::send(cfg, Some(arg))?,
        4 => webhooks::create(cfg, Some(arg))?,
        5 => webhooks::delete(cfg, obj()?)?,
        6 => voicemails::get(cfg, obj()?)?,
        7 => calls::recording(cfg, obj()?)?,
        8 => agents::list(cfg, obj()?, iterate)?,
        9 => sms::list(cfg, obj()?, iterate)?,
        10 => calls::list(cfg, obj()?, iterate)?,
        11 => contacts::list(cfg, obj()?, iterate)?,
        12 => voicemails::list(cfg, obj()?, iterate)?,
        13 => webhooks::list(cfg, obj()?, iterate)?,
        14 => request::raw(cfg, obj()?)?,
        15 => {
            toky_wasm::call_options(cfg, Some(arg), iterate)?; // iterate: as sms.send (reconcile)
            return Ok(None);
        }
        _ => {
            // The constructor itself, with the fuzzed object as its options (over a valid key
            // unless the input gives its own).
            let mut o = vec![("apiKey".to_string(), Arg::Str(API_KEY.into()))];
            o.extend(obj()?.iter().cloned());
            Config::new(&o, &Env { browser_main_thread: which & 0x40 != 0 }, &resolve)?;
            return Ok(None);
        }
    }))
}

static CLIENT: LazyLock<Config> = LazyLock::new(|| config(BASE));

fuzz_target!(|data: &[u8]| {
    let Some((&which, json)) = data.split_first() else { return };
    let Ok(arg) = serde_json::from_slice::<Arg>(json) else { return };
    let cfg = &*CLIENT;
    let base = cfg.base();
    match planned(cfg, which, &arg) {
        Ok(None) => {}
        Ok(Some(plan)) => {
            let raw = plan.decode == Decode::Raw;
            if !raw {
                assert!(plan.url.starts_with(&format!("{base}/")), "{} plans {} outside {base}", plan.op, plan.url);
            }
            match cfg.target(&plan, &resolve) {
                Ok(href) => assert!(
                    href == base || href.starts_with(&format!("{base}/")) || href.starts_with(&format!("{base}?")),
                    "{} sends to {href}, outside {base}",
                    plan.op
                ),
                // A raw call may name an absolute URL elsewhere: refused at send time, never sent.
                Err(e) if raw => assert_eq!(e.kind, ErrorKind::Validation, "{}", e.message),
                Err(e) => panic!("{} planned {} from a valid input but target refuses it: {}", plan.op, plan.url, e.message),
            }
            let string_body = raw && matches!(args::get(args::object(Some(&arg), "input", true).unwrap_or(&[]), "body"), Some(Arg::Str(_)));
            if let (Some(body), false) = (&plan.body, string_body) {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
                    panic!("{} body is not JSON ({e}): {body}", plan.op);
                }
            }
            for (name, value) in plan.request_headers(cfg) {
                assert!(!name.is_empty() && !value.contains(['\r', '\n', '\0']), "header {name:?}: {value:?}");
            }
        }
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Validation, "{}", e.message);
            assert!(e.field.is_some() || e.message.contains("path"), "a validation error names its field: {}", e.message);
            // The key may only come back if the caller typed it in.
            if !String::from_utf8_lossy(json).contains(API_KEY) {
                assert!(!e.message.contains(API_KEY) && !e.to_json().contains(API_KEY), "the API key is in an error: {}", e.message);
            }
        }
    }
});
