//! Issue 12, problems 6 and 10, through the real binary: `render --out-dir` leaves no partial
//! set when one file cannot be written; `--force` writes through a symlink (the link stays a
//! link) and keeps a file's mode; a dangling symlink is never replaced without `--force`.
//! (The planted temporary-file link of problem 6 is tested in `io::write`'s unit tests.)

#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Output};

use crate::support::SEED;

fn render(out_dir: &Path, force: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolesmith"));
    cmd.args(["render", SEED, "--out-dir"]).arg(out_dir);
    if force {
        cmd.arg("--force");
    }
    cmd.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn out_dir_writes_all_files_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("role.json"), "old role").unwrap();
    // The policy's file name is taken by a folder: that file cannot be written.
    std::fs::create_dir(out.join("policy-write-reversed-strings.json")).unwrap();
    let o = render(&out, true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("policy-write-reversed-strings.json"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("role.json")).unwrap(),
        "old role"
    );
    assert!(!out.join("trust-policy.json").exists(), "no partial set");
    let names: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[test]
fn force_writes_through_a_symlink_and_keeps_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("kept");
    std::fs::create_dir(&real).unwrap();
    let real_role = real.join("role.json");
    std::fs::write(&real_role, "old").unwrap();
    std::fs::set_permissions(&real_role, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    symlink(&real_role, out.join("role.json")).unwrap();
    let o = render(&out, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let link = std::fs::symlink_metadata(out.join("role.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    assert!(
        std::fs::read_to_string(&real_role)
            .unwrap()
            .contains("string-reverser")
    );
    let mode = std::fs::metadata(&real_role).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the mode is kept");
}

#[test]
fn a_dangling_symlink_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let target = dir.path().join("nowhere.json");
    symlink(&target, out.join("role.json")).unwrap();
    let o = render(&out, false);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("role.json"), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(out.join("role.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!target.exists());
    assert!(!out.join("trust-policy.json").exists());
    // With --force the link itself is replaced; nothing is created where it pointed.
    let o = render(&out, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !std::fs::symlink_metadata(out.join("role.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!target.exists());
}
