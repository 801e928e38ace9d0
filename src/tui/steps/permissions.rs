//! Step 3, Permissions: the statements of the inline policies, and the statement editor.
//!
//! The editor walks through pages: pick a service (fuzzy filter) → pick actions grouped by
//! access level (filter, toggle one, toggle a level, apply a preset) → build an ARN for each
//! resource type the actions need, one field per `${Placeholder}`, validated live → optional
//! conditions with keys offered from the catalog → effect, Sid and policy name.
//!
//! While the editor is open its draft statement is shown in the preview (and checked) but the
//! role itself only changes when the statement is saved, so Esc leaves the role as it was.

use std::collections::{HashMap, HashSet};

use indexmap::{IndexMap, IndexSet};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::InputRequest;

use crate::catalog::{AccessLevel, Catalog, ConditionType};
use crate::policy::arn::{Arn, pattern_fits_template_with, slash_free_placeholders};
use crate::policy::{ConditionBlock, ConditionScalar, Effect, OneOrMany};
use crate::role::{InlinePolicySpec, RoleSpec, StatementSpec};

use crate::tui::action::Action;
use crate::tui::app::{App, Modal, Pending};
use crate::tui::curation;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, FieldKind, Form, draw_form, truncate};
use crate::tui::widgets::list::{FilterList, draw_filter, draw_list, draw_list_with, fuzzy_filter};

/// The pages of the statement editor, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display)]
pub enum Page {
    Service,
    Actions,
    Resources,
    Conditions,
    #[strum(serialize = "Effect")]
    Finish,
}

/// A row of the actions page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionRow {
    /// A curated preset of the service (index into `curation::presets_for`).
    Preset(usize),
    /// The header of an access level: Space toggles every shown action of it.
    Level(AccessLevel),
    /// An action of the service, by name.
    Action(String),
}

/// One ARN builder: a resource type's template and the form fields that fill it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Builder {
    pub service: String,
    pub type_name: String,
    pub template: String,
    /// Index of the "include" check box in the resources form.
    pub include_field: usize,
    /// Index of the "ARN format" choice, for included types with more than one format.
    pub format_field: Option<usize>,
    /// (field index, placeholder name).
    pub fields: Vec<(usize, String)>,
}

/// A condition of the draft: operator, key, values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondEntry {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// The statement editor's state.
#[derive(Clone, Debug)]
pub struct StatementEditor {
    /// (policy, statement) being edited; `None` for a new statement.
    pub target: Option<(usize, usize)>,
    pub page: Page,
    /// Chosen actions, `service:Action`, in the order picked.
    pub chosen: IndexSet<String>,
    pub service: Option<String>,
    pub services: FilterList,
    pub service_rows: Vec<String>,
    pub actions: FilterList,
    pub action_rows: Vec<ActionRow>,
    pub resources: Form,
    pub builders: Vec<Builder>,
    /// Resources of the statement being edited, offered as "keep" check boxes.
    pub kept: Vec<String>,
    /// Resources loaded into a builder when the statement was opened: (`service:type`, ARN).
    loaded: Vec<(String, String)>,
    /// Values typed into builders, kept when the form is rebuilt: (type, placeholder) → value.
    memory: HashMap<(String, String), String>,
    /// Include check boxes the user set, by `service:type`, kept when the form is rebuilt.
    include_memory: HashMap<String, bool>,
    /// The ARN format picked for a type with several, by `service:type` (default: the first).
    format_memory: HashMap<String, usize>,
    pub conditions: Vec<CondEntry>,
    pub cond_keys: FilterList,
    pub cond_rows: Vec<String>,
    pub cond_form: Option<(String, Form)>,
    pub finish: Form,
    /// Elements of the edited statement the editor does not show (kept as they were).
    original: StatementSpec,
}

/// The Permissions step's UI state.
#[derive(Clone, Debug, Default)]
pub struct PermissionsStep {
    /// Selected row of the statements list (the last row adds one).
    pub selected: usize,
    pub editor: Option<Box<StatementEditor>>,
}

const FINISH_EFFECT: usize = 0;
const FINISH_SID: usize = 1;
const FINISH_POLICY: usize = 2;

/// (policy index, statement index) of every statement, in order.
pub fn statement_refs(role: &RoleSpec) -> Vec<(usize, usize)> {
    role.policies
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| (0..p.statements.len()).map(move |si| (pi, si)))
        .collect()
}

impl StatementEditor {
    fn new(role: &RoleSpec, catalog: &Catalog, target: Option<(usize, usize)>) -> StatementEditor {
        let original = target
            .and_then(|(pi, si)| role.policies.get(pi)?.statements.get(si).cloned())
            .unwrap_or_default();
        let policy_name = target
            .and_then(|(pi, _)| role.policies.get(pi).map(|p| p.name.clone()))
            .or_else(|| role.policies.first().map(|p| p.name.clone()))
            .unwrap_or_else(|| {
                if role.name.is_empty() {
                    "inline-policy".to_string()
                } else {
                    format!("{}-policy", role.name)
                }
            });
        let service = original
            .actions
            .first()
            .and_then(|a| a.split_once(':'))
            .map(|(s, _)| s.to_string());
        let mut conditions = Vec::new();
        if let Some(block) = &original.condition {
            for (op, keys) in block {
                for (key, values) in keys {
                    conditions.push(CondEntry {
                        operator: op.clone(),
                        key: key.clone(),
                        values: values.iter().map(scalar_text).collect(),
                    });
                }
            }
        }
        let mut ed = StatementEditor {
            target,
            page: if target.is_some() {
                Page::Actions
            } else {
                Page::Service
            },
            chosen: original.actions.iter().cloned().collect(),
            service,
            services: FilterList {
                editing: true,
                ..Default::default()
            },
            service_rows: Vec::new(),
            actions: FilterList {
                editing: true,
                ..Default::default()
            },
            action_rows: Vec::new(),
            resources: Form::default(),
            builders: Vec::new(),
            kept: original.resources.clone(),
            loaded: Vec::new(),
            memory: HashMap::new(),
            include_memory: HashMap::new(),
            format_memory: HashMap::new(),
            conditions,
            cond_keys: FilterList {
                editing: true,
                ..Default::default()
            },
            cond_rows: Vec::new(),
            cond_form: None,
            finish: Form::new(vec![
                Field::choice(
                    "Effect",
                    &["Allow", "Deny"],
                    usize::from(original.effect == Effect::Deny),
                ),
                Field::text("Sid", original.sid.clone().unwrap_or_default())
                    .with_hint("optional: letters and digits"),
                Field::text("Policy", policy_name).with_hint(
                    "the inline policy holding the statement (a new name makes a new policy)",
                ),
            ]),
            original,
        };
        ed.load_resources_into_builders(catalog);
        ed.refresh_services(catalog);
        ed.refresh_actions(catalog);
        ed
    }

    /// Editing a statement: each resource that decomposes into the placeholders of one of
    /// the chosen actions' resource types fills that type's builder; the rest stay as
    /// "keep" boxes, so nothing is lost. One resource per type (a builder makes one ARN).
    fn load_resources_into_builders(&mut self, catalog: &Catalog) {
        let types = self.chosen_types(catalog);
        let mut used: HashSet<String> = HashSet::new();
        let mut kept = Vec::new();
        for resource in &self.kept {
            let hit = types.iter().find_map(|(svc, type_name)| {
                let key = format!("{svc}:{type_name}");
                if used.contains(&key) {
                    return None;
                }
                let formats = &catalog.resource_type(svc, type_name)?.arn_formats;
                let slash_free = service_slash_free(catalog, svc);
                formats.iter().enumerate().find_map(|(fi, template)| {
                    let values = decompose_arn(resource, template, &slash_free)?;
                    // Only when the builder gives back exactly this resource.
                    let again = fill_template(type_name, template, &values, &slash_free).ok()?;
                    (again == *resource).then_some((key.clone(), fi, values))
                })
            });
            match hit {
                Some((key, format, values)) => {
                    for (ph, v) in values {
                        self.memory.insert((key.clone(), ph), v);
                    }
                    self.include_memory.insert(key.clone(), true);
                    self.format_memory.insert(key.clone(), format);
                    self.loaded.push((key.clone(), resource.clone()));
                    used.insert(key);
                }
                None => kept.push(resource.clone()),
            }
        }
        self.kept = kept;
    }

    /// (service, resource type) of every type the chosen actions take, first seen first.
    fn chosen_types(&self, catalog: &Catalog) -> IndexSet<(String, String)> {
        let mut types = IndexSet::new();
        for a in &self.chosen {
            let Some((svc, name)) = a.split_once(':') else {
                continue;
            };
            if let Some(act) = catalog.action(svc, name) {
                for r in &act.resources {
                    types.insert((svc.to_ascii_lowercase(), r.type_name.clone()));
                }
            }
        }
        types
    }

    fn refresh_services(&mut self, catalog: &Catalog) {
        let all: Vec<(&str, String)> = catalog
            .services()
            .map(|s| (s.prefix.as_str(), format!("{} {}", s.prefix, s.name)))
            .collect();
        let hits = fuzzy_filter(
            self.services.query(),
            all.iter().enumerate().map(|(i, (_, h))| (i, h.as_str())),
        );
        self.service_rows = hits.into_iter().map(|i| all[i].0.to_string()).collect();
        self.services.clamp(self.service_rows.len());
    }

    fn refresh_actions(&mut self, catalog: &Catalog) {
        self.action_rows.clear();
        let Some(svc) = self.service.as_deref().and_then(|s| catalog.service(s)) else {
            return;
        };
        let q = self.actions.query().to_string();
        let q = q.as_str();
        let presets = curation::presets_for(&svc.prefix);
        let preset_hits = fuzzy_filter(
            q,
            presets
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.title.as_str())),
        );
        let mut preset_hits = preset_hits;
        preset_hits.sort_unstable();
        self.action_rows
            .extend(preset_hits.into_iter().map(ActionRow::Preset));
        let names: Vec<&str> = svc.actions.keys().map(String::as_str).collect();
        let mut hits = fuzzy_filter(q, names.iter().enumerate().map(|(i, n)| (i, *n)));
        let best = hits.first().map(|&i| svc.actions[i].name.clone());
        // Grouped by access level, featured first, then catalog order.
        hits.sort_by_key(|&i| {
            let a = &svc.actions[i];
            (a.access, !a.featured, i)
        });
        let mut level = None;
        for i in hits {
            let a = &svc.actions[i];
            if level != Some(a.access) {
                level = Some(a.access);
                self.action_rows.push(ActionRow::Level(a.access));
            }
            self.action_rows.push(ActionRow::Action(a.name.clone()));
        }
        self.actions.clamp(self.action_rows.len());
        // While filtering, land on the best match (typing a full name selects that action).
        if !q.trim().is_empty()
            && let Some(best) = best
            && let Some(i) = self
                .action_rows
                .iter()
                .position(|r| *r == ActionRow::Action(best.clone()))
        {
            self.actions.selected = i;
        }
    }

    /// Chosen actions that the catalog says work only on `*`, and those with resource types.
    fn split_actions(&self, catalog: &Catalog) -> (Vec<String>, Vec<String>) {
        let mut star = Vec::new();
        let mut scoped = Vec::new();
        for a in &self.chosen {
            let only_star = a
                .split_once(':')
                .and_then(|(s, n)| catalog.action(s, n))
                .is_some_and(|act| act.resources.is_empty());
            if only_star {
                star.push(a.clone());
            } else {
                scoped.push(a.clone());
            }
        }
        (star, scoped)
    }

    /// Builds the resources form: "keep" boxes for existing resources, then one builder per
    /// resource type the chosen actions take.
    fn rebuild_resources(&mut self, role: &RoleSpec, catalog: &Catalog) {
        self.remember_values();
        let mut fields = Vec::new();
        let mut builders = Vec::new();
        // A resource loaded into a builder whose type no chosen action takes any more goes
        // back to a keep box rather than vanish.
        let types_now: HashSet<String> = self
            .chosen_types(catalog)
            .into_iter()
            .map(|(svc, t)| format!("{svc}:{t}"))
            .collect();
        let orphans: Vec<String> = self
            .loaded
            .iter()
            .filter(|(key, _)| !types_now.contains(key))
            .map(|(_, r)| r.clone())
            .collect();
        for r in orphans {
            if !self.kept.contains(&r) {
                self.kept.push(r);
            }
        }
        self.loaded.retain(|(key, _)| types_now.contains(key));
        if !self.kept.is_empty() {
            fields.push(Field::note("Resources of the statement:"));
            for r in &self.kept {
                fields.push(Field::toggle(format!("keep {r}"), true));
            }
        }
        // Resource types in first-seen order; each action's narrowest type is ticked.
        let mut types: IndexMap<(String, String), bool> = IndexMap::new();
        for a in &self.chosen {
            let Some((svc, name)) = a.split_once(':') else {
                continue;
            };
            let Some(act) = catalog.action(svc, name) else {
                continue;
            };
            let primary = act
                .resources
                .iter()
                .filter_map(|r| {
                    let t = catalog.resource_type(svc, &r.type_name)?;
                    Some((
                        r.type_name.clone(),
                        placeholders(t.arn_formats.first()?).len(),
                    ))
                })
                .min_by_key(|(_, n)| *n)
                .map(|(t, _)| t);
            for r in &act.resources {
                let key = (svc.to_ascii_lowercase(), r.type_name.clone());
                let is_primary = primary.as_deref() == Some(r.type_name.as_str());
                let e = types.entry(key).or_insert(false);
                *e |= is_primary;
            }
        }
        // The types ticked by default first: they are the ones most statements need.
        let mut types: Vec<((String, String), bool)> = types.into_iter().collect();
        types.sort_by_key(|(_, primary)| !*primary);
        for ((svc, type_name), primary) in types {
            let Some(t) = catalog.resource_type(&svc, &type_name) else {
                continue;
            };
            let key = format!("{svc}:{type_name}");
            let format = self
                .format_memory
                .get(&key)
                .copied()
                .unwrap_or(0)
                .min(t.arn_formats.len().saturating_sub(1));
            let Some(template) = t.arn_formats.get(format).cloned() else {
                continue;
            };
            let include = self
                .include_memory
                .get(&key)
                .copied()
                .unwrap_or(primary && self.original.resources.is_empty());
            let include_field = fields.len();
            fields.push(Field::toggle(key, include));
            let format_field =
                (include && t.arn_formats.len() > 1).then(|| {
                    let options: Vec<&str> =
                        t.arn_formats.iter().map(|f| arn_resource_part(f)).collect();
                    fields.push(Field::choice("  ARN format", &options, format).with_hint(
                        format!("Space/←→ picks one of {}: {template}", options.len()),
                    ));
                    fields.len() - 1
                });
            let mut bfields = Vec::new();
            // Only included types ask for their placeholders.
            let phs = if include {
                placeholders(&template)
            } else {
                Vec::new()
            };
            for ph in phs {
                let remembered = self.memory.get(&(format!("{svc}:{type_name}"), ph.clone()));
                let hint = curation::placeholder_hint(&ph);
                let default = match ph.as_str() {
                    "Partition" => role.partition.clone().unwrap_or_else(|| "aws".into()),
                    "Account" => role.account.clone().unwrap_or_default(),
                    "Region" => role.region.clone().unwrap_or_default(),
                    _ => hint.and_then(|h| h.default.clone()).unwrap_or_default(),
                };
                let value = remembered.cloned().unwrap_or(default);
                let mut f = Field::text(format!("  {ph}"), value);
                if let Some(h) = hint {
                    f = f.with_hint(format!("e.g. {}", h.example));
                }
                bfields.push((fields.len(), ph));
                fields.push(f);
            }
            builders.push(Builder {
                service: svc,
                type_name,
                template,
                include_field,
                format_field,
                fields: bfields,
            });
        }
        let (star, scoped) = self.split_actions(catalog);
        if !star.is_empty() {
            let names = star.join(", ");
            fields.push(Field::note(if scoped.is_empty() {
                format!("{names}: these actions work only on \"*\", so the statement uses \"*\".")
            } else {
                format!(
                    "{names}: these work only on \"*\"; they get a statement of their own with \"*\"."
                )
            }));
        }
        if fields.is_empty() {
            fields.push(Field::note("No action chosen yet."));
        }
        let mut form = Form::new(fields);
        // Start on the first field still to fill in.
        if let Some(i) = form
            .fields
            .iter()
            .position(|f| f.is_text() && f.value().is_empty())
        {
            form.focus = i;
        }
        self.resources = form;
        self.builders = builders;
        self.check_builders(catalog);
    }

    /// Space on a resources field: an include box re-shapes the form (its fields appear or
    /// go), a keep box just flips.
    fn toggle_resource(&mut self, role: &RoleSpec, catalog: &Catalog, forward: bool) {
        let focus = self.resources.focus;
        if let Some(b) = self.builders.iter().find(|b| b.format_field == Some(focus)) {
            let key = format!("{}:{}", b.service, b.type_name);
            self.resources.toggle(forward);
            let format = self.resources.fields[focus].choice_index();
            self.format_memory.insert(key.clone(), format);
            self.rebuild_resources(role, catalog);
            if let Some(f) = self
                .builders
                .iter()
                .find(|b| format!("{}:{}", b.service, b.type_name) == key)
                .and_then(|b| b.format_field)
            {
                self.resources.focus = f;
            }
            return;
        }
        let Some(b) = self.builders.iter().find(|b| b.include_field == focus) else {
            self.resources.toggle(true);
            return;
        };
        let key = format!("{}:{}", b.service, b.type_name);
        let now = !self.resources.fields[focus].is_on();
        self.include_memory.insert(key.clone(), now);
        self.rebuild_resources(role, catalog);
        if let Some(b) = self
            .builders
            .iter()
            .find(|b| format!("{}:{}", b.service, b.type_name) == key)
        {
            self.resources.focus = b.include_field;
        }
    }

    fn remember_values(&mut self) {
        for b in &self.builders {
            for (fi, ph) in &b.fields {
                if let Some(f) = self.resources.fields.get(*fi) {
                    self.memory.insert(
                        (format!("{}:{}", b.service, b.type_name), ph.clone()),
                        f.value().to_string(),
                    );
                }
            }
        }
    }

    /// Composes each builder's ARN and shows it, or what is wrong, under its check box.
    fn check_builders(&mut self, catalog: &Catalog) {
        for b in &self.builders {
            let result = compose(b, &self.resources, catalog);
            let include = self.resources.fields[b.include_field].is_on();
            let f = &mut self.resources.fields[b.include_field];
            match result {
                Ok(arn) => {
                    f.hint = Some(format!("→ {arn}"));
                    f.error = None;
                }
                Err(e) => {
                    f.hint = Some(b.template.clone());
                    f.error = include.then_some(e);
                }
            }
        }
    }

    /// The ARNs of the included builders that are valid, plus the kept resources.
    fn built_resources(&self, catalog: &Catalog) -> Vec<String> {
        if self.resources.fields.is_empty() {
            // The form was not built yet (Resources page not visited): the statement keeps
            // its resources, including those waiting in the builders' memory.
            return self.original.resources.clone();
        }
        let mut out = Vec::new();
        for f in &self.resources.fields {
            if let (FieldKind::Toggle(true), Some(r)) = (&f.kind, f.label.strip_prefix("keep ")) {
                out.push(r.to_string());
            }
        }
        for b in &self.builders {
            if self.resources.fields[b.include_field].is_on()
                && let Ok(arn) = compose(b, &self.resources, catalog)
                && !out.contains(&arn)
            {
                out.push(arn);
            }
        }
        // The statement's own resources keep their order; new ones follow.
        let rank = |r: &String| {
            self.original
                .resources
                .iter()
                .position(|o| o == r)
                .unwrap_or(usize::MAX)
        };
        out.sort_by_key(rank);
        out
    }

    fn condition_block(&self) -> Option<ConditionBlock> {
        let mut block: ConditionBlock = IndexMap::new();
        for c in &self.conditions {
            let values: Vec<ConditionScalar> = c
                .values
                .iter()
                .map(|v| ConditionScalar::from(v.as_str()))
                .collect();
            block
                .entry(c.operator.clone())
                .or_default()
                .insert(c.key.clone(), OneOrMany::from_vec(values));
        }
        (!block.is_empty()).then_some(block)
    }

    /// The statements the draft stands for: one, or two when some actions work only on `*`.
    pub fn statements(&self, catalog: &Catalog) -> Vec<StatementSpec> {
        if self.chosen.is_empty() {
            return Vec::new();
        }
        let effect = if self.finish.fields[FINISH_EFFECT].choice_index() == 1 {
            Effect::Deny
        } else {
            Effect::Allow
        };
        let sid = super::non_empty(self.finish.value(FINISH_SID));
        let base = StatementSpec {
            sid: sid.clone(),
            effect,
            condition: self.condition_block(),
            ..self.original.clone()
        };
        let (star, scoped) = self.split_actions(catalog);
        let resources = self.built_resources(catalog);
        if scoped.is_empty() {
            return vec![StatementSpec {
                actions: star,
                resources: vec!["*".into()],
                ..base
            }];
        }
        let mut out = vec![StatementSpec {
            actions: scoped,
            resources,
            ..base.clone()
        }];
        if !star.is_empty() {
            out.push(StatementSpec {
                sid: sid.map(|s| format!("{s}AnyResource")),
                actions: star,
                resources: vec!["*".into()],
                condition: None,
                ..base
            });
        }
        out
    }

    /// `role` with the draft in place of the edited statement (or appended).
    pub fn apply_to(&self, role: &RoleSpec, catalog: &Catalog) -> RoleSpec {
        let mut r = role.clone();
        let new = self.statements(catalog);
        let policy_name = self.finish.value(FINISH_POLICY).trim().to_string();
        let policy_name = if policy_name.is_empty() {
            "inline-policy".to_string()
        } else {
            policy_name
        };
        let mut insert_at: Option<(usize, usize)> = None;
        if let Some((pi, si)) = self.target
            && let Some(p) = r.policies.get_mut(pi)
            && si < p.statements.len()
        {
            p.statements.remove(si);
            if p.name == policy_name {
                insert_at = Some((pi, si));
            }
        }
        if !new.is_empty() {
            let (pi, si) = match insert_at {
                Some(x) => x,
                None => match r.policies.iter().position(|p| p.name == policy_name) {
                    Some(pi) => (pi, r.policies[pi].statements.len()),
                    None => {
                        r.policies.push(InlinePolicySpec {
                            name: policy_name,
                            statements: Vec::new(),
                            ..Default::default()
                        });
                        (r.policies.len() - 1, 0)
                    }
                },
            };
            for (k, s) in new.into_iter().enumerate() {
                r.policies[pi].statements.insert(si + k, s);
            }
        }
        r.policies.retain(|p| !p.statements.is_empty());
        r
    }

    fn refresh_cond_keys(&mut self, catalog: &Catalog) {
        let mut keys: IndexSet<String> = IndexSet::new();
        for a in &self.chosen {
            if let Some((svc, name)) = a.split_once(':')
                && let Some(act) = catalog.action(svc, name)
            {
                keys.extend(act.conditions.iter().cloned());
                for r in &act.resources {
                    keys.extend(r.conditions.iter().cloned());
                }
            }
        }
        keys.extend(catalog.global_condition_keys().map(|k| k.name.clone()));
        let all: Vec<String> = keys.into_iter().collect();
        let hits = fuzzy_filter(
            self.cond_keys.query(),
            all.iter().enumerate().map(|(i, k)| (i, k.as_str())),
        );
        self.cond_rows = hits.into_iter().map(|i| all[i].clone()).collect();
        let len = self.cond_row_count();
        self.cond_keys.clamp(len);
    }

    /// Rows of the conditions page: "continue", the added conditions, then the keys.
    fn cond_row_count(&self) -> usize {
        1 + self.conditions.len() + self.cond_rows.len()
    }
}

/// `${Name}` placeholders of an ARN template, in order.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = after[..end].to_string();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

/// What follows the account in an ARN template: the part that tells formats apart.
fn arn_resource_part(template: &str) -> &str {
    template.splitn(6, ':').nth(5).unwrap_or(template)
}

/// The placeholders that no template of `service` lets hold a `/`.
fn service_slash_free(catalog: &Catalog, service: &str) -> HashSet<String> {
    catalog
        .service(service)
        .map(|s| {
            slash_free_placeholders(
                s.resources
                    .values()
                    .flat_map(|r| r.arn_formats.iter().map(String::as_str)),
            )
        })
        .unwrap_or_default()
}

/// Fills a builder's template from the form and checks the result.
fn compose(b: &Builder, form: &Form, catalog: &Catalog) -> Result<String, String> {
    let slash_free = service_slash_free(catalog, &b.service);
    let values: Vec<(String, String)> = b
        .fields
        .iter()
        .map(|(fi, ph)| (ph.clone(), form.value(*fi).trim().to_string()))
        .collect();
    fill_template(&b.type_name, &b.template, &values, &slash_free)
}

/// Puts `values` (placeholder, value) into `template` and checks the ARN names the type.
fn fill_template(
    type_name: &str,
    template: &str,
    values: &[(String, String)],
    slash_free: &HashSet<String>,
) -> Result<String, String> {
    let mut arn = template.to_string();
    for (ph, v) in values {
        if v.is_empty() {
            return Err(format!("fill in {ph}"));
        }
        if slash_free.contains(ph) && v.contains('/') {
            return Err(format!("{ph} cannot contain '/'"));
        }
        arn = arn.replace(&format!("${{{ph}}}"), v);
    }
    Arn::parse_strict(&arn).map_err(|e| e.to_string())?;
    if !pattern_fits_template_with(&arn, template, slash_free) {
        return Err(format!("{arn} does not name a {type_name}"));
    }
    Ok(arn)
}

/// A piece of an ARN template: literal text or a `${Placeholder}`.
#[derive(Debug)]
enum TemplatePart<'a> {
    Literal(&'a str),
    /// Name, and whether it sits in the resource part (where `:` is allowed).
    Placeholder(&'a str, bool),
}

fn template_parts(template: &str) -> Vec<TemplatePart<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    let mut colons = 0;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        if start > 0 {
            parts.push(TemplatePart::Literal(&rest[..start]));
            colons += rest[..start].matches(':').count();
        }
        parts.push(TemplatePart::Placeholder(
            &rest[start + 2..start + 2 + len],
            colons >= 5,
        ));
        rest = &rest[start + 3 + len..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest));
    }
    parts
}

/// Splits `arn` into the values of `template`'s placeholders by matching the template's
/// literal text: `arn:aws:s3:::my-bucket/*` on `arn:${Partition}:s3:::${BucketName}/${ObjectName}`
/// gives Partition=aws, BucketName=my-bucket, ObjectName=*. A value is never empty, holds no
/// `:` before the resource part, and no `/` for a placeholder in `slash_free`. `None` when
/// the ARN does not decompose. Policy variables such as `${aws:username}` are plain text here.
pub fn decompose_arn(
    arn: &str,
    template: &str,
    slash_free: &HashSet<String>,
) -> Option<Vec<(String, String)>> {
    let parts = template_parts(template);
    let mut values: Vec<(String, String)> = Vec::new();
    decompose_from(arn, &parts, slash_free, &mut values).then_some(values)
}

fn decompose_from(
    text: &str,
    parts: &[TemplatePart<'_>],
    slash_free: &HashSet<String>,
    values: &mut Vec<(String, String)>,
) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return text.is_empty();
    };
    match first {
        TemplatePart::Literal(lit) => text
            .strip_prefix(lit)
            .is_some_and(|t| decompose_from(t, rest, slash_free, values)),
        TemplatePart::Placeholder(name, in_resource) => {
            // The longest text the placeholder may take, then shorter ones.
            let allowed = text
                .char_indices()
                .find(|&(_, c)| {
                    (c == ':' && !in_resource) || (c == '/' && slash_free.contains(*name))
                })
                .map_or(text.len(), |(i, _)| i);
            let ends: Vec<usize> = text[..allowed]
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .collect();
            for &end in ends.iter().rev() {
                let value = &text[..end];
                if let Some((_, v)) = values.iter().find(|(n, _)| n == name) {
                    if v != value {
                        continue;
                    }
                    if decompose_from(&text[end..], rest, slash_free, values) {
                        return true;
                    }
                    continue;
                }
                values.push((name.to_string(), value.to_string()));
                if decompose_from(&text[end..], rest, slash_free, values) {
                    return true;
                }
                values.pop();
            }
            false
        }
    }
}

fn scalar_text(v: &ConditionScalar) -> String {
    match v {
        ConditionScalar::String(s) => s.clone(),
        ConditionScalar::Bool(b) => b.to_string(),
        ConditionScalar::Number(n) => n.to_string(),
    }
}

/// Operators that fit a condition key's type, most used first.
pub fn operators_for(t: Option<ConditionType>) -> Vec<&'static str> {
    use ConditionType as T;
    let mut ops = match t {
        Some(T::Arn) => vec!["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
        Some(T::ArrayOfArn) => vec![
            "ForAnyValue:ArnEquals",
            "ForAllValues:ArnEquals",
            "ForAnyValue:ArnLike",
        ],
        Some(T::Bool | T::ArrayOfBool) => vec!["Bool"],
        Some(T::Numeric | T::ArrayOfNumeric) => vec![
            "NumericEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        Some(T::Date | T::ArrayOfDate) => vec!["DateLessThan", "DateGreaterThan", "DateEquals"],
        Some(T::IpAddress | T::ArrayOfIpAddress) => vec!["IpAddress", "NotIpAddress"],
        Some(T::ArrayOfString) => vec![
            "ForAnyValue:StringEquals",
            "ForAllValues:StringEquals",
            "ForAnyValue:StringLike",
            "ForAllValues:StringLike",
        ],
        Some(T::String) | None => vec![
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringNotLike",
        ],
    };
    ops.push("Null");
    ops
}

/// Recomputes the preview with the draft applied.
fn draft_changed(app: &mut App) {
    app.refresh_preview();
}

/// Drops the statement being edited; the role is unchanged.
pub fn close_editor(app: &mut App) {
    app.steps.permissions.editor = None;
    app.refresh_preview();
}

fn save_editor(app: &mut App) {
    let Some(ed) = app.steps.permissions.editor.as_ref() else {
        return;
    };
    if ed.chosen.is_empty() {
        return app.error("choose at least one action");
    }
    let stmts = ed.statements(&app.catalog);
    if stmts.iter().any(|s| s.resources.is_empty()) {
        return app.error("choose at least one resource (Resources page)");
    }
    let policy = ed.finish.value(FINISH_POLICY).trim().to_string();
    if !crate::role::is_valid_policy_name(&policy) {
        if let Some(ed) = app.steps.permissions.editor.as_mut() {
            ed.finish.fields[FINISH_POLICY].error =
                Some("1-128 letters, digits and +=,.@_-".into());
            ed.finish.focus = FINISH_POLICY;
        }
        return;
    }
    let sid = ed.finish.value(FINISH_SID).trim().to_string();
    if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        if let Some(ed) = app.steps.permissions.editor.as_mut() {
            ed.finish.fields[FINISH_SID].error = Some("a Sid holds only letters and digits".into());
            ed.finish.focus = FINISH_SID;
        }
        return;
    }
    let new_role = ed.apply_to(&app.role, &app.catalog);
    let editing = ed.target.is_some();
    app.role = new_role;
    app.steps.permissions.editor = None;
    app.role_changed();
    let n = statement_refs(&app.role).len();
    app.steps.permissions.selected = n.saturating_sub(1);
    app.info(if editing {
        "statement updated"
    } else {
        "statement added"
    });
}

/// The help overlay, from pages where typed letters go to a filter.
fn open_help(app: &mut App) {
    app.help_scroll = 0;
    app.modal = Some(Modal::Help);
}

fn go_page(app: &mut App, page: Page) {
    let catalog = app.catalog.clone();
    let role = app.role.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return;
    };
    match page {
        Page::Actions => ed.refresh_actions(&catalog),
        Page::Resources => ed.rebuild_resources(&role, &catalog),
        Page::Conditions => {
            ed.cond_keys.selected = 0;
            ed.refresh_cond_keys(&catalog);
        }
        _ => {}
    }
    ed.page = page;
}

fn toggle_action_row(app: &mut App) {
    let catalog = app.catalog.clone();
    let mut lesson: Option<String> = None;
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return;
    };
    let Some(svc) = ed.service.clone() else {
        return;
    };
    let Some(row) = ed.action_rows.get(ed.actions.selected).cloned() else {
        return;
    };
    match row {
        ActionRow::Action(name) => {
            let full = format!("{svc}:{name}");
            if !ed.chosen.shift_remove(&full) {
                ed.chosen.insert(full);
            }
        }
        ActionRow::Level(level) => {
            let shown: Vec<String> = ed
                .action_rows
                .iter()
                .filter_map(|r| match r {
                    ActionRow::Action(n) => Some(n.clone()),
                    _ => None,
                })
                .filter(|n| catalog.action(&svc, n).is_some_and(|a| a.access == level))
                .map(|n| format!("{svc}:{n}"))
                .collect();
            if shown.iter().all(|a| ed.chosen.contains(a)) {
                for a in &shown {
                    ed.chosen.shift_remove(a);
                }
            } else {
                // Teaching as you pick: say what the whole level amounts to.
                lesson = Some(crate::tui::teach::whole_level(&svc, level, &shown));
                ed.chosen.extend(shown);
            }
        }
        ActionRow::Preset(i) => {
            if let Some(p) = curation::presets_for(&svc).get(i) {
                ed.chosen.extend(p.qualified_actions());
                let title = p.title.clone();
                app.info(format!("preset applied: {title}"));
            }
        }
    }
    draft_changed(app);
    if let Some(l) = lesson {
        app.info(l);
    }
}

fn handle_editor(app: &mut App, action: Action) -> bool {
    let catalog = app.catalog.clone();
    let Some(ed) = app.steps.permissions.editor.as_mut() else {
        return false;
    };
    match ed.page {
        Page::Service => match action {
            // Typed keys go to the filter, so `?` asks for help only while it is empty.
            Action::Input(InputRequest::InsertChar('?')) if ed.services.query().is_empty() => {
                open_help(app)
            }
            Action::Input(req) => {
                if ed.services.input(req) {
                    ed.refresh_services(&catalog);
                }
            }
            Action::Up => ed.services.step(-1, ed.service_rows.len()),
            Action::Down => ed.services.step(1, ed.service_rows.len()),
            Action::PageUp => ed.services.step(-10, ed.service_rows.len()),
            Action::PageDown => ed.services.step(10, ed.service_rows.len()),
            Action::Confirm => {
                if let Some(s) = ed.service_rows.get(ed.services.selected).cloned() {
                    if ed.service.as_deref() != Some(s.as_str()) {
                        ed.actions.filter.reset();
                        ed.actions.selected = 0;
                    }
                    ed.service = Some(s);
                    go_page(app, Page::Actions);
                }
            }
            Action::Back => {
                if ed.chosen.is_empty() {
                    close_editor(app);
                } else {
                    app.modal = Some(Modal::Confirm {
                        title: "Discard this statement?".into(),
                        lines: vec![
                            format!("{} chosen action(s) would be dropped.", ed.chosen.len()),
                            "y: discard   n: keep editing".into(),
                        ],
                        on_yes: Pending::DiscardStatement,
                    });
                }
            }
            _ => return false,
        },
        Page::Actions => match action {
            Action::Input(InputRequest::InsertChar(' ')) | Action::Toggle => toggle_action_row(app),
            Action::Input(InputRequest::InsertChar('/')) => {}
            Action::Input(InputRequest::InsertChar('?')) if ed.actions.query().is_empty() => {
                open_help(app)
            }
            Action::Input(req) => {
                if ed.actions.input(req) {
                    ed.refresh_actions(&catalog);
                }
            }
            Action::Up => ed.actions.step(-1, ed.action_rows.len()),
            Action::Down => ed.actions.step(1, ed.action_rows.len()),
            Action::PageUp => ed.actions.step(-10, ed.action_rows.len()),
            Action::PageDown => ed.actions.step(10, ed.action_rows.len()),
            Action::Confirm => {
                if ed.chosen.is_empty() {
                    toggle_action_row(app);
                } else {
                    go_page(app, Page::Resources);
                    draft_changed(app);
                }
            }
            Action::Back => {
                ed.page = Page::Service;
            }
            _ => return false,
        },
        Page::Resources => {
            match action {
                Action::Up => {
                    ed.resources.focus_prev();
                }
                Action::Down => {
                    ed.resources.focus_next();
                }
                Action::Toggle | Action::Left | Action::Right => {
                    let role = app.role.clone();
                    ed.toggle_resource(&role, &catalog, action != Action::Left);
                }
                Action::Input(req) => {
                    ed.resources.input(req);
                }
                Action::Confirm => {
                    if !ed.resources.focus_next() {
                        go_page(app, Page::Conditions);
                    }
                }
                Action::Back => ed.page = Page::Actions,
                _ => return false,
            }
            if let Some(ed) = app.steps.permissions.editor.as_mut() {
                ed.check_builders(&catalog);
            }
            draft_changed(app);
        }
        Page::Conditions => {
            if let Some((key, form)) = ed.cond_form.as_mut() {
                if form.navigate(action) {
                    return true;
                }
                match action {
                    Action::Back => ed.cond_form = None,
                    Action::Confirm => {
                        if !form.focus_next() {
                            let values: Vec<String> = form
                                .value(1)
                                .split(',')
                                .map(|v| v.trim().to_string())
                                .filter(|v| !v.is_empty())
                                .collect();
                            if values.is_empty() {
                                form.fields[1].error = Some("give at least one value".into());
                            } else {
                                let entry = CondEntry {
                                    operator: form.value(0).to_string(),
                                    key: key.clone(),
                                    values,
                                };
                                ed.conditions.push(entry);
                                ed.cond_form = None;
                                ed.cond_keys.selected = 0;
                                ed.refresh_cond_keys(&catalog);
                                draft_changed(app);
                            }
                        }
                    }
                    _ => return false,
                }
                return true;
            }
            let len = ed.cond_row_count();
            match action {
                Action::Input(req) => {
                    if ed.cond_keys.input(req) {
                        ed.refresh_cond_keys(&catalog);
                    }
                }
                Action::Up => ed.cond_keys.step(-1, len),
                Action::Down => ed.cond_keys.step(1, len),
                Action::PageUp => ed.cond_keys.step(-10, len),
                Action::PageDown => ed.cond_keys.step(10, len),
                Action::Confirm => {
                    let sel = ed.cond_keys.selected;
                    let n = ed.conditions.len();
                    if sel == 0 {
                        ed.page = Page::Finish;
                    } else if sel <= n {
                        ed.conditions.remove(sel - 1);
                        ed.refresh_cond_keys(&catalog);
                        draft_changed(app);
                    } else if let Some(key) = ed.cond_rows.get(sel - 1 - n).cloned() {
                        let t = catalog
                            .condition_key(&key)
                            .and_then(|k| k.types.first().copied());
                        let ops = operators_for(t);
                        let mut value = Field::text("Values", "")
                            .with_hint("comma-separated; Enter adds the condition");
                        if let Some(help) =
                            crate::catalog::curated::curated().condition_help.get(&key)
                        {
                            value.hint = Some(help.clone());
                        }
                        let form = Form::new(vec![Field::choice("Operator", &ops, 0), value]);
                        ed.cond_form = Some((key, form));
                    }
                }
                Action::Back => ed.page = Page::Resources,
                _ => return false,
            }
        }
        Page::Finish => {
            match action {
                Action::Up => {
                    ed.finish.focus_prev();
                }
                Action::Down => {
                    ed.finish.focus_next();
                }
                Action::Toggle | Action::Left | Action::Right => {
                    ed.finish.toggle(true);
                }
                Action::Input(req) => {
                    ed.finish.input(req);
                    for f in &mut ed.finish.fields {
                        f.error = None;
                    }
                }
                Action::Confirm => {
                    if !ed.finish.focus_next() {
                        save_editor(app);
                        return true;
                    }
                }
                Action::Back => ed.page = Page::Conditions,
                _ => return false,
            }
            draft_changed(app);
        }
    }
    true
}

pub fn handle(app: &mut App, action: Action) -> bool {
    if app.steps.permissions.editor.is_some() {
        return handle_editor(app, action);
    }
    let refs = statement_refs(&app.role);
    let rows = refs.len() + 1;
    let st = &mut app.steps.permissions;
    match action {
        Action::Up => st.selected = st.selected.saturating_sub(1),
        Action::Down => st.selected = (st.selected + 1).min(rows - 1),
        Action::Top => st.selected = 0,
        Action::Bottom => st.selected = rows - 1,
        Action::Add => open_editor(app, None),
        Action::Confirm => {
            let target = refs.get(st.selected).copied();
            open_editor(app, target);
        }
        Action::Duplicate => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                let copy = app.role.policies[pi].statements[si].clone();
                let copy = StatementSpec { sid: None, ..copy };
                app.role.policies[pi].statements.insert(si + 1, copy);
                app.steps.permissions.selected += 1;
                app.role_changed();
                app.info("statement duplicated");
            }
        }
        Action::Delete => {
            if let Some(&(pi, si)) = refs.get(st.selected) {
                app.role.policies[pi].statements.remove(si);
                app.role.policies.retain(|p| !p.statements.is_empty());
                app.role_changed();
                app.info("statement deleted");
            }
        }
        _ => return false,
    }
    true
}

fn open_editor(app: &mut App, target: Option<(usize, usize)>) {
    let ed = StatementEditor::new(&app.role, &app.catalog, target);
    app.steps.permissions.editor = Some(Box::new(ed));
    app.refresh_preview();
}

pub fn editing_text(app: &App) -> bool {
    match &app.steps.permissions.editor {
        None => false,
        Some(ed) => match ed.page {
            Page::Service | Page::Actions => true,
            Page::Resources => ed.resources.editing_text(),
            Page::Conditions => match &ed.cond_form {
                Some((_, f)) => f.editing_text(),
                None => true,
            },
            Page::Finish => ed.finish.editing_text(),
        },
    }
}

pub fn title(app: &App) -> String {
    match &app.steps.permissions.editor {
        None => {
            let n = statement_refs(&app.role).len();
            format!(
                "Permissions · {n} statement{}",
                if n == 1 { "" } else { "s" }
            )
        }
        Some(ed) => {
            let what = if ed.target.is_some() {
                "Edit statement"
            } else {
                "New statement"
            };
            format!("{what} · {}", ed.page)
        }
    }
}

fn statement_summary(s: &StatementSpec) -> String {
    let actions = if s.actions.is_empty() {
        format!("NotAction {}", s.not_actions.join(", "))
    } else {
        s.actions.join(", ")
    };
    let resources = if s.resources.is_empty() {
        format!("NotResource {}", s.not_resources.join(", "))
    } else {
        s.resources.join(", ")
    };
    let cond = if s.condition.as_ref().is_some_and(|c| !c.is_empty()) {
        " (with conditions)"
    } else {
        ""
    };
    format!("{actions} → {resources}{cond}")
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let Some(ed) = &app.steps.permissions.editor else {
        let refs = statement_refs(&app.role);
        let width = area.width.saturating_sub(4) as usize;
        let mut rows: Vec<Line> = Vec::new();
        for &(pi, si) in &refs {
            let p = &app.role.policies[pi];
            let s = &p.statements[si];
            let effect_style = if s.effect == Effect::Deny {
                theme.severity(crate::tui::findings::Severity::Warning)
            } else {
                theme.title()
            };
            let head = format!("{} · ", truncate(&p.name, 24));
            let body = truncate(&statement_summary(s), width.saturating_sub(head.len() + 6));
            rows.push(Line::from(vec![
                Span::styled(head, theme.dim()),
                Span::styled(format!("{:<5} ", s.effect.to_string()), effect_style),
                Span::raw(body),
            ]));
        }
        rows.push(Line::from(Span::styled("+ Add a statement", theme.dim())));
        // Teaching: a broad statement says what it amounts to and what would do instead.
        let lesson = refs
            .get(app.steps.permissions.selected)
            .and_then(|&(pi, si)| {
                crate::tui::teach::statement_lesson(
                    &app.catalog,
                    &app.role.policies[pi].statements[si],
                )
            });
        let help_h = if lesson.is_some() { 3 } else { 1 };
        let [list, help] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(help_h)]).areas(area);
        draw_list(
            frame,
            list,
            &rows,
            app.steps.permissions.selected,
            focused,
            theme,
        );
        let help_line = match lesson {
            Some(l) => Line::from(vec![
                Span::styled(
                    "Why: ",
                    theme.severity(crate::tui::findings::Severity::Warning),
                ),
                Span::raw(l),
            ]),
            None => Line::from(Span::styled(
                "Enter edit · a add · c duplicate · d delete",
                theme.dim(),
            )),
        };
        frame.render_widget(
            Paragraph::new(help_line).wrap(ratatui::widgets::Wrap { trim: true }),
            help,
        );
        return;
    };
    // Breadcrumb of pages.
    let pages = [
        Page::Service,
        Page::Actions,
        Page::Resources,
        Page::Conditions,
        Page::Finish,
    ];
    let mut crumbs = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if i > 0 {
            crumbs.push(Span::styled(" › ", theme.dim()));
        }
        let style = if *p == ed.page {
            theme.key()
        } else {
            theme.dim()
        };
        crumbs.push(Span::styled(p.to_string(), style));
    }
    let chosen = if ed.chosen.is_empty() {
        "no action chosen".to_string()
    } else {
        let list: Vec<&str> = ed.chosen.iter().map(String::as_str).collect();
        format!("{} chosen: {}", ed.chosen.len(), list.join(", "))
    };
    let [crumb, chosen_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(crumbs)), crumb);
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&chosen, area.width as usize),
            theme.dim(),
        )),
        chosen_area,
    );
    match ed.page {
        Page::Service => {
            let [filter, list] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
            draw_filter(frame, filter, &ed.services, focused, theme);
            let row = |i: usize| {
                let p = &ed.service_rows[i];
                let svc = app.catalog.service(p);
                let name = svc.map_or("", |s| s.name.as_str());
                let n = svc.map_or(0, |s| s.actions.len());
                let picked = ed
                    .chosen
                    .iter()
                    .filter(|a| a.split_once(':').is_some_and(|(s, _)| s == p))
                    .count();
                let mut spans = vec![
                    Span::styled(format!("{:<22}", truncate(p, 22)), theme.title()),
                    Span::styled(format!("{:<34}", truncate(name, 34)), theme.text()),
                    Span::styled(format!(" {n} actions"), theme.dim()),
                ];
                if picked > 0 {
                    spans.push(Span::styled(format!("  ✓{picked}"), theme.ok()));
                }
                Line::from(spans)
            };
            let n = ed.service_rows.len();
            draw_list_with(frame, list, n, ed.services.selected, focused, theme, row);
        }
        Page::Actions => {
            let [filter, list, detail] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(2),
            ])
            .areas(body);
            draw_filter(frame, filter, &ed.actions, focused, theme);
            let svc_prefix = ed.service.clone().unwrap_or_default();
            let svc = app.catalog.service(&svc_prefix);
            let presets = curation::presets_for(&svc_prefix);
            let row = |i: usize| match &ed.action_rows[i] {
                ActionRow::Preset(i) => Line::from(vec![
                    Span::styled("★ ", theme.key()),
                    Span::styled(
                        presets.get(*i).map_or(String::new(), |p| p.title.clone()),
                        theme.title(),
                    ),
                    Span::styled("  (preset)", theme.dim()),
                ]),
                ActionRow::Level(level) => {
                    let (on, total) = svc.map_or((0, 0), |s| {
                        let all: Vec<_> =
                            s.actions.values().filter(|a| a.access == *level).collect();
                        let on = all
                            .iter()
                            .filter(|a| ed.chosen.contains(&format!("{}:{}", s.prefix, a.name)))
                            .count();
                        (on, all.len())
                    });
                    Line::from(Span::styled(
                        format!("── {level} ({on}/{total}) ──"),
                        theme.title(),
                    ))
                }
                ActionRow::Action(name) => {
                    let on = ed.chosen.contains(&format!("{svc_prefix}:{name}"));
                    let act = svc.and_then(|s| s.actions.get(name));
                    let name_w = (body.width as usize / 2).clamp(12, 44);
                    let mut spans = vec![
                        Span::raw(if on { "  [x] " } else { "  [ ] " }),
                        Span::styled(
                            format!("{:<name_w$}", truncate(name, name_w)),
                            if on { theme.title() } else { theme.text() },
                        ),
                    ];
                    if let Some(a) = act {
                        if !a.risks.is_empty() {
                            spans.push(Span::styled(
                                "⚠ ",
                                theme.severity(crate::tui::findings::Severity::Warning),
                            ));
                        }
                        if a.resources.is_empty() {
                            spans.push(Span::styled("* only ", theme.dim()));
                        }
                        if let Some(s) = &a.summary {
                            spans.push(Span::styled(truncate(s, 50), theme.dim()));
                        }
                    }
                    Line::from(spans)
                }
            };
            let n = ed.action_rows.len();
            draw_list_with(frame, list, n, ed.actions.selected, focused, theme, row);
            let info = match ed.action_rows.get(ed.actions.selected) {
                Some(ActionRow::Preset(i)) => presets
                    .get(*i)
                    .map(|p| format!("{} Actions: {}", p.description, p.actions.join(", ")))
                    .unwrap_or_default(),
                Some(ActionRow::Level(l)) => {
                    let names: Vec<String> = ed
                        .action_rows
                        .iter()
                        .filter_map(|r| match r {
                            ActionRow::Action(n) => Some(n.clone()),
                            _ => None,
                        })
                        .filter(|n| {
                            svc.and_then(|s| s.actions.get(n))
                                .is_some_and(|a| a.access == *l)
                        })
                        .collect();
                    format!(
                        "Space toggles them all. {}",
                        crate::tui::teach::whole_level(&svc_prefix, *l, &names)
                    )
                }
                Some(ActionRow::Action(n)) => svc
                    .and_then(|s| s.actions.get(n))
                    .map(|a| {
                        let types: Vec<&str> =
                            a.resources.iter().map(|r| r.type_name.as_str()).collect();
                        let mut s = format!(
                            "{svc_prefix}:{n} · {} · resources: {}",
                            a.access,
                            if types.is_empty() {
                                "* only".to_string()
                            } else {
                                types.join(", ")
                            }
                        );
                        if !a.risks.is_empty() {
                            let r: Vec<String> = a.risks.iter().map(|r| r.to_string()).collect();
                            s.push_str(&format!(" · risk: {}", r.join(", ")));
                        }
                        s
                    })
                    .unwrap_or_default(),
                None => "no action matches the filter".into(),
            };
            frame.render_widget(
                Paragraph::new(Span::styled(
                    sanitize_for_display(&info).into_owned(),
                    theme.dim(),
                ))
                .wrap(Wrap { trim: true }),
                detail,
            );
        }
        Page::Resources => {
            draw_form(frame, body, &ed.resources, focused, 22, theme);
        }
        Page::Conditions => {
            if let Some((key, form)) = &ed.cond_form {
                let [t, f] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        format!("Condition on {}", sanitize_for_display(key)),
                        theme.title(),
                    )),
                    t,
                );
                draw_form(frame, f, form, focused, 10, theme);
                return;
            }
            let [filter, list] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
            draw_filter(frame, filter, &ed.cond_keys, focused, theme);
            let n_cond = ed.conditions.len();
            let row = |i: usize| {
                if i == 0 {
                    return Line::from(Span::styled(
                        "→ Continue (conditions are optional)",
                        theme.key(),
                    ));
                }
                if let Some(c) = ed.conditions.get(i - 1) {
                    return Line::from(vec![
                        Span::styled("  ✓ ", theme.ok()),
                        Span::raw(truncate(
                            &format!("{} {} = {}", c.operator, c.key, c.values.join(", ")),
                            body.width.saturating_sub(20) as usize,
                        )),
                        Span::styled("  (Enter removes)", theme.dim()),
                    ]);
                }
                let k = &ed.cond_rows[i - 1 - n_cond];
                let t = app
                    .catalog
                    .condition_key(k)
                    .and_then(|c| c.types.first())
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                Line::from(vec![
                    Span::raw("  + "),
                    Span::styled(format!("{:<44}", truncate(k, 44)), theme.text()),
                    Span::styled(t, theme.dim()),
                ])
            };
            let n = 1 + n_cond + ed.cond_rows.len();
            draw_list_with(frame, list, n, ed.cond_keys.selected, focused, theme, row);
        }
        Page::Finish => {
            draw_form(frame, body, &ed.finish, focused, 10, theme);
        }
    }
}

pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    match &app.steps.permissions.editor {
        None => vec![
            ("Enter", "edit"),
            ("a", "add"),
            ("c", "duplicate"),
            ("d", "delete"),
        ],
        Some(ed) => match ed.page {
            // Letters are typed into the filter here, so `q` does not quit: say how to.
            Page::Service => {
                let mut h = vec![
                    ("type", "filter"),
                    ("↑↓", "move"),
                    ("Enter", "pick"),
                    ("Esc", "cancel"),
                ];
                // Esc closes the editor at once only when no action is chosen yet.
                h.push((
                    if ed.chosen.is_empty() {
                        "Esc then q"
                    } else {
                        "Ctrl-C"
                    },
                    "quit",
                ));
                if ed.services.query().is_empty() {
                    h.push(("?", "help"));
                }
                h
            }
            Page::Actions => {
                let mut h = vec![
                    ("type", "filter"),
                    ("Space", "toggle"),
                    ("Enter", "next"),
                    ("Esc", "back"),
                ];
                h.push((
                    if ed.chosen.is_empty() {
                        "Esc Esc q"
                    } else {
                        "Ctrl-C"
                    },
                    "quit",
                ));
                if ed.actions.query().is_empty() {
                    h.push(("?", "help"));
                }
                h
            }
            Page::Resources => vec![
                ("↑↓", "field"),
                ("Space", "include"),
                ("Enter", "next"),
                ("Esc", "back"),
            ],
            Page::Conditions => vec![
                ("type", "filter"),
                ("Enter", "add/continue"),
                ("Esc", "back"),
            ],
            Page::Finish => vec![("Space", "Allow/Deny"), ("Enter", "save"), ("Esc", "back")],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_order_without_duplicates() {
        assert_eq!(
            placeholders("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
            vec!["Partition", "BucketName", "ObjectName"]
        );
        assert!(placeholders("arn:aws:s3:::b").is_empty());
    }

    /// The values `resource` decomposes into for the catalog's first format of `svc:type_name`.
    fn decomposed(svc: &str, type_name: &str, resource: &str) -> Option<Vec<(String, String)>> {
        let c = Catalog::embedded();
        let t = c.resource_type(svc, type_name).expect("type in catalog");
        let template = t.arn_formats.first().expect("a format");
        let slash_free = service_slash_free(c, svc);
        let values = decompose_arn(resource, template, &slash_free)?;
        // Filling the template back in gives the same resource.
        assert_eq!(
            fill_template(type_name, template, &values, &slash_free).as_deref(),
            Ok(resource)
        );
        Some(values)
    }

    fn pairs(v: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn decomposes_s3_objects_and_buckets() {
        assert_eq!(
            decomposed("s3", "object", "arn:aws:s3:::my-bucket/*"),
            pairs(&[
                ("Partition", "aws"),
                ("BucketName", "my-bucket"),
                ("ObjectName", "*")
            ])
        );
        assert_eq!(
            decomposed("s3", "object", "arn:aws:s3:::b/logs/2024/*.json"),
            pairs(&[
                ("Partition", "aws"),
                ("BucketName", "b"),
                ("ObjectName", "logs/2024/*.json")
            ])
        );
        assert_eq!(
            decomposed("s3", "bucket", "arn:aws:s3:::my-bucket"),
            pairs(&[("Partition", "aws"), ("BucketName", "my-bucket")])
        );
        assert_eq!(decomposed("s3", "bucket", "arn:aws:s3:::my-bucket/*"), None);
        assert_eq!(decomposed("s3", "object", "arn:aws:s3:::my-bucket"), None);
    }

    #[test]
    fn decomposes_dynamodb_tables_and_indexes() {
        let table = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
        let index = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/ByDate";
        assert_eq!(
            decomposed("dynamodb", "table", table),
            pairs(&[
                ("Partition", "aws"),
                ("Region", "eu-west-1"),
                ("Account", "123456789012"),
                ("TableName", "Orders")
            ])
        );
        assert_eq!(decomposed("dynamodb", "table", index), None);
        let values = decomposed("dynamodb", "index", index).expect("an index");
        assert!(values.contains(&("TableName".into(), "Orders".into())));
        assert!(values.contains(&("IndexName".into(), "ByDate".into())));
        assert_eq!(decomposed("dynamodb", "index", table), None);
    }

    #[test]
    fn decomposes_log_groups_secrets_and_policy_variables() {
        let values = decomposed(
            "logs",
            "log-group",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/reverser:*",
        )
        .expect("a log group");
        assert!(values.contains(&("LogGroupName".into(), "/aws/lambda/reverser:*".into())));
        let values = decomposed(
            "secretsmanager",
            "Secret",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????",
        )
        .expect("a secret");
        assert!(values.contains(&("SecretId".into(), "prod/db-??????".into())));
        let values = decomposed("s3", "object", "arn:aws:s3:::home/${aws:username}/*")
            .expect("a policy variable is text");
        assert!(values.contains(&("ObjectName".into(), "${aws:username}/*".into())));
    }

    #[test]
    fn an_arn_that_fits_nothing_does_not_decompose() {
        let c = Catalog::embedded();
        let slash_free = service_slash_free(c, "s3");
        for t in c.service("s3").unwrap().resources.values() {
            for f in &t.arn_formats {
                assert_eq!(
                    decompose_arn("arn:aws:sqs:us-east-1:1:q", f, &slash_free),
                    None
                );
            }
        }
        assert_eq!(decomposed("s3", "object", "*"), None);
    }

    #[test]
    fn editing_loads_resources_into_builders_and_keeps_the_rest() {
        let c = Catalog::embedded();
        let role = RoleSpec {
            name: "r".into(),
            policies: vec![InlinePolicySpec {
                name: "p".into(),
                statements: vec![StatementSpec {
                    actions: vec!["s3:GetObject".into()],
                    resources: vec![
                        "arn:aws:s3:::first/*".into(),
                        "arn:aws:s3:::second/*".into(),
                        "arn:aws:s3:::b/a".into(),
                    ],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut ed = StatementEditor::new(&role, c, Some((0, 0)));
        assert_eq!(ed.kept, vec!["arn:aws:s3:::second/*", "arn:aws:s3:::b/a"]);
        // Before the Resources page is built, the draft keeps every resource.
        assert_eq!(ed.statements(c), role.policies[0].statements);
        ed.rebuild_resources(&role, c);
        assert_eq!(ed.statements(c), role.policies[0].statements);
        assert_eq!(ed.apply_to(&role, c), role);
        // Swapping the action for one without the object type: the loaded ARN is kept.
        ed.chosen.clear();
        ed.chosen.insert("s3:ListBucket".into());
        ed.rebuild_resources(&role, c);
        assert_eq!(
            ed.kept,
            vec![
                "arn:aws:s3:::second/*",
                "arn:aws:s3:::b/a",
                "arn:aws:s3:::first/*"
            ]
        );
        let s = ed.statements(c);
        assert_eq!(s[0].resources, role.policies[0].statements[0].resources);
    }

    /// An embedded action scoped to a type with more than one ARN format: (action, type).
    fn multi_format_action(c: &Catalog) -> (String, String) {
        for svc in c.services() {
            for act in svc.actions.values() {
                for r in &act.resources {
                    if c.resource_type(&svc.prefix, &r.type_name)
                        .is_some_and(|t| t.arn_formats.len() > 1)
                    {
                        return (format!("{}:{}", svc.prefix, act.name), r.type_name.clone());
                    }
                }
            }
        }
        panic!("the embedded catalog has a type with several ARN formats (API Gateway)");
    }

    #[test]
    fn the_arn_format_can_be_picked_where_a_type_has_several() {
        let c = Catalog::embedded();
        let (action, type_name) = multi_format_action(c);
        let svc = action.split_once(':').unwrap().0.to_string();
        let formats = c
            .resource_type(&svc, &type_name)
            .unwrap()
            .arn_formats
            .clone();
        let key = format!("{svc}:{type_name}");
        let role = RoleSpec::default();
        let mut ed = StatementEditor::new(&role, c, None);
        ed.chosen.insert(action.clone());
        ed.include_memory.insert(key.clone(), true);
        ed.rebuild_resources(&role, c);
        let builder = |ed: &StatementEditor| {
            ed.builders
                .iter()
                .find(|b| b.type_name == type_name)
                .unwrap()
                .clone()
        };
        let b = builder(&ed);
        assert_eq!(b.template, formats[0], "the first format by default");
        let choice = b.format_field.expect("a format choice");
        ed.resources.focus = choice;
        ed.toggle_resource(&role, c, true);
        let b = builder(&ed);
        assert_eq!(b.template, formats[1]);
        assert_eq!(ed.resources.focus, b.format_field.unwrap(), "focus stays");
        let wanted = placeholders(&formats[1]);
        let asked: Vec<String> = b.fields.iter().map(|(_, p)| p.clone()).collect();
        assert_eq!(asked, wanted, "the fields follow the format");
        ed.toggle_resource(&role, c, false);
        assert_eq!(builder(&ed).template, formats[0]);
        // Types with one format get no choice.
        let mut ed = StatementEditor::new(&role, c, None);
        ed.chosen.insert("s3:GetObject".into());
        ed.rebuild_resources(&role, c);
        assert!(ed.builders.iter().all(|b| b.format_field.is_none()));
    }

    #[test]
    fn editing_picks_the_format_the_resource_fits() {
        let c = Catalog::embedded();
        let (action, type_name) = multi_format_action(c);
        let svc = action.split_once(':').unwrap().0.to_string();
        let formats = c
            .resource_type(&svc, &type_name)
            .unwrap()
            .arn_formats
            .clone();
        // Fill the second format with made-up values.
        let resource = placeholders(&formats[1])
            .iter()
            .fold(formats[1].clone(), |arn, ph| {
                let v = match ph.as_str() {
                    "Partition" => "aws",
                    "Region" => "eu-west-1",
                    "Account" => "123456789012",
                    _ => "x1",
                };
                arn.replace(&format!("${{{ph}}}"), v)
            });
        let role = RoleSpec {
            policies: vec![InlinePolicySpec {
                name: "p".into(),
                statements: vec![StatementSpec {
                    actions: vec![action],
                    resources: vec![resource.clone()],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut ed = StatementEditor::new(&role, c, Some((0, 0)));
        assert!(ed.kept.is_empty(), "{resource} decomposes: {:?}", ed.kept);
        ed.rebuild_resources(&role, c);
        let b = ed
            .builders
            .iter()
            .find(|b| b.type_name == type_name)
            .unwrap();
        assert_eq!(b.template, formats[1]);
        assert_eq!(ed.apply_to(&role, c), role);
    }

    #[test]
    fn operators_fit_types() {
        assert!(operators_for(Some(ConditionType::Bool)).contains(&"Bool"));
        assert!(operators_for(Some(ConditionType::IpAddress)).contains(&"IpAddress"));
        assert_eq!(operators_for(None)[0], "StringEquals");
    }

    #[test]
    fn star_only_actions_get_their_own_statement() {
        let c = Catalog::embedded();
        let role = RoleSpec {
            name: "r".into(),
            ..Default::default()
        };
        let mut ed = StatementEditor::new(&role, c, None);
        ed.chosen.insert("s3:GetObject".into());
        ed.chosen.insert("s3:ListAllMyBuckets".into());
        ed.rebuild_resources(&role, c);
        let b = ed
            .builders
            .iter()
            .find(|b| b.type_name == "object")
            .unwrap()
            .clone();
        let bucket = b.fields.iter().find(|(_, p)| p == "BucketName").unwrap().0;
        ed.resources.fields[bucket].set_text("my-bucket");
        ed.check_builders(c);
        let s = ed.statements(c);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].actions, vec!["s3:GetObject"]);
        assert_eq!(s[0].resources, vec!["arn:aws:s3:::my-bucket/*"]);
        assert_eq!(s[1].actions, vec!["s3:ListAllMyBuckets"]);
        assert_eq!(s[1].resources, vec!["*"]);
        let applied = ed.apply_to(&role, c);
        assert_eq!(applied.policies.len(), 1);
        assert_eq!(applied.policies[0].name, "r-policy");
    }

    #[test]
    fn builder_rejects_arns_that_do_not_fit() {
        let c = Catalog::embedded();
        let role = RoleSpec::default();
        let mut ed = StatementEditor::new(&role, c, None);
        ed.chosen.insert("s3:PutObject".into());
        ed.rebuild_resources(&role, c);
        let b = ed
            .builders
            .iter()
            .find(|b| b.type_name == "object")
            .unwrap()
            .clone();
        assert!(
            ed.resources.fields[b.include_field].is_on(),
            "object is ticked by default"
        );
        let ap = ed
            .builders
            .iter()
            .find(|b| b.type_name == "accesspointobject")
            .unwrap();
        assert!(!ed.resources.fields[ap.include_field].is_on());
        let bucket = b.fields.iter().find(|(_, p)| p == "BucketName").unwrap().0;
        assert!(
            compose(&b, &ed.resources, c)
                .unwrap_err()
                .contains("BucketName")
        );
        ed.resources.fields[bucket].set_text("a/b");
        assert!(
            compose(&b, &ed.resources, c).is_err(),
            "a bucket name holds no slash"
        );
        ed.resources.fields[bucket].set_text("my-super-specific-bucket");
        assert_eq!(
            compose(&b, &ed.resources, c).unwrap(),
            "arn:aws:s3:::my-super-specific-bucket/*"
        );
    }
}
