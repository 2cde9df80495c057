//! Text in the PDF standard fonts (Helvetica and Helvetica-Bold, which every reader has, so no
//! font file is embedded): Unicode to WinAnsiEncoding bytes, and the fonts' advance widths for
//! wrapping lines. A character WinAnsi lacks is written as a close ASCII stand-in where there is
//! one (arrows, ≥, ≤) and otherwise as `?` — the documents say so in their footer.

/// Helvetica's widths (1/1000 em) for ASCII 32–126, from Adobe's AFM.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

/// Helvetica-Bold's widths for ASCII 32–126.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
    556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
    280, 389, 584,
];

/// WinAnsi's bytes 0x80–0x9F that are not Latin-1.
const HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsi bytes of a text: stand-ins for the few symbols Ladder writes, `?` for the rest.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '\u{a0}'..='\u{ff}' => out.push(c as u32 as u8),
            '→' => out.extend_from_slice(b"->"),
            '←' => out.extend_from_slice(b"<-"),
            '≥' => out.extend_from_slice(b">="),
            '≤' => out.extend_from_slice(b"<="),
            '\u{2212}' => out.push(b'-'),
            '\u{2009}' | '\u{202f}' | '\t' => out.push(b' '),
            other => out.push(HIGH.iter().find(|(h, _)| *h == other).map_or(b'?', |(_, b)| *b)),
        }
    }
    out
}

/// Whether no character of `text` is lost, i.e. written as `?` (stand-ins such as `->` for an
/// arrow keep the meaning, so they count as kept).
pub fn exact(text: &str) -> bool {
    let mut one = [0u8; 4];
    text.chars().all(|c| c == '?' || !encode(c.encode_utf8(&mut one)).contains(&b'?'))
}

/// The width of `text` in points at `size`.
pub fn width(text: &str, bold: bool, size: f32) -> f32 {
    let table = if bold { &BOLD } else { &REGULAR };
    let units: u32 = encode(text)
        .iter()
        .map(|&b| if (32..=126).contains(&b) { u32::from(table[usize::from(b - 32)]) } else { 556 })
        .sum();
    units as f32 * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_keeps_its_letters_and_other_scripts_become_question_marks() {
        assert_eq!(encode("Zoë – 92 %"), b"Zo\xeb \x96 92 %");
        assert_eq!(encode("A → B ≥ 3"), b"A -> B >= 3");
        assert_eq!(encode("Đặng"), b"??ng");
        assert_eq!(encode("李"), b"?");
        assert!(exact("José Ñúñez") && !exact("李") && !exact("Đặng"));
        assert!(exact("A → B ≥ 3 ≤ 4 ← \u{2212}1\u{2009}%\u{202f}x\ty?"));
        assert!(width("WWW", true, 10.0) > width("iii", false, 10.0));
        assert!((width("abc", false, 10.0) - 16.12).abs() < 0.01);
    }
}
