//! `policy-too-large`: a document over IAM's size quota (characters without whitespace).
//! Inline policies are sized together at the role level (see [`super::role`]).

use crate::policy::size::{iam_size, quota};

use super::{Doc, Finding, PolicyKind};

pub(crate) fn check(d: &Doc<'_>, out: &mut Vec<Finding>) {
    let (limit, what) = match d.kind {
        PolicyKind::Trust => (quota::TRUST_POLICY, "a role trust policy"),
        // AWS managed policies are AWS's to size: the customer quota does not bind them.
        PolicyKind::Identity if d.aws_managed => return,
        PolicyKind::Identity => (quota::MANAGED_POLICY, "a managed policy"),
        PolicyKind::Scp => (
            quota::CONTROL_POLICY,
            "a service or resource control policy",
        ),
        // Each service has its own quota for its resource policies (S3 20 KB, KMS 32 KB, ...).
        PolicyKind::Resource | PolicyKind::Inline => return,
    };
    let size = iam_size(d.doc);
    if size > limit {
        out.push(Finding::new(
            "policy-too-large",
            format!(
                "the policy is {size} characters without whitespace, over the {limit} allowed for {what}"
            ),
            d.root(),
        ));
    }
}
