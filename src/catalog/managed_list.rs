//! Every AWS managed policy's name and path (`assets/catalog/aws-managed-policies.txt`), so
//! a managed policy ARN can be checked before it is attached: the path is easy to get wrong
//! (`service-role/AWSLambdaBasicExecutionRole`) and a wrong one fails at deploy time.

use std::collections::HashMap;
use std::sync::OnceLock;

const LIST: &str = include_str!("../../assets/catalog/aws-managed-policies.txt");

/// One AWS managed policy of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedEntry {
    pub name: &'static str,
    /// The path between `policy/` and the name, without slashes (`service-role`), or empty.
    pub path: &'static str,
    /// AWS has deprecated it: it can no longer be attached to new roles.
    pub deprecated: bool,
}

impl ManagedEntry {
    /// The policy's ARN in `partition`, for a policy that is not deprecated.
    pub fn arn(&self, partition: &str) -> String {
        if self.path.is_empty() {
            format!("arn:{partition}:iam::aws:policy/{}", self.name)
        } else {
            format!(
                "arn:{partition}:iam::aws:policy/{}/{}",
                self.path, self.name
            )
        }
    }
}

struct Index {
    entries: Vec<ManagedEntry>,
    /// Lower-case name → entry.
    by_name: HashMap<String, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let entries: Vec<ManagedEntry> = LIST
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.strip_prefix("deprecated ") {
                Some(name) => ManagedEntry {
                    name,
                    path: "",
                    deprecated: true,
                },
                None => {
                    let (path, name) = l.rsplit_once('/').unwrap_or(("", l));
                    ManagedEntry {
                        name,
                        path,
                        deprecated: false,
                    }
                }
            })
            .collect();
        let by_name = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.to_ascii_lowercase(), i))
            .collect();
        Index { entries, by_name }
    })
}

/// The AWS managed policy with this name, ignoring case (AWS's names are unique that way).
pub fn lookup(name: &str) -> Option<ManagedEntry> {
    let ix = index();
    ix.by_name
        .get(&name.to_ascii_lowercase())
        .and_then(|&i| ix.entries.get(i))
        .copied()
}

/// Is `name` exactly (case included) the name of an AWS managed policy?
pub fn is_aws_managed_name(name: &str) -> bool {
    lookup(name).is_some_and(|e| e.name == name)
}

/// Every policy of the list, in its order.
pub fn all() -> &'static [ManagedEntry] {
    &index().entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_knows_paths_and_deprecations() {
        let basic = lookup("awslambdabasicexecutionrole").unwrap();
        assert_eq!(basic.name, "AWSLambdaBasicExecutionRole");
        assert_eq!(
            basic.arn("aws"),
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        );
        assert_eq!(lookup("ReadOnlyAccess").unwrap().path, "");
        assert_eq!(lookup("ViewOnlyAccess").unwrap().path, "job-function");
        assert!(all().iter().any(|e| e.deprecated));
        assert!(all().len() > 1500);
        assert!(is_aws_managed_name("AdministratorAccess"));
        assert!(!is_aws_managed_name("administratoraccess"));
        assert!(lookup("NoSuchPolicyAnywhere").is_none());
    }
}
