//! Seeded, deterministic, realistic data.
//!
//! Agents, SMS, CDRs and voicemails are small and generated at start-up (and on reset).
//! Contacts can number up to 1,000,000, so seeded contact `i` is a pure function of
//! `(seed, i)` computed on demand; the phone number encodes `i` through a bijection, so
//! phone → index is a computation too, not a table.

use serde::Serialize;

use crate::prng::{hash2, Rng};
use crate::time;

/// The account's SMS-enabled Toky numbers (fictional 555-01xx numbers).
pub const SMS_NUMBERS: [&str; 3] = ["+13055550100", "+14155550111", "+12125550122"];
/// A voice-only Toky number (calls can arrive on it; SMS from it fail).
pub const VOICE_ONLY_NUMBER: &str = "+18885550199";

pub const MAX_CONTACTS: usize = 1_000_000;

// ---------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------

#[derive(Serialize, Clone, Debug)]
pub struct Agent {
    pub email: String,
    pub fullname: String,
    pub created_at: String,
    pub last_update: String,
    pub last_connection: Option<String>,
    pub is_admin: String,
    pub phone_number: Option<String>,
    pub phone_country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_data: Option<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Contact {
    pub phone: String,
    pub contact_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub city: Option<String>,
    pub country_code: Option<String>,
    pub created_by: Option<String>,
    pub created_at: String,
}

impl Contact {
    pub fn refresh_name(&mut self) {
        let name = format!(
            "{} {}",
            self.first_name.as_deref().unwrap_or(""),
            self.last_name.as_deref().unwrap_or("")
        );
        let name = name.trim();
        self.contact_name = if name.is_empty() {
            None
        } else {
            Some(name.to_string())
        };
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct Sms {
    pub id: String,
    pub from: String,
    pub to: String,
    pub text: String,
    pub direction: String,
    pub agent: Option<String>,
    pub created_at: String,
    #[serde(skip)]
    pub ts: i64,
}

#[derive(Serialize, Clone, Debug)]
pub struct Cdr {
    pub id: String,
    pub callid: String,
    pub from: String,
    pub to_number: Option<String>,
    pub country: Option<String>,
    pub caller_id_used: Option<String>,
    pub received_on_number: Option<String>,
    pub init_dt: String,
    pub start_time: String,
    pub end_time: String,
    pub duration: String,
    pub agent_id: Option<String>,
    pub to_agent: Option<String>,
    pub direction: String,
    pub web_call: String,
    pub disposition_code: String,
    pub ivr_option_pressed: Option<String>,
    #[serde(skip)]
    pub ts: i64,
    #[serde(skip)]
    pub has_recording: bool,
}

#[derive(Serialize, Clone, Debug)]
pub struct Voicemail {
    pub id: String,
    pub callid: String,
    pub from: String,
    pub to: String,
    pub agent: Option<String>,
    pub duration: String,
    pub created_at: String,
    /// `None` = field absent, `Some(None)` = `null`, `Some(Some(text))` = text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcription: Option<Option<String>>,
    #[serde(skip)]
    pub ts: i64,
}

// ---------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------

struct AgentDef {
    email: &'static str,
    fullname: &'static str,
    admin: bool,
    phone: Option<&'static str>,
    country: &'static str,
    tz: Option<&'static str>,
    extra: Option<&'static str>,
}

const AGENTS: [AgentDef; 7] = [
    AgentDef {
        email: "carlos@example.com",
        fullname: "Carlos Mendoza",
        admin: true,
        phone: Some("+13055550142"),
        country: "US",
        tz: Some("America/New_York"),
        extra: Some("Team lead - English/Spanish"),
    },
    AgentDef {
        email: "maria.garcia@example.com",
        fullname: "María García",
        admin: false,
        phone: Some("+34612555013"),
        country: "ES",
        tz: Some("Europe/Madrid"),
        extra: None,
    },
    AgentDef {
        email: "james.whitfield@example.com",
        fullname: "James Whitfield",
        admin: false,
        phone: Some("+447700900461"),
        country: "GB",
        tz: Some("Europe/London"),
        extra: Some("Billing escalations"),
    },
    AgentDef {
        email: "ana.souza@example.com",
        fullname: "Ana Souza",
        admin: false,
        phone: None,
        country: "BR",
        tz: None,
        extra: None,
    },
    AgentDef {
        email: "priya.raman@example.com",
        fullname: "Priya Raman",
        admin: true,
        phone: Some("+14155550178"),
        country: "US",
        tz: Some("America/Los_Angeles"),
        extra: None,
    },
    AgentDef {
        email: "luis.herrera@example.com",
        fullname: "Luis Herrera",
        admin: false,
        phone: Some("+525555501234"),
        country: "MX",
        tz: Some("America/Mexico_City"),
        extra: Some("Night shift"),
    },
    AgentDef {
        email: "sophie.martin@example.com",
        fullname: "Sophie Martin",
        admin: false,
        phone: None,
        country: "FR",
        tz: None,
        extra: None,
    },
];

pub fn agent_emails() -> Vec<&'static str> {
    AGENTS.iter().map(|a| a.email).collect()
}

pub fn agent_name(email: &str) -> Option<&'static str> {
    AGENTS.iter().find(|a| a.email == email).map(|a| a.fullname)
}

/// Toky's agent id style: `carlos@example.com` → `carlos__example.com`.
pub fn agent_id(email: &str) -> String {
    email.replace('@', "__")
}

pub fn agents(seed: u64) -> Vec<Agent> {
    let mut rng = Rng::new(hash2(seed, 0xA6E7));
    AGENTS
        .iter()
        .map(|d| {
            let created = rng.range(
                time::ts(2023, 1, 10, 8, 0, 0),
                time::ts(2025, 6, 30, 18, 0, 0),
            );
            let updated = created + rng.range(60, 200 * 86_400);
            let never = (d.phone.is_none() && !d.admin && rng.chance(60)) || rng.chance(15);
            let last_conn = if never {
                None
            } else {
                Some(time::fmt(
                    rng.range(time::WINDOW_END - 30 * 86_400, time::WINDOW_END),
                ))
            };
            Agent {
                email: d.email.to_string(),
                fullname: d.fullname.to_string(),
                created_at: time::fmt(created),
                last_update: time::fmt(updated),
                last_connection: last_conn,
                is_admin: if d.admin { "true" } else { "false" }.to_string(),
                phone_number: d.phone.map(str::to_string),
                phone_country: d.country.to_string(),
                timezone: d.tz.map(str::to_string),
                extra_data: d.extra.map(str::to_string),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Countries, names, phone numbers
// ---------------------------------------------------------------------------------------

struct Country {
    iso: &'static str,
    weight: u64,
    /// Each prefix is followed by exactly 7 subscriber digits.
    prefixes: &'static [&'static str],
    cities: &'static [&'static str],
    names: usize,
}

const HISPANIC: usize = 0;
const ANGLO: usize = 1;
const PORTUGUESE: usize = 2;
const GERMAN: usize = 3;
const FRENCH: usize = 4;

const FIRST: [&[&str]; 5] = [
    &[
        "Alejandro",
        "Sofía",
        "Mateo",
        "Valentina",
        "Diego",
        "Camila",
        "Javier",
        "Lucía",
        "Andrés",
        "Isabella",
        "Santiago",
        "Daniela",
        "Fernando",
        "Gabriela",
        "Ricardo",
        "Paula",
    ],
    &[
        "James",
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Ava",
        "William",
        "Sophia",
        "Benjamin",
        "Mia",
        "Lucas",
        "Charlotte",
        "Henry",
        "Amelia",
        "Ethan",
        "Harper",
        "Michael",
        "Emily",
        "Daniel",
        "Grace",
    ],
    &[
        "João", "Ana", "Pedro", "Mariana", "Lucas", "Beatriz", "Gabriel", "Larissa", "Rafael",
        "Juliana",
    ],
    &[
        "Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Leon", "Hannah", "Paul", "Laura",
    ],
    &[
        "Louis", "Chloé", "Hugo", "Léa", "Arthur", "Manon", "Jules", "Camille", "Gabriel", "Inès",
    ],
];
const LAST: [&[&str]; 5] = [
    &[
        "García",
        "Rodríguez",
        "Martínez",
        "López",
        "Hernández",
        "González",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Rivera",
        "Gómez",
        "Díaz",
        "Morales",
        "Vargas",
    ],
    &[
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Young", "King",
    ],
    &[
        "Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Ferreira", "Almeida",
        "Carvalho",
    ],
    &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Schulz",
    ],
    &[
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau",
    ],
];

const COUNTRIES: [Country; 9] = [
    Country {
        iso: "US",
        weight: 40,
        prefixes: &[
            "+1212", "+1305", "+1415", "+1312", "+1617", "+1206", "+1512", "+1303", "+1404",
            "+1702",
        ],
        cities: &[
            "New York",
            "Miami",
            "San Francisco",
            "Chicago",
            "Boston",
            "Seattle",
            "Austin",
            "Denver",
            "Atlanta",
            "Las Vegas",
        ],
        names: ANGLO,
    },
    Country {
        iso: "MX",
        weight: 12,
        prefixes: &[
            "+52551", "+52552", "+52553", "+52331", "+52332", "+52811", "+52812",
        ],
        cities: &[
            "Ciudad de México",
            "Guadalajara",
            "Monterrey",
            "Puebla",
            "Tijuana",
        ],
        names: HISPANIC,
    },
    Country {
        iso: "ES",
        weight: 10,
        prefixes: &[
            "+3461", "+3462", "+3463", "+3465", "+3466", "+3467", "+3468", "+3469",
        ],
        cities: &[
            "Madrid",
            "Barcelona",
            "Valencia",
            "Sevilla",
            "Bilbao",
            "Málaga",
        ],
        names: HISPANIC,
    },
    Country {
        iso: "GB",
        weight: 10,
        prefixes: &[
            "+44770", "+44771", "+44772", "+44773", "+44774", "+44775", "+44777", "+44778",
            "+44779",
        ],
        cities: &[
            "London",
            "Manchester",
            "Birmingham",
            "Leeds",
            "Glasgow",
            "Bristol",
        ],
        names: ANGLO,
    },
    Country {
        iso: "BR",
        weight: 8,
        prefixes: &[
            "+551191", "+551192", "+551193", "+551194", "+552198", "+552199",
        ],
        cities: &[
            "São Paulo",
            "Rio de Janeiro",
            "Belo Horizonte",
            "Curitiba",
            "Porto Alegre",
        ],
        names: PORTUGUESE,
    },
    Country {
        iso: "CO",
        weight: 6,
        prefixes: &["+57300", "+57310", "+57311", "+57312", "+57315", "+57320"],
        cities: &["Bogotá", "Medellín", "Cali", "Barranquilla"],
        names: HISPANIC,
    },
    Country {
        iso: "DE",
        weight: 5,
        prefixes: &["+49151", "+49152", "+49157", "+49160", "+49170", "+49176"],
        cities: &["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main"],
        names: GERMAN,
    },
    Country {
        iso: "FR",
        weight: 5,
        prefixes: &[
            "+3361", "+3362", "+3364", "+3366", "+3367", "+3376", "+3377",
        ],
        cities: &[
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Bordeaux",
            "Nantes",
        ],
        names: FRENCH,
    },
    Country {
        iso: "AU",
        weight: 4,
        prefixes: &["+6140", "+6141", "+6142", "+6143"],
        cities: &["Sydney", "Melbourne", "Brisbane", "Perth"],
        names: ANGLO,
    },
];

const COMPANIES: [(&str, &str); 16] = [
    ("Acme Logistics", "acmelogistics.example"),
    ("Blue Harbor Dental", "blueharbor.example"),
    ("Northwind Traders", "northwind.example"),
    ("Globex Corporation", "globex.example"),
    ("Initech", "initech.example"),
    ("Sunrise Realty", "sunriserealty.example"),
    ("Vértice Consultores", "vertice.example"),
    ("Café Aurora", "cafeaurora.example"),
    ("Helios Solar", "helios.example"),
    ("Brightpath Tutoring", "brightpath.example"),
    ("Lumen Legal", "lumenlegal.example"),
    ("Orchid Spa", "orchidspa.example"),
    ("Pinecrest Motors", "pinecrest.example"),
    ("Nordlicht GmbH", "nordlicht.example"),
    ("Maison Duval", "maisonduval.example"),
    ("Tropa Digital", "tropa.example"),
];
const MAIL_HOSTS: [&str; 4] = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com"];

fn weights() -> Vec<u64> {
    COUNTRIES.iter().map(|c| c.weight).collect()
}

/// Lower-case ASCII for e-mail local parts.
fn ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'ã' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'õ' | 'ô' | 'ö' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                'Á' => 'a',
                'É' => 'e',
                c => c,
            };
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Subscriber numbers of seeded contacts are `2_000_000 + perm(i)` with `perm` a bijection
/// of `0..PERM_M`; numbers below 2,000,000 are never contacts (used for unknown callers).
const PERM_M: u64 = 8_000_000;
const SUB_BASE: u64 = 2_000_000;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn mod_inverse(a: u64, m: u64) -> u64 {
    let (mut t, mut new_t) = (0i128, 1i128);
    let (mut r, mut new_r) = (m as i128, a as i128);
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    if t < 0 {
        t += m as i128;
    }
    t as u64
}

/// Generates seeded contacts on demand.
#[derive(Clone, Debug)]
pub struct ContactGen {
    seed: u64,
    pub n: usize,
    a: u64,
    a_inv: u64,
    b: u64,
    weights: Vec<u64>,
}

impl ContactGen {
    pub fn new(seed: u64, n: usize) -> ContactGen {
        let mut a = hash2(seed, 0xC0FFEE) % PERM_M;
        while a < 2 || gcd(a, PERM_M) != 1 {
            a += 1;
        }
        let b = hash2(seed, 0xBEEF) % PERM_M;
        ContactGen {
            seed,
            n,
            a,
            a_inv: mod_inverse(a, PERM_M),
            b,
            weights: weights(),
        }
    }

    fn country_of(&self, i: usize) -> usize {
        let mut rng = Rng::new(hash2(self.seed ^ 0xC0C0, i as u64));
        rng.weighted(&self.weights)
    }

    fn phone_parts(&self, i: usize) -> (usize, String) {
        let ci = self.country_of(i);
        let c = &COUNTRIES[ci];
        let pre =
            c.prefixes[(hash2(self.seed ^ 0x9E, i as u64) % c.prefixes.len() as u64) as usize];
        let sub = SUB_BASE + (self.a * (i as u64) + self.b) % PERM_M;
        (ci, format!("{pre}{sub:07}"))
    }

    pub fn phone(&self, i: usize) -> String {
        self.phone_parts(i).1
    }

    /// The seeded index of a phone number, if it belongs to a seeded contact.
    pub fn index_of(&self, phone: &str) -> Option<usize> {
        if phone.len() < 9 || !phone.is_ascii() {
            return None;
        }
        let tail = &phone[phone.len() - 7..];
        if !tail.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sub: u64 = tail.parse().ok()?;
        if sub < SUB_BASE {
            return None;
        }
        let p = sub - SUB_BASE;
        let i = ((p + PERM_M - self.b) % PERM_M) * self.a_inv % PERM_M;
        let i = i as usize;
        if i < self.n && self.phone(i) == phone {
            Some(i)
        } else {
            None
        }
    }

    pub fn contact(&self, i: usize) -> Contact {
        let (ci, phone) = self.phone_parts(i);
        let c = &COUNTRIES[ci];
        let mut rng = Rng::new(hash2(self.seed ^ 0xC047AC7, i as u64));
        let names = if c.iso == "US" && rng.chance(25) {
            HISPANIC
        } else {
            c.names
        };
        let first = *rng.pick(FIRST[names]);
        let last = if rng.chance(94) {
            Some(*rng.pick(LAST[names]))
        } else {
            None
        };
        let company = if rng.chance(65) {
            Some(*rng.pick(&COMPANIES))
        } else {
            None
        };
        let email = if rng.chance(80) {
            let host = match company {
                Some((_, domain)) if rng.chance(60) => domain.to_string(),
                _ => rng.pick(&MAIL_HOSTS).to_string(),
            };
            let local = match last {
                Some(l) if rng.chance(70) => format!("{}.{}", ascii(first), ascii(l)),
                Some(l) => format!("{}{}{}", &ascii(first)[..1], ascii(l), rng.below(90) + 10),
                None => format!("{}{}", ascii(first), rng.below(900) + 100),
            };
            Some(format!("{local}@{host}"))
        } else {
            None
        };
        let city = if rng.chance(85) {
            Some(rng.pick(c.cities).to_string())
        } else {
            None
        };
        let created_by = if rng.chance(70) {
            Some(rng.pick(&AGENTS).email.to_string())
        } else {
            None
        };
        let created = rng.range(time::ts(2023, 3, 1, 0, 0, 0), time::WINDOW_END);
        let mut contact = Contact {
            phone,
            contact_name: None,
            first_name: Some(first.to_string()),
            last_name: last.map(str::to_string),
            email,
            company: company.map(|(n, _)| n.to_string()),
            city,
            country_code: Some(c.iso.to_string()),
            created_by,
            created_at: time::fmt(created),
        };
        contact.refresh_name();
        contact
    }

    /// A realistic phone number that is never a seeded contact (unknown callers).
    pub fn stranger(&self, rng: &mut Rng) -> (String, &'static str) {
        let c = &COUNTRIES[rng.weighted(&self.weights)];
        let pre = rng.pick(c.prefixes);
        let sub = 1_000_000 + rng.below(1_000_000);
        (format!("{pre}{sub:07}"), c.iso)
    }

    /// A caller/recipient: usually one of the first few hundred contacts, sometimes a stranger.
    pub fn customer(&self, rng: &mut Rng) -> (String, Option<String>, Option<Contact>) {
        let pool = self.n.min(400);
        if pool > 0 && rng.chance(88) {
            let c = self.contact(rng.below(pool as u64) as usize);
            (c.phone.clone(), c.country_code.clone(), Some(c))
        } else {
            let (p, iso) = self.stranger(rng);
            (p, Some(iso.to_string()), None)
        }
    }
}

/// ISO country of an E.164 number, from its dialling code (best effort).
pub fn country_of_phone(phone: &str) -> Option<&'static str> {
    const CODES: [(&str, &str); 20] = [
        ("+1", "US"),
        ("+44", "GB"),
        ("+34", "ES"),
        ("+52", "MX"),
        ("+55", "BR"),
        ("+49", "DE"),
        ("+33", "FR"),
        ("+57", "CO"),
        ("+61", "AU"),
        ("+351", "PT"),
        ("+39", "IT"),
        ("+54", "AR"),
        ("+56", "CL"),
        ("+51", "PE"),
        ("+31", "NL"),
        ("+353", "IE"),
        ("+91", "IN"),
        ("+81", "JP"),
        ("+27", "ZA"),
        ("+64", "NZ"),
    ];
    let mut best: Option<(&str, &str)> = None;
    for (code, iso) in CODES {
        if phone.starts_with(code) && best.is_none_or(|(b, _)| code.len() > b.len()) {
            best = Some((code, iso));
        }
    }
    best.map(|(_, iso)| iso)
}

// ---------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------

const INBOUND_TEXTS: [&str; 16] = [
    "Hi, is my order #{n} shipped yet?",
    "Can someone call me back today? Thanks",
    "Hola, ¿pueden llamarme mañana por la mañana?",
    "Thanks! 👍",
    "What are your opening hours on Saturday?",
    "I need to reschedule my appointment to {day}",
    "Yes, that works for me.",
    "Obrigado pela ajuda!",
    "Merci, à bientôt",
    "The tracking link doesn't work, can you resend it?",
    "Is the price still $49.99/month? [promo code SPRING]",
    "Ok",
    "Who is this?",
    "Running 10 minutes late, sorry!",
    "Can I pay by card over the phone?",
    "STOP",
];

const OUTBOUND_TEXTS: [&str; 9] = [
    "Hi {first}, this is {agent} from Acme Support. Your ticket #{n} has been updated.",
    "Your appointment is confirmed for {day} at {hour}:00. Reply YES to confirm or call us back on this number.",
    "Thanks for reaching out! We'll call you back within the hour.",
    "Hola {first}, su pedido #{n} ya fue enviado. ¡Gracias por su compra!",
    "Reminder: your invoice of €{amount} is due on {day}.",
    "We tried to reach you but couldn't get through. Call us back any time 😊",
    "Hi {first}! Quick follow-up on your request #{n}: our technician can visit on {day} between {hour}:00 and {hour2}:00. If that slot doesn't suit you, reply with a better time and we will do our best to accommodate it. Have a great day!",
    "Your verification code is {code}",
    "Olá {first}, recebemos o seu pedido #{n}. Em breve entraremos em contato.",
];

const TRANSCRIPTIONS: [&str; 8] = [
    "Hi, this is about my order, please call me back when you can. Thanks.",
    "Hello, I'm calling to reschedule my appointment for next week. My number is the one I'm calling from.",
    "Hola, llamaba para preguntar por el estado de mi pedido. Gracias.",
    "Yeah hi, I got charged twice on my last invoice, can someone look into it?",
    "This is a message for Carlos, please call me back as soon as possible.",
    "Hi, just confirming tomorrow at ten. Bye.",
    "Bonjour, je voudrais des informations sur vos tarifs. Merci.",
    "Hi there, the technician never showed up today. Please call me.",
];

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn fill(template: &str, rng: &mut Rng, first: Option<&str>, agent: Option<&str>) -> String {
    let hour = rng.range(8, 16);
    template
        .replace("{first}", first.unwrap_or("there"))
        .replace(
            "{agent}",
            agent
                .and_then(|a| a.split_whitespace().next())
                .unwrap_or("the team"),
        )
        .replace("{n}", &rng.range(10_000, 99_999).to_string())
        .replace("{day}", rng.pick::<&str>(&DAYS))
        .replace("{hour2}", &(hour + 2).to_string())
        .replace("{hour}", &hour.to_string())
        .replace(
            "{amount}",
            &format!("{}.{:02}", rng.range(19, 480), rng.below(100)),
        )
        .replace("{code}", &format!("{:06}", rng.below(1_000_000)))
}

pub fn inbound_text(rng: &mut Rng) -> String {
    let t = *rng.pick(&INBOUND_TEXTS);
    fill(t, rng, None, None)
}

pub fn transcription(rng: &mut Rng) -> String {
    rng.pick(&TRANSCRIPTIONS).to_string()
}

pub fn callid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

// ---------------------------------------------------------------------------------------
// Events: SMS, calls, voicemails
// ---------------------------------------------------------------------------------------

pub struct Seeded {
    pub sms: Vec<Sms>,
    pub cdrs: Vec<Cdr>,
    pub voicemails: Vec<Voicemail>,
    pub next_sms_id: u64,
    pub next_cdr_id: u64,
    pub next_vm_id: u64,
}

pub const FIRST_SMS_ID: u64 = 48_211;
pub const FIRST_CDR_ID: u64 = 12_903;
pub const FIRST_VM_ID: u64 = 3_301;

pub fn seed_events(seed: u64, contacts: &ContactGen) -> Seeded {
    let emails = agent_emails();
    // --- SMS: short conversations -----------------------------------------------------
    let mut rng = Rng::new(hash2(seed, 0x5A5));
    let mut sms: Vec<Sms> = Vec::new();
    while sms.len() < 330 {
        let (phone, _, contact) = contacts.customer(&mut rng);
        let ours = *rng.pick(&SMS_NUMBERS);
        let agent = if rng.chance(90) {
            Some(*rng.pick(&emails))
        } else {
            None
        };
        let mut t = rng.range(time::WINDOW_START, time::WINDOW_END - 86_400);
        let mut inbound = rng.chance(55);
        let first = contact.as_ref().and_then(|c| c.first_name.clone());
        for _ in 0..rng.range(1, 5) {
            let text = if inbound {
                inbound_text(&mut rng)
            } else {
                let tpl = *rng.pick(&OUTBOUND_TEXTS);
                fill(tpl, &mut rng, first.as_deref(), agent.and_then(agent_name))
            };
            sms.push(Sms {
                id: String::new(),
                from: if inbound {
                    phone.clone()
                } else {
                    ours.to_string()
                },
                to: if inbound {
                    ours.to_string()
                } else {
                    phone.clone()
                },
                text,
                direction: if inbound { "inbound" } else { "outbound" }.to_string(),
                agent: if inbound {
                    None
                } else {
                    agent.map(str::to_string)
                },
                created_at: String::new(),
                ts: t,
            });
            t += rng.range(20, 90 * 60);
            inbound = !inbound;
        }
    }
    sms.sort_by_key(|s| s.ts);
    let mut next_sms_id = FIRST_SMS_ID;
    for s in &mut sms {
        s.id = next_sms_id.to_string();
        s.created_at = time::fmt(s.ts);
        next_sms_id += 1 + (s.ts % 3) as u64; // ids grow, with gaps like a shared sequence
    }

    // --- Calls and voicemails --------------------------------------------------------
    let mut rng = Rng::new(hash2(seed, 0xCA11));
    let mut cdrs: Vec<Cdr> = Vec::new();
    let mut vms: Vec<Voicemail> = Vec::new();
    let voice_numbers = [
        SMS_NUMBERS[0],
        SMS_NUMBERS[1],
        SMS_NUMBERS[2],
        VOICE_ONLY_NUMBER,
    ];
    while cdrs.len() < 560 || vms.len() < 64 {
        let force_vm = cdrs.len() >= 560;
        let (phone, country, _) = contacts.customer(&mut rng);
        let ours = *rng.pick(&voice_numbers);
        let inbound = force_vm || rng.chance(55);
        let agent = *rng.pick(&emails);
        let disposition: u16 = if force_vm {
            480
        } else if inbound {
            [200, 487, 480, 408, 486, 503, 404][rng.weighted(&[72, 8, 8, 6, 4, 1, 1])]
        } else {
            [200, 486, 480, 408, 487, 404, 403, 402, 183]
                [rng.weighted(&[65, 10, 8, 7, 5, 2, 1, 1, 1])]
        };
        let start = rng.range(time::WINDOW_START, time::WINDOW_END - 3 * 3600);
        let ring = rng.range(3, 28);
        let duration = if disposition == 200 {
            rng.range(8, 240).min(rng.range(8, 1500))
        } else {
            0
        };
        let end = start + ring + duration;
        let answered = disposition == 200;
        let callid = callid(&mut rng);
        let transfer = answered && rng.chance(5);
        cdrs.push(Cdr {
            id: String::new(),
            callid: callid.clone(),
            from: if inbound {
                phone.clone()
            } else {
                ours.to_string()
            },
            to_number: if inbound { None } else { Some(phone.clone()) },
            country,
            caller_id_used: if inbound {
                None
            } else {
                Some(ours.to_string())
            },
            received_on_number: if inbound {
                Some(ours.to_string())
            } else {
                None
            },
            init_dt: time::fmt(start),
            start_time: time::fmt(start),
            end_time: time::fmt(end),
            duration: duration.to_string(),
            agent_id: if inbound && !answered {
                None
            } else {
                Some(agent_id(agent))
            },
            to_agent: if transfer {
                Some(rng.pick(&emails).to_string())
            } else {
                None
            },
            direction: if inbound { "inbound" } else { "outbound" }.to_string(),
            web_call: if rng.chance(30) { "yes" } else { "no" }.to_string(),
            disposition_code: disposition.to_string(),
            ivr_option_pressed: if inbound && rng.chance(40) {
                Some(rng.range(1, 4).to_string())
            } else {
                None
            },
            ts: start,
            has_recording: answered && rng.chance(90),
        });
        let missed = inbound && matches!(disposition, 480 | 408 | 487);
        if missed && (force_vm || rng.chance(55)) {
            let vm_t = end + rng.range(5, 60);
            let transcription = match rng.below(10) {
                0..=6 => Some(Some(transcription(&mut rng))),
                7 | 8 => Some(None),
                _ => None,
            };
            vms.push(Voicemail {
                id: String::new(),
                callid,
                from: phone,
                to: ours.to_string(),
                agent: if rng.chance(70) {
                    Some(agent.to_string())
                } else {
                    None
                },
                duration: rng.range(4, 95).to_string(),
                created_at: time::fmt(vm_t),
                transcription,
                ts: vm_t,
            });
        }
    }
    cdrs.sort_by_key(|c| c.ts);
    let mut next_cdr_id = FIRST_CDR_ID;
    for c in &mut cdrs {
        c.id = next_cdr_id.to_string();
        next_cdr_id += 1 + (c.ts % 2) as u64;
    }
    vms.sort_by_key(|v| v.ts);
    let mut next_vm_id = FIRST_VM_ID;
    for v in &mut vms {
        v.id = next_vm_id.to_string();
        next_vm_id += 1;
    }
    Seeded {
        sms,
        cdrs,
        voicemails: vms,
        next_sms_id,
        next_cdr_id,
        next_vm_id,
    }
}

/// `+` then 8–15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn contact_phones_unique_and_invertible() {
        let g = ContactGen::new(7, 50_000);
        let mut seen = HashSet::new();
        for i in 0..50_000 {
            let p = g.phone(i);
            assert!(is_e164(&p), "{p}");
            assert!(seen.insert(p.clone()), "duplicate {p}");
            assert_eq!(g.index_of(&p), Some(i));
        }
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            let (p, _) = g.stranger(&mut rng);
            assert!(is_e164(&p));
            assert_eq!(g.index_of(&p), None);
        }
        let big = ContactGen::new(1, MAX_CONTACTS);
        let last = big.phone(MAX_CONTACTS - 1);
        assert_eq!(big.index_of(&last), Some(MAX_CONTACTS - 1));
    }

    #[test]
    fn seeded_counts_and_determinism() {
        let g = ContactGen::new(1, 300);
        let a = seed_events(1, &g);
        let b = seed_events(1, &g);
        assert!(a.sms.len() >= 300 && a.cdrs.len() >= 500 && a.voicemails.len() >= 60);
        assert_eq!(a.sms.len(), b.sms.len());
        assert_eq!(a.sms[17].text, b.sms[17].text);
        assert!(a
            .sms
            .iter()
            .all(|s| s.ts <= time::WINDOW_END && s.ts >= time::WINDOW_START));
        for c in &a.cdrs {
            assert!(is_e164(&c.from));
        }
        assert_eq!(country_of_phone("+447700900123"), Some("GB"));
        assert_eq!(country_of_phone("+35121000000"), Some("PT"));
    }
}
