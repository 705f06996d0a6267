//! Reference-line labels and direct line labels: each placed where it
//! covers the least data, never on top of another label.

use super::*;

/// Distance in px from point `(x, y)` to box `b` (0 inside).
fn box_dist(b: PxBox, (x, y): (i32, i32)) -> i32 {
    let dx = (b.0 - x).max(x - b.2).max(0);
    let dy = (b.1 - y).max(y - b.3).max(0);
    dx.max(dy)
}

/// Writes each reference label just above or below its line, at the first
/// place (left to right) where it keeps clear of the data, the other lines,
/// the dose markers and the labels already placed.
pub(super) fn draw_ref_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut TimeChart<'_, DB>,
    p: &Panel,
    axis: &TimeAxis,
    mapped: &[Vec<(f64, f64)>],
    look: &Look,
    reserved: &[PxBox],
) -> anyhow::Result<()> {
    if p.refs.is_empty() {
        return Ok(());
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let obstacles = data_obstacles(chart, mapped);
    let ref_rows: Vec<i32> = p
        .refs
        .iter()
        .map(|r| chart.backend_coord(&(axis.range().start, r.y)).1)
        .collect();
    let mut taken: Vec<PxBox> = vec![(xr.start, yr.start, xr.end, yr.start + 18)];
    taken.extend_from_slice(reserved);
    let plot = (xr.start, yr.start, xr.end, yr.end);
    for (r, &py) in p.refs.iter().zip(&ref_rows) {
        let st = font(look.tick(), r.colour);
        let (w, h) = area
            .estimate_text_size(&r.label, &st)
            .unwrap_or((r.label.len() as u32 * 12, look.tick()));
        let size = (w as i32, h as i32);
        let clear = |b: PxBox| clearance(b, &obstacles, (&ref_rows, py), &taken);
        let Some((clear, b, above)) = best_spot(plot, size, py, clear) else {
            continue;
        };
        taken.push(b);
        draw_ref_label(area, &r.label, st, (b, above), clear)?;
    }
    Ok(())
}

/// The data lines as densely sampled pixel points (segments every <= 3 px),
/// for labels to keep clear of.
fn data_obstacles<DB: DrawingBackend>(
    chart: &TimeChart<'_, DB>,
    mapped: &[Vec<(f64, f64)>],
) -> Vec<(i32, i32)> {
    let mut obstacles: Vec<(i32, i32)> = Vec::new();
    for pts in mapped {
        let px: Vec<(i32, i32)> = pts.iter().map(|q| chart.backend_coord(q)).collect();
        for w in px.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..n {
                obstacles.push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
            }
        }
        obstacles.extend(px.last().copied());
    }
    obstacles
}

/// How far, px, label box `b` keeps from the nearest obstacle: a data
/// point, another reference line (`rows`, all but its own at `own`) or a
/// box already `taken` (99 when there is none).
fn clearance(
    b: PxBox,
    obstacles: &[(i32, i32)],
    (rows, own): (&[i32], i32),
    taken: &[PxBox],
) -> i32 {
    let data = obstacles
        .iter()
        .map(|&q| box_dist(b, q))
        .min()
        .unwrap_or(99);
    let lines = rows
        .iter()
        .filter(|&&y| y != own)
        .map(|&y| (b.1 - y).max(y - b.3).max(0))
        .min()
        .unwrap_or(99);
    let boxes = taken
        .iter()
        .map(|t| {
            (t.0 - b.2)
                .max(b.0 - t.2)
                .max(t.1 - b.3)
                .max(b.1 - t.3)
                .max(0)
        })
        .min()
        .unwrap_or(99);
    data.min(lines).min(boxes)
}

/// Where a `w` × `h` label of the reference line at pixel row `py` goes in
/// the `plot` box: (its clearance, its box, whether above the line), or
/// `None` if it fits nowhere. Places are tried from the left edge in steps
/// to the right, then flush with the right edge, each above then below the
/// line; the first 10 px clear wins, else the clearest.
fn best_spot(
    plot: PxBox,
    (w, h): (i32, i32),
    py: i32,
    clearance: impl Fn(PxBox) -> i32,
) -> Option<(i32, PxBox, bool)> {
    let (x_start, y_start, x_end, y_end) = plot;
    let mut best: Option<(i32, PxBox, bool)> = None;
    // Left edge, then steps to the right, then flush with the right edge.
    let xs = [0.0, 0.2, 0.4, 0.6, 0.8]
        .iter()
        .map(|f| x_start + 8 + (f * f64::from(x_end - x_start)) as i32)
        .chain(std::iter::once(x_end - 8 - w));
    for x in xs {
        if x + w > x_end - 4 || x < x_start + 4 {
            continue;
        }
        for above in [true, false] {
            let b = if above {
                (x, py - 6 - h, x + w, py - 6)
            } else {
                (x, py + 6, x + w, py + 6 + h)
            };
            if b.1 < y_start || b.3 > y_end {
                continue;
            }
            let c = clearance(b);
            if best.is_none_or(|(bc, _, _)| c > bc) {
                best = Some((c, b, above));
            }
            if c >= 10 {
                return best;
            }
        }
    }
    best
}

/// Writes a reference `label` in style `st` into box `b` (absolute px),
/// anchored to the side of its line (`above` or below); on a white backing
/// when it has less than 6 px `clear`.
fn draw_ref_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    st: TextStyle<'static>,
    (b, above): (PxBox, bool),
    clear: i32,
) -> anyhow::Result<()> {
    let (bx, by) = area.get_base_pixel();
    if clear < 6 {
        // No free spot: a white backing keeps the label readable.
        let pad = 3;
        area.draw(&Rectangle::new(
            [
                (b.0 - bx - pad, b.1 - by - pad),
                (b.2 - bx + pad, b.3 - by + pad),
            ],
            WHITE.mix(0.85).filled(),
        ))
        .or_draw()?;
    }
    let st = st.pos(Pos::new(
        HPos::Left,
        if above { VPos::Bottom } else { VPos::Top },
    ));
    let anchor = if above {
        (b.0 - bx, b.3 - by)
    } else {
        (b.0 - bx, b.1 - by)
    };
    area.draw(&Text::new(label.to_string(), anchor, st))
        .or_draw()?;
    Ok(())
}

/// Where each series' label goes (absolute pixel box, series index):
/// right-aligned at the right end of its line, just above the line's
/// last point; labels that would overlap are pushed apart vertically.
pub(super) fn direct_label_boxes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &TimeChart<'_, DB>,
    p: &Panel,
    mapped: &[Vec<(f64, f64)>],
    look: &Look,
) -> Vec<(PxBox, usize)> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let h = look.legend() as i32 + 4;
    // (bottom of the label box, series index), top to bottom.
    let mut rows: Vec<(i32, usize)> = mapped
        .iter()
        .enumerate()
        .filter(|(k, _)| !p.series[*k].label.is_empty())
        .filter_map(|(k, pts)| pts.last().map(|q| (chart.backend_coord(q).1 - 6, k)))
        .collect();
    rows.sort();
    let mut last = yr.start + 4;
    for row in &mut rows {
        row.0 = row.0.max(last + h).min(yr.end - 4);
        last = row.0;
    }
    // Pushed past the bottom: stack upwards from the bottom instead.
    for k in (0..rows.len().saturating_sub(1)).rev() {
        rows[k].0 = rows[k].0.min(rows[k + 1].0 - h);
    }
    let right = xr.end - 8;
    rows.into_iter()
        .map(|(bottom, k)| {
            let st = canvas::bold(look.legend(), p.series[k].colour);
            let w = canvas::text_width(area, &p.series[k].label, &st) as i32;
            ((right - w - 4, bottom - h, right + 4, bottom + 2), k)
        })
        .collect()
}

/// Writes the series' labels into the boxes [`direct_label_boxes`]
/// chose, in the series' colours on a white backing.
pub(super) fn draw_direct_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    boxes: &[(PxBox, usize)],
    look: &Look,
) -> anyhow::Result<()> {
    let (bx, by) = area.get_base_pixel();
    for ((x0, y0, x1, y1), k) in boxes {
        let s = &p.series[*k];
        area.draw(&Rectangle::new(
            [(x0 - bx, y0 - by), (x1 - bx, y1 - by)],
            WHITE.mix(0.85).filled(),
        ))
        .or_draw()?;
        let st = canvas::bold(look.legend(), s.colour);
        canvas::text(
            area,
            &s.label,
            (x1 - 4 - bx, y1 - 2 - by),
            &st,
            (HPos::Right, VPos::Bottom),
        )?;
    }
    Ok(())
}
