//! The few browser services the console uses (clipboard, notifications, session storage, the
//! `Intl` formatters, watching an element's size), each failing quietly where the browser
//! refuses: none of them is essential.
//!
//! Why not leptos-use (the house style prefers it): measured on 2026-11-29 with `trunk build
//! --release`, its `use_clipboard` and `use_document_visibility` (0.20, default features
//! off) in place of `copy_text` and the polling hook's `visibilitychange` listener made the
//! wasm 22,474 bytes larger (970,830 -> 993,304; gzip -9 396,830 -> 405,024, +8,194) for
//! the same behaviour; its session storage brings codecs on top. These few calls stay
//! hand-written.

use wasm_bindgen::closure::Closure;

/// The reader's language, as the browser reports it.
fn language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".into())
}

/// Whether the reader's language writes counts and relative times as `format`'s English
/// helpers do (`grouped_en`, `relative_words_en`: checked against Chromium's `Intl`): then
/// no `Intl` object is needed for them, and an English reader's first screen loads no locale
/// data. (en-IN groups by lakhs, en-ZA and en-CH with other separators: they use `Intl`.)
fn plain_english() -> bool {
    PLAIN_ENGLISH.with(|p| *p)
}

// The `Intl` formatters, made once: making one costs far more than using it, and a history
// of 100 runs formats hundreds of numbers and times as it first renders.
thread_local! {
    static PLAIN_ENGLISH: bool = matches!(
        language().as_str(),
        "en" | "en-US" | "en-GB" | "en-AU" | "en-CA" | "en-NZ" | "en-IE"
    );
    static LOCALES: js_sys::Array = js_sys::Array::of1(&language().into());
    static NUMBERS: js_sys::Function = LOCALES.with(|l| {
        js_sys::Intl::NumberFormat::new(l, &js_sys::Object::new()).format()
    });
    static RELATIVE: js_sys::Intl::RelativeTimeFormat = LOCALES.with(|l| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"numeric".into(), &"auto".into());
        js_sys::Intl::RelativeTimeFormat::new(l, &options)
    });
    static DATE_TIME: js_sys::Function = LOCALES.with(|l| {
        // What `Date.prototype.toLocaleString()` shows: numeric date and time.
        let options = js_sys::Object::new();
        for key in ["year", "month", "day", "hour", "minute", "second"] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &"numeric".into());
        }
        js_sys::Intl::DateTimeFormat::new(l, &options).format()
    });
    static LATIN_DIGITS: bool = NUMBERS.with(|f| {
        f.call1(&wasm_bindgen::JsValue::NULL, &1_234_567_890.0.into())
            .ok()
            .and_then(|v| v.as_string())
            .is_some_and(|s| s.chars().filter(char::is_ascii_digit).count() == 10)
    });
    static DAY: js_sys::Function = LOCALES.with(|l| short_date_format(l, false));
    static DAY_TIME: js_sys::Function = LOCALES.with(|l| short_date_format(l, true));
}

/// "1 Mar 2026" (or "Mar 1, 2026"), with "14:30" when `with_time`.
fn short_date_format(locales: &js_sys::Array, with_time: bool) -> js_sys::Function {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("day", "numeric");
    set("month", "short");
    set("year", "numeric");
    if with_time {
        set("hour", "numeric");
        set("minute", "2-digit");
    }
    js_sys::Intl::DateTimeFormat::new(locales, &options).format()
}

/// A day in the reader's locale ("1 Mar 2026"), with the time of day unless it is midnight
/// local time: how a filter's creation window reads.
pub fn short_date(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let midnight = date.get_hours() == 0 && date.get_minutes() == 0;
    let format = |f: &js_sys::Function| f.call1(&wasm_bindgen::JsValue::NULL, &date);
    if midnight {
        DAY.with(format)
    } else {
        DAY_TIME.with(format)
    }
    .ok()
    .and_then(|v| v.as_string())
    .unwrap_or_default()
}

/// A `datetime-local` input's value ("2026-03-01T08:30") as epoch ms in the reader's time
/// zone (`Date` reads a date-time without an offset as local time); None when it is not one.
pub fn local_input_ms(value: &str) -> Option<i64> {
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    ms.is_finite().then_some(ms as i64)
}

/// A count in the reader's locale ("12,345", "12 345", "12.345"). Below 1,000 no locale groups
/// digits: such a count is written here, without a call into the browser, unless the locale
/// writes other digits than 0–9 (a history row shows two counts, a hundred rows at once).
pub fn number(n: u64) -> String {
    if plain_english() {
        return crate::format::grouped_en(n);
    }
    if n < 1_000 && LATIN_DIGITS.with(|latin| *latin) {
        return n.to_string();
    }
    NUMBERS
        .with(|f| f.call1(&wasm_bindgen::JsValue::NULL, &(n as f64).into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// Makes the formatters a history's rows use, for a reader whose rows need `Intl` (not
/// `plain_english`). The page's first `Intl` object loads the browser's locale data (30-40 ms
/// of the main thread in Chromium, over 200 ms under a phone's CPU): done while the history's
/// answer is awaited, it is not in the way of drawing the rows. An English reader's rows need
/// no `Intl` at all (`exact_time`, `relative_time`, `number`): nothing is made for them.
pub fn warm_up_formats() {
    if !plain_english() {
        RELATIVE.with(|_| ());
        DATE_TIME.with(|_| ());
    }
}

/// The local date and time of `ms` as "2026-12-03 18:21:20", without `Intl` (the time zone's
/// offset from `Date`, which loads no locale data).
pub fn plain_date_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let offset_ms = -(date.get_timezone_offset() * 60_000.0) as i64;
    crate::format::plain_local(ms, offset_ms)
}

/// An exact time in a title (a history row's, the job's started and ended times):
/// "2026-12-03 18:21:20" for an English reader, whose pages then load no locale data, the
/// locale's own words for any other reader. The page's first `Intl` object costs 30-45 ms of
/// the main thread (in a profile of a deep link to a job, on the way to its log's tail); in
/// the history, drawing the rows a second time with the locale's words measured worse (a
/// 200 ms task and a second layout under Lighthouse's phone).
pub fn exact_time(ms: i64) -> String {
    if plain_english() {
        plain_date_time(ms)
    } else {
        date_time(ms)
    }
}

/// "5 minutes ago", "vor 5 Minuten": `Intl.RelativeTimeFormat` in the reader's locale.
pub fn relative_time(value: f64, unit: &str) -> String {
    if plain_english() {
        return crate::format::relative_words_en(value, unit);
    }
    RELATIVE.with(|f| f.format(value, unit).into())
}

/// The local date and time of `ms` since the epoch, in the reader's locale.
pub fn date_time(ms: i64) -> String {
    DATE_TIME
        .with(|f| {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            f.call1(&wasm_bindgen::JsValue::NULL, &date)
        })
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Asks for permission to notify (only when the person turned notifications on).
pub fn ask_notification_permission(done: impl FnOnce(bool) + 'static) {
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => return done(true),
        web_sys::NotificationPermission::Denied => return done(false),
        _ => {}
    }
    let Ok(promise) = web_sys::Notification::request_permission() else {
        return done(false);
    };
    let done = std::cell::RefCell::new(Some(done));
    let callback = Closure::once(move |value: wasm_bindgen::JsValue| {
        if let Some(d) = done.borrow_mut().take() {
            d(value.as_string().as_deref() == Some("granted"));
        }
    });
    let _ = promise.then(&callback);
    callback.forget();
}

pub fn notify(title: &str, body: &str) {
    if web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
        return;
    }
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    let _ = web_sys::Notification::new_with_options(title, &options);
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(key);
    }
}

/// Lets the browser download `url` as a link with `download` would (the server's answer is
/// an attachment, so the page stays where it is).
pub fn start_download(url: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(link) = document.create_element("a") else {
        return;
    };
    let _ = link.set_attribute("href", url);
    let _ = link.set_attribute("download", "");
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}

/// True unless the page is hidden (another tab, minimised).
pub fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.visibility_state() != web_sys::VisibilityState::Hidden)
        .unwrap_or(true)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's `ResizeObserver` (web-sys's binding is behind a feature this crate does
    /// not enable; these three calls are all it needs).
    type ResizeObserver;
    #[wasm_bindgen(constructor)]
    fn new(callback: &js_sys::Function) -> ResizeObserver;
    #[wasm_bindgen(method)]
    fn observe(this: &ResizeObserver, target: &web_sys::Element);
    #[wasm_bindgen(method)]
    fn disconnect(this: &ResizeObserver);
}

/// Calls its callback whenever an element it watches changes size (and once as each is first
/// watched), until it is dropped.
pub struct ResizeWatch {
    observer: ResizeObserver,
    _callback: Closure<dyn FnMut()>,
}

impl ResizeWatch {
    pub fn new(on_resize: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(on_resize);
        let observer = ResizeObserver::new(wasm_bindgen::JsCast::unchecked_ref(callback.as_ref()));
        ResizeWatch {
            observer,
            _callback: callback,
        }
    }

    pub fn watch(&self, element: &web_sys::Element) {
        self.observer.observe(element);
    }
}

impl Drop for ResizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Resolves in a task of its own once the browser is idle (`requestIdleCallback`; a zero
/// timeout where the browser has none): one chunk's work at a time after the first screen
/// instead of every chunk's in one long task; a background read's page at a time, never in a
/// frame the reader is scrolling.
pub async fn idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let has_idle =
            js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false);
        let asked = if has_idle {
            window.request_idle_callback(&resolve).map(|_| ())
        } else {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .map(|_| ())
        };
        if asked.is_err() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds (a macrotask: the browser draws and handles input meanwhile).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The window's inner height in CSS pixels (0 when the browser cannot tell).
pub fn window_height() -> i32 {
    leptos::prelude::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .map_or(0, |h| h as i32)
}
