//! The background life of a job: CREATED, then STARTED and RUNNING after the configured
//! delays, then each record checked against the vendor rules and stored or listed as
//! failed, then COMPLETED (failed records included), or ABORTED for a structural problem,
//! ERROR for an injected vendor outage, CANCELLED when a cancel arrived. At the end the
//! callback, if one was asked for, is delivered.

use crate::callback;
use crate::catalog::{self, ObjectSpec};
use crate::state::{AppState, now_ms};
use bulk_core::JobState;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;

/// The records of an upload file, as (field, value) pairs per record, in file order.
pub type Records = Vec<Vec<(String, String)>>;

/// Runs job `id` to its end.
pub async fn run(
    state: Arc<AppState>,
    id: u64,
    spec: ObjectSpec,
    header: Vec<String>,
    records: Records,
) {
    let step = Duration::from_millis(state.config.step_delay_ms);
    for next in [JobState::Started, JobState::Running] {
        tokio::time::sleep(step).await;
        if cancel_if_asked(&state, id) {
            return finish(&state, id).await;
        }
        set_state(&state, id, next);
    }
    if let Some(error) = structural_problem(&spec, &header, &records) {
        end(&state, id, JobState::Aborted, Some(error));
        return finish(&state, id).await;
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
        end(
            &state,
            id,
            JobState::Aborted,
            Some("The job was aborted by the platform (injected fault)".into()),
        );
        return finish(&state, id).await;
    }
    let row_delay = Duration::from_millis(extra_delay.unwrap_or(state.config.row_delay_ms));
    for (i, record) in records.iter().enumerate() {
        if !row_delay.is_zero() {
            tokio::time::sleep(row_delay).await;
        }
        if cancel_if_asked(&state, id) {
            return finish(&state, id).await;
        }
        if forced_end.as_deref() == Some("ERROR") && i * 2 >= records.len() {
            end(
                &state,
                id,
                JobState::Error,
                Some("The vendor API is unavailable (503 from Sage 200)".into()),
            );
            return finish(&state, id).await;
        }
        let verdict = catalog::vendor_check(&spec, record)
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
                let stored = nest(record, rid, now_ms());
                s.records
                    .entry(spec.name.to_string())
                    .or_default()
                    .push(stored);
            }
            Err(message) => {
                let echoed: Map<String, Value> = record
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                if let Some(job) = s.jobs.get_mut(&id) {
                    job.errors
                        .push(json!({"status": message, "recordNumber": i + 1, "record": echoed}));
                    job.status.records_failed_count =
                        Some(job.status.records_failed_count.unwrap_or(0) + 1);
                }
            }
        }
        if let Some(job) = s.jobs.get_mut(&id) {
            job.status.records_count = Some(i as u64 + 1);
        }
    }
    end(&state, id, JobState::Completed, None);
    finish(&state, id).await
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

/// Why the whole file cannot be processed, if it cannot.
fn structural_problem(spec: &ObjectSpec, header: &[String], records: &Records) -> Option<String> {
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
    if records.is_empty() {
        return Some("The file contains no records".into());
    }
    None
}

/// The key field must be unique among stored records.
fn unique_check(
    state: &AppState,
    spec: &ObjectSpec,
    record: &[(String, String)],
) -> Result<(), String> {
    let Some((_, value)) = record.iter().find(|(k, _)| k == spec.key_field) else {
        return Ok(());
    };
    let s = state.lock();
    let exists = s.records.get(spec.name).is_some_and(|rs| {
        rs.iter().any(|r| {
            r.get(spec.key_field)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(value.trim()))
        })
    });
    if exists {
        Err(format!(
            "409: A record with {} '{}' already exists",
            spec.key_field,
            value.trim()
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
    let (year, month, day) = bulk_core::excel_format::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_time_matches_known_instants() {
        assert_eq!(super::iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_time(1_795_922_645_768), "2026-11-29T03:24:05Z");
        assert_eq!(super::iso_time(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
