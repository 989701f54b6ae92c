//! List queries shared by every resource: `limit`/`offset` for `list`, `pageSize`/`max` for
//! `iterate`, and the `since`/`until` date filter where the resource has one. Following `next`
//! is `Plan::next` in `request.rs`.

use crate::args::{self, Arg};
use crate::decided::{self, Route};
use crate::error::Error;
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};
use crate::time;

/// How a list call may be asked.
#[derive(Clone, Copy)]
pub struct Paging {
    /// `iterate` (pageSize, max) rather than `list` (limit).
    pub iterate: bool,
    /// The resource takes a since/until date filter.
    pub dates: bool,
}

pub fn plan(cfg: &Config, route: &Route, kind: Kind, o: &[(String, Arg)], p: Paging) -> Result<Plan, Error> {
    let mut allowed: Vec<&str> = if p.iterate { vec!["pageSize", "max", "offset"] } else { vec!["limit", "offset"] };
    if p.dates {
        allowed.extend_from_slice(&["since", "until"]);
    }
    args::only(o, &allowed)?;
    let mut plan = Plan::new(cfg, route, None, Decode::Page(kind));
    if p.iterate {
        // `contacts.iterate`, not `contacts.list`, in every error of the iteration.
        plan = plan.named(&route.op.replace(".list", ".iterate"));
    }
    let limit = if p.iterate {
        args::int(o, "max", 0, u64::MAX)?;
        Some(args::int(o, "pageSize", 1, decided::MAX_LIMIT)?.unwrap_or(decided::DEFAULT_PAGE_SIZE))
    } else {
        args::int(o, "limit", 1, decided::MAX_LIMIT)?
    };
    if let Some(l) = limit {
        plan.param("limit", &l.to_string());
    }
    if let Some(off) = args::int(o, "offset", 0, 9_007_199_254_740_991)? {
        plan.param("offset", &off.to_string());
    }
    if p.dates {
        if let Some(filter) = date_filter(o)? {
            plan.param("filter", &filter);
        }
    }
    Ok(plan)
}

pub const DATE_EXPECTED: &str = "expected a date: \"YYYY-MM-DD\", \"YYYY-MM-DD HH:MM:SS\" (UTC), an ISO-8601 timestamp or a Date";

fn bound(o: &[(String, Arg)], key: &str) -> Result<Option<time::Bound>, Error> {
    match args::string(o, key, false, DATE_EXPECTED)? {
        None => Ok(None),
        Some(s) => time::parse_bound(s).map(Some).map_err(|_| Error::field(key, &args::got(DATE_EXPECTED, args::get(o, key)))),
    }
}

/// `(created_at >= since) AND (created_at <= until)`, either clause optional.
fn date_filter(o: &[(String, Arg)]) -> Result<Option<String>, Error> {
    let since = bound(o, "since")?;
    let until = bound(o, "until")?;
    if let (Some(s), Some(u)) = (&since, &until) {
        // A date-only `until` covers its whole day.
        let u_end = if u.date_only { (u.key.0, 86_399) } else { u.key };
        if s.key > u_end {
            return Err(Error::field("until", "expected a date on or after since"));
        }
    }
    let clause = |op: &str, b: &time::Bound| format!("({} {op} {})", decided::FILTER_FIELD, b.api);
    Ok(match (since, until) {
        (None, None) => None,
        (Some(s), None) => Some(clause(">=", &s)),
        (None, Some(u)) => Some(clause("<=", &u)),
        (Some(s), Some(u)) => Some(format!("{} AND {}", clause(">=", &s), clause("<=", &u))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::parse;
    use crate::request::tests::cfg;

    fn run(input: &str, p: Paging) -> Result<String, Error> {
        let c = cfg("http://h/v1");
        let Arg::Obj(o) = parse(input) else { panic!("bad input") };
        plan(&c, &decided::SMS_LIST, Kind::Sms, &o, p).map(|p| p.url)
    }
    const LIST: Paging = Paging { iterate: false, dates: true };
    const ITER: Paging = Paging { iterate: true, dates: true };
    const PLAIN: Paging = Paging { iterate: false, dates: false };

    #[test]
    fn list_urls() {
        assert_eq!(run("{}", LIST).unwrap(), "http://h/v1/sms");
        assert_eq!(run("{\"limit\":500,\"offset\":20}", LIST).unwrap(), "http://h/v1/sms?limit=500&offset=20");
        assert_eq!(run("{}", ITER).unwrap(), "http://h/v1/sms?limit=100");
        assert_eq!(run("{\"pageSize\":7,\"max\":3}", ITER).unwrap(), "http://h/v1/sms?limit=7");
        assert_eq!(
            run("{\"since\":\"2017-06-01\",\"until\":\"2017-06-02\"}", LIST).unwrap(),
            "http://h/v1/sms?filter=%28created_at%20%3E%3D%202017-06-01%29%20AND%20%28created_at%20%3C%3D%202017-06-02%29"
        );
        assert_eq!(
            run("{\"since\":\"2017-06-01T10:00:00.000Z\"}", LIST).unwrap(),
            "http://h/v1/sms?filter=%28created_at%20%3E%3D%202017-06-01%2010%3A00%3A00%29"
        );
        // The same day for both bounds is one day, not an empty range.
        assert!(run("{\"since\":\"2017-06-01 10:00:00\",\"until\":\"2017-06-01\"}", LIST).is_ok());
    }

    #[test]
    fn list_errors_name_the_field() {
        for (input, p, field) in [
            ("{\"limit\":0}", LIST, "limit"),
            ("{\"limit\":501}", LIST, "limit"),
            ("{\"limit\":\"10\"}", LIST, "limit"),
            ("{\"offset\":-1}", LIST, "offset"),
            ("{\"pageSize\":10}", LIST, "pageSize"),
            ("{\"limit\":10}", ITER, "limit"),
            ("{\"pageSize\":0}", ITER, "pageSize"),
            ("{\"max\":-1}", ITER, "max"),
            ("{\"since\":\"2017-06-01\"}", PLAIN, "since"),
            ("{\"since\":\"yesterday\"}", LIST, "since"),
            ("{\"since\":\"2017-02-30\"}", LIST, "since"),
            ("{\"until\":12}", LIST, "until"),
            ("{\"since\":\"2017-06-02\",\"until\":\"2017-06-01\"}", LIST, "until"),
        ] {
            let e = run(input, p).err().unwrap_or_else(|| panic!("accepted {input}"));
            assert_eq!(e.field.as_deref(), Some(field), "{input}: {}", e.message);
        }
    }
}
