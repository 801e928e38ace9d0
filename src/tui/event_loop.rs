//! The event loop: read an event, map it to an [`Action`], `update`, redraw.
//!
//! Only events that map to an action (and resizes) cause a redraw; a key that means nothing
//! here costs nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::error::{Error, Result};

use tui_input::InputRequest;

use super::action::Action;
use super::app::{App, update};
use super::background::PreviewWorker;
use super::draw::draw;
use super::keymap::Context;
use super::terminal::{TerminalGuard, Tui};
use super::tty_watch::{TtyWatch, Watched};
use super::widgets::field::{offer_paste, take_unconsumed_paste};

/// Set to `1` to make the wizard panic after its first frame, `after-edit` after the first
/// change to the role (tests of terminal restore and of the autosave on a panic).
pub const TEST_PANIC_ENV: &str = "ROLESMITH_TEST_PANIC";

/// The action an input event stands for, if any.
pub(crate) fn map_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if matches!(k.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            app.keymap.lookup(app.context(), k).or_else(|| {
                // The full-text popup (`v`) says "any key closes": a key that no binding of
                // its context names closes it too, instead of doing nothing.
                matches!(app.modal, Some(super::app::Modal::FullText { .. }))
                    .then_some(Action::Back)
            })
        }
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                up: true,
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                up: false,
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

/// Turns on building the preview off the input path (see `tui::background`); the event loop
/// does this for every session, so a large role still answers each key within a frame.
pub(crate) fn use_background_preview(app: &mut App) {
    app.background = Some(PreviewWorker::default());
}

/// Installs a preview the worker finished, if any; true when the screen needs a redraw.
pub(crate) fn catch_up(app: &mut App) -> bool {
    let graded = super::lesson_host::catch_up(app);
    // The API operations decoded off the input path for "add by API call", if just done.
    let operations = app.with_ctx(|cx| {
        super::steps::permissions::by_call::catch_up(&mut cx.sub(|s| &mut s.permissions))
    });
    let Some((revision, preview)) = app.background.as_mut().and_then(PreviewWorker::poll) else {
        return graded || operations;
    };
    install(app, revision, preview);
    true
}

/// Waits for the worker and installs the newest preview (tests).
pub(crate) fn wait_for_preview(app: &mut App) {
    if let Some((revision, preview)) = app.background.as_mut().and_then(PreviewWorker::finish) {
        install(app, revision, preview);
    }
    super::lesson_host::wait(app);
}

fn install(app: &mut App, _revision: u64, preview: super::preview::Preview) {
    app.preview = preview;
    // Findings may have come or gone: keep the Review selection inside the list.
    let n = app.preview.findings.len();
    app.steps.review.selected = app.steps.review.selected.min(n.saturating_sub(1));
    app.sync_export_preview();
}

/// A bracketed paste: into the focused text field, whole, as one edit (one undo step, one
/// lint). Line breaks, tabs and other control characters become spaces (fields hold one line);
/// outside a text field the paste is refused with a hint.
pub(crate) fn paste(app: &mut App, text: &str) {
    // The trust document's JSON editor takes a paste whole, line breaks kept.
    let on_document = app.modal.is_none()
        && app.focus == super::effect::Pane::Main
        && app.step == super::steps::Step::Trust;
    if on_document
        && app
            .with_ctx(|cx| super::steps::trust_document::paste(&mut cx.sub(|s| &mut s.trust), text))
    {
        return;
    }
    if app.context() != Context::Text {
        app.info("to paste, first open a text field for editing (Enter or i)");
        return;
    }
    let text: String = text
        .trim_end_matches(['\r', '\n'])
        .replace("\r\n", " ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let Some(first) = text.chars().next() else {
        return;
    };
    offer_paste(text);
    update(app, Action::Input(InputRequest::InsertChar(first)));
    // Not a form field (a list filter): type the rest.
    if let Some(rest) = take_unconsumed_paste() {
        for c in rest.chars().skip(1) {
            update(app, Action::Input(InputRequest::InsertChar(c)));
        }
    }
}

/// How often the loop looks for a signal while it waits for input (crossterm's poll does not
/// wake up for one). Short enough that SIGTERM/SIGHUP are handled at once, long enough to cost
/// nothing.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// How often the loop looks for a finished preview while one is being built (a frame).
const PREVIEW_CHECK: Duration = Duration::from_millis(16);

/// The signals that end the wizard cleanly: the terminal is restored and the autosave
/// written before the process ends the way the signal asks. SIGINT only arrives from `kill`:
/// in raw mode Ctrl-C is a key.
#[cfg(unix)]
const EXIT_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

/// Catches [`EXIT_SIGNALS`] into a flag for as long as it lives.
struct SignalCatcher {
    caught: Arc<AtomicUsize>,
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl SignalCatcher {
    fn install() -> SignalCatcher {
        let caught = Arc::new(AtomicUsize::new(0));
        #[cfg(unix)]
        let ids = EXIT_SIGNALS
            .iter()
            .filter_map(|&sig| {
                signal_hook::flag::register_usize(sig, Arc::clone(&caught), sig as usize).ok()
            })
            .collect();
        SignalCatcher {
            caught,
            #[cfg(unix)]
            ids,
        }
    }

    /// The signal caught, if any.
    fn caught(&self) -> Option<i32> {
        match self.caught.load(Ordering::Relaxed) {
            0 => None,
            sig => Some(sig as i32),
        }
    }

    /// Removes the handlers and ends the process as `sig` would have (its default action),
    /// so the parent sees how it ended.
    #[cfg(unix)]
    fn die_of(self, sig: i32) {
        drop(self);
        let _ = signal_hook::low_level::emulate_default_handler(sig);
    }
}

impl Drop for SignalCatcher {
    /// After the wizard, signals act as usual again.
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Runs the wizard until the user quits; returns the text to print on stdout, if any.
///
/// Every way out restores the terminal and keeps unsaved work in the autosave: quitting, a
/// terminal error, SIGTERM/SIGHUP/SIGINT (after which the process ends by that signal), and a
/// panic (the panic hook restores the terminal, the autosave is written here, and the panic
/// goes on).
pub fn run(mut app: App) -> Result<Option<String>> {
    let signals = SignalCatcher::install();
    let guard = TerminalGuard::enter()?;
    let mut guard = Some(guard);
    let looped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drive(&mut app, guard.as_mut().map(|g| &mut g.terminal), &signals)
    }));
    drop(guard);
    // Work that was not saved stays in the autosave (it is offered again at the next
    // start); quitting after "discard" or a save has already removed it.
    if app.dirty && !app.session.discarded {
        super::session::flush_autosave(&mut app);
    }
    // Lesson mode: the progress (role, hints, done) is written on every way out.
    super::lesson_host::save_now(&mut app);
    let looped = match looped {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    #[cfg(unix)]
    if let Some(sig) = signals.caught() {
        signals.die_of(sig);
    }
    looped?;
    Ok(app.print_on_exit.take())
}

/// Whether crossterm has an event to read, after waiting up to `wait` for one. crossterm is
/// only asked while the terminal is alive (see [`super::tty_watch`]): a hang-up is an error
/// here, which ends the loop the way a terminal error does (terminal released, autosave
/// written). Without a watch, crossterm waits itself.
fn input_ready(tty: &mut Option<TtyWatch>, wait: Duration) -> std::io::Result<bool> {
    let Some(watch) = tty else {
        return event::poll(wait);
    };
    let gone = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the terminal hung up");
    // A hang-up since the last look ends it here, before crossterm reads a dead terminal.
    if watch.wait(Duration::ZERO) == Watched::Gone {
        return Err(gone());
    }
    // Events crossterm already holds (several keys read at once) come first.
    if event::poll(Duration::ZERO)? {
        return Ok(true);
    }
    if watch.wait(wait) == Watched::Gone {
        return Err(gone());
    }
    event::poll(Duration::ZERO)
}

/// The loop itself: until the user quits, a signal arrives or the terminal fails.
fn drive(app: &mut App, terminal: Option<&mut Tui>, signals: &SignalCatcher) -> Result<()> {
    let io_err = |e: std::io::Error| Error::Other(format!("terminal error: {e}"));
    let Some(terminal) = terminal else {
        return Ok(());
    };
    use_background_preview(app);
    let size = terminal.size().map_err(io_err)?;
    update(app, Action::Resize(size.width, size.height));
    terminal.draw(|f| draw(app, f)).map_err(io_err)?;
    let mut tty = TtyWatch::open();
    let test_panic = std::env::var(TEST_PANIC_ENV).unwrap_or_default();
    if test_panic == "1" {
        panic!("forced panic after the first frame ({TEST_PANIC_ENV}=1)");
    }
    while !app.should_quit {
        if signals.caught().is_some() {
            return Ok(());
        }
        // Wake for input, when the autosave is due, to look for a signal, or (often, while
        // one is being built) to show a finished preview.
        let mut wait = app
            .session
            .wait_hint(Instant::now())
            .unwrap_or(SIGNAL_CHECK)
            .min(SIGNAL_CHECK);
        if app.background.as_ref().is_some_and(PreviewWorker::busy) || super::lesson_host::busy(app)
        {
            wait = wait.min(PREVIEW_CHECK);
        }
        if !input_ready(&mut tty, wait).map_err(io_err)? {
            super::session::tick(app, Instant::now());
            if catch_up(app) || app.status.is_some() {
                terminal.draw(|f| draw(app, f)).map_err(io_err)?;
            }
            continue;
        }
        let ev = event::read().map_err(io_err)?;
        if let Event::Paste(text) = &ev {
            paste(app, text);
            catch_up(app);
            terminal.draw(|f| draw(app, f)).map_err(io_err)?;
            continue;
        }
        let Some(action) = map_event(app, &ev) else {
            continue;
        };
        update(app, action);
        catch_up(app);
        if test_panic == "after-edit" && app.dirty {
            panic!("forced panic after an edit ({TEST_PANIC_ENV}=after-edit)");
        }
        if app.should_quit {
            break;
        }
        // Typing does not postpone the autosave for ever (see `Debouncer`).
        super::session::tick(app, Instant::now());
        if let Action::Resize(..) = action {
            terminal.autoresize().map_err(io_err)?;
        }
        terminal.draw(|f| draw(app, f)).map_err(io_err)?;
    }
    Ok(())
}
