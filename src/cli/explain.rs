//! `rolesmith explain CODE`: what a finding means, why it matters, how to fix it.

use std::io::Write;

use clap::Args;

use crate::error::{Error, Result};
use crate::lint::explain::{CODES, lookup, render};

use super::Outcome;

/// Explain a finding code, with a bad and a fixed example.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The finding code, e.g. resource-mismatch.
    pub code: String,
}

pub fn run(args: ExplainArgs) -> Result<Outcome> {
    let Some(info) = lookup(args.code.trim()) else {
        let codes: Vec<&str> = CODES.iter().map(|c| c.code).collect();
        return Err(Error::Usage(format!(
            "unknown finding code {:?}; the codes are: {}",
            args.code,
            codes.join(", ")
        )));
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(render(info).as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::Other(format!("cannot write to standard output: {e}")))?;
    Ok(Outcome::Clean)
}
