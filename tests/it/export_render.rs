//! `rolesmith render --format ...` through the real binary: every export format, byte-for-byte
//! deterministic, and the same text the library gives the TUI.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rolesmith::export::ExportFormat;
use rolesmith::role::load_role_file;

const FORMATS: &[(&str, ExportFormat)] = &[
    ("json", ExportFormat::Json),
    ("console", ExportFormat::Console),
    ("cli", ExportFormat::Cli),
    ("cloudformation", ExportFormat::CloudFormationYaml),
    ("cloudformation-json", ExportFormat::CloudFormationJson),
    ("terraform", ExportFormat::Terraform),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn role_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures/roles"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn render(file: &Path, format: &str) -> Output {
    let state = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_rolesmith"))
        .args(["render", "--format", format])
        .arg(file)
        .env("XDG_DATA_HOME", state.path())
        .env("XDG_STATE_HOME", state.path())
        .env("XDG_CONFIG_HOME", state.path())
        .output()
        .unwrap()
}

#[test]
fn every_format_prints_the_library_export() {
    for file in role_files() {
        let docs = load_role_file(&file).unwrap().to_documents();
        for (name, format) in FORMATS {
            let out = render(&file, name);
            assert!(
                out.status.success(),
                "{} --format {name}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            // stderr carries the role's findings (render reports them); never an error.
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("rolesmith: error"), "{name}: {stderr}");
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                format.render(&docs),
                "{} --format {name}",
                file.display()
            );
        }
    }
}

#[test]
fn exports_are_byte_for_byte_deterministic() {
    for file in role_files() {
        for (name, format) in FORMATS {
            let first = render(&file, name).stdout;
            let second = render(&file, name).stdout;
            assert_eq!(first, second, "{} --format {name}", file.display());
            // A fresh load gives the same bytes as well.
            let a = format.render(&load_role_file(&file).unwrap().to_documents());
            let b = format.render(&load_role_file(&file).unwrap().to_documents());
            assert_eq!(a, b);
        }
    }
}

#[test]
fn the_same_role_in_toml_and_json_exports_the_same() {
    let toml = root().join("examples/lambda-s3-writer.toml");
    let spec = load_role_file(&toml).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("same.json");
    std::fs::write(&json_file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    for (name, _) in FORMATS {
        assert_eq!(
            render(&toml, name).stdout,
            render(&json_file, name).stdout,
            "--format {name}"
        );
    }
}

#[test]
fn cloudformation_shapes() {
    let seed = root().join("examples/lambda-s3-writer.toml");
    let yaml = String::from_utf8(render(&seed, "cloudformation").stdout).unwrap();
    assert!(yaml.starts_with("AWSTemplateFormatVersion: \"2010-09-09\"\n"));
    assert!(yaml.contains("    Type: AWS::IAM::Role\n"));
    assert!(yaml.contains("Value: !GetAtt StringReverserRole.Arn\n"));

    let json = render(&seed, "cloudformation-json").stdout;
    let template: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let role_json: serde_json::Value =
        serde_json::from_slice(&render(&seed, "json").stdout).unwrap();
    assert_eq!(
        template["Resources"]["StringReverserRole"]["Properties"],
        role_json
    );
    assert_eq!(
        template["Outputs"]["RoleArn"]["Value"]["Fn::GetAtt"],
        serde_json::json!(["StringReverserRole", "Arn"])
    );
}

#[test]
fn terraform_escapes_policy_variables() {
    let file = root().join("tests/fixtures/roles/quoting-torture.toml");
    let tf = String::from_utf8(render(&file, "terraform").stdout).unwrap();
    assert!(tf.contains("home/$${aws:username}/*"), "{tf}");
    assert!(tf.contains("%%{x}"), "{tf}");
    assert!(!tf.contains(" ${"), "an unescaped interpolation: {tf}");
    assert_eq!(tf.matches("resource \"aws_iam_role_policy\" ").count(), 2);
}

#[test]
fn ten_managed_policies_give_ten_attachments() {
    let file = root().join("tests/fixtures/roles/ten-managed-policies.toml");
    let tf = String::from_utf8(render(&file, "terraform").stdout).unwrap();
    assert_eq!(
        tf.matches("resource \"aws_iam_role_policy_attachment\" ")
            .count(),
        10
    );
    let cli = String::from_utf8(render(&file, "cli").stdout).unwrap();
    // One loop attaches whichever of the ten is missing.
    assert_eq!(
        cli.matches("\n  'arn:aws:iam::aws:policy/").count(),
        10,
        "{cli}"
    );
    assert_eq!(cli.matches("aws iam attach-role-policy").count(), 1);
    assert_eq!(cli.matches("aws iam put-role-policy").count(), 0);
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let seed = root().join("examples/lambda-s3-writer.toml");
    let out = render(&seed, "pulumi");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("terraform"));
}

#[test]
fn out_dir_adds_the_deployment_file_of_the_format() {
    let seed = root().join("examples/lambda-s3-writer.toml");
    for (name, file) in [
        ("cli", "string-reverser-create.sh"),
        ("cloudformation", "string-reverser.cfn.yaml"),
        ("cloudformation-json", "string-reverser.cfn.json"),
        ("terraform", "string-reverser.tf"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_rolesmith"))
            .args(["render", "--format", name, "--out-dir"])
            .arg(dir.path())
            .arg(&seed)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        let written = std::fs::read(dir.path().join(file)).unwrap();
        assert_eq!(written, render(&seed, name).stdout, "--format {name}");
        assert!(dir.path().join("role.json").exists());
    }
}
