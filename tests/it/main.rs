//! The one integration test binary (`autotests = false` in Cargo.toml): each module is a
//! behaviour, tested through the public API or the real binary. One binary links once,
//! which keeps the suite fast; tests that change the environment take `support::hermetic`.

mod support;

mod calls_cli;
mod catalog_browse_cli;
mod catalog_import;
mod catalog_reference;
mod catalog_status_dates;
mod catalog_update;
mod curated_catalog;
mod curated_facts;
mod curated_managed_policies_exact;
mod deployment_keys;
mod eval_cli;
mod eval_denied_messages;
mod eval_properties;
mod eval_table;
mod export_cli_script;
mod export_render;
mod input_limits;
mod learn_cli;
mod lessons_builtin;
mod lint_cli;
mod lint_corpus;
mod lint_corpus_real_documents;
mod lint_false_alarms;
mod lint_findings_and_fixes;
mod lint_findings_unchanged;
mod lint_missed_mistakes;
mod lint_no_panic;
mod module_layering;
mod operation_permissions;
mod operations_catalog;
mod paste_and_large_roles;
mod policy_roundtrip;
mod render_cli;
mod role_diff;
mod role_from_activity;
mod safe_writes;
mod terminal_injection;
mod terminal_restored_on_signals;
mod tui_add_by_call;
mod tui_any_size_no_panic;
mod tui_check_panel;
mod tui_deployment;
mod tui_export_parts;
mod tui_lesson;
mod tui_pty_autosave_resume;
mod tui_pty_check_denied;
mod tui_pty_terminal_restore;
mod tui_review_undo_open;
mod tui_save_autosave;
mod tui_save_comments;
mod tui_screens;
mod tui_seed_flow;
