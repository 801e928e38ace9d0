//! "Add by API call" (Permissions step, `C`): type what the code calls — `s3.put_object`,
//! `PutObject`, `aws s3api put-object`, `s3:CopyObject` — and get the statements it needs.
//!
//! People know the calls their code makes, not the IAM actions behind them, and one call often
//! needs several (CopyObject: GetObject on the source, PutObject on the target). As the call is
//! typed, `catalog::operations::resolve` names the operation (with completions and, when nothing
//! matches, the nearest names); for the chosen one `catalog::operations::permissions` splits its
//! actions into needed (ticked) and "only when …" (unticked, opt-in, with why), and says which
//! resource each acts on. Each resource gets an ARN builder like the Resources page: one field
//! per `${Placeholder}`, partition/account/region from the role, checked as typed.
//!
//! Enter adds the ticked actions as statements: the actions that act on the same resources
//! share a statement (CopyObject: GetObject on the source object, PutObject on the target
//! object), actions that take only `*` get their own. The page lives in the statement editor
//! (`StatementEditor::by_call`), so its draft shows in the preview while it is open and the
//! role changes only on Enter — one undo step.
//!
//! The full catalog's operations take a moment to decode: in the real terminal that happens on
//! a worker thread (the page says so and fills in when done, see [`catch_up`]), so no frame
//! waits for it.

use indexmap::IndexMap;

mod screen;
pub(super) use screen::draw;

use super::PermissionsStep;
use super::{StatementEditor, close_editor, draft_changed, statement_refs};
use crate::catalog::operations::resolve::complete;
use crate::catalog::operations::{OperationRef, Source, Unresolved, permissions, resolve};
use crate::catalog::{AccessLevel, Catalog};
use crate::policy::arn_template::{fill_template, placeholders};
use crate::role::statements::{
    ConditionEntry, condition_block, default_policy_name, place_statements,
    slash_free_placeholders_of, split_star_only,
};
use crate::role::{RoleSpec, StatementSpec};
use crate::tui::action::Action;
use crate::tui::context::Ctx;
use crate::tui::curation;
use crate::tui::widgets::field::{Field, Form};
use crate::tui::widgets::list::list_move;

/// At most this many operations are offered for what is typed.
const COMPLETIONS: usize = 8;

/// What the page says before anything is typed.
const EXAMPLES: &str =
    "e.g. s3.put_object, PutObject, s3:CopyObject, aws s3api put-object, lambda.create_function";

/// An operation offered for the typed call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The IAM prefix of its service (`s3`).
    pub service: String,
    /// The API name (`CopyObject`).
    pub name: String,
    /// `s3.copy_object`.
    pub sdk: String,
    /// `aws s3api copy-object`, when the operation has an SDK method.
    pub cli: Option<String>,
}

impl Candidate {
    fn of(o: &OperationRef<'_>) -> Candidate {
        Candidate {
            service: o.service.to_string(),
            name: o.operation.name.clone(),
            sdk: o.sdk_label(),
            cli: o.cli_labels().into_iter().next(),
        }
    }

    /// `s3:CopyObject`.
    pub fn label(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

/// One action of the chosen call, with whether it goes into the statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionChoice {
    /// `service:Action`.
    pub action: String,
    pub access: Option<AccessLevel>,
    /// `None` for a needed action; else when it applies ("only when …").
    pub when: Option<String>,
    /// rolesmith's notes add it (AWS's list does not have it).
    pub curated: bool,
    /// The loaded catalog knows it; an action it does not know cannot be ticked (its
    /// resources are unknown).
    pub in_catalog: bool,
    pub ticked: bool,
    /// The request context AWS states for this authorization (`iam:PassedToService` →
    /// `lambda.amazonaws.com`): the statement gets it as a `StringEquals` condition, so the
    /// grant is no wider than what the call needs.
    pub context: Vec<(String, Vec<String>)>,
}

/// A resource the call touches, with an ARN builder for it.
#[derive(Clone, Debug)]
pub struct ResourceChoice {
    /// What it is in the call (`source object`), else the resource type's name; `*`.
    pub name: String,
    /// `service:type`; `None` for actions that take only `*`.
    pub resource_type: Option<String>,
    /// The ARN template, or `*`.
    pub template: String,
    /// The call's actions that act on it.
    pub actions: Vec<String>,
    /// Set once the user toggles it; otherwise [`ByCall::included`] decides.
    pub include: Option<bool>,
    /// One text field per placeholder of the template, in order.
    pub form: Form,
}

impl ResourceChoice {
    fn is_star(&self) -> bool {
        self.resource_type.is_none() || self.template == "*"
    }

    /// The ARN the fields make, or what is wrong.
    fn compose(&self, catalog: &Catalog) -> Result<String, String> {
        let Some(t) = self.resource_type.as_deref().filter(|_| !self.is_star()) else {
            return Ok("*".into());
        };
        let (service, type_name) = t.split_once(':').unwrap_or(("", t));
        let values: Vec<(String, String)> = placeholders(&self.template)
            .into_iter()
            .enumerate()
            .map(|(i, ph)| (ph, self.form.value(i).trim().to_string()))
            .collect();
        let slash_free = slash_free_placeholders_of(catalog, service);
        fill_template(type_name, &self.template, &values, &slash_free)
    }
}

/// What the chosen call needs.
#[derive(Clone, Debug)]
pub struct Detail {
    pub operation: Candidate,
    pub actions: Vec<ActionChoice>,
    pub resources: Vec<ResourceChoice>,
    /// Remarks on the answer (AWS lists no action, nothing known to be needed, a curated note).
    pub notes: Vec<String>,
}

/// Where the keyboard is on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The call field.
    Call,
    /// A row of the chosen call (index into [`ByCall::rows`]).
    Row(usize),
}

/// A focusable row below the call field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// An action (index into `Detail::actions`): Space ticks it.
    Action(usize),
    /// A resource's include box (index into `Detail::resources`).
    Include(usize),
    /// A placeholder field of a resource: (resource, field).
    Field(usize, usize),
}

/// The page's state.
#[derive(Clone, Debug)]
pub struct ByCall {
    /// One text field: the call.
    pub call: Form,
    pub focus: Focus,
    /// Operations offered for the text, best first (the resolved one first).
    pub candidates: Vec<Candidate>,
    /// The candidate whose actions are shown.
    pub picked: usize,
    /// What the page says about the text (not a call, nearest names, ambiguity, loading).
    pub message: Option<String>,
    pub detail: Option<Detail>,
    /// The operations are being decoded on a worker thread.
    pub waiting: bool,
    /// Partition, account and region of the role, for the ARN builders.
    defaults: (String, String, String),
}

impl ByCall {
    /// An empty page for `role`.
    pub fn new(role: &RoleSpec) -> ByCall {
        ByCall {
            call: Form::new(vec![Field::text("Call", "")]),
            focus: Focus::Call,
            candidates: Vec::new(),
            picked: 0,
            message: None,
            detail: None,
            waiting: false,
            defaults: (
                role.partition.clone().unwrap_or_else(|| "aws".into()),
                role.account.clone().unwrap_or_default(),
                role.region.clone().unwrap_or_default(),
            ),
        }
    }

    /// Whether typed keys go into a text field (the call, or a resource's placeholder).
    pub fn editing_text(&self) -> bool {
        match self.focus {
            Focus::Call => true,
            Focus::Row(i) => matches!(self.rows().get(i), Some(Row::Field(..))),
        }
    }

    /// Resolves the typed call again: candidates, message, and the first candidate's detail.
    /// A few binary searches over the sorted operation names; the nearest names (a pass over
    /// every operation) only when nothing starts with what was typed.
    pub fn refresh(&mut self, catalog: &Catalog) {
        self.candidates.clear();
        self.detail = None;
        self.message = None;
        self.picked = 0;
        let ops = match catalog.operations_if_loaded() {
            None => {
                self.waiting = true;
                self.message = Some("reading the catalog's API operations…".into());
                return;
            }
            Some(Err(e)) => {
                self.waiting = false;
                self.message = Some(format!("the API operations cannot be read: {e}"));
                return;
            }
            Some(Ok(ops)) => ops,
        };
        self.waiting = false;
        let text = self.call.value(0).to_string();
        if text.trim().is_empty() {
            return;
        }
        let mut found: Vec<OperationRef<'_>> = Vec::new();
        let mut unresolved = None;
        match resolve(ops, &text) {
            Ok(r) => {
                found.push(r.operation);
                found.extend(r.also.iter().copied());
                if let Some(q) = &r.ignored_qualifier {
                    self.message = Some(format!(
                        "{q:?} is not a service or SDK client: read as a variable name"
                    ));
                } else if !r.also.is_empty() {
                    self.message = Some("other services have this operation too: ↑↓ picks".into());
                }
            }
            Err(e) => unresolved = Some(e),
        }
        for o in complete(ops, &text, COMPLETIONS) {
            if found.len() >= COMPLETIONS {
                break;
            }
            if !found
                .iter()
                .any(|f| f.service == o.service && f.operation.name == o.operation.name)
            {
                found.push(o);
            }
        }
        if let Some(e) = unresolved {
            // Nothing starts with it: say why, with the nearest names. With completions the
            // text is only unfinished, except for a name several services share.
            if found.is_empty() || matches!(e, Unresolved::Ambiguous { .. }) {
                self.message = Some(e.describe(ops));
            }
        }
        self.candidates = found.iter().map(Candidate::of).collect();
        self.pick(catalog, 0);
    }

    /// Shows the actions of candidate `i`.
    fn pick(&mut self, catalog: &Catalog, i: usize) {
        self.picked = i.min(self.candidates.len().saturating_sub(1));
        self.detail = None;
        let Some(c) = self.candidates.get(self.picked) else {
            return;
        };
        let Some(Ok(ops)) = catalog.operations_if_loaded() else {
            return;
        };
        if let Some(op) = ops.get(&c.service, &c.name) {
            self.detail = Some(self.build_detail(catalog, op));
        }
    }

    fn build_detail(&self, catalog: &Catalog, op: OperationRef<'_>) -> Detail {
        let p = permissions(catalog, op);
        let access = |a: &str| {
            a.split_once(':')
                .and_then(|(s, n)| catalog.action(s, n))
                .map(|x| x.access)
        };
        let mut actions = Vec::new();
        for n in &p.needed {
            actions.push(ActionChoice {
                action: n.action.clone(),
                access: access(&n.action),
                when: None,
                curated: n.source == Source::Curated,
                in_catalog: n.in_catalog,
                ticked: n.in_catalog,
                context: context_of(n),
            });
        }
        for n in &p.conditional {
            actions.push(ActionChoice {
                action: n.action.clone(),
                access: access(&n.action),
                when: Some(n.when.clone().unwrap_or_default()),
                curated: n.source == Source::Curated,
                in_catalog: n.in_catalog,
                ticked: false,
                context: context_of(n),
            });
        }
        let (partition, account, region) = &self.defaults;
        let resources = p
            .resources
            .iter()
            .map(|r| {
                let fields = if r.resource_type.is_some() && r.arn != "*" {
                    placeholders(&r.arn)
                        .into_iter()
                        .map(|ph| {
                            let hint = curation::placeholder_hint(&ph);
                            let value = match ph.as_str() {
                                "Partition" => partition.clone(),
                                "Account" => account.clone(),
                                "Region" => region.clone(),
                                _ => hint.and_then(|h| h.default.clone()).unwrap_or_default(),
                            };
                            let f = Field::text(ph, value);
                            match hint {
                                Some(h) => f.with_hint(format!("e.g. {}", h.example)),
                                None => f,
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let mut form = Form::new(fields);
                form.focus = 0;
                ResourceChoice {
                    name: r.name.clone(),
                    resource_type: r.resource_type.clone(),
                    template: r.arn.clone(),
                    actions: r.actions.clone(),
                    include: None,
                    form,
                }
            })
            .collect();
        Detail {
            operation: Candidate::of(&op),
            actions,
            resources,
            notes: p.notes.clone(),
        }
    }

    fn ticked(&self) -> Vec<String> {
        self.detail.as_ref().map_or_else(Vec::new, |d| {
            d.actions
                .iter()
                .filter(|a| a.ticked)
                .map(|a| a.action.clone())
                .collect()
        })
    }

    /// Whether resource `r` is shown: some ticked action acts on it.
    pub fn active(&self, r: usize) -> bool {
        let Some(d) = &self.detail else {
            return false;
        };
        d.resources.get(r).is_some_and(|res| {
            res.actions
                .iter()
                .any(|a| d.actions.iter().any(|c| c.ticked && &c.action == a))
        })
    }

    /// Whether resource `r` goes into the statements: as the user set it, else when it is
    /// the narrowest resource (fewest placeholders) of one of its ticked actions — the
    /// object rather than the access point's object, as the Resources page offers them.
    pub fn included(&self, r: usize) -> bool {
        let Some(d) = &self.detail else {
            return false;
        };
        let Some(res) = d.resources.get(r) else {
            return false;
        };
        if !self.active(r) {
            return false;
        }
        if res.is_star() {
            return true;
        }
        if let Some(on) = res.include {
            return on;
        }
        let size = |x: &ResourceChoice| placeholders(&x.template).len();
        d.actions.iter().filter(|a| a.ticked).any(|a| {
            let narrowest = d
                .resources
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.is_star() && x.actions.contains(&a.action))
                .min_by_key(|(_, x)| size(x))
                .map(|(i, _)| i);
            narrowest == Some(r)
        })
    }

    /// The focusable rows below the call field, in order.
    pub fn rows(&self) -> Vec<Row> {
        let Some(d) = &self.detail else {
            return Vec::new();
        };
        let mut rows: Vec<Row> = (0..d.actions.len()).map(Row::Action).collect();
        for (r, res) in d.resources.iter().enumerate() {
            if !self.active(r) || res.is_star() {
                continue;
            }
            rows.push(Row::Include(r));
            if self.included(r) {
                rows.extend((0..res.form.fields.len()).map(|k| Row::Field(r, k)));
            }
        }
        rows
    }

    /// The statements the ticked actions make: one per set of resources (the actions acting
    /// on the same resources together), then the actions that take only `*`. With `strict`,
    /// an included resource that is not valid yet, or a ticked action without a resource, is
    /// an error naming the row to fix; otherwise they are left out (the live draft).
    pub fn statements(
        &self,
        catalog: &Catalog,
        strict: bool,
    ) -> Result<Vec<StatementSpec>, (String, Option<Row>)> {
        let Some(d) = &self.detail else {
            return Err(("type a call first".into(), None));
        };
        let ticked = self.ticked();
        if ticked.is_empty() {
            return Err(("tick at least one action (Space)".into(), None));
        }
        let mut arns: Vec<Option<String>> = Vec::with_capacity(d.resources.len());
        for (r, res) in d.resources.iter().enumerate() {
            if !self.included(r) || res.is_star() {
                arns.push(None);
                continue;
            }
            match res.compose(catalog) {
                Ok(arn) => arns.push(Some(arn)),
                Err(e) if strict => {
                    // The first field still empty, else the first: where to fix it.
                    let k = res
                        .form
                        .fields
                        .iter()
                        .position(|f| f.value().trim().is_empty())
                        .unwrap_or(0);
                    let row = (!res.form.fields.is_empty()).then_some(Row::Field(r, k));
                    return Err((format!("{}: {e}", res.name), row));
                }
                Err(_) => arns.push(None),
            }
        }
        let (star, scoped) = split_star_only(catalog, &ticked);
        let context = |a: &str| {
            d.actions
                .iter()
                .find(|c| c.action == a)
                .map_or_else(Vec::new, |c| c.context.clone())
        };
        type Key = (Vec<String>, Vec<(String, Vec<String>)>);
        let mut groups: IndexMap<Key, Vec<String>> = IndexMap::new();
        for a in scoped {
            let mut on: Vec<String> = Vec::new();
            for (res, arn) in d.resources.iter().zip(&arns) {
                if let Some(arn) = arn
                    && res.actions.contains(&a)
                    && !on.contains(arn)
                {
                    on.push(arn.clone());
                }
            }
            if on.is_empty() {
                if strict {
                    let row = d
                        .resources
                        .iter()
                        .position(|res| !res.is_star() && res.actions.contains(&a))
                        .map(Row::Include);
                    return Err((
                        format!("{a} acts on no included resource: include one"),
                        row,
                    ));
                }
                continue;
            }
            let c = context(&a);
            groups.entry((on, c)).or_default().push(a);
        }
        for a in star {
            let c = context(&a);
            groups.entry((vec!["*".into()], c)).or_default().push(a);
        }
        Ok(groups
            .into_iter()
            .map(|((resources, context), actions)| {
                let entries: Vec<ConditionEntry> = context
                    .into_iter()
                    .map(|(key, values)| ConditionEntry {
                        operator: "StringEquals".into(),
                        key,
                        values,
                    })
                    .collect();
                StatementSpec {
                    actions,
                    resources,
                    condition: condition_block(&entries),
                    ..Default::default()
                }
            })
            .collect())
    }

    /// What the preview shows while the page is open: what would be added so far.
    pub fn draft_statements(&self, catalog: &Catalog) -> Vec<StatementSpec> {
        self.statements(catalog, false).unwrap_or_default()
    }

    /// The status line's keys for where the keyboard is.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        match self.focus {
            Focus::Call => vec![
                ("type", "a call"),
                ("↑↓", "pick"),
                ("Enter", "choose"),
                ("Esc", "cancel"),
            ],
            Focus::Row(_) if self.editing_text() => vec![
                ("type", "value"),
                ("↑↓", "move"),
                ("Enter", "add"),
                ("Esc", "back to the call"),
            ],
            Focus::Row(_) => vec![
                ("Space", "tick"),
                ("↑↓", "move"),
                ("Enter", "add"),
                ("Esc", "back to the call"),
            ],
        }
    }

    fn toggle(&mut self) -> Option<String> {
        let Focus::Row(i) = self.focus else {
            return None;
        };
        let row = self.rows().get(i).copied()?;
        match row {
            Row::Action(a) => {
                let d = self.detail.as_mut()?;
                let c = d.actions.get_mut(a)?;
                if !c.in_catalog {
                    return Some(format!(
                        "{} is not in the loaded catalog, so its resources are unknown: `rolesmith catalog import` brings every service",
                        c.action
                    ));
                }
                c.ticked = !c.ticked;
            }
            Row::Include(r) => {
                let now = !self.included(r);
                let d = self.detail.as_mut()?;
                d.resources.get_mut(r)?.include = Some(now);
            }
            Row::Field(..) => {}
        }
        None
    }

    fn input(&mut self, req: tui_input::InputRequest) {
        let Focus::Row(i) = self.focus else {
            return;
        };
        let Some(Row::Field(r, k)) = self.rows().get(i).copied() else {
            return;
        };
        if let Some(res) = self.detail.as_mut().and_then(|d| d.resources.get_mut(r)) {
            res.form.focus = k;
            res.form.input(req);
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let n = self.rows().len();
        self.focus = match self.focus {
            Focus::Call if delta > 0 && n > 0 => Focus::Row(0),
            Focus::Call => Focus::Call,
            Focus::Row(i) => {
                let j = i as isize + delta;
                if j < 0 {
                    Focus::Call
                } else {
                    Focus::Row((j as usize).min(n.saturating_sub(1)))
                }
            }
        };
    }
}

/// The page's state, when it is open.
fn page(st: &PermissionsStep) -> Option<&ByCall> {
    st.editor.as_ref()?.by_call.as_deref()
}

fn page_mut<'a>(cx: &'a mut Ctx<'_, PermissionsStep>) -> Option<&'a mut ByCall> {
    cx.state.editor.as_mut()?.by_call.as_deref_mut()
}

/// Whether the Permissions step shows this page.
pub(super) fn is_open(st: &PermissionsStep) -> bool {
    page(st).is_some()
}

/// Opens the page (from the statements list). The operations are decoded here when the app
/// runs without a worker (tests, benchmarks); in the terminal on a thread of their own.
pub(super) fn open(cx: &mut Ctx<'_, PermissionsStep>) {
    let mut ed = StatementEditor::new(cx.role, cx.catalog, None);
    if cx.catalog.operations_if_loaded().is_none() {
        if cx.threaded {
            let catalog = std::sync::Arc::clone(cx.catalog);
            // Detached: it only fills the catalog's cache, which `catch_up` looks at.
            std::thread::spawn(move || {
                let _ = catalog.operations();
            });
        } else {
            let _ = cx.catalog.operations();
        }
    }
    let mut by_call = ByCall::new(cx.role);
    by_call.refresh(cx.catalog);
    ed.by_call = Some(Box::new(by_call));
    cx.state.editor = Some(Box::new(ed));
    cx.refresh_preview();
}

/// Fills the page in once the operations decoded on the worker are there; true when it did
/// (the screen needs a redraw). Called by the event loop between events.
pub fn catch_up(cx: &mut Ctx<'_, PermissionsStep>) -> bool {
    let catalog = cx.catalog.clone();
    let Some(by_call) = page_mut(cx) else {
        return false;
    };
    if !by_call.waiting || catalog.operations_if_loaded().is_none() {
        return false;
    }
    by_call.refresh(&catalog);
    draft_changed(cx);
    true
}

/// Enter on a row: the statements go into the role (the role's first inline policy, or a new
/// one named after the role), the page closes.
fn add(cx: &mut Ctx<'_, PermissionsStep>) {
    let catalog = cx.catalog.clone();
    let Some(by_call) = page(cx.state) else {
        return;
    };
    let label = by_call
        .detail
        .as_ref()
        .map(|d| d.operation.label())
        .unwrap_or_default();
    match by_call.statements(&catalog, true) {
        Err((message, row)) => {
            if let Some(row) = row
                && let Some(p) = page_mut(cx)
                && let Some(i) = p.rows().iter().position(|r| *r == row)
            {
                p.focus = Focus::Row(i);
            }
            cx.error(message);
        }
        Ok(statements) => {
            let n = statements.len();
            let policy = default_policy_name(cx.role, None);
            *cx.role = place_statements(cx.role, None, &policy, statements);
            cx.state.editor = None;
            cx.role_changed();
            cx.state.selected = statement_refs(cx.role).len().saturating_sub(1);
            cx.info(format!(
                "{label}: {n} statement{} added (u undoes)",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
}

pub(super) fn handle(cx: &mut Ctx<'_, PermissionsStep>, action: Action) -> bool {
    let catalog = cx.catalog.clone();
    let Some(p) = page_mut(cx) else {
        return false;
    };
    let mut note = None;
    match (p.focus, action) {
        (Focus::Call, Action::Input(req)) => {
            if p.call.input(req) {
                p.refresh(&catalog);
            }
        }
        (Focus::Call, Action::Up) => {
            let i = p.picked.saturating_sub(1);
            p.pick(&catalog, i);
        }
        (Focus::Call, Action::Down) => {
            let i = p.picked + 1;
            p.pick(&catalog, i);
        }
        (Focus::Call, Action::Confirm) => {
            if p.detail.is_some() {
                p.move_focus(1);
            } else {
                let m = p
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("type a call: {EXAMPLES}"));
                cx.info(m);
                return true;
            }
        }
        (Focus::Call, Action::Back) => {
            close_editor(cx);
            return true;
        }
        // Up from the first row goes back to the call above the list.
        (Focus::Row(0), Action::Up) => p.focus = Focus::Call,
        // The keys every list has (`list_move`).
        (Focus::Row(i), a) if list_move(a, i, 1).is_some() => {
            if let Some(j) = list_move(a, i, p.rows().len()) {
                p.focus = Focus::Row(j);
            }
        }
        (Focus::Row(_), Action::Toggle) => note = p.toggle(),
        (Focus::Row(_), Action::Input(req)) => p.input(req),
        (Focus::Row(_), Action::Confirm) => {
            add(cx);
            return true;
        }
        (Focus::Row(_), Action::Back) => p.focus = Focus::Call,
        _ => return false,
    }
    if let Some(n) = note {
        cx.error(n);
    }
    draft_changed(cx);
    true
}

/// The request context of an action as (key, values), in AWS's order.
fn context_of(n: &crate::catalog::operations::Need) -> Vec<(String, Vec<String>)> {
    n.context
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_for(call: &str) -> ByCall {
        let c = Catalog::embedded();
        let _ = c.operations();
        let role = RoleSpec {
            account: Some("123456789012".into()),
            ..Default::default()
        };
        let mut p = ByCall::new(&role);
        p.call.fields[0].set_text(call);
        p.refresh(c);
        p
    }

    fn set_field(p: &mut ByCall, resource: &str, placeholder: &str, value: &str) {
        let d = p.detail.as_mut().unwrap();
        let r = d.resources.iter_mut().find(|r| r.name == resource).unwrap();
        let k = placeholders(&r.template)
            .iter()
            .position(|ph| ph == placeholder)
            .unwrap();
        r.form.fields[k].set_text(value);
    }

    #[test]
    fn copy_object_acts_on_two_objects_in_two_statements() {
        let c = Catalog::embedded();
        let mut p = page_for("s3:CopyObject");
        assert_eq!(p.candidates[0].label(), "s3:CopyObject");
        // Nothing valid yet: strict adding names the source's bucket.
        let (e, row) = p.statements(c, true).unwrap_err();
        assert!(
            e.contains("source object") && e.contains("BucketName"),
            "{e}"
        );
        assert!(matches!(row, Some(Row::Field(..))));
        assert!(p.draft_statements(c).is_empty());
        set_field(&mut p, "source object", "BucketName", "in-bucket");
        set_field(&mut p, "target object", "BucketName", "out-bucket");
        let s = p.statements(c, true).unwrap();
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].actions, ["s3:GetObject"]);
        assert_eq!(s[0].resources, ["arn:aws:s3:::in-bucket/*"]);
        assert_eq!(s[1].actions, ["s3:PutObject"]);
        assert_eq!(s[1].resources, ["arn:aws:s3:::out-bucket/*"]);
    }

    #[test]
    fn an_action_outside_the_catalog_cannot_be_ticked() {
        let mut p = page_for("s3.put_object");
        let d = p.detail.as_ref().unwrap();
        let i = d
            .actions
            .iter()
            .position(|a| !a.in_catalog)
            .expect("PutObject lists S3 Object Lambda, outside the embedded catalog");
        let rows = p.rows();
        p.focus = Focus::Row(rows.iter().position(|r| *r == Row::Action(i)).unwrap());
        assert!(p.toggle().unwrap().contains("not in the loaded catalog"));
        assert!(!p.detail.as_ref().unwrap().actions[i].ticked);
    }

    #[test]
    fn an_unknown_call_says_so_with_the_nearest_names() {
        let p = page_for("s3.put_objekt");
        assert!(p.candidates.is_empty());
        let m = p.message.unwrap();
        assert!(m.contains("nearest") && m.contains("s3.put_object"), "{m}");
    }

    #[test]
    fn a_partial_call_offers_completions() {
        let p = page_for("s3.put_obj");
        assert!(p.candidates.len() > 1);
        assert!(p.candidates.iter().all(|c| c.name.starts_with("PutObj")));
        assert!(p.message.is_none());
    }
}
