//! `render --format cloudformation`: a template with one `AWS::IAM::Role` and its ARN as an
//! output, in YAML (the default, what people read and review) or JSON, plus what the role
//! file creates around it: `AWS::IAM::ManagedPolicy` per created policy,
//! `AWS::IAM::InstanceProfile`, `AWS::IAM::OIDCProvider` (without `ThumbprintList`, which
//! CloudFormation no longer requires).
//!
//! The role's properties are exactly `render --format json`, so the two never drift apart;
//! only the ARNs of policies the template creates become `Ref`s to them.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::yaml;
use crate::role::GITHUB_OIDC_HOST;
use crate::role::RoleDocuments;

/// The template format version CloudFormation knows (the only one there is).
const FORMAT_VERSION: &str = "2010-09-09";

/// The template as YAML, with the `!GetAtt` short form for the outputs.
pub fn to_cloudformation_yaml(docs: &RoleDocuments) -> String {
    let template = Template::new(docs);
    let mut out = String::new();
    out.push_str(&format!(
        "AWSTemplateFormatVersion: {}\n",
        yaml::scalar_string(FORMAT_VERSION)
    ));
    out.push_str(&format!(
        "Description: {}\n",
        yaml::scalar_string(&template_description(docs))
    ));
    out.push_str("Resources:\n");
    yaml::write_mapping(&mut out, &template.resources, 2);
    out.push_str("Outputs:\n");
    for (name, description, id) in &template.outputs {
        out.push_str(&format!("  {name}:\n"));
        out.push_str(&format!(
            "    Description: {}\n",
            yaml::scalar_string(description)
        ));
        // Logical ids are alphanumeric, so they need no quoting.
        out.push_str(&format!("    Value: !GetAtt {id}.Arn\n"));
    }
    out
}

/// The template as JSON (two-space indent), with `Fn::GetAtt` for the outputs.
pub fn to_cloudformation_json(docs: &RoleDocuments) -> String {
    let template = Template::new(docs);
    let mut outputs = Map::new();
    for (name, description, id) in &template.outputs {
        outputs.insert(
            name.to_string(),
            json!({
                "Description": description,
                "Value": { "Fn::GetAtt": [id, "Arn"] }
            }),
        );
    }
    let template = json!({
        "AWSTemplateFormatVersion": FORMAT_VERSION,
        "Description": template_description(docs),
        "Resources": template.resources,
        "Outputs": outputs,
    });
    let mut out =
        escape_invisible_line_breaks(&serde_json::to_string_pretty(&template).unwrap_or_default());
    out.push('\n');
    out
}

/// The resources and outputs of the template, shared by both forms.
struct Template {
    resources: Map<String, Value>,
    /// (output name, description, logical id whose `Arn` it gives).
    outputs: Vec<(&'static str, String, String)>,
}

impl Template {
    fn new(docs: &RoleDocuments) -> Self {
        let mut ids = UniqueIds::default();
        let role_id = ids.claim(logical_id(&docs.role_name));
        let mut resources = Map::new();

        let mut provider_ids = Vec::new();
        for provider in &docs.oidc_providers {
            let host = provider.url.trim_start_matches("https://");
            let name = if host == GITHUB_OIDC_HOST {
                "github"
            } else {
                host
            };
            let id = ids.claim(resource_id(name, "OidcProvider"));
            resources.insert(
                id.clone(),
                json!({
                    "Type": "AWS::IAM::OIDCProvider",
                    "Properties": { "Url": provider.url, "ClientIdList": provider.client_ids }
                }),
            );
            provider_ids.push(id);
        }

        // Created policies: the role refers to them with `Ref` (which gives their ARN).
        let mut refs: Vec<(String, String)> = Vec::new();
        for (policy, created) in docs.created_policies() {
            let id = ids.claim(resource_id(&policy.name, "Policy"));
            let mut properties = Map::new();
            properties.insert("ManagedPolicyName".into(), json!(policy.name));
            if let Some(d) = &created.description {
                properties.insert("Description".into(), json!(d));
            }
            if let Some(p) = &created.path {
                properties.insert("Path".into(), json!(p));
            }
            properties.insert(
                "PolicyDocument".into(),
                serde_json::to_value(&policy.document).unwrap_or(Value::Null),
            );
            resources.insert(
                id.clone(),
                json!({ "Type": "AWS::IAM::ManagedPolicy", "Properties": properties }),
            );
            refs.push((created.arn.clone(), id));
        }

        let mut properties = serde_json::to_value(docs).unwrap_or(Value::Null);
        let to_ref = |v: &mut Value| {
            if let Some((_, id)) = v
                .as_str()
                .and_then(|arn| refs.iter().find(|(a, _)| a == arn))
            {
                *v = json!({ "Ref": id });
            }
        };
        if let Some(arns) = properties
            .get_mut("ManagedPolicyArns")
            .and_then(Value::as_array_mut)
        {
            arns.iter_mut().for_each(to_ref);
        }
        if let Some(boundary) = properties.get_mut("PermissionsBoundary") {
            to_ref(boundary);
        }
        let mut role = json!({ "Type": "AWS::IAM::Role" });
        if !provider_ids.is_empty() {
            // IAM checks that a trust policy's OIDC provider exists when the role is created.
            role["DependsOn"] = json!(provider_ids);
        }
        role["Properties"] = properties;
        resources.insert(role_id.clone(), role);

        let mut outputs = vec![(
            "RoleArn",
            format!("ARN of IAM role {}", docs.role_name),
            role_id.clone(),
        )];
        if let Some(profile) = &docs.instance_profile {
            let id = ids.claim(resource_id(&profile.name, "InstanceProfile"));
            let mut properties = Map::new();
            properties.insert("InstanceProfileName".into(), json!(profile.name));
            if let Some(p) = &profile.path {
                properties.insert("Path".into(), json!(p));
            }
            properties.insert("Roles".into(), json!([{ "Ref": role_id }]));
            resources.insert(
                id.clone(),
                json!({ "Type": "AWS::IAM::InstanceProfile", "Properties": properties }),
            );
            outputs.push((
                "InstanceProfileArn",
                format!("ARN of instance profile {}", profile.name),
                id,
            ));
        }
        Template { resources, outputs }
    }
}

/// Hands out logical ids, suffixing `2`, `3`... when two names map to one.
#[derive(Default)]
struct UniqueIds(HashSet<String>);

impl UniqueIds {
    fn claim(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        candidate
    }
}

/// A logical id for a resource named `name`: its letters and digits in PascalCase, then
/// `suffix` (`orders-queue` + `Policy` → `OrdersQueuePolicy`).
fn resource_id(name: &str, suffix: &str) -> String {
    let mut id = pascal_case(name);
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert_str(0, suffix);
    } else if !id.ends_with(suffix) {
        id.push_str(suffix);
    }
    id
}

/// serde_json writes C1 controls (NEL U+0085 among them) and U+2028/U+2029 raw; some
/// readers (cfn-lint's JSON loader, line-based tools) take them for line breaks. In JSON
/// text they can only stand inside strings, so `\uXXXX` escapes keep the value exact.
fn escape_invisible_line_breaks(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The logical id of the role resource: the role name's letters and digits in PascalCase,
/// then `Role` (`string-reverser` → `StringReverserRole`; `Role` goes first when the name
/// starts with a digit). Logical ids must be alphanumeric.
pub fn logical_id(role_name: &str) -> String {
    resource_id(role_name, "Role")
}

fn pascal_case(name: &str) -> String {
    let mut id = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    id
}

fn template_description(docs: &RoleDocuments) -> String {
    format!("IAM role {}, generated by rolesmith", docs.role_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_role_yaml_template() {
        insta::assert_snapshot!(to_cloudformation_yaml(&crate::export::test_roles::seed()));
    }

    #[test]
    fn seed_role_json_template() {
        insta::assert_snapshot!(to_cloudformation_json(&crate::export::test_roles::seed()));
    }

    #[test]
    fn deployment_role_yaml_template() {
        insta::assert_snapshot!(to_cloudformation_yaml(
            &crate::export::test_roles::deployment()
        ));
    }

    #[test]
    fn deployment_role_json_template() {
        insta::assert_snapshot!(to_cloudformation_json(
            &crate::export::test_roles::deployment()
        ));
    }

    #[test]
    fn json_escapes_c1_controls_and_line_separators() {
        assert_eq!(
            escape_invisible_line_breaks("\"a\u{85}b\u{2028}c\u{7f}é\""),
            r#""a\u0085b\u2028c\u007fé""#
        );
    }

    #[test]
    fn logical_ids_are_alphanumeric_and_start_with_a_letter() {
        assert_eq!(logical_id("string-reverser"), "StringReverserRole");
        assert_eq!(logical_id("ci.deploy@prod"), "CiDeployProdRole");
        assert_eq!(logical_id("3d_render"), "Role3dRender");
        assert_eq!(logical_id("AppRole"), "AppRole");
        assert_eq!(logical_id("+=,"), "Role");
    }
}
