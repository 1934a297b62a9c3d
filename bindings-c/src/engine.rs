//! [`rg_engine`]: the compiled policy pack, and the calls that judge cases with it.

use crate::buffer::rg_buffer;
use crate::error::rg_error;
use crate::ffi::{self, guard, guard_value, input_str, Out};
use crate::status::rg_status;
use engine::jsonl::{self, LineOutcome};
use engine::Engine;
use std::ffi::c_char;

/// A decision engine: a compiled policy pack. Opaque.
///
/// Create it once with [`rg_engine_new_default`] or [`rg_engine_new_from_pack`], use it for
/// any number of calls, free it with [`rg_engine_free`].
///
/// Thread safety: immutable. Every function taking a `const rg_engine *` may be called from
/// any number of threads on the same engine at once; only [`rg_engine_free`] must not race
/// with other uses.
#[derive(Debug)]
pub struct rg_engine {
    pub(crate) inner: Engine,
}

/// What became of one JSON Lines item (the same three outcomes as the CLI's exit codes).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum rg_outcome {
    /// The case was judged and breaks no rule.
    Clean = 0,
    /// The case was judged and holds at least one violation.
    Violations = 1,
    /// The case could not be read; its output line is an error line.
    Failed = 2,
}

impl rg_outcome {
    fn of(outcome: &LineOutcome) -> rg_outcome {
        match outcome {
            LineOutcome::Decided(d) if d.violations.is_empty() => rg_outcome::Clean,
            LineOutcome::Decided(_) => rg_outcome::Violations,
            LineOutcome::Failed(_) => rg_outcome::Failed,
        }
    }
}

/// Counts over a JSON Lines batch ([`rg_engine_check_jsonl`]).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct rg_check_summary {
    /// Items read (non-blank lines, or elements of a JSON array).
    pub items: usize,
    /// Items judged (their output line is a decision).
    pub decided: usize,
    /// Items judged with at least one violation.
    pub with_violations: usize,
    /// Items that could not be read (their output line is an error line).
    pub failed: usize,
}

/// Builds an engine over the bundled default policy pack (`amazon-reviews`) and stores it in
/// `*engine_out`.
///
/// Building compiles the pack (milliseconds): do it once and share the engine. Each engine
/// owns its memory: [`rg_engine_free`] releases all of it. Thread-safe.
///
/// # Safety
///
/// `engine_out` must be NULL or valid for writing one pointer; `err` must be NULL or a live
/// error object not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_new_default(
    engine_out: *mut *mut rg_engine,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        let out = Out::new(engine_out, "engine_out")?;
        // Not `Engine::new()`, which keeps one default engine for the whole process: a C
        // caller expects `rg_engine_free` to give every byte back (and valgrind to agree).
        let inner = Engine::from_pack(Engine::default_pack_source())?;
        // SAFETY: `engine_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_engine { inner })) };
        Ok(())
    })
}

/// Builds an engine over a policy pack given as one TOML text (`pack`, `pack_len` bytes of
/// UTF-8) and stores it in `*engine_out`.
///
/// An invalid pack returns its error status (`RG_STATUS_PACK_SYNTAX`, ...) with the message
/// and the `FILE:LINE:COLUMN` location in `err`. Thread-safe.
///
/// # Safety
///
/// `pack` must be NULL or point to `pack_len` readable bytes; `engine_out` must be NULL or
/// valid for writing one pointer; `err` must be NULL or a live error object not used by another
/// thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_new_from_pack(
    pack: *const c_char,
    pack_len: usize,
    engine_out: *mut *mut rg_engine,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        let out = Out::new(engine_out, "engine_out")?;
        // SAFETY: forwarded caller contract on `pack` / `pack_len`.
        let text = unsafe { input_str(pack, pack_len, "pack") }?;
        let inner = Engine::from_pack_str(text)?;
        // SAFETY: `engine_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_engine { inner })) };
        Ok(())
    })
}

/// Input limits of an engine; over a limit, a case or text fails with
/// `RG_STATUS_LIMIT_EXCEEDED` and a location. Start from [`rg_limits_default`] and change
/// fields, then pass it to [`rg_engine_new_with_limits`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rg_limits {
    /// Bytes of one case's JSON (default 64 MiB).
    pub max_case_bytes: usize,
    /// Bytes of one text field, or of a scanned text (default 1 MiB).
    pub max_text_bytes: usize,
    /// Items in one list of a case: parties, relations, reviews, ... (default 200 000).
    pub max_list_len: usize,
    /// Levels of JSON nesting (default 64).
    pub max_json_depth: usize,
}

impl rg_limits {
    fn to_core(self) -> engine::Limits {
        engine::Limits {
            max_case_bytes: self.max_case_bytes,
            max_text_bytes: self.max_text_bytes,
            max_list_len: self.max_list_len,
            max_json_depth: self.max_json_depth,
            ..engine::Limits::default()
        }
    }
}

/// The default limits (the values documented on [`rg_limits`]). Thread-safe.
#[no_mangle]
pub extern "C" fn rg_limits_default() -> rg_limits {
    let d = engine::Limits::default();
    rg_limits {
        max_case_bytes: d.max_case_bytes,
        max_text_bytes: d.max_text_bytes,
        max_list_len: d.max_list_len,
        max_json_depth: d.max_json_depth,
    }
}

/// Builds an engine with explicit input limits and stores it in `*engine_out`: over the
/// bundled default pack when `pack` is NULL and `pack_len` is 0, else over the pack text (as
/// [`rg_engine_new_from_pack`]). `limits` NULL means [`rg_limits_default`]. Thread-safe.
///
/// # Safety
///
/// `pack` must be NULL or point to `pack_len` readable bytes; `limits` must be NULL or point
/// to one readable `rg_limits`; `engine_out` must be NULL or valid for writing one pointer;
/// `err` must be NULL or a live error object not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_new_with_limits(
    pack: *const c_char,
    pack_len: usize,
    limits: *const rg_limits,
    engine_out: *mut *mut rg_engine,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        let out = Out::new(engine_out, "engine_out")?;
        // SAFETY: `limits` is NULL or points to one readable `rg_limits` (caller's contract).
        let limits = unsafe { limits.as_ref() }
            .copied()
            .unwrap_or_else(|| rg_limits_default())
            .to_core();
        let source = if pack.is_null() && pack_len == 0 {
            Engine::default_pack_source()
        } else {
            // SAFETY: forwarded caller contract on `pack` / `pack_len`.
            engine::PackSource::from_text(unsafe { input_str(pack, pack_len, "pack") }?)
        };
        let inner = Engine::with_limits(source, limits)?;
        // SAFETY: `engine_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_engine { inner })) };
        Ok(())
    })
}

/// Frees an engine. NULL is ignored.
///
/// Thread safety: must not race with any other call using `engine`.
///
/// # Safety
///
/// `engine` must be NULL or come from `rg_engine_new_*` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_free(engine: *mut rg_engine) {
    // SAFETY: forwarded caller contract: NULL or from `rg_engine_new_*`, not used again.
    guard_value((), || unsafe { ffi::free_handle(engine) })
}

/// Stores the engine's pack id, `name@version` (as in every decision's `"pack"`), in a new
/// buffer at `*id_out`. Thread-safe (shared engine).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `id_out` must be NULL or valid for writing one
/// pointer; `err` must be NULL or a live error object not used by another thread.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_pack_id(
    engine: *const rg_engine,
    id_out: *mut *mut rg_buffer,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        // SAFETY: forwarded caller contract: NULL or a live engine.
        let engine = unsafe { ffi::handle(engine, "engine") }?;
        let out = Out::new(id_out, "id_out")?;
        let buf = rg_buffer::new(engine.inner.pack_id());
        // SAFETY: `id_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(buf)) };
        Ok(())
    })
}

/// Judges one case given as JSON (`json`, `json_len` bytes of UTF-8) and stores the decision
/// JSON in a new buffer at `*decision_out`.
///
/// The decision is one line without a trailing newline, byte-identical to the line
/// `reviewguard check` prints for the same case. A case that cannot be read returns its error
/// status (`RG_STATUS_DANGLING_REFERENCE`, ...) with message and JSON path in `err`; nothing is
/// stored then. Thread-safe (shared engine).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `json` must be NULL or point to `json_len` readable
/// bytes; `decision_out` must be NULL or valid for writing one pointer; `err` must be NULL or a
/// live error object not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_evaluate_json(
    engine: *const rg_engine,
    json: *const c_char,
    json_len: usize,
    decision_out: *mut *mut rg_buffer,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        // SAFETY: forwarded caller contract: NULL or a live engine.
        let engine = unsafe { ffi::handle(engine, "engine") }?;
        let out = Out::new(decision_out, "decision_out")?;
        // SAFETY: forwarded caller contract on `json` / `json_len`.
        let json = unsafe { input_str(json, json_len, "json") }?;
        let decision = engine.inner.evaluate_json(json)?;
        // SAFETY: `decision_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_buffer::new(decision.to_json()))) };
        Ok(())
    })
}

/// Judges one JSON Lines item the way `reviewguard check` does and stores its output line (no
/// trailing newline) at `*line_out` and its outcome at `*outcome_out`.
///
/// Unlike [`rg_engine_evaluate_json`], a case that cannot be read is not a failure: the call
/// returns `RG_STATUS_OK`, the line is the CLI's error line
/// (`{"case":..,"error":{"code":..,"location":..,"message":..},"line":N}`) and the outcome is
/// `RG_OUTCOME_FAILED`. `line` is the 1-based line number reported in error lines. This is the
/// call for a streaming filter that reads one line at a time. Thread-safe (shared engine).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `json` must be NULL or point to `json_len` readable
/// bytes; `line_out` and `outcome_out` must be NULL or valid for writes; `err` must be NULL or
/// a live error object not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_check_line(
    engine: *const rg_engine,
    line: usize,
    json: *const c_char,
    json_len: usize,
    line_out: *mut *mut rg_buffer,
    outcome_out: *mut rg_outcome,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        // SAFETY: forwarded caller contract: NULL or a live engine.
        let engine = unsafe { ffi::handle(engine, "engine") }?;
        let line_dst = Out::new(line_out, "line_out")?;
        let outcome_dst = Out::new(outcome_out, "outcome_out")?;
        // SAFETY: forwarded caller contract on `json` / `json_len`.
        let json = unsafe { input_str(json, json_len, "json") }?;
        let (text, outcome) = jsonl::check_line(&engine.inner, line, json);
        // SAFETY: both out-parameters are valid for writes by the caller's contract.
        unsafe {
            line_dst.write(ffi::into_handle(rg_buffer::new(text)));
            outcome_dst.write(rg_outcome::of(&outcome));
        }
        Ok(())
    })
}

/// Judges a whole JSON Lines input (or a JSON array of cases) exactly like
/// `reviewguard check`: stores its standard output, one line per item, each ending in `\n`, in
/// a new buffer at `*output_out`, and when `summary_out` is not NULL the counts there.
///
/// Blank lines are skipped; items that cannot be read become error lines carrying their line
/// number, as in the CLI; they do not make the call fail. The input must be valid UTF-8 (the
/// CLI replaces invalid bytes of a file with U+FFFD; this call returns
/// `RG_STATUS_INVALID_UTF8` instead). The CLI's exit code is 2 if `summary.failed > 0`, else 1
/// if `summary.with_violations > 0`, else 0. Thread-safe (shared engine).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `input` must be NULL or point to `input_len`
/// readable bytes; `output_out` must be NULL or valid for writing one pointer; `summary_out`
/// must be NULL or valid for writes; `err` must be NULL or a live error object not used by
/// another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_engine_check_jsonl(
    engine: *const rg_engine,
    input: *const c_char,
    input_len: usize,
    output_out: *mut *mut rg_buffer,
    summary_out: *mut rg_check_summary,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        // SAFETY: forwarded caller contract: NULL or a live engine.
        let engine = unsafe { ffi::handle(engine, "engine") }?;
        let out = Out::new(output_out, "output_out")?;
        // SAFETY: forwarded caller contract on `input` / `input_len`.
        let input = unsafe { input_str(input, input_len, "input") }?;
        let mut text = String::new();
        let mut summary = rg_check_summary::default();
        for (line, outcome) in jsonl::check_all(&engine.inner, input) {
            text.push_str(&line);
            text.push('\n');
            summary.items += 1;
            match rg_outcome::of(&outcome) {
                rg_outcome::Clean => summary.decided += 1,
                rg_outcome::Violations => {
                    summary.decided += 1;
                    summary.with_violations += 1;
                }
                rg_outcome::Failed => summary.failed += 1,
            }
        }
        // SAFETY: `output_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_buffer::new(text))) };
        if let Ok(dst) = Out::new(summary_out, "summary_out") {
            // SAFETY: `summary_out` is not NULL and valid for writes by the caller's contract.
            unsafe { dst.write(summary) };
        }
        Ok(())
    })
}
