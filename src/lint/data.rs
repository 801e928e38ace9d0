//! The lints' own data, kept as TOML assets so it can be reviewed and extended without
//! touching code: privilege escalation paths, sensitive read and credential actions,
//! and fallback facts (global condition key types, broad managed policies, ...).

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::catalog::ConditionType;
use crate::policy::arn::wildcard_match_ignore_case;

const ESCALATION: &str = include_str!("../../assets/lint/escalation.toml");
const SENSITIVE: &str = include_str!("../../assets/lint/sensitive.toml");
const FACTS: &str = include_str!("../../assets/lint/facts.toml");

/// A known privilege escalation path.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPath {
    pub name: String,
    pub summary: String,
    /// Every one of these must be allowed.
    pub all: Vec<String>,
    /// And at least one of these, when given.
    #[serde(default)]
    pub any: Vec<String>,
    /// The path acts on another principal: a grant on the caller alone does not complete it.
    #[serde(default)]
    pub other_principal: bool,
    /// The service principal a role passed on this path goes to (from the prefixes of its
    /// other actions), filled in when the data is loaded.
    #[serde(skip)]
    pub receiver: Option<&'static str>,
}

#[derive(Deserialize)]
struct EscalationFile {
    path: Vec<EscalationPath>,
}

#[derive(Deserialize)]
struct SensitiveFile {
    exfiltration: Vec<String>,
    credentials: Vec<String>,
}

#[derive(Deserialize)]
struct FactsFile {
    global_keys: IndexMap<String, Vec<String>>,
    broad_managed_policies: Vec<String>,
    logs_managed_policies: Vec<String>,
    source_sending_principals: Vec<String>,
}

/// All of it, parsed once per process.
#[derive(Debug, Default)]
pub struct LintData {
    pub escalation_paths: Vec<EscalationPath>,
    /// `service:Action` names as AWS spells them (matched ignoring case).
    pub exfiltration: Vec<String>,
    pub credentials: Vec<String>,
    /// Global keys (lower case) → types; names ending in `/` are prefixes.
    global_keys: Vec<(String, Vec<ConditionType>)>,
    broad_managed: Vec<String>,
    pub logs_managed_policies: Vec<String>,
    pub source_sending_principals: Vec<String>,
}

impl LintData {
    /// The embedded data. The assets are checked by tests, so a parse failure here is a
    /// build defect; it degrades to empty tables rather than panicking.
    pub fn get() -> &'static LintData {
        static DATA: OnceLock<LintData> = OnceLock::new();
        DATA.get_or_init(|| LintData::parse().unwrap_or_default())
    }

    fn parse() -> Result<LintData, toml::de::Error> {
        let esc: EscalationFile = toml::from_str(ESCALATION)?;
        let sens: SensitiveFile = toml::from_str(SENSITIVE)?;
        let facts: FactsFile = toml::from_str(FACTS)?;
        let mut paths = esc.path;
        for p in &mut paths {
            p.receiver = p
                .all
                .iter()
                .chain(&p.any)
                .filter_map(|a| a.split_once(':'))
                .find_map(|(prefix, _)| super::resources::principal_for_prefix(prefix));
        }
        Ok(LintData {
            escalation_paths: paths,
            exfiltration: sens.exfiltration,
            credentials: sens.credentials,
            global_keys: facts
                .global_keys
                .into_iter()
                .map(|(k, types)| {
                    (
                        k.to_ascii_lowercase(),
                        types.iter().filter_map(|t| t.parse().ok()).collect(),
                    )
                })
                .collect(),
            broad_managed: facts.broad_managed_policies,
            logs_managed_policies: facts.logs_managed_policies,
            source_sending_principals: facts.source_sending_principals,
        })
    }

    /// Types of a global `aws:` key from our table.
    pub fn global_key_types(&self, key: &str) -> Option<Vec<ConditionType>> {
        let key = key.to_ascii_lowercase();
        self.global_keys
            .iter()
            .find(|(k, _)| {
                if k.ends_with('/') {
                    key.starts_with(k.as_str()) && key.len() > k.len()
                } else {
                    *k == key
                }
            })
            .map(|(_, t)| t.clone())
    }

    /// Is the global key one we know (used to report misspelt `aws:` keys)?
    pub fn is_known_global_key(&self, key: &str) -> bool {
        self.global_key_types(key).is_some()
    }

    /// Broad by name: our list, or any `*FullAccess`.
    pub fn is_broad_managed_policy(&self, name: &str) -> bool {
        self.broad_managed.iter().any(|b| b == name)
            || wildcard_match_ignore_case("*FullAccess", name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn assets_parse_and_hold_the_classic_paths() {
        let data = LintData::parse().expect("lint assets must parse");
        assert!(data.escalation_paths.len() >= 21 + 4);
        let names: HashSet<&str> = data
            .escalation_paths
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names.len(),
            data.escalation_paths.len(),
            "path names are unique"
        );
        for p in &data.escalation_paths {
            for a in p.all.iter().chain(&p.any) {
                assert!(a.split_once(':').is_some(), "{a}");
            }
        }
        assert!(
            data.exfiltration
                .iter()
                .any(|a| a == "secretsmanager:GetSecretValue")
        );
        assert!(
            data.credentials
                .iter()
                .any(|a| a == "ecr:GetAuthorizationToken")
        );
        assert_eq!(
            data.global_key_types("aws:SourceIp"),
            Some(vec![ConditionType::IpAddress])
        );
        assert_eq!(
            data.global_key_types("aws:PrincipalTag/team"),
            Some(vec![ConditionType::String])
        );
        assert!(data.is_broad_managed_policy("AmazonS3FullAccess"));
        assert!(!data.is_broad_managed_policy("AmazonS3ReadOnlyAccess"));
    }
}
