//! Offline IAM policy evaluation: "will this request be allowed, and why (not)?"
//!
//! Pure functions over the policy model, the catalog and the role (no I/O):
//! - [`PolicySet`]: the policies of a role (inline, curated managed documents, trust) or
//!   documents, optionally a permissions boundary and SCPs, compiled once;
//! - [`PolicySet::evaluate`]: a [`Request`] → [`Evaluation`] (decision, deciding or nearest
//!   statements with positions, reasons part by part);
//! - [`check_role`] / [`check_expectations`]: a role's `[[expect]]` and `assumed_by`;
//! - [`denied`]: reading an AccessDenied message and proposing the least statement that
//!   fixes it.

mod condition;
pub mod denied;
mod engine;
mod expect;
mod pattern;
mod policy;
pub mod propose;
mod request;

pub use engine::{ConditionMode, Decision, Evaluation, ServiceFacts, StatementRef};
pub use expect::{
    AssumedByResult, Expectation, ExpectationResult, RoleCheck, check_assumed_by,
    check_expectations, check_role,
};
pub use policy::{Policy, PolicyKind, PolicySet, UnknownPolicy, managed_document};
pub use request::{AwsKind, AwsPrincipal, Context, PrincipalId, Request};
