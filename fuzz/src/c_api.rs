//! The checks of the `c_api` fuzz target, shared with the `cargo test` replay
//! (`bindings-c/tests/fuzz_regressions.rs` includes this file with `#[path]`).
//!
//! Arbitrary bytes (invalid UTF-8 and NULs included) go through the `extern "C"` entry points
//! of `reviewguard-ffi` exactly as a C caller passes them, as `(pointer, length)`; every
//! status is checked against what the input must give, every result is read back through the
//! accessors and freed (the fuzzer runs under AddressSanitizer with leak detection). The
//! crate is named `ffi` here: the fuzz crate renames `reviewguard-ffi` so, and the replay test
//! says `extern crate reviewguard as ffi`.

use ffi::{rg_buffer, rg_check_summary, rg_engine, rg_error, rg_findings, rg_outcome, rg_status};
use std::ffi::c_char;
use std::ptr;

/// An engine made by `rg_engine_new_default`, shared by every input of a run.
pub struct SharedEngine(pub *mut rg_engine);

// SAFETY: an `rg_engine` is immutable and documented as safe to use from any thread.
unsafe impl Send for SharedEngine {}
// SAFETY: as above.
unsafe impl Sync for SharedEngine {}

impl SharedEngine {
    /// Builds the default engine through the C ABI.
    pub fn new() -> SharedEngine {
        let mut engine: *mut rg_engine = ptr::null_mut();
        // SAFETY: a valid out-pointer; NULL error object.
        let st = unsafe { ffi::rg_engine_new_default(&mut engine, ptr::null_mut()) };
        assert_eq!(st, rg_status::Ok);
        assert!(!engine.is_null());
        SharedEngine(engine)
    }
}

impl Default for SharedEngine {
    fn default() -> Self {
        SharedEngine::new()
    }
}

/// The bytes of a buffer (checked: NUL-terminated, length as reported).
fn buffer_bytes(buf: *mut rg_buffer) -> Vec<u8> {
    assert!(!buf.is_null(), "OK status without a buffer");
    // SAFETY: `buf` is a live buffer returned by the library.
    let (data, len) = unsafe { (ffi::rg_buffer_data(buf), ffi::rg_buffer_len(buf)) };
    assert!(!data.is_null());
    // SAFETY: the library guarantees `len` bytes plus a NUL at `data`.
    let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len + 1) };
    assert_eq!(bytes.last(), Some(&0), "buffer not NUL-terminated");
    let out = bytes.get(..len).unwrap_or_default().to_vec();
    // SAFETY: `buf` came from the library and is not used afterwards.
    unsafe { ffi::rg_buffer_free(buf) };
    out
}

/// A library string `(ptr, len)`: NUL-terminated UTF-8.
fn lib_str(p: *const c_char, len: usize) -> String {
    assert!(!p.is_null());
    // SAFETY: the library guarantees `len` bytes plus a NUL at `p`.
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len + 1) };
    assert_eq!(bytes.last(), Some(&0), "string not NUL-terminated");
    String::from_utf8(bytes.get(..len).unwrap_or_default().to_vec())
        .expect("UTF-8 from the library")
}

/// After a failed call: the error object holds the same status, a message, and no NUL in
/// either string.
fn check_error(err: *mut rg_error, status: rg_status) {
    // SAFETY: `err` is a live error object.
    let code = unsafe { ffi::rg_error_code(err) };
    assert_eq!(code, status, "error object disagrees with the status");
    let mut len = usize::MAX;
    // SAFETY: `err` is live; `len` is valid for writes.
    let msg = unsafe { ffi::rg_error_message(err, &mut len) };
    let msg = lib_str(msg, len);
    assert!(!msg.is_empty(), "empty message for {status:?}");
    assert!(!msg.contains('\0'));
    let mut len = usize::MAX;
    // SAFETY: as above.
    let loc = unsafe { ffi::rg_error_location(err, &mut len) };
    if !loc.is_null() {
        assert!(!lib_str(loc, len).contains('\0'));
    }
    assert!(!ffi::rg_status_name(status as u32).is_null());
}

/// A status that is never acceptable: a caught panic or an internal error.
fn assert_not_broken(st: rg_status, what: &str) {
    assert!(
        !matches!(st, rg_status::Panic | rg_status::Internal),
        "{what} returned {st:?}"
    );
}

/// How an input is split: byte 0 holds flags, byte 1 the channel, then a length-prefixed
/// locale (byte 2 is its length), then the data.
struct Input<'a> {
    flags: u8,
    channel: u32,
    locale: &'a [u8],
    data: &'a [u8],
}

fn split(raw: &[u8]) -> Input<'_> {
    let byte = |i: usize| raw.get(i).copied().unwrap_or(0);
    let llen = usize::from(byte(2) % 16);
    let rest = raw.get(3..).unwrap_or_default();
    let (locale, data) = rest.split_at(llen.min(rest.len()));
    Input {
        flags: byte(0),
        channel: u32::from(byte(1) % 8),
        locale,
        data,
    }
}

/// `(pointer, length)` of an input, or `(NULL, 0)` for an empty one when `null_when_empty`
/// (the C ABI reads `(NULL, 0)` as the empty string).
fn arg(bytes: &[u8], null_when_empty: bool) -> (*const c_char, usize) {
    if bytes.is_empty() && null_when_empty {
        (ptr::null(), 0)
    } else {
        (bytes.as_ptr().cast(), bytes.len())
    }
}

/// `c_api`: the fuzz input through every entry point that reads input.
pub fn c_api(engine: &SharedEngine, raw: &[u8]) {
    let input = split(raw);
    let engine = engine.0.cast_const();
    let utf8 = std::str::from_utf8(input.data).ok();
    let null_empty = input.flags & 1 == 1;
    let (data, len) = arg(input.data, null_empty);

    let mut err: *mut rg_error = ptr::null_mut();
    // SAFETY: a valid out-pointer.
    assert_eq!(unsafe { ffi::rg_error_new(&mut err) }, rg_status::Ok);
    // With bit 1 set the calls get no error object (NULL is allowed).
    let err_arg = if input.flags & 2 == 2 {
        ptr::null_mut()
    } else {
        err
    };
    let after_failure = |st: rg_status| {
        if !err_arg.is_null() {
            check_error(err_arg, st);
        }
    };

    // rg_engine_evaluate_json
    let mut buf: *mut rg_buffer = ptr::null_mut();
    // SAFETY: live engine, `len` readable bytes at `data`, valid out-pointers.
    let st = unsafe { ffi::rg_engine_evaluate_json(engine, data, len, &mut buf, err_arg) };
    assert_not_broken(st, "rg_engine_evaluate_json");
    if utf8.is_none() {
        assert_eq!(st, rg_status::InvalidUtf8);
    }
    if st == rg_status::Ok {
        let out = buffer_bytes(buf);
        let out = String::from_utf8(out).expect("decision is UTF-8");
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{out}"
        );
    } else {
        assert!(buf.is_null(), "out-parameter written on failure");
        after_failure(st);
    }

    // rg_engine_check_line
    let mut line: *mut rg_buffer = ptr::null_mut();
    let mut outcome = rg_outcome::Clean;
    // SAFETY: as above.
    let st = unsafe {
        ffi::rg_engine_check_line(engine, 7, data, len, &mut line, &mut outcome, err_arg)
    };
    assert_not_broken(st, "rg_engine_check_line");
    match utf8 {
        None => {
            assert_eq!(st, rg_status::InvalidUtf8);
            assert!(line.is_null());
            after_failure(st);
        }
        Some(_) => {
            assert_eq!(st, rg_status::Ok);
            let out = String::from_utf8(buffer_bytes(line)).expect("line is UTF-8");
            assert!(!out.contains('\n'), "{out}");
            let v: serde_json::Value = serde_json::from_str(&out).expect("line is JSON");
            assert_eq!(
                v.get("error").is_some(),
                outcome == rg_outcome::Failed,
                "{out}"
            );
        }
    }

    // rg_engine_check_jsonl
    let mut output: *mut rg_buffer = ptr::null_mut();
    let mut summary = rg_check_summary::default();
    // SAFETY: as above.
    let st = unsafe {
        ffi::rg_engine_check_jsonl(engine, data, len, &mut output, &mut summary, err_arg)
    };
    assert_not_broken(st, "rg_engine_check_jsonl");
    match utf8 {
        None => {
            assert_eq!(st, rg_status::InvalidUtf8);
            assert!(output.is_null());
            after_failure(st);
        }
        Some(_) => {
            assert_eq!(st, rg_status::Ok);
            let out = String::from_utf8(buffer_bytes(output)).expect("output is UTF-8");
            assert_eq!(out.lines().count(), summary.items, "{out}");
            assert_eq!(summary.items, summary.decided + summary.failed);
            assert!(summary.with_violations <= summary.decided);
            for l in out.lines() {
                assert!(serde_json::from_str::<serde_json::Value>(l).is_ok(), "{l}");
            }
        }
    }

    // rg_engine_scan
    let (loc, loc_len) = arg(input.locale, true);
    let mut findings: *mut rg_findings = ptr::null_mut();
    // SAFETY: as above; the locale is `loc_len` readable bytes or (NULL, 0).
    let st = unsafe {
        ffi::rg_engine_scan(
            engine,
            data,
            len,
            input.channel,
            loc,
            loc_len,
            &mut findings,
            err_arg,
        )
    };
    assert_not_broken(st, "rg_engine_scan");
    let locale_ok = std::str::from_utf8(input.locale).is_ok();
    if utf8.is_none() || !locale_ok {
        assert_eq!(st, rg_status::InvalidUtf8);
    } else if input.channel > 5 {
        assert_eq!(st, rg_status::InvalidArgument);
    } else {
        assert_eq!(st, rg_status::Ok, "scan of a valid text fails");
    }
    if st == rg_status::Ok {
        check_findings(findings, input.data);
        // SAFETY: `findings` came from `rg_engine_scan` and is not used afterwards.
        unsafe { ffi::rg_findings_free(findings) };
    } else {
        assert!(findings.is_null());
        after_failure(st);
    }

    // rg_engine_new_from_pack (only when asked: compiling a pack is slow)
    if input.flags & 4 == 4 {
        let mut e2: *mut rg_engine = ptr::null_mut();
        // SAFETY: `len` readable bytes at `data`, valid out-pointers.
        let st = unsafe { ffi::rg_engine_new_from_pack(data, len, &mut e2, err_arg) };
        assert_not_broken(st, "rg_engine_new_from_pack");
        if utf8.is_none() {
            assert_eq!(st, rg_status::InvalidUtf8);
        }
        if st == rg_status::Ok {
            let mut id: *mut rg_buffer = ptr::null_mut();
            // SAFETY: live engine, valid out-pointer.
            let st = unsafe { ffi::rg_engine_pack_id(e2, &mut id, err_arg) };
            assert_eq!(st, rg_status::Ok);
            assert!(!buffer_bytes(id).is_empty());
            // SAFETY: `e2` came from `rg_engine_new_from_pack` and is not used afterwards.
            unsafe { ffi::rg_engine_free(e2) };
        } else {
            assert!(e2.is_null());
            after_failure(st);
        }
    }

    // A NULL pointer with a length is refused, whatever the data.
    if !input.data.is_empty() {
        let mut buf: *mut rg_buffer = ptr::null_mut();
        // SAFETY: NULL data with a length is a documented error case; nothing is read.
        let st = unsafe {
            ffi::rg_engine_evaluate_json(engine, ptr::null(), input.data.len(), &mut buf, err_arg)
        };
        assert_eq!(st, rg_status::NullWithLength);
        assert!(buf.is_null());
        after_failure(st);
    }

    // SAFETY: `err` came from `rg_error_new` and is not used afterwards.
    unsafe { ffi::rg_error_free(err) };
}

/// Reads every finding back through both accessors and checks it against the text passed in.
fn check_findings(findings: *mut rg_findings, text: &[u8]) {
    assert!(!findings.is_null());
    // SAFETY: `findings` is live.
    let n = unsafe { ffi::rg_findings_len(findings) };
    // SAFETY: as above.
    let items = unsafe { ffi::rg_findings_items(findings) };
    assert_eq!(items.is_null(), n == 0);
    let mut prev = 0;
    for i in 0..n {
        // SAFETY: `findings` is live and `i < n`.
        let f = unsafe { ffi::rg_findings_get(findings, i) };
        // SAFETY: `items` points to `n` findings.
        assert_eq!(f, unsafe { items.add(i) });
        // SAFETY: a non-NULL finding owned by the live `findings`.
        let f = unsafe { f.as_ref() }.expect("finding in range");
        assert!(
            f.start < f.end && f.end <= text.len(),
            "span {}..{}",
            f.start,
            f.end
        );
        assert!(f.start >= prev, "findings out of order");
        prev = f.start;
        let want = text.get(f.start..f.end).expect("span in range");
        assert!(
            std::str::from_utf8(want).is_ok(),
            "span off char boundaries"
        );
        assert_eq!(f.quote_len, f.end - f.start);
        assert_eq!(lib_str(f.quote, f.quote_len).as_bytes(), want);
        assert!(!lib_str(f.rule, f.rule_len).is_empty());
        assert!(!lib_str(f.why, f.why_len).is_empty());
        let (code, slug) = (
            ffi::rg_kind_code(f.kind as u32),
            ffi::rg_kind_slug(f.kind as u32),
        );
        assert!(!code.is_null() && !slug.is_null());
    }
    // SAFETY: `findings` is live; an index past the end gives NULL.
    assert!(unsafe { ffi::rg_findings_get(findings, n) }.is_null());
}
