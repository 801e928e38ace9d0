//! Resolving managed policy names to ARNs.
//!
//! AWS managed policies are known by name, but their ARNs carry a path that is easy to get
//! wrong (`service-role/AWSLambdaBasicExecutionRole`). Names resolve through the curated
//! catalog of managed policies, so there is one list of them in the project.

use crate::catalog::curated::{arn_in_partition, lazy};
use crate::policy::arn::Arn;

/// The ARN for a managed policy given by name or ARN, in `partition` (default `aws`);
/// `None` when the name is unknown or the ARN is not an IAM policy ARN.
pub fn resolve_managed_policy(name_or_arn: &str, partition: Option<&str>) -> Option<String> {
    if name_or_arn.starts_with("arn:") {
        // Placeholders (`arn:${AWS::Partition}:iam::aws:policy/...` in a template) are fine.
        let arn = Arn::parse(name_or_arn).ok()?;
        arn.validate_in_policy().ok()?;
        return (arn.service == "iam" && arn.resource.starts_with("policy/"))
            .then(|| name_or_arn.to_string());
    }
    let partition = partition.unwrap_or("aws");
    // The curated list alone (no policy document is parsed for a name).
    lazy::managed_policy_arn(name_or_arn)
        .map(|arn| arn_in_partition(arn, partition))
        .or_else(|| {
            // Any other AWS managed policy, by its exact name, from the catalog's list.
            crate::catalog::managed_list::lookup(name_or_arn)
                .filter(|e| e.name == name_or_arn && !e.deprecated)
                .map(|e| e.arn(partition))
        })
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
        // Policies beyond the curated ones resolve through the catalog's full list.
        assert_eq!(
            resolve_managed_policy("AWSLambdaMSKExecutionRole", None).as_deref(),
            Some("arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole")
        );
    }
}
