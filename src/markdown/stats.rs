//! Counting the prose: characters, words and Hangul, for reading time and the study views.

#[derive(Default)]
pub(super) struct Stats {
    pub(super) characters: usize,
    pub(super) words: usize,
    pub(super) hangul: usize,
    pub(super) lead: String,
    pub(super) lead_done: bool,
}

impl Stats {
    /// Counts characters, Hangul and words as `char::is_whitespace` splits them, a byte at a
    /// time where the text is ASCII: every text run of every entry goes through here.
    pub(super) fn count(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut in_word = false;
        let mut place = 0;
        while place < bytes.len() {
            let byte = bytes[place];
            let (whitespace, hangul, width) = if byte < 0x80 {
                (matches!(byte, b'\t'..=b'\r' | b' '), false, 1)
            } else {
                let (point, width) = crate::text::code_point_at(bytes, place);
                (
                    matches!(
                        point,
                        0x85 | 0xA0 | 0x1680 | 0x2000
                            ..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
                    ),
                    crate::text::is_hangul_code(point),
                    width,
                )
            };
            place += width;
            if whitespace {
                in_word = false;
            } else {
                self.characters += 1;
                self.hangul += usize::from(hangul);
                if !in_word {
                    self.words += 1;
                    in_word = true;
                }
            }
        }
    }
}
