//! Agents [DOC]: the account's users, read only.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::Obj;
use crate::decided;
use crate::error::Error;
use crate::json::{Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Plan};

/// `{email, fullname, created_at, last_update, last_connection, is_admin, phone_number,
/// phone_country, timezone?, extra_data?}`; fields not listed are strings and pass through.
pub const AGENT: Shape = &[
    ("is_admin", Kind::Bool),
    ("created_at", Kind::Time),
    ("last_update", Kind::Time),
    ("last_connection", Kind::Time),
];

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::AGENTS_LIST, AGENT, o, Paging { iterate, dates: false })
}
