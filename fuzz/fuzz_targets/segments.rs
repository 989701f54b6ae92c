//! `segments::count` (smsSegments): never panics, and its figures agree with each other and with
//! an independent count of the text's units.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toky_wasm::segments::{self, Encoding};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s = segments::count(&text);
    let (single, multi) = match s.encoding {
        Encoding::Gsm7 => (160, 153),
        Encoding::Ucs2 => (70, 67),
    };
    if text.is_empty() {
        assert_eq!((s.characters, s.segments, s.per_segment, s.remaining), (0, 0, single, single));
        return;
    }
    assert!(s.segments >= 1, "non-empty text in {} segments", s.segments);
    assert!(s.characters >= text.chars().count() as u32, "fewer units than characters");
    match s.encoding {
        // UCS-2 units are UTF-16 code units.
        Encoding::Ucs2 => assert_eq!(s.characters as usize, text.encode_utf16().count()),
        // A GSM-7 character is 1 or 2 septets; never a backtick, tab or non-Latin letter.
        Encoding::Gsm7 => {
            assert!(s.characters as usize <= 2 * text.chars().count());
            assert!(text.chars().all(|c| c != '`' && c != '\t' && (c as u32) < 0x2000 || c == '€'));
        }
    }
    assert!(s.remaining <= s.per_segment);
    if s.segments == 1 {
        assert_eq!(s.per_segment, single);
        assert_eq!(s.characters, single - s.remaining, "one part: remaining is what is left of it");
    } else {
        assert_eq!(s.per_segment, multi);
        assert!(s.characters > single, "{} units need no concatenation", s.characters);
        // Greedy filling: every part but the last holds per-1 or per units (a 2-unit pair may
        // not straddle), the last holds per - remaining, at least 1.
        let last = multi - s.remaining;
        assert!(last >= 1, "the last part is empty");
        let full = s.segments - 1;
        assert!(s.characters >= full * (multi - 1) + last && s.characters <= full * multi + last,
            "{} units in {} parts of {} with {} left", s.characters, s.segments, multi, s.remaining);
    }
    let j: serde_json::Value = serde_json::from_str(&toky_wasm::segments_json(&text)).expect("smsSegments JSON");
    assert_eq!(j["segments"], s.segments);
    assert_eq!(j["remaining"], s.remaining);
});
