//! The role being built: the role file (spec) and its conversion to IAM documents.
//!
//! A [`RoleSpec`] is what a role file holds and what the TUI edits and saves. It is
//! validated when loaded ([`load_role_file`]) and turned into [`RoleDocuments`] by
//! [`RoleSpec::to_documents`], the single place documents are generated from a role.

mod build;
pub mod deployment;
pub mod expect;
pub mod import;
mod locate;
pub mod managed;
pub mod patch;
pub mod save;
mod spec;
pub mod statements;
pub mod trust_convert;
pub mod trust_entry;
pub mod trust_file;
pub mod validate;
pub mod yaml;

pub use build::{GITHUB_OIDC_HOST, InlinePolicy, RoleDocuments, github_subject};
pub use deployment::{CreatedPolicy, InstanceProfile, OidcProvider, Tag};
pub use expect::ExpectSpec;
pub use locate::field_position;
pub use spec::{
    AccountTrust, GithubTrust, IgnoreEntry, InlinePolicySpec, LintSpec, OidcTrust, RoleSpec,
    StatementSpec, TrustDocument, TrustSpec, load_role_file, parse_role_text,
    resolve_trust_document,
};
pub use validate::{
    FieldPath, RoleProblem, is_valid_description, is_valid_path, is_valid_policy_name,
    is_valid_role_name, validate,
};
