//! The footer that always says what happens next on the step shown ("10 rows ready ·
//! Continue"), sticky at the bottom of the window, with the one action that moves the
//! person on. It reads the flow, the rows' fates and the step; it decides nothing.

use crate::browser;
use crate::flow::Flow;
use crate::model::{plural, thousands};
use crate::steps::StepId;
use bulk_core::fate::FileTotals;
use bulk_core::mapping::MappingProblem;
use leptos::prelude::*;

/// The footer's words before any connection (the first screen shows them too).
pub const CONNECT_HINT: &str = "Check the connector's address and secrets, then Continue.";

/// What the footer's button does.
#[derive(Clone, Copy)]
enum Action {
    /// Opens a step.
    Open(StepId),
    /// Clicks a control of the step shown (the same action, with its own checks).
    Click(&'static str),
    /// Moves the focus to an element of the step shown.
    Focus(&'static str),
}

/// The next step, in words and one button.
#[component]
pub fn NextStep(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let steps = flow.steps;
    let status = move || -> (String, Option<(&'static str, Action)>) {
        if let Some(p) = flow.reading.progress.get() {
            return (format!("{}…", p.label), None);
        }
        match steps.current.get() {
            // Continue always connects with what the form holds: after "Change" the person
            // may have edited it, and what is on screen must be what is used.
            StepId::Connect => match flow.connection.conn.get() {
                Some(_) => (
                    "Continue connects with the values above; “Keep the current connection” leaves it as it is.".into(),
                    Some(("Continue", Action::Click("connect-button"))),
                ),
                None => (
                    CONNECT_HINT.into(),
                    Some(("Continue", Action::Click("connect-button"))),
                ),
            },
            StepId::File => match flow.reading.file.get() {
                Some(f) => (
                    format!(
                        "{}: {} read.",
                        f.name,
                        plural(f.facts.rows, "row", "rows")
                    ),
                    Some(("Continue", Action::Open(StepId::Columns))),
                ),
                None => (
                    "Choose the file to import, or paste its rows.".into(),
                    Some(("Choose a file", Action::Click("file-input"))),
                ),
            },
            StepId::Columns => {
                let (mapped, columns, missing) = flow.reading.file.with(|f| {
                    let Some(f) = f else {
                        return (0, 0, Vec::new());
                    };
                    let headers = &f.facts.headers;
                    let (m, map) = (flow.connection.metadata.get(), flow.review.mapping.get());
                    let missing = m
                        .map(|m| map.problems(headers, &m))
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|p| match p {
                            MappingProblem::RequiredUnmapped(f) => Some(f),
                            _ => None,
                        })
                        .collect::<Vec<_>>();
                    let mapped = map.columns.iter().filter(|c| c.field.is_some()).count();
                    (mapped, headers.len(), missing)
                });
                // What the mapping means for the rows, once they are checked; nothing is
                // ready while the columns keep every row back (the Review step says why).
                let blocked = columns_block(flow).is_some();
                let rows = flow
                    .review
                    .standing
                    .get()
                    .map(|s| s.totals)
                    .filter(|_| !blocked)
                    .map(|t| format!(" · {} ready{}", plural(t.ready, "row", "rows"), skipped(t.skipped)))
                    .unwrap_or_default();
                let go = if mapped == 1 { "goes" } else { "go" };
                let text = if missing.is_empty() {
                    format!(
                        "{mapped} of {} {go} to a field{rows}.",
                        plural(columns, "column", "columns")
                    )
                } else {
                    format!(
                        "{mapped} of {} {go} to a field · required, with no column: {}{rows}.",
                        plural(columns, "column", "columns"),
                        missing.join(", ")
                    )
                };
                (text, Some(("Continue", Action::Open(StepId::Review))))
            }
            StepId::Review | StepId::Upload if columns_block(flow).is_some() => (
                columns_block(flow).unwrap_or_default(),
                Some(("Fix the columns", Action::Open(StepId::Columns))),
            ),
            StepId::Review => match flow.review.standing.get().map(|s| s.totals) {
                Some(t) if t.ready > 0 => (
                    format!(
                        "{} ready{}",
                        plural(t.ready, "row", "rows"),
                        skipped(t.skipped)
                    ),
                    Some(("Continue", Action::Open(StepId::Upload))),
                ),
                Some(t) if t.sent.rows() > 0 => (
                    format!("All rows sent{}.", skipped(t.skipped)),
                    Some(("See the jobs", Action::Open(StepId::Upload))),
                ),
                Some(t) => (
                    format!(
                        "No row can be sent yet{}: fix the rows in the grid.",
                        skipped(t.skipped)
                    ),
                    Some(("Go to a problem", Action::Click("next-problem"))),
                ),
                None => ("Checking the rows…".into(), None),
            },
            StepId::Upload => {
                // Jobs of earlier files (or followed again after a reload) still running are
                // said too: the current file's totals do not count them.
                let running = |jobs: &Vec<crate::jobs::JobView>| {
                    jobs.iter()
                        .filter(|j| j.tally.with(Option::is_none))
                        .count()
                };
                let elsewhere = flow.upload.history.with(running);
                let also = if elsewhere > 0 {
                    format!(
                        " · {} of earlier files still running",
                        plural(elsewhere, "job", "jobs")
                    )
                } else {
                    String::new()
                };
                let Some(t) = flow.review.standing.get().map(|s| s.totals) else {
                    let here = flow.upload.jobs.with(running);
                    return (
                        format!(
                            "Following {} from earlier ({} still running).",
                            plural(flow.upload.jobs.with(Vec::len), "job", "jobs"),
                            here
                        ),
                        Some(("Choose a file", Action::Open(StepId::File))),
                    );
                };
                let (text, action) = upload_status(flow, t);
                (format!("{text}{also}"), action)
            }
        }
    };
    view! {
        <div class="next-step" role="status" aria-live="polite" data-testid="next-step">
            {move || {
                let (text, action) = status();
                view! {
                    <span>{text}</span>
                    {action.map(|(label, action)| view! {
                        <button type="button" class="primary" id="next-step-action" data-testid="next-step-action" on:click=move |ev| {
                            // The second click of a double click would land on the next
                            // step's button, drawn in the same place: a step skipped unseen.
                            if ev.detail() > 1 {
                                return;
                            }
                            match action {
                                Action::Open(s) => steps.go(s),
                                Action::Click(id) => browser::click(id),
                                Action::Focus(id) => browser::focus_when_drawn(id),
                            }
                        }>{label}</button>
                    })}
                }
            }}
        </div>
    }
}

/// The Upload step's footer for the current file's totals.
fn upload_status(flow: Flow, t: FileTotals) -> (String, Option<(&'static str, Action)>) {
    if flow.upload.uploading.get() || t.sent.pending > 0 {
        (
            format!(
                "Uploading: {} in running jobs{}",
                plural(t.sent.pending, "row", "rows"),
                skipped(t.skipped)
            ),
            Some(("Follow the jobs", Action::Focus("jobs-heading"))),
        )
    } else if t.ready > 0 && refuses_bulk(flow) {
        (
            format!(
                "“{}” takes no bulk uploads on this connector",
                flow.connection.object.get().unwrap_or_default()
            ),
            Some(("Choose another object", Action::Open(StepId::File))),
        )
    } else if t.ready > 0 && flow.upload_held() {
        (
            format!(
                "{} ready · this file was uploaded before: check, then tick the box to upload",
                plural(t.ready, "row", "rows"),
            ),
            Some(("Go to the box", Action::Focus("earlier-uploads-ack"))),
        )
    } else if t.ready > 0 {
        (
            format!(
                "{} ready to upload{}",
                plural(t.ready, "row", "rows"),
                skipped(t.skipped)
            ),
            Some(("Upload", Action::Click("upload-button"))),
        )
    } else if t.sent.rows() > 0 {
        let s = t.sent;
        // In the words of the totals above it, non-zero counts only.
        let parts: Vec<String> = [
            (s.created, "created"),
            (s.updated, "updated"),
            (s.upserted, "created or updated"),
            (s.failed, "refused"),
            (s.not_processed, "not processed"),
            (s.possibly_sent, "possibly sent"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{} {word}", thousands(n)))
        .collect();
        let text = format!("Done: {}{}", parts.join(" · "), skipped(t.skipped));
        // Only rows that can be told apart go again (refusals that name no row never do),
        // and only those valid now: the button says "Send failed rows again (0)" otherwise,
        // disabled, and the footer's click on it did nothing.
        let resendable = flow
            .review
            .standing
            .with(|s| s.as_ref().map_or(0, |s| s.resendable));
        if resendable > 0 {
            (
                text,
                Some(("Send failed rows again", Action::Click("resend-failed"))),
            )
        } else {
            (
                text,
                Some(("Import another file", Action::Open(StepId::File))),
            )
        }
    } else {
        (
            format!(
                "No row can be sent yet{}: fix the rows first.",
                skipped(t.skipped)
            ),
            Some(("Back to the rows", Action::Open(StepId::Review))),
        )
    }
}

/// " · 7 skipped (errors)", or nothing.
fn skipped(n: usize) -> String {
    if n > 0 {
        format!(" · {} skipped (errors)", thousands(n))
    } else {
        String::new()
    }
}

/// What keeps every row from being sent while the columns are as they are (a required
/// field without a column, two columns on one field), or nothing.
fn columns_block(flow: Flow) -> Option<String> {
    flow.review.checked.with(|c| {
        let problems = &c.as_ref()?.mapping_problems;
        let first = problems.first()?;
        Some(format!(
            "No row can be sent until the columns are fixed: {first}{}.",
            if problems.len() > 1 {
                format!(" (and {} more)", problems.len() - 1)
            } else {
                String::new()
            }
        ))
    })
}

/// Whether the connector refused bulk uploads for the chosen object.
fn refuses_bulk(flow: Flow) -> bool {
    let object = flow.connection.object.get().unwrap_or_default();
    flow.connection.no_bulk.with(|r| r.refused(&object))
}
