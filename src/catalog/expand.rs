//! Expanding IAM action patterns (`s3:Get*`, `s3:Put?bject`, `*`) against the catalog.
//!
//! IAM matches action names ignoring case, with `*` for any run of characters and `?` for one.
//! The answer tells apart the cases the lints and the TUI word differently: matched actions,
//! a service we do not know (maybe just not imported), a known service with no such action
//! (with the closest name, for "did you mean"), and text that is not an action at all.

use super::model::{Action, Service};
use super::store::Catalog;

/// One action of one service.
#[derive(Clone, Copy, Debug)]
pub struct ActionRef<'a> {
    pub service: &'a Service,
    pub action: &'a Action,
}

impl ActionRef<'_> {
    /// `service:Action` as AWS spells it.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service.prefix, self.action.name)
    }
}

/// What an action pattern stands for in the loaded catalog.
#[derive(Clone, Debug)]
pub enum ActionExpansion<'a> {
    /// The actions the pattern matches, in catalog order (never empty).
    Matched(Vec<ActionRef<'a>>),
    /// No service with this prefix is in the catalog (it may exist: suggest `catalog update`).
    UnknownService { service: String },
    /// The service is known but none of its actions match; `closest` is the nearest name.
    NoMatch {
        service: &'a Service,
        closest: Option<&'a str>,
    },
    /// Not of the form `service:Action` (or `*`); `reason` says what is wrong.
    Malformed { reason: String },
}

impl ActionExpansion<'_> {
    /// The matched actions, empty for every other case.
    pub fn matched(&self) -> &[ActionRef<'_>] {
        match self {
            ActionExpansion::Matched(v) => v,
            _ => &[],
        }
    }
}

impl Catalog {
    /// Expands an IAM action pattern into the catalog's actions.
    pub fn expand_actions(&self, pattern: &str) -> ActionExpansion<'_> {
        let pattern = pattern.trim();
        if pattern == "*" {
            let all: Vec<_> = self
                .services()
                .flat_map(|service| {
                    service
                        .actions
                        .values()
                        .map(move |action| ActionRef { service, action })
                })
                .collect();
            return ActionExpansion::Matched(all);
        }
        let (service_pat, action_pat) = match check_syntax(pattern) {
            Ok(parts) => parts,
            Err(reason) => return ActionExpansion::Malformed { reason },
        };
        let services: Vec<&Service> = if has_wildcard(service_pat) {
            // Matched on the prefixes first, so only the matching services are decoded.
            self.service_prefixes()
                .filter(|p| glob_match(service_pat, p))
                .filter_map(|p| self.service(p))
                .collect()
        } else {
            self.service(service_pat).into_iter().collect()
        };
        if services.is_empty() {
            return ActionExpansion::UnknownService {
                service: service_pat.to_ascii_lowercase(),
            };
        }
        let matched: Vec<_> = services
            .iter()
            .flat_map(|&service| {
                service
                    .actions
                    .values()
                    .filter(|a| glob_match(action_pat, &a.name))
                    .map(move |action| ActionRef { service, action })
            })
            .collect();
        if !matched.is_empty() {
            return ActionExpansion::Matched(matched);
        }
        let service = services[0];
        ActionExpansion::NoMatch {
            service,
            closest: closest_name(action_pat, service.actions.keys().map(String::as_str)),
        }
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Splits `service:Action` and checks the characters IAM allows.
fn check_syntax(pattern: &str) -> Result<(&str, &str), String> {
    let Some((service, action)) = pattern.split_once(':') else {
        return Err(format!("{pattern:?} is not of the form service:Action"));
    };
    if service.is_empty() {
        return Err(format!("{pattern:?} has no service prefix before ':'"));
    }
    if action.is_empty() {
        return Err(format!("{pattern:?} has no action name after ':'"));
    }
    if action.contains(':') {
        return Err(format!("{pattern:?} has more than one ':'"));
    }
    if let Some(c) = service
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?')))
    {
        return Err(format!(
            "{pattern:?}: {c:?} cannot appear in a service prefix"
        ));
    }
    if let Some(c) = action
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '?')))
    {
        return Err(format!(
            "{pattern:?}: {c:?} cannot appear in an action name"
        ));
    }
    Ok((service, action))
}

/// IAM wildcard matching, ignoring ASCII case: `*` any run (also empty), `?` exactly one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    crate::policy::arn::wildcard_match_ignore_case(pattern, text)
}

/// The name nearest to `wanted` (wildcards ignored) by edit distance, ignoring case;
/// `None` when nothing is reasonably close.
pub fn closest_name<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<u8> = wanted
        .bytes()
        .filter(|b| !matches!(b, b'*' | b'?'))
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let mut row = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        let d = edit_distance(&wanted, name.as_bytes(), &mut row);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, name));
        }
    }
    // More than half the word changed is not a suggestion worth making.
    best.filter(|(d, _)| *d <= wanted.len().max(3) / 2 + 1)
        .map(|(_, n)| n)
}

fn edit_distance(a: &[u8], b: &[u8], row: &mut Vec<usize>) -> usize {
    row.clear();
    row.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb.to_ascii_lowercase());
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + cost);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(e: &ActionExpansion) -> Vec<String> {
        e.matched().iter().map(|r| r.full_name()).collect()
    }

    #[test]
    fn glob_rules() {
        assert!(glob_match("Get*", "getobject"));
        assert!(glob_match("*Object", "PutObject"));
        assert!(glob_match("Put?bject", "PutObject"));
        assert!(!glob_match("Put?bject", "PutObjectAcl"));
        assert!(glob_match("*", ""));
        assert!(glob_match("G*t*Acl", "GetObjectAcl"));
        assert!(!glob_match("Get", "GetObject"));
        assert!(glob_match("*a*b", "xxaxxab"));
    }

    proptest::proptest! {
        #[test]
        fn glob_agrees_with_plain_string_rules(text in "[A-Za-z0-9]{0,20}", cut in 0usize..20) {
            let cut = cut.min(text.len());
            proptest::prop_assert!(glob_match(&text, &text.to_ascii_uppercase()));
            proptest::prop_assert!(glob_match("*", &text));
            let prefix = format!("{}*", &text[..cut]);
            proptest::prop_assert!(glob_match(&prefix, &text));
            let suffix = format!("*{}", &text[cut..]);
            proptest::prop_assert!(glob_match(&suffix, &text));
            let one_each: String = "?".repeat(text.len());
            proptest::prop_assert!(glob_match(&one_each, &text));
            let one_more = format!("{one_each}?");
            proptest::prop_assert!(!glob_match(&one_more, &text));
        }
    }

    #[test]
    fn expands_patterns_ignoring_case() {
        let c = Catalog::embedded();
        let e = c.expand_actions("s3:put?bject");
        assert_eq!(names(&e), ["s3:PutObject"]);
        let all_s3 = c.expand_actions("S3:*").matched().len();
        assert_eq!(all_s3, c.service("s3").unwrap().actions.len());
        let gets = c.expand_actions("s3:Get*");
        assert!(
            gets.matched()
                .iter()
                .all(|r| r.action.name.starts_with("Get"))
        );
        assert!(names(&gets).contains(&"s3:GetObject".to_string()));
        assert!(names(&c.expand_actions("s3:*Object")).contains(&"s3:DeleteObject".to_string()));
        assert_eq!(c.expand_actions("*").matched().len(), c.action_count());
    }

    #[test]
    fn tells_the_failure_cases_apart() {
        let c = Catalog::embedded();
        assert!(matches!(
            c.expand_actions("nosuch:GetThing"),
            ActionExpansion::UnknownService { service } if service == "nosuch"
        ));
        match c.expand_actions("s3:GetObjcet") {
            ActionExpansion::NoMatch { service, closest } => {
                assert_eq!(service.prefix, "s3");
                assert_eq!(closest, Some("GetObject"));
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            "s3",
            "s3:",
            ":GetObject",
            "s3:Get:Object",
            "s3:Get Object",
            "s 3:Get",
        ] {
            assert!(
                matches!(c.expand_actions(bad), ActionExpansion::Malformed { .. }),
                "{bad}"
            );
        }
    }
}
