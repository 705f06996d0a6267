//! Panels in a grid: how many fit a drawing area, where each goes, and
//! drawing them with their numbers.

use super::*;

/// Smallest plot inside a panel, px (width, height): below this its lines
/// cannot be read.
const MIN_PLOT: (i32, i32) = (260, 90);

/// Margins of a grid cell around its panel, px (width, height in all).
const CELL_MARGIN: (i32, i32) = (16, 10);

/// Whether a panel with this caption, remark and legend fits a `w` × `h`
/// px cell at `look`: its text and a plot of at least 260 × 90 px.
pub fn fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    remark: Option<&str>,
    entries: &[LegendEntry],
    (w, h): (i32, i32),
    x_labels: XLabels,
    look: &Look,
) -> bool {
    let ya = y_area(look) as i32;
    let lw = (w - ya - RIGHT as i32).max(80);
    let mut text_h = look.label() as i32 + look.px(10) + 8;
    if let Some(r) = remark {
        let st = font(look.small(), style::DARK);
        let lines = canvas::wrap_px(area, r, &st, lw.max(40) as u32, 2).len() as i32;
        text_h += lines * (look.small() as i32 + look.px(6));
    }
    text_h += canvas::legend_height(area, entries, lw, look.legend());
    text_h += look.px(x_area(x_labels));
    w - ya - (RIGHT as i32) >= MIN_PLOT.0 && h - text_h >= MIN_PLOT.1
}

/// Whether `p` fits a `w` × `h` cell at `look` (see [`fits`]).
fn panel_fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    size: (i32, i32),
    x_labels: XLabels,
    look: &Look,
) -> bool {
    let entries = if p.legend {
        p.legend_entries()
    } else {
        Vec::new()
    };
    fits(area, p.remark.as_deref(), &entries, size, x_labels, look)
}

/// Where panel `k` of `n` goes in a `cols` × `rows` grid filled row by row
/// (`by_rows`) or column by column, and whether it is the lowest of its
/// column (it carries the axis title).
fn grid_place(
    k: usize,
    n: usize,
    (cols, rows): (usize, usize),
    by_rows: bool,
) -> (usize, usize, XLabels) {
    let (col, row) = if by_rows {
        (k % cols, k / cols)
    } else {
        (k / rows, k % rows)
    };
    let lowest = if by_rows {
        k + cols >= n
    } else {
        row + 1 == rows || k + 1 == n
    };
    (
        col,
        row,
        if lowest {
            XLabels::Full
        } else {
            XLabels::Ticks
        },
    )
}

/// The grid for `panels` in a `w` × `h` area whose every panel fits at
/// `look` ([`fits`]): the one [`crate::options::grid`] prefers if it does,
/// else the first that does, else `None`. `area` measures text.
pub fn grid_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (w, h): (u32, u32),
    panels: &[Panel],
    look: &Look,
    by_rows: bool,
) -> Option<(usize, usize)> {
    let n = panels.len().max(1);
    let all_fit = |(cols, rows): (usize, usize)| {
        let cell = (
            w as i32 / cols as i32 - CELL_MARGIN.0,
            h as i32 / rows as i32 - CELL_MARGIN.1,
        );
        panels.iter().enumerate().all(|(k, p)| {
            let (_, _, xl) = grid_place(k, n, (cols, rows), by_rows);
            panel_fits(area, p, cell, xl, look)
        })
    };
    let preferred = crate::options::grid(n, (w, h));
    std::iter::once(preferred)
        .chain((1..=n).map(|cols| (cols, n.div_ceil(cols))))
        .find(|g| all_fit(*g))
}

/// Draws `panels` on the shared time axis in a grid filled row by row
/// (`by_rows`) or column by column; the lowest panel of each column
/// carries the axis title. The grid is [`grid_fit`]'s (the preferred one
/// when none fits at `look`).
pub fn draw_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[Panel],
    axis: &TimeAxis,
    look: &Look,
    by_rows: bool,
) -> anyhow::Result<()> {
    let n = panels.len().max(1);
    let size = area.dim_in_pixel();
    let (cols, rows) = grid_fit(area, size, panels, look, by_rows)
        .unwrap_or_else(|| crate::options::grid(n, size));
    let cells = area.split_evenly((rows, cols));
    for (k, p) in panels.iter().enumerate() {
        let (col, row, xl) = grid_place(k, n, (cols, rows), by_rows);
        let Some(cell) = cells.get(row * cols + col) else {
            continue;
        };
        draw_panel(&cell.margin(6, 4, 6, 10), p, axis, xl, look)?;
    }
    Ok(())
}

/// `title` numbered `k` (1-based) in place of its own number, if it has
/// one ("5  Synapses" as panel 1 of a slide: "1  Synapses").
pub fn renumber(title: &str, k: usize) -> String {
    match title.split_once("  ") {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => format!("{k}  {rest}"),
        _ => title.to_string(),
    }
}
