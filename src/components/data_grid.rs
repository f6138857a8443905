//! The rows of the file in a grid that stays fast at any size: only the rows in view are in
//! the page (the rest are two spacer rows of the right height), so 700,000 rows scroll as
//! smoothly as ten. Cells with problems carry a mark that is not colour alone (✖ error,
//! ⚠ warning) and show their message on hover and keyboard focus.

use crate::model::LoadedFile;
use crate::shared::Shared;
use bulk_core::table::Table;
use bulk_core::validate::{Problem, Report, Severity};
use leptos::prelude::*;

/// Height of one row in pixels; fixed so the visible window can be computed.
const ROW_HEIGHT: f64 = 34.0;
/// Height of the scrolling area in pixels.
const VIEWPORT: f64 = 440.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;
/// Browsers cap an element's height (Chromium near 33 million pixels); past this the
/// scroll range is compressed and the scroll position picks the row proportionally.
const MAX_SCROLL_PX: f64 = 16_000_000.0;

/// The grid of rows.
#[component]
pub fn DataGrid(
    /// The loaded file.
    #[prop(into)]
    file: Signal<Option<Shared<LoadedFile>>>,
    /// The validation of its rows, when an object is chosen.
    #[prop(into)]
    report: Signal<Option<Shared<Report>>>,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0f64);
    let header = move || {
        file.get().map(|f| {
            f.ingested
                .table
                .headers()
                .iter()
                .map(|h| view! { <th scope="col" title=h.clone()>{h.clone()}</th> })
                .collect_view()
        })
    };
    let width = move || {
        let cols = file
            .get()
            .map(|f| f.ingested.table.headers().len())
            .unwrap_or(0);
        format!("width:{}px", 70 + 56 + cols * 190)
    };
    let body = move || {
        let f = file.get()?;
        let table = &f.ingested.table;
        let n = table.len();
        let window = Window::at(scroll_top.get(), n);
        let report = report.get();
        let span = table.headers().len() + 2;
        let spacer = move |px: f64| {
            view! {
                <tr class="spacer" aria-hidden="true">
                    <td colspan=span style=format!("height:{px}px")></td>
                </tr>
            }
        };
        Some(view! {
            {spacer(window.above_px)}
            {(window.first..window.last).map(|i| row_view(table, i, report.as_deref())).collect_view()}
            {spacer(window.below_px)}
        })
    };
    view! {
        <div
            class="grid-viewport"
            style=format!("max-height:{VIEWPORT}px")
            tabindex="0"
            aria-label="Rows of the file"
            on:scroll=move |ev| {
                scroll_top.set(event_target::<web_sys::HtmlElement>(&ev).scroll_top() as f64);
            }
        >
            <table class="grid" style=width aria-rowcount=move || file.get().map(|f| f.ingested.table.len() + 1)>
                <thead>
                    <tr>
                        <th scope="col" class="col-line">"Line"</th>
                        <th scope="col" class="col-state"><span class="visually-hidden">"Status"</span></th>
                        {header}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// Which rows are in the page for a scroll position, and the spacer heights around them.
#[derive(Debug, PartialEq)]
struct Window {
    first: usize,
    last: usize,
    above_px: f64,
    below_px: f64,
}

impl Window {
    fn at(scroll_top: f64, rows: usize) -> Window {
        let full = rows as f64 * ROW_HEIGHT;
        let visible = (VIEWPORT / ROW_HEIGHT) as usize + 2 * OVERSCAN;
        if full <= MAX_SCROLL_PX {
            let first = ((scroll_top / ROW_HEIGHT) as usize)
                .saturating_sub(OVERSCAN)
                .min(rows);
            let last = (first + visible).min(rows);
            return Window {
                first,
                last,
                above_px: first as f64 * ROW_HEIGHT,
                below_px: (rows - last) as f64 * ROW_HEIGHT,
            };
        }
        // Compressed: the scroll fraction picks the first row; the rows sit where the
        // viewport is, inside a scroll range of MAX_SCROLL_PX.
        let range = (MAX_SCROLL_PX - VIEWPORT).max(1.0);
        let fraction = (scroll_top / range).clamp(0.0, 1.0);
        let first =
            ((fraction * rows.saturating_sub(visible - 2 * OVERSCAN) as f64) as usize).min(rows);
        let last = (first + visible).min(rows);
        let above = scroll_top.clamp(0.0, range);
        let drawn = (last - first) as f64 * ROW_HEIGHT;
        Window {
            first,
            last,
            above_px: above,
            below_px: (MAX_SCROLL_PX - above - drawn).max(0.0),
        }
    }
}

fn mark(severity: Option<Severity>) -> (&'static str, &'static str) {
    match severity {
        Some(Severity::Error) => ("✖", "error"),
        Some(Severity::Warning) => ("⚠", "warning"),
        None => ("", ""),
    }
}

fn row_view(table: &Table, index: usize, report: Option<&Report>) -> impl IntoView + use<> {
    let row = table.row(index);
    let line = row.map(|r| r.line()).unwrap_or(0);
    let problems: Vec<Problem> = report
        .map(|r| r.problems_of(index).cloned().collect())
        .unwrap_or_default();
    let severity = report.and_then(|r| r.row_severity(index));
    let (icon, tone) = mark(severity);
    let row_messages: Vec<String> = problems
        .iter()
        .filter(|p| p.column.is_none())
        .map(|p| p.message.clone())
        .collect();
    let state_label = match severity {
        Some(Severity::Error) => "not sent: has errors",
        Some(Severity::Warning) => "sent, with warnings",
        None if report.is_some() => "valid",
        None => "",
    };
    let cells = (0..table.headers().len())
        .map(|c| {
            let text = row
                .and_then(|r| r.get(c))
                .unwrap_or("")
                .replace(['\r', '\n'], " ↵ ");
            let mine: Vec<&Problem> = problems.iter().filter(|p| p.column == Some(c)).collect();
            let worst = mine.iter().map(|p| p.severity).max();
            let (icon, tone) = mark(worst);
            let tip = mine
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join(" · ");
            if mine.is_empty() {
                view! { <td><span class="cell-text">{text}</span></td> }.into_any()
            } else {
                view! {
                    <td class=format!("cell-{tone}") tabindex="0" aria-invalid="true">
                        <span class="cell-icon" aria-hidden="true">{icon}</span>
                        <span class="cell-text">{text}</span>
                        <span class="tip" role="tooltip">{tip}</span>
                    </td>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <tr class=format!("row-{tone}") aria-rowindex=index + 2>
            <td class="col-line">{line}</td>
            <td class="col-state" title=state_label aria-label=state_label>
                <span aria-hidden="true">{if severity.is_none() && report.is_some() { "✓" } else { icon }}</span>
                {(!row_messages.is_empty()).then(|| view! { <span class="tip" role="tooltip">{row_messages.join(" · ")}</span> })}
            </td>
            {cells}
        </tr>
    }
}
