//! Which rows of the grid are in the page for a scroll position: only the rows in view
//! (plus a few above and below) are drawn, between two spacers of the right height, and past
//! the browser's element-height cap the scroll range is compressed. Pure arithmetic, tested
//! natively.

/// Height of one row in pixels; fixed so the visible window can be computed.
pub const ROW_HEIGHT: f64 = 34.0;
/// Height of the scrolling area in pixels.
pub const VIEWPORT: f64 = 440.0;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 8;
/// Browsers cap an element's height (Chromium near 33 million pixels); past this the
/// scroll range is compressed and the scroll position picks the row proportionally.
pub const MAX_SCROLL_PX: f64 = 16_000_000.0;

/// Which rows are in the page for a scroll position, and the spacer heights around them.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// The first row drawn.
    pub first: usize,
    /// One past the last row drawn.
    pub last: usize,
    /// The spacer above them.
    pub above_px: f64,
    /// The spacer below them.
    pub below_px: f64,
}

impl Window {
    /// Rows drawn at once.
    pub fn visible() -> usize {
        (VIEWPORT / ROW_HEIGHT) as usize + 2 * OVERSCAN
    }

    /// The window at a scroll position.
    pub fn at(scroll_top: f64, rows: usize) -> Window {
        let full = rows as f64 * ROW_HEIGHT;
        let visible = Self::visible();
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

    /// The scroll position that shows the row at `pos` (keeping `top` if it already does),
    /// in a viewport `seen` pixels high (less than [`VIEWPORT`] when a sideways scrollbar
    /// takes its bottom).
    pub fn scroll_for(pos: usize, rows: usize, top: f64, seen: f64) -> f64 {
        let full = rows as f64 * ROW_HEIGHT;
        let seen = if seen > ROW_HEIGHT * 2.0 {
            seen
        } else {
            VIEWPORT
        };
        if full <= MAX_SCROLL_PX {
            let y = pos as f64 * ROW_HEIGHT;
            // Leave room for the sticky header row.
            if y < top {
                return y;
            }
            // (A few pixels more: the borders of the frame and the rows are not in the sum.)
            if y + 2.0 * ROW_HEIGHT + EDGE > top + seen {
                return y + 2.0 * ROW_HEIGHT + EDGE - seen;
            }
            return top;
        }
        let range = (MAX_SCROLL_PX - VIEWPORT).max(1.0);
        let span = rows.saturating_sub(Self::visible() - 2 * OVERSCAN).max(1) as f64;
        (pos as f64 / span * range).clamp(0.0, range)
    }
}

/// Pixels of borders around the drawn rows that the row arithmetic leaves out.
const EDGE: f64 = 4.0;

/// Width of the line and status columns at the grid's left (70 + 56 px), which stay in view
/// when the grid scrolls sideways.
pub const STICKY_PX: f64 = 126.0;

/// The columns drawn for a sideways scroll position `left` in a viewport `seen` pixels wide:
/// those in view and about half a view more on each side. A file of 60 or 200 columns drew
/// every column of every row in view, 50 to 370 ms at a time on this machine; now a row is
/// as costly as the columns a screen holds. Never empty when there are columns.
pub fn columns_at(left: f64, seen: f64, widths: &[u32]) -> std::ops::Range<usize> {
    let margin = (seen / 2.0).max(320.0);
    let low = left - margin;
    let high = left + (seen - STICKY_PX).max(0.0) + margin;
    let (mut first, mut last, mut x) = (None, widths.len(), 0.0);
    for (c, w) in widths.iter().enumerate() {
        let end = x + f64::from(*w);
        if first.is_none() && end > low {
            first = Some(c);
        }
        if x >= high {
            last = c;
            break;
        }
        x = end;
    }
    let first = first.unwrap_or(widths.len().saturating_sub(1));
    first..last.max((first + 1).min(widths.len()))
}

/// The sideways scroll position that shows column `column` whole (keeping `left` if it
/// already does; its start when it is wider than the view), beside the sticky columns.
pub fn scroll_left_for(column: usize, widths: &[u32], left: f64, seen: f64) -> f64 {
    let start: f64 = widths.iter().take(column).map(|w| f64::from(*w)).sum();
    let end = start + widths.get(column).map_or(0.0, |w| f64::from(*w));
    if start < left {
        return start;
    }
    if STICKY_PX + end > left + seen {
        return (STICKY_PX + end - seen).min(start);
    }
    left
}

/// Narrowest and widest a column starts at, in pixels (the person may resize beyond).
pub const MIN_COLUMN_PX: u32 = 72;
/// Widest a column starts at.
pub const MAX_COLUMN_PX: u32 = 360;
/// Narrowest a column can be resized to.
pub const MIN_RESIZED_PX: u32 = 40;
/// Widest a column can be resized to: a dragged edge that runs away (a pointer released
/// outside the window) must not make a column wider than any screen.
pub const MAX_RESIZED_PX: u32 = 1_600;

/// A column's width after the person moved its edge by `delta` pixels from `start`.
pub fn resized(start: u32, delta: i32) -> u32 {
    (i64::from(start) + i64::from(delta))
        .clamp(i64::from(MIN_RESIZED_PX), i64::from(MAX_RESIZED_PX)) as u32
}

/// A column's starting width: as wide as its header and the longest of the sampled values,
/// within [`MIN_COLUMN_PX`, `MAX_COLUMN_PX`] (about 7.5 px a character at the grid's
/// 13 px font, plus the padding and a problem mark).
pub fn column_width<'a>(header: &str, values: impl Iterator<Item = &'a str>) -> u32 {
    let chars = values
        .map(|v| v.chars().count())
        .chain(std::iter::once(header.chars().count() + 2))
        .max()
        .unwrap_or(0) as u32;
    (chars.saturating_mul(15) / 2 + 36).clamp(MIN_COLUMN_PX, MAX_COLUMN_PX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resized_column_stays_within_bounds() {
        assert_eq!(resized(200, 40), 240);
        assert_eq!(resized(200, -1_000), MIN_RESIZED_PX);
        assert_eq!(resized(200, i32::MAX), MAX_RESIZED_PX);
        assert_eq!(resized(u32::MAX, 0), MAX_RESIZED_PX);
    }

    #[test]
    fn columns_start_as_wide_as_their_content_within_bounds() {
        assert_eq!(column_width("Id", ["1", "2"].into_iter()), MIN_COLUMN_PX);
        let email = column_width(
            "C_EmailAddress",
            ["norm.smith@acme.com", "ron.bergandy@acmecommunications.com"].into_iter(),
        );
        assert!(email > 250 && email < MAX_COLUMN_PX, "{email}");
        assert_eq!(
            column_width("Notes", [&*"x".repeat(5_000)].into_iter()),
            MAX_COLUMN_PX
        );
        // Characters, not bytes.
        assert_eq!(
            column_width("", ["ééééééééééééééééééééééééééééé"].into_iter()),
            column_width("", ["eeeeeeeeeeeeeeeeeeeeeeeeeeeee"].into_iter())
        );
    }

    #[test]
    fn the_columns_drawn_cover_the_view_and_not_much_more() {
        let widths = vec![100_u32; 1_000];
        // At the left: the view (1,000 px less the sticky columns) and the margin to its right.
        let drawn = columns_at(0.0, 1_000.0, &widths);
        assert_eq!(drawn.start, 0);
        assert!(drawn.end >= 9 && drawn.end <= 15, "{drawn:?}");
        // Scrolled to the middle: some columns to the left are drawn too, and those in view.
        let drawn = columns_at(50_000.0, 1_000.0, &widths);
        assert!(drawn.start < 500 && drawn.start >= 494, "{drawn:?}");
        assert!(drawn.end > 509 && drawn.end <= 515, "{drawn:?}");
        // Past the end (a stale position after a narrower file): the last column still.
        assert_eq!(columns_at(1e9, 1_000.0, &widths), 999..1_000);
        assert_eq!(columns_at(0.0, 1_000.0, &[]), 0..0);
        // A tiny viewport draws at least a column.
        assert_eq!(columns_at(0.0, 0.0, &[4_000]), 0..1);
        // A narrow file is drawn whole.
        assert_eq!(columns_at(0.0, 1_280.0, &[190; 6]), 0..6);
    }

    #[test]
    fn a_column_is_scrolled_into_view_beside_the_sticky_columns() {
        let widths = [100_u32; 30];
        // In view: the position is kept.
        assert_eq!(scroll_left_for(2, &widths, 0.0, 800.0), 0.0);
        // To the right of the view: its right edge at the view's right edge.
        let left = scroll_left_for(20, &widths, 0.0, 800.0);
        assert_eq!(left, STICKY_PX + 2_100.0 - 800.0);
        let drawn = columns_at(left, 800.0, &widths);
        assert!(drawn.contains(&20));
        // To the left, under the sticky columns: its left edge just beside them.
        assert_eq!(scroll_left_for(3, &widths, 1_000.0, 800.0), 300.0);
        // Wider than the view: its start.
        assert_eq!(scroll_left_for(1, &[100, 5_000], 0.0, 800.0), 100.0);
    }

    #[test]
    fn the_window_and_its_spacers_cover_every_row() {
        for rows in [0, 1, 10, 3_000, 818_209, 10_000_000] {
            for top in [0.0, 1_000.0, 123_456.0, 1e9] {
                let w = Window::at(top, rows);
                assert!(w.first <= w.last && w.last <= rows, "{rows} {top}: {w:?}");
                assert!(w.last - w.first <= Window::visible());
                let full = rows as f64 * ROW_HEIGHT;
                let total = w.above_px + (w.last - w.first) as f64 * ROW_HEIGHT + w.below_px;
                if full <= MAX_SCROLL_PX {
                    assert_eq!(total, full, "{rows} {top}");
                } else {
                    assert!(total <= MAX_SCROLL_PX + Window::visible() as f64 * ROW_HEIGHT);
                }
            }
        }
    }

    #[test]
    fn the_last_row_can_be_reached_and_a_row_is_scrolled_into_view() {
        for rows in [3_000, 10_000_000] {
            let top = Window::scroll_for(rows - 1, rows, 0.0, VIEWPORT);
            let w = Window::at(top, rows);
            assert_eq!(w.last, rows, "{rows}: the last row is drawn at {top}");
        }
        // A row already in view keeps the scroll position.
        assert_eq!(Window::scroll_for(3, 3_000, 0.0, VIEWPORT), 0.0);
        // Row 12 (its bottom at 14 rows, the header included) is below a viewport whose
        // bottom a sideways scrollbar takes: scrolled until it is in view.
        let top = Window::scroll_for(12, 3_000, 0.0, 425.0);
        assert_eq!(top, 14.0 * ROW_HEIGHT + EDGE - 425.0);
    }
}
