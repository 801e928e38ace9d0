//! The one error type user-facing failures travel in.
//!
//! Every variant renders as a sentence that says what went wrong and where, because the CLI
//! prints it as is and exits 2. Library code never panics on user input; it returns one of these.

use std::path::PathBuf;

/// A failure the user can act on: bad input, an unreadable file, a failed write.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text at `origin` could not be parsed; `line`/`column` are 1-based (a 0 from a
    /// parser that counts from 0 at a line start is shown as 1: columns are never 0).
    #[error("{origin}:{}:{}: {message}", .line.max(&1), .column.max(&1))]
    Parse {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The input parsed but says something invalid (no position available).
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    /// Reading or writing a file failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The command line asked for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps an I/O error with the path and what we were doing to it.
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Converts a byte offset in `text` into a 1-based (line, column) pair, counting characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 999), (3, 2));
    }

    #[test]
    fn columns_are_never_0() {
        let e = Error::Parse {
            origin: "p.json".into(),
            line: 2,
            column: 0,
            message: "EOF while parsing an object".into(),
        };
        assert_eq!(e.to_string(), "p.json:2:1: EOF while parsing an object");
    }
}
