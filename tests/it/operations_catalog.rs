//! API operations in the catalog: the embedded ones equal what the importer reads from AWS's
//! reference (when `../shared/reference` is there; skipped on a clean clone), imported ones are
//! stored beside the user catalog and used only with the catalog they were written with, and
//! `catalog show` / `catalog search` find operations in every written form.

use std::path::Path;

use rolesmith::catalog::import;
use rolesmith::catalog::operations::{ServiceOperations, wire};
use rolesmith::catalog::{Catalog, EMBEDDED_SERVICES};

use crate::support::{reference_dir, rolesmith};

const WIDGETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/operations/widgets.json"
);

/// The one operations file beside the user catalog in `dir`.
pub fn operations_file(dir: &Path) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("operations-"))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one operations file in {}: {found:?}",
        dir.display()
    );
    found[0].clone()
}

fn stdout_of(home: &Path, args: &[&str]) -> String {
    let o = rolesmith(home, args, None);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn error_of(home: &Path, args: &[&str]) -> String {
    let o = rolesmith(home, args, None);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stdout.is_empty(), "nothing on stdout for {args:?}");
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn every_embedded_operation_equals_the_reference() {
    let Some(dir) = reference_dir() else {
        eprintln!("no ../shared/reference: skipped (the fixtures below still run)");
        return;
    };
    let mut set = import::read_path(&dir).expect("the reference imports");
    let only: Vec<String> = EMBEDDED_SERVICES.iter().map(|s| s.to_string()).collect();
    set.retain_only(&only);
    let embedded = Catalog::embedded()
        .operations()
        .expect("embedded operations");
    let mut compared = 0;
    let mut problems = Vec::new();
    for imported in &set.operations {
        match embedded.service(&imported.prefix) {
            Some(ours) if ours == imported => compared += ours.operations.len(),
            Some(ours) => {
                for op in &imported.operations {
                    match ours.operations.iter().find(|o| o.name == op.name) {
                        Some(o) if o == op => {}
                        Some(o) => problems.push(format!(
                            "{}:{} differs: embedded {o:?}, reference {op:?}",
                            imported.prefix, op.name
                        )),
                        None => problems
                            .push(format!("{}:{} is not embedded", imported.prefix, op.name)),
                    }
                }
                if ours.operations.len() != imported.operations.len() {
                    problems.push(format!(
                        "{}: {} embedded operations, {} in the reference",
                        imported.prefix,
                        ours.operations.len(),
                        imported.operations.len()
                    ));
                }
            }
            None if imported.operations.is_empty() => {}
            None => problems.push(format!("{} has no embedded operations", imported.prefix)),
        }
    }
    assert!(
        problems.is_empty(),
        "regenerate with scripts/gen-embedded-catalog.sh:\n{}",
        problems.join("\n")
    );
    assert!(compared > 4_000, "only {compared} operations compared");
}

#[test]
fn the_curated_services_carry_their_operations() {
    let ops = Catalog::embedded().operations().unwrap();
    for prefix in EMBEDDED_SERVICES {
        // AWS's file for ssmmessages lists no operations.
        if prefix != "ssmmessages" {
            assert!(
                ops.service(prefix)
                    .is_some_and(|s| !s.operations.is_empty()),
                "{prefix} has no operations"
            );
        }
    }
    let copy = ops.get("s3", "CopyObject").unwrap();
    assert_eq!(copy.sdk_labels(), ["s3.copy_object"]);
    let listed: Vec<String> = copy
        .operation
        .actions
        .iter()
        .map(|a| a.full_name())
        .collect();
    assert!(listed.contains(&"s3:GetObject".to_string()));
    assert!(listed.contains(&"s3:PutObject".to_string()));
    let create = ops.get("lambda", "CreateFunction").unwrap();
    let pass = create
        .operation
        .actions
        .iter()
        .find(|a| a.full_name() == "iam:PassRole")
        .unwrap();
    assert_eq!(
        pass.context["iam:PassedToService"],
        ["lambda.amazonaws.com"]
    );
    // Several SDK clients for one operation (S3 and S3 Control).
    assert!(ops.get("s3", "CreateBucket").unwrap().operation.sdk.len() > 1);
}

#[test]
fn imported_operations_live_beside_the_user_catalog() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let o = rolesmith(home, &["catalog", "import", WIDGETS], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ops_file = operations_file(&home.join("data/rolesmith"));
    assert!(ops_file.is_file(), "operations written");

    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        home,
        &["calls", "widgets-v2.create_widget", "--format", "json"],
    ))
    .unwrap();
    let call = &json["calls"][0];
    assert_eq!(call["operation"], "widgets:CreateWidget");
    assert_eq!(call["needed"], serde_json::json!(["widgets:CreateWidget"]));
    assert_eq!(
        call["sdk"],
        serde_json::json!(["widgets.create_widget", "widgets-v2.create_widget"])
    );
    let pass = call["conditional"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "iam:PassRole")
        .unwrap();
    assert!(
        pass["when"]
            .as_str()
            .unwrap()
            .contains("passes an IAM role")
    );
    assert_eq!(call["context"][0]["key"], "iam:PassedToService");
    assert_eq!(call["context"][0]["values"][0], "widgets.amazonaws.com");
    let widget = &call["resources"][0];
    assert_eq!(widget["type"], "widgets:widget");
    assert_eq!(
        widget["arn"],
        "arn:${Partition}:widgets:${Region}:${Account}:widget/${WidgetId}"
    );

    // An operation named differently from its action, one without any action, and the
    // embedded services' operations still there beside the imported ones.
    let out = stdout_of(home, &["calls", "widgets.get_widget"]);
    assert!(out.contains("widgets:ReadWidget"), "{out}");
    let out = stdout_of(home, &["catalog", "show", "widgets:Ping"]);
    assert!(out.contains("lists no IAM action"), "{out}");
    let out = stdout_of(home, &["calls", "s3.copy_object"]);
    assert!(out.contains("source object"), "{out}");
    let out = stdout_of(home, &["catalog", "status"]);
    assert!(
        out.contains("API operations:  4630 of 46 services"),
        "{out}"
    );
}

#[test]
fn importing_another_file_keeps_the_operations_already_imported() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let other = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/catalog/good/demo.json"
    );
    for file in [WIDGETS, other] {
        let o = rolesmith(home, &["catalog", "import", file], None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let out = stdout_of(home, &["calls", "widgets.list_widgets"]);
    assert!(out.contains("widgets:ListWidgets"), "{out}");
}

#[test]
fn operations_written_with_another_catalog_are_not_used() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    assert!(
        rolesmith(home, &["catalog", "import", WIDGETS], None)
            .status
            .success()
    );
    let ops_file = operations_file(&home.join("data/rolesmith"));
    let d = wire::decode("x", &std::fs::read(&ops_file).unwrap()).unwrap();
    let services: Vec<&ServiceOperations> = d.services.iter().collect();
    std::fs::write(&ops_file, wire::encode(&d.kind, &d.date, "0ther", services)).unwrap();
    let err = error_of(home, &["calls", "widgets.get_widget"]);
    assert!(err.contains("widgets.get_widget"), "{err}");
    // The embedded services keep their operations.
    let out = stdout_of(home, &["calls", "s3.put_object"]);
    assert!(out.contains("s3:PutObject"), "{out}");
}

#[test]
fn a_broken_operations_file_breaks_only_the_commands_that_need_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    assert!(
        rolesmith(home, &["catalog", "import", WIDGETS], None)
            .status
            .success()
    );
    let ops_file = operations_file(&home.join("data/rolesmith"));
    let text = std::fs::read(&ops_file).unwrap();
    std::fs::write(&ops_file, &text[..text.len() / 2]).unwrap();
    let err = error_of(home, &["calls", "s3.put_object"]);
    assert!(
        err.contains(&*ops_file.file_name().unwrap().to_string_lossy()),
        "{err}"
    );
    assert!(err.contains("import or update the catalog again"), "{err}");
    // Loading the catalog does not read the operations: the rest works.
    let out = stdout_of(home, &["catalog", "show", "widgets:CreateWidget"]);
    assert!(out.contains("access level:    Write"), "{out}");
    let c = Catalog::load_with(Some(&home.join("data/rolesmith/catalog.json"))).unwrap();
    assert!(c.service("widgets").is_some());
    assert!(c.operations().is_err());
}

#[test]
fn show_and_search_find_operations_in_every_form() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let out = stdout_of(home, &["catalog", "show", "s3:CopyObject"]);
    assert!(out.starts_with("s3:CopyObject (API operation)"), "{out}");
    assert!(out.contains("AWS CLI:    aws s3api copy-object"), "{out}");
    assert!(out.contains("source object"), "{out}");
    let out = stdout_of(home, &["catalog", "show", "lambda.invoke"]);
    assert!(out.contains("lambda:InvokeFunction"), "{out}");
    // An action shows the operations that can need it.
    let out = stdout_of(home, &["catalog", "show", "s3:PutObject"]);
    assert!(out.contains("access level:    Write"), "{out}");
    assert!(out.contains("API operations that can need it: "), "{out}");
    assert!(out.contains("s3:CopyObject"), "{out}");
    for query in [
        "put_object",
        "PutObject",
        "s3.put_object",
        "aws s3api put-object",
        "s3:PutObject",
    ] {
        let out = stdout_of(home, &["catalog", "search", query]);
        let first = out.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("s3:PutObject") && first.contains("operation"),
            "{query}: {out}"
        );
    }
    let out = stdout_of(home, &["catalog", "search", "s3:CopyObject"]);
    assert!(out.starts_with("s3:CopyObject"), "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("s3:GetObject, s3:PutObject"),
        "{out}"
    );
    let err = error_of(home, &["catalog", "show", "s3.copy_objekt"]);
    assert!(
        err.contains("nearest: s3.copy_object (s3:CopyObject)"),
        "{err}"
    );
}
