//! The footer that always says what happens next ("10 rows ready · Go to Upload"), sticky
//! at the bottom of the window, with the one action that moves the person on. It reads the
//! flow and the rows' fates; it decides nothing.

use crate::browser;
use crate::flow::Flow;
use crate::model::{plural, thousands};
use leptos::prelude::*;

/// The next step, in words and one button.
#[component]
pub fn NextStep(
    /// The flow.
    flow: Flow,
) -> impl IntoView {
    let status = move || {
        if flow.conn.with(Option::is_none) {
            return (
                "Connect to the connector instance to begin.".to_string(),
                Some(("Go to Connect", "conn-base")),
            );
        }
        if let Some(p) = flow.progress.get() {
            return (format!("{}…", p.label), None);
        }
        let Some(totals) = flow.totals.get() else {
            return (
                "Choose the file to import.".to_string(),
                Some(("Choose a file", "file-input")),
            );
        };
        let skipped = if totals.skipped > 0 {
            format!(" · {} skipped (errors)", thousands(totals.skipped))
        } else {
            String::new()
        };
        if flow.uploading.get() || totals.sent.pending > 0 {
            let pending = totals.sent.pending;
            return (
                format!(
                    "Uploading: {} in running jobs{skipped}",
                    plural(pending, "row", "rows")
                ),
                Some(("Follow the jobs", "step-4")),
            );
        }
        if totals.ready > 0 {
            return (
                format!("{} ready{skipped}", plural(totals.ready, "row", "rows")),
                Some(("Go to Upload", "upload-button")),
            );
        }
        if totals.sent.rows() > 0 {
            let t = totals.sent;
            return (
                format!(
                    "Done: {} written, {} refused{skipped}",
                    thousands(t.written()),
                    thousands(t.failed)
                ),
                Some(("See the results", "step-4")),
            );
        }
        (
            format!("No row can be sent yet{skipped}: fix the rows in the grid."),
            Some(("Go to the rows", "step-3")),
        )
    };
    view! {
        <div class="next-step" role="status" aria-live="polite" data-testid="next-step">
            {move || {
                let (text, action) = status();
                view! {
                    <span>{text}</span>
                    {action.map(|(label, target)| view! {
                        <button type="button" class="primary" on:click=move |_| {
                            if target == "file-input" {
                                browser::click(target);
                            } else {
                                browser::focus_when_drawn(target);
                            }
                        }>{label}</button>
                    })}
                }
            }}
        </div>
    }
}
