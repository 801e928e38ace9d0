//! Reading files and standard input with a size cap, regular files only, as UTF-8 text.
//!
//! A policy from a stranger may be `/dev/zero`, a FIFO that never ends, or gigabytes of
//! nothing; none of them may hang rolesmith or eat the machine's memory. Every read in the
//! crate goes through this module: it opens the file without blocking, refuses anything but
//! a regular file, reads at most the limit of its [`InputKind`] (one byte more, to notice
//! a bigger file whose size was not known up front), and decodes UTF-8 with a position for
//! the first bad byte.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result, line_col};

/// Environment variable that sets the read limit, in bytes (`K`, `M`, `G` suffixes allowed,
/// binary units): `ROLESMITH_MAX_INPUT_BYTES=64M`. It replaces the default of every
/// [`InputKind`].
pub const LIMIT_ENV: &str = "ROLESMITH_MAX_INPUT_BYTES";

const MIB: u64 = 1024 * 1024;

/// What is being read; each kind has its own default limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Role files, policy documents, templates, trust documents, config, standard input.
    Document,
    /// One AWS service reference file (AWS's largest, ec2, is about 1 MB).
    ServiceReference,
    /// The stored user catalog (the full AWS catalog is about 5 MB).
    UserCatalog,
    /// An autosave of the editor.
    Autosave,
}

impl InputKind {
    /// The limit when [`LIMIT_ENV`] is not set.
    pub fn default_limit(self) -> u64 {
        match self {
            InputKind::Document | InputKind::ServiceReference => 16 * MIB,
            InputKind::Autosave => 64 * MIB,
            InputKind::UserCatalog => 256 * MIB,
        }
    }

    fn what(self) -> &'static str {
        match self {
            InputKind::Document => "role files and policy documents",
            InputKind::ServiceReference => "a service reference file",
            InputKind::UserCatalog => "the user catalog",
            InputKind::Autosave => "an autosave",
        }
    }

    /// The limit in force: [`LIMIT_ENV`] when set, else [`InputKind::default_limit`].
    pub fn limit(self) -> Result<u64> {
        match std::env::var(LIMIT_ENV) {
            Ok(v) if !v.trim().is_empty() => parse_size(&v).ok_or_else(|| {
                Error::Usage(format!(
                    "{LIMIT_ENV}={v:?} is not a size; give bytes, or a number with K, M or G (e.g. 64M)"
                ))
            }),
            _ => Ok(self.default_limit()),
        }
    }
}

/// `123`, `64K`, `16M`, `1G` (binary units, case-insensitive, an optional trailing `B`/`iB`).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (digits, unit) = match t.chars().last()? {
        'K' => (&t[..t.len() - 1], 1024),
        'M' => (&t[..t.len() - 1], MIB),
        'G' => (&t[..t.len() - 1], 1024 * MIB),
        _ => (t, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(unit)
}

/// `16 MiB`, `512 KiB`, `300 bytes`, for messages.
pub fn describe_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

fn too_big(origin: &str, size: Option<u64>, limit: u64, kind: InputKind) -> Error {
    let size = match size {
        Some(s) => format!("is {}", describe_size(s)),
        None => "is bigger than that".to_string(),
    };
    Error::Invalid {
        origin: origin.to_string(),
        message: format!(
            "refusing to read it: the limit for {} is {} and this {size}; set {LIMIT_ENV} (e.g. {LIMIT_ENV}=64M) to raise it",
            kind.what(),
            describe_size(limit),
        ),
    }
}

/// Opens a regular file to stream it (a trail of gigabytes is read piece by piece, not whole):
/// the same checks as every read, without the size cap. Returns the file and its length.
pub fn open_stream(path: &Path) -> Result<(File, u64)> {
    open_regular(path)
}

/// Opens `path` for reading without blocking (a FIFO with no writer must not hang) and
/// checks it is a regular file.
fn open_regular(path: &Path) -> Result<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| Error::io(path, "cannot read", e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io(path, "cannot read", e))?;
    if meta.is_dir() {
        return Err(Error::Invalid {
            origin: path.display().to_string(),
            message: "this is a folder, not a file".into(),
        });
    }
    if !meta.is_file() {
        return Err(Error::Invalid {
            origin: path.display().to_string(),
            message:
                "not a regular file (a FIFO, device or socket); rolesmith reads only regular files"
                    .into(),
        });
    }
    Ok((file, meta.len()))
}

/// Reads at most `limit` bytes from `reader`; `None` when there was more.
fn read_capped(reader: impl Read, limit: u64, hint: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(hint.min(limit) as usize);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The bytes of the regular file at `path`, refused (before reading when its size says so)
/// when over the limit of `kind`.
pub fn read_bytes(path: &Path, kind: InputKind) -> Result<Vec<u8>> {
    let limit = kind.limit()?;
    let origin = path.display().to_string();
    let (file, len) = open_regular(path)?;
    if len > limit {
        return Err(too_big(&origin, Some(len), limit, kind));
    }
    read_capped(file, limit, len)
        .map_err(|e| Error::io(path, "cannot read", e))?
        .ok_or_else(|| too_big(&origin, None, limit, kind))
}

/// The text of the regular file at `path` (see [`read_bytes`] and [`decode_utf8`]).
pub fn read_text(path: &Path, kind: InputKind) -> Result<String> {
    let bytes = read_bytes(path, kind)?;
    decode_utf8(&path.display().to_string(), bytes)
}

/// Standard input as text, with the limit of [`InputKind::Document`]. Named `<stdin>`.
pub fn read_stdin_text() -> Result<String> {
    let kind = InputKind::Document;
    let limit = kind.limit()?;
    let stdin = std::io::stdin().lock();
    let bytes = read_capped(stdin, limit, 0)
        .map_err(|e| Error::io("<stdin>", "cannot read", e))?
        .ok_or_else(|| too_big("<stdin>", None, limit, kind))?;
    decode_utf8("<stdin>", bytes)
}

/// UTF-8 text from `bytes`: a byte order mark is dropped (some editors write one), invalid
/// UTF-8 is an error at the line and column of the first bad byte, UTF-16 is named.
pub fn decode_utf8(origin: &str, mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: 1,
            column: 1,
            message: "the file is UTF-16 text; save it as UTF-8".into(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(before, before.len());
        Error::Parse {
            origin: origin.to_string(),
            line,
            column,
            message: format!(
                "not UTF-8 text (byte 0x{:02x} here is not part of a UTF-8 character); save the file as UTF-8",
                bytes[valid]
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("123"), Some(123));
        assert_eq!(parse_size("64k"), Some(64 * 1024));
        assert_eq!(parse_size("16M"), Some(16 * MIB));
        assert_eq!(parse_size("1GiB"), Some(1024 * MIB));
        assert_eq!(parse_size(" 2 MB "), Some(2 * MIB));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(describe_size(16 * MIB), "16 MiB");
        assert_eq!(describe_size(300), "300 bytes");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let text = decode_utf8("p.json", b"\xef\xbb\xbf{}".to_vec()).unwrap();
        assert_eq!(text, "{}");
    }

    #[test]
    fn invalid_utf8_has_line_and_column() {
        let e = decode_utf8("p.json", b"{\n  \"a\": \"\xe9t\xe9\"\n}".to_vec()).unwrap_err();
        match e {
            Error::Parse { line, column, .. } => assert_eq!((line, column), (2, 9)),
            other => panic!("{other}"),
        }
        let e = decode_utf8("u.json", b"\xff\xfe{\x00".to_vec()).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }

    #[test]
    fn folders_and_fifos_are_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path(), InputKind::Document).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
            let e = read_text(&fifo, InputKind::Document).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            let e = read_text(Path::new("/dev/zero"), InputKind::Document).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[test]
    fn a_capped_read_stops_at_the_limit() {
        assert_eq!(
            read_capped(&b"abc"[..], 3, 0).unwrap(),
            Some(b"abc".to_vec())
        );
        assert_eq!(read_capped(&b"abcd"[..], 3, 0).unwrap(), None);
        let e = too_big("big.json", Some(20 * MIB), 16 * MIB, InputKind::Document).to_string();
        assert!(
            e.contains("big.json") && e.contains("16 MiB") && e.contains(LIMIT_ENV),
            "{e}"
        );
    }
}
