//! The curated layer of the catalog: what AWS does not publish but a role author needs.
//!
//! AWS's service reference gives the facts (actions, resource types, ARN formats, condition
//! keys). This module adds our own knowledge on top: display names, one-line summaries and risk
//! tags for common actions, hints for ARN placeholders, presets (named bundles of actions),
//! service principals, OIDC trust presets, AWS managed policies and global condition keys.
//!
//! The data lives in readable TOML under `assets/catalog/curated/` so that a workshop
//! facilitator can edit it, and is embedded in the binary. It is parsed once, on first use,
//! by [`curated`]. A malformed asset is a bug caught by this module's unit tests (they parse
//! every asset and check its invariants), which is why the runtime treats parsing as infallible.

pub mod lazy;
mod managed_documents;
mod oidc;
mod subset;
mod validate;

pub use subset::overgrants;

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::catalog::model::{ConditionKey, ConditionType, RiskTag, Service};

pub use oidc::{FilledOidcPreset, OidcCondition, OidcField, OidcPreset, TrustCondition};
pub use validate::problems;

/// The embedded assets, by file name, so that parse errors can name the file at fault.
const ASSETS: &[(&str, &str)] = &[
    (
        "services.toml",
        include_str!("../../assets/catalog/curated/services.toml"),
    ),
    (
        "placeholders.toml",
        include_str!("../../assets/catalog/curated/placeholders.toml"),
    ),
    (
        "presets.toml",
        include_str!("../../assets/catalog/curated/presets.toml"),
    ),
    (
        "principals.toml",
        include_str!("../../assets/catalog/curated/principals.toml"),
    ),
    (
        "oidc.toml",
        include_str!("../../assets/catalog/curated/oidc.toml"),
    ),
    (
        "managed_policies.toml",
        include_str!("../../assets/catalog/curated/managed_policies.toml"),
    ),
    (
        "condition_keys.toml",
        include_str!("../../assets/catalog/curated/condition_keys.toml"),
    ),
];

/// The embedded asset of this file name (one of [`ASSETS`]).
fn asset(file: &str) -> &'static str {
    ASSETS
        .iter()
        .find(|(name, _)| *name == file)
        .map_or("", |(_, text)| *text)
}

/// Everything curated, ready to be merged over the catalog's facts and offered in the TUI.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Curated {
    /// Curation per service, keyed by IAM prefix (`s3`), in the order of the asset file.
    pub services: IndexMap<String, ServiceCuration>,
    /// Named bundles of actions ("S3: read objects"), in display order.
    pub presets: Vec<Preset>,
    /// AWS service principals a role can trust (`lambda.amazonaws.com`).
    pub principals: Vec<ServicePrincipal>,
    /// Trust presets for OIDC identity providers (GitHub Actions, GitLab, EKS, Cognito).
    pub oidc_presets: Vec<OidcPreset>,
    /// AWS managed policies that workload roles commonly attach.
    pub managed_policies: Vec<ManagedPolicy>,
    /// Condition keys that apply across services (`aws:SourceIp`, `aws:PrincipalOrgID`).
    pub global_conditions: Vec<ConditionKey>,
    /// What each global condition key means, keyed by its name, for help texts.
    pub condition_help: IndexMap<String, String>,
    /// Trust-policy condition keys of STS and of identity providers, with how they are formed.
    pub trust_conditions: Vec<TrustConditionKey>,
    /// Hints for the `${Placeholders}` of ARN templates, keyed by placeholder name.
    pub placeholder_hints: IndexMap<String, PlaceholderHint>,
}

/// Our curation of one service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCuration {
    /// Display name ("Amazon S3"); the reference has none.
    pub name: String,
    /// Curated actions keyed by their name as AWS spells it (`GetObject`).
    #[serde(default)]
    pub actions: IndexMap<String, ActionCuration>,
}

/// Our curation of one action.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionCuration {
    /// One line in our own words: what the action lets the caller do.
    #[serde(default)]
    pub summary: Option<String>,
    /// Commonly used: listed first. Defaults to true in the asset, since most curated actions
    /// are curated because they are common; actions listed only for a risk tag say `false`.
    #[serde(default = "yes")]
    pub featured: bool,
    /// Why the action deserves a second look.
    #[serde(default)]
    pub risks: Vec<RiskTag>,
}

fn yes() -> bool {
    true
}

/// Help for one `${Placeholder}` of ARN templates, shown next to the ARN builder's field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderHint {
    /// A realistic value, shown greyed in the empty field.
    pub example: String,
    /// The value to prefill, when one is right for most roles (`ObjectName` → `*`).
    #[serde(default)]
    pub default: Option<String>,
    /// What the value is and where to find it.
    pub help: String,
}

/// A named bundle of actions of one service, with the resource types they need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Stable identifier (`s3-read-objects`), used in role files and on the command line.
    pub id: String,
    /// IAM prefix of the service the actions belong to.
    pub service: String,
    /// Short title ("S3: read objects").
    pub title: String,
    /// What the bundle allows and what it does not, in a sentence or two.
    pub description: String,
    /// Action names without the service prefix (`GetObject`), as AWS spells them.
    pub actions: Vec<String>,
    /// Resource types of the service that the actions' resources need (`object`). Actions that
    /// take no resource type are granted on `"*"` and need none.
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// Conditions worth adding, offered but not applied silently.
    #[serde(default)]
    pub conditions: Vec<PresetCondition>,
}

impl Preset {
    /// The actions as full IAM action names (`s3:GetObject`).
    pub fn qualified_actions(&self) -> impl Iterator<Item = String> + '_ {
        self.actions
            .iter()
            .map(move |action| format!("{}:{action}", self.service))
    }
}

/// A condition a preset suggests, with an example value for the user to replace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetCondition {
    /// Condition operator (`StringEquals`).
    pub operator: String,
    /// Condition key (`kms:ViaService`).
    pub key: String,
    /// Example value; may contain `${Region}`-style placeholders.
    pub example: String,
    /// Why the condition helps.
    pub note: String,
}

/// An AWS service principal that can assume a role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePrincipal {
    /// The principal as written in a trust policy (`lambda.amazonaws.com`).
    pub principal: String,
    /// IAM prefix of the service that uses it.
    pub service: String,
    /// Display name ("AWS Lambda").
    pub name: String,
    /// What assumes the role and when, in one sentence.
    pub note: String,
    /// AWS documents that this service sends `aws:SourceAccount`/`aws:SourceArn` when it
    /// assumes a role, so a trust policy can pin them against the confused-deputy problem.
    #[serde(default)]
    pub sends_source_arn: bool,
}

/// How much an AWS managed policy grants; drives the `managed-policy-broad` finding.
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
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ManagedPolicyRisk {
    /// A narrow grant for one job (write logs, pull images).
    Fine,
    /// Reads widely or writes within one service's data plane; acceptable with thought.
    Moderate,
    /// Full control of one or more services, or reads across the whole account.
    Broad,
    /// Full control of the account or close to it (`AdministratorAccess`, `PowerUserAccess`).
    Admin,
}

impl ManagedPolicyRisk {
    /// Broad and admin policies are the ones worth a warning.
    pub fn is_broad(self) -> bool {
        self >= ManagedPolicyRisk::Broad
    }
}

/// An AWS managed policy, as far as we can state what it grants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Policy name, case-sensitive (`AWSLambdaBasicExecutionRole`).
    pub name: String,
    /// Exact ARN including the path (`arn:aws:iam::aws:policy/service-role/...`).
    pub arn: String,
    /// What it is for, in our own words.
    pub description: String,
    pub risk: ManagedPolicyRisk,
    /// The policy document it grants (`Version` + `Statement`): AWS's own, exactly.
    pub document: serde_json::Value,
    /// True when `document` is a strict subset of AWS's (the gist of a long policy): use it
    /// to see what it is about, never to compute exact grants.
    pub abbreviated: bool,
    /// AWS's version id of the document (`v7`), when it is AWS's exact document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// When AWS made that version (`2026-02-12T...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_date: Option<String>,
}

impl ManagedPolicy {
    /// The ARN in another partition (`aws-cn`, `aws-us-gov`): AWS managed policies exist in
    /// each partition under the same path and name.
    pub fn arn_in_partition(&self, partition: &str) -> String {
        arn_in_partition(&self.arn, partition)
    }

    /// The `Statement` array of the document, empty if the document has none.
    pub fn statements(&self) -> &[serde_json::Value] {
        self.document
            .get("Statement")
            .and_then(|s| s.as_array())
            .map_or(&[], Vec::as_slice)
    }
}

/// A trust-policy condition key whose name depends on the identity provider or on STS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustConditionKey {
    /// The key or its pattern (`${ProviderHost}:sub`, `sts:ExternalId`).
    pub pattern: String,
    pub types: Vec<ConditionType>,
    /// How the key is formed and what it carries.
    pub help: String,
}

/// Returns the curated layer, parsed from the embedded assets on first use.
pub fn curated() -> &'static Curated {
    static CURATED: OnceLock<Curated> = OnceLock::new();
    CURATED.get_or_init(|| {
        Curated::from_assets(ASSETS).unwrap_or_else(|message| {
            // The assets are compiled in and checked by the unit tests; reaching this is a bug.
            panic!("bug: embedded curated catalog is malformed: {message}")
        })
    })
}

impl Curated {
    /// Parses the embedded assets afresh, bypassing the cache (for benchmarks).
    #[doc(hidden)]
    pub fn parse_embedded() -> Result<Curated, String> {
        Curated::from_assets(ASSETS)
    }

    /// Parses the given `(file name, TOML text)` assets; the error names the file at fault.
    fn from_assets(assets: &[(&str, &str)]) -> Result<Curated, String> {
        let mut curated = Curated::default();
        for (file, text) in assets {
            let located = |e: toml::de::Error| format!("{file}: {e}");
            match *file {
                "services.toml" => {
                    curated.services = toml::from_str(text).map_err(located)?;
                }
                "placeholders.toml" => {
                    curated.placeholder_hints = toml::from_str(text).map_err(located)?;
                }
                "presets.toml" => {
                    let file: PresetsFile = toml::from_str(text).map_err(located)?;
                    curated.presets = file.preset;
                }
                "principals.toml" => {
                    let file: PrincipalsFile = toml::from_str(text).map_err(located)?;
                    curated.principals = file.principal;
                }
                "oidc.toml" => {
                    let file: OidcFile = toml::from_str(text).map_err(located)?;
                    curated.oidc_presets = file.oidc;
                }
                "managed_policies.toml" => {
                    let parsed: ManagedPoliciesFile = toml::from_str(text).map_err(located)?;
                    curated.managed_policies = parsed
                        .policy
                        .into_iter()
                        .map(|p| p.to_policy())
                        .collect::<Result<_, _>>()
                        .map_err(|e| format!("{file}: {e}"))?;
                }
                "condition_keys.toml" => {
                    let file: ConditionKeysFile = toml::from_str(text).map_err(located)?;
                    for key in file.global {
                        curated.condition_help.insert(key.name.clone(), key.help);
                        curated.global_conditions.push(ConditionKey {
                            name: key.name,
                            types: key.types,
                        });
                    }
                    curated.trust_conditions = file.trust;
                }
                other => return Err(format!("{other}: no parser for this asset")),
            }
        }
        Ok(curated)
    }

    /// Lays the curation over catalog facts: display names, and the summary, featured flag and
    /// risk tags of curated actions. Facts stay untouched; curated actions the facts lack are
    /// skipped (an imported catalog may predate them). The catalog calls this once per load.
    pub fn apply_to(&self, services: &mut IndexMap<String, Service>) {
        for (prefix, service) in services.iter_mut() {
            if let Some(curation) = self.services.get(prefix) {
                apply_service_curation(curation, service);
            }
        }
    }

    /// Every curated action carrying `risk`, as `(prefix, action)` pairs, for the risk lints.
    pub fn actions_with_risk(&self, risk: RiskTag) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.services.iter().flat_map(move |(prefix, service)| {
            service
                .actions
                .iter()
                .filter(move |(_, action)| action.risks.contains(&risk))
                .map(move |(name, _)| (prefix.as_str(), name.as_str()))
        })
    }

    /// The global condition keys keyed by name, the shape the catalog stores them in.
    pub fn global_condition_map(&self) -> IndexMap<String, ConditionKey> {
        self.global_conditions
            .iter()
            .map(|key| (key.name.clone(), key.clone()))
            .collect()
    }

    /// The display name of a service, if curated.
    pub fn service_name(&self, prefix: &str) -> Option<&str> {
        self.services.get(prefix).map(|s| s.name.as_str())
    }

    /// The curation of one action (`"s3"`, `"GetObject"`), if any.
    pub fn action(&self, prefix: &str, action: &str) -> Option<&ActionCuration> {
        self.services.get(prefix)?.actions.get(action)
    }

    /// A managed policy by its case-sensitive name or by its full ARN.
    pub fn managed_policy(&self, name_or_arn: &str) -> Option<&ManagedPolicy> {
        let by_arn = name_or_arn.starts_with("arn:");
        self.managed_policies.iter().find(|policy| {
            if by_arn {
                policy.arn == name_or_arn
            } else {
                policy.name == name_or_arn
            }
        })
    }

    /// A service principal by its trust-policy spelling (`lambda.amazonaws.com`).
    pub fn principal(&self, service_principal: &str) -> Option<&ServicePrincipal> {
        self.principals
            .iter()
            .find(|p| p.principal == service_principal)
    }

    /// A preset by id (`s3-read-objects`).
    pub fn preset(&self, id: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.id == id)
    }

    /// The presets of one service, in display order.
    pub fn presets_for<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Preset> + 'a {
        self.presets.iter().filter(move |p| p.service == prefix)
    }

    /// An OIDC preset by id (`github-ref`).
    pub fn oidc_preset(&self, id: &str) -> Option<&OidcPreset> {
        self.oidc_presets.iter().find(|p| p.id == id)
    }

    /// The hint for an ARN placeholder (`BucketName`), if any.
    pub fn placeholder_hint(&self, placeholder: &str) -> Option<&PlaceholderHint> {
        self.placeholder_hints.get(placeholder)
    }

    /// A global condition key by name. Keys with a `${TagKey}` part match any tag key
    /// (`aws:ResourceTag/team` finds `aws:ResourceTag/${TagKey}`). Case-insensitive, as IAM is
    /// for condition key names.
    pub fn global_condition(&self, name: &str) -> Option<&ConditionKey> {
        self.global_conditions
            .iter()
            .find(|key| global_key_matches(&key.name, name))
    }
}

/// An AWS managed policy's ARN (`arn:aws:iam::aws:policy/...`) in another partition.
pub fn arn_in_partition(arn: &str, partition: &str) -> String {
    match arn.strip_prefix("arn:aws:") {
        Some(rest) => format!("arn:{partition}:{rest}"),
        None => arn.to_string(),
    }
}

/// One service's curation laid over its facts (see [`Curated::apply_to`]).
fn apply_service_curation(curation: &ServiceCuration, service: &mut Service) {
    service.name.clone_from(&curation.name);
    for (name, action_curation) in &curation.actions {
        if let Some(action) = service.actions.get_mut(name) {
            action.summary.clone_from(&action_curation.summary);
            action.featured = action_curation.featured;
            action.risks.clone_from(&action_curation.risks);
        }
    }
}

/// Whether the global key `key` (maybe with a `${TagKey}` part) names `name`, ignoring case.
fn global_key_matches(key: &str, name: &str) -> bool {
    match key.split_once("${") {
        Some((stem, _)) => {
            name.len() > stem.len()
                && name
                    .get(..stem.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(stem))
        }
        None => key.eq_ignore_ascii_case(name),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetsFile {
    preset: Vec<Preset>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrincipalsFile {
    principal: Vec<ServicePrincipal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OidcFile {
    oidc: Vec<OidcPreset>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManagedPoliciesFile {
    policy: Vec<RawManagedPolicy>,
}

/// A managed policy as written in the asset: the document is JSON text, since that is how
/// people read and copy IAM policies.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManagedPolicy {
    name: String,
    arn: String,
    description: String,
    risk: ManagedPolicyRisk,
    /// A strict subset of AWS's document, instead of AWS's own (then `abbreviated`).
    #[serde(default)]
    abbreviated: bool,
    #[serde(default)]
    document: Option<String>,
}

/// The parts of `aws iam get-policy-version` output the curated layer keeps.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersionFile {
    policy_version: PolicyVersion,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersion {
    document: serde_json::Value,
    version_id: String,
    create_date: String,
}

/// AWS's published document of a curated managed policy, with its version.
pub fn aws_published(name: &str) -> Result<(serde_json::Value, String, String), String> {
    let text = managed_documents::aws_document(name)
        .ok_or_else(|| format!("policy {name}: no AWS document in managed/{name}.json"))?;
    let file: PolicyVersionFile = serde_json::from_str(text)
        .map_err(|e| format!("managed/{name}.json is not get-policy-version output: {e}"))?;
    let v = file.policy_version;
    Ok((v.document, v.version_id, v.create_date))
}

impl RawManagedPolicy {
    fn to_policy(&self) -> Result<ManagedPolicy, String> {
        let (document, version_id, version_date) = match (&self.document, self.abbreviated) {
            (Some(text), true) => (
                serde_json::from_str(text)
                    .map_err(|e| format!("policy {}: document is not JSON: {e}", self.name))?,
                None,
                None,
            ),
            (Some(_), false) => {
                return Err(format!(
                    "policy {}: a document written here must be marked abbreviated (AWS's own is in managed/)",
                    self.name
                ));
            }
            (None, _) => {
                let (doc, v, d) = aws_published(&self.name)?;
                (doc, Some(v), Some(d))
            }
        };
        Ok(ManagedPolicy {
            name: self.name.clone(),
            arn: self.arn.clone(),
            description: self.description.clone(),
            risk: self.risk,
            document,
            abbreviated: self.abbreviated && self.document.is_some(),
            version_id,
            version_date,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionKeysFile {
    global: Vec<GlobalKey>,
    trust: Vec<TrustConditionKey>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlobalKey {
    name: String,
    types: Vec<ConditionType>,
    help: String,
}

#[cfg(test)]
mod tests;
