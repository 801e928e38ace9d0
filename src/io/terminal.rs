//! Making untrusted text safe to print on a terminal.
//!
//! Role files and policies come from other people (a workshop hand-out, a pull request, a
//! page on the internet), catalog files from a download. A name holding `ESC [ 2 J` or
//! `ESC ] 52` (which writes the user's clipboard) must not reach the terminal as a command, a
//! CR or LF must not forge a line of a CI log, and a bidi override must not reorder what the
//! reader sees. Every such string goes through [`sanitize_for_display`] before it is printed
//! as text, by the CLI (messages, errors, progress) and the TUI (every cell) alike; JSON
//! output escapes by JSON's own grammar, finished by [`json_for_terminal`].

use std::borrow::Cow;

/// `text` with control characters made visible: C0 controls and DEL as their Unicode
/// "control pictures" (`\x1b` → `␛`, `\n` → `␊`), C1 controls and bidi/format controls as
/// `<U+XXXX>`. Borrowed when nothing needed changing (the common case).
pub fn sanitize_for_display(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match visible_char(c) {
            Some(v) => out.push(v),
            None if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The one-character visible form of a C0 control or DEL (its Unicode control picture).
pub fn visible_char(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        _ => None,
    }
}

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls, DEL, and the
/// zero-width and bidi controls that change what a reader sees.
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// A line that starts with `text` (a file name) cannot start a GitHub Actions workflow
/// command (`::error file=...::`), which the runner reads from any log line beginning
/// with `::`: such a relative path is printed as `./::...`, the same file.
pub fn safe_line_start(text: &str) -> Cow<'_, str> {
    if text.starts_with("::") {
        Cow::Owned(format!("./{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// JSON text (as serde_json writes it) with the characters JSON allows raw but a terminal
/// may act on (DEL, C1 controls, bidi and zero-width controls) written as `\uXXXX` escapes:
/// the same JSON value, safe to print. serde_json already escapes the C0 controls, and
/// outside strings JSON text is ASCII, so only string contents change.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    if !json.chars().any(|c| needs_escape(c) && c >= '\u{7f}') {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) && c >= '\u{7f}' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
        assert_eq!(sanitize_for_display("\x1b]52;c;aGk=\x07"), "␛]52;c;aGk=␇");
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

    #[test]
    fn workflow_commands_cannot_start_a_line() {
        assert_eq!(safe_line_start("::error::x.json"), "./::error::x.json");
        assert_eq!(safe_line_start("p.json"), "p.json");
    }

    #[test]
    fn json_stays_the_same_value_without_raw_controls() {
        let value = serde_json::json!({"m": "a\u{9b}31m\u{202e}b\u{7f}\x1b"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_for_terminal(&text);
        assert!(!safe.chars().any(needs_escape), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
        assert!(matches!(
            json_for_terminal("{\"a\": 1}\n"),
            Cow::Borrowed(_)
        ));
    }
}
