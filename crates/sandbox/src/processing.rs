//! The background life of a job: CREATED, then STARTED and RUNNING after the configured
//! delays, then each record checked against the vendor rules and stored or listed as
//! failed, then COMPLETED (failed records included), or ABORTED for a structural problem,
//! ERROR for an injected vendor outage, CANCELLED when a cancel arrived. While the
//! `unknownStatus` switch is on, a job waits before its end. At the end the callback, if one
//! was asked for, is delivered.

use crate::callback;
use crate::catalog::ObjectSpec;
use crate::state::{AppState, RecordFailure, now_ms};
use crate::upload::{Record, Upload};
use crate::vendor;
use bulk_core::JobState;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// How often a job held by the `unknownStatus` switch looks whether it may go on.
const HOLD_POLL: Duration = Duration::from_millis(20);

/// Runs job `id` to its end.
pub async fn run(state: Arc<AppState>, id: u64, spec: ObjectSpec, upload: Upload) {
    let step = Duration::from_millis(state.config.step_delay_ms);
    for next in [JobState::Started, JobState::Running] {
        tokio::time::sleep(step).await;
        if cancel_if_asked(&state, id) {
            return finish(&state, id).await;
        }
        set_state(&state, id, next);
    }
    if let Some(error) = structural_problem(&spec, &upload) {
        return conclude(&state, id, JobState::Aborted, Some(error)).await;
    }
    let (forced_end, vendor_failure_percent, extra_delay) = {
        let s = state.lock();
        (
            s.faults.end_jobs_with.clone(),
            s.faults.vendor_failure_percent,
            s.faults.row_delay_ms,
        )
    };
    // An aborted job, as the platform aborts them: before any record is processed.
    if forced_end.as_deref() == Some("ABORTED") {
        let error = "The job was aborted by the platform (injected fault)";
        return conclude(&state, id, JobState::Aborted, Some(error.into())).await;
    }
    let records = &upload.records;
    let row_delay = Duration::from_millis(extra_delay.unwrap_or(state.config.row_delay_ms));
    for (i, record) in records.iter().enumerate() {
        if !row_delay.is_zero() {
            tokio::time::sleep(row_delay).await;
        }
        if cancel_if_asked(&state, id) {
            return finish(&state, id).await;
        }
        if forced_end.as_deref() == Some("ERROR") && i * 2 >= records.len() {
            let error = "The vendor API is unavailable (503 from Sage 200)";
            return conclude(&state, id, JobState::Error, Some(error.into())).await;
        }
        let verdict = vendor::check(&spec, record)
            .and_then(|()| unique_check(&state, &spec, record))
            .and_then(|()| {
                if vendor_failure_percent > 0 && fastrand::u8(0..100) < vendor_failure_percent {
                    Err("503: The vendor timed out processing this record".to_string())
                } else {
                    Ok(())
                }
            });
        let mut s = state.lock();
        match verdict {
            Ok(()) => {
                let rid = s.next_record;
                s.next_record += 1;
                let stored = nest(&record.values, rid, now_ms());
                s.records
                    .entry(spec.name.to_string())
                    .or_default()
                    .push(stored);
            }
            Err(message) => {
                if let Some(job) = s.jobs.get_mut(&id) {
                    job.errors.push(RecordFailure {
                        status: message,
                        record_number: i + 1,
                        values: record.values.clone(),
                    });
                    job.status.records_failed_count =
                        Some(job.status.records_failed_count.unwrap_or(0) + 1);
                }
            }
        }
        if let Some(job) = s.jobs.get_mut(&id) {
            job.status.records_count = Some(i as u64 + 1);
        }
    }
    conclude(&state, id, JobState::Completed, None).await
}

/// Ends the job as `last` and calls back; while the `unknownStatus` switch is on, waits
/// first (a cancel arriving meanwhile ends it CANCELLED instead).
async fn conclude(state: &Arc<AppState>, id: u64, last: JobState, error: Option<String>) {
    while state.lock().faults.unknown_status.is_some() {
        if cancel_if_asked(state, id) {
            return finish(state, id).await;
        }
        tokio::time::sleep(HOLD_POLL).await;
    }
    end(state, id, last, error);
    finish(state, id).await
}

fn set_state(state: &AppState, id: u64, next: JobState) {
    if let Some(job) = state.lock().jobs.get_mut(&id) {
        if next == JobState::Started {
            job.status.started_at_ms = Some(now_ms());
        }
        job.status.state = next;
    }
}

fn end(state: &AppState, id: u64, last: JobState, error: Option<String>) {
    if let Some(job) = state.lock().jobs.get_mut(&id) {
        job.status.state = last;
        job.status.error = error;
        job.status.finished_at_ms = Some(now_ms());
        job.status.records_count.get_or_insert(0);
        job.status.records_failed_count.get_or_insert(0);
    }
}

/// Moves a job with a pending cancel to CANCELLED; true when it did.
fn cancel_if_asked(state: &AppState, id: u64) -> bool {
    let asked = state
        .lock()
        .jobs
        .get(&id)
        .is_some_and(|j| j.cancel_requested);
    if asked {
        end(state, id, JobState::Cancelled, None);
    }
    asked
}

async fn finish(state: &Arc<AppState>, id: u64) {
    let (status, url) = {
        let s = state.lock();
        match s.jobs.get(&id) {
            Some(j) => (j.status.clone(), j.callback_url.clone()),
            None => return,
        }
    };
    if let Some(url) = url {
        callback::deliver(state, &url, &status).await;
    }
}

/// Why the whole file cannot be processed, if it cannot. Header names are compared exactly
/// as uploaded: a tenant does not guess that `Email ` or `\u{feff}email` meant `email`.
fn structural_problem(spec: &ObjectSpec, upload: &Upload) -> Option<String> {
    let header = &upload.header;
    if !header.iter().any(|h| h == spec.key_field) {
        return Some(format!(
            "All {} require '{}': the file's header has no '{}' column",
            spec.name, spec.key_field, spec.key_field
        ));
    }
    if let Some(unknown) = header.iter().find(|h| spec.metadata.field(h).is_none()) {
        return Some(format!(
            "Unable to retrieve vendor headers from provided file: '{unknown}' is not a field of {}",
            spec.name
        ));
    }
    if upload.records.is_empty() {
        return Some("The file contains no records".into());
    }
    None
}

/// The key field must be unique among stored records.
fn unique_check(state: &AppState, spec: &ObjectSpec, record: &Record) -> Result<(), String> {
    let Some(value) = record.get(spec.key_field) else {
        return Ok(());
    };
    let value = value.trim();
    let s = state.lock();
    let exists = s.records.get(spec.name).is_some_and(|rs| {
        rs.iter().any(|r| {
            r.get(spec.key_field)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
        })
    });
    if exists {
        Err(format!(
            "409: A record with {} '{}' already exists",
            spec.key_field, value
        ))
    } else {
        Ok(())
    }
}

/// A stored record: dotted names become nested objects; the vendor adds id and created time.
fn nest(record: &[(String, String)], id: u64, now: i64) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(id.to_string()));
    for (k, v) in record {
        if v.is_empty() {
            continue;
        }
        let mut target = &mut out;
        let parts: Vec<&str> = k.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            let entry = target
                .entry(p.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            target = match entry.as_object_mut() {
                Some(m) => m,
                None => return out,
            };
        }
        target.insert(parts[parts.len() - 1].to_string(), Value::String(v.clone()));
    }
    out.insert("date_time_created".into(), Value::String(iso_time(now)));
    out
}

/// `2026-11-29T03:24:05Z` from epoch milliseconds (UTC), as Sage 200 writes times.
pub fn iso_time(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// (year, month, day) of a day count since 1970-01-01, in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_time_matches_known_instants() {
        assert_eq!(super::iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_time(1_795_922_645_768), "2026-11-29T03:24:05Z");
        assert_eq!(super::iso_time(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(super::iso_time(-86_400_000), "1969-12-31T00:00:00Z");
    }
}
