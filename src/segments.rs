//! SMS billing arithmetic: which encoding a text needs (GSM 03.38 7-bit or UCS-2), how many
//! encoding units it takes and how many message parts it is billed as.
//!
//! This predicts what a carrier does; it never changes or sends the text.


#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    fn single(self) -> u32 {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }

    /// Concatenated parts lose room to the user-data header (6 octets).
    fn multi(self) -> u32 {
        match self {
            Encoding::Gsm7 => 153,
            Encoding::Ucs2 => 67,
        }
    }
}

impl serde::Serialize for Encoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

crate::typed! {
    /// How an SMS text is billed, as `smsSegments` computes it.
    #[derive(Clone, Copy, PartialEq, serde::Serialize)]
    #[cfg_attr(test, derive(Debug))]
    #[serde(rename_all = "camelCase")]
    pub struct SmsSegments {
        /// GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2.
        encoding: Encoding => ": \"GSM-7\" | \"UCS-2\"",
        /// Billed units: GSM-7 septets (extension characters count 2) or UTF-16 code units.
        characters: u32 => ": number",
        /// Billed SMS parts (0 for an empty text).
        segments: u32 => ": number",
        /// Units per segment: 160/70 for a single message, 153/67 once split.
        per_segment as perSegment: u32 => ": number",
        /// Units left in the last segment.
        remaining: u32 => ": number",
    }
}

/// The name the core used before the type was shared with TypeScript.
pub type Segments = SmsSegments;

/// Septets a character takes in GSM 03.38: 1 in the basic table, 2 in the extension table
/// (escape + code), None when the text must go as UCS-2.
fn gsm_septets(c: char) -> Option<u32> {
    match c {
        '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' | '\x0C' => Some(2),
        // The backtick is the one printable ASCII character with no GSM code.
        '`' => None,
        '\n' | '\r' | ' '..='~' => Some(1),
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ'
        | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä'
        | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        _ => None,
    }
}

/// How an SMS text is billed. Empty text is 0 segments: Toky refuses to send it.
///
/// Parts are counted by greedy filling, because a part never splits a GSM escape pair or a
/// UTF-16 surrogate pair, so a part may carry one unit less than `per_segment`.
pub fn count(text: &str) -> Segments {
    let encoding = if text.chars().all(|c| gsm_septets(c).is_some()) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    };
    let width = |c: char| match encoding {
        Encoding::Gsm7 => gsm_septets(c).unwrap_or(1),
        Encoding::Ucs2 => c.len_utf16() as u32,
    };
    let characters = text.chars().fold(0u32, |n, c| n.saturating_add(width(c)));
    let single = encoding.single();
    if characters <= single {
        return Segments {
            encoding,
            characters,
            segments: if characters == 0 { 0 } else { 1 },
            per_segment: single,
            remaining: single - characters,
        };
    }
    let per = encoding.multi();
    let mut parts = 1u32;
    let mut used = 0u32;
    for c in text.chars() {
        let w = width(c);
        if used + w > per {
            parts = parts.saturating_add(1);
            used = w;
        } else {
            used += w;
        }
    }
    Segments {
        encoding,
        characters,
        segments: parts,
        per_segment: per,
        remaining: per.saturating_sub(used),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(s: &str, n: usize) -> String {
        s.repeat(n)
    }

    #[test]
    fn gsm_lengths() {
        for (n, segs) in [
            (1, 1),
            (160, 1),
            (161, 2),
            (306, 2),
            (307, 3),
            (459, 3),
            (460, 4),
        ] {
            let s = count(&rep("a", n));
            assert_eq!(s.encoding, Encoding::Gsm7);
            assert_eq!((s.characters, s.segments), (n as u32, segs), "{n}");
        }
        let s = count(&rep("a", 160));
        assert_eq!((s.per_segment, s.remaining), (160, 0));
        let s = count(&rep("a", 150));
        assert_eq!((s.per_segment, s.remaining), (160, 10));
        let s = count(&rep("a", 161));
        assert_eq!((s.per_segment, s.remaining), (153, 145));
        assert_eq!(Encoding::Gsm7.name(), "GSM-7");
        assert_eq!(Encoding::Ucs2.name(), "UCS-2");
    }

    #[test]
    fn empty_text() {
        let s = count("");
        assert_eq!(
            s,
            Segments {
                encoding: Encoding::Gsm7,
                characters: 0,
                segments: 0,
                per_segment: 160,
                remaining: 160
            }
        );
    }

    #[test]
    fn extension_characters_count_double() {
        let s = count(&rep("{", 80));
        assert_eq!(
            (s.encoding, s.characters, s.segments),
            (Encoding::Gsm7, 160, 1)
        );
        let s = count(&rep("{", 81));
        assert_eq!((s.characters, s.segments), (162, 2));
        for c in ["^", "{", "}", "\\", "[", "~", "]", "|", "€", "\x0C"] {
            assert_eq!(count(c).characters, 2, "{c:?}");
            assert_eq!(count(c).encoding, Encoding::Gsm7);
        }
        assert_eq!(count("a€").characters, 3);
    }

    #[test]
    fn extension_character_at_a_part_boundary() {
        // 152 septets then an escape pair: the pair cannot straddle parts, so part one holds 152.
        let text = rep("a", 152) + "€" + &rep("a", 152);
        let s = count(&text);
        assert_eq!(s.characters, 306);
        // A divider would say 2 (306 = 2 x 153); greedy filling needs 3.
        assert_eq!(s.segments, 3);
        assert_eq!(s.remaining, 152);
        let s = count(&(rep("a", 152) + "€" + &rep("a", 151)));
        assert_eq!((s.characters, s.segments, s.remaining), (305, 2, 0));
        // Exactly filling part one with the pair is fine.
        let s = count(&(rep("a", 151) + "€" + &rep("a", 153)));
        assert_eq!((s.characters, s.segments, s.remaining), (306, 2, 0));
    }

    #[test]
    fn ucs2_lengths() {
        for (n, segs) in [(70, 1), (71, 2), (134, 2), (135, 3)] {
            let s = count(&rep("á", n));
            assert_eq!(s.encoding, Encoding::Ucs2);
            assert_eq!((s.characters, s.segments), (n as u32, segs), "{n}");
        }
        let s = count(&rep("á", 71));
        assert_eq!((s.per_segment, s.remaining), (67, 63));
        assert_eq!(count(&rep("á", 70)).per_segment, 70);
    }

    #[test]
    fn emoji_are_surrogate_pairs() {
        let s = count(&rep("😀", 35));
        assert_eq!(
            (s.encoding, s.characters, s.segments),
            (Encoding::Ucs2, 70, 1)
        );
        let s = count(&rep("😀", 36));
        assert_eq!((s.characters, s.segments), (72, 2));
    }

    #[test]
    fn surrogate_pair_at_a_part_boundary() {
        // A single message has no part boundary: odd offsets do not matter up to 70 units.
        let s = count(&(String::from("x") + &rep("😀", 34) + "y"));
        assert_eq!((s.characters, s.segments, s.remaining), (70, 1, 0));
        let text = rep("a", 66) + "😀" + &rep("a", 67);
        let s = count(&text);
        // 66 + 2 + 67 = 135 units; the pair cannot straddle, so part one holds 66.
        assert_eq!((s.encoding, s.characters), (Encoding::Ucs2, 135));
        assert_eq!(s.segments, 3);
        let text = rep("a", 65) + "😀" + &rep("a", 67);
        let s = count(&text);
        assert_eq!((s.characters, s.segments, s.remaining), (134, 2, 0));
    }

    #[test]
    fn characters_outside_gsm_switch_to_ucs2() {
        assert_eq!(count("Ça va").encoding, Encoding::Gsm7);
        assert_eq!(count("ça va").encoding, Encoding::Ucs2);
        assert_eq!(count("olá").encoding, Encoding::Ucs2);
        assert_eq!(count("`").encoding, Encoding::Ucs2);
        assert_eq!(count("tab\t").encoding, Encoding::Ucs2);
        let all_basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        let s = count(all_basic);
        assert_eq!(s.encoding, Encoding::Gsm7);
        assert_eq!(s.characters as usize, all_basic.chars().count());
        assert_eq!(s.characters, 127);
        // One foreign character makes the whole text UCS-2, where every character is one unit.
        let s = count(&(rep("a", 100) + "ç"));
        assert_eq!(
            (s.encoding, s.characters, s.segments),
            (Encoding::Ucs2, 101, 2)
        );
        let s = count("€😀");
        assert_eq!((s.encoding, s.characters), (Encoding::Ucs2, 3));
    }
}
