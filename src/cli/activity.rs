//! `rolesmith from-activity FILE...`: a role from what a workload called, read from
//! CloudTrail (S3 delivery files, gzip or not; `aws cloudtrail lookup-events` output; one
//! event per line; `-` for stdin), streamed with a progress bar on a terminal.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use crate::activity::{Activity, RoleOptions, build_role, trail};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::sanitize_for_display as visible;

/// Build a role from CloudTrail events: what the workload called, and nothing more.
#[derive(Debug, Args)]
pub struct FromActivityArgs {
    /// CloudTrail files: {"Records": [...]} (gzip or not), lookup-events output, or one event
    /// per line; `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The role whose calls to use (its ARN, or the assumed-role session issuer's); needed
    /// when the trail holds several principals
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
    /// Who assumes the role (a service principal, e.g. lambda.amazonaws.com); repeatable
    #[arg(long = "trust", value_name = "SERVICE")]
    pub trust: Vec<String>,
    /// Write the role file here instead of printing it
    #[arg(short = 'o', long = "output", value_name = "ROLE.toml")]
    pub output: Option<PathBuf>,
    /// Overwrite the output file if it exists
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: FromActivityArgs) -> Result<Outcome> {
    let catalog = Catalog::load()?;
    let ops = catalog.operations()?;
    let mut activity = Activity {
        only: args.principal.clone(),
        ..Activity::default()
    };
    for path in &args.files {
        let origin = path.display().to_string();
        let mut record = |e: crate::activity::Event| activity.record(&e, ops);
        if path.as_os_str() == "-" {
            trail::read_events("<stdin>", std::io::stdin().lock(), &mut record)?;
            continue;
        }
        let (file, len) = crate::io::read::open_stream(path)?;
        let bar = indicatif::ProgressBar::new(len).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} reading {bytes}/{total_bytes} {wide_bar} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(visible(&origin).into_owned());
        let reader: Box<dyn Read> = Box::new(bar.wrap_read(file));
        let result = trail::read_events(&origin, reader, &mut record);
        bar.finish_and_clear();
        result?;
    }
    let principal = choose_principal(&activity, args.principal.as_deref())?;
    for t in &args.trust {
        if !crate::role::expect::is_request_principal(t) || !t.contains('.') {
            return Err(Error::Usage(format!(
                "--trust {:?}: give a service principal such as lambda.amazonaws.com",
                visible(t)
            )));
        }
    }
    let p = &activity.principals[&principal];
    let (role, report) = build_role(
        &catalog,
        ops,
        &principal,
        p,
        &RoleOptions {
            trust: args.trust.clone(),
        },
    );
    let text = role.to_toml()?;
    summary(&activity, &principal, &report, args.trust.is_empty());
    match &args.output {
        Some(out) => crate::io::write_atomic(out, text.as_bytes(), args.force)?,
        None => super::print_stdout(text.as_bytes())?,
    }
    Ok(Outcome::Clean)
}

/// The principal to build for: the one asked for, else the only one in the trail.
fn choose_principal(activity: &Activity, wanted: Option<&str>) -> Result<String> {
    let listing = || {
        let mut all: Vec<(&String, u64)> = activity
            .principals
            .iter()
            .map(|(k, v)| (k, v.events))
            .chain(activity.others.iter().map(|(k, n)| (k, *n)))
            .collect();
        all.sort_by_key(|a| std::cmp::Reverse(a.1));
        all.iter()
            .take(10)
            .map(|(k, n)| format!("{} ({n} events)", visible(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(w) => {
            let found = activity.principals.keys().find(|k| {
                k.eq_ignore_ascii_case(w)
                    || k.rsplit('/')
                        .next()
                        .is_some_and(|n| n.eq_ignore_ascii_case(w))
            });
            found.cloned().ok_or_else(|| {
                Error::Usage(format!(
                    "no call by {:?} in the trail; it holds: {}",
                    visible(w),
                    listing()
                ))
            })
        }
        None => match activity.principals.len() {
            0 => Err(Error::Usage(format!(
                "no call in the trail maps to an API operation the catalog knows ({} events read{}); `rolesmith catalog update` gets every service",
                activity.events,
                if activity.unknown.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", e.g. {}",
                        visible(activity.unknown.keys().next().map_or("", |s| s.as_str()))
                    )
                }
            ))),
            1 => Ok(activity
                .principals
                .keys()
                .next()
                .cloned()
                .unwrap_or_default()),
            _ => Err(Error::Usage(format!(
                "the trail holds calls of {} principals; pick one with --principal: {}",
                activity.principals.len() + activity.others.len(),
                listing()
            ))),
        },
    }
}

fn summary(activity: &Activity, principal: &str, report: &crate::activity::Report, no_trust: bool) {
    let p = &activity.principals[principal];
    eprintln!(
        "read {} events; {} by {} ({} API operations)",
        activity.events,
        p.events,
        visible(principal),
        p.calls.len()
    );
    if !activity.unknown.is_empty() {
        let n: u64 = activity.unknown.values().sum();
        let examples: Vec<String> = activity
            .unknown
            .keys()
            .take(5)
            .map(|k| visible(k).into_owned())
            .collect();
        eprintln!(
            "{n} events name an operation the catalog does not know ({}); `rolesmith catalog update` gets every service",
            examples.join(", ")
        );
    }
    for d in &report.denied {
        eprintln!("missing (denied in the trail, not granted): {}", visible(d));
    }
    for a in &report.on_star {
        eprintln!("{a}: no observed resource fits it; granted on \"*\" (narrow it)");
    }
    if no_trust {
        eprintln!(
            "the trail does not say who assumes the role: give --trust SERVICE or fill [trust]"
        );
    }
}
