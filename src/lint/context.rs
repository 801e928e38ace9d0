//! The lints' view of the catalog, and the per-run caches built on it.
//!
//! Checks never walk the catalog directly: they ask a [`LintContext`], which lower-cases
//! action names once per service, derives each service's slash-free ARN placeholders once,
//! and falls back to small tables of our own when the curated layer lacks a fact.

use std::cell::RefCell;
use std::collections::HashSet;

use rustc_hash::FxHashMap;
use std::rc::Rc;

use crate::catalog::{AccessLevel, Action, ConditionType, Service};
use crate::policy::PolicyDocument;
use crate::policy::arn::{PreparedTemplate, slash_free_placeholders};

use super::data::LintData;

/// What the lints need from a catalog. Implemented by the real catalog and by the small
/// hand-built catalogs of the tests; the curated lookups default to "unknown".
pub trait CatalogView {
    /// The service with this IAM prefix (lower case), if the catalog has it.
    fn service(&self, prefix: &str) -> Option<&Service>;
    /// Every service, for `"Action": "*"`.
    fn all_services(&self) -> Vec<&Service>;
    /// Types of a global condition key (`aws:SourceIp`), when the catalog curates them.
    fn global_condition_types(&self, _key: &str) -> Option<Vec<ConditionType>> {
        None
    }
    /// A curated AWS managed policy, by name or ARN.
    fn managed_policy(&self, _name_or_arn: &str) -> Option<ManagedPolicyInfo> {
        None
    }
    /// Whether a service principal sends `aws:SourceArn`/`aws:SourceAccount` when it
    /// assumes a role (`None`: not curated).
    fn principal_sends_source(&self, _principal: &str) -> Option<bool> {
        None
    }
}

/// What the role checks need to know about an attached managed policy.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedPolicyInfo {
    pub name: String,
    /// Rated broad by our curation (`AdministratorAccess`, `PowerUserAccess`, `*FullAccess`).
    pub broad: bool,
    /// The document it grants, when curated.
    pub document: Option<PolicyDocument>,
}

/// One service's actions, prepared for case-insensitive wildcard expansion.
pub struct ServiceIndex<'c> {
    pub service: &'c Service,
    /// (lower-case name, action), in catalog order.
    pub actions: Vec<(String, &'c Action)>,
    /// Placeholders that never hold `/` (see [`slash_free_placeholders`]).
    pub slash_free: HashSet<String>,
    /// The ARN templates of each resource type (in the service's order), taken apart once.
    templates: Vec<Vec<PreparedTemplate>>,
    /// Lower-case name → position in `actions`, for names without wildcards.
    by_name: FxHashMap<String, usize>,
    /// Position → the position `by_name` gives its lower-case name, when two names differ
    /// only in case (`None`: every position is its own).
    canonical: Option<Vec<u32>>,
    /// Positions in `actions` ordered by lower-case name, so a pattern's literal start
    /// (`describe` of `Describe*`) picks its candidates by binary search instead of every
    /// action of the service being matched (ec2 has ~700).
    sorted: Vec<u32>,
}

impl<'c> ServiceIndex<'c> {
    fn new(service: &'c Service) -> Self {
        let actions: Vec<(String, &'c Action)> = service
            .actions
            .values()
            .map(|a| (a.name.to_ascii_lowercase(), a))
            .collect();
        let slash_free = slash_free_placeholders(
            service
                .resources
                .values()
                .flat_map(|r| r.arn_formats.iter().map(String::as_str)),
        );
        let templates = service
            .resources
            .values()
            .map(|r| {
                r.arn_formats
                    .iter()
                    .map(|t| PreparedTemplate::new(t, &slash_free))
                    .collect()
            })
            .collect();
        let by_name: FxHashMap<String, usize> = actions
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), i))
            .collect();
        let canonical = (by_name.len() != actions.len()).then(|| {
            actions
                .iter()
                .enumerate()
                .map(|(i, (n, _))| by_name.get(n).map_or(i, |&c| c) as u32)
                .collect()
        });
        let mut sorted: Vec<u32> = (0..actions.len() as u32).collect();
        sorted.sort_unstable_by(|&a, &b| actions[a as usize].0.cmp(&actions[b as usize].0));
        ServiceIndex {
            service,
            actions,
            slash_free,
            templates,
            by_name,
            canonical,
            sorted,
        }
    }

    /// Positions (in catalog order) of the actions whose lower-case name matches `p`, a
    /// lower-case pattern with a wildcard.
    fn matching(&self, p: &str) -> Vec<usize> {
        let literal = &p[..p.find(['*', '?']).unwrap_or(p.len())];
        let name = |i: u32| self.actions[i as usize].0.as_str();
        let start = self.sorted.partition_point(|&i| name(i) < literal);
        let mut hits: Vec<usize> = self.sorted[start..]
            .iter()
            .take_while(|&&i| name(i).starts_with(literal))
            .filter(|&&i| glob_ignore_case(p, name(i)))
            .map(|&i| i as usize)
            .collect();
        hits.sort_unstable();
        hits
    }

    /// The prepared ARN templates of the resource type `type_name`, if the service has it.
    pub fn templates(&self, type_name: &str) -> Option<&[PreparedTemplate]> {
        let at = self.service.resources.get_index_of(type_name)?;
        self.templates.get(at).map(Vec::as_slice)
    }

    /// The actions matching `pattern` as sorted, distinct ids: one id per lower-case name,
    /// so two lists compare as the sets of names they cover.
    pub fn expand_ids(&self, pattern: &str) -> Vec<u32> {
        let p = pattern.to_ascii_lowercase();
        if !p.contains(['*', '?']) {
            return self
                .by_name
                .get(&p)
                .map(|&i| vec![i as u32])
                .unwrap_or_default();
        }
        let mut ids: Vec<u32> = self
            .matching(&p)
            .into_iter()
            .map(|i| match &self.canonical {
                Some(c) => c[i],
                None => i as u32,
            })
            .collect();
        if self.canonical.is_some() {
            ids.sort_unstable();
            ids.dedup();
        }
        ids
    }

    /// The actions matching `pattern` (the part after `service:`), ignoring case.
    pub fn expand(&self, pattern: &str) -> Vec<&'c Action> {
        let p = pattern.to_ascii_lowercase();
        if !p.contains(['*', '?']) {
            return self
                .by_name
                .get(&p)
                .and_then(|&i| self.actions.get(i))
                .map(|(_, a)| vec![*a])
                .unwrap_or_default();
        }
        self.matching(&p)
            .into_iter()
            .map(|i| self.actions[i].1)
            .collect()
    }

    /// The action name closest to `name` (edit distance, ignoring case), for "did you mean".
    pub fn closest(&self, name: &str) -> Option<&'c str> {
        let target = name.to_ascii_lowercase();
        let mut rows = (Vec::new(), Vec::new());
        let mut best: Option<(usize, &'c str)> = None;
        for (n, a) in &self.actions {
            // The distance is at least the difference in length: skip hopeless names.
            if best.is_some_and(|(d, _)| n.len().abs_diff(target.len()) >= d) {
                continue;
            }
            let d = edit_distance(target.as_bytes(), n.as_bytes(), &mut rows);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, a.name.as_str()));
            }
        }
        best.map(|(_, n)| n)
    }
}

/// An action pattern resolved against the catalog.
#[derive(Clone)]
pub enum Resolved<'c> {
    /// `service:pattern` for a known service, with the actions it matches (maybe none).
    Known {
        index: Rc<ServiceIndex<'c>>,
        /// Shared with the cache: every later resolve of the same text is a pointer copy.
        actions: Rc<[&'c Action]>,
    },
    /// The prefix is not in the catalog.
    UnknownService(String),
    /// `*`: every action of every service.
    Everything,
    /// Not `service:Action`.
    Malformed,
}

/// A lint run's access to the catalog and our data, with caches.
pub struct LintContext<'c> {
    pub catalog: &'c dyn CatalogView,
    pub data: &'static LintData,
    services: RefCell<FxHashMap<String, Option<Rc<ServiceIndex<'c>>>>>,
    /// Action patterns already resolved (the same ones recur across statements and files).
    resolved: RefCell<FxHashMap<String, Resolved<'c>>>,
    /// Types of service condition keys already looked up (matching a key against a
    /// service's key templates walks all of them).
    key_types: RefCell<FxHashMap<String, Option<Vec<ConditionType>>>>,
    /// Action patterns' [`ServiceIndex::expand_ids`], for redundancy within a statement.
    ids: RefCell<FxHashMap<String, Rc<[u32]>>>,
    /// What a granted action entry says about its breadth, by its text (see
    /// [`super::actions::Breadth`]): the same words wherever the entry is written.
    breadth: RefCell<FxHashMap<String, Option<Rc<super::actions::Breadth>>>>,
}

impl<'c> LintContext<'c> {
    pub fn new(catalog: &'c dyn CatalogView) -> Self {
        LintContext {
            catalog,
            data: LintData::get(),
            services: RefCell::new(FxHashMap::default()),
            resolved: RefCell::new(FxHashMap::default()),
            key_types: RefCell::new(FxHashMap::default()),
            ids: RefCell::new(FxHashMap::default()),
            breadth: RefCell::new(FxHashMap::default()),
        }
    }

    /// `action`'s breadth finding, worked out by `make` the first time the text is seen.
    pub(crate) fn breadth(
        &self,
        action: &str,
        make: impl FnOnce() -> Option<super::actions::Breadth>,
    ) -> Option<Rc<super::actions::Breadth>> {
        if let Some(hit) = self.breadth.borrow().get(action) {
            return hit.clone();
        }
        let made = make().map(Rc::new);
        self.breadth
            .borrow_mut()
            .insert(action.to_string(), made.clone());
        made
    }

    /// The prepared service for `prefix` (any case).
    pub fn service(&self, prefix: &str) -> Option<Rc<ServiceIndex<'c>>> {
        // Prefixes are nearly always written in lower case: look those up as they are.
        if !prefix.bytes().any(|b| b.is_ascii_uppercase())
            && let Some(hit) = self.services.borrow().get(prefix)
        {
            return hit.clone();
        }
        let key = prefix.to_ascii_lowercase();
        if let Some(hit) = self.services.borrow().get(&key) {
            return hit.clone();
        }
        let built = self
            .catalog
            .service(&key)
            .map(|s| Rc::new(ServiceIndex::new(s)));
        self.services.borrow_mut().insert(key, built.clone());
        built
    }

    /// Splits `service:Action` and resolves it.
    pub fn resolve(&self, action: &str) -> Resolved<'c> {
        if action == "*" {
            return Resolved::Everything;
        }
        if let Some(hit) = self.resolved.borrow().get(action) {
            return hit.clone();
        }
        let resolved = self.resolve_uncached(action);
        self.resolved
            .borrow_mut()
            .insert(action.to_string(), resolved.clone());
        resolved
    }

    fn resolve_uncached(&self, action: &str) -> Resolved<'c> {
        let Some((prefix, name)) = split_action(action) else {
            return Resolved::Malformed;
        };
        match self.service(prefix) {
            Some(index) => {
                let actions = index.expand(name).into();
                Resolved::Known { index, actions }
            }
            None => Resolved::UnknownService(prefix.to_ascii_lowercase()),
        }
    }

    /// The ids of what `action` (`service:pattern`, its service `index`) matches, cached.
    pub fn action_ids(&self, index: &ServiceIndex<'c>, action: &str) -> Rc<[u32]> {
        if let Some(hit) = self.ids.borrow().get(action) {
            return hit.clone();
        }
        let name = action.split_once(':').map_or(action, |(_, n)| n);
        let ids: Rc<[u32]> = index.expand_ids(name).into();
        self.ids
            .borrow_mut()
            .insert(action.to_string(), ids.clone());
        ids
    }

    /// Every action of the catalog, as (`prefix`, action).
    pub fn every_action(&self) -> Vec<(String, &'c Action)> {
        self.catalog
            .all_services()
            .into_iter()
            .flat_map(|s| s.actions.values().map(move |a| (s.prefix.clone(), a)))
            .collect()
    }

    /// The value types of a condition key: the service's own keys from the catalog, global
    /// keys from the curated layer or our table. `None` when unknown.
    pub fn condition_types(&self, key: &str) -> Option<Vec<ConditionType>> {
        let (prefix, _) = key.split_once(':')?;
        let prefix = prefix.to_ascii_lowercase();
        if prefix == "aws" {
            return self
                .catalog
                .global_condition_types(key)
                .or_else(|| self.data.global_key_types(key));
        }
        if let Some(hit) = self.key_types.borrow().get(key) {
            return hit.clone();
        }
        let index = self.service(&prefix)?;
        // Keys like `s3:RequestObjectTag/<key>` are templates.
        let types = index
            .service
            .conditions
            .values()
            .find(|k| super::conditions::key_matches(&k.name, key))
            .map(|k| k.types.clone());
        self.key_types
            .borrow_mut()
            .insert(key.to_string(), types.clone());
        types
    }

    /// A managed policy's curated facts, falling back to our name-based rating.
    pub fn managed_policy(&self, name_or_arn: &str) -> ManagedPolicyInfo {
        if let Some(info) = self.catalog.managed_policy(name_or_arn) {
            return info;
        }
        let name = name_or_arn
            .rsplit('/')
            .next()
            .unwrap_or(name_or_arn)
            .to_string();
        ManagedPolicyInfo {
            broad: self.data.is_broad_managed_policy(&name),
            name,
            document: None,
        }
    }
}

/// `("s3", "GetObject")` from `"s3:GetObject"`; `None` unless both parts are there and the
/// prefix looks like one.
pub fn split_action(action: &str) -> Option<(&str, &str)> {
    let (prefix, name) = action.split_once(':')?;
    let prefix_ok = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_'));
    (prefix_ok && name_ok).then_some((prefix, name))
}

/// How many actions of `actions` are Permissions management.
pub fn count_permissions_management<'a>(actions: impl IntoIterator<Item = &'a Action>) -> usize {
    actions
        .into_iter()
        .filter(|a| a.access == AccessLevel::PermissionsManagement)
        .count()
}

/// IAM's wildcard match (`*` any run, `?` one character), ignoring ASCII case, without
/// allocating: the lints call it for every action name against every pattern.
pub fn glob_ignore_case(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    // Most patterns are a plain name (`s3:GetObject`) or a name and one trailing `*`
    // (`ec2:Describe*`), and most calls ask about an action of another service: compare
    // the literal start byte by byte, answering at the first difference, and leave only
    // what follows a `?` or an inner `*` to the general loop (the matcher was 14% of the
    // instructions of linting AWS's managed policies).
    let mut i = 0;
    loop {
        match p.get(i) {
            None => return i == t.len(),
            Some(b'*') if i + 1 == p.len() => return true,
            Some(b'*' | b'?') => break,
            Some(c) => match t.get(i) {
                Some(d) if c.eq_ignore_ascii_case(d) => i += 1,
                _ => return false,
            },
        }
    }
    // No `*` before `i`: matching the rest is matching from there.
    glob_ignore_case_loop(&p[i..], &t[i..])
}

/// The general case of [`glob_ignore_case`]: backtracking over the last `*`.
fn glob_ignore_case_loop(p: &[u8], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) && p[pi] != b'*' {
            // `?` matches one whole character: skip a multi-byte one entirely.
            if p[pi] == b'?' {
                ti += utf8_len(t[ti]);
            } else {
                ti += 1;
            }
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            let next = st + utf8_len(t[st]);
            pi = sp + 1;
            ti = next;
            star = Some((sp, next));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Length of the UTF-8 sequence a lead byte starts (1 for continuation bytes, defensively).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Levenshtein distance, for "did you mean".
/// (Action names are ASCII, so bytes are characters; `rows` are reused buffers.)
fn edit_distance(a: &[u8], b: &[u8], rows: &mut (Vec<usize>, Vec<usize>)) -> usize {
    let (prev, cur) = rows;
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(prev, cur);
    }
    prev[b.len()]
}

/// The real catalog: AWS's facts from the loaded catalog, curation from the curated layer.
impl CatalogView for crate::catalog::Catalog {
    fn service(&self, prefix: &str) -> Option<&Service> {
        crate::catalog::Catalog::service(self, prefix)
    }
    fn all_services(&self) -> Vec<&Service> {
        self.services().collect()
    }
    fn global_condition_types(&self, key: &str) -> Option<Vec<ConditionType>> {
        self.condition_key(key)
            .map(|k| k.types.clone())
            .or_else(|| crate::catalog::curated::lazy::global_condition(key).map(|k| k.types))
    }
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicyInfo> {
        // The lazy pieces: only this policy's document is parsed, not the whole curated layer.
        let p = crate::catalog::curated::lazy::managed_policy(name_or_arn)?;
        Some(ManagedPolicyInfo {
            name: p.name.clone(),
            broad: p.risk.is_broad(),
            document: if p.abbreviated {
                None
            } else {
                serde_json::from_value(p.document.clone()).ok()
            },
        })
    }
    fn principal_sends_source(&self, principal: &str) -> Option<bool> {
        crate::catalog::curated::lazy::principal(principal).map(|p| p.sends_source_arn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::mini_catalog;

    #[test]
    fn expansion_ignores_case_and_honours_both_wildcards() {
        let cat = mini_catalog();
        let cx = LintContext::new(&cat);
        let names = |p: &str| match cx.resolve(p) {
            Resolved::Known { actions, .. } => actions.iter().map(|a| a.name.clone()).collect(),
            _ => Vec::<String>::new(),
        };
        assert!(names("s3:get*").contains(&"GetObject".to_string()));
        assert!(names("S3:*Object").contains(&"PutObject".to_string()));
        assert!(!names("s3:*Object").contains(&"PutObjectAcl".to_string()));
        assert_eq!(names("s3:putobjec?"), vec!["PutObject".to_string()]);
        assert!(matches!(
            cx.resolve("nosuch:Thing"),
            Resolved::UnknownService(_)
        ));
        assert!(matches!(cx.resolve("s3"), Resolved::Malformed));
        assert!(matches!(cx.resolve("*"), Resolved::Everything));
    }

    #[test]
    fn glob_agrees_with_the_policy_model_matcher() {
        use crate::policy::arn::wildcard_match_ignore_case;
        let cases = [
            ("s3:Get*", "s3:GetObject"),
            ("S3:get*", "s3:GetObject"),
            ("s3:*Object", "s3:PutObjectAcl"),
            ("s3:Put?bject", "s3:PutObject"),
            ("*", ""),
            ("a*b*c", "aXbYbZc"),
            ("a*b", "aXbYc"),
            ("?", "\u{e9}"),
            ("caf?", "caf\u{e9}"),
            ("*\u{e9}*", "x\u{e9}y"),
            ("", "x"),
            ("", ""),
            ("s3:Get*", "s3:get"),
            ("s3:Get*", "s3:Ge"),
            ("s3:GetObject", "S3:GETOBJECT"),
            ("s3:GetObject", "s3:GetObjec"),
            ("s3:Get*Acl", "s3:GetObjectAcl"),
            ("s3:Get*Acl", "s3:PutObjectAcl"),
            ("ec2:*", "ec2:"),
            ("*:Describe*", "ec2:DescribeInstances"),
            ("\u{e9}*", "\u{c9}x"),
        ];
        for (p, t) in cases {
            assert_eq!(
                glob_ignore_case(p, t),
                wildcard_match_ignore_case(p, t),
                "{p} {t}"
            );
        }
    }

    proptest::proptest! {
        /// The fast paths of `glob_ignore_case` answer as the policy model's matcher does.
        #[test]
        fn glob_fast_paths_agree_with_the_policy_model_matcher(
            p in "[aAbB:*?\u{e9}]{0,6}",
            t in "[aAbB:\u{e9}\u{c9}]{0,6}",
        ) {
            proptest::prop_assert_eq!(
                glob_ignore_case(&p, &t),
                crate::policy::arn::wildcard_match_ignore_case(&p, &t)
            );
        }
    }

    #[test]
    fn expansion_by_literal_start_matches_every_name_as_before() {
        let cat = mini_catalog();
        let cx = LintContext::new(&cat);
        let s3 = cx.service("s3").unwrap();
        for p in [
            "*",
            "get*",
            "GET*",
            "*object",
            "put?bject*",
            "g*t*",
            "?etobject",
            "zz*",
            "",
        ] {
            let every: Vec<&str> = s3
                .actions
                .iter()
                .filter(|(n, _)| glob_ignore_case(&p.to_ascii_lowercase(), n))
                .map(|(_, a)| a.name.as_str())
                .collect();
            let got: Vec<&str> = s3.expand(p).iter().map(|a| a.name.as_str()).collect();
            assert_eq!(got, every, "{p}");
            let ids = s3.expand_ids(p);
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{p}: {ids:?}");
            assert_eq!(ids.len(), every.len(), "{p}");
        }
    }

    #[test]
    fn closest_names() {
        let cat = mini_catalog();
        let cx = LintContext::new(&cat);
        let s3 = cx.service("s3").unwrap();
        assert_eq!(s3.closest("GetObjects"), Some("GetObject"));
        let mut rows = (Vec::new(), Vec::new());
        assert_eq!(edit_distance(b"kitten", b"sitting", &mut rows), 3);
        assert_eq!(edit_distance(b"", b"abc", &mut rows), 3);
    }
}
