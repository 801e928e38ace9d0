//! Where rolesmith meets the outside world: files, standard input, the terminal.
//!
//! Everything read from or written to disk, and every string from a file, the network or the
//! user that is printed on a terminal, goes through this module, so its guarantees hold
//! everywhere:
//!
//! - [`read`]: every read has a size cap (with an error naming the limit and
//!   [`read::LIMIT_ENV`], which raises it), reads only regular files (a FIFO or a device is an
//!   error, never a hang), accepts a UTF-8 byte order mark and reports invalid UTF-8 with its
//!   line and column.
//! - [`write`]: writes are atomic (a randomly named temporary file created with `O_EXCL` in the
//!   target's folder, synced, renamed), never follow a planted temporary link, write through a
//!   symlink target (the link stays a link), keep an existing file's mode, never replace a
//!   dangling link unless asked to, and a set of files is written completely or not at all.
//! - [`terminal`]: control characters are made visible before text reaches a terminal.
//! - [`xdg`]: the folders user data lives in.

pub mod read;
pub mod terminal;
pub mod write;
pub mod xdg;

pub use read::{InputKind, read_stdin_text, read_text};
pub use terminal::sanitize_for_display;
pub use write::{write_atomic, write_files_all_or_nothing};
pub use xdg::{XdgDir, xdg_dir};
