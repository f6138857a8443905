//! One row of the grid: its line, its status mark (the row's fate: valid, skipped, sent and
//! what became of it) and its cells, each with its problem mark and message, or the editor
//! when the cell is being edited. Clicks on cells are heard by the grid's body.

use crate::grid::GridState;
use crate::shown_rows::{ShownCell, ShownRow};
use bulk_core::fate::Fate;
use bulk_core::outcome::Outcome;
use bulk_core::validate::{Problem, Severity};
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

pub(crate) fn mark(severity: Option<Severity>) -> (&'static str, &'static str) {
    match severity {
        Some(Severity::Error) => ("✖", "error"),
        Some(Severity::Warning) => ("⚠", "warning"),
        None => ("", ""),
    }
}

/// What a row is drawn from.
pub(crate) struct RowCtx<'a> {
    pub(crate) row: &'a ShownRow,
    pub(crate) active: Option<(usize, usize)>,
    pub(crate) editing: Option<(usize, usize)>,
    /// The columns drawn ([`crate::grid_window::columns_at`]); the others are spanned by an
    /// empty cell on each side.
    pub(crate) columns: std::ops::Range<usize>,
    /// `None` until the rows are checked.
    pub(crate) fate: Option<Fate<'a>>,
}

/// The id of a cell, for aria-activedescendant, and how a click finds its cell.
pub(crate) fn cell_id(row: usize, column: usize) -> String {
    format!("cell-{row}-{column}")
}

/// A cell's text as the grid shows it: line breaks as ↵, and an ellipsis after a text the
/// keeper cut ([`crate::shown_rows::cut`]).
fn shown_text(cell: &ShownCell) -> String {
    let mut shown = cell.text.replace(['\r', '\n'], " ↵ ");
    if cell.cut_from.is_some() {
        shown.push('…');
    }
    shown
}

/// The row and column of a cell's id ([`cell_id`]).
pub(crate) fn cell_of_id(id: &str) -> Option<(usize, usize)> {
    let (row, column) = id.strip_prefix("cell-")?.split_once('-')?;
    Some((row.parse().ok()?, column.parse().ok()?))
}

/// The cell a click in the grid's body landed in: the body listens for all its cells (a
/// listener or two on every cell made drawing the rows in view a third slower).
pub(crate) fn clicked_cell(ev: &leptos::ev::MouseEvent) -> Option<(usize, usize)> {
    use wasm_bindgen::JsCast;
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let cell = target.closest("td[id^='cell-']").ok()??;
    // The grid's own cell: a host page's table around the app may use such ids too.
    let body = ev.current_target()?.dyn_into::<web_sys::Node>().ok()?;
    if !body.contains(Some(&cell)) {
        return None;
    }
    cell_of_id(&cell.id())
}

pub(crate) fn row_view<K>(
    ctx: &RowCtx,
    grid: GridState,
    input: NodeRef<html::Textarea>,
    on_edit_key: K,
) -> impl IntoView + use<K>
where
    K: Fn(KeyboardEvent) + Copy + Send + Sync + 'static,
{
    let shown = ctx.row;
    let (index, line, problems) = (shown.index, shown.line, &shown.problems);
    let severity = shown.severity;
    let (icon, tone) = mark(severity);
    let row_messages: Vec<String> = problems
        .iter()
        .filter(|p| p.column.is_none())
        .map(|p| p.message.clone())
        .collect();
    let (outcome_icon, outcome_class, outcome_text) = match &ctx.fate {
        Some(Fate::Sent(Outcome::Written(..))) => ("↑", " sent-created", None),
        Some(Fate::Sent(Outcome::Pending(_))) => ("…", " sent-pending", None),
        Some(Fate::Sent(o @ (Outcome::Unconfirmed { .. } | Outcome::PossiblySent(_)))) => {
            ("↑?", " sent-unconfirmed", Some(o.describe()))
        }
        Some(Fate::Sent(o @ (Outcome::Failed(..) | Outcome::NotProcessed(..)))) => {
            ("⊘", " sent-failed", Some(o.describe()))
        }
        Some(Fate::Deleted | Fate::Skipped | Fate::Ready { .. }) | None => ("", "", None),
    };
    let state_label = ctx.fate.as_ref().map(Fate::describe).unwrap_or_default();
    let active_row = ctx.active.is_some_and(|a| a.0 == index);
    let width = shown.cells.len();
    let (first, last) = (ctx.columns.start.min(width), ctx.columns.end.min(width));
    // The columns not drawn, spanned as the header's widths lay them out.
    let gap = |span: usize| {
        (span > 0)
            .then(|| view! { <td class="cols-not-drawn" colspan=span aria-hidden="true"></td> })
    };
    // The columns in view, and the active and edited cells wherever they are: the editor
    // must stay in the page (it has the focus), and the active cell is the grid's
    // aria-activedescendant.
    let mut drawn: Vec<usize> = (first..last).collect();
    for (row, c) in [ctx.active, ctx.editing].into_iter().flatten() {
        if row == index && c < width && !(first..last).contains(&c) {
            drawn.push(c);
        }
    }
    drawn.sort_unstable();
    drawn.dedup();
    let cell_view = |c: usize, cell: &ShownCell| {
        let text = shown_text(cell);
        let mine: Vec<&Problem> = problems.iter().filter(|p| p.column == Some(c)).collect();
        let worst = mine.iter().map(|p| p.severity).max();
        let (icon, tone) = mark(worst);
        let tip = mine
            .iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join(" · ");
        let is_active = ctx.active == Some((index, c));
        let edited = cell.edited;
        let class = format!(
            "{}{}{}",
            if mine.is_empty() {
                String::new()
            } else {
                format!("cell-{tone}")
            },
            if is_active { " cell-active" } else { "" },
            if edited { " cell-edited" } else { "" }
        );
        if ctx.editing == Some((index, c)) {
            return view! {
                <td class="cell-active cell-editing" aria-colindex=c + 3>
                    // A text area, not an input: an input drops line breaks, and a cell with
                    // them lost them, without a word, when saved after an edit.
                    <textarea
                        class="cell-input"
                        // As many lines as the text has (up to six), over the rows below.
                        rows=move || grid.draft.with(|d| d.lines().count().clamp(1, 6))
                        aria-label=format!("Edit line {line}")
                        node_ref=input
                        prop:readOnly=move || grid.loading.get()
                        aria-busy=move || if grid.loading.get() { "true" } else { "false" }
                        prop:value=move || grid.draft.get()
                        on:input=move |ev| grid.draft.set(event_target_value(&ev))
                        on:keydown=on_edit_key
                    ></textarea>
                </td>
            }
            .into_any();
        }
        let id = cell_id(index, c);
        // The problem's message is the cell's description, so a screen reader reads it
        // with the value.
        let tip_id = (!mine.is_empty()).then(|| format!("{id}-tip"));
        let described_by = tip_id.clone();
        view! {
                <td
                    id=id
                    class=class
                    aria-colindex=c + 3
                    aria-invalid=if worst == Some(Severity::Error) { "true" } else { "false" }
                    aria-selected=if is_active { "true" } else { "false" }
                    aria-describedby=described_by
                >
                    {(!mine.is_empty()).then(|| view! { <span class="cell-icon" aria-hidden="true">{icon}</span> })}
                    <span class="cell-text">{text}</span>
                    {tip_id.map(|tid| view! { <span class="tip" role="tooltip" id=tid>{tip}</span> })}
                </td>
            }
            .into_any()
    };
    // The first column not laid out yet.
    let mut next = 0;
    let cells = drawn
        .into_iter()
        .filter_map(|c| Some((c, shown.cells.get(c)?)))
        .map(|(c, cell)| {
            let before = gap(c - next);
            next = c + 1;
            view! { {before} {cell_view(c, cell)} }
        })
        .collect_view();
    view! {
        <tr class=format!("row-{tone}{}", if active_row { " row-active" } else { "" }) aria-rowindex=index + 2>
            <td class="col-line" aria-colindex="1">{line}</td>
            <td class=format!("col-state{outcome_class}") aria-colindex="2" title=state_label.clone() aria-label=state_label.clone()>
                <span aria-hidden="true">{if severity.is_none() && shown.checked { "✓" } else { icon }}{outcome_icon}</span>
                {(!row_messages.is_empty() || outcome_text.is_some()).then(|| view! {
                    <span class="tip" role="tooltip">{row_messages.into_iter().chain(outcome_text).collect::<Vec<_>>().join(" · ")}</span>
                })}
            </td>
            {cells}
            {gap(width.saturating_sub(next))}
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_found_again_from_its_id() {
        for (row, column) in [(0, 0), (12, 3), (2_440_530, 10)] {
            assert_eq!(cell_of_id(&cell_id(row, column)), Some((row, column)));
        }
        // A message's id beside the cell is not a cell.
        assert_eq!(cell_of_id(&format!("{}-tip", cell_id(1, 2))), None);
        assert_eq!(cell_of_id("cell-1"), None);
        assert_eq!(cell_of_id("row-1-2"), None);
    }

    #[test]
    fn line_breaks_show_as_marks_and_a_cut_text_ends_with_an_ellipsis() {
        let cell = |text: &str, cut_from| ShownCell {
            text: text.into(),
            edited: false,
            kept: false,
            cut_from,
        };
        assert_eq!(shown_text(&cell("a\r\nb", None)), "a ↵  ↵ b");
        assert_eq!(shown_text(&cell("abc", Some(9_000))), "abc…");
        assert_eq!(shown_text(&cell("abc", None)), "abc");
    }
}
