//! Voicemails [DOC operations, DECIDED paths and fields]: newest-first list, and one voicemail
//! with its recording `url`.

use crate::args::{self, Arg, Id};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// A voicemail, as `voicemails.list`, `get` and `watch` return it; fields the client does
    /// not declare pass through as sent.
    pub struct Voicemail {
        /// The voicemail id (`voicemails.get` takes it).
        id: Id,
        /// The id of the call that left it (`calls.recording` takes it).
        callid: Id => "?: string",
        /// The caller's number.
        from: Pass => "?: Phone | null",
        /// The number called.
        to: Pass => "?: Phone | null",
        /// Email of the agent it was left for, if any.
        agent: Pass => "?: string | null",
        /// Length in seconds.
        duration: Num => "?: number | null",
        /// When it was left.
        created_at: Time,
        /// Toky's transcription, when there is one.
        transcription: Pass => "?: string | null",
        /// The recording's URL (present on `voicemails.get`).
        url: Pass => "?: string",
    }
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::VOICEMAILS_LIST, Kind::Voicemail, o, Paging { iterate, dates: false })
}

pub fn get(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["id"])?;
    let id: Id = args::required(o, "id")?;
    Ok(Plan::new(cfg, &decided::VOICEMAILS_GET, Some(&id), Decode::Object(Kind::Voicemail)))
}
