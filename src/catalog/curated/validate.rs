//! Invariants of the curated data that TOML's types cannot express (unique ids, ARN shapes,
//! templates that only use known names). The unit tests require an empty list; a facilitator
//! who edits the assets can run `cargo test --lib catalog::curated` to check their work.

use std::collections::HashSet;

use super::{Curated, ManagedPolicyRisk, oidc};
use crate::catalog::EMBEDDED_SERVICES;

/// Managed policy ARNs all start with this (AWS-owned policies in the `aws` partition).
pub const MANAGED_POLICY_ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// Every broken invariant of `curated`, one sentence each; empty when all is well.
pub fn problems(curated: &Curated) -> Vec<String> {
    let mut problems = Vec::new();
    check_services(curated, &mut problems);
    check_presets(curated, &mut problems);
    check_principals(curated, &mut problems);
    check_oidc(curated, &mut problems);
    check_managed_policies(curated, &mut problems);
    check_conditions(curated, &mut problems);
    check_placeholders(curated, &mut problems);
    problems
}

/// Pushes a problem for each value seen twice.
fn check_unique<'a>(what: &str, values: impl Iterator<Item = &'a str>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for value in values {
        if !seen.insert(value) {
            problems.push(format!("{what} `{value}` appears twice"));
        }
    }
}

fn is_action_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_services(curated: &Curated, problems: &mut Vec<String>) {
    for prefix in EMBEDDED_SERVICES {
        if curated.service_name(prefix).is_none() {
            problems.push(format!(
                "service `{prefix}` of guide §11 has no display name"
            ));
        }
    }
    for (prefix, service) in &curated.services {
        if service.name.trim().is_empty() {
            problems.push(format!("service `{prefix}` has an empty name"));
        }
        for (name, action) in &service.actions {
            if !is_action_name(name) {
                problems.push(format!("`{prefix}:{name}` is not an action name"));
            }
            if action
                .summary
                .as_deref()
                .is_some_and(|s| s.trim().is_empty())
            {
                problems.push(format!("`{prefix}:{name}` has an empty summary"));
            }
            if action.summary.is_none() && action.risks.is_empty() {
                problems.push(format!("`{prefix}:{name}` has neither summary nor risk"));
            }
            if action.featured && action.summary.is_none() {
                problems.push(format!("`{prefix}:{name}` is featured but has no summary"));
            }
        }
    }
}

fn check_presets(curated: &Curated, problems: &mut Vec<String>) {
    check_unique(
        "preset id",
        curated.presets.iter().map(|p| p.id.as_str()),
        problems,
    );
    for preset in &curated.presets {
        let id = &preset.id;
        if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(format!("preset id `{id}` is not kebab-case"));
        }
        if !curated.services.contains_key(&preset.service) {
            problems.push(format!(
                "preset `{id}`: service `{}` is not curated",
                preset.service
            ));
        }
        if preset.actions.is_empty() {
            problems.push(format!("preset `{id}` has no actions"));
        }
        for action in &preset.actions {
            if !is_action_name(action) {
                problems.push(format!(
                    "preset `{id}`: `{action}` is not an action name of `{}` (write it without prefix, no wildcard)",
                    preset.service
                ));
            }
        }
        check_unique(
            &format!("preset `{id}`: action"),
            preset.actions.iter().map(String::as_str),
            problems,
        );
        check_unique(
            &format!("preset `{id}`: resource type"),
            preset.resource_types.iter().map(String::as_str),
            problems,
        );
        if preset.title.trim().is_empty() || preset.description.trim().is_empty() {
            problems.push(format!("preset `{id}` needs a title and a description"));
        }
    }
}

fn check_principals(curated: &Curated, problems: &mut Vec<String>) {
    check_unique(
        "principal",
        curated.principals.iter().map(|p| p.principal.as_str()),
        problems,
    );
    for principal in &curated.principals {
        if !principal.principal.ends_with(".amazonaws.com") {
            problems.push(format!(
                "principal `{}` does not end in .amazonaws.com",
                principal.principal
            ));
        }
        if principal.service.is_empty() || principal.name.is_empty() || principal.note.is_empty() {
            problems.push(format!(
                "principal `{}` needs a service, a name and a note",
                principal.principal
            ));
        }
    }
}

fn check_oidc(curated: &Curated, problems: &mut Vec<String>) {
    check_unique(
        "OIDC preset id",
        curated.oidc_presets.iter().map(|p| p.id.as_str()),
        problems,
    );
    for preset in &curated.oidc_presets {
        check_unique(
            &format!("OIDC preset `{}`: field", preset.id),
            preset.fields.iter().map(|f| f.name.as_str()),
            problems,
        );
        let known: HashSet<&str> = preset.known_names().collect();
        for template in preset.templates() {
            for name in oidc::placeholders(template) {
                if !known.contains(name) {
                    problems.push(format!(
                        "OIDC preset `{}`: `${{{name}}}` in `{template}` is not a field",
                        preset.id
                    ));
                }
            }
        }
        if !preset.conditions.iter().any(|c| c.key.ends_with(":sub"))
            && !preset.conditions.iter().any(|c| c.key.ends_with(":aud"))
        {
            problems.push(format!(
                "OIDC preset `{}` restricts neither sub nor aud",
                preset.id
            ));
        }
    }
}

fn check_managed_policies(curated: &Curated, problems: &mut Vec<String>) {
    check_unique(
        "managed policy name",
        curated.managed_policies.iter().map(|p| p.name.as_str()),
        problems,
    );
    check_unique(
        "managed policy ARN",
        curated.managed_policies.iter().map(|p| p.arn.as_str()),
        problems,
    );
    for policy in &curated.managed_policies {
        let name = &policy.name;
        if !policy.arn.starts_with(MANAGED_POLICY_ARN_PREFIX) {
            problems.push(format!(
                "managed policy `{name}`: ARN does not start with {MANAGED_POLICY_ARN_PREFIX}"
            ));
        }
        if !policy.arn.ends_with(&format!("/{name}")) {
            problems.push(format!(
                "managed policy `{name}`: ARN does not end in its name"
            ));
        }
        let broad_by_name = name.contains("FullAccess")
            || name == "AdministratorAccess"
            || name == "PowerUserAccess";
        if broad_by_name && !policy.risk.is_broad() {
            problems.push(format!(
                "managed policy `{name}` must be rated broad or admin"
            ));
        }
        if policy.risk == ManagedPolicyRisk::Fine && policy.abbreviated {
            problems.push(format!(
                "managed policy `{name}` is rated fine but its document is abbreviated: state it in full"
            ));
        }
        let document = &policy.document;
        if document.get("Version").and_then(|v| v.as_str()) != Some("2012-10-17") {
            problems.push(format!(
                "managed policy `{name}`: Version is not 2012-10-17"
            ));
        }
        match document.get("Statement").and_then(|s| s.as_array()) {
            Some(statements) if !statements.is_empty() => {
                for statement in statements {
                    let has_effect = statement
                        .get("Effect")
                        .and_then(|e| e.as_str())
                        .is_some_and(|e| e == "Allow" || e == "Deny");
                    let has_action =
                        statement.get("Action").is_some() || statement.get("NotAction").is_some();
                    let has_resource = statement.get("Resource").is_some()
                        || statement.get("NotResource").is_some();
                    if !(has_effect && has_action && has_resource) {
                        problems.push(format!(
                            "managed policy `{name}`: a statement lacks Effect, Action or Resource"
                        ));
                    }
                }
            }
            _ => problems.push(format!("managed policy `{name}`: no statements")),
        }
    }
}

fn check_conditions(curated: &Curated, problems: &mut Vec<String>) {
    check_unique(
        "global condition key",
        curated.global_conditions.iter().map(|k| k.name.as_str()),
        problems,
    );
    for key in &curated.global_conditions {
        if !key.name.starts_with("aws:") {
            problems.push(format!("global condition key `{}` lacks aws:", key.name));
        }
        if key.types.is_empty() {
            problems.push(format!("global condition key `{}` has no type", key.name));
        }
        if curated
            .condition_help
            .get(&key.name)
            .is_none_or(|h| h.trim().is_empty())
        {
            problems.push(format!("global condition key `{}` has no help", key.name));
        }
    }
    check_unique(
        "trust condition key",
        curated.trust_conditions.iter().map(|k| k.pattern.as_str()),
        problems,
    );
}

fn check_placeholders(curated: &Curated, problems: &mut Vec<String>) {
    for (name, hint) in &curated.placeholder_hints {
        if hint.example.trim().is_empty() || hint.help.trim().is_empty() {
            problems.push(format!("placeholder `{name}` needs an example and a help"));
        }
    }
}
