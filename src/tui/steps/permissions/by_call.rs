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
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

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
use crate::tui::app::App;
use crate::tui::curation;
use crate::tui::sanitize::sanitize_for_display;
use crate::tui::widgets::field::{Field, FieldKind, Form, draw_form, truncate};
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
fn page(app: &App) -> Option<&ByCall> {
    app.steps.permissions.editor.as_ref()?.by_call.as_deref()
}

fn page_mut(app: &mut App) -> Option<&mut ByCall> {
    app.steps
        .permissions
        .editor
        .as_mut()?
        .by_call
        .as_deref_mut()
}

/// Whether the Permissions step shows this page.
pub(super) fn is_open(app: &App) -> bool {
    page(app).is_some()
}

/// Opens the page (from the statements list). The operations are decoded here when the app
/// runs without a worker (tests, benchmarks); in the terminal on a thread of their own.
pub(super) fn open(app: &mut App) {
    let mut ed = StatementEditor::new(&app.role, &app.catalog, None);
    if app.catalog.operations_if_loaded().is_none() {
        if app.background.is_some() {
            let catalog = std::sync::Arc::clone(&app.catalog);
            // Detached: it only fills the catalog's cache, which `catch_up` looks at.
            std::thread::spawn(move || {
                let _ = catalog.operations();
            });
        } else {
            let _ = app.catalog.operations();
        }
    }
    let mut by_call = ByCall::new(&app.role);
    by_call.refresh(&app.catalog);
    ed.by_call = Some(Box::new(by_call));
    app.steps.permissions.editor = Some(Box::new(ed));
    app.refresh_preview();
}

/// Fills the page in once the operations decoded on the worker are there; true when it did
/// (the screen needs a redraw). Called by the event loop between events.
pub fn catch_up(app: &mut App) -> bool {
    let catalog = app.catalog.clone();
    let Some(by_call) = page_mut(app) else {
        return false;
    };
    if !by_call.waiting || catalog.operations_if_loaded().is_none() {
        return false;
    }
    by_call.refresh(&catalog);
    draft_changed(app);
    true
}

/// Enter on a row: the statements go into the role (the role's first inline policy, or a new
/// one named after the role), the page closes.
fn add(app: &mut App) {
    let catalog = app.catalog.clone();
    let Some(by_call) = page(app) else {
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
                && let Some(p) = page_mut(app)
                && let Some(i) = p.rows().iter().position(|r| *r == row)
            {
                p.focus = Focus::Row(i);
            }
            app.error(message);
        }
        Ok(statements) => {
            let n = statements.len();
            let policy = default_policy_name(&app.role, None);
            app.role = place_statements(&app.role, None, &policy, statements);
            app.steps.permissions.editor = None;
            app.role_changed();
            app.steps.permissions.selected = statement_refs(&app.role).len().saturating_sub(1);
            app.info(format!(
                "{label}: {n} statement{} added (u undoes)",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
}

pub(super) fn handle(app: &mut App, action: Action) -> bool {
    let catalog = app.catalog.clone();
    let Some(p) = page_mut(app) else {
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
                app.info(m);
                return true;
            }
        }
        (Focus::Call, Action::Back) => {
            close_editor(app);
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
            add(app);
            return true;
        }
        (Focus::Row(_), Action::Back) => p.focus = Focus::Call,
        _ => return false,
    }
    if let Some(n) = note {
        app.error(n);
    }
    draft_changed(app);
    true
}

/// The request context of an action as (key, values), in AWS's order.
fn context_of(n: &crate::catalog::operations::Need) -> Vec<(String, Vec<String>)> {
    n.context
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `iam:PassedToService = lambda.amazonaws.com`.
fn context_text(context: &[(String, Vec<String>)]) -> String {
    context
        .iter()
        .map(|(k, v)| format!("{k} = {}", v.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The short name of an access level, for the action rows (the detail line has the full one).
fn access_label(a: Option<AccessLevel>) -> &'static str {
    match a {
        Some(AccessLevel::List) => "List",
        Some(AccessLevel::Read) => "Read",
        Some(AccessLevel::Write) => "Write",
        Some(AccessLevel::PermissionsManagement) => "Perm. mgmt",
        Some(AccessLevel::Tagging) => "Tagging",
        None => "unknown",
    }
}

pub(super) fn draw(app: &App, p: &ByCall, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = &app.theme;
    let on_call = p.focus == Focus::Call;
    let width = area.width as usize;
    // Candidates: a list while the call is being typed, the chosen one afterwards.
    let room = (area.height as usize).saturating_sub(8) / 3;
    let shown_candidates = if on_call {
        p.candidates.len().min(room.clamp(1, COMPLETIONS))
    } else {
        p.candidates.len().min(1)
    };
    let message_h = match (&p.message, p.candidates.is_empty()) {
        // Nothing else to show: the whole message, nearest names and all.
        (Some(_), true) => area.height.saturating_sub(3).max(1),
        (Some(_), false) => 1,
        (None, true) => 1,
        (None, false) => 0,
    };
    let [call_area, cand_area, msg_area, list_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(shown_candidates as u16),
        Constraint::Length(message_h),
        Constraint::Min(0),
        Constraint::Length(2),
    ])
    .areas(area);
    draw_form(frame, call_area, &p.call, focused && on_call, 5, theme);

    // The candidates, scrolled so the picked one shows.
    let offset = (p.picked + 1).saturating_sub(shown_candidates.max(1));
    let lines: Vec<Line> = p
        .candidates
        .iter()
        .enumerate()
        .skip(if on_call { offset } else { p.picked })
        .take(shown_candidates)
        .map(|(i, c)| {
            let mark = if i == p.picked { "→ " } else { "  " };
            let style = if i == p.picked {
                theme.title()
            } else {
                theme.text()
            };
            let mut also = c.sdk.clone();
            if let Some(cli) = &c.cli {
                also.push_str(" · ");
                also.push_str(cli);
            }
            let label = c.label();
            let rest = width.saturating_sub(label.chars().count() + 4);
            Line::from(vec![
                Span::styled(mark, theme.key()),
                Span::styled(truncate(&label, width.saturating_sub(2)), style),
                Span::styled(format!("  {}", truncate(&also, rest)), theme.dim()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), cand_area);
    let msg = match (&p.message, p.call.value(0).trim().is_empty()) {
        (Some(m), _) => Some(m.clone()),
        (None, true) => Some(EXAMPLES.to_string()),
        (None, false) => None,
    };
    if let Some(m) = msg {
        let style = if p.candidates.is_empty() && !p.call.value(0).trim().is_empty() && !p.waiting {
            theme.error()
        } else {
            theme.dim()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(sanitize_for_display(&m).into_owned(), style))
                .wrap(Wrap { trim: true }),
            msg_area,
        );
    }

    let Some(d) = &p.detail else {
        return;
    };
    let rows = p.rows();
    let focused_row = match p.focus {
        Focus::Row(i) => rows.get(i).copied(),
        Focus::Call => None,
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor: Option<(usize, usize)> = None;
    let marker = |row: Row| {
        if focused_row == Some(row) {
            Span::styled("▶", theme.key())
        } else {
            Span::raw(" ")
        }
    };
    let row_style = |row: Row| {
        if focused_row == Some(row) && focused {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        }
    };
    lines.push(Line::from(Span::styled(
        "Actions — Space ticks; unticked: some requests only",
        theme.dim(),
    )));
    let name_w = d
        .actions
        .iter()
        .map(|a| a.action.chars().count())
        .max()
        .unwrap_or(0)
        .min(width * 2 / 5)
        .max(8);
    for (i, a) in d.actions.iter().enumerate() {
        let row = Row::Action(i);
        if focused_row == Some(row) {
            focus_line = lines.len();
        }
        let tick = match (a.in_catalog, a.ticked) {
            (false, _) => "[-] ",
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
        };
        // The row has room for the reason only; the line under the list says it in full.
        let mut what = match &a.when {
            None => "needed".to_string(),
            Some(w) => w.strip_prefix("the request ").unwrap_or(w).to_string(),
        };
        if !a.context.is_empty() {
            what = format!("{what}, if {}", context_text(&a.context));
        }
        let used = 1 + 4 + name_w + 1 + 11;
        let mut l = Line::from(vec![
            marker(row),
            Span::raw(tick),
            Span::styled(
                format!("{} ", crate::tui::widgets::text::pad(&a.action, name_w)),
                if a.ticked {
                    theme.title()
                } else {
                    theme.text()
                },
            ),
            Span::styled(format!("{:<10} ", access_label(a.access)), theme.dim()),
            Span::styled(
                truncate(&what, width.saturating_sub(used)),
                if a.when.is_none() {
                    theme.ok()
                } else {
                    theme.dim()
                },
            ),
        ]);
        l.style = row_style(row);
        lines.push(l);
    }
    let active: Vec<usize> = (0..d.resources.len()).filter(|r| p.active(*r)).collect();
    if !active.is_empty() {
        lines.push(Line::from(Span::styled(
            "Resources (one ARN each, checked as you type)",
            theme.dim(),
        )));
    }
    let label_w = active
        .iter()
        .map(|r| d.resources[*r].name.chars().count())
        .max()
        .unwrap_or(0)
        .min(22)
        .min(width / 3);
    let mut focus_end = 0usize;
    for r in active {
        let res = &d.resources[r];
        if res.is_star() {
            lines.push(Line::from(vec![
                Span::raw("  *   "),
                Span::styled(
                    truncate(
                        &format!("{}: these take only \"*\"", res.actions.join(", ")),
                        width.saturating_sub(6),
                    ),
                    theme.dim(),
                ),
            ]));
            continue;
        }
        let row = Row::Include(r);
        if focused_row == Some(row) {
            focus_line = lines.len();
        }
        let included = p.included(r);
        let mut l = Line::from(vec![
            marker(row),
            Span::raw(if included { "[x] " } else { "[ ] " }),
            Span::styled(
                format!("{} ", crate::tui::widgets::text::pad(&res.name, label_w)),
                theme.title(),
            ),
            Span::styled(
                truncate(&res.template, width.saturating_sub(label_w + 6)),
                theme.dim(),
            ),
        ]);
        l.style = row_style(row);
        lines.push(l);
        if !included {
            continue;
        }
        let field_w = res
            .form
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(10, 18)
            .min(width / 3);
        for (k, f) in res.form.fields.iter().enumerate() {
            let row = Row::Field(r, k);
            let is_focus = focused_row == Some(row);
            if is_focus {
                focus_line = lines.len();
            }
            let indent = 6;
            let value_w = width.saturating_sub(indent + field_w + 1).max(1);
            let (shown, cur) = match &f.kind {
                FieldKind::Text(input) => {
                    let scroll = input.visual_scroll(value_w.saturating_sub(1));
                    let s: String = input.value().chars().skip(scroll).collect();
                    let s: String = sanitize_for_display(&s).chars().take(value_w).collect();
                    (s, input.visual_cursor().saturating_sub(scroll))
                }
                _ => (String::new(), 0),
            };
            if is_focus && focused {
                cursor = Some((lines.len(), indent + field_w + 1 + cur));
            }
            let value = if shown.is_empty() && !is_focus {
                Span::styled("·", theme.dim())
            } else {
                Span::styled(
                    shown,
                    if is_focus {
                        theme.title()
                    } else {
                        theme.text()
                    },
                )
            };
            let mut l = Line::from(vec![
                marker(row),
                Span::raw("     "),
                Span::styled(
                    format!("{} ", crate::tui::widgets::text::pad(&f.label, field_w)),
                    theme.text(),
                ),
                value,
            ]);
            l.style = row_style(row);
            lines.push(l);
        }
        let result = match res.compose(&app.catalog) {
            Ok(arn) => Span::styled(
                truncate(&format!("→ {arn}"), width.saturating_sub(6)),
                theme.ok(),
            ),
            Err(e) => Span::styled(
                truncate(&format!("✗ {e}"), width.saturating_sub(6)),
                theme.error(),
            ),
        };
        lines.push(Line::from(vec![Span::raw("      "), result]));
        // With the focus in this resource, its ARN line shows too.
        if matches!(focused_row, Some(Row::Include(x) | Row::Field(x, _)) if x == r) {
            focus_end = lines.len() - 1;
        }
    }
    let h = list_area.height as usize;
    let skip = (focus_end.max(focus_line) + 1)
        .saturating_sub(h)
        .min(focus_line);
    if let Some((line, col)) = cursor
        && line >= skip
        && line - skip < h
    {
        frame.set_cursor_position(Position::new(
            list_area.x + (col as u16).min(list_area.width.saturating_sub(1)),
            list_area.y + (line - skip) as u16,
        ));
    }
    let visible: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(visible), list_area);

    // Under the list: the whole text of the focused row.
    let detail = match focused_row {
        Some(Row::Action(i)) => d.actions.get(i).map(|a| {
            let level = a
                .access
                .map_or("not in the loaded catalog".to_string(), |l| l.to_string());
            let mut s = format!("{} · {level} · ", a.action);
            match &a.when {
                None => s.push_str("needed by every call"),
                Some(w) => s.push_str(&format!("only when {w}")),
            }
            if !a.context.is_empty() {
                s.push_str(&format!(
                    "; added with the condition {} (StringEquals), as AWS states it",
                    context_text(&a.context)
                ));
            }
            if a.curated {
                s.push_str(" (rolesmith's notes)");
            }
            s
        }),
        Some(Row::Include(r)) => d.resources.get(r).map(|res| {
            format!(
                "{}: {} for {}",
                res.name,
                res.template,
                res.actions.join(", ")
            )
        }),
        Some(Row::Field(r, k)) => d.resources.get(r).and_then(|res| {
            let f = res.form.fields.get(k)?;
            let arn = match res.compose(&app.catalog) {
                Ok(arn) => format!("→ {arn}"),
                Err(e) => format!("✗ {e}"),
            };
            Some(format!(
                "{}{} {arn}",
                f.label,
                f.hint
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ))
        }),
        None => Some(if d.notes.is_empty() {
            "Enter: on to the actions and resources; Enter there adds the statements".to_string()
        } else {
            d.notes.join(" ")
        }),
    };
    if let Some(text) = detail {
        frame.render_widget(
            Paragraph::new(Span::styled(
                sanitize_for_display(&text).into_owned(),
                theme.dim(),
            ))
            .wrap(Wrap { trim: true }),
            detail_area,
        );
    }
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
