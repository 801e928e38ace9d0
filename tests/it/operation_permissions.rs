//! Needed vs conditional actions of API calls on the embedded catalog: the split for common
//! calls of the curated services (facts from AWS's API and user-guide documentation, written in
//! our words in assets/catalog/curated/operations.toml), the curated notes' invariants, and the
//! split's invariants over every embedded operation.

use rolesmith::catalog::Catalog;
use rolesmith::catalog::operations::notes::notes;
use rolesmith::catalog::operations::permissions::DEPENDS;
use rolesmith::catalog::operations::{CallPermissions, Source, permissions, resolve};

fn split(call: &str) -> CallPermissions<'static> {
    let catalog = Catalog::embedded();
    let ops = catalog.operations().expect("embedded operations");
    let r = resolve(ops, call).unwrap_or_else(|e| panic!("{call}: {}", e.describe(ops)));
    permissions(catalog, r.operation)
}

/// One expectation: the call, its needed actions (exactly, in order), and conditional actions
/// each with a word its reason must contain.
struct Case {
    call: &'static str,
    needed: &'static [&'static str],
    when: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        call: "s3.copy_object",
        needed: &["s3:GetObject", "s3:PutObject"],
        when: &[
            ("s3:GetObjectVersion", "version"),
            ("s3:PutObjectAcl", "ACL"),
            ("s3:PutObjectTagging", "tags"),
            ("s3:PutObjectLegalHold", "legal hold"),
            ("s3-object-lambda:PutObject", "Object Lambda"),
            ("kms:Decrypt", "source"),
            ("kms:GenerateDataKey", "target"),
        ],
    },
    Case {
        call: "s3.put_object",
        needed: &["s3:PutObject"],
        when: &[
            ("s3:PutObjectAcl", "ACL"),
            ("s3:PutObjectTagging", "tags"),
            ("s3:PutObjectRetention", "retention"),
            ("kms:GenerateDataKey", "SSE-KMS"),
        ],
    },
    Case {
        call: "s3.get_object",
        needed: &["s3:GetObject"],
        when: &[
            ("s3:GetObjectVersion", "version"),
            ("s3:GetObjectTagging", "tag count"),
            ("kms:Decrypt", "SSE-KMS"),
            ("s3:ListBucket", "404"),
        ],
    },
    Case {
        call: "s3.head_object",
        needed: &["s3:GetObject"],
        when: &[
            ("s3:ListBucket", "404"),
            ("s3:GetObjectRetention", "retention"),
        ],
    },
    Case {
        call: "s3.delete_object",
        needed: &["s3:DeleteObject"],
        when: &[
            ("s3:DeleteObjectVersion", "version"),
            ("s3:BypassGovernanceRetention", "governance"),
        ],
    },
    Case {
        call: "s3.delete_objects",
        needed: &["s3:DeleteObject"],
        when: &[("s3:DeleteObjectVersion", "version")],
    },
    Case {
        call: "s3.list_objects_v2",
        needed: &["s3:ListBucket"],
        when: &[("s3:GetObjectAcl", DEPENDS)],
    },
    Case {
        call: "s3.create_multipart_upload",
        needed: &["s3:PutObject"],
        when: &[
            ("kms:GenerateDataKey", "SSE-KMS"),
            ("s3:PutObjectTagging", "tags"),
        ],
    },
    Case {
        call: "s3.upload_part",
        needed: &["s3:PutObject"],
        when: &[("kms:Decrypt", "SSE-KMS")],
    },
    Case {
        call: "s3.upload_part_copy",
        needed: &["s3:GetObject", "s3:PutObject"],
        when: &[("s3:GetObjectVersion", "version")],
    },
    Case {
        call: "s3.complete_multipart_upload",
        needed: &["s3:PutObject"],
        when: &[("s3-object-lambda:PutObject", "Object Lambda")],
    },
    Case {
        call: "s3.list_buckets",
        needed: &["s3:ListAllMyBuckets"],
        when: &[],
    },
    Case {
        call: "s3.get_object_attributes",
        needed: &["s3:GetObject", "s3:GetObjectAttributes"],
        when: &[("s3:GetObjectVersionAttributes", "version")],
    },
    Case {
        call: "s3.put_bucket_replication",
        needed: &["s3:PutReplicationConfiguration", "iam:PassRole"],
        when: &[],
    },
    Case {
        call: "dynamodb.transact_write_items",
        needed: &[],
        when: &[
            ("dynamodb:PutItem", "Put item"),
            ("dynamodb:UpdateItem", "Update item"),
            ("dynamodb:DeleteItem", "Delete item"),
            ("dynamodb:ConditionCheckItem", "ConditionCheck item"),
        ],
    },
    Case {
        call: "dynamodb.transact_get_items",
        needed: &["dynamodb:GetItem"],
        when: &[],
    },
    Case {
        call: "dynamodb.batch_write_item",
        needed: &["dynamodb:BatchWriteItem"],
        when: &[],
    },
    Case {
        call: "aws dynamodb query",
        needed: &["dynamodb:Query"],
        when: &[],
    },
    Case {
        call: "dynamodb.put_item",
        needed: &["dynamodb:PutItem"],
        when: &[("dynamodb:WriteDataForReplication", DEPENDS)],
    },
    Case {
        call: "dynamodb.execute_statement",
        needed: &[],
        when: &[
            ("dynamodb:PartiQLSelect", "SELECT"),
            ("dynamodb:PartiQLInsert", "INSERT"),
            ("dynamodb:PartiQLUpdate", "UPDATE"),
            ("dynamodb:PartiQLDelete", "DELETE"),
        ],
    },
    Case {
        call: "lambda.create_function",
        needed: &["lambda:CreateFunction", "iam:PassRole"],
        when: &[
            ("lambda:GetLayerVersion", "layers"),
            ("lambda:TagResource", "tags"),
            ("ec2:DescribeSubnets", "VPC"),
            ("s3:GetObject", "S3 object"),
        ],
    },
    Case {
        call: "lambda.invoke",
        needed: &["lambda:InvokeFunction"],
        when: &[],
    },
    Case {
        call: "lambda.update_function_configuration",
        needed: &["lambda:UpdateFunctionConfiguration"],
        when: &[
            ("iam:PassRole", "execution role"),
            ("ec2:DescribeVpcs", "VPC"),
        ],
    },
    Case {
        call: "sqs.send_message",
        needed: &["sqs:SendMessage"],
        when: &[("kms:GenerateDataKey", "queue"), ("kms:Decrypt", "queue")],
    },
    Case {
        call: "sqs.send_message_batch",
        needed: &["sqs:SendMessage"],
        when: &[("kms:GenerateDataKey", "queue")],
    },
    Case {
        call: "sqs.receive_message",
        needed: &["sqs:ReceiveMessage"],
        when: &[("kms:Decrypt", "queue")],
    },
    Case {
        call: "sns.publish",
        needed: &["sns:Publish"],
        when: &[("kms:GenerateDataKey", "topic"), ("kms:Decrypt", "topic")],
    },
    Case {
        call: "kms.re_encrypt",
        needed: &["kms:ReEncryptFrom", "kms:ReEncryptTo"],
        when: &[],
    },
    Case {
        call: "secretsmanager.get_secret_value",
        needed: &["secretsmanager:GetSecretValue"],
        when: &[("kms:Decrypt", "customer managed")],
    },
    Case {
        call: "ssm.get_parameter",
        needed: &["ssm:GetParameter"],
        when: &[("kms:Decrypt", "SecureString")],
    },
    Case {
        call: "sts.assume_role",
        needed: &["sts:AssumeRole"],
        when: &[
            ("sts:TagSession", "session tags"),
            ("sts:SetSourceIdentity", "source identity"),
        ],
    },
    Case {
        call: "ec2.run_instances",
        needed: &["ec2:RunInstances"],
        when: &[
            ("iam:PassRole", "instance profile"),
            ("ec2:CreateTags", "TagSpecifications"),
        ],
    },
    Case {
        call: "ecs.run_task",
        needed: &["ecs:RunTask"],
        when: &[("iam:PassRole", "task role"), ("ecs:TagResource", "tags")],
    },
    Case {
        call: "stepfunctions.start_execution",
        needed: &["states:StartExecution"],
        when: &[("states:DescribeExecution", DEPENDS)],
    },
    Case {
        call: "stepfunctions.create_state_machine",
        needed: &["states:CreateStateMachine", "iam:PassRole"],
        when: &[("states:TagResource", "tags")],
    },
    Case {
        call: "events.put_events",
        needed: &["events:PutEvents"],
        when: &[],
    },
    Case {
        call: "events.put_targets",
        needed: &["events:PutTargets"],
        when: &[("iam:PassRole", "RoleArn")],
    },
    Case {
        call: "kinesis.put_record",
        needed: &["kinesis:PutRecord"],
        when: &[("kms:GenerateDataKey", "stream")],
    },
    Case {
        call: "logs.put_log_events",
        needed: &["logs:PutLogEvents"],
        when: &[],
    },
    Case {
        call: "logs.filter_log_events",
        needed: &["logs:FilterLogEvents"],
        when: &[("logs:Unmask", "unmask")],
    },
    Case {
        call: "bedrock-runtime.converse",
        needed: &["bedrock:InvokeModel"],
        when: &[
            ("bedrock:ApplyGuardrail", "guardrail"),
            ("bedrock:CallWithBearerToken", "API key"),
            ("bedrock:InvokeTool", DEPENDS),
        ],
    },
    Case {
        call: "bedrock-runtime.converse_stream",
        needed: &["bedrock:InvokeModelWithResponseStream"],
        when: &[("bedrock:ApplyGuardrail", "guardrail")],
    },
    Case {
        call: "rds-data.execute_statement",
        needed: &["rds-data:ExecuteStatement", "secretsmanager:GetSecretValue"],
        when: &[],
    },
    Case {
        call: "scheduler.create_schedule",
        needed: &["scheduler:CreateSchedule", "iam:PassRole"],
        when: &[],
    },
    Case {
        call: "cloudformation.create_stack",
        needed: &["cloudformation:CreateStack"],
        when: &[
            ("iam:PassRole", "service role"),
            ("cloudformation:TagResource", "tags"),
        ],
    },
    Case {
        call: "codebuild.create_project",
        needed: &["codebuild:CreateProject", "iam:PassRole"],
        when: &[],
    },
    Case {
        call: "eks.create_cluster",
        needed: &["eks:CreateCluster", "iam:PassRole"],
        when: &[("eks:TagResource", "tags")],
    },
    Case {
        call: "apigatewayv2.create_api",
        needed: &["apigateway:POST"],
        when: &[("iam:PassRole", "passes an IAM role")],
    },
    Case {
        call: "ecr.get_authorization_token",
        needed: &["ecr:GetAuthorizationToken"],
        when: &[],
    },
];

#[test]
fn common_calls_split_into_needed_and_conditional() {
    assert!(CASES.len() >= 30);
    let mut problems = Vec::new();
    for case in CASES {
        let p = split(case.call);
        let needed: Vec<&str> = p.needed.iter().map(|n| n.action.as_str()).collect();
        if needed != case.needed {
            problems.push(format!(
                "{}: needed {needed:?}, expected {:?}",
                case.call, case.needed
            ));
        }
        for (action, word) in case.when {
            match p.conditional.iter().find(|n| n.action == *action) {
                Some(n) if n.when.as_deref().is_some_and(|w| w.contains(word)) => {}
                Some(n) => problems.push(format!(
                    "{}: {action} applies when {:?}, expected it to say {word:?}",
                    case.call, n.when
                )),
                None => problems.push(format!("{}: {action} is not conditional", case.call)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn copy_object_touches_a_source_and_a_target_object() {
    let p = split("s3:CopyObject");
    let names: Vec<&str> = p.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "source object",
            "target object",
            "KMS key of the source",
            "KMS key of the target"
        ]
    );
    for r in &p.resources[..2] {
        assert_eq!(r.resource_type.as_deref(), Some("s3:object"));
        assert_eq!(r.arn, "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
    }
    assert_eq!(
        p.resources[0].actions,
        ["s3:GetObject", "s3:GetObjectVersion"]
    );
    assert!(
        p.resources[1]
            .actions
            .starts_with(&["s3:PutObject".to_string()])
    );
    // The KMS actions are ours, not AWS's list.
    let kms = p
        .conditional
        .iter()
        .find(|n| n.action == "kms:Decrypt")
        .unwrap();
    assert_eq!(kms.source, Source::Curated);
}

#[test]
fn a_passed_role_carries_the_service_it_is_passed_to() {
    let p = split("lambda.create_function");
    let pass = p
        .needed
        .iter()
        .find(|n| n.action == "iam:PassRole")
        .unwrap();
    assert_eq!(
        pass.context["iam:PassedToService"],
        ["lambda.amazonaws.com"]
    );
    assert_eq!(p.resources[0].name, "execution role");
    assert_eq!(p.resources[0].resource_type.as_deref(), Some("iam:role"));
}

#[test]
fn curated_notes_name_real_operations_actions_and_resource_types() {
    let catalog = Catalog::embedded();
    let ops = catalog.operations().unwrap();
    let action_exists = |a: &str| {
        a.split_once(':')
            .is_some_and(|(s, n)| catalog.action(s, n).is_some_and(|x| x.name == n))
    };
    let mut problems = Vec::new();
    for note in &notes().operations {
        let label = &note.operation;
        let Some((service, name)) = label.split_once(':') else {
            problems.push(format!("{label}: not service:Operation"));
            continue;
        };
        let Some(op) = ops.get(service, name).filter(|o| o.operation.name == name) else {
            problems.push(format!("{label}: no such operation (spelled as AWS does)"));
            continue;
        };
        let listed: Vec<String> = op.operation.actions.iter().map(|a| a.full_name()).collect();
        let extras: Vec<&str> = note.extras.iter().map(|e| e.action.as_str()).collect();
        let known = |a: &str| listed.iter().any(|l| l == a) || extras.contains(&a);
        for a in note.needed.iter().flatten() {
            if !known(a) {
                problems.push(format!(
                    "{label}: needed {a} is neither listed by AWS nor an extra"
                ));
            }
        }
        for a in note.when.keys() {
            if !listed.iter().any(|l| l == a) {
                problems.push(format!("{label}: `when` for {a}, which AWS does not list"));
            }
            if note.needed.iter().flatten().any(|n| n == a) {
                problems.push(format!("{label}: {a} is needed and has a `when`"));
            }
        }
        for e in &note.extras {
            if listed.contains(&e.action) {
                problems.push(format!(
                    "{label}: extra {} is listed by AWS already",
                    e.action
                ));
            }
        }
        for r in &note.resources {
            let Some((s, t)) = r.resource_type.split_once(':') else {
                problems.push(format!("{label}: resource type {}", r.resource_type));
                continue;
            };
            if catalog.resource_type(s, t).is_none_or(|x| x.name != t) {
                problems.push(format!("{label}: no resource type {}", r.resource_type));
            }
            for a in &r.actions {
                if !known(a) {
                    problems.push(format!(
                        "{label}: resource {} names {a}, not of this call",
                        r.name
                    ));
                }
            }
        }
        for a in note.needed.iter().flatten().chain(note.when.keys()) {
            if !action_exists(a) {
                problems.push(format!(
                    "{label}: {a} is not an action of the embedded catalog"
                ));
            }
        }
        for a in &extras {
            if !action_exists(a) {
                problems.push(format!(
                    "{label}: extra {a} is not an action of the embedded catalog"
                ));
            }
        }
    }
    for n in &notes().actions {
        for pattern in &n.actions {
            if !pattern.contains('*') && !action_exists(pattern) {
                problems.push(format!("action note: {pattern} is not an action"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_embedded_operation_splits_without_losing_or_doubling_an_action() {
    let catalog = Catalog::embedded();
    let ops = catalog.operations().unwrap();
    let mut checked = 0;
    for op in ops.iter() {
        let p = permissions(catalog, op);
        for a in &op.operation.actions {
            let name = a.full_name();
            let count = p
                .needed
                .iter()
                .chain(&p.conditional)
                .filter(|n| n.action.eq_ignore_ascii_case(&name))
                .count();
            assert_eq!(count, 1, "{}: {name} appears {count} times", op.label());
        }
        for n in &p.conditional {
            assert!(
                n.when.as_deref().is_some_and(|w| !w.is_empty()),
                "{}: {}",
                op.label(),
                n.action
            );
        }
        for n in p.needed.iter().filter(|n| n.source == Source::Reference) {
            assert!(n.when.is_none());
        }
        checked += 1;
    }
    assert!(checked > 4_000);
}
