//! The catalog's data model: services → actions → resource types → condition keys.
//!
//! These are AWS's facts (from the service reference) plus our curation (summaries,
//! risk tags, featured flags). Every other module reads the catalog through these types,
//! so keep them plain data: no I/O, no caches that can go stale.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// IAM's access level of an action. The order is the order the TUI lists levels in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    #[serde(rename = "Permissions management")]
    #[strum(serialize = "Permissions management")]
    PermissionsManagement,
    Tagging,
}

/// The value type of a condition key, as AWS's service reference names it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
pub enum ConditionType {
    String,
    ArrayOfString,
    #[serde(rename = "ARN")]
    #[strum(serialize = "ARN")]
    Arn,
    #[serde(rename = "ArrayOfARN")]
    #[strum(serialize = "ArrayOfARN")]
    ArrayOfArn,
    Bool,
    ArrayOfBool,
    Numeric,
    ArrayOfNumeric,
    Date,
    ArrayOfDate,
    #[serde(rename = "IPAddress")]
    #[strum(serialize = "IPAddress")]
    IpAddress,
    #[serde(rename = "ArrayOfIPAddress")]
    #[strum(serialize = "ArrayOfIPAddress")]
    ArrayOfIpAddress,
}

/// Why an action deserves a second look; shown next to it and used by the risk lints.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RiskTag {
    PrivilegeEscalation,
    DataExfiltration,
    CredentialsExposure,
    ResourceExposure,
}

/// One AWS service, keyed in the catalog by its IAM prefix (`s3`, `dynamodb`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// The IAM prefix, lower case as AWS spells it.
    pub prefix: String,
    /// A display name ("Amazon S3"); falls back to the prefix when not curated.
    pub name: String,
    /// Actions keyed by their name as AWS spells it (`PutObject`).
    pub actions: IndexMap<String, Action>,
    /// Resource types keyed by name (`object`, `bucket`).
    pub resources: IndexMap<String, ResourceType>,
    /// Service-specific condition keys keyed by full name (`s3:x-amz-acl`).
    pub conditions: IndexMap<String, ConditionKey>,
}

/// One IAM action of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub name: String,
    pub access: AccessLevel,
    /// Resource types the action can be scoped to. Empty: the action only works on `"*"`.
    pub resources: Vec<ActionResource>,
    /// Condition keys the action supports (AWS's `ActionConditionKeys`).
    pub conditions: Vec<String>,
    /// A one-line summary in our own words (curated; absent for most actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Curated as commonly used: listed first in the TUI.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub featured: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<RiskTag>,
}

/// A resource type an action applies to, with the condition keys that apply through it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionResource {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// A resource type with the ARN format(s) that identify it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceType {
    pub name: String,
    /// ARN templates with `${Placeholders}`; a few types have more than one.
    pub arn_formats: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// A condition key and the value types AWS documents for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConditionKey {
    pub name: String,
    pub types: Vec<ConditionType>,
}
