//! Building the preview (documents, findings, highlighted JSON, the export tab) off the
//! input path.
//!
//! For a large role (thousands of statements) linting and rendering take far longer than a
//! frame. The event loop turns this on (`event_loop::use_background_preview`):
//! then [`App::refresh_preview`](super::app::App::refresh_preview) hands a snapshot of the role
//! to a worker thread instead of building in place, keys keep answering at once, and the loop
//! installs the finished preview (a frame or two later). Only the newest request waits while
//! one is being built; older ones are dropped. Tests and benchmarks that drive `update`
//! directly keep the synchronous build unless they ask for this.

use std::sync::Arc;
use std::thread::JoinHandle;

use crate::catalog::Catalog;
use crate::export::ExportFormat;
use crate::role::RoleSpec;

use super::preview::Preview;
use super::theme::Theme;
use crate::export::choice::Documents;

/// What the worker builds: the role (or its draft) at a revision, with the export choice.
pub struct PreviewJob {
    pub revision: u64,
    pub role: RoleSpec,
    pub catalog: Arc<Catalog>,
    pub theme: Theme,
    pub export: (ExportFormat, Documents),
}

impl PreviewJob {
    fn build(self) -> (u64, Preview) {
        let mut preview = Preview::build(&self.role, &self.catalog, &self.theme);
        preview.show_export(self.export.0, self.export.1, &self.theme);
        (self.revision, preview)
    }
}

/// One preview being built, and the newest one asked for meanwhile.
#[derive(Default)]
pub struct PreviewWorker {
    running: Option<JoinHandle<(u64, Preview)>>,
    queued: Option<PreviewJob>,
}

impl std::fmt::Debug for PreviewWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewWorker")
            .field("running", &self.running.is_some())
            .field("queued", &self.queued.as_ref().map(|j| j.revision))
            .finish()
    }
}

impl PreviewWorker {
    /// Asks for `job`: started now when the worker is idle, else kept (replacing an older
    /// waiting one) until the running build is done.
    pub fn request(&mut self, job: PreviewJob) {
        if self.running.is_some() {
            self.queued = Some(job);
        } else {
            self.running = Some(std::thread::spawn(move || job.build()));
        }
    }

    /// Whether a build is running or waiting.
    pub fn busy(&self) -> bool {
        self.running.is_some() || self.queued.is_some()
    }

    /// A finished preview, if one is ready (the waiting request then starts).
    pub fn poll(&mut self) -> Option<(u64, Preview)> {
        if !self.running.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let done = self.running.take()?.join().ok();
        if let Some(job) = self.queued.take() {
            self.request(job);
        }
        done
    }

    /// Waits for every request and returns the newest preview (benchmarks, tests).
    pub fn finish(&mut self) -> Option<(u64, Preview)> {
        let mut last = None;
        while let Some(running) = self.running.take() {
            last = running.join().ok();
            if let Some(job) = self.queued.take() {
                self.request(job);
            }
        }
        last
    }
}
