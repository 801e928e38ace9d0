//! The role file's own claims, checked by the evaluation engine: a failed `[[expect]]` is
//! `expectation-failed`, a principal of `assumed_by` the trust does not let in is
//! `trust-principal-missing`. Pointers name the entry (`/expect/0`, `/assumed_by/1`).

use crate::catalog::Service;
use crate::eval::{self, ServiceFacts};
use crate::role::RoleSpec;

use super::context::{CatalogView, LintContext};
use super::{DocumentRef, Finding, LintOptions};

/// The lint's catalog as the engine's facts.
struct Facts<'a>(&'a dyn CatalogView);

impl ServiceFacts for Facts<'_> {
    fn service(&self, prefix: &str) -> Option<&Service> {
        self.0.service(prefix)
    }
}

pub(crate) fn check(
    cx: &LintContext<'_>,
    role: &RoleSpec,
    options: &LintOptions,
    out: &mut Vec<Finding>,
) {
    let facts = Facts(cx.catalog);
    let check = eval::check_role(role, None, Some(&facts));
    for r in check.expectations.iter().filter(|r| !r.passed) {
        let mut f = Finding::new(
            "expectation-failed",
            r.message(),
            format!("/expect/{}", r.index),
        );
        f.location.document = DocumentRef::Role;
        out.push(f);
    }
    for a in check.assumed_by.iter().filter(|a| !a.passed) {
        // `--assumed-by` with the same principal already reports it on the trust policy.
        if options.assumed_by.iter().any(|p| p == &a.principal) {
            continue;
        }
        let why = a
            .evaluation
            .reasons
            .first()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let mut f = Finding::new(
            "trust-principal-missing",
            format!(
                "the role is for {} (assumed_by), but its trust policy does not let it assume the role{why}",
                a.principal
            ),
            format!("/assumed_by/{}", a.index),
        );
        f.location.document = DocumentRef::Role;
        out.push(f);
    }
}
