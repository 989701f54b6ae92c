//! SMS segment counting: GSM-7 (160 single / 153 per part, extension characters count 2)
//! or UCS-2 (70 single / 67 per part, counted in UTF-16 code units).

const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT: &str = "{}[]~\\|^€\u{0C}";

#[allow(dead_code)]
pub struct Segments {
    pub encoding: &'static str,
    pub units: usize,
    pub segments: usize,
}

pub fn count(text: &str) -> Segments {
    let mut septets = 0usize;
    let mut gsm = true;
    for c in text.chars() {
        if GSM_BASIC.contains(c) {
            septets += 1;
        } else if GSM_EXT.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    if gsm {
        let segments = if septets <= 160 {
            1
        } else {
            septets.div_ceil(153)
        };
        Segments {
            encoding: "GSM-7",
            units: septets,
            segments,
        }
    } else {
        let units = text.encode_utf16().count();
        let segments = if units <= 70 { 1 } else { units.div_ceil(67) };
        Segments {
            encoding: "UCS-2",
            units,
            segments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn gsm_and_ucs2() {
        assert_eq!(count("hello").segments, 1);
        assert_eq!(count(&"a".repeat(160)).segments, 1);
        assert_eq!(count(&"a".repeat(161)).segments, 2);
        assert_eq!(count(&"a".repeat(306)).segments, 2);
        assert_eq!(count(&"a".repeat(307)).segments, 3);
        assert_eq!(count(&"€".repeat(80)).segments, 1);
        assert_eq!(count(&"€".repeat(81)).segments, 2);
        assert_eq!(count(&"é".repeat(160)).segments, 1);
        assert_eq!(count(&"ê".repeat(70)).segments, 1);
        assert_eq!(count(&"ê".repeat(71)).segments, 2);
        // an emoji is two UTF-16 code units
        assert_eq!(count(&"😀".repeat(35)).segments, 1);
        assert_eq!(count(&"😀".repeat(36)).segments, 2);
        assert_eq!(count(&"x".repeat(134)).segments, 1);
    }
}
