//! IAM policy documents: the serde model, source positions, ARNs and size as IAM counts it.

pub mod arn;
pub mod arn_template;
pub mod document;
pub mod json;
pub mod one_or_many;
pub mod size;
pub mod source;

pub use arn::Arn;
pub use document::{
    ConditionBlock, ConditionScalar, Effect, PolicyDocument, Principal, PrincipalMap, Statement,
};
pub use one_or_many::OneOrMany;
pub use source::{ParsedPolicy, SourceMap, SourcePos};
