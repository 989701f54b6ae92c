//! Agents [DOC]: the account's users, read only.

use crate::args::Arg;
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Plan};

crate::record! {
    /// `{email, fullname, created_at, last_update, last_connection, is_admin, phone_number,
    /// phone_country, timezone?, extra_data?}`.
    pub struct Agent {
        email: Pass => ": string",
        fullname: Pass => ": string",
        created_at: Time,
        last_update: Time,
        last_connection: Time,
        is_admin: Bool,
        /// The agent's forwarding number.
        phone_number: Pass => ": Phone | null",
        phone_country: Pass => ": string | null",
        timezone: Pass => "?: string",
        extra_data: Pass => "?: string",
    }
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::AGENTS_LIST, Kind::Agent, o, Paging { iterate, dates: false })
}
