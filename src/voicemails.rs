//! Voicemails [DOC operations, DECIDED paths and fields]: newest-first list, and one voicemail
//! with its recording `url`.

use crate::args::{self, Arg, Id};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// `{id, callid, from, to, agent, duration, created_at, transcription?, url?}`.
    pub struct Voicemail {
        id: Id,
        callid: Id => "?: string",
        from: Pass => "?: Phone | null",
        to: Pass => "?: Phone | null",
        agent: Pass => "?: string | null",
        duration: Num => "?: number | null",
        created_at: Time,
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
