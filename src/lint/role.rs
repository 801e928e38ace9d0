//! Linting a role as a whole: its trust policy, each inline policy, and the checks that
//! only make sense for the role (sizes across documents, managed policies, Lambda logs,
//! escalation paths completed by several policies together). Accepted findings of the role
//! file (`[lint] ignore`, a statement's `ignore`) are applied here.
//!
//! Pointers point into the role as `render --format json` prints it
//! (`/AssumeRolePolicyDocument/...`, `/Policies/0/PolicyDocument/...`, `/ManagedPolicyArns/1`).
//!
//! Codes: `policy-too-large` (inline total, trust), `too-many-managed-policies`,
//! `managed-policy-broad`, `missing-logs-permissions`, those of [`super::deployment`]
//! (boundary, tags, created policies), and everything the documents give. A policy that is
//! only the role's permissions boundary gets the grammar checks, not the grant checks.

use super::context::glob_ignore_case as wildcard_match_ignore_case;
use crate::policy::size::{inline_policies_size, quota};
use crate::policy::{Effect, PolicyDocument, Principal};
use crate::role::RoleSpec;

use super::context::{CatalogView, LintContext};
use super::{
    Doc, DocumentRef, Finding, LintOptions, PolicyKind, apply_ignores, check_document, grammar,
    risk, sort_findings,
};

/// Default quota of managed policies attached to one role.
pub const MANAGED_POLICIES_QUOTA: usize = 10;

/// Lints a role with its own accepted findings applied.
pub fn lint_role(role: &RoleSpec, catalog: &dyn CatalogView) -> Vec<Finding> {
    lint_role_with(role, catalog, &LintOptions::default())
}

/// [`lint_role`] with run options (`--assumed-by`, `--ignore`).
pub fn lint_role_with(
    role: &RoleSpec,
    catalog: &dyn CatalogView,
    options: &LintOptions,
) -> Vec<Finding> {
    lint_role_in(&LintContext::new(catalog), role, options)
}

/// [`lint_role_with`] in an existing context (see [`super::lint_policy_text_in`]).
pub fn lint_role_in(cx: &LintContext<'_>, role: &RoleSpec, options: &LintOptions) -> Vec<Finding> {
    let docs = role.to_documents();
    let mut options = options.clone();
    if options.own_account.is_none() {
        options.own_account = role.account.clone();
    }
    let mut out = Vec::new();

    // The trust policy.
    let trust_prefix = "/AssumeRolePolicyDocument";
    if docs.trust.statements().is_empty() {
        out.push(located(
            Finding::new(
                "missing-element",
                "the role trusts nobody: add a [trust] section",
                trust_prefix,
            ),
            DocumentRef::Trust,
        ));
    } else {
        out.extend(located_all(
            grammar::check_at(
                &to_value(&docs.trust),
                PolicyKind::Trust,
                None,
                trust_prefix,
            ),
            DocumentRef::Trust,
        ));
        out.extend(check_document(
            cx,
            &docs.trust,
            PolicyKind::Trust,
            trust_prefix,
            DocumentRef::Trust,
            &options,
        ));
    }

    // Each inline policy, then escalation across all of them.
    let prefixes: Vec<String> = (0..docs.policies.len())
        .map(|i| format!("/Policies/{i}/PolicyDocument"))
        .collect();
    for (i, p) in docs.policies.iter().enumerate() {
        out.extend(located_all(
            grammar::check_at(
                &to_value(&p.document),
                PolicyKind::Inline,
                None,
                &prefixes[i],
            ),
            DocumentRef::Inline(i),
        ));
        if p.is_boundary_only() {
            // A boundary grants nothing: the grant checks would be false alarms on it.
            continue;
        }
        out.extend(check_document(
            cx,
            &p.document,
            PolicyKind::Inline,
            &prefixes[i],
            DocumentRef::Inline(i),
            &options,
        ));
    }
    let managed_docs: Vec<(usize, PolicyDocument)> = docs
        .managed_policy_arns
        .iter()
        .enumerate()
        .filter_map(|(i, arn)| cx.managed_policy(arn).document.map(|d| (i, d)))
        .collect();
    let managed_prefixes: Vec<String> = managed_docs
        .iter()
        .map(|(i, _)| format!("/ManagedPolicyArns/{i}"))
        .collect();
    // The role's own grants (its boundary is not one), and where each sits in `policies`.
    let grant_index: Vec<usize> = (0..docs.policies.len())
        .filter(|&i| !docs.policies[i].is_boundary_only())
        .collect();
    let mut all_docs: Vec<Doc<'_>> = grant_index
        .iter()
        .map(|&i| Doc {
            doc: &docs.policies[i].document,
            prefix: &prefixes[i],
            kind: PolicyKind::Inline,
            aws_managed: false,
        })
        .collect();
    let inline_count = all_docs.len();
    all_docs.extend(
        managed_docs
            .iter()
            .zip(&managed_prefixes)
            .map(|((_, d), prefix)| Doc {
                doc: d,
                prefix,
                kind: PolicyKind::Inline,
                aws_managed: true,
            }),
    );
    let refs: Vec<&Doc<'_>> = all_docs.iter().collect();
    for (n, mut f) in risk::escalation_findings(cx, &refs) {
        if n >= inline_count {
            // Completed inside a managed policy: point at the attachment.
            f.location.pointer = managed_prefixes[n - inline_count].clone();
            f.location.statement = None;
            f.location.document = DocumentRef::Role;
        } else {
            f.location.document = DocumentRef::Inline(grant_index[n]);
        }
        out.push(f);
    }

    // Sizes.
    let inline_size = inline_policies_size(docs.inline_policies().map(|p| &p.document));
    if inline_size > quota::ROLE_INLINE_POLICIES {
        out.push(located(
            Finding::new(
                "policy-too-large",
                format!(
                    "the inline policies together are {inline_size} characters without whitespace, over the {} a role allows",
                    quota::ROLE_INLINE_POLICIES
                ),
                "/Policies",
            ),
            DocumentRef::Role,
        ));
    }

    // Managed policies.
    let arns = &docs.managed_policy_arns;
    let attached = docs.attached_policy_arns().count();
    if attached > MANAGED_POLICIES_QUOTA {
        out.push(located(
            Finding::new(
                "too-many-managed-policies",
                format!(
                    "{attached} managed policies attached: IAM allows {MANAGED_POLICIES_QUOTA} per role by default (20 with a quota increase)"
                ),
                "/ManagedPolicyArns",
            ),
            DocumentRef::Role,
        ));
    }
    for (i, arn) in arns.iter().enumerate() {
        if let Some(message) = aws_managed_arn_problem(arn) {
            out.push(located(
                Finding::new(
                    "unknown-managed-policy",
                    message,
                    format!("/ManagedPolicyArns/{i}"),
                ),
                DocumentRef::Role,
            ));
        }
        let info = cx.managed_policy(arn);
        if info.broad {
            out.push(located(
                Finding::new(
                    "managed-policy-broad",
                    format!("{} grants far more than a workload needs: replace it with an inline policy of what the role uses", info.name),
                    format!("/ManagedPolicyArns/{i}"),
                ),
                DocumentRef::Role,
            ));
        }
    }

    // Lambda without logs.
    if trusted_by(&docs.trust, "lambda.amazonaws.com") && !can_write_logs(cx, &docs, &all_docs) {
        out.push(located(
            Finding::new(
                "missing-logs-permissions",
                "the role is for Lambda but cannot write CloudWatch Logs (logs:CreateLogStream, logs:PutLogEvents): attach AWSLambdaBasicExecutionRole",
                "/ManagedPolicyArns",
            ),
            DocumentRef::Role,
        ));
    }

    // The role file's own claims: `[[expect]]` and `assumed_by`.
    super::expectations::check(cx, role, &options, &mut out);
    // Boundary, tags, created policies.
    out.extend(super::deployment::check(cx, role, &docs));

    // Accepted findings: statement-level, then role-level, then the run's.
    for (pi, policy) in role.policies.iter().enumerate() {
        for (si, statement) in policy.statements.iter().enumerate() {
            if statement.ignore.is_empty() {
                continue;
            }
            apply_ignores(&mut out, &statement.ignore, |f| {
                f.location.document == DocumentRef::Inline(pi) && f.location.statement == Some(si)
            });
        }
    }
    apply_ignores(&mut out, &role.lint.ignore, |_| true);
    apply_ignores(&mut out, &options.ignore, |_| true);
    sort_by_document(&mut out);
    out
}

/// What is wrong with an AWS managed policy ARN (`arn:aws:iam::aws:policy/...`) by the
/// catalog's list of AWS managed policies: a name AWS does not have, a deprecated one, or
/// the right name with the wrong path or case (attaching it fails at deploy time).
pub(crate) fn aws_managed_arn_problem(arn: &str) -> Option<String> {
    use crate::catalog::managed_list;
    let parsed = crate::policy::Arn::parse(arn).ok()?;
    if parsed.service != "iam" || parsed.account != "aws" || arn.contains(['*', '?']) {
        return None;
    }
    let path_and_name = parsed.resource.strip_prefix("policy/")?;
    if path_and_name.contains("${") {
        return None;
    }
    let (path, name) = path_and_name
        .rsplit_once('/')
        .unwrap_or(("", path_and_name));
    let partition = if parsed.partition.contains("${") {
        "aws"
    } else {
        parsed.partition.as_str()
    };
    match managed_list::lookup(name) {
        None => {
            let nearest = managed_list::all()
                .iter()
                .filter(|e| !e.deprecated)
                .map(|e| (strsim(name, e.name), e))
                .filter(|(d, _)| *d <= 3)
                .min_by_key(|(d, _)| *d)
                .map(|(_, e)| format!(" (did you mean {}?)", e.arn(partition)))
                .unwrap_or_default();
            Some(format!(
                "{arn}: AWS has no managed policy named {name}{nearest}; attaching it fails"
            ))
        }
        Some(e) if e.deprecated => Some(format!(
            "{arn}: AWS has deprecated {}: it can no longer be attached to a new role",
            e.name
        )),
        Some(e) if e.name != name || e.path != path.trim_matches('/') => Some(format!(
            "{arn} does not exist: the policy is {} (mind the path and the case); attaching it fails",
            e.arn(partition)
        )),
        Some(_) => None,
    }
}

/// Edit distance, for "did you mean" among managed policy names.
fn strsim(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(!ca.eq_ignore_ascii_case(cb)))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn to_value(doc: &PolicyDocument) -> serde_json::Value {
    serde_json::to_value(doc).unwrap_or(serde_json::Value::Null)
}

fn located(mut f: Finding, document: DocumentRef) -> Finding {
    f.location.document = document;
    f
}

fn located_all(findings: Vec<Finding>, document: DocumentRef) -> Vec<Finding> {
    findings.into_iter().map(|f| located(f, document)).collect()
}

/// Trust first, then inline policies in order, then the role; by position within each.
fn sort_by_document(findings: &mut [Finding]) {
    sort_findings(findings);
    findings.sort_by_key(|f| match f.location.document {
        DocumentRef::Policy | DocumentRef::Trust => 0,
        DocumentRef::Inline(i) => 1 + i,
        DocumentRef::Role => usize::MAX,
    });
}

fn trusted_by(trust: &PolicyDocument, service: &str) -> bool {
    trust.statements().iter().any(|s| {
        s.effect == Effect::Allow
            && matches!(&s.principal, Some(Principal::Map(m)) if m.service.iter().flatten().any(|p| p == service))
    })
}

/// Can the role create log streams and put log events, through an inline policy, a curated
/// managed policy's document, or a managed policy known to grant them?
fn can_write_logs(
    cx: &LintContext<'_>,
    docs: &crate::role::RoleDocuments,
    all_docs: &[Doc<'_>],
) -> bool {
    let needed = ["logs:CreateLogStream", "logs:PutLogEvents"];
    let by_documents = needed.iter().all(|a| {
        all_docs.iter().any(|d| {
            d.statements().iter().any(|s| {
                s.effect == Effect::Allow
                    && s.actions().iter().any(|p| wildcard_match_ignore_case(p, a))
            })
        })
    });
    by_documents
        || docs.managed_policy_arns.iter().any(|arn| {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            cx.data.logs_managed_policies.iter().any(|n| n == name)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::mini_catalog;
    use crate::role::parse_role_text;

    fn role(text: &str) -> Vec<Finding> {
        lint_role(&parse_role_text("r.toml", text).unwrap(), &mini_catalog())
    }

    #[test]
    fn lambda_roles_need_logs_unless_a_policy_grants_them() {
        let bare = "name = \"f\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n";
        assert!(
            role(bare)
                .iter()
                .any(|f| f.code == "missing-logs-permissions")
        );
        let managed = format!(
            "name = \"f\"\nmanaged_policies = [\"AWSLambdaBasicExecutionRole\"]\n{}",
            &bare[11..]
        );
        assert!(
            !role(&managed)
                .iter()
                .any(|f| f.code == "missing-logs-permissions")
        );
        let inline = format!(
            "{bare}[[policy]]\nname = \"logs\"\n[[policy.statement]]\nactions = [\"logs:CreateLogStream\", \"logs:PutLogEvents\"]\nresources = [\"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:*\"]\n"
        );
        assert!(
            !role(&inline)
                .iter()
                .any(|f| f.code == "missing-logs-permissions")
        );
    }

    #[test]
    fn escalation_across_inline_policies_and_broad_managed_policies() {
        let text = "name = \"ci\"\nmanaged_policies = [\"PowerUserAccess\"]\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n\
[[policy]]\nname = \"a\"\n[[policy.statement]]\nactions = [\"iam:PassRole\"]\nresources = [\"*\"]\n\
[[policy]]\nname = \"b\"\n[[policy.statement]]\nactions = [\"ec2:RunInstances\"]\nresources = [\"*\"]\n";
        let f = role(text);
        let esc = f.iter().find(|f| f.code == "privilege-escalation").unwrap();
        assert!(esc.message.contains("pass-role-ec2"), "{}", esc.message);
        assert_eq!(esc.location.document, DocumentRef::Inline(0));
        let broad = f.iter().find(|f| f.code == "managed-policy-broad").unwrap();
        assert_eq!(broad.location.pointer, "/ManagedPolicyArns/0");
    }

    #[test]
    fn inline_policies_are_sized_together() {
        let mut text =
            String::from("name = \"big\"\n[trust]\nservices = [\"ec2.amazonaws.com\"]\n");
        for p in 0..3 {
            text.push_str(&format!("[[policy]]\nname = \"p{p}\"\n[[policy.statement]]\nactions = [\"s3:GetObject\"]\nresources = ["));
            for i in 0..100 {
                text.push_str(&format!("\"arn:aws:s3:::bucket-{p}-{i:04}/reports/*\", "));
            }
            text.push_str("]\n");
        }
        let f = role(&text);
        let big = f.iter().find(|f| f.code == "policy-too-large").unwrap();
        assert_eq!(big.location.pointer, "/Policies");
        assert_eq!(big.location.document, DocumentRef::Role);
    }
}
