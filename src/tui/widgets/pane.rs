//! The frame around a pane or an overlay, and where an overlay sits: shared by the draw
//! code and the components that draw their own overlays.

use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

use crate::tui::sanitize::sanitize_for_display;
use crate::tui::theme::Theme;

/// A bordered block titled `title`, highlighted when `focused`.
pub fn pane_block<'a>(theme: &Theme, title: &'a str, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focus_border()
        } else {
            theme.border()
        })
        .title(Span::styled(
            // Titles name policies and files: made inert like any text from a file.
            format!(" {} ", sanitize_for_display(title)),
            if focused {
                theme.focus_border()
            } else {
                theme.title()
            },
        ))
}

/// A `w`×`h` rectangle in the middle of `area` (clipped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
