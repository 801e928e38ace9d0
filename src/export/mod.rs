//! Writing a role out: the formats of `render` and the TUI's Export step.
//!
//! Every writer takes [`RoleDocuments`] and returns text, so output is deterministic and
//! testable; writing to files goes through [`crate::io::write_atomic`].
//!
//! - [`to_json`], [`to_console`]: here.
//! - [`cli_script`]: a POSIX `sh` script of `aws iam` commands.
//! - [`cloudformation`]: a template (YAML via [`yaml`], or JSON).
//! - [`terraform`]: `aws_iam_role` and friends with `jsonencode(...)` documents.
//! - [`choice`]: console JSON of one document or both, one at a time, and the file name.
//! - [`clipboard`]: getting any of them onto the user's clipboard, locally or over SSH.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::role::RoleDocuments;

pub mod choice;
pub mod cli_script;
pub mod clipboard;
pub mod cloudformation;
pub mod terraform;
pub mod yaml;

pub use cli_script::to_cli_script;
pub use cloudformation::{to_cloudformation_json, to_cloudformation_yaml};
pub use terraform::to_terraform;

/// Every text export of a role, for `render --format` and the TUI's Export step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Json,
    Console,
    Cli,
    CloudFormationYaml,
    CloudFormationJson,
    Terraform,
}

impl ExportFormat {
    /// All formats, in the order menus list them.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Json,
        ExportFormat::Console,
        ExportFormat::Cli,
        ExportFormat::CloudFormationYaml,
        ExportFormat::CloudFormationJson,
        ExportFormat::Terraform,
    ];

    /// The export's text. The same documents always give the same bytes.
    pub fn render(self, docs: &RoleDocuments) -> String {
        match self {
            ExportFormat::Json => to_json(docs),
            ExportFormat::Console => to_console(docs),
            ExportFormat::Cli => to_cli_script(docs),
            ExportFormat::CloudFormationYaml => to_cloudformation_yaml(docs),
            ExportFormat::CloudFormationJson => to_cloudformation_json(docs),
            ExportFormat::Terraform => to_terraform(docs),
        }
    }

    /// A file name for the export of role `role_name`, e.g. `string-reverser.tf`.
    pub fn file_name(self, role_name: &str) -> String {
        let suffix = match self {
            ExportFormat::Json => ".json",
            ExportFormat::Console => "-console.txt",
            ExportFormat::Cli => "-create.sh",
            ExportFormat::CloudFormationYaml => ".cfn.yaml",
            ExportFormat::CloudFormationJson => ".cfn.json",
            ExportFormat::Terraform => ".tf",
        };
        format!("{role_name}{suffix}")
    }

    /// True for the exports a tool runs or deploys (script, template, Terraform), which
    /// `render --out-dir` writes beside the JSON documents.
    pub fn is_deployment_file(self) -> bool {
        matches!(
            self,
            ExportFormat::Cli
                | ExportFormat::CloudFormationYaml
                | ExportFormat::CloudFormationJson
                | ExportFormat::Terraform
        )
    }

    /// A short label for menus and tabs.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON",
            ExportFormat::Console => "Console",
            ExportFormat::Cli => "AWS CLI",
            ExportFormat::CloudFormationYaml => "CloudFormation",
            ExportFormat::CloudFormationJson => "CloudFormation (JSON)",
            ExportFormat::Terraform => "Terraform",
        }
    }
}

/// `render --format json`: the role as CloudFormation `AWS::IAM::Role` properties.
pub fn to_json(docs: &RoleDocuments) -> String {
    let mut out = docs.to_pretty_json();
    out.push('\n');
    out
}

/// `render --format console`: each document as a person pastes it into the IAM console,
/// under a heading that says where it goes, then what else to set or create.
pub fn to_console(docs: &RoleDocuments) -> String {
    let mut out = String::new();
    out.push_str(&format!("# Trust policy of role {}\n", docs.role_name));
    out.push_str(&docs.trust.to_pretty_json());
    out.push('\n');
    for p in &docs.policies {
        match &p.created {
            None => out.push_str(&format!("\n# Inline policy {}\n", p.name)),
            Some(c) if c.attach => out.push_str(&format!(
                "\n# Customer managed policy {} to create and attach ({})\n",
                p.name, c.arn
            )),
            Some(c) => out.push_str(&format!(
                "\n# Customer managed policy {} to create as the permissions boundary ({})\n",
                p.name, c.arn
            )),
        }
        out.push_str(&p.document.to_pretty_json());
        out.push('\n');
    }
    if !docs.managed_policy_arns.is_empty() {
        out.push_str("\n# Managed policies to attach\n");
        for arn in &docs.managed_policy_arns {
            out.push_str(arn);
            out.push('\n');
        }
    }
    if let Some(arn) = &docs.permissions_boundary {
        out.push_str(&format!("\n# Permissions boundary\n{arn}\n"));
    }
    if !docs.tags.is_empty() {
        out.push_str("\n# Tags (key = value)\n");
        for t in &docs.tags {
            out.push_str(&format!("{} = {}\n", t.key, t.value));
        }
    }
    if let Some(profile) = &docs.instance_profile {
        out.push_str(&format!(
            "\n# Instance profile to create, holding the role (EC2 uses the role through it)\n{}{}\n",
            profile.path.as_deref().unwrap_or("/"),
            profile.name
        ));
    }
    if !docs.oidc_providers.is_empty() {
        out.push_str("\n# OIDC identity providers to create (audiences after the URL; no thumbprint needed)\n");
        for p in &docs.oidc_providers {
            out.push_str(&format!("{} {}\n", p.url, p.client_ids.join(" ")));
        }
    }
    out
}

/// The files `render --out-dir` writes: `role.json`, `trust-policy.json` and
/// `policy-NAME.json` per inline policy.
pub fn out_dir_files(docs: &RoleDocuments) -> Vec<(String, String)> {
    let mut files = vec![
        ("role.json".to_string(), to_json(docs)),
        (
            "trust-policy.json".to_string(),
            format!("{}\n", docs.trust.to_pretty_json()),
        ),
    ];
    for p in &docs.policies {
        files.push((
            format!("policy-{}.json", p.name),
            format!("{}\n", p.document.to_pretty_json()),
        ));
    }
    files
}

/// Writes `files` into `dir`, all or none (see [`crate::io::write_files_all_or_nothing`]):
/// without `force`, refuses before writing anything if one of them exists.
pub fn write_files(dir: &Path, files: &[(String, String)], force: bool) -> Result<Vec<PathBuf>> {
    crate::io::write_files_all_or_nothing(dir, files, force)
}

/// Roles the writers' tests share.
#[cfg(test)]
pub(crate) mod test_roles {
    use crate::role::{RoleDocuments, parse_role_text};

    /// The seed's Lambda→S3 writer (a copy, so the golden exports do not move when the
    /// example file is edited).
    pub fn seed() -> RoleDocuments {
        let text = r#"
name = "string-reverser"
description = "Reverses strings and saves them to S3"
managed_policies = ["AWSLambdaBasicExecutionRole"]

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reversed-strings"

[[policy.statement]]
actions = ["s3:PutObject", "s3:PutObjectAcl"]
resources = ["arn:aws:s3:::my-super-specific-bucket/*"]
"#;
        parse_role_text("seed.toml", text)
            .expect("the seed role is valid")
            .to_documents()
    }

    /// A role with every deployment key: boundary of the file, tags, a created policy,
    /// a customer managed ARN, role and user principals, GitHub trust with its provider
    /// created, and an instance profile.
    pub fn deployment() -> RoleDocuments {
        let text = r#"
name = "orders-worker"
description = "Orders worker on EC2"
path = "/workloads/"
account = "123456789012"
region = "eu-west-1"
permissions_boundary = "workload-boundary"
managed_policies = ["AmazonSSMManagedInstanceCore", "arn:aws:iam::${Account}:policy/platform/LogShipping"]

[tags]
team = "orders"
cost-center = "cc-4711"

[trust]
services = ["ec2.amazonaws.com"]
roles = ["deployer"]
users = ["arn:aws:iam::123456789012:user/alice"]
github = [{ repo = "octo-org/orders", ref = "main" }]
create_oidc_provider = true

[[policy]]
name = "workload-boundary"
path = "/boundaries/"

[[policy.statement]]
actions = ["s3:*", "sqs:*", "logs:*"]
resources = ["*"]

[[policy]]
name = "orders-queue"
create = true
description = "Consume the orders queue"

[[policy.statement]]
actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
resources = ["arn:aws:sqs:${Region}:${Account}:orders"]

[[policy]]
name = "orders-bucket"

[[policy.statement]]
actions = ["s3:GetObject"]
resources = ["arn:aws:s3:::orders-in/*"]
"#;
        parse_role_text("deployment.toml", text)
            .expect("the deployment role is valid")
            .to_documents()
    }
}
