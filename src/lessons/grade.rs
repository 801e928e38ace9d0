//! Grading a learner's role against a lesson, and playing the lesson's calls against it.
//!
//! Both ask `eval` (the one evaluator) and, for finding codes, `lint::lint_role`: a lesson
//! can never disagree with what `simulate`, `lint` or the Check panel say about the role.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::eval::{
    Decision, Evaluation, Expectation, PolicyKind, PolicySet, PrincipalId, Request,
    check_assumed_by, check_expectations,
};
use crate::lint::{Finding, Severity, lint_role};
use crate::policy::{ConditionScalar, OneOrMany};
use crate::role::RoleSpec;

use super::{Check, DEFAULT_ACCOUNT, Lesson, ScriptedCall};

/// One task, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskResult {
    /// Its index in [`Lesson::tasks`].
    pub index: usize,
    pub passed: bool,
    /// Why it passed or failed, in one line (the simulator's reason, or the finding).
    pub reason: String,
}

/// A learner's role, graded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grade {
    pub tasks: Vec<TaskResult>,
    /// Error findings of the role (a lesson is not done while any is left).
    pub errors: Vec<Finding>,
    /// Every task passed and no error finding is left.
    pub done: bool,
}

impl Grade {
    /// How many tasks passed.
    pub fn passed(&self) -> usize {
        self.tasks.iter().filter(|t| t.passed).count()
    }

    /// The first task that has not passed: where the next hint should come from.
    pub fn first_failing(&self) -> Option<usize> {
        self.tasks.iter().find(|t| !t.passed).map(|t| t.index)
    }
}

fn request_of(
    role: &RoleSpec,
    action: &str,
    resource: Option<&str>,
    principal: Option<&str>,
    context: &indexmap::IndexMap<String, OneOrMany<ConditionScalar>>,
) -> Request {
    let mut cx = crate::eval::Context::default();
    for (k, v) in context {
        cx.insert(k, v.iter().map(|x| x.as_text()).collect());
    }
    Request {
        principal: principal.map(str::to_string),
        action: action.to_string(),
        resource: resource.map(|r| role.fill_placeholders(r)),
        context: cx,
    }
}

/// Grades `role` against every task of `lesson`.
pub fn grade(lesson: &Lesson, role: &RoleSpec, catalog: &Catalog) -> Grade {
    let set = PolicySet::from_role(role, None);
    let findings = lint_role(role, catalog);
    let tasks: Vec<TaskResult> = lesson
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let (passed, reason) = match &task.check {
                Check::Expect(spec) => match spec.action() {
                    Some((action, allow)) => {
                        let e = Expectation {
                            index,
                            request: request_of(
                                role,
                                action,
                                spec.resource.as_deref(),
                                spec.principal.as_deref(),
                                &spec.context,
                            ),
                            allow,
                            why: spec.why.clone(),
                        };
                        let results = check_expectations(&set, &[e], Some(catalog));
                        match results.first() {
                            Some(r) if r.passed => (true, passed_reason(&r.evaluation)),
                            Some(r) => (false, r.message()),
                            None => (false, "not checked".to_string()),
                        }
                    }
                    None => (false, "the task names no action".to_string()),
                },
                Check::AssumedBy(p) => {
                    let results = check_assumed_by(&set, std::slice::from_ref(p));
                    match results.first() {
                        Some(r) if r.passed => (true, format!("{p} can assume the role")),
                        Some(r) => (
                            false,
                            match r.evaluation.reasons.first() {
                                Some(why) => format!("{p} cannot assume the role: {why}"),
                                None => format!(
                                    "{p} cannot assume the role: the trust policy does not name it"
                                ),
                            },
                        ),
                        None => (false, "not checked".to_string()),
                    }
                }
                Check::Absent(codes) => {
                    match findings.iter().find(|f| codes.iter().any(|c| c == f.code)) {
                        Some(f) => (false, format!("still reported: {}: {}", f.code, f.message)),
                        None => (true, format!("no {} finding", codes.join(", "))),
                    }
                }
            };
            TaskResult {
                index,
                passed,
                reason,
            }
        })
        .collect();
    let errors: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let done = tasks.iter().all(|t| t.passed) && errors.is_empty();
    Grade {
        tasks,
        errors,
        done,
    }
}

fn passed_reason(e: &Evaluation) -> String {
    match (e.decision, e.statements.first()) {
        (Decision::Allowed, Some(s)) => format!("allowed by {}", s.describe()),
        (Decision::Allowed, None) => "allowed".to_string(),
        (Decision::ExplicitDeny, Some(s)) => format!("denied by {}", s.describe()),
        (_, _) => match e.reasons.first() {
            Some(r) => format!("denied: {r}"),
            None => "denied: nothing allows it".to_string(),
        },
    }
}

/// One scripted call as it would happen at run time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallOutcome {
    /// Its index in [`Lesson::calls`].
    pub index: usize,
    pub label: String,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub allowed: bool,
    pub decision: Decision,
    /// The error AWS would print for a denied call (`User: ... is not authorized to
    /// perform: ...`); `None` when allowed, or when rolesmith cannot decide (`unknown`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The simulator's why: the deciding statement, or what did not match.
    pub why: Vec<String>,
}

/// Plays every call of `lesson` against `role`, in order.
pub fn play_calls(lesson: &Lesson, role: &RoleSpec, catalog: &Catalog) -> Vec<CallOutcome> {
    let set = PolicySet::from_role(role, None);
    lesson
        .calls
        .iter()
        .enumerate()
        .map(|(index, call)| {
            let request = request_of(
                role,
                &call.action,
                call.resource.as_deref(),
                call.principal.as_deref(),
                &call.context,
            );
            let evaluation = set.evaluate(&request, Some(catalog));
            let allowed = evaluation.decision == Decision::Allowed;
            let message = (evaluation.decision.is_denied())
                .then(|| denial_message(lesson, role, call, &request, &evaluation));
            let mut why: Vec<String> = Vec::new();
            match evaluation.decision {
                Decision::Allowed | Decision::ExplicitDeny => {
                    let verb = if allowed { "allowed by" } else { "denied by" };
                    why.extend(
                        evaluation
                            .statements
                            .first()
                            .map(|s| format!("{verb} {}", s.describe())),
                    );
                    why.extend(evaluation.reasons.iter().cloned());
                }
                Decision::ImplicitDeny | Decision::Unknown => {
                    why.extend(evaluation.reasons.iter().cloned());
                    if why.is_empty() {
                        why.push(if call.principal.is_some() {
                            "no statement of the trust policy lets this principal assume the role"
                                .to_string()
                        } else {
                            format!("no statement of the role allows {}", call.action)
                        });
                    }
                }
            }
            CallOutcome {
                index,
                label: call.label.clone(),
                action: call.action.clone(),
                resource: request.resource.clone(),
                allowed,
                decision: evaluation.decision,
                message,
                why,
            }
        })
        .collect()
}

/// The error the caller would see for a denied call, in the shape AWS prints it today.
fn denial_message(
    lesson: &Lesson,
    role: &RoleSpec,
    call: &ScriptedCall,
    request: &Request,
    evaluation: &Evaluation,
) -> String {
    let partition = role.partition.as_deref().unwrap_or("aws");
    let account = role.account.as_deref().unwrap_or(DEFAULT_ACCOUNT);
    let role_name = if role.name.is_empty() {
        "role"
    } else {
        &role.name
    };
    if let Some(principal) = &call.principal {
        let role_arn = format!("arn:{partition}:iam::{account}:role/{role_name}");
        return match PrincipalId::parse(principal) {
            PrincipalId::Service(s) if s == "lambda.amazonaws.com" => {
                "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.".to_string()
            }
            PrincipalId::Service(s) => format!(
                "{s} cannot assume {role_arn}: its trust policy does not allow {s} to call {}",
                request.action
            ),
            PrincipalId::Federated(_) => {
                let op = request
                    .action
                    .split_once(':')
                    .map_or(request.action.as_str(), |(_, n)| n);
                format!(
                    "An error occurred (AccessDenied) when calling the {op} operation: Not authorized to perform {}",
                    request.action
                )
            }
            PrincipalId::Aws(a) => format!(
                "User: {} is not authorized to perform: {} on resource: {role_arn}",
                a.arn, request.action
            ),
        };
    }
    let session = lesson.session_name(role);
    let mut m = format!(
        "User: arn:{partition}:sts::{account}:assumed-role/{role_name}/{session} is not authorized to perform: {}",
        call.action
    );
    if let Some(r) = &request.resource {
        m.push_str(&format!(" on resource: {r}"));
    }
    let kind = evaluation.statements.first().map(|s| s.kind);
    let boundary = evaluation
        .reasons
        .iter()
        .any(|r| r.contains("permissions boundary"));
    match evaluation.decision {
        Decision::ExplicitDeny => {
            let policy = match kind {
                Some(PolicyKind::Boundary) => "a permissions boundary",
                Some(PolicyKind::Scp) => "a service control policy",
                _ => "an identity-based policy",
            };
            m.push_str(&format!(" with an explicit deny in {policy}"));
        }
        _ => {
            let policy = if boundary {
                "permissions boundary"
            } else {
                "identity-based policy"
            };
            m.push_str(&format!(
                " because no {policy} allows the {} action",
                call.action
            ));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::denied::{Cause, parse_denial};

    fn lesson() -> &'static Lesson {
        crate::lessons::find("wildcard-not-wild").expect("built in")
    }

    #[test]
    fn the_bucket_arn_fails_and_the_objects_arn_passes() {
        let l = lesson();
        let catalog = Catalog::embedded();
        let g = grade(l, &l.start, catalog);
        assert!(!g.done);
        assert_eq!(
            g.tasks.iter().map(|t| t.passed).collect::<Vec<_>>(),
            [false, false, true, false]
        );
        assert!(
            g.tasks[0].reason.contains("object-level actions need"),
            "{g:?}"
        );
        let mut fixed = l.start.clone();
        fixed.policies[0].statements[0].resources =
            vec!["arn:aws:s3:::my-super-specific-bucket/*".into()];
        let g = grade(l, &fixed, catalog);
        assert!(g.done, "{g:?}");
        assert!(
            g.tasks[0]
                .reason
                .starts_with("allowed by inline policy write-reversed-strings")
        );
    }

    #[test]
    fn denied_calls_read_as_aws_prints_them() {
        let l = lesson();
        let calls = play_calls(l, &l.start, Catalog::embedded());
        assert!(calls[0].allowed && calls[1].allowed, "{calls:?}");
        let put = &calls[2];
        assert!(!put.allowed);
        let m = put.message.as_deref().unwrap();
        assert_eq!(
            m,
            "User: arn:aws:sts::123456789012:assumed-role/string-reverser/string-reverser is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::my-super-specific-bucket/reversed/abc.txt because no identity-based policy allows the s3:PutObject action"
        );
        let d = parse_denial(m).unwrap();
        assert_eq!(d.cause(), Cause::NoIdentityAllow);
        assert_eq!(d.action.as_deref(), Some("s3:PutObject"));
        assert!(put.why[0].contains("object-level actions need"), "{put:?}");
    }

    #[test]
    fn an_explicit_deny_and_a_trust_call_are_told_apart() {
        let l = crate::lessons::find("execution-role").unwrap();
        let calls = play_calls(l, &l.start, Catalog::embedded());
        assert_eq!(
            calls[0].message.as_deref(),
            Some(
                "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda."
            )
        );
        let mut role = crate::lessons::find("wildcard-not-wild")
            .unwrap()
            .start
            .clone();
        role.policies[0]
            .statements
            .push(crate::role::StatementSpec {
                effect: crate::policy::Effect::Deny,
                actions: vec!["s3:PutObjectAcl".into()],
                resources: vec!["*".into()],
                ..Default::default()
            });
        let calls = play_calls(lesson(), &role, Catalog::embedded());
        let m = calls[3].message.as_deref().unwrap();
        assert!(
            m.ends_with("with an explicit deny in an identity-based policy"),
            "{m}"
        );
        assert_eq!(
            parse_denial(m).unwrap().cause(),
            Cause::ExplicitDenyIdentity
        );
    }
}
