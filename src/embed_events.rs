//! The events the app tells an embedding portal about, watched from the flow's state:
//! `connected`, `file-read`, `job-submitted`, `job-finished`, `all-finished` and `error`,
//! each once, in the order it happened ([`crate::embed`] listens and posts).

use crate::connecting::Fields;
use crate::embed::post;
use crate::flow::Flow;
use crate::host::Host;
use crate::notice::{Notice, Tone};
use bulk_core::host::HostEvent;
use leptos::prelude::*;
use std::collections::HashSet;

/// Turns what happens in the flow into events, each once, in the order it happened.
pub fn watch(flow: Flow, fields: Fields, host: Host) {
    Effect::new(move |last: Option<Option<String>>| {
        let now = flow
            .connection
            .conn
            .with(|c| c.as_ref().map(|c| c.base.origin()));
        if let (Some(origin), true) = (&now, now != last.flatten()) {
            let (hub, objects) = flow.connection.conn.with_untracked(|c| {
                c.as_ref()
                    .map(|c| (c.base.hub().map(str::to_string), c.objects.len()))
                    .unwrap_or_default()
            });
            post(
                host,
                &HostEvent::Connected {
                    origin: origin.clone(),
                    hub,
                    objects,
                },
            );
        }
        now
    });
    Effect::new(move |last: Option<Option<String>>| {
        let last = last.flatten();
        let read = flow.reading.file.with(|f| {
            let f = f.as_ref()?;
            flow.review.checked.with(|r| {
                // The report of this file (a new file is checked after it arrives).
                let r = r.as_ref().filter(|r| r.rows == f.facts.rows)?;
                Some((f.name.clone(), f.fingerprint.clone(), r.rows, r.error_rows))
            })
        });
        let Some((file, print, rows, problems)) = read else {
            return last;
        };
        let key = format!("{file}\u{0}{print}");
        if last.as_ref() != Some(&key) {
            post(
                host,
                &HostEvent::FileRead {
                    file,
                    rows,
                    problems,
                },
            );
        }
        Some(key)
    });
    let reported = StoredValue::new_local((
        HashSet::<String>::new(),
        HashSet::<String>::new(),
        String::new(),
    ));
    Effect::new(move |_| {
        let jobs = flow.upload.jobs.get();
        let uploading = flow.upload.uploading.get();
        let mut all_settled = !jobs.is_empty();
        // Oldest first: the list is newest first.
        for job in jobs.iter().rev() {
            let id = job.id.to_string();
            if reported.with_value(|r| !r.0.contains(&id)) {
                reported.update_value(|r| {
                    r.0.insert(id.clone());
                });
                post(
                    host,
                    &HostEvent::JobSubmitted {
                        job: id.clone(),
                        object: job.object.clone(),
                        rows: job.rows.len(),
                    },
                );
            }
            let Some(t) = job.tally.get() else {
                all_settled = false;
                continue;
            };
            if reported.with_value(|r| !r.1.contains(&id)) {
                reported.update_value(|r| {
                    r.1.insert(id.clone());
                });
                let state = job
                    .status
                    .with_untracked(|s| s.as_ref().map(|s| s.state.to_string()))
                    .unwrap_or_default();
                post(
                    host,
                    &HostEvent::JobFinished {
                        job: id,
                        state,
                        written: t.written,
                        failed: t.refused,
                        not_processed: t.not_processed,
                    },
                );
            }
        }
        let totals = flow.upload.ledger.with(|l| l.totals());
        if all_settled && !uploading && totals.pending == 0 {
            let batch: Vec<String> = jobs.iter().map(|j| j.id.to_string()).collect();
            let batch = batch.join(",");
            if reported.with_value(|r| r.2 != batch) {
                reported.update_value(|r| r.2 = batch);
                post(host, &HostEvent::AllFinished { totals });
            }
        }
    });
    for notice in [
        fields.notice,
        flow.connection.object_notice,
        flow.reading.file_notice,
        flow.upload.upload_notice,
    ] {
        report_errors(host, notice);
    }
}

fn report_errors(host: Host, notice: RwSignal<Option<Notice>>) {
    Effect::new(move |last: Option<Option<String>>| {
        let now = notice.with(|n| {
            n.as_ref()
                .filter(|n| n.tone == Tone::Error)
                .map(|n| n.title.clone())
        });
        if let (Some(message), true) = (&now, now != last.flatten()) {
            post(
                host,
                &HostEvent::Error {
                    message: message.clone(),
                },
            );
        }
        now
    });
}
