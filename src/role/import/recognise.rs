//! Telling what a text given to `rolesmith lint` is: a policy document (raw, or inside the
//! output of `aws iam get-role-policy` / `get-policy-version`), a role file, or roles in
//! AWS's shapes (`AWS::IAM::Role` properties as `render` prints them, `aws iam get-role`
//! output, a CloudFormation template).
//!
//! The lint decides which rules fit a document; this only finds the documents and roles
//! and says where they are in the text.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::policy::source::SourceMap;
use crate::role::{RoleSpec, TrustDocument, parse_role_text, resolve_trust_document};

use super::cloudformation::{self, DocumentUse, RolePointers};
use super::yaml_to_json;
use super::{At, document_value, from_role_properties};

/// What `--kind` asks the input to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Recognise it from its shape.
    Any,
    /// A policy document (wrappers of `aws iam` output are still unwrapped).
    Document,
    /// A role file, or roles in AWS's shapes.
    Role,
}

/// What an input turned out to be.
#[derive(Clone, Debug)]
pub enum LintInput {
    /// One policy document.
    Document(ImportedDocument),
    /// A role file (TOML, or JSON with the role file's keys): findings are placed through
    /// its own keys.
    RoleFile(Box<RoleSpec>),
    /// Roles and policy documents in AWS's JSON or YAML shapes, each with its place in the
    /// text.
    Roles {
        /// "aws iam get-role output", "CloudFormation template", ...
        shape: &'static str,
        roles: Vec<ImportedRole>,
        documents: Vec<ImportedDocument>,
    },
}

/// A policy document found in an input.
#[derive(Clone, Debug)]
pub struct ImportedDocument {
    /// The document (intrinsic functions of a template read as placeholders).
    pub value: Value,
    /// Where it is in the text (empty for a policy file).
    pub pointer: String,
    /// How it is used, when the wrapper says.
    pub use_: DocumentUse,
    /// It is an AWS managed policy (AWS's quotas apply, not a customer's).
    pub aws_managed: bool,
}

/// A role found in an input, with where its parts are in the text.
#[derive(Clone, Debug)]
pub struct ImportedRole {
    pub spec: RoleSpec,
    pub pointers: RolePointers,
}

fn plain_document(value: Value) -> LintInput {
    LintInput::Document(ImportedDocument {
        value,
        pointer: String::new(),
        use_: DocumentUse::Unknown,
        aws_managed: false,
    })
}

/// Recognises JSON text already parsed (strictly) into `value`.
///
/// `stem` is the file's name without extension: `aws iam get-policy-version` output does
/// not say which policy it is, and a file named after an AWS managed policy is taken as
/// that policy. `base` is the folder a role file's relative paths start from (`None` for
/// standard input).
pub fn recognise_json(
    origin: &str,
    text: &str,
    value: Value,
    expect: Expect,
    stem: Option<&str>,
    base: Option<&Path>,
) -> Result<LintInput> {
    let Value::Object(obj) = &value else {
        return match expect {
            Expect::Role => Err(Error::Invalid {
                origin: origin.into(),
                message: "a role file is a JSON object".into(),
            }),
            _ => Ok(plain_document(value)),
        };
    };
    let source = SourceMap::deferred(text);
    let at = |pointer: &str, message: String| match source.nearest_pos(pointer) {
        Some(p) => Error::Parse {
            origin: origin.to_string(),
            line: p.line,
            column: p.column,
            message,
        },
        None => Error::Invalid {
            origin: origin.to_string(),
            message,
        },
    };
    // Wrappers of single documents, whatever was asked.
    if let Some(Value::Object(version)) = obj.get("PolicyVersion")
        && let Some(doc) = version.get("Document")
        && expect != Expect::Role
    {
        let pointer = "/PolicyVersion/Document";
        return Ok(LintInput::Document(ImportedDocument {
            value: document_value(doc, pointer, "Document", &at)?,
            pointer: pointer.into(),
            use_: DocumentUse::Managed,
            aws_managed: stem.is_some_and(crate::catalog::managed_list::is_aws_managed_name),
        }));
    }
    if obj.contains_key("PolicyName")
        && let Some(doc) = obj.get("PolicyDocument")
        && expect != Expect::Role
    {
        let pointer = "/PolicyDocument";
        return Ok(LintInput::Document(ImportedDocument {
            value: document_value(doc, pointer, "PolicyDocument", &at)?,
            pointer: pointer.into(),
            use_: DocumentUse::Inline,
            aws_managed: false,
        }));
    }
    if expect == Expect::Document {
        return Ok(plain_document(value));
    }
    if let Some(Value::Object(role)) = obj.get("Role") {
        return roles_from_properties(role, "/Role", "aws iam get-role output", &at);
    }
    if obj.contains_key("Resources") {
        let found = cloudformation::all_documents(&value, &at)?;
        return Ok(template(found));
    }
    if obj.contains_key("RoleName") || obj.contains_key("AssumeRolePolicyDocument") {
        return roles_from_properties(obj, "", "AWS::IAM::Role properties", &at);
    }
    if expect == Expect::Any && (obj.contains_key("Statement") || !looks_like_role_file(obj)) {
        return Ok(plain_document(value));
    }
    role_file(origin, text, base)
}

/// Recognises text that is not JSON: a CloudFormation template in YAML, else a TOML role
/// file.
pub fn recognise_text(origin: &str, text: &str, base: Option<&Path>) -> Result<LintInput> {
    let looks_like_cfn = text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| l.trim_end() == "Resources:");
    if looks_like_cfn {
        let value = yaml_to_json(origin, text)?;
        // YAML positions are not kept: errors name the template and the element.
        let at = |pointer: &str, message: String| Error::Invalid {
            origin: origin.to_string(),
            message: if pointer.is_empty() {
                message
            } else {
                format!("{message} (at {pointer})")
            },
        };
        let found = cloudformation::all_documents(&value, &at)?;
        return Ok(template(found));
    }
    role_file(origin, text, base)
}

/// The keys only a rolesmith role file has at its top.
fn looks_like_role_file(obj: &Map<String, Value>) -> bool {
    obj.contains_key("name") && (obj.contains_key("trust") || obj.contains_key("policy"))
}

fn role_file(origin: &str, text: &str, base: Option<&Path>) -> Result<LintInput> {
    let mut spec = parse_role_text(origin, text)?;
    match base {
        Some(base) => resolve_trust_document(&mut spec, base)?,
        None => {
            if let Some(TrustDocument::Path(p)) = &spec.trust.document {
                return Err(Error::Invalid {
                    origin: origin.to_string(),
                    message: format!(
                        "the trust document {p:?} is a path, which cannot be resolved for standard input"
                    ),
                });
            }
        }
    }
    Ok(LintInput::RoleFile(Box::new(spec)))
}

fn roles_from_properties(
    props: &Map<String, Value>,
    base: &str,
    shape: &'static str,
    at: &At,
) -> Result<LintInput> {
    let (spec, _notes) = from_role_properties(props, base, None, at)?;
    let pointers = RolePointers::at(base, &spec);
    Ok(LintInput::Roles {
        shape,
        roles: vec![ImportedRole { spec, pointers }],
        documents: Vec::new(),
    })
}

fn template(found: cloudformation::TemplateDocuments) -> LintInput {
    LintInput::Roles {
        shape: "CloudFormation template",
        roles: found
            .roles
            .into_iter()
            .map(|r| ImportedRole {
                spec: r.spec,
                pointers: r.pointers,
            })
            .collect(),
        documents: found
            .policies
            .into_iter()
            .map(|p| ImportedDocument {
                value: p.value,
                pointer: p.pointer,
                use_: p.use_,
                aws_managed: false,
            })
            .collect(),
    }
}
