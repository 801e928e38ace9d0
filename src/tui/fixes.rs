//! Applying a finding's fix from the Review step, after showing what it changes, and the
//! explanation overlay reachable wherever findings show (`e`).
//!
//! A fix is applied to a copy of the role first; the user sees the affected statements
//! before and after as a line diff and says yes or no. Applying goes through `update` like
//! every other change, so it is undoable.

use crate::lint::{self, Edit};
use crate::policy::Statement;
use crate::role::RoleSpec;
use crate::role::import::trust_spec_from_document;

use super::action::Action;
use super::app::{App, Modal};
use super::findings::{DocRef, UiFinding};

/// How the editor names a statement: by its index from 0, as `simulate` and the guide's
/// §13 number them, with its Sid when it has one (`statement 0 (Sid W)`).
pub(crate) fn statement_name(index: usize, sid: Option<&str>) -> String {
    match sid.filter(|s| !s.is_empty()) {
        Some(sid) => format!("statement {index} (Sid {sid})"),
        None => format!("statement {index}"),
    }
}

/// A fix ready to apply: what it does and the role it leads to.
#[derive(Clone, Debug, PartialEq)]
pub struct FixPreview {
    pub code: String,
    pub description: String,
    /// Which statements of which policy, for the title.
    pub place: String,
    pub diff: Vec<DiffLine>,
    pub result: RoleSpec,
}

/// One line of a before/after diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// Opens the preview of finding `index`'s fix, or says why there is none.
pub fn ask(app: &mut App, index: usize) {
    let Some(f) = app.preview.findings.get(index) else {
        return app.info("no finding selected");
    };
    match prepare(&app.role, f) {
        Ok(p) => app.modal = Some(Modal::FixPreview(Box::new(p))),
        // "No automatic fix: edit it here" is guidance, not a failure.
        Err(why) if why.contains("has no automatic fix") => app.info(why),
        Err(why) => app.error(why),
    }
}

/// Whether `f` has a fix that `f` can apply in the TUI.
pub fn can_fix(f: &UiFinding) -> bool {
    f.fix.is_some() && matches!(f.doc, DocRef::Policy(_) | DocRef::Trust)
}

/// Applies `f`'s fix to a copy of `role` and diffs the statements it touches.
///
/// Inline policy fixes edit the role's statements as written (placeholders kept). A trust
/// fix edits the rendered trust policy; simple service trust stays a services list, and
/// anything richer (a condition added) becomes the role's trust document.
pub fn prepare(role: &RoleSpec, f: &UiFinding) -> Result<FixPreview, String> {
    let Some(fix) = f.fix.as_ref().filter(|_| can_fix(f)) else {
        let hint = match f.doc {
            DocRef::Trust => "edit it in step 2, Trust",
            DocRef::Policy(_) => "edit the statement in step 3, Permissions (Enter goes there)",
            DocRef::Role => "Enter goes to the step where it is set",
        };
        return Err(format!("{} has no automatic fix: {hint}", f.code));
    };
    let mut result = role.clone();
    let (before, after, name): (Vec<Statement>, Vec<Statement>, String) = match f.doc {
        DocRef::Policy(pi) => {
            fix.apply_to_role(&mut result, lint::DocumentRef::Inline(pi))
                .map_err(|e| e.to_string())?;
            let conv = |r: &RoleSpec| -> Vec<Statement> {
                r.policies[pi]
                    .statements
                    .iter()
                    .map(crate::role::StatementSpec::to_statement)
                    .collect()
            };
            (
                conv(role),
                conv(&result),
                format!("policy {}", role.policies[pi].name),
            )
        }
        _ => {
            let mut doc = role.to_documents().trust;
            let before = doc.statements().to_vec();
            fix.apply(&mut doc).map_err(|e| e.to_string())?;
            // A trust document is stored as written: fill the role's account, region and
            // partition now, and refuse while one is unknown (never a literal `${Account}`).
            let filled = role.fill_placeholders(&doc.to_compact_json());
            if filled.contains("${") {
                return Err(format!(
                    "{}: the fix needs the account id; set Account in step 1 (Role), then press f again",
                    f.code
                ));
            }
            let doc: crate::policy::PolicyDocument =
                serde_json::from_str(&filled).map_err(|e| e.to_string())?;
            let after = doc.statements().to_vec();
            result.trust = trust_spec_from_document(doc);
            (before, after, "the trust policy".to_string())
        }
    };
    // The statements the edits touch: from the first to the last named, grown by however
    // many statements the fix added (a split) or removed.
    let touched: Vec<usize> = fix.edits.iter().filter_map(edit_statement).collect();
    let (lo, hi) = match (touched.iter().min(), touched.iter().max()) {
        (Some(lo), Some(hi)) => (*lo, *hi),
        _ => (0, before.len().saturating_sub(1)),
    };
    let grown = after.len() as isize - before.len() as isize;
    let after_hi = (hi as isize + grown).max(lo as isize - 1);
    let render = |list: &[Statement], hi: isize| -> Vec<String> {
        let mut out = Vec::new();
        for st in list
            .iter()
            .skip(lo)
            .take((hi - lo as isize + 1).max(0) as usize)
        {
            let text = serde_json::to_string_pretty(st).unwrap_or_default();
            out.extend(text.lines().map(str::to_string));
        }
        out
    };
    let old = render(&before, hi as isize);
    let new = render(&after, after_hi);
    let place = if lo == hi {
        format!(
            "{name}, {}",
            statement_name(lo, before.get(lo).and_then(|s| s.sid.as_deref()))
        )
    } else {
        format!("{name}, statements {lo}-{hi}")
    };
    Ok(FixPreview {
        code: f.code.clone(),
        description: fix.description.clone(),
        place,
        diff: diff_lines(&old, &new),
        result,
    })
}

fn edit_statement(e: &Edit) -> Option<usize> {
    match e {
        Edit::ReplaceResource { statement, .. }
        | Edit::ReplaceAction { statement, .. }
        | Edit::RemoveAction { statement, .. }
        | Edit::RemoveStatement { statement }
        | Edit::AddCondition { statement, .. }
        | Edit::SplitStatement { statement, .. } => Some(*statement),
        Edit::SetVersion { .. } => None,
    }
}

/// A line diff (longest common subsequence; statements are short).
pub fn diff_lines(old: &[String], new: &[String]) -> Vec<DiffLine> {
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push(DiffLine::Same(old[i].clone()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(DiffLine::Removed(old[i].clone()));
            i += 1;
        } else {
            out.push(DiffLine::Added(new[j].clone()));
            j += 1;
        }
    }
    out
}

/// Keys in the fix preview: yes applies, anything that cancels closes.
pub fn handle_preview(app: &mut App, preview: FixPreview, action: Action) {
    match action {
        Action::Yes | Action::Confirm | Action::ApplyFix => {
            let description = preview.description.clone();
            super::session::replace_role(app, preview.result);
            if app.step == super::steps::Step::Review {
                let i = app.steps.review.selected;
                super::steps::review::select(app, i);
            }
            app.info(format!("fixed: {description} (u undoes)"));
        }
        Action::No | Action::Back => app.info("fix not applied"),
        Action::Quit => app.should_quit = true,
        _ => app.modal = Some(Modal::FixPreview(Box::new(preview))),
    }
}

/// Keys in the explanation overlay: move through the findings, fix one, close.
pub fn handle_explain(app: &mut App, selected: usize, action: Action) {
    let n = app.preview.findings.len();
    let last = n.saturating_sub(1);
    let selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::ApplyFix => {
            app.steps.review.selected = selected;
            return ask(app, selected);
        }
        Action::Back | Action::Explain | Action::Confirm | Action::Help => return,
        Action::Quit => return app.should_quit = true,
        _ => selected,
    };
    if app.step == super::steps::Step::Review {
        app.steps.review.selected = selected;
    }
    app.modal = Some(Modal::Explain { selected });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn diff_marks_only_what_changed() {
        let d = diff_lines(
            &lines(&["{", "  a", "  b", "}"]),
            &lines(&["{", "  a", "  c", "}"]),
        );
        assert_eq!(
            d,
            vec![
                DiffLine::Same("{".into()),
                DiffLine::Same("  a".into()),
                DiffLine::Removed("  b".into()),
                DiffLine::Added("  c".into()),
                DiffLine::Same("}".into()),
            ]
        );
    }

    #[test]
    fn bucket_arn_fix_is_previewed_on_a_copy() {
        let role = crate::role::parse_role_text(
            "t.toml",
            r#"
name = "r"
[trust]
services = ["lambda.amazonaws.com"]
[[policy]]
name = "p"
[[policy.statement]]
actions = ["s3:PutObject"]
resources = ["arn:aws:s3:::my-bucket"]
"#,
        )
        .unwrap();
        let findings = super::super::findings::compute(&role, crate::catalog::Catalog::embedded());
        let f = findings
            .iter()
            .find(|f| f.code == "resource-mismatch")
            .expect("flagged");
        let p = prepare(&role, f).expect("has a fix");
        assert_eq!(
            role.policies[0].statements[0].resources,
            vec!["arn:aws:s3:::my-bucket"]
        );
        assert_eq!(
            p.result.policies[0].statements[0].resources,
            vec!["arn:aws:s3:::my-bucket/*"]
        );
        assert!(
            p.diff
                .iter()
                .any(|l| matches!(l, DiffLine::Removed(t) if t.contains("my-bucket\"")))
        );
        assert!(
            p.diff
                .iter()
                .any(|l| matches!(l, DiffLine::Added(t) if t.contains("my-bucket/*")))
        );
    }
}
