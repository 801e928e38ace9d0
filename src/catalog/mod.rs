//! The catalog of AWS services, actions, resource types and condition keys, plus our curation.
//!
//! Layers (later override earlier): the embedded facts for the common services
//! (`assets/catalog/facts.json`), the user catalog imported from AWS's service reference
//! (`catalog import` / `catalog update`), then the curated layer (display names, summaries,
//! risk tags, presets) on top of both.
//!
//! - [`model`]: the plain data types.
//! - [`store`]: [`Catalog`], loading and lookups.
//! - [`expand`]: IAM action patterns (`s3:Get*`) against the catalog.
//! - [`search`]: fuzzy search for the CLI and the TUI.
//! - [`reference`]: AWS's service reference format; [`import`] and [`update`] feed it in.
//! - [`wire`]: the compact stored form shared by the embedded asset and the user catalog.
//! - [`managed_list`]: every AWS managed policy's name and path; [`regions`]: AWS's regions.

pub mod curated;
pub mod expand;
pub mod import;
pub mod managed_list;
pub mod model;
pub mod reference;
pub mod regions;
pub mod search;
pub mod store;
pub mod update;
pub mod wire;

pub use expand::{ActionExpansion, ActionRef};
pub use model::*;
pub use search::SearchHit;
pub use store::Catalog;

/// The services the embedded catalog holds in full (guide §11).
pub const EMBEDDED_SERVICES: [&str; 45] = [
    "s3",
    "dynamodb",
    "lambda",
    "logs",
    "sqs",
    "sns",
    "kms",
    "secretsmanager",
    "ssm",
    "ec2",
    "ecr",
    "ecs",
    "sts",
    "iam",
    "events",
    "states",
    "kinesis",
    "firehose",
    "cloudwatch",
    "xray",
    "athena",
    "glue",
    "rds",
    "rds-data",
    "elasticfilesystem",
    "apigateway",
    "execute-api",
    "cognito-idp",
    "ses",
    "bedrock",
    "sagemaker",
    "codebuild",
    "codepipeline",
    "cloudformation",
    "route53",
    "acm",
    "elasticloadbalancing",
    "autoscaling",
    "appsync",
    "redshift-data",
    "es",
    "scheduler",
    "ssmmessages",
    "cognito-identity",
    "eks",
];
