//! Making untrusted text safe to draw.
//!
//! Role files come from other people (a workshop hand-out, a pull request). A name or
//! description holding `ESC [ 2 J` must not reach the terminal as a command, and a bidi
//! override must not reorder what the user reads. Every user-controlled string goes through
//! [`sanitize_for_display`] before it is drawn.

use std::borrow::Cow;

/// `text` with control characters made visible: C0 controls and DEL as their Unicode
/// "control pictures" (`\x1b` → `␛`, `\n` → `␊`), C1 controls and bidi/format
/// controls as `<U+XXXX>`. Borrowed when nothing needed changing (the common case).
pub fn sanitize_for_display(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?'));
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        // zero-width and bidi controls that change what a reader sees
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            sanitize_for_display("string-reverser"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(sanitize_for_display("a\x1b[2Jb"), "a␛[2Jb");
        assert_eq!(sanitize_for_display("x\ny\t"), "x␊y␉");
        assert_eq!(sanitize_for_display("\u{7f}"), "␡");
        assert_eq!(sanitize_for_display("\u{9b}31m"), "<U+009B>31m");
        assert_eq!(sanitize_for_display("abc\u{202e}fed"), "abc<U+202E>fed");
    }

    #[test]
    fn no_control_character_survives() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let s = c.to_string();
            let out = sanitize_for_display(&s);
            assert!(
                !out.chars().any(|o| o.is_control()),
                "U+{:04X} left a control character",
                c as u32
            );
        }
    }
}
