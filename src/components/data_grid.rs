//! The rows of the file in a grid that stays fast at any size and can be edited like a
//! spreadsheet. Only the rows in view are in the page (the rest are two spacer rows of the
//! right height), so 800,000 rows scroll as smoothly as ten; they are fetched from the rows
//! several screens at a time and kept, so a scroll draws at once. Cells with problems carry a
//! mark that is not colour alone (✖ error, ⚠ warning) and show their message on hover and
//! keyboard focus. Keys: arrows move, Enter or F2 edits, Enter saves, Shift+Enter or
//! Alt+Enter breaks the line, Escape cancels, Tab saves and moves right, Ctrl+Z / Ctrl+Y
//! undo and redo.

use crate::components::grid_row::{RowCtx, cell_id, clicked_cell, row_view};
use crate::flow::Flow;
use crate::grid::GridState;
use crate::grid_window::{STICKY_PX, VIEWPORT, Window, columns_at, resized, scroll_left_for};
use crate::model::MAX_SHOWN_COLUMNS;
use crate::shown_rows::ShownRow;
use crate::steps::StepId;
use bulk_core::fate::Fate;
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The grid of rows.
#[component]
pub fn DataGrid(
    /// The flow (file, edits, report and the edit actions).
    flow: Flow,
    /// What the grid shows and where the person is.
    grid: GridState,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0f64);
    // The sideways scroll position and the viewport's width (measured once the grid is
    // drawn, and again on every scroll and when the window is resized).
    let scroll_left = RwSignal::new(0.0f64);
    let seen = RwSignal::new(1_280.0f64);
    // The rows fetched around the window (ascending), with the version of the rows they
    // were fetched at.
    let kept = RwSignal::new(None::<(u64, Vec<ShownRow>)>);
    // Bumped whenever the rows shown or the rows themselves change.
    let version = RwSignal::new(0u64);
    // Rows asked for and not arrived yet, or an edit still on its way to the keeper of the
    // rows (the rows drawn are then about to change): the grid says it is busy (aria-busy),
    // for assistive technology and for the browser tests to wait on.
    let fetching = RwSignal::new(false);
    let viewport = NodeRef::<html::Div>::new();
    // The grid is one tab stop: the table has the focus and names the active cell with
    // aria-activedescendant; cells never take focus themselves.
    let table = NodeRef::<html::Table>::new();
    let input = NodeRef::<html::Textarea>::new();
    // Columns drawn: a file of thousands of columns (usually a wrong delimiter) would
    // otherwise draw every one in every row and hold the page for seconds.
    let width = move || {
        flow.reading.file.with(|f| {
            f.as_ref()
                .map(|f| f.facts.headers.len().min(MAX_SHOWN_COLUMNS))
                .unwrap_or(0)
        })
    };

    // Each column starts as wide as its content (header and the first rows), and the person
    // can drag its edge (or press Alt+←/→ on a cell) to resize it.
    let widths = RwSignal::new(Vec::<u32>::new());
    Effect::new(move |_| {
        let start = flow.reading.file.with(|f| {
            f.as_ref()
                .map(|f| f.facts.widths.clone())
                .unwrap_or_default()
        });
        widths.set(start);
    });
    // Bring the active cell into view when asked.
    // A reveal asked for while the rows of a new filter are on their way waits for them:
    // the active cell's place is in the list that is coming.
    let revealed = StoredValue::new(0u64);
    Effect::new(move |_| {
        let asked = grid.reveal.get();
        if grid.listing.get() || revealed.get_value() == asked {
            return;
        }
        revealed.set_value(asked);
        let Some(el) = viewport.get_untracked() else {
            return;
        };
        let Some((row, column)) = grid.active.get_untracked() else {
            return;
        };
        let n = grid.rows.with_untracked(|r| r.len());
        let pos = grid.position(row);
        let top = el.scroll_top() as f64;
        let target = Window::scroll_for(pos, n, top, el.client_height() as f64);
        if (target - top).abs() > 0.5 {
            el.set_scroll_top(target as i32);
            scroll_top.set(target);
        }
        // Sideways too: the columns out of view are not drawn, so a cell moved to with the
        // keyboard must be brought into view to be seen at all.
        let left = el.scroll_left() as f64;
        let target =
            widths.with_untracked(|w| scroll_left_for(column, w, left, el.client_width() as f64));
        if (target - left).abs() > 0.5 {
            el.set_scroll_left(target as i32);
            scroll_left.set(target);
        }
    });
    // Focus the editor when editing starts.
    Effect::new(move |_| {
        if grid.editing.get().is_some()
            && let Some(el) = input.get()
        {
            // The caret goes to the end, as F2 does in a spreadsheet.
            let _ = el.focus();
        }
    });

    let start_edit = move |row: usize, col: usize| {
        // The text drawn, if what is kept is of the rows as they are now.
        let drawn = kept.with_untracked(|k| {
            let (_, kept) = k.as_ref().filter(|k| k.0 == version.get_untracked())?;
            // (A cut text is not the cell's: the editor asks for the whole.)
            let cell = find_row(kept, row)?.cells.get(col)?;
            cell.cut_from.is_none().then(|| cell.text.clone())
        });
        grid.edit(flow, row, col, drawn);
    };
    let finish_edit = move |save: bool| {
        if grid.editing.get_untracked().is_some() {
            // Nothing typed, nothing changed: the text it opened with may be behind.
            if save {
                grid.save_draft(flow);
            }
            grid.editing.set(None);
            if let Some(el) = table.get_untracked() {
                let _ = el.focus();
            }
        }
    };
    let resize = move |c: usize, px: i32| {
        widths.update(|w| {
            if let Some(x) = w.get_mut(c) {
                *x = resized(*x, px);
            }
        })
    };
    let on_key = move |ev: KeyboardEvent| {
        if grid.editing.get_untracked().is_some() {
            return;
        }
        let w = width();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match ev.key().as_str() {
            "ArrowRight" | "ArrowLeft" if ev.alt_key() => {
                if let Some((_, c)) = grid.active.get_untracked() {
                    resize(c, if ev.key() == "ArrowRight" { 16 } else { -16 });
                }
            }
            "ArrowDown" => grid.step(1, 0, w),
            "ArrowUp" => grid.step(-1, 0, w),
            "ArrowRight" => grid.step(0, 1, w),
            "ArrowLeft" => grid.step(0, -1, w),
            "PageDown" => grid.step(12, 0, w),
            "PageUp" => grid.step(-12, 0, w),
            // Ctrl+Home and Ctrl+End: the first and the last cell of the rows shown.
            "Home" if ctrl => grid.step(isize::MIN / 2, -(w as isize), w),
            "End" if ctrl => grid.step(isize::MAX / 2, w as isize, w),
            "Home" => grid.step(0, -(w as isize), w),
            "End" => grid.step(0, w as isize, w),
            "Enter" | "F2" => match grid.active.get_untracked() {
                Some((r, c)) => start_edit(r, c),
                None => grid.step(0, 0, w),
            },
            "z" | "Z" if ctrl && ev.shift_key() => flow.redo(),
            "z" | "Z" if ctrl => flow.undo(),
            "y" | "Y" if ctrl => flow.redo(),
            _ => return,
        }
        ev.prevent_default();
    };
    let on_edit_key = move |ev: KeyboardEvent| {
        match ev.key().as_str() {
            // Shift+Enter or Alt+Enter: a line break in the cell.
            "Enter" if ev.shift_key() || ev.alt_key() => return,
            "Enter" => {
                finish_edit(true);
                grid.step(1, 0, width());
            }
            "Tab" => {
                finish_edit(true);
                grid.step(0, if ev.shift_key() { -1 } else { 1 }, width());
            }
            "Escape" => finish_edit(false),
            _ => return,
        }
        ev.prevent_default();
        ev.stop_propagation();
    };

    // A drag on a column's edge: where it started and the width then.
    let dragging = StoredValue::new(None::<(usize, i32, u32)>);
    let header = move || {
        flow.reading.file.with(|f| {
            f.as_ref().map(|f| {
                f.facts
                    .headers
                    .iter()
                    .take(MAX_SHOWN_COLUMNS)
                    .enumerate()
                    .map(|(c, h)| {
                        let w = move || widths.with(|w| w.get(c).copied().unwrap_or(190));
                        let h = crate::shown_rows::shown_name(h);
                        view! {
                            <th scope="col" title=h.clone() aria-colindex=c + 3 style:width=move || format!("{}px", w())>
                                {h.clone()}
                                <span
                                    class="col-resize"
                                    aria-hidden="true"
                                    on:pointerdown=move |ev: leptos::ev::PointerEvent| {
                                        ev.prevent_default();
                                        dragging.set_value(Some((c, ev.client_x(), w())));
                                        if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                            let _ = t.set_pointer_capture(ev.pointer_id());
                                        }
                                    }
                                    on:pointermove=move |ev: leptos::ev::PointerEvent| {
                                        if let Some((col, x, start)) = dragging.get_value() {
                                            let px = resized(start, ev.client_x().saturating_sub(x));
                                            widths.update(|w| if let Some(v) = w.get_mut(col) { *v = px });
                                        }
                                    }
                                    on:pointerup=move |_| dragging.set_value(None)
                                ></span>
                            </th>
                        }
                    })
                    .collect_view()
            })
        })
    };
    // Sizes go through the CSSOM (`style:`), never a `style` attribute: a portal's strict
    // Content-Security-Policy (no 'unsafe-inline' styles) blocks attributes, not the CSSOM.
    let table_width = move || {
        format!(
            "{}px",
            STICKY_PX + widths.with(|w| w.iter().map(|w| f64::from(*w)).sum::<f64>())
        )
    };
    // The rows drawn (a memo: a scroll within a row's height draws nothing again) and the
    // columns drawn (those in view and some more; the header has them all).
    let window = Memo::new(move |_| Window::at(scroll_top.get(), grid.rows.with(|r| r.len())));
    let columns = Memo::new(move |_| widths.with(|w| columns_at(scroll_left.get(), seen.get(), w)));
    // The row being edited scrolled out of the rows drawn, or out of the rows shown (another
    // filter): the edit is saved and the editor closed, as when another cell is clicked. The
    // editor went with its row, the focus with it, and what was typed next was lost.
    Effect::new(move |_| {
        let window = window.get();
        let gone = grid.rows.with(|rows| {
            grid.editing.get_untracked().is_some_and(|(row, _)| {
                !rows.contains(row) || !(window.first..window.last).contains(&rows.position(row))
            })
        });
        if gone && !grid.listing.get_untracked() {
            finish_edit(true);
        }
    });
    // (`try_`: it may run from a task after the grid is gone.)
    let measure = move || {
        if let Some(el) = viewport.try_get_untracked().flatten() {
            let width = f64::from(el.client_width());
            if width > 0.0
                && seen
                    .try_get_untracked()
                    .is_some_and(|s| (width - s).abs() > 0.5)
            {
                seen.try_set(width);
            }
        }
    };
    let resizing = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resizing.remove());
    // The rows are drawn in a task of their own, after the step's controls: drawn together,
    // opening the Review step the first time on a large file was one 60-80 ms task (the
    // code runs for the first time) during which the page could not answer.
    let rows_drawn = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::browser::yield_now().await;
        measure();
        rows_drawn.try_set(true);
    });
    // The rows around the window are fetched (a margin of several screens each side) and
    // kept, so a scroll is drawn at once from what is kept; they are fetched again when the
    // window leaves them, or when the rows shown or the rows themselves change (until the
    // answer arrives the rows kept before are drawn). Only the latest answer is kept.
    Effect::new(move |_| {
        flow.track_rows();
        grid.rows.track();
        version.update(|v| *v += 1);
    });
    let fetches = crate::loading::Tickets::new();
    Effect::new(move |_| {
        if !rows_drawn.get() {
            return;
        }
        let now = version.get();
        let rows = grid.rows.get_untracked();
        let window = window.get();
        let covered = kept.with_untracked(|k| {
            k.as_ref().is_some_and(|(v, kept)| {
                *v == now
                    && (window.first..window.last)
                        .filter_map(|pos| rows.get(pos))
                        .all(|r| find_row(kept, r).is_some())
            })
        });
        if covered {
            return;
        }
        // Three screens each side, fewer for a wide file (down to one): each row is its
        // columns' worth of cells to send and read, and 200 rows of 200 columns took the page
        // 40 ms to read.
        let margin = (6_000 / width().max(1)).clamp(Window::visible(), 3 * Window::visible());
        let wanted = (window.first.saturating_sub(margin)..window.last + margin)
            .map_while(|pos| rows.get(pos))
            .collect();
        fetching.set(true);
        fetches.latest(flow.fetch_shown(wanted, None), move |shown| {
            kept.set(Some((now, shown)));
            fetching.set(false);
        });
    });
    // The rows' fates follow the upload's ledger while the grid is on screen; while it is
    // not (the Upload step shows), the rows are drawn again when it comes back (and once for
    // the first change after it went), not for every job sent or settled, which redrew
    // them, hidden, on the page's thread.
    let on_screen = move || flow.steps.showing(StepId::Review);
    let shown_again = RwSignal::new(0_u32);
    Effect::new(move |was: Option<bool>| {
        // Only when it comes back: the step shown again while on screen changes nothing.
        let now = on_screen();
        if now && was == Some(false) {
            shown_again.update(|n| *n = n.wrapping_add(1));
        }
        now
    });
    let body = move || {
        if !rows_drawn.get() {
            return None;
        }
        shown_again.track();
        let file = flow.reading.file.get()?;
        let rows = grid.rows.get();
        let window = window.get();
        let columns = columns.get();
        let active = grid.active.get();
        let editing = grid.editing.get();
        let span = file.facts.headers.len().min(MAX_SHOWN_COLUMNS) + 2;
        let spacer = move |px: f64| {
            view! {
                <tr class="spacer" aria-hidden="true">
                    <td colspan=span style:height=format!("{px}px")></td>
                </tr>
            }
        };
        let drawn = kept.with(|k| {
            let kept = k.as_ref().map(|k| k.1.as_slice()).unwrap_or(&[]);
            let draw = |ledger: &bulk_core::outcome::Ledger| {
                (window.first..window.last)
                    .filter_map(|pos| rows.get(pos))
                    .map(|r| match find_row(kept, r) {
                        Some(row) => {
                            let ctx = RowCtx {
                                row,
                                active,
                                editing,
                                columns: columns.clone(),
                                fate: row.checked.then(|| {
                                    Fate::of(row.index, ledger, row.deleted, row.severity)
                                }),
                            };
                            row_view(&ctx, grid, input, on_edit_key).into_any()
                        }
                        // Not arrived yet: its place, empty, for the moment it takes.
                        None => view! {
                            <tr class="row-pending" aria-hidden="true">
                                <td colspan=span></td>
                            </tr>
                        }
                        .into_any(),
                    })
                    .collect_view()
            };
            if untrack(on_screen) {
                flow.upload.ledger.with(draw)
            } else {
                flow.upload.ledger.with_untracked(draw)
            }
        });
        Some(view! {
            {spacer(window.above_px)}
            {drawn}
            {spacer(window.below_px)}
        })
    };
    let hidden_columns = move || {
        let n = flow
            .reading
            .file
            .with(|f| f.as_ref().map(|f| f.facts.headers.len()))?;
        (n > MAX_SHOWN_COLUMNS).then(|| view! {
            <p class="notice notice-warning" data-testid="columns-not-shown">
                {format!(
                    "The file has {} columns; the grid shows the first {MAX_SHOWN_COLUMNS}. The others are read, checked and sent as mapped. So many columns often means the delimiter is wrong: see the reading options.",
                    crate::model::thousands(n)
                )}
            </p>
        })
    };
    view! {
        {hidden_columns}
        <div
            class="grid-viewport"
            style:max-height=format!("{VIEWPORT}px")
            node_ref=viewport
            on:keydown=on_key
            on:scroll=move |ev| {
                let el = event_target::<web_sys::HtmlElement>(&ev);
                scroll_top.set(f64::from(el.scroll_top()));
                scroll_left.set(f64::from(el.scroll_left()));
                measure();
            }
        >
            <table
                class="grid"
                style:width=table_width
                role="grid"
                tabindex="0"
                aria-label="Rows of the file (arrows move, Enter edits)"
                aria-rowcount=move || grid.rows.with(|r| r.len() + 1)
                aria-colcount=move || width() + 2
                aria-activedescendant=move || grid.active.get().map(|(r, c)| cell_id(r, c))
                aria-busy=move || {
                    let edits = flow.review.edits_pending.get() > 0;
                    // Busy too before its rows are first drawn (a task after the grid).
                    let drawing = !rows_drawn.get() || fetching.get();
                    if drawing || grid.listing.get() || edits { "true" } else { "false" }
                }
                node_ref=table
            >
                <thead>
                    <tr>
                        <th scope="col" class="col-line" aria-colindex="1">"Line"</th>
                        <th scope="col" class="col-state" aria-colindex="2"><span class="visually-hidden">"Status"</span></th>
                        {header}
                    </tr>
                </thead>
                <tbody
                    on:click=move |ev| {
                        if let Some(cell) = clicked_cell(&ev) {
                            // A click on another cell leaves the editor, saving what was typed.
                            if grid.editing.get_untracked().is_some_and(|e| e != cell) {
                                finish_edit(true);
                            }
                            grid.active.set(Some(cell));
                            if let Some(t) = table.get_untracked() {
                                let _ = t.focus();
                            }
                        }
                    }
                    on:dblclick=move |ev| {
                        if let Some((row, column)) = clicked_cell(&ev) {
                            start_edit(row, column);
                        }
                    }
                >
                    {body}
                </tbody>
            </table>
        </div>
        <p class="grid-legend muted small" data-testid="grid-legend">
            <span class="visually-hidden">"Marks in the status column: "</span>
            <span><b aria-hidden="true">"✓"</b>" valid"</span>
            <span><b aria-hidden="true">"⚠"</b>" warning, still sent"</span>
            <span><b aria-hidden="true">"✖"</b>" error, not sent"</span>
            <span><b aria-hidden="true">"…"</b>" in a running job"</span>
            <span><b aria-hidden="true">"↑"</b>" written by the connector"</span>
            <span><b aria-hidden="true">"↑?"</b>" probably written (see the totals)"</span>
            <span><b aria-hidden="true">"⊘"</b>" refused or not processed"</span>
            <span>"Hover or select a marked cell to read its message."</span>
        </p>
    }
}

/// The row `index` among `kept` (ascending by index).
fn find_row(kept: &[ShownRow], index: usize) -> Option<&ShownRow> {
    kept.binary_search_by_key(&index, |r| r.index)
        .ok()
        .map(|i| &kept[i])
}
