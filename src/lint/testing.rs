//! A small hand-made catalog for tests and benchmarks that must not depend on the embedded
//! catalog's contents: a selection of actions of 18 services with their real access levels,
//! resource types, ARN formats and condition keys (facts from AWS's service reference).
//!
//! Format of `testing_catalog.txt`, one fact a line:
//! `A service Action Level resources|- keys|-` (Level: L R W P T),
//! `R service type arn-format...`, `K service key Type,...`.

use indexmap::IndexMap;

use crate::catalog::{AccessLevel, Action, ActionResource, ConditionKey, ResourceType, Service};

use super::context::{CatalogView, ManagedPolicyInfo};

const FACTS: &str = include_str!("testing_catalog.txt");

/// Services by prefix; implements [`CatalogView`].
#[derive(Clone, Debug, Default)]
pub struct MiniCatalog {
    pub services: IndexMap<String, Service>,
    /// Curated managed policies for tests of the role checks.
    pub managed: Vec<ManagedPolicyInfo>,
}

impl CatalogView for MiniCatalog {
    fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(prefix)
    }
    fn all_services(&self) -> Vec<&Service> {
        self.services.values().collect()
    }
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicyInfo> {
        let name = name_or_arn.rsplit('/').next().unwrap_or(name_or_arn);
        self.managed.iter().find(|m| m.name == name).cloned()
    }
}

/// The test catalog (parsed on each call; cheap).
pub fn mini_catalog() -> MiniCatalog {
    let mut services: IndexMap<String, Service> = IndexMap::new();
    for line in FACTS.lines() {
        let mut f = line.split(' ');
        let (Some(kind), Some(prefix), Some(name)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let svc = services
            .entry(prefix.to_string())
            .or_insert_with(|| Service {
                prefix: prefix.to_string(),
                name: prefix.to_string(),
                ..Default::default()
            });
        let list = |s: Option<&str>| -> Vec<String> {
            match s {
                None | Some("-") => Vec::new(),
                Some(s) => s.split(',').map(str::to_string).collect(),
            }
        };
        match kind {
            "A" => {
                let access = match f.next() {
                    Some("L") => AccessLevel::List,
                    Some("R") => AccessLevel::Read,
                    Some("P") => AccessLevel::PermissionsManagement,
                    Some("T") => AccessLevel::Tagging,
                    _ => AccessLevel::Write,
                };
                let resources = list(f.next())
                    .into_iter()
                    .map(|type_name| ActionResource {
                        type_name,
                        conditions: Vec::new(),
                    })
                    .collect();
                let conditions = list(f.next());
                svc.actions.insert(
                    name.to_string(),
                    Action {
                        name: name.to_string(),
                        access,
                        resources,
                        conditions,
                        summary: None,
                        featured: false,
                        risks: Vec::new(),
                    },
                );
            }
            "R" => {
                svc.resources.insert(
                    name.to_string(),
                    ResourceType {
                        name: name.to_string(),
                        arn_formats: f.map(str::to_string).collect(),
                        conditions: Vec::new(),
                    },
                );
            }
            "K" => {
                let types = list(f.next())
                    .iter()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                svc.conditions.insert(
                    name.to_string(),
                    ConditionKey {
                        name: name.to_string(),
                        types,
                    },
                );
            }
            _ => {}
        }
    }
    MiniCatalog {
        services,
        managed: Vec::new(),
    }
}
