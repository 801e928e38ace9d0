//! Policy size as IAM counts it for its quotas: characters, whitespace not counted.

use super::document::PolicyDocument;

/// IAM's size quotas, in characters without whitespace.
pub mod quota {
    /// A role's trust policy (the default; it can be raised on request).
    pub const TRUST_POLICY: usize = 2_048;
    /// One customer managed policy.
    pub const MANAGED_POLICY: usize = 6_144;
    /// All inline policies of one role together.
    pub const ROLE_INLINE_POLICIES: usize = 10_240;
    /// One service or resource control policy of AWS Organizations (whitespace counts when
    /// saved through the API, so this is the least it can be).
    pub const CONTROL_POLICY: usize = 5_120;
}

/// Counts the characters of `text` that are not whitespace.
pub fn iam_size_of_text(text: &str) -> usize {
    // ASCII text (nearly every policy) is counted by bytes: its whitespace characters are
    // tab, LF, vertical tab, form feed, CR and space (`char::is_whitespace` below U+0080).
    if text.is_ascii() {
        let blank = text
            .bytes()
            .filter(|b| matches!(b, b'\t'..=b'\r' | b' '))
            .count();
        return text.len() - blank;
    }
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The size IAM charges for `doc`: its compact JSON without whitespace, counted as it is
/// written rather than built as a string first (the lint sizes every policy it reads).
pub fn iam_size(doc: &PolicyDocument) -> usize {
    let mut counter = SizeCounter::default();
    if serde_json::to_writer(&mut counter, doc).is_err() || counter.maybe_wide_space {
        // A character that may be a non-ASCII space (rare): counted on the text.
        return iam_size_of_text(&doc.to_compact_json());
    }
    counter.size
}

/// Counts the characters written to it that are not ASCII whitespace, byte by byte: a
/// character is a byte below 0x80 or the first byte of a longer one, so a character split
/// between two writes is counted once. Non-ASCII whitespace (U+0085, U+00A0, U+1680,
/// U+2000-U+3000) begins with 0xC2, 0xE1, 0xE2 or 0xE3; such a first byte only flags the
/// count for [`iam_size`] to redo on the text.
#[derive(Default)]
struct SizeCounter {
    size: usize,
    maybe_wide_space: bool,
}

impl std::io::Write for SizeCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            if b < 0x80 {
                self.size += usize::from(!matches!(b, b'\t'..=b'\r' | b' '));
            } else if b & 0xC0 != 0x80 {
                self.size += 1;
                self.maybe_wide_space |= matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size IAM charges for a role's inline policies together.
pub fn inline_policies_size<'a>(docs: impl IntoIterator<Item = &'a PolicyDocument>) -> usize {
    docs.into_iter().map(iam_size).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_free() {
        let compact = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let doc: PolicyDocument = serde_json::from_str(compact).unwrap();
        assert_eq!(iam_size(&doc), compact.len());
        assert_eq!(iam_size_of_text(&doc.to_pretty_json()), compact.len());
        assert_eq!(inline_policies_size([&doc, &doc]), 2 * compact.len());
    }

    #[test]
    fn the_counted_size_is_the_size_of_the_compact_text() {
        let doc: PolicyDocument = serde_json::from_str(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Caf\u00e9 \u00a0\u2028 tab\there \"q\"","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/é ü/*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}]}"#,
        )
        .unwrap();
        assert_eq!(iam_size(&doc), iam_size_of_text(&doc.to_compact_json()));
    }

    #[test]
    fn a_character_split_between_writes_is_counted_once() {
        use std::io::Write;
        let text = "a b é\t ü/ø";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut counter = SizeCounter::default();
            counter.write_all(&bytes[..cut]).unwrap();
            counter.write_all(&bytes[cut..]).unwrap();
            assert!(!counter.maybe_wide_space);
            assert_eq!(counter.size, iam_size_of_text(text), "cut at {cut}");
        }
    }

    proptest::proptest! {
        /// The ASCII shortcut counts as `char::is_whitespace` does.
        #[test]
        fn ascii_text_is_counted_as_characters_are(text in "[ -~\t\n\u{b}\u{c}\r\u{85}\u{a0}\u{1}]{0,40}") {
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            proptest::prop_assert_eq!(iam_size_of_text(&text), chars);
        }

        /// Counting the written JSON gives the size of the compact text, whatever the
        /// strings hold (escapes, accents, non-ASCII spaces).
        #[test]
        fn the_counted_size_is_the_compact_texts_for_any_strings(sid in "\\PC{0,12}", key in "[a-zé \u{a0}\u{2028}\u{3000}\"\\\\\t]{0,12}") {
            let doc: PolicyDocument = serde_json::from_value(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{"Sid": sid, "Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": format!("arn:aws:s3:::b/{key}")}],
            })).unwrap();
            proptest::prop_assert_eq!(iam_size(&doc), iam_size_of_text(&doc.to_compact_json()));
        }
    }
}
