//! Colours and emphasis, in one place.
//!
//! Colour carries meaning only: focus, severity, JSON syntax. With `NO_COLOR` set every
//! style falls back to bold / reversed / dim, and markers (`▶`, `[x]`, `E`/`W`/`S`) carry
//! the rest, so the screen reads the same in monochrome.

use ratatui::style::{Color, Modifier, Style};

use super::findings::Severity;

/// The styles the UI draws with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    /// A theme without colour (for tests and `NO_COLOR`).
    pub fn monochrome() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    /// Secondary text: hints, labels, placeholders.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Border of the focused pane.
    pub fn focus_border(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.dim()
    }

    /// The selected row of a list in the focused pane.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Cyan).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The selected row of a list in a pane without focus.
    pub fn selected_unfocused(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// A key name in the status line and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Severity::Suggestion => self.fg(Color::Blue),
        }
    }

    pub fn error(&self) -> Style {
        self.severity(Severity::Error)
    }

    pub fn json_key(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn json_string(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn json_literal(&self) -> Style {
        self.fg(Color::Magenta)
    }

    pub fn json_punct(&self) -> Style {
        self.dim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monochrome_uses_no_colour_but_still_marks_focus_and_selection() {
        let t = Theme::monochrome();
        let styles = [
            t.dim(),
            t.focus_border(),
            t.selected(),
            t.key(),
            t.ok(),
            t.json_key(),
            t.json_string(),
            t.severity(Severity::Error),
            t.severity(Severity::Warning),
            t.severity(Severity::Suggestion),
        ];
        for s in styles {
            assert_eq!(s.fg, None, "{s:?}");
            assert_eq!(s.bg, None, "{s:?}");
        }
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(t.focus_border().add_modifier.contains(Modifier::BOLD));
    }
}
