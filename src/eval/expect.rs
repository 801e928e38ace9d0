//! Checking a role's expectations (`[[expect]]`) and who it is for (`assumed_by`): the API
//! `lint`, `render` and the editor's Check panel call on every change.

use serde::Serialize;

use crate::role::RoleSpec;

use super::engine::{ConditionMode, Decision, Evaluation, ServiceFacts};
use super::policy::PolicySet;
use super::request::{Context, Request};

/// One expectation of a role as a request and the outcome it must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// Its index in the role file's `[[expect]]` list.
    pub index: usize,
    pub request: Request,
    /// `true`: must be allowed; `false`: must be denied.
    pub allow: bool,
    pub why: Option<String>,
}

impl Expectation {
    /// The expectations a role file lists, placeholders in resources filled.
    pub fn from_role(role: &RoleSpec) -> Vec<Expectation> {
        role.expectations
            .iter()
            .enumerate()
            .filter_map(|(index, e)| {
                let (action, allow) = e.action()?;
                let mut context = Context::default();
                for (k, v) in e.context_values() {
                    context.insert(k, v);
                }
                Some(Expectation {
                    index,
                    request: Request {
                        principal: e.principal.clone(),
                        action: action.to_string(),
                        resource: e.resource.as_deref().map(|r| role.fill_placeholders(r)),
                        context,
                    },
                    allow,
                    why: e.why.clone(),
                })
            })
            .collect()
    }

    /// `allow s3:PutObject on arn:aws:s3:::b/k` / `deny sts:AssumeRole by ec2.amazonaws.com`.
    pub fn describe(&self) -> String {
        let verb = if self.allow { "allow" } else { "deny" };
        match &self.request.principal {
            Some(p) => format!("{verb} {} by {p}", self.request.action),
            None => format!(
                "{verb} {} on {}",
                self.request.action,
                self.request.resource_or_star()
            ),
        }
    }
}

/// An expectation with the simulator's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationResult {
    pub index: usize,
    #[serde(skip)]
    pub expectation: Expectation,
    pub passed: bool,
    pub evaluation: Evaluation,
}

impl ExpectationResult {
    /// One line: what was expected, what the simulator decided, and why.
    pub fn message(&self) -> String {
        let e = &self.expectation;
        let want = if e.allow { "allowed" } else { "denied" };
        let mut m = format!(
            "expected {} to be {want}, but it is {}",
            e.describe().split_once(' ').map_or("", |(_, rest)| rest),
            self.evaluation.decision.as_str()
        );
        if let Some(first) = self.evaluation.reasons.first() {
            m.push_str(": ");
            m.push_str(first);
        } else if let Some(s) = self.evaluation.statements.first() {
            m.push_str(&format!(" by {}", s.describe()));
        }
        if let Some(why) = &e.why {
            m.push_str(&format!(" (expected because: {why})"));
        }
        m
    }
}

/// Checks expectations against compiled policies. Deny expectations pass on an explicit or
/// implicit deny; `unknown` never passes.
pub fn check_expectations(
    set: &PolicySet,
    expectations: &[Expectation],
    facts: Option<&dyn ServiceFacts>,
) -> Vec<ExpectationResult> {
    expectations
        .iter()
        .map(|e| {
            let evaluation = set.evaluate(&e.request, facts);
            let passed = if e.allow {
                evaluation.decision == Decision::Allowed
            } else {
                evaluation.decision.is_denied()
            };
            ExpectationResult {
                index: e.index,
                expectation: e.clone(),
                passed,
                evaluation,
            }
        })
        .collect()
}

/// A principal of `assumed_by` that the trust policy does not let in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssumedByResult {
    pub index: usize,
    pub principal: String,
    pub passed: bool,
    pub evaluation: Evaluation,
}

/// Can each principal of `assumed_by` assume the role, in some context? (Conditions of
/// Allow statements are taken to hold: `assumed_by` says who the role is for, not from
/// where.)
pub fn check_assumed_by(set: &PolicySet, principals: &[String]) -> Vec<AssumedByResult> {
    principals
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let evaluation =
                set.evaluate_with(&Request::assume(p), None, ConditionMode::Favourable);
            AssumedByResult {
                index,
                principal: p.clone(),
                passed: evaluation.decision == Decision::Allowed,
                evaluation,
            }
        })
        .collect()
}

/// Everything a role file claims about itself, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleCheck {
    pub expectations: Vec<ExpectationResult>,
    pub assumed_by: Vec<AssumedByResult>,
}

impl RoleCheck {
    pub fn all_passed(&self) -> bool {
        self.expectations.iter().all(|e| e.passed) && self.assumed_by.iter().all(|a| a.passed)
    }
}

/// Checks a role's `[[expect]]` entries and `assumed_by` (cheap enough for every keystroke).
pub fn check_role(
    role: &RoleSpec,
    source: Option<(&str, &str)>,
    facts: Option<&dyn ServiceFacts>,
) -> RoleCheck {
    if role.expectations.is_empty() && role.assumed_by.is_empty() {
        return RoleCheck::default();
    }
    let set = PolicySet::from_role(role, source);
    RoleCheck {
        expectations: check_expectations(&set, &Expectation::from_role(role), facts),
        assumed_by: check_assumed_by(&set, &role.assumed_by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::role::parse_role_text;

    const SEED: &str = r#"
name = "string-reverser"
managed_policies = ["AWSLambdaBasicExecutionRole"]
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "write-reversed-strings"
[[policy.statement]]
actions = ["s3:PutObject", "s3:PutObjectAcl"]
resources = ["arn:aws:s3:::my-super-specific-bucket/*"]
"#;

    fn eval(text: &str, action: &str, resource: &str) -> Evaluation {
        let role = parse_role_text("seed.toml", text).unwrap();
        PolicySet::from_role(&role, Some(("seed.toml", text))).evaluate(
            &Request::new(action, Some(resource)),
            Some(Catalog::embedded()),
        )
    }

    #[test]
    fn the_seed_role_allows_what_it_should_and_nothing_else() {
        let put = eval(
            SEED,
            "s3:PutObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(put.decision, Decision::Allowed);
        assert_eq!(put.statements[0].policy, "write-reversed-strings");
        assert_eq!(put.statements[0].line, Some(8));
        let del = eval(
            SEED,
            "s3:DeleteObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(del.decision, Decision::ImplicitDeny);
        let other = eval(SEED, "s3:PutObject", "arn:aws:s3:::another-bucket/x");
        assert_eq!(other.decision, Decision::ImplicitDeny);
        let logs = eval(
            SEED,
            "logs:PutLogEvents",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:s",
        );
        assert_eq!(logs.decision, Decision::Allowed, "{logs:?}");
        assert_eq!(logs.statements[0].policy, "AWSLambdaBasicExecutionRole");
    }

    #[test]
    fn the_bucket_arn_mistake_is_explained() {
        let wrong = SEED.replace("my-super-specific-bucket/*", "my-super-specific-bucket");
        let e = eval(
            &wrong,
            "s3:PutObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(
            e.reasons,
            vec!["resource arn:aws:s3:::my-super-specific-bucket does not match arn:aws:s3:::my-super-specific-bucket/x: object-level actions need arn:aws:s3:::my-super-specific-bucket/*".to_string()]
        );
    }

    #[test]
    fn the_role_file_boundary_caps_the_grants() {
        let capped = format!("permissions_boundary = \"AWSLambdaBasicExecutionRole\"\n{SEED}");
        let e = eval(
            &capped,
            "s3:PutObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(
            e.reasons[0].contains("permissions boundary AWSLambdaBasicExecutionRole"),
            "{:?}",
            e.reasons
        );
        let own = format!(
            "account = \"123456789012\"\npermissions_boundary = \"cap\"\n{SEED}[[policy]]\nname = \"cap\"\n[[policy.statement]]\nactions = [\"s3:*\"]\nresources = [\"*\"]\n"
        );
        let e = eval(
            &own,
            "s3:PutObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(e.decision, Decision::Allowed, "{e:?}");
        assert_eq!(e.statements[0].policy, "write-reversed-strings");
        let e = eval(
            &own,
            "s3:DeleteObject",
            "arn:aws:s3:::my-super-specific-bucket/x",
        );
        assert_eq!(
            e.decision,
            Decision::ImplicitDeny,
            "a boundary grants nothing by itself"
        );
    }

    #[test]
    fn expectations_and_assumed_by() {
        let text = format!(
            "assumed_by = [\"lambda.amazonaws.com\", \"ec2.amazonaws.com\"]\n{SEED}\n[[expect]]\nallow = \"s3:PutObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/a\"\n[[expect]]\ndeny = \"s3:DeleteObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/a\"\n[[expect]]\nallow = \"s3:GetObject\"\nresource = \"arn:aws:s3:::my-super-specific-bucket/a\"\n"
        );
        let role = parse_role_text("r.toml", &text).unwrap();
        let check = check_role(&role, None, None);
        let passed: Vec<bool> = check.expectations.iter().map(|e| e.passed).collect();
        assert_eq!(passed, vec![true, true, false]);
        let ab: Vec<bool> = check.assumed_by.iter().map(|a| a.passed).collect();
        assert_eq!(ab, vec![true, false]);
    }
}
