//! The real binary on a pseudo-terminal: a role file whose expectation fails is opened, the
//! AccessDenied message is pasted into the Review step's Check panel (bracketed paste), the
//! proposed statement applied with `y`, the role saved with Ctrl-S; the file then holds the
//! statement and its expectation holds. Screens are read through a vt100 emulator.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, PtySize, native_pty_system};

use crate::support::pty::rolesmith_command;

const ROLE: &str = r#"name = "secret-reader"
managed_policies = ["AWSLambdaBasicExecutionRole"]
assumed_by = ["lambda.amazonaws.com"]

[trust]
services = ["lambda.amazonaws.com"]

[[policy]]
name = "read-config"

[[policy.statement]]
actions = ["ssm:GetParameter"]
resources = ["arn:aws:ssm:eu-west-1:123456789012:parameter/app/*"]

[[expect]]
allow = "secretsmanager:GetSecretValue"
resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123"
"#;

/// As the AWS CLI prints it, over two lines (a terminal paste keeps the break).
const DENIED: &str = "An error occurred (AccessDeniedException) when calling the GetSecretValue operation:\nUser: arn:aws:sts::123456789012:assumed-role/secret-reader/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123 because no identity-based policy allows the secretsmanager:GetSecretValue action";

struct Run {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Run {
    fn start(home: &Path, args: &[&str]) -> Run {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let cmd = rolesmith_command(home, args);
        let child = pair.slave.spawn_command(cmd).expect("spawn rolesmith");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        // The master owns the pty: keep it for the whole run.
        std::mem::forget(pair.master);
        Run {
            child,
            writer,
            screen,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self, secs: u64) {
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("did not exit; screen:\n{}", self.contents());
    }
}

#[test]
fn a_failing_expectation_fixed_by_pasting_the_denial_and_saved() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("secret-reader.toml");
    std::fs::write(&file, ROLE).unwrap();
    let arg = file.to_str().unwrap().to_string();
    let mut run = Run::start(home.path(), &["edit", &arg]);
    run.wait_for("Steps", 20);
    run.send(b"\x1b"); // out of the name field
    run.send(b"5");
    run.wait_for("Not ready", 5);
    run.send(b"\x1b[C"); // → the Check tab
    run.wait_for("✗ allow secretsmanager:GetSecretValue", 5);
    run.send(b"m");
    run.wait_for("Paste an AccessDenied message", 5);
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend_from_slice(DENIED.as_bytes());
    paste.extend_from_slice(b"\x1b[201~");
    run.send(&paste);
    run.send(b"\r");
    run.wait_for("y apply", 5);
    assert!(
        run.contents().contains("no-identity-allow"),
        "{}",
        run.contents()
    );
    run.send(b"y");
    run.wait_for("statement added", 5);
    run.wait_for("✓ allow secretsmanager:GetSecretValue", 5);
    run.send(b"\x13"); // Ctrl-S
    run.wait_for("saved", 5);
    run.send(b"q");
    run.wait_exit(10);

    let role = rolesmith::role::load_role_file(&file).unwrap();
    let added = role.policies[0].statements.last().unwrap();
    assert_eq!(added.actions, ["secretsmanager:GetSecretValue"]);
    assert_eq!(
        added.resources,
        ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123"]
    );
    let check =
        rolesmith::eval::check_role(&role, None, Some(rolesmith::catalog::Catalog::embedded()));
    assert!(check.all_passed(), "{check:?}");
}
