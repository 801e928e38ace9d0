//! The rendered documents, their sizes and the findings, cached per role revision.
//!
//! Building documents and running checks on every keystroke would be wasted work when the
//! key only moved a selection. [`Preview::build`] runs once per role change (from
//! `update`); drawing reads the cached lines.

use ratatui::text::{Line, Span};

use crate::catalog::Catalog;
use crate::export::ExportFormat;
use crate::policy::SourceMap;
use crate::policy::size::{iam_size, quota};
use crate::role::{RoleDocuments, RoleSpec};

use super::effect::PreviewTab;
use super::findings::{self, DocRef, Severity, UiFinding};
use super::theme::Theme;
use super::widgets::json_preview::highlight_json;
use crate::export::choice::{Documents, render as render_export};

/// One preview tab: highlighted lines and the gutter marks.
#[derive(Clone, Debug, Default)]
pub struct RenderedDoc {
    pub lines: Vec<Line<'static>>,
    pub marks: Vec<Option<Severity>>,
}

/// Everything the preview, the status line and the Review step show.
#[derive(Clone, Debug)]
pub struct Preview {
    pub docs: RoleDocuments,
    pub trust: RenderedDoc,
    pub permissions: RenderedDoc,
    /// The role as the Export step would write it; see [`Preview::show_export`].
    pub export: RenderedDoc,
    /// The export choice `export` was rendered for (`None`: not yet).
    export_for: Option<(ExportFormat, Documents)>,
    pub trust_size: usize,
    pub inline_size: usize,
    pub findings: Vec<UiFinding>,
    /// For each finding (same index), the preview lines behind it, if it points into one.
    pub spans: Vec<Option<FindingSpan>>,
    pub counts: (usize, usize, usize),
    /// The role's expectations (`[[expect]]`, `assumed_by`) checked by the evaluation
    /// engine: the Review step's Check panel. Built with the rest, so a large role is
    /// checked on the preview worker, off the input path.
    pub check: crate::eval::RoleCheck,
}

/// The lines of a preview tab behind one finding (0-based, inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingSpan {
    pub tab: PreviewTab,
    pub first: usize,
    pub last: usize,
}

impl Preview {
    /// Renders `role`'s documents and checks it.
    pub fn build(role: &RoleSpec, catalog: &Catalog, theme: &Theme) -> Preview {
        let docs = role.to_documents();
        let findings = findings::compute(role, catalog);
        let counts = findings::counts(&findings);

        let trust_text = docs.trust.to_pretty_json();
        let mut trust = RenderedDoc {
            lines: highlight_json(&trust_text, theme),
            marks: Vec::new(),
        };
        trust.marks = vec![None; trust.lines.len()];
        mark(&mut trust.marks, 0, &trust_text, &findings, &DocRef::Trust);
        let mut spans = vec![None; findings.len()];
        locate_spans(
            &mut spans,
            PreviewTab::Trust,
            0,
            &trust_text,
            &findings,
            &DocRef::Trust,
        );

        let mut permissions = RenderedDoc::default();
        if docs.policies.is_empty() {
            permissions.lines.push(Line::from(Span::styled(
                "(no inline policy yet)",
                theme.dim(),
            )));
            permissions.marks.push(None);
        }
        for (i, p) in docs.policies.iter().enumerate() {
            if i > 0 {
                permissions.lines.push(Line::raw(""));
                permissions.marks.push(None);
            }
            permissions.lines.push(Line::from(Span::styled(
                format!("── {} ──", super::sanitize::sanitize_for_display(&p.name)),
                theme.title(),
            )));
            permissions.marks.push(None);
            let text = p.document.to_pretty_json();
            let offset = permissions.lines.len();
            permissions.lines.extend(highlight_json(&text, theme));
            permissions.marks.resize(permissions.lines.len(), None);
            mark(
                &mut permissions.marks,
                offset,
                &text,
                &findings,
                &DocRef::Policy(i),
            );
            locate_spans(
                &mut spans,
                PreviewTab::Permissions,
                offset,
                &text,
                &findings,
                &DocRef::Policy(i),
            );
        }

        Preview {
            trust_size: iam_size(&docs.trust),
            inline_size: docs.policies.iter().map(|p| iam_size(&p.document)).sum(),
            docs,
            trust,
            permissions,
            export: RenderedDoc::default(),
            export_for: None,
            findings,
            spans,
            counts,
            check: crate::eval::check_role(role, None, Some(catalog)),
        }
    }

    /// Renders the Export tab for `format` and `documents`, unless it already shows them
    /// for this role: a new role gets a new `Preview`, so the text is rebuilt only when the
    /// role or the choice changed.
    pub fn show_export(&mut self, format: ExportFormat, documents: Documents, theme: &Theme) {
        if self.export_for == Some((format, documents)) {
            return;
        }
        let text = render_export(&self.docs, format, documents);
        let lines = highlight_json(&text, theme);
        self.export = RenderedDoc {
            marks: vec![None; lines.len()],
            lines,
        };
        self.export_for = Some((format, documents));
    }

    /// The format the Export tab shows, once rendered.
    pub fn export_format(&self) -> Option<ExportFormat> {
        self.export_for.map(|(f, _)| f)
    }

    pub fn trust_quota(&self) -> usize {
        quota::TRUST_POLICY
    }

    pub fn inline_quota(&self) -> usize {
        quota::ROLE_INLINE_POLICIES
    }
}

/// Marks the lines of `text` (starting at `offset` in the tab) behind findings on `doc`.
fn mark(
    marks: &mut [Option<Severity>],
    offset: usize,
    text: &str,
    findings: &[UiFinding],
    doc: &DocRef,
) {
    let relevant: Vec<&UiFinding> = findings
        .iter()
        .filter(|f| &f.doc == doc && f.pointer.is_some())
        .collect();
    if relevant.is_empty() {
        return;
    }
    let Some(map) = SourceMap::build(text) else {
        return;
    };
    for f in relevant {
        let Some(pos) = f.pointer.as_deref().and_then(|p| map.nearest_pos(p)) else {
            continue;
        };
        if let Some(slot) = marks.get_mut(offset + pos.line - 1) {
            *slot = Some(match *slot {
                Some(s) if s < f.severity => s,
                _ => f.severity,
            });
        }
    }
}

/// Fills `spans` for the findings on `doc`: from the line the pointer names to the line that
/// closes the value there (pretty JSON closes a multi-line value at the same indent).
fn locate_spans(
    spans: &mut [Option<FindingSpan>],
    tab: PreviewTab,
    offset: usize,
    text: &str,
    findings: &[UiFinding],
    doc: &DocRef,
) {
    if !findings.iter().any(|f| &f.doc == doc) {
        return;
    }
    let Some(map) = SourceMap::build(text) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    for (slot, f) in spans.iter_mut().zip(findings) {
        if &f.doc != doc {
            continue;
        }
        let pointer = f.pointer.as_deref().unwrap_or("");
        let Some(pos) = map.nearest_pos(pointer) else {
            continue;
        };
        let first = pos.line.saturating_sub(1);
        let last = value_end(&lines, first);
        *slot = Some(FindingSpan {
            tab,
            first: offset + first,
            last: offset + last,
        });
    }
}

/// The line that ends the value starting on line `first` of pretty-printed JSON.
fn value_end(lines: &[&str], first: usize) -> usize {
    let Some(start) = lines.get(first) else {
        return first;
    };
    let trimmed = start.trim_end();
    if !(trimmed.ends_with('{') || trimmed.ends_with('[')) {
        return first;
    }
    let indent = start.len() - start.trim_start().len();
    lines
        .iter()
        .enumerate()
        .skip(first + 1)
        .find(|(_, l)| {
            let t = l.trim_start();
            l.len() - t.len() == indent && (t.starts_with('}') || t.starts_with(']'))
        })
        .map_or(first, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::parse_role_text;

    #[test]
    fn wildcard_resource_line_is_marked() {
        let role = parse_role_text(
            "t.toml",
            r#"
name = "r"
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "p"
[[policy.statement]]
actions = ["s3:GetObject"]
resources = ["*"]
"#,
        )
        .unwrap();
        let p = Preview::build(&role, Catalog::embedded(), &Theme::default());
        let marked: Vec<usize> = p
            .permissions
            .marks
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.map(|_| i))
            .collect();
        let text = |i: usize| -> String {
            p.permissions.lines[i]
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert!(
            marked.iter().any(|i| text(*i).contains("\"Resource\"")),
            "{:?}",
            p.findings
        );
        let wildcard = p
            .findings
            .iter()
            .position(|f| f.code == "resource-wildcard")
            .expect("flagged");
        let span = p.spans[wildcard].expect("located");
        assert_eq!(span.tab, PreviewTab::Permissions);
        assert!(text(span.first).contains("\"Resource\""));
        assert_eq!(p.counts.0, 0);
    }

    #[test]
    fn export_tab_renders_the_chosen_format_once_per_choice() {
        let role = parse_role_text(
            "t.toml",
            "name = \"r\"\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n",
        )
        .unwrap();
        let theme = Theme::default();
        let mut p = Preview::build(&role, Catalog::embedded(), &theme);
        assert!(p.export.lines.is_empty() && p.export_format().is_none());
        p.show_export(ExportFormat::Terraform, Documents::Both, &theme);
        let text: String = p
            .export
            .lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert!(text.contains("aws_iam_role"), "{text}");
        assert_eq!(p.export.marks.len(), p.export.lines.len());
        let cached = p.export.lines.as_ptr();
        p.show_export(ExportFormat::Terraform, Documents::Both, &theme);
        assert_eq!(
            p.export.lines.as_ptr(),
            cached,
            "same choice: not rendered again"
        );
        p.show_export(ExportFormat::Cli, Documents::Both, &theme);
        assert_eq!(p.export_format(), Some(ExportFormat::Cli));
        let text: String = p
            .export
            .lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert!(text.contains("aws iam create-role"), "{text}");
    }
}
