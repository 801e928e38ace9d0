//! The curated data the wizard offers: service principals, OIDC presets, managed policies
//! and action presets.
//!
//! This is the TUI's one window onto the curated catalog layer. It holds a small built-in
//! list so the wizard works on its own; when `catalog::curated` is available these functions
//! read it instead, and no screen changes.

/// An AWS service principal the Trust step offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrincipalInfo {
    pub principal: &'static str,
    /// Who uses it, in a few words.
    pub note: &'static str,
}

/// How much an AWS managed policy grants, as the Managed step labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, strum::Display)]
pub enum Risk {
    /// Scoped to what a workload of that kind needs.
    #[strum(serialize = "low")]
    Low,
    /// Reads or writes more than most roles need.
    #[strum(serialize = "medium")]
    Medium,
    /// Whole services or the whole account: almost never least privilege.
    #[strum(serialize = "broad")]
    Broad,
}

/// An AWS managed policy the Managed step offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedInfo {
    /// The name as role files write it (resolved to an ARN by `role::managed`).
    pub name: &'static str,
    /// What it grants, in our words.
    pub grants: &'static str,
    pub risk: Risk,
}

/// A named bundle of actions of one service (Permissions step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresetInfo {
    pub service: &'static str,
    pub name: &'static str,
    pub actions: &'static [&'static str],
}

/// An OIDC identity provider with the claims a safe trust needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OidcPreset {
    pub name: &'static str,
    /// Provider host/path; `<...>` marks the part the user fills in.
    pub provider: &'static str,
    pub aud: &'static str,
    /// An example `sub`.
    pub sub_hint: &'static str,
}

const PRINCIPALS: &[PrincipalInfo] = &[
    PrincipalInfo { principal: "lambda.amazonaws.com", note: "Lambda functions" },
    PrincipalInfo { principal: "ecs-tasks.amazonaws.com", note: "ECS tasks (task role and execution role)" },
    PrincipalInfo { principal: "ec2.amazonaws.com", note: "EC2 instances (through an instance profile)" },
    PrincipalInfo { principal: "states.amazonaws.com", note: "Step Functions state machines" },
    PrincipalInfo { principal: "events.amazonaws.com", note: "EventBridge rules calling targets" },
    PrincipalInfo { principal: "scheduler.amazonaws.com", note: "EventBridge Scheduler" },
    PrincipalInfo { principal: "apigateway.amazonaws.com", note: "API Gateway integrations and logging" },
    PrincipalInfo { principal: "codebuild.amazonaws.com", note: "CodeBuild projects" },
    PrincipalInfo { principal: "codepipeline.amazonaws.com", note: "CodePipeline pipelines" },
    PrincipalInfo { principal: "cloudformation.amazonaws.com", note: "CloudFormation service roles" },
    PrincipalInfo { principal: "glue.amazonaws.com", note: "Glue jobs and crawlers" },
    PrincipalInfo { principal: "sagemaker.amazonaws.com", note: "SageMaker notebooks, jobs, endpoints" },
    PrincipalInfo { principal: "bedrock.amazonaws.com", note: "Bedrock agents and model jobs" },
    PrincipalInfo { principal: "firehose.amazonaws.com", note: "Data Firehose delivery streams" },
    PrincipalInfo { principal: "appsync.amazonaws.com", note: "AppSync data sources" },
    PrincipalInfo { principal: "eks.amazonaws.com", note: "EKS cluster role" },
    PrincipalInfo { principal: "pods.eks.amazonaws.com", note: "EKS Pod Identity" },
    PrincipalInfo { principal: "edgelambda.amazonaws.com", note: "Lambda@Edge (with lambda.amazonaws.com)" },
    PrincipalInfo { principal: "rds.amazonaws.com", note: "RDS features (monitoring, S3 import)" },
    PrincipalInfo { principal: "monitoring.rds.amazonaws.com", note: "RDS Enhanced Monitoring" },
    PrincipalInfo { principal: "ssm.amazonaws.com", note: "Systems Manager (hybrid activations, automation)" },
    PrincipalInfo { principal: "batch.amazonaws.com", note: "AWS Batch service role" },
    PrincipalInfo { principal: "elasticmapreduce.amazonaws.com", note: "EMR service role" },
    PrincipalInfo { principal: "datasync.amazonaws.com", note: "DataSync tasks" },
    PrincipalInfo { principal: "backup.amazonaws.com", note: "AWS Backup" },
];

const MANAGED: &[ManagedInfo] = &[
    ManagedInfo { name: "AWSLambdaBasicExecutionRole", grants: "write the function's logs to CloudWatch Logs", risk: Risk::Low },
    ManagedInfo { name: "AWSLambdaVPCAccessExecutionRole", grants: "logs, plus create and delete the network interfaces a function in a VPC needs", risk: Risk::Low },
    ManagedInfo { name: "AWSLambdaSQSQueueExecutionRole", grants: "logs, plus receive and delete messages of any SQS queue", risk: Risk::Medium },
    ManagedInfo { name: "AWSLambdaDynamoDBExecutionRole", grants: "logs, plus read any DynamoDB stream", risk: Risk::Medium },
    ManagedInfo { name: "AWSLambdaKinesisExecutionRole", grants: "logs, plus read any Kinesis stream", risk: Risk::Medium },
    ManagedInfo { name: "AmazonECSTaskExecutionRolePolicy", grants: "pull images from ECR and write container logs", risk: Risk::Low },
    ManagedInfo { name: "AWSXRayDaemonWriteAccess", grants: "send traces to X-Ray", risk: Risk::Low },
    ManagedInfo { name: "CloudWatchAgentServerPolicy", grants: "publish metrics and logs from the CloudWatch agent", risk: Risk::Low },
    ManagedInfo { name: "AmazonSSMManagedInstanceCore", grants: "let Systems Manager manage an instance (Session Manager, Run Command)", risk: Risk::Medium },
    ManagedInfo { name: "AmazonEC2ContainerRegistryReadOnly", grants: "pull any image from ECR in the account", risk: Risk::Medium },
    ManagedInfo { name: "AmazonS3ReadOnlyAccess", grants: "read every object of every bucket in the account", risk: Risk::Broad },
    ManagedInfo { name: "AmazonS3FullAccess", grants: "everything on every bucket, including deleting and changing policies", risk: Risk::Broad },
    ManagedInfo { name: "ReadOnlyAccess", grants: "read almost everything in the account, data included", risk: Risk::Broad },
    ManagedInfo { name: "ViewOnlyAccess", grants: "list and describe resources across services, without reading data", risk: Risk::Medium },
    ManagedInfo { name: "PowerUserAccess", grants: "everything except managing IAM users, groups and roles", risk: Risk::Broad },
    ManagedInfo { name: "AdministratorAccess", grants: "every action on every resource", risk: Risk::Broad },
];

const PRESETS: &[PresetInfo] = &[
    PresetInfo { service: "s3", name: "S3: write objects", actions: &["s3:PutObject"] },
    PresetInfo { service: "s3", name: "S3: read objects", actions: &["s3:GetObject"] },
    PresetInfo { service: "s3", name: "S3: list a bucket", actions: &["s3:ListBucket"] },
    PresetInfo { service: "sqs", name: "SQS: consume a queue", actions: &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"] },
    PresetInfo { service: "sqs", name: "SQS: send to a queue", actions: &["sqs:SendMessage"] },
    PresetInfo { service: "sns", name: "SNS: publish to a topic", actions: &["sns:Publish"] },
    PresetInfo { service: "dynamodb", name: "DynamoDB: read items", actions: &["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] },
    PresetInfo { service: "dynamodb", name: "DynamoDB: write items", actions: &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] },
    PresetInfo { service: "secretsmanager", name: "Secrets Manager: read one secret", actions: &["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] },
    PresetInfo { service: "ssm", name: "SSM: read parameters", actions: &["ssm:GetParameter", "ssm:GetParameters"] },
    PresetInfo { service: "kms", name: "KMS: decrypt with one key", actions: &["kms:Decrypt"] },
    PresetInfo { service: "logs", name: "Logs: write log events", actions: &["logs:CreateLogStream", "logs:PutLogEvents"] },
];

const OIDC_PRESETS: &[OidcPreset] = &[
    OidcPreset { name: "GitLab CI", provider: "gitlab.com", aud: "https://gitlab.com", sub_hint: "project_path:group/project:ref_type:branch:ref:main" },
    OidcPreset { name: "EKS service account", provider: "oidc.eks.<region>.amazonaws.com/id/<cluster-id>", aud: "sts.amazonaws.com", sub_hint: "system:serviceaccount:<namespace>:<service-account>" },
    OidcPreset { name: "Cognito identity pool", provider: "cognito-identity.amazonaws.com", aud: "<identity-pool-id>", sub_hint: "" },
    OidcPreset { name: "Other provider", provider: "", aud: "", sub_hint: "" },
];

/// AWS service principals, most used first.
pub fn principals() -> &'static [PrincipalInfo] {
    PRINCIPALS
}

/// The note for a principal, if it is a known one.
pub fn principal_note(principal: &str) -> Option<&'static str> {
    PRINCIPALS
        .iter()
        .find(|p| p.principal == principal)
        .map(|p| p.note)
}

/// AWS managed policies workload roles commonly attach.
pub fn managed_policies() -> &'static [ManagedInfo] {
    MANAGED
}

/// The curated entry of a managed policy, by name or by the ARN's last segment.
pub fn managed_info(name_or_arn: &str) -> Option<&'static ManagedInfo> {
    let name = name_or_arn.rsplit('/').next().unwrap_or(name_or_arn);
    MANAGED.iter().find(|m| m.name == name)
}

/// Presets for one service.
pub fn presets_for(service: &str) -> impl Iterator<Item = &'static PresetInfo> + '_ {
    PRESETS.iter().filter(move |p| p.service == service)
}

/// OIDC providers other than GitHub (which has its own form).
pub fn oidc_presets() -> &'static [OidcPreset] {
    OIDC_PRESETS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::role::managed::resolve_managed_policy;

    #[test]
    fn preset_actions_exist_in_the_catalog() {
        let c = Catalog::embedded();
        for p in PRESETS {
            for a in p.actions {
                let (svc, name) = a.split_once(':').unwrap();
                assert_eq!(svc, p.service, "{}", p.name);
                assert!(c.action(svc, name).is_some(), "{a} of preset {}", p.name);
            }
        }
    }

    #[test]
    fn managed_policies_resolve_to_arns() {
        for m in MANAGED {
            assert!(resolve_managed_policy(m.name, None).is_some(), "{}", m.name);
        }
        assert_eq!(
            managed_info("arn:aws:iam::aws:policy/AdministratorAccess").map(|m| m.risk),
            Some(Risk::Broad)
        );
    }

    #[test]
    fn principals_are_unique() {
        let mut seen = std::collections::HashSet::new();
        assert!(PRINCIPALS.iter().all(|p| seen.insert(p.principal)));
    }
}
