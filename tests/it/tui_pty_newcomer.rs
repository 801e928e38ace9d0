//! The real binary on a pseudo-terminal (issue 14 acceptance, the saving half): a role file
//! with comments is opened, changed by keys, saved with Ctrl-S, and its comments are still
//! there. Keys are ones that work whatever has the focus (Ctrl-O, Ctrl-S, Ctrl-Q).

#![cfg(unix)]

use std::path::Path;

use crate::support::pty::{Pty, rolesmith_command};

const COMMENTED: &str = r#"# Handed out at the workshop.
name = "bucket-writer"  # the function's role
description = "Writes reports to one bucket"

# Who runs it.
[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "write-reports"

# Objects only: the bucket ARN alone would not do.
[[policy.statement]]
actions = [
    "s3:PutObject",  # the report itself
]
resources = ["arn:aws:s3:::my-bucket/*"]
"#;

fn start(home: &Path, args: &[&str]) -> Pty {
    let mut cmd = rolesmith_command(home, args);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("DISPLAY");
    cmd.env_remove("WAYLAND_DISPLAY");
    Pty::spawn(cmd)
}

#[test]
fn ctrl_s_keeps_the_comments_of_the_role_file() {
    let home = tempfile::tempdir().unwrap();
    let role_file = home.path().join("role.toml");
    std::fs::write(&role_file, COMMENTED).unwrap();
    std::fs::write(
        home.path().join("trust.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let mut run = start(home.path(), &["edit", role_file.to_str().unwrap()]);
    run.wait_for("Steps");
    // Ctrl-O: open another trust document into the role (a change made by keys).
    run.send("\x0f");
    run.wait_for("role file, policy JSON");
    run.send("trust.json");
    run.send("\r");
    run.wait_for("as the trust policy");
    run.send("\x13");
    run.wait_for("comments and layout kept");
    run.send("\x11");
    run.wait_exit();
    let text = std::fs::read_to_string(&role_file).unwrap();
    for kept in [
        "# Handed out at the workshop.\n",
        "name = \"bucket-writer\"  # the function's role\n",
        "# Who runs it.\n[trust]\n",
        "# Objects only: the bucket ARN alone would not do.\n",
        "    \"s3:PutObject\",  # the report itself\n",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    assert!(text.contains("ec2.amazonaws.com"), "{text}");
    assert!(!text.contains("lambda.amazonaws.com"), "{text}");
}
