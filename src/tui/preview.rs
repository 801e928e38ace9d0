//! The rendered documents, their sizes and the findings, cached per role revision.
//!
//! Building documents and running checks on every keystroke would be wasted work when the
//! key only moved a selection. [`Preview::build`] runs once per role change (from
//! `update`); drawing reads the cached lines.

use ratatui::text::{Line, Span};

use crate::catalog::Catalog;
use crate::policy::SourceMap;
use crate::policy::size::{iam_size, quota};
use crate::role::{RoleDocuments, RoleSpec};

use super::findings::{self, DocRef, Severity, UiFinding};
use super::theme::Theme;
use super::widgets::json_preview::highlight_json;

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
    pub trust_size: usize,
    pub inline_size: usize,
    pub findings: Vec<UiFinding>,
    pub counts: (usize, usize, usize),
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
        }

        Preview {
            trust_size: iam_size(&docs.trust),
            inline_size: docs.policies.iter().map(|p| iam_size(&p.document)).sum(),
            docs,
            trust,
            permissions,
            findings,
            counts,
        }
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
            marked.iter().any(|&i| text(i).contains("\"Resource\"")),
            "{:?}",
            p.findings
        );
        assert!(p.counts.1 >= 1, "{:?}", p.findings);
    }
}
