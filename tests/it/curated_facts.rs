//! Every name the curated layer uses exists in the embedded catalog's facts (AWS's service
//! reference), spelled exactly as AWS does: curated actions, preset actions, resource types
//! and condition keys, and ARN placeholders.

use std::collections::HashSet;

use rolesmith::catalog::Catalog;
use rolesmith::catalog::curated::curated;

fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("${")
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

#[test]
fn curated_actions_exist_in_the_facts() {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    for (prefix, curation) in &curated().services {
        let Some(service) = catalog.service(prefix) else {
            problems.push(format!("service `{prefix}` is not in the embedded catalog"));
            continue;
        };
        for name in curation.actions.keys() {
            if !service.actions.contains_key(name) {
                problems.push(format!("`{prefix}:{name}` is not an action AWS lists"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn presets_use_real_actions_resource_types_and_condition_keys() {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    for preset in &curated().presets {
        let id = &preset.id;
        let Some(service) = catalog.service(&preset.service) else {
            problems.push(format!("preset {id}: no service `{}`", preset.service));
            continue;
        };
        let wanted: HashSet<&str> = preset.resource_types.iter().map(String::as_str).collect();
        let mut taken = HashSet::new();
        for name in &preset.actions {
            let Some(action) = service.actions.get(name) else {
                problems.push(format!(
                    "preset {id}: `{}:{name}` is not an action",
                    preset.service
                ));
                continue;
            };
            let types: HashSet<&str> = action
                .resources
                .iter()
                .map(|r| r.type_name.as_str())
                .collect();
            // A preset without resource types is granted on "*" on purpose.
            if !types.is_empty() && !wanted.is_empty() && types.is_disjoint(&wanted) {
                problems.push(format!(
                    "preset {id}: `{name}` takes {types:?}, none of which the preset names"
                ));
            }
            taken.extend(types);
        }
        for resource_type in &preset.resource_types {
            if !service.resources.contains_key(resource_type) {
                problems.push(format!(
                    "preset {id}: `{resource_type}` is not a resource type of `{}`",
                    preset.service
                ));
            } else if !taken.contains(resource_type.as_str()) {
                problems.push(format!("preset {id}: no action takes `{resource_type}`"));
            }
        }
        for condition in &preset.conditions {
            if catalog.condition_key(&condition.key).is_none() {
                problems.push(format!(
                    "preset {id}: unknown condition key `{}`",
                    condition.key
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn placeholder_hints_name_placeholders_of_real_arn_formats() {
    let catalog = Catalog::embedded();
    let mut seen = HashSet::new();
    for service in catalog.services() {
        for resource in service.resources.values() {
            for format in &resource.arn_formats {
                seen.extend(placeholders(format).map(str::to_owned));
            }
        }
    }
    let unknown: Vec<&String> = curated()
        .placeholder_hints
        .keys()
        .filter(|name| !seen.contains(*name))
        .collect();
    assert!(
        unknown.is_empty(),
        "placeholders in no ARN format: {unknown:?}"
    );
    for common in [
        "BucketName",
        "ObjectName",
        "Account",
        "Region",
        "Partition",
        "TableName",
    ] {
        assert!(
            curated().placeholder_hint(common).is_some(),
            "no hint for {common}"
        );
    }
}

#[test]
fn every_guide_service_has_a_curated_display_name() {
    let catalog = Catalog::embedded();
    let missing: Vec<&str> = catalog
        .services()
        .map(|s| s.prefix.as_str())
        .filter(|prefix| curated().service_name(prefix).is_none())
        .collect();
    assert!(missing.is_empty(), "no display name for {missing:?}");
}

#[test]
fn global_condition_key_types_agree_with_the_services_that_list_them() {
    let catalog = Catalog::embedded();
    let mut compared = 0;
    for service in catalog.services() {
        for (name, key) in &service.conditions {
            if let Some(global) = curated().global_conditions.iter().find(|g| &g.name == name) {
                assert_eq!(global.types, key.types, "{name} in {}", service.prefix);
                compared += 1;
            }
        }
    }
    assert!(compared > 0, "no service lists an aws: key we curate");
}
