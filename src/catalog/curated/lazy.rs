//! The curated layer a piece at a time, for the paths that run once per process.
//!
//! [`super::curated`] parses every asset (TOML and the managed policies' JSON documents), which
//! costs more than decoding the services a one-file lint needs. The catalog and the lints ask
//! here instead: one service's curation parsed from its own part of `services.toml`, the
//! condition keys from `condition_keys.toml` alone, a principal from `principals.toml` alone,
//! one managed policy with only its own document. Each is parsed once, on first use; the unit
//! tests prove every piece equals the whole parse.

use std::sync::OnceLock;

use indexmap::IndexMap;

use super::{
    ConditionKeysFile, ManagedPoliciesFile, ManagedPolicy, PrincipalsFile, RawManagedPolicy,
    ServiceCuration, ServicePrincipal, asset,
};
use crate::catalog::model::{ConditionKey, Service};

/// `services.toml` cut at its service tables: prefix → (that service's TOML text, parsed).
type Chunks = IndexMap<&'static str, (&'static str, OnceLock<Option<ServiceCuration>>)>;

fn service_chunks() -> &'static Chunks {
    static CHUNKS: OnceLock<Chunks> = OnceLock::new();
    CHUNKS.get_or_init(|| split_service_tables(asset("services.toml")))
}

/// Cuts a TOML text of `[prefix]`/`[prefix.actions]` tables into one text per prefix (each
/// from the service's first table header to the next service's); text before the first
/// table (comments) belongs to none.
pub(super) fn split_service_tables(text: &'static str) -> Chunks {
    let mut chunks = Chunks::default();
    let mut current: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let prefix = line
            .strip_prefix('[')
            .and_then(|rest| rest.split(['.', ']']).next())
            .filter(|p| !p.is_empty() && !p.starts_with(['[', '"', '\'']));
        if let Some(prefix) = prefix
            && current.is_none_or(|(p, _)| p != prefix)
        {
            if let Some((p, start)) = current {
                chunks.insert(p, (&text[start..offset], OnceLock::new()));
            }
            current = Some((prefix, offset));
        }
        offset += line.len();
    }
    if let Some((p, start)) = current {
        chunks.insert(p, (&text[start..], OnceLock::new()));
    }
    chunks
}

/// The curation of one service (`s3`), parsed from its own tables only.
pub fn service_curation(prefix: &str) -> Option<&'static ServiceCuration> {
    let (text, parsed) = service_chunks().get(prefix)?;
    parsed
        .get_or_init(|| {
            let mut one: IndexMap<String, ServiceCuration> = toml::from_str(text).ok()?;
            one.swap_remove(prefix)
        })
        .as_ref()
        // A part that does not parse alone (the unit tests rule that out): the whole file.
        .or_else(|| super::curated().services.get(prefix))
}

/// Lays the curation of `service`'s own prefix over it (display name, summaries, featured
/// flags, risk tags), as [`super::Curated::apply_to`] does for a whole map.
pub fn curate_service(service: &mut Service) {
    if let Some(curation) = service_curation(&service.prefix) {
        super::apply_service_curation(curation, service);
    }
}

fn condition_keys() -> &'static ConditionKeysFile {
    static FILE: OnceLock<ConditionKeysFile> = OnceLock::new();
    FILE.get_or_init(|| {
        toml::from_str(asset("condition_keys.toml"))
            .unwrap_or_else(|e| panic!("bug: embedded condition_keys.toml is malformed: {e}"))
    })
}

/// The global condition keys (`aws:...`) keyed by name, as the catalog stores them.
pub fn global_condition_map() -> IndexMap<String, ConditionKey> {
    condition_keys()
        .global
        .iter()
        .map(|k| {
            let key = ConditionKey {
                name: k.name.clone(),
                types: k.types.clone(),
            };
            (k.name.clone(), key)
        })
        .collect()
}

/// A global condition key by name, as [`super::Curated::global_condition`] finds it.
pub fn global_condition(name: &str) -> Option<ConditionKey> {
    condition_keys()
        .global
        .iter()
        .find(|key| super::global_key_matches(&key.name, name))
        .map(|k| ConditionKey {
            name: k.name.clone(),
            types: k.types.clone(),
        })
}

/// A service principal by its trust-policy spelling, from `principals.toml` alone.
pub fn principal(service_principal: &str) -> Option<&'static ServicePrincipal> {
    static FILE: OnceLock<PrincipalsFile> = OnceLock::new();
    FILE.get_or_init(|| {
        toml::from_str(asset("principals.toml"))
            .unwrap_or_else(|e| panic!("bug: embedded principals.toml is malformed: {e}"))
    })
    .principal
    .iter()
    .find(|p| p.principal == service_principal)
}

type Policies = Vec<(RawManagedPolicy, OnceLock<Option<ManagedPolicy>>)>;

/// `managed_policies.toml` parsed, each policy's document still unread.
fn raw_policies() -> &'static Policies {
    static POLICIES: OnceLock<Policies> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let file: ManagedPoliciesFile = toml::from_str(asset("managed_policies.toml"))
            .unwrap_or_else(|e| panic!("bug: embedded managed_policies.toml is malformed: {e}"));
        file.policy
            .into_iter()
            .map(|p| (p, OnceLock::new()))
            .collect()
    })
}

/// The exact ARN (`arn:aws:...`, with its path) of a curated managed policy by its
/// case-sensitive name, reading no document.
pub fn managed_policy_arn(name: &str) -> Option<&'static str> {
    raw_policies()
        .iter()
        .find(|(p, _)| p.name == name)
        .map(|(p, _)| p.arn.as_str())
}

/// A managed policy by its case-sensitive name or full ARN, with only its own document parsed.
pub fn managed_policy(name_or_arn: &str) -> Option<&'static ManagedPolicy> {
    let by_arn = name_or_arn.starts_with("arn:");
    let (raw, parsed) = raw_policies().iter().find(|(p, _)| {
        if by_arn {
            p.arn == name_or_arn
        } else {
            p.name == name_or_arn
        }
    })?;
    parsed.get_or_init(|| raw.to_policy().ok()).as_ref()
}

/// [`service_curation`] without the cache: cuts `services.toml` and parses one part (for
/// benchmarks).
#[doc(hidden)]
pub fn parse_service_curation_afresh(prefix: &str) -> Option<ServiceCuration> {
    let chunks = split_service_tables(asset("services.toml"));
    let (text, _) = chunks.get(prefix)?;
    let mut one: IndexMap<String, ServiceCuration> = toml::from_str(text).ok()?;
    one.swap_remove(prefix)
}
