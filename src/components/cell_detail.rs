//! The active cell, spelled out under the grid: its line, column and text, every problem
//! on it with the fix when one is known, and buttons to edit it or delete its row. This is
//! the keyboard user's tooltip, and the one-click way to apply a suggested fix.

use crate::flow::Flow;
use crate::grid::GridState;
use crate::shown_rows::ShownRow;
use bulk_core::validate::ProblemKind;
use leptos::prelude::*;

/// What a problem's button does.
enum Fix {
    /// Sets the cell to the suggested text.
    Use(String),
    /// Keeps the value as read (a cell whose quotes were dropped).
    Keep,
}

/// The active cell's details.
#[component]
pub fn CellDetail(
    /// The flow.
    flow: Flow,
    /// The grid.
    grid: GridState,
) -> impl IntoView {
    // The active cell's row, fetched again when the cell or the rows change. Until the
    // answer for the cell now active arrives, the cell fetched before stays (the panel
    // neither disappears nor jumps), marked busy.
    let fetched = RwSignal::new(None::<((usize, usize), ShownRow)>);
    let asks = crate::loading::Tickets::new();
    let pending = RwSignal::new(false);
    Effect::new(move |_| {
        flow.track_rows();
        let Some(cell) = grid.active.get() else {
            fetched.set(None);
            return;
        };
        pending.set(true);
        asks.latest(flow.fetch_shown(vec![cell.0], None), move |mut shown| {
            fetched.set(shown.pop().map(|s| (cell, s)));
            pending.set(false);
        });
    });
    let busy =
        move || pending.get() || fetched.with(|f| f.as_ref().map(|f| f.0) != grid.active.get());
    move || {
        grid.active.with(Option::is_some).then_some(())?;
        let ((row, col), shown) = fetched.get()?;
        let header = flow
            .reading
            .file
            .with(|f| {
                f.as_ref().map(|f| {
                    f.facts
                        .headers
                        .get(col)
                        .map(|h| crate::shown_rows::shown_name(h))
                })
            })?
            .unwrap_or_default();
        let (line, deleted) = (shown.line, shown.deleted);
        let (text, kept, cut_from) = shown
            .cells
            .get(col)
            .map(|c| (c.text.clone(), c.kept, c.cut_from))
            .unwrap_or_default();
        // A long text is shown cut: the editor has it whole.
        let cut_note = cut_from.map(|n| {
            format!(
                " … (the first {} of {} characters; Edit cell shows them all)",
                crate::shown_rows::SHOWN_CHARS,
                crate::model::thousands(n)
            )
        });
        // Each problem with its one-click fix: the suggestion, or for a cell whose quotes
        // were dropped, keeping the value as read (the warning quotes the value).
        let problems: Vec<(String, Option<Fix>)> = shown
            .problems
            .iter()
            .filter(|p| p.column.is_none() || p.column == Some(col))
            .map(|p| {
                let fix = match (&p.suggestion, p.kind) {
                    (Some(fix), _) => Some(Fix::Use(fix.clone())),
                    (None, ProblemKind::StrayQuote) => Some(Fix::Keep),
                    (None, _) => None,
                };
                (p.to_string(), fix)
            })
            .collect();
        Some(view! {
            <div class="cell-detail" aria-live="polite" aria-busy=move || if busy() { "true" } else { "false" } data-testid="cell-detail">
                <p>
                    <strong>{format!("Line {line}, column \u{201c}{header}\u{201d}")}</strong>
                    ": " <code>{if text.is_empty() { "(empty)".to_string() } else { text }}</code>
                    {cut_note}
                    {kept.then_some(" — kept as read")}
                    {deleted.then_some(" — deleted")}
                </p>
                {(!problems.is_empty()).then(|| view! {
                    <ul class="cell-problems">
                        {problems.into_iter().map(|(message, fix)| view! {
                            <li>
                                {message}
                                {fix.map(|fix| {
                                    let label = match &fix {
                                        Fix::Use(text) => format!("Use \u{201c}{text}\u{201d}"),
                                        Fix::Keep => "Keep the value as read".to_string(),
                                    };
                                    view! {
                                        " "
                                        <button type="button" class="small-button" on:click=move |_| match &fix {
                                            Fix::Use(text) => flow.edit_cells(vec![(row, col, text.clone())]),
                                            Fix::Keep => flow.keep_as_read(row, col),
                                        }>
                                            {label}
                                        </button>
                                    }
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                <div class="cell-actions">
                    <button type="button" class="small-button" on:click=move |_| {
                        grid.edit(flow, row, col, None);
                    }>"Edit cell (Enter)"</button>
                    <button type="button" class="small-button" on:click=move |_| {
                        grid.step(1, 0, 0);
                        flow.delete_rows(vec![row]);
                    }>{format!("Delete line {line}")}</button>
                </div>
            </div>
        })
    }
}
