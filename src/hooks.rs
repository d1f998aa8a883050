//! `use_polling`: the polling discipline of `polling::Poller` wired to timers, the page's
//! visibility and signals. One request in flight at most; the view reads the signals.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::ClientError;
use crate::polling::{Next, Poller};

/// What a polled view reads.
#[derive(Clone, Copy)]
pub struct Polled<T: Send + Sync + 'static> {
    /// The last good answer.
    pub data: RwSignal<Option<T>>,
    /// The last error, until an answer comes again.
    pub error: RwSignal<Option<ClientError>>,
    /// Seconds until the next try after an error ("retrying in N s").
    pub retry_in: RwSignal<Option<u32>>,
    /// Ask now (and start watching again if polling had stopped).
    pub refresh: Callback<()>,
}

/// The signals an answer lands in: the data, the error, "retrying in N s".
type Signals<T> = (
    RwSignal<Option<T>>,
    RwSignal<Option<ClientError>>,
    RwSignal<Option<u32>>,
);

/// Shows an answer (or its failure) in the view's signals and says when to ask next.
fn record<T: Send + Sync + 'static>(
    result: Result<T, ClientError>,
    is_final: fn(&T) -> bool,
    poller: &mut Poller,
    (data, error, retry_in): Signals<T>,
) -> Next {
    match result {
        Ok(value) => {
            let done = is_final(&value);
            data.set(Some(value));
            error.set(None);
            retry_in.set(None);
            poller.succeeded(done)
        }
        Err(e) => {
            let session_over = e == ClientError::SessionExpired;
            error.set(Some(e));
            let next = poller.failed();
            if session_over {
                // Asking again cannot help until the person signs in.
                retry_in.set(None);
                Next::Wait
            } else {
                if let Next::After(ms) = next {
                    retry_in.set(Some(ms.div_ceil(1_000)));
                }
                next
            }
        }
    }
}

/// The "retrying in N s" countdown: one second less every second, never below 1.
fn count_down(retry_in: RwSignal<Option<u32>>) -> Option<IntervalHandle> {
    set_interval_with_handle(
        move || {
            if let Some(n) = retry_in.get_untracked() {
                retry_in.set(Some(n.saturating_sub(1).max(1)));
            }
        },
        Duration::from_secs(1),
    )
    .ok()
}

/// The poll's next step, run by `schedule`: one fetch (set once the fetch is known).
type Tick = Rc<RefCell<Option<Rc<dyn Fn()>>>>;
/// Runs the tick now, after a delay or not at all, as `Poller` said.
type Schedule = Rc<dyn Fn(Next)>;

/// A schedule whose timers find themselves outdated once a newer one was set (bumped
/// `generation`), or the view gone (`disposed`).
fn scheduler(tick: Tick, disposed: Arc<AtomicBool>) -> Schedule {
    let generation = Rc::new(RefCell::new(0u64));
    Rc::new(move |next: Next| {
        let mine = {
            let mut g = generation.borrow_mut();
            *g += 1;
            *g
        };
        let run = {
            let (tick, generation, disposed) = (tick.clone(), generation.clone(), disposed.clone());
            move || {
                if disposed.load(Ordering::SeqCst) || *generation.borrow() != mine {
                    return;
                }
                if let Some(t) = tick.borrow().clone() {
                    t();
                }
            }
        };
        match next {
            Next::Now => run(),
            Next::After(ms) => set_timeout(run, Duration::from_millis(u64::from(ms))),
            Next::Wait => {}
        }
    })
}

/// A hidden tab makes no requests; shown again, it asks at once. Until the view goes (then
/// the listener and the countdown go too).
fn follow_visibility(
    poller: Rc<RefCell<Poller>>,
    schedule: Schedule,
    disposed: Arc<AtomicBool>,
    countdown: Option<IntervalHandle>,
) {
    let on_visibility = Closure::<dyn Fn()>::new(move || {
        let hidden = document().visibility_state() == web_sys::VisibilityState::Hidden;
        let next = poller.borrow_mut().set_hidden(hidden);
        schedule(next);
    });
    let _ = document().add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    let on_visibility = SendWrapper::new(on_visibility);
    on_cleanup(move || {
        disposed.store(true, Ordering::SeqCst);
        let _ = document().remove_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        if let Some(c) = countdown {
            c.clear();
        }
    });
}

/// Polls `fetch` every `interval_ms` until `is_final` holds, following `Poller`'s rules.
pub fn use_polling<T, F, Fut>(interval_ms: u32, fetch: F, is_final: fn(&T) -> bool) -> Polled<T>
where
    T: Clone + Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, ClientError>> + 'static,
{
    let data = RwSignal::new(None::<T>);
    let error = RwSignal::new(None::<ClientError>);
    let retry_in = RwSignal::new(None::<u32>);
    let poller = Rc::new(RefCell::new(Poller::new(interval_ms)));
    let disposed = Arc::new(AtomicBool::new(false));
    let fetch = Rc::new(fetch);
    let tick: Tick = Rc::new(RefCell::new(None));
    let schedule = scheduler(tick.clone(), disposed.clone());

    *tick.borrow_mut() = Some(Rc::new({
        let (poller, schedule, disposed) = (poller.clone(), schedule.clone(), disposed.clone());
        move || {
            if !poller.borrow_mut().begin() {
                return;
            }
            let (poller, fetch, schedule, disposed) = (
                poller.clone(),
                fetch.clone(),
                schedule.clone(),
                disposed.clone(),
            );
            spawn_local(async move {
                let result = fetch().await;
                if disposed.load(Ordering::SeqCst) {
                    return;
                }
                let next = record(
                    result,
                    is_final,
                    &mut poller.borrow_mut(),
                    (data, error, retry_in),
                );
                schedule(next);
            });
        }
    }));

    follow_visibility(
        poller.clone(),
        schedule.clone(),
        disposed,
        count_down(retry_in),
    );
    let refresh = {
        let (poller, schedule) = (
            SendWrapper::new(poller.clone()),
            SendWrapper::new(schedule.clone()),
        );
        Callback::new(move |_| {
            let next = poller.borrow_mut().restart();
            schedule(next);
        })
    };
    if document().visibility_state() == web_sys::VisibilityState::Hidden {
        poller.borrow_mut().set_hidden(true);
    } else {
        schedule(Next::Now);
    }
    Polled {
        data,
        error,
        retry_in,
        refresh,
    }
}

/// Below this width of its own box a fold (a `<details>`: the job's facts, the log's tools)
/// opens folded: a phone's screen.
pub const FOLD_BELOW_PX: i32 = 600;

/// A `<details>` whose first state follows the width of its box, decided once, and which
/// then keeps the person's toggle (polls and redraws leave it as it is).
#[derive(Clone, Copy)]
pub struct Fold {
    /// Open or not; `None` until the box has been measured (then drawn open).
    pub open: RwSignal<Option<bool>>,
    /// The box was wide when measured (the fold opened by itself).
    pub wide: RwSignal<bool>,
}

impl Fold {
    /// Whether the `<details>` is drawn open.
    pub fn is_open(&self) -> bool {
        self.open.get().unwrap_or(true)
    }

    /// The `<details>`' `toggle` event: keeps what the person chose.
    pub fn toggled(&self, ev: leptos::ev::Event) {
        let now = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if self.open.get_untracked() != Some(now) {
            self.open.set(Some(now));
        }
    }
}

/// A fold for the box whose width `width` reads (a node ref's `client_width`, tracked), open
/// when that width is at least `FOLD_BELOW_PX`.
pub fn use_fold(width: impl Fn() -> Option<i32> + 'static) -> Fold {
    use_fold_when(move || width().map(|w| w >= FOLD_BELOW_PX))
}

/// A fold open when `roomy` says there is room (`None` until it can tell), decided once.
pub fn use_fold_when(roomy: impl Fn() -> Option<bool> + 'static) -> Fold {
    let fold = Fold {
        open: RwSignal::new(None),
        wide: RwSignal::new(false),
    };
    Effect::new(move |_| {
        if let Some(wide) = roomy() {
            if fold.open.get_untracked().is_none() {
                fold.wide.set(wide);
                fold.open.set(Some(wide));
            }
        }
    });
    fold
}
