//! Teaching as you pick: a short "why" under broad choices in the Permissions step.
//!
//! Choosing a whole access level or `*` says how many actions that is and which of them are
//! Permissions management; a `*` resource says which ARN form would do instead (from the
//! catalog's ARN templates). The texts are computed from the catalog, never hard-coded.

use crate::catalog::Catalog;
use crate::catalog::model::AccessLevel;

/// "Write: 58 actions, 3 of them Permissions management (s3:PutBucketPolicy, ...)".
pub fn broad_actions(catalog: &Catalog, pattern: &str) -> Option<String> {
    let expansion = catalog.expand_actions(pattern);
    let matched = expansion.matched();
    if matched.is_empty() {
        return None;
    }
    // The ones with a known risk, then the commonly used ones, come first.
    let mut pm: Vec<_> = matched
        .iter()
        .filter(|r| r.action.access == AccessLevel::PermissionsManagement)
        .collect();
    pm.sort_by_key(|r| (r.action.risks.is_empty(), !r.action.featured));
    let pm: Vec<String> = pm
        .iter()
        .map(|r| format!("{}:{}", r.service.prefix, r.action.name))
        .collect();
    let mut s = format!(
        "{pattern} grants {}",
        crate::tui::widgets::text::count_s(matched.len(), "action")
    );
    if pm.is_empty() {
        s.push_str(", none of them Permissions management.");
    } else {
        s.push_str(&format!(
            ", {} of them Permissions management (can change who may do what): {}",
            pm.len(),
            list_some(&pm, 4)
        ));
    }
    Some(s)
}

/// The same for a whole access level of one service, picked action by action.
pub fn whole_level(prefix: &str, level: AccessLevel, names: &[String]) -> String {
    let mut s = format!(
        "{level} on {prefix}: {} ({})",
        crate::tui::widgets::text::count_s(names.len(), "action"),
        list_some(names, 4)
    );
    if level == AccessLevel::PermissionsManagement {
        s.push_str(" — these change who may do what: grant them only on purpose.");
    } else {
        s.push('.');
    }
    s
}

/// For a `*` resource: the ARN forms the chosen actions accept, so the user can scope it.
pub fn star_resource(catalog: &Catalog, actions: &[String]) -> Option<String> {
    let mut forms: Vec<String> = Vec::new();
    for a in actions {
        for r in catalog.expand_actions(a).matched() {
            for ar in &r.action.resources {
                if let Some(rt) = r.service.resources.get(&ar.type_name)
                    && let Some(f) = rt.arn_formats.first()
                    && !forms.contains(f)
                {
                    forms.push(f.clone());
                }
            }
        }
    }
    if forms.is_empty() {
        return None;
    }
    Some(format!(
        "\"*\" means every resource; these actions can be limited to {}",
        list_some(&forms, 2)
    ))
}

/// The lesson for a statement already in the role: wildcard actions first, then a `*`
/// resource on actions that could be scoped. `None` for a narrow statement.
pub fn statement_lesson(catalog: &Catalog, s: &crate::role::StatementSpec) -> Option<String> {
    if s.effect != crate::policy::Effect::Allow {
        return None;
    }
    if let Some(a) = s.actions.iter().find(|a| *a == "*" || a.ends_with(":*")) {
        return broad_actions(catalog, a);
    }
    if s.resources.iter().any(|r| r == "*") {
        return star_resource(catalog, &s.actions);
    }
    None
}

fn list_some(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(&format!(", and {} more", items.len() - n));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_star_names_permissions_management() {
        let t = broad_actions(Catalog::embedded(), "s3:*").expect("s3 is in the catalog");
        assert!(t.contains("Permissions management"), "{t}");
        assert!(t.starts_with("s3:* grants "), "{t}");
    }

    #[test]
    fn star_resource_for_put_object_names_the_object_arn() {
        let t = star_resource(Catalog::embedded(), &["s3:PutObject".into()]).unwrap();
        assert!(
            t.contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
            "{t}"
        );
    }
}
