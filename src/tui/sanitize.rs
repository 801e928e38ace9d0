//! The TUI's side of terminal safety.
//!
//! Text is made visible by [`crate::io::terminal::sanitize_for_display`] (re-exported here for
//! the TUI's call sites), the same function the CLI prints through. [`sanitize_buffer`] is the
//! last line of defence: it scans every drawn frame.

use crate::io::terminal::{needs_escape, visible_char};

pub use crate::io::terminal::sanitize_for_display;

/// The last line of defence: any cell of a drawn frame that still holds a control character
/// (a path that forgot [`sanitize_for_display`]) gets its visible form, so nothing drawn
/// can reach the terminal as a command. Cheap: one pass over the cells of a frame.
pub fn sanitize_buffer(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if sym.chars().any(needs_escape) {
            let visible: String = sym
                .chars()
                .map(|c| match visible_char(c) {
                    Some(v) => v,
                    None if needs_escape(c) => '\u{fffd}',
                    None => c,
                })
                .collect();
            cell.set_symbol(&visible);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_net_catches_raw_escapes() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf[(0, 0)].set_symbol("\x1b");
        buf[(1, 0)].set_symbol("\u{9b}");
        sanitize_buffer(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "␛");
        assert_eq!(buf[(1, 0)].symbol(), "\u{fffd}");
    }
}
