//! Agents [DOC]: the account's users, read only.

use crate::args::Arg;
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Plan};

crate::record! {
    /// An agent (a person on the Toky account), as `agents.list` returns it: loose wire values
    /// normalised (booleans, ISO-8601 timestamps), fields the client does not declare passed
    /// through as sent.
    pub struct Agent {
        /// The agent's email: how the API names an agent (e.g. `sms.send`'s `agent`).
        email: Pass => ": string",
        /// The agent's full name.
        fullname: Pass => ": string",
        /// When the agent was created.
        created_at: Time,
        /// When the agent was last changed.
        last_update: Time,
        /// When the agent last connected; null if never.
        last_connection: Time,
        /// Whether the agent is an account administrator (`"false"`/`"yes"` on the wire).
        is_admin: Bool,
        /// The agent's forwarding number.
        phone_number: Pass => ": Phone | null",
        /// The forwarding number's country, ISO 3166 alpha-2 (e.g. "ES").
        phone_country: Pass => ": string | null",
        /// The agent's time zone, when Toky sends one.
        timezone: Pass => "?: string",
        /// Free-form data Toky may attach to the agent.
        extra_data: Pass => "?: string",
    }
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::AGENTS_LIST, Kind::Agent, o, Paging { iterate, dates: false })
}
