//! Voicemails [DOC operations, DECIDED paths and fields]: newest-first list, and one voicemail
//! with its recording `url`.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided;
use crate::error::Error;
use crate::json::{Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Decode, Plan};

/// `{id, callid, from, to, agent, duration, created_at, transcription?, url?}`.
pub const VOICEMAIL: Shape = &[("id", Kind::Id), ("duration", Kind::Num), ("created_at", Kind::Time)];

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::VOICEMAILS_LIST, VOICEMAIL, o, Paging { iterate, dates: false })
}

pub fn get(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["id"])?;
    let id = args::id(o, "id")?;
    Ok(Plan::new(cfg, &decided::VOICEMAILS_GET, Some(id), Decode::Object(VOICEMAIL)))
}
