//! Windows-1251, the encoding of CSV files that Excel saves under Russian regional settings
//! («CSV (разделители — запятые)» rather than «CSV UTF-8»): a file that is not UTF-8 but reads as
//! Windows-1251 with Cyrillic letters is decoded, with a warning (see [`super::load_files`]).

/// The characters of bytes 0x80–0xBF (0x98 is not assigned). Bytes 0xC0–0xFF are `А`…`я` in order.
const HIGH: [char; 64] = [
    'Ђ', 'Ѓ', '‚', 'ѓ', '„', '…', '†', '‡', '€', '‰', 'Љ', '‹', 'Њ', 'Ќ', 'Ћ', 'Џ', //
    'ђ', '‘', '’', '“', '”', '•', '–', '—', '\u{FFFD}', '™', 'љ', '›', 'њ', 'ќ', 'ћ', 'џ', //
    '\u{A0}', 'Ў', 'ў', 'Ј', '¤', 'Ґ', '¦', '§', 'Ё', '©', 'Є', '«', '¬', '\u{AD}', '®', 'Ї', //
    '°', '±', 'І', 'і', 'ґ', 'µ', '¶', '·', 'ё', '№', 'є', '»', 'ј', 'Ѕ', 'ѕ', 'ї', //
];

/// The text of bytes in Windows-1251, or `None` when they are not (a byte 0x98, which the
/// encoding does not assign, or a zero byte) or hold no Cyrillic letter (then the encoding is not
/// told apart from others: the file is reported as not UTF-8).
pub fn decode(bytes: &[u8]) -> Option<String> {
    if bytes.iter().any(|&b| b == 0x98 || b == 0) {
        return None;
    }
    if !bytes.iter().any(|&b| b >= 0xC0 || b == 0xA8 || b == 0xB8) {
        return None;
    }
    let text = bytes
        .iter()
        .map(|&b| match b {
            0..=0x7F => char::from(b),
            0x80..=0xBF => HIGH[usize::from(b - 0x80)],
            _ => char::from_u32(0x0410 + u32::from(b - 0xC0)).unwrap_or('\u{FFFD}'),
        })
        .collect();
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn russian_letters() {
        // «Армения;ёЁ№» in Windows-1251
        let bytes = [0xC0, 0xF0, 0xEC, 0xE5, 0xED, 0xE8, 0xFF, b';', 0xB8, 0xA8, 0xB9];
        assert_eq!(decode(&bytes).as_deref(), Some("Армения;ёЁ№"));
        assert_eq!(decode(b"plain ascii"), None);
        assert_eq!(decode(&[0xC0, 0x98]), None);
    }
}
