//! IAM's policy evaluation logic over a [`PolicySet`], with the why of every decision.
//!
//! For a permission question: an explicit `Deny` in any identity policy, the permissions
//! boundary or an SCP wins; otherwise an identity policy must `Allow`, and the boundary and
//! the SCPs, when given, must allow too. A trust question (the request has a principal) is
//! answered by the trust policy alone. A policy whose document is unknown turns what would
//! be an implicit deny into `unknown`, never into an allow.

use std::collections::HashSet;

use serde::Serialize;

use crate::catalog::Service;
use crate::policy::Effect;
use crate::policy::arn::{pattern_fits_template_with, slash_free_placeholders};

use super::condition::Outcome;
use super::policy::{CompiledPolicy, CompiledStatement, PolicyEntry, PolicyKind, PolicySet};
use super::request::{Context, PrincipalId, Request};

/// What IAM would decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
    /// A policy that could decide it is not known to rolesmith.
    Unknown,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
            Decision::Unknown => "unknown",
        }
    }

    pub fn is_denied(self) -> bool {
        matches!(self, Decision::ExplicitDeny | Decision::ImplicitDeny)
    }
}

/// A statement that took part in a decision, with where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub kind: PolicyKind,
    pub policy: String,
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// For a statement that nearly applied: what did not match, part by part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl StatementRef {
    /// `inline policy write (statement 0, Sid W) at role.toml:14:1`.
    pub fn describe(&self) -> String {
        let mut s = if self.kind == PolicyKind::Trust && self.policy == "trust" {
            format!("trust policy, statement {}", self.statement)
        } else {
            format!(
                "{} {}, statement {}",
                self.kind.describe(),
                self.policy,
                self.statement
            )
        };
        if let Some(sid) = &self.sid {
            s.push_str(&format!(" (Sid {sid})"));
        }
        if let Some(f) = &self.file {
            s.push_str(&format!(" at {f}"));
            if let (Some(l), Some(c)) = (self.line, self.column) {
                s.push_str(&format!(":{l}:{c}"));
            }
        }
        s
    }
}

/// The decision, the statements that made it, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    /// The deciding statements; for an implicit deny, the nearest ones.
    pub statements: Vec<StatementRef>,
    pub reasons: Vec<String>,
}

/// What the engine needs of the catalog: a service's resource types, to explain a resource
/// that does not match ("object-level actions need bucket/*"). `Catalog` implements it.
pub trait ServiceFacts {
    fn service(&self, prefix: &str) -> Option<&Service>;
}

impl ServiceFacts for crate::catalog::Catalog {
    fn service(&self, prefix: &str) -> Option<&Service> {
        crate::catalog::Catalog::service(self, prefix)
    }
}

/// How conditions are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ConditionMode {
    /// As the request's context says (the normal case).
    #[default]
    Exact,
    /// The most favourable context: an Allow's conditions hold, a Deny's do not. Answers
    /// "could this principal ever assume the role?" (`assumed_by`).
    Favourable,
}

/// The request prepared once for all statements.
struct Prepared<'a> {
    /// Lower-cased, as actions are matched.
    action: String,
    /// As the request spelled it, for reasons.
    shown: &'a str,
    resource: &'a str,
    context: std::borrow::Cow<'a, Context>,
    principal: Option<PrincipalId>,
    mode: ConditionMode,
}

/// How one statement relates to the request.
struct Check {
    applies: bool,
    /// 4 action, 2 resource/principal, 1 conditions: how close it came.
    score: u8,
    reasons: Vec<String>,
}

impl PolicySet {
    /// Evaluates one request. `facts` improves the reasons; the decision does not need it.
    pub fn evaluate(&self, request: &Request, facts: Option<&dyn ServiceFacts>) -> Evaluation {
        self.evaluate_with(request, facts, ConditionMode::Exact)
    }

    /// [`PolicySet::evaluate`] with a choice of how conditions are read.
    pub fn evaluate_with(
        &self,
        request: &Request,
        facts: Option<&dyn ServiceFacts>,
        mode: ConditionMode,
    ) -> Evaluation {
        let prepared = Prepared {
            action: request.action.to_ascii_lowercase(),
            shown: &request.action,
            resource: request.resource_or_star(),
            context: request.effective_context(),
            principal: request.principal.as_deref().map(PrincipalId::parse),
            mode,
        };
        if prepared.principal.is_some() {
            return self.evaluate_trust(request, &prepared);
        }
        self.evaluate_identity(request, &prepared, facts)
    }

    fn evaluate_trust(&self, request: &Request, p: &Prepared<'_>) -> Evaluation {
        let Some(trust) = &self.trust else {
            return Evaluation {
                decision: Decision::ImplicitDeny,
                statements: Vec::new(),
                reasons: vec!["there is no trust policy to ask".into()],
            };
        };
        let denies = applying(trust, Effect::Deny, p, None);
        if !denies.is_empty() {
            return explicit_deny(denies);
        }
        let allows = applying(trust, Effect::Allow, p, None);
        if !allows.is_empty() {
            return allowed(allows);
        }
        let who = request.principal.as_deref().unwrap_or_default();
        let (statements, mut reasons) = nearest(&[trust], p, None);
        if statements.is_empty() {
            reasons.push(format!(
                "no statement of the trust policy allows {} for {who}",
                request.action
            ));
        }
        Evaluation {
            decision: Decision::ImplicitDeny,
            statements,
            reasons,
        }
    }

    fn evaluate_identity(
        &self,
        request: &Request,
        p: &Prepared<'_>,
        facts: Option<&dyn ServiceFacts>,
    ) -> Evaluation {
        let known: Vec<&CompiledPolicy> = self
            .identity
            .iter()
            .filter_map(|e| match e {
                PolicyEntry::Known(c) => Some(c),
                PolicyEntry::Unknown(_) => None,
            })
            .collect();
        let boundary = match &self.boundary {
            Some(PolicyEntry::Known(b)) => Some(b),
            _ => None,
        };
        // 1. An explicit Deny anywhere.
        let mut denies = Vec::new();
        for policy in known.iter().copied().chain(boundary).chain(&self.scps) {
            denies.extend(applying(policy, Effect::Deny, p, facts));
        }
        if !denies.is_empty() {
            return explicit_deny(denies);
        }
        let what = format!("{} on {}", request.action, p.resource);
        // 2. SCPs, when given, must allow.
        if !self.scps.is_empty() {
            let scp_allows: Vec<_> = self
                .scps
                .iter()
                .flat_map(|s| applying(s, Effect::Allow, p, facts))
                .collect();
            if scp_allows.is_empty() {
                let refs: Vec<&CompiledPolicy> = self.scps.iter().collect();
                let (statements, mut reasons) = nearest(&refs, p, facts);
                reasons.insert(0, format!("no service control policy allows {what}"));
                return Evaluation {
                    decision: Decision::ImplicitDeny,
                    statements,
                    reasons,
                };
            }
        }
        // 3. The boundary, when given, must allow.
        match &self.boundary {
            Some(PolicyEntry::Known(b)) if applying(b, Effect::Allow, p, facts).is_empty() => {
                let (statements, mut reasons) = nearest(&[b], p, facts);
                reasons.insert(
                    0,
                    format!("the permissions boundary {} does not allow {what}", b.name),
                );
                return Evaluation {
                    decision: Decision::ImplicitDeny,
                    statements,
                    reasons,
                };
            }
            Some(PolicyEntry::Unknown(u)) => {
                return Evaluation {
                    decision: Decision::Unknown,
                    statements: Vec::new(),
                    reasons: vec![format!(
                        "the permissions boundary {}: {}; it may not allow {what}",
                        u.name, u.why
                    )],
                };
            }
            _ => {}
        }
        // 4. An identity policy must allow.
        let allows: Vec<StatementRef> = known
            .iter()
            .flat_map(|policy| applying(policy, Effect::Allow, p, facts))
            .collect();
        if !allows.is_empty() {
            return allowed(allows);
        }
        let unknown: Vec<String> = self
            .identity
            .iter()
            .filter_map(|e| match e {
                PolicyEntry::Unknown(u) => Some(format!(
                    "{} is attached but {}: it may allow {what}",
                    u.name, u.why
                )),
                PolicyEntry::Known(_) => None,
            })
            .collect();
        let (statements, mut reasons) = nearest(&known, p, facts);
        if !unknown.is_empty() {
            reasons.splice(0..0, unknown);
            return Evaluation {
                decision: Decision::Unknown,
                statements,
                reasons,
            };
        }
        if statements.is_empty() {
            let service = p.action.split(':').next().unwrap_or_default();
            reasons.push(if known.is_empty() {
                "the role has no permission policy".to_string()
            } else {
                format!("no statement allows any {service} action")
            });
        }
        Evaluation {
            decision: Decision::ImplicitDeny,
            statements,
            reasons,
        }
    }
}

fn explicit_deny(statements: Vec<StatementRef>) -> Evaluation {
    let reasons = statements
        .iter()
        .map(|s| format!("denied by {}", s.describe()))
        .collect();
    Evaluation {
        decision: Decision::ExplicitDeny,
        statements,
        reasons,
    }
}

fn allowed(statements: Vec<StatementRef>) -> Evaluation {
    Evaluation {
        decision: Decision::Allowed,
        statements,
        reasons: Vec::new(),
    }
}

fn reference(policy: &CompiledPolicy, s: &CompiledStatement, reasons: Vec<String>) -> StatementRef {
    StatementRef {
        file: policy.file.clone(),
        kind: policy.kind,
        policy: policy.name.clone(),
        statement: s.index,
        sid: s.sid.clone(),
        effect: s.effect,
        line: s.pos.map(|p| p.line),
        column: s.pos.map(|p| p.column),
        reasons,
    }
}

/// The statements of `effect` in `policy` that apply to the request.
fn applying(
    policy: &CompiledPolicy,
    effect: Effect,
    p: &Prepared<'_>,
    facts: Option<&dyn ServiceFacts>,
) -> Vec<StatementRef> {
    policy
        .statements
        .iter()
        .filter(|s| s.effect == effect && check(s, p, Want::Applies, facts).applies)
        .map(|s| reference(policy, s, Vec::new()))
        .collect()
}

/// For an implicit deny: the Allow statements that came closest, with what did not match.
fn nearest(
    policies: &[&CompiledPolicy],
    p: &Prepared<'_>,
    facts: Option<&dyn ServiceFacts>,
) -> (Vec<StatementRef>, Vec<String>) {
    let service = p.action.split(':').next().unwrap_or_default();
    let mut scored: Vec<(u8, &CompiledPolicy, &CompiledStatement)> = Vec::new();
    for policy in policies {
        for s in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            // Scored without words; only the chosen ones are explained below.
            let c = check(s, p, Want::Score, None);
            let same_service = s.actions.iter().any(|(a, _)| {
                a.split(':')
                    .next()
                    .is_some_and(|sv| sv.eq_ignore_ascii_case(service) || sv == "*")
            });
            if c.score >= 4 || same_service || s.not_action {
                scored.push((c.score, policy, s));
            }
        }
    }
    let Some(best) = scored.iter().map(|(score, ..)| *score).max() else {
        return (Vec::new(), Vec::new());
    };
    let mut statements = Vec::new();
    let mut reasons = Vec::new();
    for (_, policy, s) in scored
        .into_iter()
        .filter(|(score, ..)| *score == best)
        .take(3)
    {
        let why = check(s, p, Want::Reasons, facts).reasons;
        for r in &why {
            if !reasons.contains(r) {
                reasons.push(r.clone());
            }
        }
        statements.push(reference(policy, s, why));
    }
    (statements, reasons)
}

/// What a [`check`] is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Only whether it applies: stop at the first part that does not match.
    Applies,
    /// How close it comes, without words.
    Score,
    /// The score and what did not match, in words.
    Reasons,
}

/// Checks one statement against the request.
fn check(
    s: &CompiledStatement,
    p: &Prepared<'_>,
    want: Want,
    facts: Option<&dyn ServiceFacts>,
) -> Check {
    let explain = want == Want::Reasons;
    let early = want == Want::Applies;
    let mut reasons = Vec::new();
    let mut score = 0;
    let mut ok = true;

    // Principal (trust and resource policies).
    if let Some(who) = &p.principal {
        let hit = match &s.principals {
            Some(entries) => entries.iter().any(|e| e.names(who)) != s.not_principal,
            None => false,
        };
        if hit {
            score += 2;
        } else {
            ok = false;
            if explain {
                let written = s
                    .principals
                    .iter()
                    .flatten()
                    .map(|e| e.written())
                    .collect::<Vec<_>>()
                    .join(", ");
                reasons.push(match (&s.principals, s.not_principal) {
                    (None, _) => "the statement names no principal".to_string(),
                    (Some(_), true) => {
                        format!("NotPrincipal {written} excludes {}", principal_text(who))
                    }
                    (Some(_), false) => format!(
                        "principal {} is not named in the statement (it names {written})",
                        principal_text(who)
                    ),
                });
            }
        }
    }

    // Action.
    let hit = s.action_hit(&p.action) != s.not_action;
    if hit {
        score += 4;
    } else {
        ok = false;
        if early {
            return Check {
                applies: false,
                score,
                reasons,
            };
        }
        if explain {
            let shown = p.shown;
            reasons.push(if s.not_action {
                format!("NotAction {} excludes {shown}", s.actions_written())
            } else {
                format!("action {shown} does not match {}", s.actions_written())
            });
        }
    }

    // Resource (not in trust policies).
    if p.principal.is_none() {
        match &s.resources {
            Some(patterns) => {
                let mut hit = false;
                let mut unresolved = None;
                for pat in patterns {
                    match pat.matches(p.resource, &p.context) {
                        Ok(true) => {
                            hit = true;
                            break;
                        }
                        Ok(false) => {}
                        Err(var) => unresolved = unresolved.or(Some(var)),
                    }
                }
                let applies = if s.not_resource {
                    !hit && unresolved.is_none()
                } else {
                    hit
                };
                if applies {
                    score += 2;
                } else {
                    ok = false;
                    if explain {
                        let written: Vec<&str> = patterns.iter().map(|x| x.text.as_str()).collect();
                        if let Some(var) = unresolved.filter(|_| !hit || s.not_resource) {
                            reasons.push(format!(
                                "policy variable ${{{var}}} in the resource has no value in the request (give it with --context {var}=...)"
                            ));
                        } else if s.not_resource {
                            reasons.push(format!(
                                "NotResource {} excludes {}",
                                written.join(", "),
                                p.resource
                            ));
                        } else {
                            let mut r = format!(
                                "resource {} does not match {}",
                                written.join(", "),
                                p.resource
                            );
                            if let Some(hint) =
                                resource_hint(&p.action, &written, p.resource, facts)
                            {
                                r.push_str(": ");
                                r.push_str(&hint);
                            }
                            reasons.push(r);
                        }
                    }
                }
            }
            None => {
                ok = false;
                if explain {
                    reasons.push("the statement has no Resource".into());
                }
            }
        }
    }
    if !ok && early {
        return Check {
            applies: false,
            score,
            reasons,
        };
    }

    // Conditions: all must hold.
    let mut cond_ok = true;
    for c in &s.conditions {
        let outcome = match p.mode {
            ConditionMode::Favourable => {
                if s.effect == Effect::Allow {
                    Outcome::True
                } else {
                    Outcome::False(String::new())
                }
            }
            ConditionMode::Exact => c.evaluate(&p.context, explain),
        };
        match outcome {
            Outcome::True => {}
            Outcome::False(why) => {
                cond_ok = false;
                if early {
                    break;
                }
                if explain && !why.is_empty() {
                    reasons.push(why);
                }
            }
            Outcome::Unresolved(var) => {
                cond_ok = false;
                if early {
                    break;
                }
                if explain {
                    reasons.push(format!(
                    "condition {} {}: policy variable ${{{var}}} has no value in the request, so the statement does not apply",
                    c.operator, c.key
                    ));
                }
            }
        }
    }
    if cond_ok {
        score += 1;
    }
    Check {
        applies: ok && cond_ok,
        score,
        reasons,
    }
}

fn principal_text(who: &PrincipalId) -> String {
    match who {
        PrincipalId::Service(s) | PrincipalId::Federated(s) => s.clone(),
        PrincipalId::Aws(a) => a.arn.clone(),
    }
}

/// Why a resource pattern misses: the resource type the action needs versus the one the
/// pattern names, and the pattern that would fit.
fn resource_hint(
    action: &str,
    patterns: &[&str],
    resource: &str,
    facts: Option<&dyn ServiceFacts>,
) -> Option<String> {
    let container = patterns.iter().find(|pat| {
        !pat.contains(['*', '?'])
            && resource.len() > pat.len() + 1
            && resource.starts_with(&format!("{pat}/"))
    });
    let (prefix, name) = action.split_once(':')?;
    let service = facts.and_then(|f| f.service(prefix));
    if let (Some(service), Some(pat)) = (service, container) {
        let slash_free: HashSet<String> = slash_free_placeholders(
            service
                .resources
                .values()
                .flat_map(|r| r.arn_formats.iter().map(String::as_str)),
        );
        let act = service
            .actions
            .values()
            .find(|a| a.name.eq_ignore_ascii_case(name))?;
        let fits = |arn: &str, type_name: &str| {
            service.resources.get(type_name).is_some_and(|rt| {
                rt.arn_formats
                    .iter()
                    .any(|t| pattern_fits_template_with(arn, t, &slash_free))
            })
        };
        let needed = act
            .resources
            .iter()
            .find(|r| fits(resource, &r.type_name))
            .map(|r| r.type_name.clone());
        let named = service
            .resources
            .keys()
            .find(|t| fits(pat, t) && !fits(resource, t))
            .cloned();
        if let (Some(needed), Some(named)) = (needed, named) {
            if needed == "object" {
                return Some(format!("object-level actions need {pat}/*"));
            }
            return Some(format!(
                "{} acts on {needed} resources and {pat} names a {named}: use {pat}/* or the {needed}'s own ARN",
                act_name(prefix, &act.name)
            ));
        }
    }
    container.map(|pat| format!("{pat} names the container, not what is inside it: use {pat}/*"))
}

fn act_name(prefix: &str, name: &str) -> String {
    format!("{prefix}:{name}")
}
