//! Opening what people already have: role files, raw policy documents, `aws iam get-role`
//! and `get-role-policy` output, `render --format json` output and CloudFormation templates
//! with one `AWS::IAM::Role`.
//!
//! Everything converts into the role model, so the TUI edits an imported role exactly like
//! one built from scratch. Input that cannot be represented is an error, never dropped
//! silently; properties rolesmith does not model (`RoleLastUsed`) are named in `notes`.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::policy::json::parse_value_at;
use crate::policy::source::SourceMap;
use crate::policy::{Effect, PolicyDocument, Principal};

use super::spec::{
    InlinePolicySpec, RoleSpec, StatementSpec, TrustDocument, TrustSpec, parse_role_text,
};
use super::validate::{PathSeg, validate};
use super::yaml::yaml_to_json;

mod cloudformation;
mod recognise;
mod yaml_positions;

use cloudformation::intrinsic_name;
pub use cloudformation::{
    DocumentUse, RolePointers, TemplateDocuments, TemplatePolicy, TemplateRole, placeholders,
};
pub use recognise::{
    Expect, ImportedDocument, ImportedRole, LintInput, recognise_json, recognise_text,
};
pub use yaml_positions::YamlPositions;

/// What an opened input turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    /// A whole role: replaces the one being edited.
    Role(RoleSpec),
    /// A raw trust policy: replaces the role's trust.
    Trust(PolicyDocument),
    /// A permission policy: added as an inline policy (replacing one of the same name).
    Policy(InlinePolicySpec),
}

/// An opened input, what it was recognised as, and anything that was not imported.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedInput {
    pub opened: Opened,
    /// "role file", "aws iam get-role output", "CloudFormation template", ...
    pub shape: &'static str,
    /// Properties seen but not modelled by rolesmith, to tell the user.
    pub notes: Vec<String>,
}

impl Opened {
    /// Applies the opened input to the role being edited.
    pub fn apply_to(self, role: &mut RoleSpec) {
        match self {
            Opened::Role(spec) => *role = spec,
            Opened::Trust(doc) => role.trust = trust_spec_from_document(doc),
            Opened::Policy(p) => match role.policies.iter_mut().find(|q| q.name == p.name) {
                Some(existing) => *existing = p,
                None => role.policies.push(p),
            },
        }
    }
}

/// Reads and recognises a file; the file stem names a raw permission policy.
pub fn open_file(path: &Path) -> Result<OpenedInput> {
    let text = crate::io::read_text(path, crate::io::InputKind::Document)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let mut input = open_text(&path.display().to_string(), &text, &stem)?;
    // A role file's `document = "trust.json"` is read from beside it, as `edit FILE` does;
    // left as a path, the editor would show (and save) an empty trust.
    if let Opened::Role(role) = &mut input.opened {
        super::spec::resolve_trust_document(role, path.parent().unwrap_or(Path::new(".")))?;
    }
    Ok(input)
}

/// Recognises `text` (see the module doc). `default_policy_name` names a raw permission
/// policy, which carries no name of its own.
pub fn open_text(origin: &str, text: &str, default_policy_name: &str) -> Result<OpenedInput> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let value = parse_value_at(origin, text)?;
        let source = SourceMap::build(text);
        let at = |pointer: &str, message: String| match source
            .as_ref()
            .and_then(|s| s.nearest_pos(pointer))
        {
            Some(p) => Error::Parse {
                origin: origin.to_string(),
                line: p.line,
                column: p.column,
                message,
            },
            None => Error::Invalid {
                origin: origin.to_string(),
                message,
            },
        };
        return open_json_value(value, text, origin, default_policy_name, &at);
    }
    let looks_like_cfn = text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| l.trim_end() == "Resources:");
    if looks_like_cfn {
        let value = yaml_to_json(origin, text)?;
        let at = |_: &str, message: String| Error::Invalid {
            origin: origin.to_string(),
            message,
        };
        return cloudformation::one_role(&value, &at).map(|(spec, notes)| OpenedInput {
            opened: Opened::Role(spec),
            shape: "CloudFormation template",
            notes,
        });
    }
    Ok(OpenedInput {
        opened: Opened::Role(parse_role_text(origin, text)?),
        shape: "role file",
        notes: Vec::new(),
    })
}

/// Builds the error for a problem at a JSON pointer of the input (with its position when
/// the input has a source map).
pub(crate) type At<'a> = dyn Fn(&str, String) -> Error + 'a;

fn open_json_value(
    value: Value,
    text: &str,
    origin: &str,
    default_policy_name: &str,
    at: &At,
) -> Result<OpenedInput> {
    let Value::Object(obj) = &value else {
        return Err(at("", "expected a JSON object".into()));
    };
    let role = |spec, shape, notes| {
        Ok(OpenedInput {
            opened: Opened::Role(spec),
            shape,
            notes,
        })
    };
    if let Some(Value::Object(r)) = obj.get("Role") {
        let (spec, notes) = from_role_properties(r, "/Role", None, at)?;
        return role(spec, "aws iam get-role output", notes);
    }
    if obj.contains_key("PolicyName") && obj.contains_key("PolicyDocument") {
        let name = string_at(obj, "PolicyName", "", at)?;
        let doc = policy_document_at(obj, "PolicyDocument", "", at)?;
        return Ok(OpenedInput {
            opened: Opened::Policy(inline_policy_from_document(
                &name,
                &doc,
                "/PolicyDocument",
                at,
            )?),
            shape: "aws iam get-role-policy output",
            notes: Vec::new(),
        });
    }
    if obj.contains_key("Resources") {
        let (spec, notes) = cloudformation::one_role(&value, at)?;
        return role(spec, "CloudFormation template", notes);
    }
    if obj.contains_key("RoleName") || obj.contains_key("AssumeRolePolicyDocument") {
        let (spec, notes) = from_role_properties(obj, "", None, at)?;
        return role(spec, "AWS::IAM::Role properties", notes);
    }
    if obj.contains_key("Statement") {
        let doc: PolicyDocument = serde_json::from_value(value.clone())
            .map_err(|e| at("", format!("not a valid policy document: {e}")))?;
        let is_trust = doc
            .statements()
            .iter()
            .any(|s| s.principal.is_some() || s.not_principal.is_some());
        if is_trust {
            return Ok(OpenedInput {
                opened: Opened::Trust(doc),
                shape: "trust policy",
                notes: Vec::new(),
            });
        }
        return Ok(OpenedInput {
            opened: Opened::Policy(inline_policy_from_document(
                &sanitize_policy_name(default_policy_name),
                &doc,
                "",
                at,
            )?),
            shape: "permission policy",
            notes: Vec::new(),
        });
    }
    if obj.contains_key("name") {
        return role(parse_role_text(origin, text)?, "role file", Vec::new());
    }
    Err(at(
        "",
        "not a role file, policy document, aws iam get-role/get-role-policy output or CloudFormation template".into(),
    ))
}

/// Keeps the characters IAM allows in a policy name, so a file stem can name a policy.
fn sanitize_policy_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(128)
        .collect();
    if name.is_empty() {
        "imported".into()
    } else {
        name
    }
}

fn literal<'v>(v: &'v Value, pointer: &str, what: &str, at: &At) -> Result<&'v Value> {
    match intrinsic_name(v) {
        Some(f) => Err(at(
            pointer,
            format!(
                "{what} uses {f}; rolesmith needs literal values (deploy the stack, then open `aws iam get-role` output)"
            ),
        )),
        None => Ok(v),
    }
}

fn string_at(obj: &Map<String, Value>, key: &str, base: &str, at: &At) -> Result<String> {
    let pointer = format!("{base}/{key}");
    match obj
        .get(key)
        .map(|v| literal(v, &pointer, key, at))
        .transpose()?
    {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(at(&pointer, format!("{key} must be a string"))),
        None => Err(at(base, format!("{key} is missing"))),
    }
}

/// A policy document that may arrive as an object or, from the raw IAM API, as a
/// URL-encoded JSON string.
fn policy_document_at(
    obj: &Map<String, Value>,
    key: &str,
    base: &str,
    at: &At,
) -> Result<PolicyDocument> {
    let pointer = format!("{base}/{key}");
    let raw = obj
        .get(key)
        .ok_or_else(|| at(base, format!("{key} is missing")))?;
    document_from_value(raw, &pointer, key, at)
}

/// The JSON value of a policy document given as an object or as a (URL-encoded) JSON
/// string, read strictly.
pub(crate) fn document_value(raw: &Value, pointer: &str, key: &str, at: &At) -> Result<Value> {
    let raw = literal(raw, pointer, key, at)?;
    Ok(match raw {
        Value::String(s) => {
            let decoded = if s.trim_start().starts_with('{') {
                s.clone()
            } else {
                percent_decode(s)
            };
            crate::policy::json::parse_value(&decoded).map_err(|e| {
                at(
                    pointer,
                    format!("{key} is not a JSON policy: {}", e.message),
                )
            })?
        }
        other => other.clone(),
    })
}

/// [`document_value`] as a typed policy document (intrinsic functions refused by name).
fn document_from_value(raw: &Value, pointer: &str, key: &str, at: &At) -> Result<PolicyDocument> {
    let value = document_value(raw, pointer, key, at)?;
    if let Some((p, f)) = find_intrinsic(&value, pointer) {
        return Err(at(
            &p,
            format!("{key} uses {f}; rolesmith needs literal values"),
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        at(
            pointer,
            format!("{key} is not a valid policy document: {e}"),
        )
    })
}

fn find_intrinsic(v: &Value, pointer: &str) -> Option<(String, String)> {
    if let Some(f) = intrinsic_name(v) {
        return Some((pointer.to_string(), f.to_string()));
    }
    match v {
        Value::Object(m) => m
            .iter()
            .find_map(|(k, v)| find_intrinsic(v, &format!("{pointer}/{k}"))),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_intrinsic(v, &format!("{pointer}/{i}"))),
        _ => None,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Converts `AWS::IAM::Role` properties (CloudFormation, `render` output or the `Role`
/// of `aws iam get-role`) into a role spec.
pub(crate) fn from_role_properties(
    props: &Map<String, Value>,
    base: &str,
    fallback_name: Option<&str>,
    at: &At,
) -> Result<(RoleSpec, Vec<String>)> {
    let mut spec = RoleSpec::default();
    let mut notes = Vec::new();
    spec.name = match props.get("RoleName") {
        Some(_) => string_at(props, "RoleName", base, at)?,
        None => fallback_name
            .map(str::to_string)
            .ok_or_else(|| at(base, "RoleName is missing".into()))?,
    };
    if props.contains_key("Description") {
        spec.description =
            Some(string_at(props, "Description", base, at)?).filter(|d| !d.is_empty());
    }
    if props.contains_key("Path") {
        spec.path = Some(string_at(props, "Path", base, at)?).filter(|p| p != "/");
    }
    if let Some(v) = props.get("MaxSessionDuration") {
        let pointer = format!("{base}/MaxSessionDuration");
        let v = literal(v, &pointer, "MaxSessionDuration", at)?;
        let secs = v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                at(
                    &pointer,
                    "MaxSessionDuration must be a number of seconds".into(),
                )
            })?;
        spec.max_session_duration = (secs != 3600).then_some(secs);
    }
    if props.contains_key("AssumeRolePolicyDocument") {
        let doc = policy_document_at(props, "AssumeRolePolicyDocument", base, at)?;
        spec.trust = trust_spec_from_document(doc);
    }
    if let Some(v) = props.get("ManagedPolicyArns") {
        let pointer = format!("{base}/ManagedPolicyArns");
        let Value::Array(items) = literal(v, &pointer, "ManagedPolicyArns", at)? else {
            return Err(at(&pointer, "ManagedPolicyArns must be a list".into()));
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{pointer}/{i}");
            match literal(item, &p, "ManagedPolicyArns", at)? {
                Value::String(s) => spec.managed_policies.push(s.clone()),
                _ => return Err(at(&p, "a managed policy ARN must be a string".into())),
            }
        }
    }
    if let Some(v) = props.get("Policies") {
        let pointer = format!("{base}/Policies");
        let Value::Array(items) = literal(v, &pointer, "Policies", at)? else {
            return Err(at(&pointer, "Policies must be a list".into()));
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{pointer}/{i}");
            let Value::Object(obj) = item else {
                return Err(at(
                    &p,
                    "each policy needs PolicyName and PolicyDocument".into(),
                ));
            };
            let name = string_at(obj, "PolicyName", &p, at)?;
            let doc = policy_document_at(obj, "PolicyDocument", &p, at)?;
            spec.policies.push(inline_policy_from_document(
                &name,
                &doc,
                &format!("{p}/PolicyDocument"),
                at,
            )?);
        }
    }
    let (boundary, tags) =
        boundary_and_tags(props).map_err(|(key, message)| at(&format!("{base}/{key}"), message))?;
    spec.permissions_boundary = boundary;
    spec.tags = tags;
    if props.contains_key("RoleLastUsed") {
        notes.push("RoleLastUsed is not modelled by rolesmith and was not imported".into());
    }
    // Tags that break IAM's rules are opened anyway: lint reports them (`invalid-tag`).
    let problem = validate(&spec)
        .into_iter()
        .find(|p| p.path.0.first() != Some(&PathSeg::Key("tags")));
    if let Some(problem) = problem {
        return Err(at(
            base,
            format!("{} (at {})", problem.message, problem.path),
        ));
    }
    Ok((spec, notes))
}

/// A role's permissions boundary ARN and tags, as read from role properties.
pub type BoundaryAndTags = (Option<String>, IndexMap<String, String>);

/// `PermissionsBoundary` (an ARN, or `get-role`'s `{PermissionsBoundaryArn}` object) and
/// `Tags` (`[{Key, Value}]`) of role properties. An error names the property (and the
/// tag's index) relative to the properties, with what is wrong. Tag rules are not checked
/// here: whoever reads a role this way decides (lint reports them as findings).
pub fn boundary_and_tags(
    props: &Map<String, Value>,
) -> std::result::Result<BoundaryAndTags, (String, String)> {
    let boundary = match props.get("PermissionsBoundary") {
        None => None,
        Some(Value::String(arn)) => Some(arn.clone()),
        Some(Value::Object(o)) => match o.get("PermissionsBoundaryArn") {
            Some(Value::String(arn)) => Some(arn.clone()),
            _ => {
                return Err((
                    "PermissionsBoundary".into(),
                    "PermissionsBoundary must be a policy ARN".into(),
                ));
            }
        },
        Some(v) => {
            let message = match intrinsic_name(v) {
                Some(f) => format!("PermissionsBoundary uses {f}; rolesmith needs literal values"),
                None => "PermissionsBoundary must be a policy ARN".into(),
            };
            return Err(("PermissionsBoundary".into(), message));
        }
    };
    let mut tags = IndexMap::new();
    match props.get("Tags") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let text = |field: &str| item.get(field).and_then(Value::as_str);
                let (Some(key), Some(value)) = (text("Key"), text("Value")) else {
                    return Err((
                        format!("Tags/{i}"),
                        "each tag needs a Key and a Value, both strings".into(),
                    ));
                };
                if tags.insert(key.to_string(), value.to_string()).is_some() {
                    return Err((
                        format!("Tags/{i}/Key"),
                        format!("tag key {key:?} appears twice"),
                    ));
                }
            }
        }
        Some(_) => {
            return Err(("Tags".into(), "Tags must be a list of {Key, Value}".into()));
        }
    }
    Ok((boundary, tags))
}

/// A trust document as the role model holds it: simple service trust becomes the editable
/// `services` list; anything else is kept verbatim.
pub fn trust_spec_from_document(doc: PolicyDocument) -> TrustSpec {
    if let [s] = doc.statements()
        && s.effect == Effect::Allow
        && s.condition.is_none()
        && s.sid.is_none()
        && s.not_principal.is_none()
        && s.not_action.is_none()
        && s.resource.is_none()
        && s.not_resource.is_none()
        && s.actions() == ["sts:AssumeRole"]
        && let Some(Principal::Map(m)) = &s.principal
        && m.aws.is_none()
        && m.federated.is_none()
        && m.canonical_user.is_none()
        && let Some(services) = &m.service
    {
        return TrustSpec {
            services: services.iter().cloned().collect(),
            ..Default::default()
        };
    }
    TrustSpec {
        document: Some(TrustDocument::Inline(Box::new(doc))),
        ..Default::default()
    }
}

/// A permission policy as the role model holds it.
pub fn inline_policy_from_document(
    name: &str,
    doc: &PolicyDocument,
    pointer: &str,
    at: &At,
) -> Result<InlinePolicySpec> {
    let mut statements = Vec::new();
    for (i, s) in doc.statements().iter().enumerate() {
        if s.principal.is_some() || s.not_principal.is_some() {
            return Err(at(
                &format!("{pointer}/Statement/{i}"),
                "a permission policy has no Principal (is this a trust policy?)".into(),
            ));
        }
        statements.push(StatementSpec::from_statement(s.clone(), Vec::new()));
    }
    Ok(InlinePolicySpec {
        name: name.to_string(),
        statements,
        ..Default::default()
    })
}

/// Builds a role from separate documents, as `rolesmith edit --trust T --policy P` does.
pub fn role_from_documents(
    name: &str,
    trust: Option<PolicyDocument>,
    policies: Vec<InlinePolicySpec>,
) -> RoleSpec {
    RoleSpec {
        name: name.to_string(),
        trust: trust.map(trust_spec_from_document).unwrap_or_default(),
        policies,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Result<OpenedInput> {
        open_text("input", text, "my-policy")
    }

    const SEED_ROLE_JSON: &str = r#"{"RoleName":"string-reverser","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},"ManagedPolicyArns":["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],"Policies":[{"PolicyName":"w","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}}]}"#;

    #[test]
    fn render_output_round_trips_into_the_same_documents() {
        let opened = open(SEED_ROLE_JSON).unwrap();
        assert_eq!(opened.shape, "AWS::IAM::Role properties");
        let Opened::Role(spec) = opened.opened else {
            panic!("a role")
        };
        assert_eq!(spec.trust.services, ["lambda.amazonaws.com"]);
        let again = serde_json::to_string(&spec.to_documents()).unwrap();
        let original: Value = serde_json::from_str(SEED_ROLE_JSON).unwrap();
        let again: Value = serde_json::from_str(&again).unwrap();
        assert_eq!(again["Policies"], original["Policies"]);
        assert_eq!(
            again["AssumeRolePolicyDocument"],
            original["AssumeRolePolicyDocument"]
        );
    }

    #[test]
    fn get_role_output_with_an_encoded_document() {
        let text = r#"{"Role":{"Path":"/","RoleName":"r","RoleId":"AROA","Arn":"arn:aws:iam::123456789012:role/r","CreateDate":"2024-01-01T00:00:00Z","AssumeRolePolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D","MaxSessionDuration":3600}}"#;
        let opened = open(text).unwrap();
        assert_eq!(opened.shape, "aws iam get-role output");
        let Opened::Role(spec) = opened.opened else {
            panic!("a role")
        };
        assert_eq!(spec.trust.services, ["ec2.amazonaws.com"]);
        assert_eq!(spec.max_session_duration, None);
    }

    #[test]
    fn get_role_policy_output_becomes_an_inline_policy() {
        let text = r#"{"RoleName":"r","PolicyName":"read","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}}"#;
        let opened = open(text).unwrap();
        let Opened::Policy(p) = opened.opened else {
            panic!("a policy")
        };
        assert_eq!(p.name, "read");
        assert_eq!(p.statements[0].actions, ["s3:GetObject"]);
    }

    #[test]
    fn raw_documents_are_told_apart() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x1"}}}]}"#;
        let Opened::Trust(doc) = open(trust).unwrap().opened else {
            panic!("trust")
        };
        let mut role = RoleSpec::default();
        Opened::Trust(doc.clone()).apply_to(&mut role);
        assert_eq!(
            role.trust.document,
            Some(TrustDocument::Inline(Box::new(doc)))
        );
        let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}"#;
        let Opened::Policy(p) = open(policy).unwrap().opened else {
            panic!("policy")
        };
        assert_eq!(p.name, "my-policy");
    }

    #[test]
    fn cloudformation_yaml_with_one_role() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  AppRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n      Tags:\n        - Key: team\n          Value: x\n";
        let opened = open(text).unwrap();
        assert_eq!(opened.shape, "CloudFormation template");
        let Opened::Role(spec) = opened.opened else {
            panic!("a role")
        };
        assert_eq!(spec.name, "AppRole");
        assert_eq!(spec.tags.get("team").map(String::as_str), Some("x"));
        assert_eq!(opened.notes.len(), 1, "{:?}", opened.notes);
    }

    #[test]
    fn intrinsic_functions_are_refused_by_name() {
        let text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub '${AWS::StackName}-role'\n      AssumeRolePolicyDocument: {}\n";
        let err = open(text).unwrap_err().to_string();
        assert!(err.contains("RoleName uses Fn::Sub"), "{err}");
    }

    #[test]
    fn broken_input_says_where() {
        let err = open("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}").unwrap_err();
        assert!(matches!(err, Error::Parse { line: 3, .. }), "{err}");
        let err = open(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}],"PolicyName":"x","PolicyDocument":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}}"#).unwrap_err();
        assert!(err.to_string().contains("no Principal"), "{err}");
        assert!(open(r#"{"hello": 1}"#).is_err());
        assert!(open("[]").is_err());
        let err = open("AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::IAM::Role\n  B:\n    Type: AWS::IAM::Role\n").unwrap_err();
        assert!(err.to_string().contains("2 roles"), "{err}");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
