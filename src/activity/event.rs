//! One CloudTrail event: the fields rolesmith reads, who made the call, which service prefix
//! and operation it is, and which resources it names.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// The parts of a CloudTrail event rolesmith uses (everything else is ignored).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default)]
    pub event_source: String,
    #[serde(default)]
    pub event_name: String,
    #[serde(default)]
    pub aws_region: Option<String>,
    #[serde(default)]
    pub recipient_account_id: Option<String>,
    #[serde(default)]
    pub user_identity: UserIdentity,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub resources: Vec<EventResource>,
    #[serde(default)]
    pub request_parameters: Option<Parameters>,
}

/// The request parameters that name resources (the rest of an event's parameters is skipped
/// unread, which keeps reading a large trail fast).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameters {
    bucket_name: Option<Value>,
    key: Option<Value>,
    table_name: Option<Value>,
    function_name: Option<Value>,
    queue_url: Option<Value>,
    topic_arn: Option<Value>,
    secret_id: Option<Value>,
    name: Option<Value>,
    key_id: Option<Value>,
    stream_name: Option<Value>,
}

impl Parameters {
    fn get(&self, name: &str) -> Option<&Value> {
        match name {
            "bucketName" => self.bucket_name.as_ref(),
            "key" => self.key.as_ref(),
            "tableName" => self.table_name.as_ref(),
            "functionName" => self.function_name.as_ref(),
            "queueUrl" => self.queue_url.as_ref(),
            "topicArn" => self.topic_arn.as_ref(),
            "secretId" => self.secret_id.as_ref(),
            "name" => self.name.as_ref(),
            "keyId" => self.key_id.as_ref(),
            "streamName" => self.stream_name.as_ref(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub session_context: Option<SessionContext>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext {
    #[serde(default)]
    pub session_issuer: Option<SessionIssuer>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub user_name: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EventResource {
    #[serde(default, rename = "ARN")]
    pub arn: Option<String>,
}

impl Event {
    /// Who made the call, as the role it acts for: the session issuer of an assumed-role
    /// session (`arn:aws:iam::111122223333:role/app`), else the identity's ARN.
    pub fn principal(&self) -> Option<String> {
        let id = &self.user_identity;
        id.session_context
            .as_ref()
            .and_then(|c| c.session_issuer.as_ref())
            .and_then(|i| i.arn.clone())
            .or_else(|| id.arn.clone())
    }

    /// The account the call was made in.
    pub fn account(&self) -> Option<&str> {
        self.recipient_account_id
            .as_deref()
            .or(self.user_identity.account_id.as_deref())
    }

    /// Whether IAM refused the call (the call is what the role is missing).
    pub fn denied(&self) -> bool {
        self.error_code.as_deref().is_some_and(|c| {
            let c = c.trim_start_matches("Client.");
            c.eq_ignore_ascii_case("AccessDenied")
                || c.eq_ignore_ascii_case("AccessDeniedException")
                || c.eq_ignore_ascii_case("UnauthorizedOperation")
                || c.eq_ignore_ascii_case("UnauthorizedAccess")
        })
    }

    /// The event name as the API names the operation: CloudTrail adds an API version to some
    /// (`UpdateFunctionConfiguration20150331v2`).
    pub fn operation_names(&self) -> Vec<String> {
        let name = self.event_name.trim();
        let mut out = vec![name.to_string()];
        // `YYYYMMDD`, optionally followed by `v` and digits.
        let mut stem = name;
        if let Some(i) = stem.rfind('v')
            && i + 1 < stem.len()
            && stem[i + 1..].bytes().all(|b| b.is_ascii_digit())
        {
            stem = &stem[..i];
        }
        let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 8 && stem.len() > 8 {
            out.push(stem[..stem.len() - 8].to_string());
        }
        out
    }

    /// A request parameter as text.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.request_parameters
            .as_ref()
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The ARNs the event names: its `resources[]`, then what known request parameters say.
    pub fn resource_arns(&self, partition: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .resources
            .iter()
            .filter_map(|r| r.arn.clone())
            .filter(|a| a.starts_with("arn:"))
            .collect();
        let region = self.aws_region.as_deref().unwrap_or("*");
        let account = self.account().unwrap_or("*");
        let mut push = |arn: String| {
            if !out.contains(&arn) {
                out.push(arn);
            }
        };
        let source = self.event_source.as_str();
        match source {
            "s3.amazonaws.com" => {
                if let Some(bucket) = self.parameter("bucketName") {
                    push(format!("arn:{partition}:s3:::{bucket}"));
                    if let Some(key) = self.parameter("key") {
                        push(format!("arn:{partition}:s3:::{bucket}/{key}"));
                    }
                }
            }
            "dynamodb.amazonaws.com" => {
                if let Some(t) = self.parameter("tableName") {
                    push(arn_or(t, || {
                        format!("arn:{partition}:dynamodb:{region}:{account}:table/{t}")
                    }));
                }
            }
            "lambda.amazonaws.com" => {
                if let Some(f) = self.parameter("functionName") {
                    push(arn_or(f, || {
                        format!("arn:{partition}:lambda:{region}:{account}:function:{f}")
                    }));
                }
            }
            "sqs.amazonaws.com" => {
                if let Some(url) = self.parameter("queueUrl")
                    && let Some(name) = url.rsplit('/').next().filter(|n| !n.is_empty())
                {
                    push(format!("arn:{partition}:sqs:{region}:{account}:{name}"));
                }
            }
            "sns.amazonaws.com" => {
                if let Some(t) = self.parameter("topicArn") {
                    push(t.to_string());
                }
            }
            "secretsmanager.amazonaws.com" => {
                if let Some(s) = self.parameter("secretId") {
                    // A name stands for the secret ARN, which ends in six random characters.
                    push(arn_or(s, || {
                        format!(
                            "arn:{partition}:secretsmanager:{region}:{account}:secret:{s}-??????"
                        )
                    }));
                }
            }
            "ssm.amazonaws.com" => {
                if let Some(n) = self.parameter("name") {
                    push(arn_or(n, || {
                        let n = n.trim_start_matches('/');
                        format!("arn:{partition}:ssm:{region}:{account}:parameter/{n}")
                    }));
                }
            }
            "kms.amazonaws.com" => {
                if let Some(k) = self.parameter("keyId").filter(|k| k.starts_with("arn:")) {
                    push(k.to_string());
                }
            }
            "kinesis.amazonaws.com" => {
                if let Some(s) = self.parameter("streamName") {
                    push(format!(
                        "arn:{partition}:kinesis:{region}:{account}:stream/{s}"
                    ));
                }
            }
            _ => {}
        }
        out
    }
}

fn arn_or(value: &str, make: impl FnOnce() -> String) -> String {
    if value.starts_with("arn:") {
        value.to_string()
    } else {
        make()
    }
}

/// Where an event's source (`monitoring.amazonaws.com`) differs from the IAM prefix
/// (`cloudwatch`); `assets/activity/event_sources.toml`.
pub fn service_prefix(event_source: &str, exceptions: &IndexMap<String, String>) -> String {
    if let Some(p) = exceptions.get(event_source) {
        return p.clone();
    }
    event_source
        .strip_suffix(".amazonaws.com")
        .unwrap_or(event_source)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_event_names_are_tried_without_the_version() {
        let e = Event {
            event_name: "UpdateFunctionConfiguration20150331v2".into(),
            ..Event::default()
        };
        assert_eq!(
            e.operation_names(),
            [
                "UpdateFunctionConfiguration20150331v2",
                "UpdateFunctionConfiguration"
            ]
        );
        let e = Event {
            event_name: "ListObjectsV2".into(),
            ..Event::default()
        };
        assert_eq!(e.operation_names(), ["ListObjectsV2"]);
        let e = Event {
            event_name: "CreateFunction20150331".into(),
            ..Event::default()
        };
        assert_eq!(e.operation_names()[1], "CreateFunction");
    }

    #[test]
    fn resources_from_request_parameters() {
        let e: Event = serde_json::from_str(
            r#"{"eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"eu-west-1",
                "recipientAccountId":"111122223333",
                "requestParameters":{"bucketName":"b","key":"in/a.txt"}}"#,
        )
        .unwrap();
        assert_eq!(
            e.resource_arns("aws"),
            ["arn:aws:s3:::b", "arn:aws:s3:::b/in/a.txt"]
        );
        let e: Event = serde_json::from_str(
            r#"{"eventSource":"sqs.amazonaws.com","eventName":"SendMessage","awsRegion":"eu-west-1",
                "recipientAccountId":"111122223333",
                "requestParameters":{"queueUrl":"https://sqs.eu-west-1.amazonaws.com/111122223333/jobs"}}"#,
        )
        .unwrap();
        assert_eq!(
            e.resource_arns("aws"),
            ["arn:aws:sqs:eu-west-1:111122223333:jobs"]
        );
    }

    #[test]
    fn denied_codes() {
        for code in [
            "AccessDenied",
            "Client.UnauthorizedOperation",
            "AccessDeniedException",
        ] {
            let e = Event {
                error_code: Some(code.into()),
                ..Event::default()
            };
            assert!(e.denied(), "{code}");
        }
        let e = Event {
            error_code: Some("NoSuchKey".into()),
            ..Event::default()
        };
        assert!(!e.denied());
    }
}
