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

/// The size IAM charges for `doc`: its compact JSON without whitespace.
pub fn iam_size(doc: &PolicyDocument) -> usize {
    iam_size_of_text(&doc.to_compact_json())
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

    proptest::proptest! {
        /// The ASCII shortcut counts as `char::is_whitespace` does.
        #[test]
        fn ascii_text_is_counted_as_characters_are(text in "[ -~\t\n\u{b}\u{c}\r\u{85}\u{a0}\u{1}]{0,40}") {
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            proptest::prop_assert_eq!(iam_size_of_text(&text), chars);
        }
    }
}
