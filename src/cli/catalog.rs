//! `rolesmith catalog ...`: browse, search, import, update and dump the catalog (guide §5).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};

use super::Outcome;
use crate::catalog::import::{self, ImportSet};
use crate::catalog::update;
use crate::catalog::{AccessLevel, ActionExpansion, Catalog, Service};
use crate::error::{Error, Result};
use crate::io::write_atomic;

/// Browse the catalog, or refresh it from AWS's service reference.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    #[command(subcommand)]
    pub command: CatalogCommand,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// List the services in the catalog
    Services,
    /// List the actions of one service
    Actions {
        /// IAM service prefix, e.g. s3
        service: String,
        /// Only this access level: list, read, write, permissions-management, tagging
        #[arg(long, value_name = "LEVEL")]
        access: Option<String>,
    },
    /// Show one action (access level, resource types with ARN formats, condition keys, the API
    /// operations that can need it) or one API operation (what a call needs)
    Show {
        /// SERVICE:ACTION (s3:PutObject), or an API call (s3.copy_object, s3:CopyObject)
        action: String,
    },
    /// Search API operations by name or SDK method, then services and actions (fuzzy), best first
    Search {
        query: String,
        /// How many hits to print
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Import AWS service reference JSON: one file, a folder of them, or AWS's index file
    Import {
        path: PathBuf,
        /// Write the stored form here instead of the user catalog (used to build the embedded asset)
        #[arg(long, hide = true)]
        output: Option<PathBuf>,
        /// With --output: write the API operations' stored form here
        #[arg(long, hide = true, requires = "output")]
        operations_output: Option<PathBuf>,
        /// Keep only these service prefixes (comma-separated)
        #[arg(long, hide = true, value_delimiter = ',')]
        only: Vec<String>,
        /// The kind recorded in the stored form
        #[arg(long, hide = true, default_value = "imported")]
        kind: String,
        /// The date recorded in the stored form (default: today)
        #[arg(long, hide = true)]
        date: Option<String>,
        /// How old the files' data is (YYYY-MM-DD), shown by `catalog status`; default:
        /// the newest file's modification date
        #[arg(long, value_name = "DATE")]
        data_date: Option<String>,
    },
    /// Download AWS's current service reference into the user catalog
    ///
    /// Everything is downloaded, checked and staged before the catalog in use is replaced in one
    /// step. A few services whose files answer 404 are skipped and named; more, or any other
    /// failure (offline, timeout, a redirect to another host, a file that is not AWS's format
    /// or too big, a catalog less than half the size of the one in use) stops the update,
    /// leaves the catalog in use as it was and exits 2.
    Update {
        /// Base URL serving the index and the service files
        #[arg(long, value_name = "BASE", default_value = update::DEFAULT_BASE_URL)]
        url: String,
        /// Connect/read timeout in milliseconds (for tests)
        #[arg(long, hide = true)]
        timeout_ms: Option<u64>,
        /// Accept a download with less than half the services or actions of the catalog in use
        #[arg(long)]
        allow_shrink: bool,
    },
    /// List the AWS managed policies rolesmith knows, with their path, risk and purpose
    ///
    /// These are the names `managed_policies` and `permissions_boundary` accept in a role
    /// file; any other policy is given by its full ARN.
    Managed {
        /// Only policies whose name, path or purpose holds every word (any case)
        query: Option<String>,
    },
    /// Which catalog is in use: embedded or imported, its date, counts
    Status,
    /// The whole loaded catalog as JSON
    Dump,
}

/// Runs a `catalog` subcommand.
pub fn run(args: CatalogArgs) -> Result<Outcome> {
    match args.command {
        CatalogCommand::Services => print(&services(&Catalog::load()?)),
        CatalogCommand::Actions { service, access } => {
            let access = access.as_deref().map(parse_access).transpose()?;
            print(&actions(&Catalog::load()?, &service, access)?)
        }
        CatalogCommand::Show { action } => print(&show(&Catalog::load()?, &action)?),
        CatalogCommand::Search { query, limit } => {
            let text = search(&Catalog::load()?, &query, limit);
            if text.is_empty() {
                eprintln!(
                    "no service, action or API operation matches {:?}",
                    visible(&query)
                );
            }
            print(&text)
        }
        CatalogCommand::Import {
            path,
            output,
            operations_output,
            only,
            kind,
            date,
            data_date,
        } => run_import(
            &path,
            output,
            operations_output,
            &only,
            &kind,
            date,
            data_date,
        ),
        CatalogCommand::Update {
            url,
            timeout_ms,
            allow_shrink,
        } => {
            let options = update::Options {
                base_url: url,
                timeout: timeout_ms.map(std::time::Duration::from_millis),
                allow_shrink,
                ..update::Options::default()
            };
            let dest = import::user_catalog_dest()?;
            let (set, catalog) = update::update(&options, &dest)?;
            eprint!("{}", import_summary("downloaded", &set, &catalog, 0));
            Ok(Outcome::Clean)
        }
        CatalogCommand::Managed { query } => {
            let text = managed(query.as_deref().unwrap_or(""));
            if text.is_empty() {
                eprintln!(
                    "no managed policy matches {:?}; give any other policy by its ARN",
                    visible(&query.unwrap_or_default())
                );
            }
            print(&text)
        }
        CatalogCommand::Status => print(&status(&Catalog::load()?)),
        CatalogCommand::Dump => {
            let c = Catalog::load()?;
            let text = serde_json::to_string_pretty(&dump(&c)).unwrap_or_default();
            let text = crate::io::terminal::json_for_terminal(&text).into_owned();
            print(&(text + "\n"))
        }
    }
}

/// `catalog managed [QUERY]`: one line per curated AWS managed policy, in columns
/// `NAME PATH RISK PURPOSE`; empty when nothing matches.
pub fn managed(query: &str) -> String {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let rows: Vec<(&str, &str, &'static str, &str)> = crate::catalog::curated::curated()
        .managed_policies
        .iter()
        .map(|p| {
            let path = p
                .arn
                .split_once(":policy")
                .map_or("/", |(_, rest)| &rest[..rest.len() - p.name.len()]);
            (p.name.as_str(), path, p.risk.into(), p.description.as_str())
        })
        .filter(|(name, path, _, purpose)| {
            let text = format!("{name} {path} {purpose}").to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let name_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(4);
    let path_w = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).max(4);
    let mut out = format!(
        "{:name_w$}  {:path_w$}  {:8}  PURPOSE\n",
        "NAME", "PATH", "RISK"
    );
    for (name, path, risk, purpose) in rows {
        let _ = writeln!(out, "{name:name_w$}  {path:path_w$}  {risk:8}  {purpose}");
    }
    out
}

fn print(text: &str) -> Result<Outcome> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("<stdout>", "cannot write", e))
        }
        _ => Ok(Outcome::Clean),
    }
}

fn run_import(
    path: &std::path::Path,
    output: Option<PathBuf>,
    operations_output: Option<PathBuf>,
    only: &[String],
    kind: &str,
    date: Option<String>,
    data_date: Option<String>,
) -> Result<Outcome> {
    let mut set = import::read_path(path)?;
    set.data_date = match data_date {
        Some(d) if is_iso_date(&d) => Some(format!("{d} (given at import)")),
        Some(d) => {
            return Err(Error::Usage(format!(
                "--data-date {d:?}: write the date as YYYY-MM-DD"
            )));
        }
        // `--date` (the embedded asset's generation) states the data's day itself.
        None if date.is_some() => None,
        None => newest_modification(path).map(|d| format!("{d} (newest file's modification)")),
    };
    if !only.is_empty() {
        set.retain_only(only);
        let missing: Vec<&String> = only
            .iter()
            .filter(|o| {
                !set.services
                    .iter()
                    .any(|s| s.prefix.eq_ignore_ascii_case(o))
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::Other(format!(
                "{}: no file for {}",
                path.display(),
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if let Some(output) = output {
        let date = date.unwrap_or_else(import::today);
        write_atomic(&output, &set.encode(kind, &date), true)?;
        eprintln!(
            "wrote {} services ({} actions) to {}",
            set.services.len(),
            set.services.iter().map(|s| s.actions.len()).sum::<usize>(),
            visible(&output.display().to_string())
        );
        if let Some(ops) = operations_output {
            write_atomic(&ops, &set.encode_operations(kind, &date, ""), true)?;
            eprintln!(
                "wrote {} API operations to {}",
                set.operations
                    .iter()
                    .map(|s| s.operations.len())
                    .sum::<usize>(),
                visible(&ops.display().to_string())
            );
        }
        return Ok(Outcome::Clean);
    }
    let dest = import::user_catalog_dest()?;
    let mut kept = 0;
    if dest.exists() {
        match Catalog::read_user_file(&dest) {
            Ok(previous) => kept = set.keep_previous(&previous),
            Err(e) => eprintln!(
                "replacing the user catalog, which could not be read: {}",
                visible(&e.to_string())
            ),
        }
    }
    let catalog = import::write_user_catalog(&set, "imported", &dest)?;
    eprint!("{}", import_summary("imported", &set, &catalog, kept));
    Ok(Outcome::Clean)
}

/// YYYY-MM-DD with plausible numbers.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

/// The date of the newest JSON file at `path` (a file or a folder), for how old an
/// import's data is when nobody says.
fn newest_modification(path: &std::path::Path) -> Option<String> {
    let mtime = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let newest = if path.is_dir() {
        std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            })
            .filter_map(|p| mtime(&p))
            .max()
    } else {
        mtime(path)
    };
    newest.map(import::date_of)
}

/// What an import or update did, for stderr.
/// What they quote (service names, paths, server text) is made visible.
fn import_summary(verb: &str, set: &ImportSet, catalog: &Catalog, kept: usize) -> String {
    let mut s = String::new();
    let new = &set.services[..set.services.len() - kept];
    let actions: usize = new.iter().map(|s| s.actions.len()).sum();
    let _ = writeln!(
        s,
        "{verb} {} services ({actions} actions) from {} files into {}",
        new.len(),
        set.files,
        catalog
            .user_file()
            .map_or(String::new(), |p| visible(&p.display().to_string())
                .into_owned())
    );
    if kept > 0 {
        let _ = writeln!(s, "kept {kept} services of the previous user catalog");
    }
    if !set.skipped.is_empty() {
        let _ = writeln!(s, "skipped {}:", set.skipped.len());
        for line in &set.skipped {
            let _ = writeln!(s, "  {}", visible(line));
        }
    }
    if !set.retired.is_empty() {
        let _ = writeln!(
            s,
            "flagged {} as retired by AWS (imported, but AWS no longer lists them): {}",
            set.retired.len(),
            visible(&set.retired.join(", "))
        );
    }
    let _ = writeln!(
        s,
        "catalog in use: {} ({} services, {} actions)",
        visible(catalog.source()),
        catalog.services().len(),
        catalog.action_count()
    );
    s
}

/// Parses `--access` leniently: `write`, `Write`, `permissions-management`, `Permissions management`.
pub fn parse_access(text: &str) -> Result<AccessLevel> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let wanted = squash(text);
    <AccessLevel as strum::IntoEnumIterator>::iter()
        .find(|l| squash(l.into()) == wanted)
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown access level {text:?}; use list, read, write, permissions-management or tagging"
            ))
        })
}

fn unknown_service(catalog: &Catalog, prefix: &str) -> Error {
    let hint = crate::catalog::expand::closest_name(prefix, catalog.service_prefixes())
        .map(|c| format!("did you mean {c}? "))
        .unwrap_or_default();
    Error::Usage(format!(
        "service {prefix:?} is not in the catalog ({}); {hint}run `rolesmith catalog update` to get every AWS service",
        catalog.source()
    ))
}

/// Widest a column gets padded to; a longer cell pushes only its own row.
const MAX_COLUMN_WIDTH: usize = 36;

/// Text from a catalog file (names, summaries, ARN formats) or the user, as it may be
/// printed: control characters made visible (`io::terminal`).
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    crate::io::sanitize_for_display(text)
}

/// Formats rows as left-aligned columns (the last column is not padded). Every cell is
/// made printable here, so no name from an imported file reaches the terminal raw.
fn columns(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| visible(c).into_owned()).collect())
        .collect();
    let rows = &rows;
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count().min(MAX_COLUMN_WIDTH))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn services(c: &Catalog) -> String {
    let rows: Vec<Vec<String>> = c
        .services()
        .map(|s| {
            vec![
                s.prefix.clone(),
                format!("{} actions", s.actions.len()),
                if s.name != s.prefix {
                    s.name.clone()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    columns(&rows)
}

fn action_resources_text(a: &crate::catalog::Action) -> String {
    if a.resources.is_empty() {
        "*".to_string()
    } else {
        a.resources
            .iter()
            .map(|r| r.type_name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn actions(c: &Catalog, prefix: &str, access: Option<AccessLevel>) -> Result<String> {
    let s = c
        .service(prefix)
        .ok_or_else(|| unknown_service(c, prefix))?;
    let rows: Vec<Vec<String>> = ordered_actions(s)
        .filter(|a| access.is_none_or(|l| a.access == l))
        .map(|a| {
            vec![
                a.name.clone(),
                a.access.to_string(),
                action_resources_text(a),
                a.summary.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Ok(columns(&rows))
}

/// Featured (curated) actions first, then the rest, each group in AWS's order.
fn ordered_actions(s: &Service) -> impl Iterator<Item = &crate::catalog::Action> {
    s.actions
        .values()
        .filter(|a| a.featured)
        .chain(s.actions.values().filter(|a| !a.featured))
}

/// `catalog show`: an action (`s3:PutObject`, with the API operations that can need it) or an
/// API operation in any form `calls` takes (`s3.copy_object`, `s3:CopyObject`), with its split.
fn show(c: &Catalog, text: &str) -> Result<String> {
    let text = text.trim();
    let action = text
        .split_once(':')
        .and_then(|(prefix, name)| c.action(prefix, name).map(|a| (prefix, a)));
    if let Some((prefix, a)) = action {
        let mut out = show_action(c, prefix, a);
        if let Ok(ops) = c.operations() {
            out.push_str(&operations_needing(ops, &format!("{prefix}:{}", a.name)));
        }
        return Ok(out);
    }
    let ops = c.operations()?;
    let unresolved = match crate::catalog::operations::resolve(ops, text) {
        Ok(r) => return Ok(show_operation(c, &r)),
        Err(e) => e,
    };
    let Some((prefix, name)) = text.split_once(':') else {
        return Err(Error::Usage(format!(
            "{}; `catalog show` takes SERVICE:ACTION (s3:PutObject) or an API call (s3.copy_object)",
            unresolved.describe(ops)
        )));
    };
    let service = c
        .service(prefix)
        .ok_or_else(|| unknown_service(c, prefix))?;
    let hint = match c.expand_actions(text) {
        ActionExpansion::NoMatch {
            closest: Some(n), ..
        } => format!("; did you mean {}:{n}?", service.prefix),
        _ => String::new(),
    };
    let near = unresolved.nearest(ops);
    let ops_hint = if near.is_empty() {
        String::new()
    } else {
        format!("; API operations near it: {}", near.join(", "))
    };
    Err(Error::Usage(format!(
        "{} has no action or API operation {name:?} in the catalog ({}){hint}{ops_hint}",
        service.prefix,
        c.source()
    )))
}

/// An action: access level, risks, resource types with ARN formats, condition keys.
fn show_action(c: &Catalog, prefix: &str, a: &crate::catalog::Action) -> String {
    let service = c.service(prefix).map_or(prefix, |s| s.prefix.as_str());
    let mut out = String::new();
    let _ = writeln!(out, "{}:{}", visible(service), visible(&a.name));
    if let Some(summary) = &a.summary {
        let _ = writeln!(out, "  {}", visible(summary));
    }
    let _ = writeln!(out, "access level:    {}", a.access);
    if !a.risks.is_empty() {
        let risks: Vec<&str> = a.risks.iter().map(|r| r.into()).collect();
        let _ = writeln!(out, "risks:           {}", risks.join(", "));
    }
    if a.resources.is_empty() {
        let _ = writeln!(out, "resource types:  none; grant it on \"*\"");
    } else {
        let _ = writeln!(out, "resource types:");
        let mut rows = Vec::new();
        for r in &a.resources {
            let arns = c
                .resource_type(prefix, &r.type_name)
                .map(|t| t.arn_formats.clone())
                .unwrap_or_default();
            let first = arns
                .first()
                .cloned()
                .unwrap_or_else(|| "(no ARN format listed)".into());
            rows.push(vec![format!("  {}", r.type_name), first]);
            for more in arns.iter().skip(1) {
                rows.push(vec![String::new(), more.clone()]);
            }
            if !r.conditions.is_empty() {
                rows.push(vec![
                    String::new(),
                    format!("condition keys: {}", r.conditions.join(", ")),
                ]);
            }
        }
        out.push_str(&columns(&rows));
    }
    if a.conditions.is_empty() {
        let _ = writeln!(out, "condition keys:  none besides the global aws: keys");
    } else {
        let _ = writeln!(out, "condition keys:");
        let rows: Vec<Vec<String>> = a
            .conditions
            .iter()
            .map(|k| {
                let types = c
                    .condition_key(k)
                    .map(|ck| {
                        ck.types
                            .iter()
                            .map(|t| t.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                vec![format!("  {k}"), types]
            })
            .collect();
        out.push_str(&columns(&rows));
    }
    let _ = writeln!(out, "catalog:         {}", visible(c.source()));
    out
}

/// The API operations that can be authorized against `action`, for `catalog show`.
fn operations_needing(ops: &crate::catalog::operations::Operations, action: &str) -> String {
    let found = ops.authorizing(action);
    if found.is_empty() {
        return String::new();
    }
    let names: Vec<String> = found.iter().map(|o| o.label()).collect();
    const SHOWN: usize = 12;
    let more = if names.len() > SHOWN {
        format!(" and {} more", names.len() - SHOWN)
    } else {
        String::new()
    };
    format!(
        "API operations that can need it: {}{more}\n",
        names[..names.len().min(SHOWN)].join(", ")
    )
}

/// An API operation: how it is called and what it needs (as `rolesmith calls` says it).
fn show_operation(c: &Catalog, r: &crate::catalog::operations::Resolved<'_>) -> String {
    let op = r.operation;
    let p = crate::catalog::operations::permissions(c, op);
    let mut out = String::new();
    let _ = writeln!(out, "{} (API operation)", op.label());
    let _ = writeln!(out, "  SDK:        {}", op.sdk_labels().join(", "));
    let _ = writeln!(out, "  AWS CLI:    {}", op.cli_labels().join(", "));
    let listed: Vec<String> = op.operation.actions.iter().map(|a| a.full_name()).collect();
    let _ = writeln!(
        out,
        "  AWS lists:  {}",
        if listed.is_empty() {
            "no action".to_string()
        } else {
            listed.join(", ")
        }
    );
    out.push_str(&super::calls::permissions_text(&p));
    for note in &p.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    for o in &r.also {
        let _ = writeln!(out, "  also named so: {} ({})", o.label(), o.sdk_label());
    }
    let _ = writeln!(out, "catalog:      {}", visible(c.source()));
    out
}

/// `catalog search`: API operations the query names or starts (`put_object`, `s3.copy_object`,
/// `aws s3api put-object`, `s3:CopyObject`) first, then the fuzzy hits over services and actions.
fn search(c: &Catalog, query: &str, limit: usize) -> String {
    let mut rows = operation_rows(c, query, limit);
    let left = limit.saturating_sub(rows.len());
    rows.extend(c.search(query, left).iter().map(|h| match h.action {
        Some(a) => vec![
            h.label(),
            a.access.to_string(),
            a.summary.clone().unwrap_or_default(),
        ],
        None => vec![
            h.label(),
            "service".into(),
            if h.service.name != h.service.prefix {
                h.service.name.clone()
            } else {
                String::new()
            },
        ],
    }));
    columns(&rows)
}

/// Rows for the operations a search query names: the operation it resolves to (and the ones of
/// other services with that name), else the operations whose name starts with it.
fn operation_rows(c: &Catalog, query: &str, limit: usize) -> Vec<Vec<String>> {
    use crate::catalog::operations::{resolve, resolve::complete};
    let Ok(ops) = c.operations() else {
        return Vec::new();
    };
    let found: Vec<_> = match resolve(ops, query) {
        Ok(r) => std::iter::once(r.operation).chain(r.also).collect(),
        Err(_) if crate::catalog::operations::squash(query).len() >= 3 => {
            complete(ops, query, limit)
        }
        Err(_) => Vec::new(),
    };
    found
        .into_iter()
        .take(limit)
        .map(|o| {
            let p = crate::catalog::operations::permissions(c, o);
            let needed: Vec<&str> = p.needed.iter().map(|n| n.action.as_str()).collect();
            vec![
                o.label(),
                "operation".into(),
                format!(
                    "{} needs {}",
                    o.sdk_label(),
                    if needed.is_empty() {
                        "one of its actions, by request".to_string()
                    } else {
                        needed.join(", ")
                    }
                ),
            ]
        })
        .collect()
}

fn status(c: &Catalog) -> String {
    let file = match c.user_file() {
        Some(p) => format!("{} (over the embedded catalog)", p.display()),
        None => {
            "none (built into rolesmith); `rolesmith catalog update` gets every AWS service".into()
        }
    };
    let resources: usize = c.services().map(|s| s.resources.len()).sum();
    let conditions: usize = c.services().map(|s| s.conditions.len()).sum();
    let data = match c.kind() {
        "embedded" => format!(
            "{} (AWS's service reference, built into rolesmith)",
            c.data_date()
        ),
        "updated" => format!("{} (current when downloaded)", c.data_date()),
        _ => c.data_date().to_string(),
    };
    let mut rows = vec![
        vec!["catalog:".to_string(), c.source().to_string()],
        vec!["data as of:".into(), data],
        vec!["file:".into(), file],
        vec!["services:".into(), c.services().len().to_string()],
        vec!["actions:".into(), c.action_count().to_string()],
        vec!["resource types:".into(), resources.to_string()],
        vec!["condition keys:".into(), conditions.to_string()],
    ];
    match c.operations() {
        Ok(ops) => rows.push(vec![
            "API operations:".into(),
            format!("{} of {} services", ops.len(), ops.services().len()),
        ]),
        Err(e) => rows.push(vec![
            "API operations:".into(),
            visible(&e.to_string()).into_owned(),
        ]),
    }
    let retired: Vec<&str> = c
        .services()
        .map(|s| s.prefix.as_str())
        .filter(|p| import::RETIRED_SERVICES.contains(p))
        .collect();
    if !retired.is_empty() {
        rows.push(vec!["retired by AWS:".into(), retired.join(", ")]);
    }
    for (i, line) in c.skipped().iter().enumerate() {
        let label = if i == 0 { "skipped at import:" } else { "" };
        rows.push(vec![label.into(), line.clone()]);
    }
    columns(&rows)
}

/// The dump shape of guide §5. Extra keys appear only when they carry something:
/// `conditions` on action resources and resource types, `types` when a key has more than one
/// type, and the curated `summary`, `featured` and `risks`.
pub fn dump(c: &Catalog) -> Value {
    let mut services = Map::new();
    for s in c.services() {
        let mut actions = Map::new();
        for a in s.actions.values() {
            let resources: Vec<Value> = a
                .resources
                .iter()
                .map(|r| {
                    let mut o = Map::new();
                    o.insert("type".into(), json!(r.type_name));
                    if !r.conditions.is_empty() {
                        o.insert("conditions".into(), json!(r.conditions));
                    }
                    Value::Object(o)
                })
                .collect();
            let mut o = Map::new();
            o.insert("access".into(), json!(a.access.to_string()));
            o.insert("resources".into(), Value::Array(resources));
            o.insert("conditions".into(), json!(a.conditions));
            if let Some(summary) = &a.summary {
                o.insert("summary".into(), json!(summary));
            }
            if a.featured {
                o.insert("featured".into(), json!(true));
            }
            if !a.risks.is_empty() {
                o.insert("risks".into(), json!(a.risks));
            }
            actions.insert(a.name.clone(), Value::Object(o));
        }
        let mut resources = Map::new();
        for r in s.resources.values() {
            let mut o = Map::new();
            o.insert("arn".into(), json!(r.arn_formats.first()));
            o.insert("arn_formats".into(), json!(r.arn_formats));
            if !r.conditions.is_empty() {
                o.insert("conditions".into(), json!(r.conditions));
            }
            resources.insert(r.name.clone(), Value::Object(o));
        }
        let mut conditions = Map::new();
        for k in s.conditions.values() {
            let mut o = Map::new();
            o.insert("type".into(), json!(k.types.first().map(|t| t.to_string())));
            if k.types.len() > 1 {
                o.insert("types".into(), json!(k.types));
            }
            conditions.insert(k.name.clone(), Value::Object(o));
        }
        services.insert(
            s.prefix.clone(),
            json!({"name": s.name, "actions": actions, "resources": resources, "conditions": conditions}),
        );
    }
    json!({"source": c.source(), "services": services})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_levels_parse_leniently() {
        assert_eq!(parse_access("write").unwrap(), AccessLevel::Write);
        assert_eq!(
            parse_access("Permissions management").unwrap(),
            AccessLevel::PermissionsManagement
        );
        assert_eq!(
            parse_access("permissions-management").unwrap(),
            AccessLevel::PermissionsManagement
        );
        assert!(parse_access("admin").is_err());
    }

    #[test]
    fn columns_align() {
        let t = columns(&[
            vec!["a".into(), "x".into()],
            vec!["long".into(), "y".into()],
        ]);
        assert_eq!(t, "a     x\nlong  y\n");
    }
}
