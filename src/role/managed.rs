//! Resolving managed policy names to ARNs.
//!
//! The names AWS managed policies are known by come with a path that is easy to get wrong
//! (`service-role/AWSLambdaBasicExecutionRole`). This table covers the ones role files use
//! most; the catalog's curated list extends it.

use crate::policy::arn::Arn;

/// (name, path) of AWS managed policies, the ARN being `arn:PARTITION:iam::aws:policy{path}{name}`.
const KNOWN: &[(&str, &str)] = &[
    ("AWSLambdaBasicExecutionRole", "/service-role/"),
    ("AWSLambdaVPCAccessExecutionRole", "/service-role/"),
    ("AWSLambdaSQSQueueExecutionRole", "/service-role/"),
    ("AWSLambdaDynamoDBExecutionRole", "/service-role/"),
    ("AWSLambdaKinesisExecutionRole", "/service-role/"),
    ("AmazonECSTaskExecutionRolePolicy", "/service-role/"),
    ("AWSXRayDaemonWriteAccess", "/"),
    ("CloudWatchAgentServerPolicy", "/"),
    ("AmazonSSMManagedInstanceCore", "/"),
    ("AmazonEC2ContainerRegistryReadOnly", "/"),
    ("AmazonS3ReadOnlyAccess", "/"),
    ("AmazonS3FullAccess", "/"),
    ("AdministratorAccess", "/"),
    ("PowerUserAccess", "/"),
    ("ReadOnlyAccess", "/"),
    ("ViewOnlyAccess", "/job-function/"),
];

/// The ARN for a managed policy given by name or ARN; `None` when the name is unknown
/// or the ARN is not an IAM policy ARN.
pub fn resolve_managed_policy(name_or_arn: &str, partition: Option<&str>) -> Option<String> {
    if name_or_arn.starts_with("arn:") {
        let arn = Arn::parse_strict(name_or_arn).ok()?;
        return (arn.service == "iam" && arn.resource.starts_with("policy/"))
            .then(|| name_or_arn.to_string());
    }
    let partition = partition.unwrap_or("aws");
    KNOWN
        .iter()
        .find(|(n, _)| *n == name_or_arn)
        .map(|(n, path)| format!("arn:{partition}:iam::aws:policy{path}{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_basic_execution_has_its_path() {
        assert_eq!(
            resolve_managed_policy("AWSLambdaBasicExecutionRole", None).as_deref(),
            Some("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        );
        assert_eq!(
            resolve_managed_policy("AdministratorAccess", Some("aws-cn")).as_deref(),
            Some("arn:aws-cn:iam::aws:policy/AdministratorAccess")
        );
    }

    #[test]
    fn arns_pass_through_and_unknown_names_do_not() {
        let arn = "arn:aws:iam::123456789012:policy/team/Custom";
        assert_eq!(resolve_managed_policy(arn, None).as_deref(), Some(arn));
        assert_eq!(resolve_managed_policy("arn:aws:s3:::b", None), None);
        assert_eq!(
            resolve_managed_policy("AWSLambdaBasicExecution", None),
            None
        );
    }
}
