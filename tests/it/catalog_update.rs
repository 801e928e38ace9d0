//! `catalog update` against a tiny HTTP server on 127.0.0.1 serving fixture files: success,
//! a 404 for one service, a server that hangs (timeout), a server that sends garbage, and no
//! server at all (offline). A failed update must leave the catalog in use untouched.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// How the test server answers one request path.
#[derive(Clone, Copy)]
enum Reply {
    Ok(&'static str),
    NotFound,
    /// Accept the request and say nothing for this long.
    Hang(Duration),
    /// 302 to this location.
    Redirect(&'static str),
    /// Promise twice the body's length, send the body, close.
    Truncated(&'static str),
}

/// Serves `route(path)` on a fresh 127.0.0.1 port, for at most `max_requests` connections;
/// the thread ends by itself after that (or with the test process).
fn serve(route: fn(&str) -> Reply, max_requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max_requests) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .to_string();
                let (status, body) = match route(&path) {
                    Reply::Ok(body) => ("200 OK", body.to_string()),
                    Reply::NotFound => ("404 Not Found", "not found".to_string()),
                    Reply::Redirect(to) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                        return;
                    }
                    Reply::Truncated(body) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len() * 2
                        );
                        return;
                    }
                    Reply::Hang(d) => {
                        std::thread::sleep(d);
                        return;
                    }
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    base
}

const INDEX: &str = r#"[
  {"service": "demo", "url": "https://servicereference.us-east-1.amazonaws.com/v1/demo/demo.json"},
  {"service": "other", "url": "/v1/other/other.json"}
]"#;
const INDEX_WITH_GONE: &str = r#"[
  {"service": "demo", "url": "https://servicereference.us-east-1.amazonaws.com/v1/demo/demo.json"},
  {"service": "gone", "url": "https://servicereference.us-east-1.amazonaws.com/v1/gone/gone.json"},
  {"service": "other", "url": "/v1/other/other.json"}
]"#;
const DEMO: &str = include_str!("../fixtures/catalog/good/demo.json");
const OTHER: &str = include_str!("../fixtures/catalog/good/other.json");

fn good_route(path: &str) -> Reply {
    match path {
        "/" => Reply::Ok(INDEX),
        "/v1/demo/demo.json" => Reply::Ok(DEMO),
        "/v1/other/other.json" => Reply::Ok(OTHER),
        _ => Reply::NotFound,
    }
}

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
            .env("ROLESMITH_HTTP_TIMEOUT_MS", "400")
            .output()
            .unwrap()
    }

    fn catalog_file(&self) -> PathBuf {
        self.dir.path().join("data/rolesmith/catalog.json")
    }

    /// Imports the `other` fixture so there is a user catalog to keep safe.
    fn with_existing_catalog(self) -> (Sandbox, Vec<u8>) {
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog/good/other.json");
        assert!(
            self.run(&["catalog", "import", &file.display().to_string()])
                .status
                .success()
        );
        let bytes = std::fs::read(self.catalog_file()).unwrap();
        (self, bytes)
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn downloads_the_index_and_every_service() {
    let base = serve(good_route, 10);
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("downloaded 2 services"),
        "{}",
        stderr(&o)
    );
    let status = String::from_utf8_lossy(&sb.run(&["catalog", "status"]).stdout).into_owned();
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("catalog:") && l.contains(" updated ")),
        "{status}"
    );
    let show = sb.run(&["catalog", "show", "demo:GetWidget"]);
    assert!(String::from_utf8_lossy(&show.stdout).contains("widget/${WidgetId}"));
}

#[test]
fn a_404_for_one_service_skips_it_and_says_so() {
    fn route(path: &str) -> Reply {
        match path {
            "/" => Reply::Ok(INDEX_WITH_GONE),
            "/v1/gone/gone.json" => Reply::NotFound,
            other => good_route(other),
        }
    }
    let base = serve(route, 10);
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("downloaded 2 services"), "{err}");
    assert!(err.contains("gone: ") && err.contains("404"), "{err}");
    let status = String::from_utf8_lossy(&sb.run(&["catalog", "status"]).stdout).into_owned();
    assert!(
        status.contains("gone: "),
        "the skip is remembered: {status}"
    );
}

#[test]
fn a_hanging_server_times_out_and_leaves_the_catalog_untouched() {
    fn route(path: &str) -> Reply {
        match path {
            "/v1/demo/demo.json" => Reply::Hang(Duration::from_secs(5)),
            other => good_route(other),
        }
    }
    let base = serve(route, 10);
    let (sb, before) = Sandbox::new().with_existing_catalog();
    let started = std::time::Instant::now();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("timed out") && err.contains("demo.json"),
        "{err}"
    );
    assert!(err.contains("left as it was"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout applies"
    );
    assert_eq!(std::fs::read(sb.catalog_file()).unwrap(), before);
}

#[test]
fn garbage_is_refused_and_leaves_the_catalog_untouched() {
    fn garbage_index(path: &str) -> Reply {
        match path {
            "/" => Reply::Ok("<html>Service unavailable</html>"),
            other => good_route(other),
        }
    }
    fn garbage_service(path: &str) -> Reply {
        match path {
            "/v1/other/other.json" => Reply::Ok("{\"Name\": \"other\", \"Actions\": [{\"Na"),
            other => good_route(other),
        }
    }
    for (route, expected) in [
        (
            garbage_index as fn(&str) -> Reply,
            "not AWS's service reference index",
        ),
        (garbage_service, "truncated"),
    ] {
        let base = serve(route, 10);
        let (sb, before) = Sandbox::new().with_existing_catalog();
        let o = sb.run(&["catalog", "update", "--url", &base]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{}", stderr(&o));
        assert!(stderr(&o).contains(&base), "names the URL: {}", stderr(&o));
        assert_eq!(std::fs::read(sb.catalog_file()).unwrap(), before);
    }
}

#[test]
fn no_server_reads_as_offline() {
    // Bind then drop: the port is closed, so the connection is refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (sb, before) = Sandbox::new().with_existing_catalog();
    let o = sb.run(&[
        "catalog",
        "update",
        "--url",
        &format!("http://127.0.0.1:{port}/"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("are you offline?"), "{}", stderr(&o));
    assert_eq!(std::fs::read(sb.catalog_file()).unwrap(), before);
}

/// Runs `route` against a sandbox that already has a user catalog; the update must fail with
/// exit 2, say `expected`, and leave that catalog byte for byte.
fn assert_update_refused(route: fn(&str) -> Reply, expected: &[&str]) {
    let base = serve(route, 20);
    let (sb, before) = Sandbox::new().with_existing_catalog();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    for e in expected {
        assert!(stderr(&o).contains(e), "expected {e:?} in {}", stderr(&o));
    }
    assert!(stderr(&o).contains("left as it was"), "{}", stderr(&o));
    assert_eq!(std::fs::read(sb.catalog_file()).unwrap(), before);
    let leftovers = std::fs::read_dir(sb.catalog_file().parent().unwrap())
        .unwrap()
        .count();
    assert_eq!(leftovers, 1, "nothing staged is left behind");
}

#[test]
fn catalog_update_when_every_service_404s_keeps_the_catalog() {
    fn route(path: &str) -> Reply {
        match path {
            "/" => Reply::Ok(INDEX),
            _ => Reply::NotFound,
        }
    }
    assert_update_refused(route, &["2 of the 2 services", "404"]);
}

#[test]
fn catalog_update_refuses_a_redirect_to_another_host() {
    fn index_elsewhere(path: &str) -> Reply {
        match path {
            "/" => Reply::Redirect("http://evil.example/index.json"),
            other => good_route(other),
        }
    }
    fn service_elsewhere(path: &str) -> Reply {
        match path {
            "/v1/demo/demo.json" => Reply::Redirect("//evil.example/demo.json"),
            other => good_route(other),
        }
    }
    assert_update_refused(
        index_elsewhere,
        &["another host (http://evil.example/index.json)"],
    );
    assert_update_refused(service_elsewhere, &["another host"]);
}

#[test]
fn catalog_update_follows_a_redirect_on_the_same_host() {
    fn route(path: &str) -> Reply {
        match path {
            "/v1/demo/demo.json" => Reply::Redirect("/moved/demo.json"),
            "/moved/demo.json" => Reply::Ok(DEMO),
            other => good_route(other),
        }
    }
    let base = serve(route, 10);
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("downloaded 2 services"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn catalog_update_refuses_a_truncated_download() {
    fn route(path: &str) -> Reply {
        match path {
            "/v1/demo/demo.json" => Reply::Truncated(DEMO),
            other => good_route(other),
        }
    }
    assert_update_refused(route, &["demo.json"]);
}

#[test]
fn catalog_update_refuses_to_shrink_the_catalog_by_half() {
    fn route(path: &str) -> Reply {
        match path {
            "/" => Reply::Ok(r#"[{"service": "tiny", "url": "/v1/tiny/tiny.json"}]"#),
            "/v1/tiny/tiny.json" => Reply::Ok(
                r#"{"Name": "tiny", "Actions": [{"Name": "Do", "Annotations": {"Properties": {}}}]}"#,
            ),
            _ => Reply::NotFound,
        }
    }
    let base = serve(route, 20);
    let sb = Sandbox::new();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog/good");
    assert!(
        sb.run(&["catalog", "import", &good.display().to_string()])
            .status
            .success()
    );
    let before = std::fs::read(sb.catalog_file()).unwrap();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--allow-shrink"), "{}", stderr(&o));
    assert_eq!(std::fs::read(sb.catalog_file()).unwrap(), before);
    let o = sb.run(&["catalog", "update", "--url", &base, "--allow-shrink"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn catalog_update_progress_and_summary_hold_no_control_bytes() {
    fn route(path: &str) -> Reply {
        match path {
            "/" => Reply::Ok(
                r#"[{"service": "de\u001b]52;c;aGk=\u0007mo", "url": "/v1/demo/demo.json"}]"#,
            ),
            other => good_route(other),
        }
    }
    let base = serve(route, 10);
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "update", "--url", &base]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a service prefix"),
        "{}",
        stderr(&o)
    );
    assert!(
        !o.stderr.iter().any(|b| *b == 0x1b || *b == 0x07),
        "{}",
        stderr(&o)
    );
}
