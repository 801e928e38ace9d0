//! The statement editor's state: what has been chosen on each page and the forms that
//! collect it. The rules of what the choices make (statements, resource types offered,
//! resources loaded back into builders) are `role::statements` and `policy::arn_template`;
//! this module keeps the UI state in step with them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexSet;

use crate::catalog::Catalog;
use crate::policy::Effect;
use crate::policy::arn_template::{fill_template, placeholders, resource_part};
use crate::role::statements::{
    ConditionEntry, StatementDraft, condition_entries, default_policy_name, fit_resource,
    place_statements, resource_types_of, resource_types_to_offer, slash_free_placeholders_of,
    split_star_only, type_key,
};
use crate::role::{RoleSpec, StatementSpec};
use crate::tui::curation;
use crate::tui::widgets::field::{Field, FieldKind, Form};
use crate::tui::widgets::list::{FilterList, fuzzy_filter};

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

impl Page {
    /// Every page, in the order the editor walks through them.
    pub const ALL: [Page; 5] = [
        Page::Service,
        Page::Actions,
        Page::Resources,
        Page::Conditions,
        Page::Finish,
    ];
}

/// A row of the actions page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionRow {
    /// A curated preset of the service (index into `curation::presets_for`).
    Preset(usize),
    /// The header of an access level: Space toggles every shown action of it.
    Level(crate::catalog::AccessLevel),
    /// An action of the service, by name.
    Action(String),
    /// An entry of the statement that is no single action of the service — a wildcard
    /// (`s3:*`, `s3:Get*`) from a template or an imported policy, or a name the catalog does
    /// not know — as written: Space removes (or restores) it, Enter expands a wildcard.
    Written(String),
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

impl Builder {
    fn key(&self) -> String {
        type_key(&self.service, &self.type_name)
    }
}

/// The statement editor's state.
#[derive(Clone, Debug)]
pub struct StatementEditor {
    /// (policy, statement) being edited; `None` for a new statement.
    pub target: Option<(usize, usize)>,
    pub page: Page,
    /// Chosen actions, `service:Action`, in the order picked.
    pub chosen: IndexSet<String>,
    /// Entries shown as [`ActionRow::Written`]: every wildcard or unknown entry seen in
    /// `chosen`, kept after it is unticked so it can be ticked again.
    pub written: IndexSet<String>,
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
    pub(super) include_memory: HashMap<String, bool>,
    /// The ARN format picked for a type with several, by `service:type` (default: the first).
    format_memory: HashMap<String, usize>,
    pub conditions: Vec<ConditionEntry>,
    pub cond_keys: FilterList,
    pub cond_rows: Vec<String>,
    pub cond_form: Option<(String, Form)>,
    pub finish: Form,
    /// Elements of the edited statement the editor does not show (kept as they were).
    original: StatementSpec,
    /// "Add by API call" instead of the pages: its statements are the draft.
    pub by_call: Option<Box<super::by_call::ByCall>>,
}

pub(super) const FINISH_EFFECT: usize = 0;
pub(super) const FINISH_SID: usize = 1;
pub(super) const FINISH_POLICY: usize = 2;

impl StatementEditor {
    /// The editor on the statement at `target` (on the Actions page), or on a new one.
    pub fn new(
        role: &RoleSpec,
        catalog: &Catalog,
        target: Option<(usize, usize)>,
    ) -> StatementEditor {
        let original = target
            .and_then(|(pi, si)| role.policies.get(pi)?.statements.get(si).cloned())
            .unwrap_or_default();
        let policy_name = default_policy_name(role, target);
        let service = original
            .actions
            .first()
            .and_then(|a| a.split_once(':'))
            .map(|(s, _)| s.to_string());
        let conditions = condition_entries(original.condition.as_ref());
        let mut ed = StatementEditor {
            target,
            page: if target.is_some() {
                Page::Actions
            } else {
                Page::Service
            },
            chosen: original.actions.iter().cloned().collect(),
            written: IndexSet::new(),
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
            by_call: None,
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
        let types = resource_types_of(catalog, &self.chosen);
        let mut used: HashSet<String> = HashSet::new();
        let mut kept = Vec::new();
        for resource in &self.kept {
            match fit_resource(catalog, &types, resource, &used) {
                Some(fit) => {
                    let key = fit.type_key;
                    for (ph, v) in fit.values {
                        self.memory.insert((key.clone(), ph), v);
                    }
                    self.include_memory.insert(key.clone(), true);
                    self.format_memory.insert(key.clone(), fit.format);
                    self.loaded.push((key.clone(), resource.clone()));
                    used.insert(key);
                }
                None => kept.push(resource.clone()),
            }
        }
        self.kept = kept;
    }

    pub(super) fn refresh_services(&mut self, catalog: &Catalog) {
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

    pub(super) fn refresh_actions(&mut self, catalog: &Catalog) {
        self.action_rows.clear();
        let Some(svc) = self.service.as_deref().and_then(|s| catalog.service(s)) else {
            return;
        };
        let q = self.actions.query().to_string();
        let q = q.as_str();
        // What the statement holds that is no row below (a wildcard, an unknown name) comes
        // first, so it can always be unticked.
        let plain = |a: &str| {
            a.split_once(':')
                .is_some_and(|(s, n)| s == svc.prefix && svc.actions.contains_key(n))
        };
        let odd: Vec<String> = self.chosen.iter().filter(|a| !plain(a)).cloned().collect();
        self.written.extend(odd);
        self.action_rows
            .extend(self.written.iter().cloned().map(ActionRow::Written));
        let presets = curation::presets_for(&svc.prefix);
        let mut preset_hits = fuzzy_filter(
            q,
            presets
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.title.as_str())),
        );
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

    /// Builds the resources form: "keep" boxes for existing resources, then one builder per
    /// resource type the chosen actions take.
    pub(super) fn rebuild_resources(&mut self, role: &RoleSpec, catalog: &Catalog) {
        self.remember_values();
        let mut fields = Vec::new();
        let mut builders = Vec::new();
        // A resource loaded into a builder whose type no chosen action takes any more goes
        // back to a keep box rather than vanish.
        let types_now: HashSet<String> = resource_types_of(catalog, &self.chosen)
            .into_iter()
            .map(|(svc, t)| type_key(&svc, &t))
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
        // Each action's narrowest type is ticked by default, and those come first.
        for ((svc, type_name), primary) in resource_types_to_offer(catalog, &self.chosen) {
            let Some(t) = catalog.resource_type(&svc, &type_name) else {
                continue;
            };
            let key = type_key(&svc, &type_name);
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
            fields.push(Field::toggle(key.clone(), include));
            let format_field =
                (include && t.arn_formats.len() > 1).then(|| {
                    let options: Vec<&str> =
                        t.arn_formats.iter().map(|f| resource_part(f)).collect();
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
                let remembered = self.memory.get(&(key.clone(), ph.clone()));
                let hint = curation::placeholder_hint(&ph);
                let default = match ph.as_str() {
                    "Partition" => role.partition.clone().unwrap_or_else(|| "aws".into()),
                    // The role's own, else what was typed for another resource type:
                    // an account or region is typed once, not once per ARN.
                    "Account" => role
                        .account
                        .clone()
                        .or_else(|| self.typed_elsewhere("Account"))
                        .unwrap_or_default(),
                    "Region" => role
                        .region
                        .clone()
                        .or_else(|| self.typed_elsewhere("Region"))
                        .unwrap_or_default(),
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
        let (star, scoped) = split_star_only(catalog, &self.chosen);
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
    pub(super) fn toggle_resource(&mut self, role: &RoleSpec, catalog: &Catalog, forward: bool) {
        let focus = self.resources.focus;
        if let Some(b) = self.builders.iter().find(|b| b.format_field == Some(focus)) {
            let key = b.key();
            self.resources.toggle(forward);
            let format = self.resources.fields[focus].choice_index();
            self.format_memory.insert(key.clone(), format);
            self.rebuild_resources(role, catalog);
            if let Some(f) = self
                .builders
                .iter()
                .find(|b| b.key() == key)
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
        let key = b.key();
        let now = !self.resources.fields[focus].is_on();
        self.include_memory.insert(key.clone(), now);
        self.rebuild_resources(role, catalog);
        if let Some(b) = self.builders.iter().find(|b| b.key() == key) {
            self.resources.focus = b.include_field;
        }
    }

    /// A value typed for `placeholder` in any builder of this editor.
    fn typed_elsewhere(&self, placeholder: &str) -> Option<String> {
        self.memory
            .iter()
            .filter(|((_, ph), v)| ph == placeholder && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .next()
    }

    fn remember_values(&mut self) {
        for b in &self.builders {
            for (fi, ph) in &b.fields {
                if let Some(f) = self.resources.fields.get(*fi) {
                    self.memory
                        .insert((b.key(), ph.clone()), f.value().to_string());
                }
            }
        }
    }

    /// Composes each builder's ARN and shows it, or what is wrong, under its check box.
    pub(super) fn check_builders(&mut self, catalog: &Catalog) {
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

    /// The statements the draft stands for: one, or two when some actions work only on `*`.
    pub fn statements(&self, catalog: &Catalog) -> Vec<StatementSpec> {
        if let Some(by_call) = &self.by_call {
            return by_call.draft_statements(catalog);
        }
        if self.chosen.is_empty() {
            return Vec::new();
        }
        let effect = if self.finish.fields[FINISH_EFFECT].choice_index() == 1 {
            Effect::Deny
        } else {
            Effect::Allow
        };
        let draft = StatementDraft {
            actions: self.chosen.iter().cloned().collect(),
            resources: self.built_resources(catalog),
            conditions: &self.conditions,
            effect,
            sid: super::super::non_empty(self.finish.value(FINISH_SID)),
        };
        draft.statements(catalog, &self.original)
    }

    /// `role` with the draft in place of the edited statement (or appended).
    pub fn apply_to(&self, role: &RoleSpec, catalog: &Catalog) -> RoleSpec {
        place_statements(
            role,
            self.target,
            self.finish.value(FINISH_POLICY),
            self.statements(catalog),
        )
    }

    pub(super) fn refresh_cond_keys(&mut self, catalog: &Catalog) {
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
    pub(super) fn cond_row_count(&self) -> usize {
        1 + self.conditions.len() + self.cond_rows.len()
    }
}

/// Fills a builder's template from the form and checks the result.
fn compose(b: &Builder, form: &Form, catalog: &Catalog) -> Result<String, String> {
    let slash_free = slash_free_placeholders_of(catalog, &b.service);
    let values: Vec<(String, String)> = b
        .fields
        .iter()
        .map(|(fi, ph)| (ph.clone(), form.value(*fi).trim().to_string()))
        .collect();
    fill_template(&b.type_name, &b.template, &values, &slash_free)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::InlinePolicySpec;

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
