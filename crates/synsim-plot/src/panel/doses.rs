//! Dose markers: triangles on the plot's top edge, shaded infusion spans,
//! the dose strip under a grid of panels, and their legend entries.

use super::*;

/// Shaded spans for infusions wide enough to see, thin lines when there are
/// few doses, and a small triangle at the top for every dose.
pub(super) fn draw_doses<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    doses: &[DoseMark],
    axis: &TimeAxis,
    (y0, y1): (f64, f64),
) -> anyhow::Result<()> {
    let visible: Vec<&DoseMark> = doses.iter().filter(|d| dose_visible(d, axis)).collect();
    let few = visible.len() <= 30;
    for d in &visible {
        let x0 = axis.x_clamped(d.time_h);
        let x1 = axis.x_clamped(d.time_h + d.duration_h);
        let (px0, _) = chart.backend_coord(&(x0, y0));
        let (px1, _) = chart.backend_coord(&(x1, y0));
        if px1 - px0 >= 3 {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x1, y1)],
                    d.colour.mix(0.13).filled(),
                )))
                .or_draw()?;
        } else if few {
            chart
                .draw_series(LineSeries::new(
                    [(x0, y0), (x0, y1)],
                    style::LIGHT.stroke_width(2),
                ))
                .or_draw()?;
        }
    }
    // One row of marks per drug, so a drug's doses never hide under
    // another's (esketamine sessions under daily escitalopram).
    let mut drugs: Vec<(RGBColor, bool)> = Vec::new();
    for d in &visible {
        if !drugs.contains(&(d.colour, d.open)) {
            drugs.push((d.colour, d.open));
        }
    }
    for (row, drug) in drugs.iter().enumerate() {
        let marks: Vec<&DoseMark> = visible
            .iter()
            .copied()
            .filter(|d| (d.colour, d.open) == *drug)
            .collect();
        draw_dose_row(chart, &marks, axis, y1, DOSE_ROW_PX * row as i32)?;
    }
    Ok(())
}

/// Height of one drug's row of dose marks, px.
const DOSE_ROW_PX: i32 = 17;

/// One drug's dose marks, `dy` px below the top of the plot: triangles when
/// they have room, else a light rug of short ticks (daily pills over months
/// would otherwise make a heavy saw-tooth band).
fn draw_dose_row<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    marks: &[&DoseMark],
    axis: &TimeAxis,
    y1: f64,
    dy: i32,
) -> anyhow::Result<()> {
    let px: Vec<i32> = marks
        .iter()
        .map(|d| chart.backend_coord(&(axis.x_clamped(d.time_h), y1)).0)
        .collect();
    let crowded =
        px.len() > 20 && px.windows(2).filter(|w| (w[1] - w[0]).abs() < 18).count() * 3 > px.len();
    for d in marks {
        let x0 = axis.x_clamped(d.time_h);
        // A mark clamped to the left edge sits just inside the axis.
        let dx = if d.time_h < axis.start_h { 9 } else { 0 };
        if crowded {
            // An open mark's tick is grey (a second drug's doses in print).
            let c = if d.open { okabe_ito::GREY } else { d.colour };
            let tick = PathElement::new(vec![(dx, dy + 1), (dx, dy + 11)], c.stroke_width(2));
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tick))
                .or_draw()?;
        } else {
            let pts = vec![(dx - 8, dy + 1), (dx + 8, dy + 1), (dx, dy + 15)];
            let fill = if d.open { WHITE } else { d.colour };
            let tri = Polygon::new(pts.clone(), fill.filled());
            chart
                .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + tri))
                .or_draw()?;
            if d.open {
                let mut ring = pts;
                ring.push(ring[0]);
                let edge = PathElement::new(ring, d.colour.stroke_width(2));
                chart
                    .draw_series(std::iter::once(EmptyElement::at((x0, y1)) + edge))
                    .or_draw()?;
            }
        }
    }
    Ok(())
}

/// Whether a dose shows on the axis, and where its mark starts (a dose given
/// before the axis starts, e.g. at t = 0 on a log axis, is marked at the edge).
fn dose_visible(d: &DoseMark, axis: &TimeAxis) -> bool {
    axis.x(d.time_h).is_some()
        || (d.time_h < axis.start_h && (axis.log || d.time_h + d.duration_h > axis.start_h))
}

/// A strip with one row of dose marks per regimen (ticks for instantaneous
/// doses, bars for infusions wide enough to see), on the shared time axis.
/// In print each row starts with its regimen's marker.
pub fn draw_dose_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[StripRow],
    axis: &TimeAxis,
    look: &Look,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    canvas::text(
        area,
        title,
        (caption_x(look), 4),
        &canvas::bold(look.label(), okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )?;
    let body = area.clone().split_vertically(look.label() as i32 + 12).1;
    let ya = y_area(look);
    let plot_w = w.saturating_sub(ya + RIGHT).max(100);
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&body)
        .margin_right(RIGHT)
        .x_label_area_size(2)
        .y_label_area_size(ya)
        .build_cartesian_2d(axis.spec(look.tick_room(plot_w)), 0.0..n)
        .or_draw()?;
    chart
        .configure_mesh()
        .bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|_| String::new())
        .draw()
        .or_draw()?;
    for (k, (colour, marker, marks)) in rows.iter().enumerate() {
        let yc = n - k as f64 - 0.5;
        let (lo, hi) = (yc - 0.32, yc + 0.32);
        let (px, py) = chart.backend_coord(&(axis.range().start, yc));
        let (bx, by) = body.get_base_pixel();
        canvas::draw_markers_px(&body, *marker, &[(px - bx - 22, py - by)], *colour)?;
        for d in marks.iter().filter(|d| dose_visible(d, axis)) {
            let x0 = axis.x_clamped(d.time_h);
            let x1 = axis.x_clamped(d.time_h + d.duration_h);
            let wide = chart.backend_coord(&(x1, lo)).0 - chart.backend_coord(&(x0, lo)).0 >= 3;
            if wide {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, lo), (x1, hi)],
                        colour.filled(),
                    )))
                    .or_draw()?;
            } else {
                chart
                    .draw_series(LineSeries::new(
                        [(x0, lo), (x0, hi)],
                        colour.stroke_width(3),
                    ))
                    .or_draw()?;
            }
        }
    }
    Ok(())
}

/// Whether any infusion is wide enough (3 px on an axis `width_px` wide) to
/// show as a shaded span.
pub fn infusion_visible(axis: &TimeAxis, doses: &[DoseEvent], width_px: u32) -> bool {
    let r = axis.range();
    let span = (r.end - r.start).max(1e-12);
    doses.iter().filter(|d| d.duration_h > 0.0).any(|d| {
        let dx = axis.x_clamped(d.time_h + d.duration_h) - axis.x_clamped(d.time_h);
        dx / span * f64::from(width_px) >= 3.0
    })
}

/// The legend entry for the shaded span of a running infusion.
pub fn infusion_legend(colour: RGBColor) -> LegendEntry {
    LegendEntry {
        label: "infusion running".into(),
        swatch: Swatch::Block(colour),
    }
}

/// The legend entry for dose triangles of one colour (made to match the
/// marks by [`Panel::for_print`] in print).
pub fn dose_legend(label: impl Into<String>, colour: RGBColor) -> LegendEntry {
    LegendEntry {
        label: label.into(),
        swatch: Swatch::Triangle(colour),
    }
}
