//! Retry policy as a pure function: given what went wrong, how many retries were made and the
//! time left, retry after how long, or stop. The wasm layer sleeps and re-sends; it decides
//! nothing itself.
//!
//! Only requests that are safe to repeat are ever re-sent (GET, PUT, DELETE, ...). A POST —
//! sending an SMS, creating a contact or a webhook — is never re-sent once it may have reached
//! the server, whatever happened.


use crate::decided::{BACKOFF_BASE_MS, BACKOFF_CAP_MS, MAX_RETRY_AFTER_MS};

#[derive(Clone, Copy)]
pub enum Failure {
    /// An HTTP status that is not success.
    Status(u16),
    /// The connection failed or was cut: the request may or may not have been processed.
    Network,
}

#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub enum Decision {
    RetryAfterMs(f64),
    Stop,
}

pub struct Situation<'a> {
    pub retry_safe: bool,
    /// Retries already made for this call.
    pub retries: u64,
    pub max_retries: u64,
    pub failure: Failure,
    /// The `Retry-After` header, if the response had one.
    pub retry_after: Option<&'a str>,
    pub now_ms: f64,
    /// Time left before the call's deadline.
    pub remaining_ms: f64,
    /// A random number in [0, 1) for jitter.
    pub random: f64,
}

pub fn is_retryable_status(status: u16) -> bool {
    // 501 and 505 say the server will never do it; repeating cannot help.
    status == 408 || status == 429 || (500..=599).contains(&status) && status != 501 && status != 505
}

pub fn decide(s: &Situation) -> Decision {
    if !s.retry_safe || s.retries >= s.max_retries {
        return Decision::Stop;
    }
    if let Failure::Status(code) = s.failure {
        if !is_retryable_status(code) {
            return Decision::Stop;
        }
    }
    let delay = match s.retry_after.and_then(|h| retry_after_ms(h, s.now_ms)) {
        // The server said how long; longer than we are willing to wait means stop now.
        Some(ms) if ms > MAX_RETRY_AFTER_MS => return Decision::Stop,
        Some(ms) => ms,
        None => backoff_ms(s.retries, s.random),
    };
    if delay >= s.remaining_ms {
        return Decision::Stop;
    }
    Decision::RetryAfterMs(delay)
}

/// 500 ms, 1 s, 2 s, ... capped at 8 s, less up to 25 % so that many clients do not retry in step.
pub fn backoff_ms(retries: u64, random: f64) -> f64 {
    let mut d = BACKOFF_BASE_MS;
    for _ in 0..retries.min(16) {
        d *= 2.0;
    }
    let d = if d > BACKOFF_CAP_MS { BACKOFF_CAP_MS } else { d };
    let r = if (0.0..1.0).contains(&random) { random } else { 0.0 };
    d * (1.0 - 0.25 * r)
}

/// `Retry-After` is either delta-seconds or an HTTP date.
pub fn retry_after_ms(header: &str, now_ms: f64) -> Option<f64> {
    let h = header.trim();
    if !h.is_empty() && h.len() <= 9 && h.bytes().all(|b| b.is_ascii_digit()) {
        let mut n = 0f64;
        for b in h.bytes() {
            n = n * 10.0 + f64::from(b - b'0');
        }
        return Some(n * 1000.0);
    }
    let at = crate::time::parse_http_date(h)?;
    let d = at - now_ms;
    Some(if d > 0.0 { d } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(retry_safe: bool, retries: u64, failure: Failure, retry_after: Option<&str>) -> Situation<'_> {
        Situation {
            retry_safe,
            retries,
            max_retries: 2,
            failure,
            retry_after,
            now_ms: 784_111_777_000.0, // Sun, 06 Nov 1994 08:49:37 GMT
            remaining_ms: 30_000.0,
            random: 0.0,
        }
    }

    #[test]
    fn which_failures_retry() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert_eq!(decide(&s(true, 0, Failure::Status(code), None)), Decision::RetryAfterMs(500.0), "{code}");
        }
        for code in [400, 401, 403, 404, 409, 413, 501, 505] {
            assert_eq!(decide(&s(true, 0, Failure::Status(code), None)), Decision::Stop, "{code}");
        }
        assert_eq!(decide(&s(true, 0, Failure::Network, None)), Decision::RetryAfterMs(500.0));
    }

    #[test]
    fn posts_are_never_resent() {
        for f in [Failure::Network, Failure::Status(503), Failure::Status(429), Failure::Status(408)] {
            assert_eq!(decide(&s(false, 0, f, Some("1"))), Decision::Stop);
        }
    }

    #[test]
    fn retries_run_out() {
        assert_eq!(decide(&s(true, 1, Failure::Network, None)), Decision::RetryAfterMs(1000.0));
        assert_eq!(decide(&s(true, 2, Failure::Network, None)), Decision::Stop);
        let mut zero = s(true, 0, Failure::Network, None);
        zero.max_retries = 0;
        assert_eq!(decide(&zero), Decision::Stop);
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        assert_eq!(backoff_ms(0, 0.0), 500.0);
        assert_eq!(backoff_ms(3, 0.0), 4000.0);
        assert_eq!(backoff_ms(4, 0.0), 8000.0);
        assert_eq!(backoff_ms(60, 0.0), 8000.0);
        assert_eq!(backoff_ms(0, 0.999_999), 500.0 * (1.0 - 0.25 * 0.999_999));
        assert!(backoff_ms(2, 0.5) < backoff_ms(2, 0.0));
        assert_eq!(backoff_ms(0, f64::NAN), 500.0);
    }

    #[test]
    fn retry_after_is_honoured() {
        assert_eq!(decide(&s(true, 0, Failure::Status(429), Some("2"))), Decision::RetryAfterMs(2000.0));
        assert_eq!(decide(&s(true, 0, Failure::Status(503), Some(" 0 "))), Decision::RetryAfterMs(0.0));
        // An HTTP date 3 s from now.
        assert_eq!(
            decide(&s(true, 0, Failure::Status(503), Some("Sun, 06 Nov 1994 08:49:40 GMT"))),
            Decision::RetryAfterMs(3000.0)
        );
        // A date in the past: retry at once.
        assert_eq!(
            decide(&s(true, 0, Failure::Status(503), Some("Sun, 06 Nov 1994 08:00:00 GMT"))),
            Decision::RetryAfterMs(0.0)
        );
        // Over 60 s: not waited for.
        assert_eq!(decide(&s(true, 0, Failure::Status(429), Some("61"))), Decision::Stop);
        let mut sixty = s(true, 0, Failure::Status(429), Some("60"));
        sixty.remaining_ms = 61_000.0;
        assert_eq!(decide(&sixty), Decision::RetryAfterMs(60_000.0));
        // Garbage falls back to backoff.
        assert_eq!(decide(&s(true, 0, Failure::Status(429), Some("soon"))), Decision::RetryAfterMs(500.0));
    }

    #[test]
    fn deadline_wins() {
        let mut t = s(true, 0, Failure::Status(429), Some("5"));
        t.remaining_ms = 4_000.0;
        assert_eq!(decide(&t), Decision::Stop);
        t.remaining_ms = 5_001.0;
        assert_eq!(decide(&t), Decision::RetryAfterMs(5_000.0));
    }

}
