//! `catalog import` through the real binary: good inputs in each accepted shape, and broken
//! inputs that must fail with an error naming the file while the catalog in use stays as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_rolesmith"))
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .output()
            .unwrap()
    }

    fn catalog_file(&self) -> PathBuf {
        self.dir.path().join("data/rolesmith/catalog.json")
    }
}

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalog")
        .join(rel)
        .display()
        .to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn imports_a_folder_skipping_the_old_layout_and_saying_so() {
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "import", &fixture("good")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("imported 2 services"), "{err}");
    assert!(
        err.contains("olden: older layout without access levels"),
        "{err}"
    );

    let status = stdout(&sb.run(&["catalog", "status"]));
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("catalog:") && l.contains(" imported ")),
        "{status}"
    );
    assert!(status.contains("olden: older layout"), "{status}");

    let show = sb.run(&["catalog", "show", "demo:tagwidget"]);
    let text = stdout(&show);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        text.contains("demo:TagWidget") && text.contains("Tagging"),
        "{text}"
    );
    assert!(
        text.contains("gadget/${GadgetId}/*"),
        "second ARN format shown: {text}"
    );

    // The embedded services are still there under the imported ones.
    assert!(
        sb.run(&["catalog", "show", "s3:GetObject"])
            .status
            .success()
    );
}

#[test]
fn imports_one_file_and_an_index() {
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "import", &fixture("good/other.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported 1 services"), "{}", stderr(&o));

    let o = sb.run(&["catalog", "import", &fixture("good/index.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported 2 services"), "{}", stderr(&o));
    let actions = stdout(&sb.run(&["catalog", "actions", "demo"]));
    assert!(
        actions.contains("PutWidgetPolicy") && actions.contains("Permissions management"),
        "{actions}"
    );
}

/// Imports the good folder, then `bad`; checks the error and that nothing changed.
fn assert_rejected(bad: &str, expect_in_error: &[&str]) {
    let sb = Sandbox::new();
    assert!(
        sb.run(&["catalog", "import", &fixture("good")])
            .status
            .success()
    );
    let before = std::fs::read(sb.catalog_file()).unwrap();
    let status_before = stdout(&sb.run(&["catalog", "status"]));

    let o = sb.run(&["catalog", "import", bad]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("rolesmith: error: "), "{err}");
    assert!(err.contains(bad), "the error names the file: {err}");
    for part in expect_in_error {
        assert!(err.contains(part), "expected {part:?} in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(sb.catalog_file()).unwrap(),
        before,
        "catalog untouched"
    );
    assert_eq!(stdout(&sb.run(&["catalog", "status"])), status_before);
    let leftovers: Vec<_> = std::fs::read_dir(sb.catalog_file().parent().unwrap())
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn truncated_json_is_rejected() {
    assert_rejected(&fixture("broken/truncated.json"), &["truncated"]);
}

#[test]
fn wrong_types_are_rejected() {
    assert_rejected(
        &fixture("broken/wrong-types.json"),
        &["not in AWS's service reference format", "invalid type"],
    );
}

#[test]
fn text_that_is_not_json_is_rejected() {
    assert_rejected(&fixture("broken/not-json.json"), &["not valid JSON"]);
}

#[test]
fn a_200_mb_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    // A sparse file: 200 MB long without using the disk.
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    drop(f);
    assert_rejected(
        &huge.display().to_string(),
        &[
            "200 MiB",
            "limit for a service reference file is 16 MiB",
            "ROLESMITH_MAX_INPUT_BYTES",
        ],
    );
}

#[test]
fn a_broken_file_inside_a_folder_fails_the_whole_import() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["demo.json", "other.json"] {
        std::fs::copy(fixture(&format!("good/{name}")), dir.path().join(name)).unwrap();
    }
    let bad = dir.path().join("zz-broken.json");
    std::fs::copy(fixture("broken/truncated.json"), &bad).unwrap();
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "import", &dir.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("zz-broken.json"), "{}", stderr(&o));
    assert!(!sb.catalog_file().exists(), "nothing written");
}

#[test]
fn a_missing_path_and_an_empty_folder_are_errors() {
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "import", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/folder"), "{}", stderr(&o));
    let empty = tempfile::tempdir().unwrap();
    let o = sb.run(&["catalog", "import", &empty.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no AWS service reference file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_user_catalog_is_an_error_naming_it() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.catalog_file().parent().unwrap()).unwrap();
    std::fs::write(sb.catalog_file(), b"{\"format\": 1, \"kind\": ").unwrap();
    let o = sb.run(&["catalog", "status"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("catalog.json"), "{}", stderr(&o));
    // Importing again repairs it.
    assert!(
        sb.run(&["catalog", "import", &fixture("good")])
            .status
            .success()
    );
    assert!(sb.run(&["catalog", "status"]).status.success());
}

#[test]
fn importing_one_more_file_adds_to_the_user_catalog() {
    let sb = Sandbox::new();
    assert!(
        sb.run(&["catalog", "import", &fixture("good/demo.json")])
            .status
            .success()
    );
    let o = sb.run(&["catalog", "import", &fixture("good/other.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("imported 1 services") && err.contains("kept 1 services"),
        "{err}"
    );
    assert!(
        sb.run(&["catalog", "show", "demo:GetWidget"])
            .status
            .success()
    );
    assert!(
        sb.run(&["catalog", "show", "other:DoThing"])
            .status
            .success()
    );
}

/// A one-action service file with `name` as service prefix and `action` as action name.
fn service_file(dir: &Path, file: &str, name: &str, actions: &[&str]) -> String {
    let actions: Vec<serde_json::Value> = actions
        .iter()
        .map(|a| {
            serde_json::json!({"Name": a, "Annotations": {"Properties": {
                "IsList": false, "IsPermissionManagement": false, "IsTaggingOnly": false, "IsWrite": false}}})
        })
        .collect();
    let path = dir.join(file);
    std::fs::write(
        &path,
        serde_json::json!({"Name": name, "Actions": actions}).to_string(),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn catalog_import_rejects_names_outside_aws_grammar() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (service, action, expect)) in [
        ("demo\x1b[2J", "Get", "not a service prefix"),
        ("de\0mo", "Get", "not a service prefix"),
        ("", "Get", "not a service prefix"),
        ("Demo", "Get", "not a service prefix"),
        ("demo", "Get\x1b]52;c;aGk=\x07", "not an IAM action name"),
        ("demo", "Get\0", "not an IAM action name"),
        ("demo", "Get*", "not an IAM action name"),
        ("demo", "", "not an IAM action name"),
    ]
    .into_iter()
    .enumerate()
    {
        let file = service_file(dir.path(), &format!("bad{i}.json"), service, &[action]);
        assert_rejected(&file, &[expect]);
    }
}

#[test]
fn catalog_import_rejects_actions_differing_only_in_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = service_file(dir.path(), "dup.json", "demo", &["GetThing", "getthing"]);
    assert_rejected(&file, &["differ only in case"]);
}

#[test]
fn catalog_import_accepts_the_one_real_hyphenated_action() {
    // AWS's reference has vpc-lattice:AssociateViaAWSService-EventsAndStates.
    let sb = Sandbox::new();
    let file = service_file(
        sb.dir.path(),
        "vpc-lattice.json",
        "vpc-lattice",
        &["AssociateViaAWSService-EventsAndStates"],
    );
    let o = sb.run(&["catalog", "import", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn catalog_import_refuses_two_files_for_one_service() {
    let dir = tempfile::tempdir().unwrap();
    service_file(dir.path(), "a.json", "demo", &["Get"]);
    service_file(dir.path(), "b.json", "demo", &["Put"]);
    assert_rejected(&dir.path().display().to_string(), &["again", "a.json"]);
}

#[test]
fn catalog_import_index_cannot_reach_outside_the_import_folder() {
    let outside = tempfile::tempdir().unwrap();
    let secret = service_file(outside.path(), "secret.json", "secret", &["Read"]);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index.json");
    // An absolute url path, a ../ path, and a prefix that is a path.
    for entries in [
        serde_json::json!([{"service": "secret", "url": secret}]),
        serde_json::json!([{"service": "secret", "url": format!("../{}/secret.json", outside.path().file_name().unwrap().to_string_lossy())}]),
        serde_json::json!([{"service": secret.trim_end_matches(".json"), "url": "x"}]),
    ] {
        std::fs::write(&index, entries.to_string()).unwrap();
        let sb = Sandbox::new();
        let o = sb.run(&["catalog", "import", &index.display().to_string()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("outside the import folder")
                || err.contains("not beside the index")
                || err.contains("not a service prefix"),
            "{err}"
        );
        assert!(!sb.catalog_file().exists());
    }
    // A symlink inside a folder import that points outside is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.path().join("secret.json")).unwrap();
        std::fs::remove_file(&index).unwrap();
        let sb = Sandbox::new();
        let o = sb.run(&["catalog", "import", &dir.path().display().to_string()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("outside the import folder"),
            "{}",
            stderr(&o)
        );
    }
}
