//! `from-activity` on a 1 GB trail (`{"Records": [...]}`, generated on the fly, never held
//! whole): throughput, and the peak memory of the process afterwards (printed), which stays
//! bounded by the largest event and the distinct resources kept per call, not the trail's size.
//! `TRAIL_MB` changes the size (default 1024).

use std::io::Read;

use rolesmith::activity::{Activity, trail};
use rolesmith::catalog::Catalog;

/// Printed after every benchmark ran: the trail bench's point is that memory stays flat.
pub fn print_peak_memory() {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            eprintln!("activity bench: {line}");
        }
    }
}

/// A CloudTrail S3 delivery file of about `bytes` bytes, produced as it is read.
struct Trail {
    left: u64,
    buf: Vec<u8>,
    at: usize,
    n: u64,
    closed: bool,
}

impl Trail {
    fn new(bytes: u64) -> Trail {
        Trail {
            left: bytes,
            buf: b"{\"Records\": [".to_vec(),
            at: 0,
            n: 0,
            closed: false,
        }
    }

    fn refill(&mut self) {
        self.buf.clear();
        self.at = 0;
        if self.left == 0 {
            if !self.closed {
                self.buf.extend_from_slice(b"]}");
                self.closed = true;
            }
            return;
        }
        let i = self.n;
        self.n += 1;
        let (source, name, params) = match i % 4 {
            0 => (
                "s3.amazonaws.com",
                "GetObject",
                format!(r#"{{"bucketName":"b","key":"in/{}/{}.csv"}}"#, i % 100, i),
            ),
            1 => (
                "s3.amazonaws.com",
                "PutObject",
                format!(r#"{{"bucketName":"b","key":"out/{}.csv"}}"#, i % 7),
            ),
            2 => (
                "dynamodb.amazonaws.com",
                "PutItem",
                r#"{"tableName":"t"}"#.to_string(),
            ),
            _ => (
                "sqs.amazonaws.com",
                "SendMessage",
                r#"{"queueUrl":"https://sqs.eu-west-1.amazonaws.com/111122223333/q"}"#.to_string(),
            ),
        };
        let sep = if i == 0 { "" } else { "," };
        let event = format!(
            r#"{sep}{{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s{i}","accountId":"111122223333","sessionContext":{{"sessionIssuer":{{"type":"Role","arn":"arn:aws:iam::111122223333:role/app","userName":"app"}}}}}},"eventTime":"2026-08-20T10:00:00Z","eventSource":"{source}","eventName":"{name}","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.10","userAgent":"bench","requestParameters":{params},"responseElements":null,"requestID":"R{i}","eventID":"E{i}","recipientAccountId":"111122223333"}}"#
        );
        self.left = self.left.saturating_sub(event.len() as u64);
        self.buf.extend_from_slice(event.as_bytes());
    }
}

impl Read for Trail {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buf.len() {
            self.refill();
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn from_activity_1gb_trail() -> usize {
    let mb: u64 = std::env::var("TRAIL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        // Run once under `cargo test` (not measuring): a small trail proves the path works.
        .unwrap_or(if crate::measuring() { 1024 } else { 1 });
    let catalog = Catalog::embedded();
    let ops = catalog.operations().expect("operations");
    let mut activity = Activity::default();
    trail::read_events("bench", Trail::new(mb * 1024 * 1024), &mut |e| {
        activity.record(&e, ops)
    })
    .expect("the generated trail reads");
    let kept: usize = activity
        .principals
        .values()
        .flat_map(|p| p.calls.values())
        .map(|c| c.resources.len())
        .sum();
    eprintln!(
        "activity bench: {} events, {kept} resources kept",
        activity.events
    );
    kept
}
