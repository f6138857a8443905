//! The tools above the grid: which rows to show, undo and redo, the next problem, and the
//! downloads of the rows with their messages.

use crate::flow::Flow;
use crate::grid::{Filter, GridState};
use crate::model::plural;
use bulk_core::export::Rows;
use leptos::prelude::*;

/// The grid's toolbar.
#[component]
pub fn GridToolbar(
    /// The flow.
    flow: Flow,
    /// The grid.
    grid: GridState,
) -> impl IntoView {
    let problem_rows = move || {
        flow.review
            .checked
            .with(|c| c.as_ref().map(|c| c.problem_rows).unwrap_or(0))
    };
    let total = move || {
        flow.review
            .checked
            .with(|c| c.as_ref().map(|c| c.rows - c.deleted).unwrap_or(0))
    };
    let only_problems = move || grid.filter.get() == Filter::Problems;
    // Presses not answered yet: each moves on from where the one before landed, so two
    // quick presses move twice.
    let presses = StoredValue::new(0u32);
    let next_problem = move |_| {
        presses.update_value(|n| *n += 1);
        if presses.get_value() > 1 {
            return;
        }
        leptos::task::spawn_local(async move {
            while presses.try_get_value().is_some_and(|n| n > 0) {
                let after = grid.active.get_untracked().map(|a| a.0);
                if let Some((row, column)) = flow.fetch_next_problem(after).await {
                    if !grid.rows.with_untracked(|rows| rows.contains(row)) {
                        grid.filter.set(Filter::Problems);
                    }
                    grid.focus(row, column);
                }
                presses.update_value(|n| *n -= 1);
            }
        });
    };
    view! {
        <div class="grid-toolbar" role="toolbar" aria-label="Rows">
            <label class="toggle">
                <input
                    type="checkbox"
                    prop:checked=only_problems
                    on:change=move |ev| grid.filter.set(if event_target_checked(&ev) { Filter::Problems } else { Filter::All })
                />
                {move || format!(" Only rows with problems ({})", problem_rows())}
            </label>
            {move || match grid.filter.get() {
                Filter::Kind(kind, column) => Some(view! {
                    <span class="filter-chip">
                        {format!("Showing: {}{}", kind.label(), column.map(|c| format!(" in {c}")).unwrap_or_default())}
                        <button type="button" class="link" on:click=move |_| grid.filter.set(Filter::All)>
                            {move || format!("show all {}", plural(total(), "row", "rows"))}
                        </button>
                    </span>
                }),
                _ => None,
            }}
            {move || {
                let refused = flow.upload.ledger.with(|l| l.to_resubmit().len());
                (refused > 0).then(|| view! {
                    <label class="toggle">
                        <input
                            type="checkbox"
                            prop:checked=move || grid.filter.get() == Filter::Refused
                            on:change=move |ev| grid.filter.set(if event_target_checked(&ev) { Filter::Refused } else { Filter::All })
                        />
                        {format!(" Only rows the connector refused ({refused})")}
                    </label>
                })
            }}
            <span class="spacer-flex"></span>
            <button type="button" id="next-problem" on:click=next_problem disabled=move || problem_rows() == 0>"Next problem ↓"</button>
            <button
                type="button"
                on:click=move |_| flow.undo()
                disabled=move || !flow.review.undo.get().0
                title="Undo (Ctrl+Z)"
            >
                "↶ Undo"
            </button>
            <button
                type="button"
                on:click=move |_| flow.redo()
                disabled=move || !flow.review.undo.get().1
                title="Redo (Ctrl+Y)"
            >
                "↷ Redo"
            </button>
            <button type="button" on:click=move |_| flow.download(Rows::WithProblems) disabled=move || problem_rows() == 0>
                "Download rows with problems"
            </button>
            <button type="button" on:click=move |_| flow.download(Rows::All)>"Download all rows"</button>
        </div>
    }
}
