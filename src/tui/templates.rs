//! Starter roles for `rolesmith new --template NAME` and `rolesmith templates`.
//!
//! Each is a role file under `examples/`, compiled in, so the binary works anywhere.

use crate::error::{Error, Result};
use crate::role::{RoleSpec, parse_role_text};

/// A starter role: its name, what it is for, and the role file text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub summary: &'static str,
    pub text: &'static str,
}

/// Every template, in the order `templates` lists them.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "lambda-s3-writer",
        summary: "a Lambda function that writes objects to one S3 bucket",
        text: include_str!("../../examples/lambda-s3-writer.toml"),
    },
    Template {
        name: "lambda-sqs-consumer",
        summary: "a Lambda function that consumes one SQS queue",
        text: include_str!("../../examples/templates/lambda-sqs-consumer.toml"),
    },
    Template {
        name: "ecs-secret-reader",
        summary: "an ECS task that reads one Secrets Manager secret",
        text: include_str!("../../examples/ecs-secret-reader.toml"),
    },
    Template {
        name: "github-deploy",
        summary: "a GitHub Actions workflow that deploys from one branch",
        text: include_str!("../../examples/github-deploy.toml"),
    },
    Template {
        name: "blank",
        summary: "an empty role",
        text: include_str!("../../examples/templates/blank.toml"),
    },
];

/// The template called `name`, parsed; an error lists the names there are.
pub fn load_template(name: &str) -> Result<RoleSpec> {
    let t = TEMPLATES.iter().find(|t| t.name == name).ok_or_else(|| {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        Error::Usage(format!(
            "no template named {name:?}; there are: {}",
            names.join(", ")
        ))
    })?;
    if t.name == "blank" {
        // A starting point, not a finished role: it trusts nobody yet.
        return toml::from_str(t.text)
            .map_err(|e| Error::Other(format!("template blank: {}", e.message())));
    }
    parse_role_text(&format!("template {}", t.name), t.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        for t in TEMPLATES {
            load_template(t.name).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        }
    }

    #[test]
    fn unknown_template_names_the_known_ones() {
        let e = load_template("nope").unwrap_err().to_string();
        assert!(e.contains("lambda-s3-writer"), "{e}");
    }
}
