//! A lesson as a facilitator hands it out (Markdown, no hints or answers), and the commented
//! skeleton `rolesmith learn --new` writes.

use super::{Check, Lesson};

/// The lesson as Markdown for a slide or a printout: story, goal, the starting role, the
/// messages and calls the learner works from, and the tasks. Hints and "what you learned"
/// are left out: they give the answer away.
pub fn handout(lesson: &Lesson) -> String {
    let mut out = format!("# {}\n\n", lesson.title.trim());
    out.push_str(lesson.story.trim());
    out.push_str("\n\n");
    out.push_str(&format!("**Goal:** {}\n\n", lesson.goal.trim()));
    out.push_str("## The role you start from\n\n```toml\n");
    match lesson.start.to_toml() {
        Ok(t) => out.push_str(t.trim_end()),
        Err(_) => out.push_str(&format!("name = {:?}", lesson.start.name)),
    }
    out.push_str("\n```\n\n");
    if !lesson.messages.is_empty() {
        out.push_str("## The errors you were sent\n\n");
        for m in &lesson.messages {
            out.push_str(&format!("```\n{}\n```\n\n", m.trim()));
        }
    }
    out.push_str("## Tasks\n\n");
    for (i, t) in lesson.tasks.iter().enumerate() {
        out.push_str(&format!("{}. {}", i + 1, t.title.trim()));
        if let Check::Expect(e) = &t.check
            && let Some((action, allow)) = e.action()
        {
            let verb = if allow { "allowed" } else { "denied" };
            match (&e.principal, &e.resource) {
                (Some(p), _) => out.push_str(&format!(" (`{action}` by `{p}` is {verb})")),
                (None, Some(r)) => out.push_str(&format!(" (`{action}` on `{r}` is {verb})")),
                (None, None) => out.push_str(&format!(" (`{action}` is {verb})")),
            }
        }
        out.push('\n');
    }
    if !lesson.calls.is_empty() {
        out.push_str("\n## What the workload calls\n\n");
        for c in &lesson.calls {
            out.push_str(&format!("- {}: `{}`", c.label.trim(), c.action));
            if let Some(p) = &c.principal {
                out.push_str(&format!(" by `{p}`"));
            }
            if let Some(r) = &c.resource {
                out.push_str(&format!(" on `{r}`"));
            }
            for (k, v) in &c.context {
                let values: Vec<String> = v.iter().map(|x| x.as_text()).collect();
                out.push_str(&format!(", `{k}` = `{}`", values.join("`, `")));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nStart it with `rolesmith learn {}`.\n",
        lesson.name
    ));
    out
}

/// A commented lesson file named `name`, every key shown, that loads as it is.
pub fn skeleton(name: &str) -> String {
    SKELETON.replace("NAME", name)
}

const SKELETON: &str = r#"# A rolesmith lesson. Run it with `rolesmith learn --dir FOLDER NAME`, grade learners'
# role files with `rolesmith learn --dir FOLDER --check NAME ROLE.toml...`.

# Stable identifier: lower-case letters, digits and -. Progress is kept under this name.
name = "NAME"
title = "Write to one bucket"
# The situation, as the learner reads it first.
story = """
A Lambda function saves its results to the bucket my-workshop-bucket. It must not read,
delete or list anything.
"""
# What done means.
goal = "Let the function write objects to my-workshop-bucket, and nothing else."
# Shown when every task passes: what to take away.
learned = """
Object-level actions such as s3:PutObject need the objects' ARN, arn:aws:s3:::BUCKET/*.
"""
# Optional: the role session name in the AccessDenied messages (the function's name).
session = "results-writer"
# Optional: AccessDenied messages the learner starts from.
# messages = ["User: arn:aws:sts::123456789012:assumed-role/results-writer/results-writer is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::my-workshop-bucket/out.json because no identity-based policy allows the s3:PutObject action"]

# The role the learner starts from: a [start] table with the keys of a role file, or
# start = "start.toml" (a role file next to this lesson).
[start]
name = "results-writer"
assumed_by = ["lambda.amazonaws.com"]
managed_policies = ["AWSLambdaBasicExecutionRole"]

[start.trust]
services = ["lambda.amazonaws.com"]

# Tasks: each checks one thing. A request (the keys of a role file's [[expect]]: allow or
# deny, resource, principal, context, why), finding codes that must be absent (`absent`),
# or a principal that must be able to assume the role (`assumed_by`). `hints` are revealed
# one at a time: a nudge, a pointer, then the answer with its explanation.
[[task]]
title = "The function can save its results"
allow = "s3:PutObject"
resource = "arn:aws:s3:::my-workshop-bucket/out.json"
hints = [
  "The role has no permission policy yet: what does the function call?",
  "Add a statement that allows s3:PutObject on the objects of my-workshop-bucket.",
  "Allow s3:PutObject on arn:aws:s3:::my-workshop-bucket/* (objects are BUCKET/KEY).",
]

[[task]]
title = "It cannot delete"
deny = "s3:DeleteObject"
resource = "arn:aws:s3:::my-workshop-bucket/out.json"
hints = ["Grant only what the function calls.", "Remove s3:DeleteObject or s3:*.", "List s3:PutObject only."]

[[task]]
title = "Nothing broad"
absent = ["action-wildcard", "resource-wildcard"]
hints = ["Look at the Review step's findings.", "Name actions and resources.", "No * in actions or resources."]

# [[task]]
# title = "Lambda can assume it"
# assumed_by = "lambda.amazonaws.com"

# The workload's calls, played against the learner's role ("run the function"). `label` is
# optional; `principal` makes it an assume call, answered by the trust policy.
[[call]]
label = "PutObject out.json"
action = "s3:PutObject"
resource = "arn:aws:s3:::my-workshop-bucket/out.json"

[[call]]
action = "logs:CreateLogStream"
resource = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/results-writer:log-stream:2026/12/03/abc123"

# [[call]]
# label = "Lambda assumes the role"
# action = "sts:AssumeRole"
# principal = "lambda.amazonaws.com"
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::parse_lesson;

    #[test]
    fn the_skeleton_loads_and_the_handout_gives_no_answer() {
        let l = parse_lesson("new.toml", &skeleton("my-lesson"), None).unwrap();
        assert_eq!(l.name, "my-lesson");
        assert_eq!(l.tasks.len(), 3);
        let md = handout(&l);
        assert!(md.starts_with("# Write to one bucket\n"), "{md}");
        assert!(md.contains("1. The function can save its results"), "{md}");
        assert!(!md.contains("arn:aws:s3:::my-workshop-bucket/*"), "{md}");
        assert!(!md.contains("Object-level actions"), "{md}");
    }
}
