//! A small, valid WAV file (8 kHz, 16-bit mono PCM, 1.5 s tone) used as the audio behind
//! every recording and voicemail URL the mock hands out.

use crate::prng::hash2;

pub fn tone(name: &str) -> Vec<u8> {
    let h = name.bytes().fold(0u64, |acc, b| hash2(acc, b as u64));
    let freq = 330.0 + (h % 440) as f64; // 330..770 Hz, a different pitch per recording
    let rate: u32 = 8000;
    let samples: u32 = rate * 3 / 2;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(b"fmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes()); // byte rate
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    let fade = (rate / 50) as f64; // 20 ms fade in/out, no clicks
    for i in 0..samples {
        let t = i as f64 / rate as f64;
        let env = (i as f64 / fade).min((samples - i) as f64 / fade).min(1.0);
        let v = (t * freq * std::f64::consts::TAU).sin() * env * 0.4 * i16::MAX as f64;
        out.extend_from_slice(&(v as i16).to_le_bytes());
    }
    out
}
