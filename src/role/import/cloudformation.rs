//! CloudFormation templates (JSON, or YAML through [`super::super::yaml`]): the one reader of
//! their IAM resources.
//!
//! - The TUI's open takes exactly one `AWS::IAM::Role` and refuses intrinsic functions by
//!   name: it edits literal values ([`one_role`]).
//! - `lint` reads every `AWS::IAM::Role` with the policies attached to it in the template
//!   (`AWS::IAM::Policy`, `AWS::IAM::RolePolicy`), and every other policy document of the
//!   template (managed policies, bucket/queue/topic/key policies) on its own
//!   ([`all_documents`]). Intrinsic functions become placeholders: `!Sub
//!   arn:${AWS::Partition}:s3:::${Bucket}/*` reads as that text, `!GetAtt Queue.Arn` as
//!   `${Queue.Arn}`, `!Ref AWS::AccountId` as `${AWS::AccountId}`; the lints treat a `${…}`
//!   as "some value" (it may stand for any text, like `*`, and is never reported as malformed).

use serde_json::{Map, Value};

use crate::error::Result;
use crate::role::RoleSpec;

use super::{At, from_role_properties};

/// The IAM resources of a template, as `lint` sees them.
#[derive(Clone, Debug, Default)]
pub struct TemplateDocuments {
    pub roles: Vec<TemplateRole>,
    /// Policy documents that are not part of a role of the template.
    pub policies: Vec<TemplatePolicy>,
}

/// An `AWS::IAM::Role` with the template policies attached to it.
#[derive(Clone, Debug)]
pub struct TemplateRole {
    pub logical_id: String,
    pub spec: RoleSpec,
    pub pointers: RolePointers,
}

/// How a template or API document uses a policy document: which quotas and rules fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentUse {
    /// Standing on its own (a policy file): the reader decides from its shape.
    Unknown,
    /// A managed policy (`AWS::IAM::ManagedPolicy`, `get-policy-version`).
    Managed,
    /// An inline policy of a role, user or group (sized with its siblings).
    Inline,
    /// A resource-based policy (bucket, queue, topic, key).
    Resource,
}

/// A policy document of a template that is not part of one of its roles.
#[derive(Clone, Debug)]
pub struct TemplatePolicy {
    pub logical_id: String,
    /// The document, intrinsic functions read as placeholders.
    pub value: Value,
    /// Where the document is in the template.
    pub pointer: String,
    pub use_: DocumentUse,
}

/// Where the parts of an imported role are in the text it came from, so findings on the
/// role (which point into the role as `render --format json` prints it) point at the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolePointers {
    /// The pointer of the role's properties (`/Role`, `/Resources/AppRole/Properties`, ``).
    pub base: String,
    /// For each inline policy of the role: the pointer of its `PolicyDocument`.
    pub policies: Vec<String>,
    /// For each managed policy ARN of the role: its index in the text's `ManagedPolicyArns`.
    pub managed: Vec<usize>,
}

impl RolePointers {
    /// Pointers of a role read from properties at `base` with nothing left out.
    pub fn at(base: &str, spec: &RoleSpec) -> RolePointers {
        RolePointers {
            base: base.to_string(),
            policies: (0..spec.policies.len())
                .map(|i| format!("{base}/Policies/{i}/PolicyDocument"))
                .collect(),
            managed: (0..spec.managed_policies.len()).collect(),
        }
    }

    /// The pointer in the text of a pointer into the rendered role.
    pub fn to_text(&self, pointer: &str) -> String {
        let index_and_rest = |prefix: &str| -> Option<(usize, &str)> {
            let rest = pointer.strip_prefix(prefix)?;
            let end = rest.find('/').unwrap_or(rest.len());
            Some((rest[..end].parse().ok()?, &rest[end..]))
        };
        if let Some((i, rest)) = index_and_rest("/Policies/")
            && let Some(doc) = rest.strip_prefix("/PolicyDocument")
            && let Some(base) = self.policies.get(i)
        {
            return format!("{base}{doc}");
        }
        if let Some((i, rest)) = index_and_rest("/ManagedPolicyArns/")
            && let Some(j) = self.managed.get(i)
        {
            return format!("{}/ManagedPolicyArns/{j}{rest}", self.base);
        }
        format!("{}{pointer}", self.base)
    }
}

/// Whether a JSON value is a CloudFormation intrinsic function (`{"Ref": ..}`, `{"Fn::Sub": ..}`).
pub(super) fn intrinsic_name(v: &Value) -> Option<&str> {
    let Value::Object(m) = v else { return None };
    if m.len() != 1 {
        return None;
    }
    let key = m.keys().next()?;
    (key == "Ref" || key.starts_with("Fn::") || key == "Condition").then_some(key.as_str())
}

fn resources<'v>(value: &'v Value, at: &At) -> Result<&'v Map<String, Value>> {
    value
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| at("", "the template has no Resources".into()))
}

fn resource_type(r: &Value) -> Option<&str> {
    r.get("Type").and_then(Value::as_str)
}

/// The role of a template with exactly one `AWS::IAM::Role` resource (for the TUI).
pub(super) fn one_role(value: &Value, at: &At) -> Result<(RoleSpec, Vec<String>)> {
    let resources = resources(value, at)?;
    let roles: Vec<(&String, &Value)> = resources
        .iter()
        .filter(|(_, r)| resource_type(r) == Some("AWS::IAM::Role"))
        .collect();
    let (logical_id, resource) = match roles.as_slice() {
        [one] => *one,
        [] => {
            return Err(at(
                "/Resources",
                "the template has no AWS::IAM::Role resource".into(),
            ));
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|(id, _)| id.as_str()).collect();
            return Err(at(
                "/Resources",
                format!(
                    "the template has {} roles ({}); open a template with one",
                    many.len(),
                    ids.join(", ")
                ),
            ));
        }
    };
    let base = format!("/Resources/{logical_id}/Properties");
    let empty = Map::new();
    let props = resource
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let (spec, mut notes) = from_role_properties(props, &base, Some(logical_id), at)?;
    let others = resources.len() - 1;
    if others > 0 {
        notes.push(format!(
            "{others} other resource(s) of the template were not imported"
        ));
    }
    Ok((spec, notes))
}

/// The resource types whose policy document `lint` checks on its own, with the property
/// that holds it.
const POLICY_RESOURCES: &[(&str, &str, DocumentUse)] = &[
    (
        "AWS::IAM::ManagedPolicy",
        "PolicyDocument",
        DocumentUse::Managed,
    ),
    ("AWS::IAM::Policy", "PolicyDocument", DocumentUse::Inline),
    (
        "AWS::IAM::RolePolicy",
        "PolicyDocument",
        DocumentUse::Inline,
    ),
    (
        "AWS::IAM::UserPolicy",
        "PolicyDocument",
        DocumentUse::Inline,
    ),
    (
        "AWS::IAM::GroupPolicy",
        "PolicyDocument",
        DocumentUse::Inline,
    ),
    (
        "AWS::S3::BucketPolicy",
        "PolicyDocument",
        DocumentUse::Resource,
    ),
    (
        "AWS::SQS::QueuePolicy",
        "PolicyDocument",
        DocumentUse::Resource,
    ),
    (
        "AWS::SNS::TopicPolicy",
        "PolicyDocument",
        DocumentUse::Resource,
    ),
    ("AWS::KMS::Key", "KeyPolicy", DocumentUse::Resource),
];

/// Every role of the template (with the template's policies attached to it) and every
/// other policy document, intrinsic functions read as placeholders (for `lint`).
pub(super) fn all_documents(value: &Value, at: &At) -> Result<TemplateDocuments> {
    let resources = resources(value, at)?;
    let mut out = TemplateDocuments::default();
    for (id, r) in resources {
        if resource_type(r) != Some("AWS::IAM::Role") {
            continue;
        }
        let base = format!("/Resources/{id}/Properties");
        let props = match r.get("Properties").map(placeholders) {
            Some(Some(Value::Object(p))) => p,
            _ => Map::new(),
        };
        let (props, managed) = literal_role_properties(props);
        let (spec, _notes) = from_role_properties(&props, &base, Some(id), at)?;
        let mut pointers = RolePointers::at(&base, &spec);
        pointers.managed = managed;
        out.roles.push(TemplateRole {
            logical_id: id.clone(),
            spec,
            pointers,
        });
    }
    for (id, r) in resources {
        let Some(&(_, key, use_)) = POLICY_RESOURCES
            .iter()
            .find(|(t, _, _)| Some(*t) == resource_type(r))
        else {
            continue;
        };
        let Some(Value::Object(props)) = r.get("Properties").and_then(placeholders) else {
            continue;
        };
        let Some(doc) = props.get(key) else { continue };
        let pointer = format!("/Resources/{id}/Properties/{key}");
        // A policy attached to roles of this template is linted as part of them.
        let attached: Vec<usize> = if use_ == DocumentUse::Inline {
            role_references(&props)
                .iter()
                .filter_map(|name| out.roles.iter().position(|t| &t.logical_id == name))
                .collect()
        } else {
            Vec::new()
        };
        if attached.is_empty() {
            out.policies.push(TemplatePolicy {
                logical_id: id.clone(),
                value: doc.clone(),
                pointer,
                use_,
            });
            continue;
        }
        let document = super::document_from_value(doc, &pointer, key, at)?;
        for i in attached {
            let role = &mut out.roles[i];
            let taken = |n: &str| role.spec.policies.iter().any(|p| p.name == n);
            let mut name = props
                .get("PolicyName")
                .and_then(Value::as_str)
                .filter(|n| crate::role::is_valid_policy_name(n))
                .unwrap_or(id)
                .to_string();
            while taken(&name) {
                name.push_str("-2");
            }
            let policy = super::inline_policy_from_document(&name, &document, &pointer, at)?;
            role.spec.policies.push(policy);
            role.pointers.policies.push(pointer.clone());
        }
    }
    Ok(out)
}

/// The template roles a policy resource names (`Roles: [!Ref AppRole]`, `RoleName: !Ref
/// AppRole`), as the logical ids the placeholders carry.
fn role_references(props: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<&Value> = Vec::new();
    if let Some(Value::Array(roles)) = props.get("Roles") {
        names.extend(roles);
    }
    if let Some(role) = props.get("RoleName") {
        names.push(role);
    }
    names
        .into_iter()
        .filter_map(Value::as_str)
        .filter_map(|s| s.strip_prefix("${")?.strip_suffix('}'))
        .map(str::to_string)
        .collect()
}

/// Role properties with what a placeholder makes unusable for the role model taken out:
/// a computed name (CloudFormation names the role after its logical id, as we do), path
/// or session duration, policy names, and managed policy ARNs that are references to the
/// template's own managed policies (those are linted on their own). Also returns, for each
/// ARN kept, its index in the template's list.
fn literal_role_properties(mut props: Map<String, Value>) -> (Map<String, Value>, Vec<usize>) {
    let computed = |v: &Value| v.as_str().is_none_or(|s| s.contains("${"));
    for key in ["RoleName", "Path", "Description"] {
        if props.get(key).is_some_and(computed) {
            props.remove(key);
        }
    }
    if props.get("MaxSessionDuration").is_some_and(|v| !v.is_u64()) {
        props.remove("MaxSessionDuration");
    }
    if let Some(Value::Array(policies)) = props.get_mut("Policies") {
        for (i, p) in policies.iter_mut().enumerate() {
            if let Some(obj) = p.as_object_mut()
                && obj.get("PolicyName").is_some_and(computed)
            {
                obj.insert("PolicyName".into(), Value::String(format!("policy-{i}")));
            }
        }
    }
    let mut kept = Vec::new();
    if let Some(Value::Array(arns)) = props.get_mut("ManagedPolicyArns") {
        let old = std::mem::take(arns);
        for (i, a) in old.into_iter().enumerate() {
            if a.as_str().is_some_and(|s| s.starts_with("arn:")) {
                kept.push(i);
                arns.push(a);
            }
        }
    }
    (props, kept)
}

/// `value` with every intrinsic function replaced by what it may evaluate to, as text with
/// `${…}` placeholders; `None` for `AWS::NoValue` (the key or element is left out).
pub fn placeholders(value: &Value) -> Option<Value> {
    match value {
        Value::Object(m) if intrinsic_name(value).is_some() => {
            let (name, arg) = m.iter().next()?;
            intrinsic(name, arg)
        }
        Value::Object(m) => Some(Value::Object(
            m.iter()
                .filter_map(|(k, v)| placeholders(v).map(|v| (k.clone(), v)))
                .collect(),
        )),
        Value::Array(items) => Some(Value::Array(
            items.iter().filter_map(placeholders).collect(),
        )),
        other => Some(other.clone()),
    }
}

/// The text a resolved value stands for in a string (`Fn::Join`, `Fn::Sub` variables).
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "${…}".to_string(),
    }
}

fn intrinsic(name: &str, arg: &Value) -> Option<Value> {
    let text = |s: String| Some(Value::String(s));
    match name {
        "Ref" => match arg.as_str() {
            Some("AWS::NoValue") => None,
            // The one pseudo parameter with a fixed value in the commercial partition: it
            // makes service principals (`lambda.${AWS::URLSuffix}`) readable.
            Some("AWS::URLSuffix") => text("amazonaws.com".into()),
            Some(r) => text(format!("${{{r}}}")),
            None => text("${Ref}".into()),
        },
        "Fn::GetAtt" => match arg {
            Value::Array(parts) => text(format!(
                "${{{}}}",
                parts.iter().map(as_text).collect::<Vec<_>>().join(".")
            )),
            Value::String(s) => text(format!("${{{s}}}")),
            _ => text("${Fn::GetAtt}".into()),
        },
        "Fn::Sub" => match arg {
            Value::String(s) => text(s.replace("${AWS::URLSuffix}", "amazonaws.com")),
            Value::Array(parts) => {
                let mut s = parts.first().and_then(Value::as_str)?.to_string();
                if let Some(Value::Object(vars)) = parts.get(1) {
                    for (k, v) in vars {
                        let v = placeholders(v).map(|v| as_text(&v)).unwrap_or_default();
                        s = s.replace(&format!("${{{k}}}"), &v);
                    }
                }
                text(s.replace("${AWS::URLSuffix}", "amazonaws.com"))
            }
            _ => text("${Fn::Sub}".into()),
        },
        "Fn::Join" => match arg {
            Value::Array(parts) if parts.len() == 2 => {
                let sep = parts[0].as_str().unwrap_or("");
                match placeholders(&parts[1]) {
                    Some(Value::Array(items)) => {
                        text(items.iter().map(as_text).collect::<Vec<_>>().join(sep))
                    }
                    _ => text("${Fn::Join}".into()),
                }
            }
            _ => text("${Fn::Join}".into()),
        },
        // Either branch may be deployed; the first one is read (or the second, when the
        // first is AWS::NoValue).
        "Fn::If" => match arg {
            Value::Array(parts) if parts.len() == 3 => {
                placeholders(&parts[1]).or_else(|| placeholders(&parts[2]))
            }
            _ => text("${Fn::If}".into()),
        },
        "Fn::Select" => match arg {
            Value::Array(parts) if parts.len() == 2 => {
                let i = parts[0]
                    .as_u64()
                    .or_else(|| parts[0].as_str().and_then(|s| s.parse().ok()));
                match (i, placeholders(&parts[1])) {
                    (Some(i), Some(Value::Array(items))) => {
                        items.get(usize::try_from(i).ok()?).cloned()
                    }
                    _ => text("${Fn::Select}".into()),
                }
            }
            _ => text("${Fn::Select}".into()),
        },
        other => text(format!("${{{other}}}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsic_functions_read_as_placeholders() {
        let v = json!({
            "a": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"},
            "b": {"Fn::GetAtt": ["Queue", "Arn"]},
            "c": {"Ref": "AWS::AccountId"},
            "d": {"Fn::Join": ["", ["arn:aws:sqs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":q"]]},
            "e": [{"Ref": "AWS::NoValue"}, "kept"],
            "f": {"Fn::Sub": ["arn:aws:s3:::${B}", {"B": {"Ref": "Name"}}]},
            "g": {"Fn::Sub": "lambda.${AWS::URLSuffix}"},
            "h": {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, "x"]},
            "i": {"Fn::ImportValue": "Shared"},
        });
        let got = placeholders(&v).unwrap();
        assert_eq!(got["a"], "arn:${AWS::Partition}:s3:::${Bucket}/*");
        assert_eq!(got["b"], "${Queue.Arn}");
        assert_eq!(got["c"], "${AWS::AccountId}");
        assert_eq!(got["d"], "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:q");
        assert_eq!(got["e"], json!(["kept"]));
        assert_eq!(got["f"], "arn:aws:s3:::${Name}");
        assert_eq!(got["g"], "lambda.amazonaws.com");
        assert_eq!(got["h"], "x");
        assert_eq!(got["i"], "${Fn::ImportValue}");
    }

    #[test]
    fn role_pointers_follow_the_text() {
        let p = RolePointers {
            base: "/Resources/R/Properties".into(),
            policies: vec![
                "/Resources/R/Properties/Policies/0/PolicyDocument".into(),
                "/Resources/P/Properties/PolicyDocument".into(),
            ],
            managed: vec![1],
        };
        assert_eq!(
            p.to_text("/Policies/1/PolicyDocument/Statement/0/Resource"),
            "/Resources/P/Properties/PolicyDocument/Statement/0/Resource"
        );
        assert_eq!(
            p.to_text("/ManagedPolicyArns/0"),
            "/Resources/R/Properties/ManagedPolicyArns/1"
        );
        assert_eq!(
            p.to_text("/AssumeRolePolicyDocument/Statement/0"),
            "/Resources/R/Properties/AssumeRolePolicyDocument/Statement/0"
        );
    }
}
