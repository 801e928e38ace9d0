//! OIDC trust presets as data: the fields a user fills in, and the conditions they produce.
//!
//! Each preset describes one way to trust an identity provider safely (GitHub Actions on one
//! branch, an EKS service account, ...). Templates use `${name}` for the preset's fields,
//! `${Account}` and `${Partition}` for the role's defaults, and `${provider}` for the filled-in
//! provider host. [`OidcPreset::render`] turns filled fields into the `Federated` principal and
//! the condition entries of a trust policy, so the role builder and the TUI share one rule set.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Template names every preset may use besides its own fields.
pub(crate) const BUILTIN_NAMES: &[&str] = &["Account", "Partition", "provider"];

/// One way to trust an OIDC identity provider, with what makes it safe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcPreset {
    /// Stable identifier (`github-ref`).
    pub id: String,
    /// Groups variants of one provider in the TUI (`github`).
    pub family: String,
    /// Title ("GitHub Actions: one branch or tag").
    pub name: String,
    /// When to pick this variant, in a sentence or two.
    pub description: String,
    /// Host of the provider; a template when it varies (`oidc.eks.${region}.amazonaws.com/id/${cluster_id}`).
    pub provider_host: String,
    /// The trust policy's `Principal.Federated` value, a template.
    pub federated: String,
    /// What the user fills in, in the order to ask for it.
    #[serde(default)]
    pub fields: Vec<OidcField>,
    /// The conditions the trust needs to be safe.
    pub conditions: Vec<OidcCondition>,
}

/// A value the user supplies for an OIDC preset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcField {
    /// Template name (`repo`).
    pub name: String,
    /// Label for the input ("Repository (OWNER/REPO)").
    pub label: String,
    pub example: String,
    /// Prefilled value, if one fits most uses.
    #[serde(default)]
    pub default: Option<String>,
    pub help: String,
    /// May contain `*`/`?`; a condition whose value then holds a wildcard becomes `StringLike`.
    /// Fields that identify *who* (a repository, a namespace) never allow wildcards.
    #[serde(default)]
    pub wildcards: bool,
}

/// A condition of an OIDC preset, before its templates are filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcCondition {
    /// Operator (`StringEquals`; upgraded to `StringLike` when the value holds a wildcard).
    pub operator: String,
    /// Key template (`${provider}:sub`).
    pub key: String,
    /// Value template (`repo:${repo}:ref:${ref}`).
    pub value: String,
    /// Why the condition is there.
    pub note: String,
}

/// The trust an OIDC preset produces once its fields are filled in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FilledOidcPreset {
    /// The provider host (`token.actions.githubusercontent.com`).
    pub provider: String,
    /// The `Principal.Federated` value.
    pub federated: String,
    /// Conditions, in the preset's order.
    pub conditions: Vec<TrustCondition>,
}

/// One filled-in condition entry: `"operator": {"key": "value"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrustCondition {
    pub operator: String,
    pub key: String,
    pub value: String,
}

impl OidcPreset {
    /// Fills the preset's templates. `values` holds the fields by name plus `Account` (needed
    /// when the principal is an IAM OIDC provider ARN) and optionally `Partition` (default
    /// `aws`); a field left out takes its default. Errors name the missing or bad field.
    pub fn render(&self, values: &IndexMap<String, String>) -> Result<FilledOidcPreset> {
        let origin = format!("OIDC preset {}", self.id);
        let invalid = |message: String| Error::Invalid {
            origin: origin.clone(),
            message,
        };
        let mut filled: IndexMap<&str, String> = IndexMap::new();
        filled.insert("Partition", "aws".to_owned());
        for (name, value) in values {
            filled.insert(name.as_str(), value.trim().to_owned());
        }
        for field in &self.fields {
            let value = match filled.get(field.name.as_str()) {
                Some(value) if !value.is_empty() => value.clone(),
                _ => field.default.clone().ok_or_else(|| {
                    invalid(format!(
                        "missing value for `{}` ({}), e.g. `{}`",
                        field.name, field.label, field.example
                    ))
                })?,
            };
            if !field.wildcards && value.contains(['*', '?']) {
                return Err(invalid(format!(
                    "`{}` may not contain wildcards (`{value}`): it would let any match assume the role",
                    field.name
                )));
            }
            filled.insert(field.name.as_str(), value);
        }
        let provider = fill(&self.provider_host, &filled).map_err(&invalid)?;
        filled.insert("provider", provider.clone());
        let federated = fill(&self.federated, &filled).map_err(&invalid)?;
        let conditions = self
            .conditions
            .iter()
            .map(|condition| {
                let value = fill(&condition.value, &filled)?;
                let operator = if condition.operator == "StringEquals" && value.contains(['*', '?'])
                {
                    "StringLike".to_owned()
                } else {
                    condition.operator.clone()
                };
                Ok(TrustCondition {
                    operator,
                    key: fill(&condition.key, &filled)?,
                    value,
                })
            })
            .collect::<std::result::Result<Vec<_>, String>>()
            .map_err(&invalid)?;
        Ok(FilledOidcPreset {
            provider,
            federated,
            conditions,
        })
    }

    /// The names every template of this preset may use.
    pub(crate) fn known_names(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(BUILTIN_NAMES.iter().copied())
    }

    /// All templates of the preset, for validation.
    pub(crate) fn templates(&self) -> impl Iterator<Item = &str> {
        [self.provider_host.as_str(), self.federated.as_str()]
            .into_iter()
            .chain(
                self.conditions
                    .iter()
                    .flat_map(|c| [c.key.as_str(), c.value.as_str()]),
            )
    }
}

/// The `${name}` placeholders of a template, in order.
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                names.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    names
}

/// Replaces each `${name}` with its value; an unknown name is an error naming it.
fn fill(template: &str, values: &IndexMap<&str, String>) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unterminated `${{` in `{template}`"))?;
        let name = &after[..end];
        let value = values
            .get(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("missing value for `{name}`"))?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
