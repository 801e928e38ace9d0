//! `rolesmith render`: build a role file's documents and print or write them.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::error::{Error, Result};
use crate::export::{self, ExportFormat};
use crate::role::{TrustDocument, load_role_file, parse_role_text};

use super::Outcome;

/// Output formats of `render`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// One object shaped like CloudFormation AWS::IAM::Role properties.
    Json,
    /// The documents as a person pastes them into the IAM console.
    Console,
    /// A POSIX sh script of `aws iam` commands that creates or updates the role (safe to run again).
    Cli,
    /// A CloudFormation template in YAML.
    Cloudformation,
    /// A CloudFormation template in JSON.
    CloudformationJson,
    /// Terraform resources, documents in jsonencode(...).
    Terraform,
}

impl From<RenderFormat> for ExportFormat {
    fn from(format: RenderFormat) -> Self {
        match format {
            RenderFormat::Json => ExportFormat::Json,
            RenderFormat::Console => ExportFormat::Console,
            RenderFormat::Cli => ExportFormat::Cli,
            RenderFormat::Cloudformation => ExportFormat::CloudFormationYaml,
            RenderFormat::CloudformationJson => ExportFormat::CloudFormationJson,
            RenderFormat::Terraform => ExportFormat::Terraform,
        }
    }
}

/// Build the documents of a role file.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The role file (TOML or JSON); `-` reads it from standard input.
    pub role_file: PathBuf,
    #[arg(long, value_enum, default_value = "json")]
    pub format: RenderFormat,
    /// Write role.json, trust-policy.json and policy-NAME.json per policy here instead;
    /// with --format cli, cloudformation(-json) or terraform, that export's file as well.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Overwrite files in --out-dir.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 when a finding is at or above this level (findings are printed on stderr).
    #[arg(long, value_enum, default_value = "error", value_name = "LEVEL")]
    pub fail_on: super::lint::FailOn,
}

/// What standard input names itself as in messages.
const STDIN_ORIGIN: &str = "<stdin>";

pub fn run(args: RenderArgs) -> Result<Outcome> {
    let (spec, outcome) = if args.role_file.as_os_str() == "-" {
        // Capped like every read (io::read; ROLESMITH_MAX_INPUT_BYTES raises it).
        let text = crate::io::read_stdin_text()?;
        let spec = parse_role_text(STDIN_ORIGIN, &text)?;
        if let Some(TrustDocument::Path(p)) = &spec.trust.document {
            return Err(Error::Invalid {
                origin: STDIN_ORIGIN.into(),
                message: format!(
                    "the trust document {p:?} is a path, which cannot be resolved for standard input: put the document inline or render the file"
                ),
            });
        }
        let outcome =
            super::lint::report_role_text_findings(STDIN_ORIGIN, &text, &spec, args.fail_on)?;
        (spec, outcome)
    } else {
        let spec = load_role_file(&args.role_file)?;
        let outcome = super::lint::report_role_findings(&args.role_file, &spec, args.fail_on)?;
        (spec, outcome)
    };
    let docs = spec.to_documents();
    if let Some(dir) = &args.out_dir {
        let mut files = export::out_dir_files(&docs);
        let format = ExportFormat::from(args.format);
        if format.is_deployment_file() {
            files.push((format.file_name(&docs.role_name), format.render(&docs)));
        }
        for path in export::write_files(dir, &files, args.force)? {
            eprintln!(
                "wrote {}",
                crate::io::sanitize_for_display(&path.display().to_string())
            );
        }
        return Ok(outcome);
    }
    let text = ExportFormat::from(args.format).render(&docs);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Error::Other(format!("cannot write to standard output: {e}")))?;
    Ok(outcome)
}
