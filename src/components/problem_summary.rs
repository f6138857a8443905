//! The count that matters before uploading: how many rows will be sent and how many are
//! skipped, then every kind of problem counted per column. A count is a button that shows
//! only those rows; kinds with a known fix (extra spaces, a missing https://) can be fixed
//! in one click, as one undoable step.

use crate::flow::Flow;
use crate::grid::{Filter, GridState};
use crate::model::{plural, thousands};
use bulk_core::validate::{ProblemKind, Severity};
use leptos::prelude::*;

/// The validation summary and problem panel.
#[component]
pub fn ProblemSummary(
    /// The flow.
    flow: Flow,
    /// The grid, to filter.
    grid: GridState,
) -> impl IntoView {
    move || {
        flow.review.checked.with(|r| {
            let r = r.as_ref()?;
            let send = r.valid;
            let (errors, warnings, deleted) = (r.error_rows, r.warning_rows, r.deleted);
            // After an upload, the counts are of the rows not yet sent, as the Upload button
            // and the footer count them, and the rows sent are said apart: a row sent and
            // then edited into an error, or deleted, is sent, not skipped (counted twice, the
            // counts came to more rows than the file has).
            let (send, sent, possibly, errors, deleted) =
                match flow.review.standing.get().map(|s| s.totals) {
                    Some(t) if t.sent.rows() > 0 => {
                        (t.ready, t.sent.rows(), t.sent.possibly_sent, t.skipped, t.deleted)
                    }
                    _ => (send, 0, 0, errors, deleted),
                };
            let counts = r.counts_by_column.clone();
            let err_class = if errors > 0 { "bad" } else { "" };
            let fixes = r.fixable.clone();
            Some(view! {
                <div class="summary" role="status" aria-live="polite">
                    <p class="summary-line">
                        <strong data-testid="send-count">{plural(send, "row", "rows")}</strong>
                        {if sent > 0 {
                            // Rows whose upload lost its answer are not known to be sent.
                            let how = if possibly == sent {
                                " possibly sent already (the answer to their upload was lost)".to_string()
                            } else if possibly > 0 {
                                format!(" sent already, {} of them only possibly (the answer to their upload was lost)", thousands(possibly))
                            } else {
                                " sent already".to_string()
                            };
                            format!(" not yet sent will be sent; {}{how}. ", plural(sent, "row was", "rows were"))
                        } else {
                            format!(" of {} will be sent. ", thousands(r.rows - deleted))
                        }}
                        <span data-testid="error-rows" class=err_class>{plural(errors, "row has", "rows have")} " errors and will be skipped"</span>
                        "; " {plural(warnings, "row has", "rows have")} " only warnings."
                        {(deleted > 0).then(|| format!(" {} deleted by you.", plural(deleted, "row", "rows")))}
                    </p>
                    {(!counts.is_empty()).then(|| view! {
                        <table class="counts" aria-label="Problems by kind and column">
                            <tbody>
                                {counts.into_iter().map(|(kind, sev, column, n)| {
                                    let (icon, class) = match sev { Severity::Error => ("✖", "count-error"), Severity::Warning => ("⚠", "count-warning") };
                                    let filter = Filter::Kind(kind, column.clone());
                                    let label = format!("{icon} {}", kind.label());
                                    view! {
                                        <tr class=class>
                                            <td>
                                                <button type="button" class="link" on:click=move |_| { grid.filter.set(filter.clone()); grid.active.set(None); }>
                                                    {label}
                                                </button>
                                            </td>
                                            <td class="muted">{column.as_deref().map_or_else(|| "whole row".into(), crate::shown_rows::shown_name)}</td>
                                            <td class="num"><strong>{thousands(n)}</strong></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    {(!fixes.is_empty()).then(|| view! {
                        <p class="fixes">
                            {fixes.into_iter().map(|(kind, n)| {
                                let label = match kind {
                                    ProblemKind::Whitespace => format!("Trim extra spaces ({n})"),
                                    _ => format!("Add https:// to web addresses ({n})"),
                                };
                                view! {
                                    <button type="button" class="small-button" on:click=move |_| {
                                        flow.fix_all(kind);
                                    }>{label}</button>
                                }
                            }).collect_view()}
                        </p>
                    })}
                </div>
            })
        })
    }
}
