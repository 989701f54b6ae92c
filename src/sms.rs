//! Text messages: sending ([SEEN] `POST /sms/send`) and history (newest first). Sending is not
//! idempotent: the plan is marked unsafe to retry, and the wasm layer never re-sends it.

use serde::Serialize;

use crate::args::{self, Arg, Email, Phone};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// `{id, from, to, text, direction, agent, created_at}`.
    pub struct Sms {
        id: Id,
        from: Pass => ": Phone",
        to: Pass => ": Phone",
        text: Pass => ": string",
        direction: Pass => ": \"inbound\" | \"outbound\"",
        agent: Pass => ": string | null",
        created_at: Time,
    }
}

crate::record! {
    /// `{success, id, segments}` as `/sms/send` answers.
    pub struct SmsSent {
        success: Bool => ": boolean",
        id: Id,
        segments: Num => ": number",
    }
}

/// [DECIDED] Longest text accepted: 10 concatenated UCS-2 parts is well past what carriers
/// deliver reliably; a longer text is almost certainly a bug in the caller.
pub const MAX_TEXT: usize = 1600;

crate::typed! {
    /// What `sms.send` takes; checked, it is also the request body.
    #[derive(Debug, Serialize)]
    pub struct SmsInput {
        /// One of the account's SMS-enabled Toky numbers.
        from: Phone => ": Phone",
        to: Phone => ": Phone",
        text: String => ": string",
        /// Email of the sending agent.
        #[serde(rename = "email", skip_serializing_if = "Option::is_none")]
        agent: Option<Email> => "?: string",
    }
}

impl TryFrom<&[(String, Arg)]> for SmsInput {
    type Error = Error;
    fn try_from(input: &[(String, Arg)]) -> Result<SmsInput, Error> {
        args::only(input, &["from", "to", "text", "agent"])?;
        Ok(SmsInput {
            from: args::required(input, "from")?,
            to: args::required(input, "to")?,
            text: args::text(input, "text", true, MAX_TEXT)?.unwrap_or_default().to_string(),
            agent: args::optional(input, "agent")?,
        })
    }
}

pub fn send(cfg: &Config, input: Option<&Arg>) -> Result<Plan, Error> {
    let input = SmsInput::try_from(args::object(input, "input", false)?)?;
    debug_assert_eq!(decided::SMS_AGENT_FIELD, "email");
    Ok(Plan::new(cfg, &decided::SMS_SEND, None, Decode::Object(Kind::SmsSent)).body(&input))
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::SMS_LIST, Kind::Sms, o, Paging { iterate, dates: true })
}
