//! Checks of `Action`/`NotAction`: format, catalog membership, wildcards, Permissions
//! management, redundant entries, and duplicate statements.
//!
//! Codes: `action-format`, `unknown-action`, `unknown-service`, `action-wildcard`,
//! `action-wildcard-partial`, `permissions-management`, `allow-not-action`,
//! `redundant-action`, `duplicate-statement`.

use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use super::context::glob_ignore_case as wildcard_match_ignore_case;
use crate::catalog::{AccessLevel, Action};
use crate::policy::{Effect, Statement};

use super::context::{LintContext, Resolved, ServiceIndex, count_permissions_management};
use super::{Doc, Edit, Finding, Fix, Severity};

/// How many expanded names a message lists before "and N more".
const LIST_LIMIT: usize = 8;

/// A service prefix the catalog lacks: reported once per document, with what it holds.
struct UnknownService {
    prefix: String,
    statement: usize,
    pointer: String,
    actions: Vec<String>,
}

pub(crate) fn check(cx: &LintContext<'_>, d: &Doc<'_>, out: &mut Vec<Finding>) {
    let mut unknown: Vec<UnknownService> = Vec::new();
    for (i, s) in d.statements().iter().enumerate() {
        let allow = s.effect == Effect::Allow;
        // Allow statements of trust, resource and control policies do not hand the actions
        // to the policy's holder: no breadth warnings there.
        let grants = allow && d.kind.grants_to_holder();
        for (field, list) in [("Action", &s.action), ("NotAction", &s.not_action)] {
            let Some(list) = list else { continue };
            for (j, action) in list.iter().enumerate() {
                // Built only for a finding: most entries have none.
                let pointer = || d.item(i, field, list, j);
                if let Some(prefix) = check_entry(cx, action, field, grants, i, j, pointer, out) {
                    match unknown.iter_mut().find(|u| u.prefix == prefix) {
                        Some(u) => u.actions.push(action.clone()),
                        None => unknown.push(UnknownService {
                            prefix,
                            statement: i,
                            pointer: pointer(),
                            actions: vec![action.clone()],
                        }),
                    }
                }
            }
            if field == "Action" {
                redundant(cx, d, i, list.as_slice(), out);
            }
        }
        if allow && d.kind != super::PolicyKind::Scp && s.not_action.is_some() {
            out.push(
                Finding::new(
                    "allow-not-action",
                    format!(
                        "Allow with NotAction grants every action except {}, including actions AWS adds later",
                        list_names(s.not_action.iter().flatten().cloned().collect())
                    ),
                    d.field(i, "NotAction"),
                )
                .with_statement(i),
            );
        }
    }
    for u in unknown {
        let n = u.actions.len();
        let what = if n == 1 {
            u.actions[0].clone()
        } else {
            format!("{n} actions ({})", list_names(u.actions))
        };
        out.push(
            Finding::new(
                "unknown-service",
                format!(
                    "service \"{}\" is not in the loaded catalog, so {what} could not be checked (check the prefix, or run `rolesmith catalog update`)",
                    u.prefix
                ),
                u.pointer,
            )
            .with_statement(u.statement),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn check_entry(
    cx: &LintContext<'_>,
    action: &str,
    field: &str,
    grants: bool,
    i: usize,
    j: usize,
    pointer: impl Fn() -> String,
    out: &mut Vec<Finding>,
) -> Option<String> {
    let grants = grants && field == "Action";
    match cx.resolve(action) {
        Resolved::Malformed => out.push(
            Finding::new(
                "action-format",
                format!("\"{action}\" is not an action: write service:Action, e.g. s3:GetObject (wildcards only in the action part)"),
                pointer(),
            )
            .with_statement(i),
        ),
        Resolved::UnknownService(prefix) => return Some(prefix),
        Resolved::Known { index, actions } if actions.is_empty() => {
            let prefix = &index.service.prefix;
            let name = action.split_once(':').map_or(action, |(_, n)| n);
            let closest = index.closest(name);
            let mut f = Finding::new(
                "unknown-action",
                match closest {
                    Some(c) => format!("{action}: {prefix} has no such action; did you mean {prefix}:{c}?"),
                    None => format!("{action}: {prefix} has no such action"),
                },
                pointer(),
            )
            .with_statement(i);
            if let Some(c) = closest
                && field == "Action"
                && !name.contains(['*', '?'])
            {
                f = f.with_fix(Fix::new(
                    format!("replace with {prefix}:{c}"),
                    vec![Edit::ReplaceAction {
                        statement: i,
                        index: j,
                        with: vec![format!("{prefix}:{c}")],
                    }],
                ));
            }
            out.push(f);
        }
        Resolved::Known { index, actions } => {
            if !grants {
                return None;
            }
            let b = cx.breadth(action, || breadth(action, &index, &actions))?;
            let mut f = Finding::new(b.code, b.message.clone(), pointer()).with_statement(i);
            if b.warning {
                f = f.with_severity(Severity::Warning);
            }
            if let Some(names) = &b.replace_with {
                f = f.with_fix(Fix::new(
                    format!("list the {} actions instead of {action}", names.len()),
                    vec![Edit::ReplaceAction {
                        statement: i,
                        index: j,
                        with: names.clone(),
                    }],
                ));
            }
            out.push(f);
        }
        Resolved::Everything => {
            if !grants {
                return None;
            }
            let all = cx.every_action();
            let pm = count_permissions_management(all.iter().map(|(_, a)| *a));
            out.push(
                Finding::new(
                    "action-wildcard",
                    format!(
                        "\"*\" grants every action of every service: {} actions in the loaded catalog, {pm} of them Permissions management",
                        all.len()
                    ),
                    pointer(),
                )
                .with_statement(i),
            );
        }
    }
    None
}

/// What a granted entry of a known service says about its breadth (`action-wildcard`,
/// `action-wildcard-partial`, `permissions-management`): it depends only on the entry's
/// text, so a run works it out once per text (a 10,000-statement policy repeating
/// `s3:Get*` listed its 70 names 10,000 times).
pub(crate) struct Breadth {
    code: &'static str,
    message: String,
    /// A partial wildcard that reaches Permissions management actions.
    warning: bool,
    /// The names a fix lists instead of a partial wildcard (when 20 or fewer).
    replace_with: Option<Vec<String>>,
}

/// [`Breadth`] of `action` (of `index`'s service), matching `actions` (never none).
fn breadth(action: &str, index: &ServiceIndex<'_>, actions: &[&Action]) -> Option<Breadth> {
    let prefix = &index.service.prefix;
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    if name == "*" {
        let pm = count_permissions_management(actions.iter().copied());
        return Some(Breadth {
            code: "action-wildcard",
            message: format!(
                "{action} grants all {} actions of {prefix}, {pm} of them Permissions management",
                actions.len()
            ),
            warning: false,
            replace_with: None,
        });
    }
    if name.contains(['*', '?']) {
        let names: Vec<String> = actions
            .iter()
            .map(|a| format!("{prefix}:{}", a.name))
            .collect();
        let pm_names: Vec<String> = actions
            .iter()
            .filter(|a| a.access == AccessLevel::PermissionsManagement)
            .map(|a| format!("{prefix}:{}", a.name))
            .collect();
        let mut message = format!(
            "{action} expands to {} action{}: {}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            list_names(names.clone())
        );
        let warning = !pm_names.is_empty();
        if warning {
            message.push_str(&format!(
                "; Permissions management among them: {}",
                list_names(pm_names)
            ));
        }
        return Some(Breadth {
            code: "action-wildcard-partial",
            message,
            warning,
            replace_with: (names.len() <= 20).then_some(names),
        });
    }
    let a = actions.first()?;
    (a.access == AccessLevel::PermissionsManagement).then(|| Breadth {
        code: "permissions-management",
        message: format!(
            "{prefix}:{} is a Permissions management action: it changes who may access the resource",
            a.name
        ),
        warning: false,
        replace_with: None,
    })
}

fn redundant(cx: &LintContext<'_>, d: &Doc<'_>, i: usize, list: &[String], out: &mut Vec<Finding>) {
    if list.len() < 2 {
        return;
    }
    let Some(field) = d.statements()[i].action.as_ref() else {
        return;
    };
    for (j, by) in covered_by(cx, list).into_iter().enumerate() {
        let Some(k) = by else { continue };
        out.push(
            Finding::new(
                "redundant-action",
                format!(
                    "{} is already covered by {} in the same statement",
                    list[j], list[k]
                ),
                d.item(i, "Action", field, j),
            )
            .with_statement(i)
            .with_fix(Fix::new(
                format!("remove {}", list[j]),
                vec![Edit::RemoveAction {
                    statement: i,
                    index: j,
                }],
            )),
        );
    }
}

/// What one entry of an action list covers, for redundancy.
enum Cover<'s> {
    Everything,
    /// The actions of a known service it matches (never none), as sorted ids.
    Names(&'s str, Rc<[u32]>),
    /// Unknown to the catalog: compared as text (lower case).
    Text(String),
}

/// For each entry of an action list, the first other entry that covers it: `*` covers
/// everything (a later `*` is covered by the first), a set of a service's actions covers
/// its subsets (an equal set only when earlier), text covers the same text when earlier
/// and wildcard text covers plain text it matches.
///
/// This is the pairwise definition answered without comparing pairs: each entry is
/// normalised once, equal sets and texts are looked up by hash, and only the distinct
/// wildcard sets of one service are compared with each other (a list of 10,000 actions
/// took 1.5 s pairwise).
fn covered_by(cx: &LintContext<'_>, list: &[String]) -> Vec<Option<usize>> {
    covered_by_with(cx, list, PAIRWISE_UP_TO)
}

/// Lists up to this long are answered pair by pair over the normalised entries: for the
/// few entries most statements have that is cheaper than building the hash maps.
const PAIRWISE_UP_TO: usize = 16;

/// [`covered_by`], comparing pairs when the list has at most `pairwise_up_to` entries.
fn covered_by_with(
    cx: &LintContext<'_>,
    list: &[String],
    pairwise_up_to: usize,
) -> Vec<Option<usize>> {
    let indexes: Vec<Resolved<'_>> = list.iter().map(|a| cx.resolve(a)).collect();
    let covers: Vec<Cover<'_>> = list
        .iter()
        .zip(&indexes)
        .map(|(a, r)| match r {
            Resolved::Everything => Cover::Everything,
            Resolved::Known { index, actions } if !actions.is_empty() => {
                Cover::Names(index.service.prefix.as_str(), cx.action_ids(index, a))
            }
            _ => Cover::Text(a.to_ascii_lowercase()),
        })
        .collect();
    if covers.len() <= pairwise_up_to {
        return (0..covers.len())
            .map(|j| {
                covers
                    .iter()
                    .enumerate()
                    .position(|(k, by)| k != j && covers_entry(by, &covers[j], k < j))
            })
            .collect();
    }
    let first_everything = covers.iter().position(|c| matches!(c, Cover::Everything));
    // The first entry of each distinct set and text.
    let mut first_set: FxHashMap<(&str, &[u32]), usize> = FxHashMap::default();
    let mut first_text: FxHashMap<&str, usize> = FxHashMap::default();
    for (j, c) in covers.iter().enumerate() {
        match c {
            Cover::Names(service, ids) => {
                first_set.entry((service, ids)).or_insert(j);
            }
            Cover::Text(t) => {
                first_text.entry(t).or_insert(j);
            }
            Cover::Everything => {}
        }
    }
    // Sets of more than one action: the first entry of a strict superset of each, and for
    // each action the first such set holding it (the strict supersets of a one-action set).
    let mut multi: Vec<((&str, &[u32]), usize)> = first_set
        .iter()
        .filter(|((_, ids), _)| ids.len() > 1)
        .map(|(&key, &first)| (key, first))
        .collect();
    multi.sort_unstable_by_key(|&(_, first)| first);
    let mut first_holding: FxHashMap<(&str, u32), usize> = FxHashMap::default();
    for &((service, ids), first) in &multi {
        for &id in ids {
            first_holding.entry((service, id)).or_insert(first);
        }
    }
    let mut first_superset: FxHashMap<(&str, &[u32]), usize> = FxHashMap::default();
    for &((service, ids), _) in &multi {
        // `multi` is in order of first entry: the first match is the earliest.
        if let Some(&(_, first)) = multi.iter().find(|((s, other), _)| {
            *s == service && other.len() > ids.len() && is_sorted_subset(ids, other)
        }) {
            first_superset.insert((service, ids), first);
        }
    }
    // Wildcard texts, in order of first entry, and what each plain text is matched by.
    let mut wild_texts: Vec<(&str, usize)> = first_text
        .iter()
        .filter(|(t, _)| t.contains(['*', '?']))
        .map(|(&t, &first)| (t, first))
        .collect();
    wild_texts.sort_unstable_by_key(|&(_, first)| first);
    let mut matched_by: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    covers
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let earlier = |first: Option<usize>| first.filter(|&k| k < j);
            match c {
                Cover::Everything => earlier(first_everything),
                Cover::Names(service, ids) => {
                    let equal = earlier(first_set.get(&(*service, &ids[..])).copied());
                    let superset = match &ids[..] {
                        [id] => first_holding.get(&(*service, *id)).copied(),
                        _ => first_superset.get(&(*service, &ids[..])).copied(),
                    };
                    [first_everything, equal, superset]
                        .into_iter()
                        .flatten()
                        .min()
                }
                Cover::Text(t) => {
                    let equal = earlier(first_text.get(t.as_str()).copied());
                    let wildcard = if t.contains(['*', '?']) {
                        None
                    } else {
                        *matched_by.entry(t).or_insert_with(|| {
                            wild_texts
                                .iter()
                                .find(|(w, _)| w != t && wildcard_match_ignore_case(w, t))
                                .map(|&(_, first)| first)
                        })
                    };
                    [first_everything, equal, wildcard]
                        .into_iter()
                        .flatten()
                        .min()
                }
            }
        })
        .collect()
}

/// Does entry `by` cover entry `c` (`earlier`: `by` is written before it)? The pairwise
/// definition [`covered_by`] answers for every entry.
fn covers_entry(by: &Cover<'_>, c: &Cover<'_>, earlier: bool) -> bool {
    match (c, by) {
        (Cover::Everything, Cover::Everything) => earlier,
        (_, Cover::Everything) => true,
        (Cover::Names(s, a), Cover::Names(t, b)) => {
            s == t && is_sorted_subset(a, b) && (a != b || earlier)
        }
        (Cover::Text(a), Cover::Text(b)) => {
            (a == b && earlier)
                || (a != b && !a.contains(['*', '?']) && wildcard_match_ignore_case(b, a))
        }
        _ => false,
    }
}

/// Is every element of sorted `a` in sorted `b`?
fn is_sorted_subset(a: &[u32], b: &[u32]) -> bool {
    let mut rest = b;
    a.iter().all(|x| match rest.binary_search(x) {
        Ok(at) => {
            rest = &rest[at + 1..];
            true
        }
        Err(_) => false,
    })
}

/// `duplicate-statement`: a later statement that grants exactly what an earlier one does.
///
/// Statements are bucketed by a hash of their normal form, so each is compared only with
/// the earlier distinct statements of its bucket (comparing every pair took 72% of linting
/// a 10,000-statement policy).
pub(crate) fn check_duplicate_statements(d: &Doc<'_>, out: &mut Vec<Finding>) {
    if d.statements().len() < 2 {
        return;
    }
    let normal: Vec<Normal<'_>> = d.statements().iter().map(Normal::of).collect();
    // Hash → the first statement with that hash; the first statements of the other
    // distinct normal forms with the same hash (rare) in `more`, in order.
    let mut firsts: FxHashMap<u64, usize> =
        FxHashMap::with_capacity_and_hasher(normal.len(), Default::default());
    let mut more: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (j, nj) in normal.iter().enumerate() {
        let hash = nj.hash();
        let first = *firsts.entry(hash).or_insert(j);
        let k = if first == j {
            None
        } else if normal[first] == *nj {
            Some(first)
        } else {
            let others = more.entry(hash).or_default();
            let k = others.iter().copied().find(|&k| normal[k] == *nj);
            if k.is_none() {
                others.push(j);
            }
            k
        };
        let Some(k) = k else { continue };
        out.push(
            Finding::new(
                "duplicate-statement",
                format!("statement {j} grants the same as statement {k}"),
                d.stmt(j),
            )
            .with_statement(j)
            .with_fix(Fix::new(
                format!("remove statement {j}"),
                vec![Edit::RemoveStatement { statement: j }],
            )),
        );
    }
}

/// A statement without its Sid, lists sorted (actions ignoring case), for comparison.
#[derive(PartialEq)]
struct Normal<'a> {
    effect: Effect,
    principal: Option<&'a crate::policy::Principal>,
    not_principal: Option<&'a crate::policy::Principal>,
    action: Option<Vec<NoCase<'a>>>,
    not_action: Option<Vec<NoCase<'a>>>,
    resource: Option<Vec<&'a str>>,
    not_resource: Option<Vec<&'a str>>,
    condition: Option<&'a crate::policy::ConditionBlock>,
}

impl<'a> Normal<'a> {
    fn of(s: &'a Statement) -> Self {
        let lower = |l: &'a Option<crate::policy::OneOrMany<String>>| {
            l.as_ref().map(|l| {
                let mut v: Vec<NoCase<'a>> = l.iter().map(|a| NoCase(a)).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
        };
        let sorted = |l: &'a Option<crate::policy::OneOrMany<String>>| {
            l.as_ref().map(|l| {
                let mut v: Vec<&str> = l.iter().map(String::as_str).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
        };
        Normal {
            effect: s.effect,
            principal: s.principal.as_ref(),
            not_principal: s.not_principal.as_ref(),
            action: lower(&s.action),
            not_action: lower(&s.not_action),
            resource: sorted(&s.resource),
            not_resource: sorted(&s.not_resource),
            condition: s.condition.as_ref(),
        }
    }

    /// A hash that equal normal forms share: the lists as they are, the principals' entries,
    /// and the condition's (operator, key) pairs sorted (a condition block compares equal
    /// whatever the order of its operators and keys).
    fn hash(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        self.effect.hash(&mut h);
        self.action.hash(&mut h);
        self.not_action.hash(&mut h);
        self.resource.hash(&mut h);
        self.not_resource.hash(&mut h);
        for p in [self.principal, self.not_principal] {
            match p {
                None => 0u8.hash(&mut h),
                Some(crate::policy::Principal::Any) => 1u8.hash(&mut h),
                Some(crate::policy::Principal::Map(m)) => {
                    2u8.hash(&mut h);
                    for entry in m.entries() {
                        entry.hash(&mut h);
                    }
                }
            }
        }
        if let Some(c) = self.condition {
            let mut keys: Vec<(&str, &str)> = c
                .iter()
                .flat_map(|(op, keys)| keys.keys().map(move |k| (op.as_str(), k.as_str())))
                .collect();
            keys.sort_unstable();
            keys.hash(&mut h);
        }
        h.finish()
    }
}

/// An action name that compares, orders and hashes as its lower-case form (IAM ignores
/// the case of actions), without making that form: the duplicate check lowercased a copy
/// of every action of every statement.
#[derive(Clone, Copy, Debug)]
struct NoCase<'a>(&'a str);

impl NoCase<'_> {
    fn lower(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.bytes().map(|b| b.to_ascii_lowercase())
    }
}

impl PartialEq for NoCase<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for NoCase<'_> {}

impl Ord for NoCase<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.lower().cmp(other.lower())
    }
}

impl PartialOrd for NoCase<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for NoCase<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        for b in self.lower() {
            h.write_u8(b);
        }
        h.write_u8(0xff);
    }
}

/// `a, b, c and 12 more`.
pub(crate) fn list_names(names: Vec<String>) -> String {
    if names.len() <= LIST_LIMIT {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..LIST_LIMIT].join(", "),
        names.len() - LIST_LIMIT
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::lint::testing::mini_catalog;
    use crate::lint::{Finding, PolicyKind, lint_document};
    use crate::policy::PolicyDocument;

    fn lint(statements: &str) -> Vec<Finding> {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let doc: PolicyDocument = serde_json::from_str(&text).unwrap();
        lint_document(&doc, PolicyKind::Identity, &mini_catalog(), None)
    }

    #[test]
    fn partial_wildcards_list_their_expansion_and_warn_on_permissions_management() {
        let f =
            lint(r#"{"Effect":"Allow","Action":"s3:PutObject*","Resource":"arn:aws:s3:::b/*"}"#);
        let partial = f
            .iter()
            .find(|f| f.code == "action-wildcard-partial")
            .unwrap();
        assert_eq!(partial.severity, crate::lint::Severity::Warning);
        assert!(
            partial.message.contains("s3:PutObjectAcl"),
            "{}",
            partial.message
        );
        let fix = partial.fix.as_ref().unwrap();
        assert!(
            matches!(&fix.edits[0], crate::lint::Edit::ReplaceAction { with, .. } if with.len() == 3)
        );
    }

    #[test]
    fn unknown_actions_suggest_the_closest_and_deny_is_not_over_broad() {
        let f = lint(r#"{"Effect":"Deny","Action":["s3:*","s3:GetObjekt"],"Resource":"*"}"#);
        let codes: Vec<_> = f.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["unknown-action"]);
        assert!(f[0].message.contains("did you mean s3:GetObject?"));
    }

    /// The definition `covered_by` answers, one pair at a time (the code before issue 18).
    fn covered_by_pairwise(cx: &LintContext<'_>, list: &[String]) -> Vec<Option<usize>> {
        enum Cover {
            Everything,
            Names(HashSet<String>),
            Text(String),
        }
        let covers: Vec<Cover> = list
            .iter()
            .map(|action| match cx.resolve(action) {
                Resolved::Everything => Cover::Everything,
                Resolved::Known { index, actions } if !actions.is_empty() => Cover::Names(
                    actions
                        .iter()
                        .map(|a| {
                            format!("{}:{}", index.service.prefix, a.name.to_ascii_lowercase())
                        })
                        .collect(),
                ),
                _ => Cover::Text(action.to_ascii_lowercase()),
            })
            .collect();
        (0..covers.len())
            .map(|j| {
                let cj = &covers[j];
                covers.iter().enumerate().position(|(k, ck)| {
                    k != j
                        && match (cj, ck) {
                            (Cover::Everything, Cover::Everything) => k < j,
                            (_, Cover::Everything) => true,
                            (Cover::Names(a), Cover::Names(b)) => {
                                a.is_subset(b) && (a != b || k < j)
                            }
                            (Cover::Text(a), Cover::Text(b)) => {
                                (a == b && k < j)
                                    || (b != a
                                        && !a.contains(['*', '?'])
                                        && wildcard_match_ignore_case(b, a))
                            }
                            _ => false,
                        }
                })
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn covered_by_agrees_with_the_pairwise_definition(
            picks in proptest::collection::vec(0usize..POOL.len(), 0..24)
        ) {
            let cat = mini_catalog();
            let cx = LintContext::new(&cat);
            let list: Vec<String> = picks.iter().map(|&i| POOL[i].to_string()).collect();
            let want = covered_by_pairwise(&cx, &list);
            proptest::prop_assert_eq!(&covered_by(&cx, &list), &want);
            // The hash maps' answer for short lists too (they are compared pair by pair).
            proptest::prop_assert_eq!(&covered_by_with(&cx, &list, 0), &want);
        }
    }

    /// Entries of every kind: exact names in two cases, wildcards nested in each other and
    /// equal as sets, `*`, unknown services (plain and wildcard), malformed text, unknown
    /// actions of known services.
    const POOL: &[&str] = &[
        "*",
        "s3:GetObject",
        "S3:getobject",
        "s3:Get*",
        "s3:GetObj*",
        "s3:GetObjec?",
        "s3:*Object",
        "s3:Put*",
        "s3:PutObject",
        "s3:PutObjectAcl",
        "s3:*",
        "s3:GetNothing*",
        "s3:NoSuchAction",
        "iam:PassRole",
        "iam:*",
        "iam:Pass*",
        "sts:AssumeRole",
        "nosuch:Thing",
        "NoSuch:thing",
        "nosuch:*",
        "nosuch:Th?ng",
        "other:*",
        "not an action",
        "s3",
    ];

    proptest::proptest! {
        #[test]
        fn duplicates_by_hash_agree_with_comparing_every_pair(
            picks in proptest::collection::vec(0usize..STATEMENTS.len(), 0..16)
        ) {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                picks.iter().map(|&i| STATEMENTS[i]).collect::<Vec<_>>().join(",")
            );
            let doc: PolicyDocument = serde_json::from_str(&text).unwrap();
            let d = Doc { doc: &doc, prefix: "", kind: PolicyKind::Identity, aws_managed: false };
            let mut out = Vec::new();
            check_duplicate_statements(&d, &mut out);
            let got: Vec<String> = out.iter().map(|f| f.message.clone()).collect();
            let normal: Vec<Normal<'_>> = d.statements().iter().map(Normal::of).collect();
            let want: Vec<String> = if normal.len() < 2 { Vec::new() } else {
                normal.iter().enumerate().filter_map(|(j, nj)| {
                    normal[..j].iter().position(|nk| nk == nj)
                        .map(|k| format!("statement {j} grants the same as statement {k}"))
                }).collect()
            };
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Statements equal but for order, case of actions, a Sid, one-or-many forms, the
    /// order of condition operators and keys; and ones that differ only slightly.
    const STATEMENTS: &[&str] = &[
        r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}"#,
        r#"{"Sid":"A","Effect":"Allow","Action":["S3:putobject","s3:GetObject"],"Resource":["*"]}"#,
        r#"{"Effect":"Deny","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}"#,
        r#"{"Effect":"Allow","NotAction":"s3:GetObject","Resource":"*"}"#,
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:a":"1","aws:b":"2"},"Bool":{"aws:SecureTransport":"true"}}}"#,
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:b":"2","aws:a":"1"}}}"#,
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:a":"1","aws:b":"3"}}}"#,
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#,
        r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":"sts:AssumeRole"}"#,
        r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#,
        r#"{"Effect":"Allow","NotPrincipal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
        r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::b/*","arn:aws:s3:::a/*"]}"#,
        r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*","arn:aws:s3:::a/*"]}"#,
    ];

    /// Action lists sort, dedup and hash as their lower-case copies did.
    #[test]
    fn action_lists_compare_as_their_lower_case_forms() {
        let names = [
            "s3:GetObject",
            "S3:getobject",
            "s3:Get*",
            "s3:GETOBJECTACL",
            "s3:GetObjectAcl",
            "iam:PassRole",
            "é:X",
            "É:x",
            "",
        ];
        let mut copies: Vec<String> = names.iter().map(|a| a.to_ascii_lowercase()).collect();
        copies.sort();
        copies.dedup();
        let mut no_case: Vec<NoCase<'_>> = names.iter().map(|a| NoCase(a)).collect();
        no_case.sort_unstable();
        no_case.dedup();
        let lowered: Vec<String> = no_case.iter().map(|a| a.0.to_ascii_lowercase()).collect();
        assert_eq!(lowered, copies);
        let hash = |a: &str| {
            let mut h = rustc_hash::FxHasher::default();
            NoCase(a).hash(&mut h);
            h.finish()
        };
        assert_eq!(hash("s3:GetObject"), hash("S3:GETOBJECT"));
        assert_ne!(hash("s3:GetObject"), hash("s3:GetObjectAcl"));
    }

    #[test]
    fn duplicates_and_redundancy() {
        let f = lint(
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"arn:aws:s3:::b/*"},
               {"Effect":"Allow","Action":["s3:Get*","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}"#,
        );
        assert!(
            f.iter()
                .any(|f| f.code == "redundant-action"
                    && f.location.pointer == "/Statement/0/Action/0")
        );
        assert!(
            f.iter()
                .any(|f| f.code == "duplicate-statement" && f.location.statement == Some(1))
        );
    }
}
