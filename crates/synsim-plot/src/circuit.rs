//! The fast E/I (Wilson–Cowan) circuit on its own millisecond time scale:
//! activity over time and the E–I phase plane, healthy versus NMDA-blocked.

use super::canvas::{self, Dash, Figure, LegendEntry, Marker, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::panel::{draw_line, draw_markers, format_tick, YFormat};
use super::style::{self, okabe_ito, quantity, Look};
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

/// The panels, by the name `--panels` uses, with what each shows.
pub const PANELS: [(&str, &str); 2] = [
    ("activity", "E and I activity over milliseconds"),
    (
        "phase",
        "the E-I phase plane with nullclines and resting points",
    ),
];

/// The two-panel circuit figure.
pub struct CircuitFigure<'a> {
    /// What to show.
    pub view: &'a CircuitView,
    /// Title, size, text scale, style and panels.
    pub opts: FigureOptions,
}

const HEALTHY: Dash = Dash::Solid;
const BLOCKED: Dash = Dash::Dashed;

/// Colour and marker of a quantity's lines: its colour, or in print black
/// with a square for pyramidal cells and a circle for interneurons.
fn pen(c: RGBColor, look: &Look) -> (RGBColor, Marker) {
    if !look.print {
        (c, Marker::None)
    } else if c == quantity::EXC {
        (okabe_ito::BLACK, Marker::Square)
    } else if c == quantity::INH {
        (okabe_ito::BLACK, Marker::Circle)
    } else {
        (okabe_ito::BLACK, Marker::None)
    }
}

/// A legend line in `look`.
fn entry(label: &str, c: RGBColor, dash: Dash, width: u32, look: &Look) -> LegendEntry {
    let (c, m) = pen(c, look);
    LegendEntry::line(look.say(label), c, dash, width).with_marker(m)
}

/// A data line with its marker (print) in `look`.
fn line<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    pts: &[(f64, f64)],
    (c, dash, width): (RGBColor, Dash, u32),
    look: &Look,
    k: usize,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let (c, m) = pen(c, look);
    draw_line(chart, pts, c, dash, width)?;
    draw_markers(chart, pts, m, c, k)
}

impl CircuitFigure<'_> {
    fn legend(&self, look: &Look) -> Vec<LegendEntry> {
        vec![
            entry("pyramidal (E), no block", quantity::EXC, HEALTHY, 5, look),
            entry(
                "pyramidal (E), NMDA blocked",
                quantity::EXC,
                BLOCKED,
                5,
                look,
            ),
            entry(
                "interneurons (I), no block",
                quantity::INH,
                HEALTHY,
                5,
                look,
            ),
            entry(
                "interneurons (I), NMDA blocked",
                quantity::INH,
                BLOCKED,
                5,
                look,
            ),
        ]
    }

    fn phase_legend(&self, look: &Look) -> Vec<LegendEntry> {
        vec![
            entry(
                "E-nullcline (dE/dt = 0)",
                quantity::EXC,
                Dash::Solid,
                3,
                look,
            ),
            entry(
                "I-nullcline (dI/dt = 0)",
                quantity::INH,
                Dash::Solid,
                3,
                look,
            ),
            LegendEntry::line(
                look.say("path from the start"),
                okabe_ito::BLACK,
                Dash::Solid,
                2,
            ),
            LegendEntry {
                label: look.say("resting point, no block"),
                swatch: Swatch::Dot(okabe_ito::BLACK),
            },
            LegendEntry {
                label: look.say("resting point, blocked"),
                swatch: Swatch::Ring(okabe_ito::BLACK),
            },
        ]
    }

    fn draw_traces<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
        lines: usize,
    ) -> anyhow::Result<()> {
        let v = self.view;
        let head = heading(area, TRACES_HEADING, look, lines)?;
        let body = area.clone().split_vertically(head).1;
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
        let (w, h) = body.dim_in_pixel();
        let (xc, xd) = TickCoord::nice(0.0..t_end, (look.tick_room(w) / 110).clamp(3, 8) as usize);
        let (yc, yd) = TickCoord::nice(ylo..yhi, (look.tick_room(h) / 90).clamp(2, 6) as usize);
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .x_label_area_size(look.px(78))
            .y_label_area_size(look.upx(118))
            .build_cartesian_2d(xc, yc)
            .or_draw()?;
        mesh(
            &mut chart,
            (xd, yd),
            "Time (ms)",
            "activity (fraction of max rate)",
            look,
        )?;
        let get_e = |t: &[CircuitSample]| t.iter().map(|s| (s.t_ms, s.exc)).collect::<Vec<_>>();
        let get_i = |t: &[CircuitSample]| t.iter().map(|s| (s.t_ms, s.inh)).collect::<Vec<_>>();
        let traces = [
            (get_e(&v.trace_healthy), quantity::EXC, HEALTHY),
            (get_i(&v.trace_healthy), quantity::INH, HEALTHY),
            (get_e(&v.trace_blocked), quantity::EXC, BLOCKED),
            (get_i(&v.trace_blocked), quantity::INH, BLOCKED),
        ];
        for (k, (pts, c, dash)) in traces.iter().enumerate() {
            line(&mut chart, pts, (*c, *dash, 5), look, k)?;
        }
        Ok(())
    }

    fn draw_phase<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
        lines: usize,
    ) -> anyhow::Result<()> {
        let v = self.view;
        let head = heading(area, PHASE_HEADING, look, lines)?;
        let rest = area.clone().split_vertically(head).1;
        let entries = self.phase_legend(look);
        let (w, _) = rest.dim_in_pixel();
        let x0 = (look.px(118)).min(w as i32 / 4);
        let lw = (w as i32 - x0 - 12).max(80);
        let size = look.sz(style::LEGEND - 2);
        let lh = canvas::legend_height(&rest, &entries, lw, size);
        canvas::legend_rows(&rest, &entries, (x0, 0), lw, size)?;
        let body = rest.split_vertically(lh + 6).1;
        let pts = || v.trace_healthy.iter().chain(&v.trace_blocked);
        let rests = [v.rest_healthy, v.rest_blocked];
        let (x0, x1) = padded(pts().map(|s| s.exc).chain(rests.iter().map(|r| r.0)), 0.25);
        let (y0, y1) = padded(pts().map(|s| s.inh).chain(rests.iter().map(|r| r.1)), 0.25);
        let (xr, yr) = (x0..x1, y0..y1);
        let (bw, bh) = body.dim_in_pixel();
        let (xc, xd) = TickCoord::nice(xr.clone(), (look.tick_room(bw) / 120).clamp(3, 5) as usize);
        let (yc, yd) = TickCoord::nice(yr.clone(), (look.tick_room(bh) / 90).clamp(2, 6) as usize);
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .x_label_area_size(look.px(78))
            .y_label_area_size(look.upx(118))
            .build_cartesian_2d(xc, yc)
            .or_draw()?;
        mesh(
            &mut chart,
            (xd, yd),
            "pyramidal (E) activity",
            "interneuron (I) activity",
            look,
        )?;
        let inside = |p: &(f64, f64)| xr.contains(&p.0) && yr.contains(&p.1);
        for (c, dash) in [(&v.healthy, HEALTHY), (&v.blocked, BLOCKED)] {
            for seg in clip(&c.exc_nullcline(4000), inside) {
                line(&mut chart, &seg, (quantity::EXC, dash, 3), look, 0)?;
            }
            for seg in clip(&c.inh_nullcline(4000), inside) {
                line(&mut chart, &seg, (quantity::INH, dash, 3), look, 1)?;
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
        let st = canvas::font(look.tick(), style::DARK);
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

fn heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    look: &Look,
    lines: usize,
) -> anyhow::Result<i32> {
    let st = canvas::bold(look.label(), okabe_ito::BLACK);
    let line_h = look.label() as i32 + look.px(4);
    let (x, room) = heading_room(area, look);
    for (k, line) in canvas::wrap_px(area, &look.say(s), &st, room, lines)
        .iter()
        .enumerate()
    {
        canvas::text(
            area,
            line,
            (x, 4 + k as i32 * line_h),
            &st,
            (HPos::Left, VPos::Top),
        )?;
    }
    Ok(lines.max(1) as i32 * line_h + 10)
}

/// Where a panel heading starts in `area` and how wide it may be.
fn heading_room<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, look: &Look) -> (i32, u32) {
    let (w, _) = area.dim_in_pixel();
    let x = look.px(78).min(w as i32 / 8);
    (x, w.saturating_sub(x as u32 + 10))
}

/// Lines the heading `s` takes in `area` (one or two; a longer one is cut).
fn heading_lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, look: &Look) -> usize {
    let st = canvas::bold(look.label(), okabe_ito::BLACK);
    canvas::wrap_px(area, &look.say(s), &st, heading_room(area, look).1, 2).len()
}

/// The panels' headings.
const TRACES_HEADING: &str = "Activity over time (both start from the same nudged state)";
const PHASE_HEADING: &str = "Phase plane: where the nullclines cross, the circuit rests";

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
    look: &Look,
) -> anyhow::Result<()> {
    let xfmt = |x: &f64| format_tick(*x, xd, YFormat::Number);
    let yfmt = |y: &f64| format_tick(*y, yd, YFormat::Number);
    chart
        .configure_mesh()
        .bold_line_style(style::LIGHT.mix(0.7))
        .light_line_style(TRANSPARENT)
        .axis_style(style::DARK.stroke_width(2))
        .label_style(canvas::font(look.tick(), okabe_ito::BLACK))
        .axis_desc_style(canvas::font(
            look.label().saturating_sub(2),
            okabe_ito::BLACK,
        ))
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .x_desc(look.say(x_desc))
        .y_desc(look.say(y_desc))
        .draw()
        .or_draw()
}

impl CircuitFigure<'_> {
    /// The subtitle: which circuit, and how much NMDA the drug blocks on
    /// each cell type (in plain words for a school class).
    fn subtitle(&self) -> String {
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
        if self.opts.school() {
            format!(
                "a healthy brain's \u{201c}go\u{201d} and \u{201c}brake\u{201d} cells \u{00b7} \
                 the drug blocks {:.0} % of NMDA on \u{201c}go\u{201d} cells, {:.0} % on \u{201c}brake\u{201d} cells",
                100.0 * v.occ_exc,
                if v.disinhibition { 100.0 * v.occ_inh } else { 0.0 }
            )
        } else {
            format!(
                "a healthy brain's circuit (run dashboards start from a depressed one) \u{00b7} NMDA block: pyramidal cells {:.0} %, {inter} \u{00b7} NMDA share of the E\u{2192}E drive {:.0} %, of the E\u{2192}I drive {:.0} %",
                100.0 * v.occ_exc,
                100.0 * v.frac.0,
                100.0 * v.frac.1
            )
        }
    }

    /// The footer: the model, and how much busier the pyramidal cells rest
    /// with the block.
    fn footer(&self) -> String {
        let v = self.view;
        let rest_note = format!(
            "resting pyramidal activity: no block {:.3}, blocked {:.3} ({:+.0} %)",
            v.rest_healthy.0,
            v.rest_blocked.0,
            100.0 * (v.rest_blocked.0 / v.rest_healthy.0 - 1.0)
        );
        if self.opts.school() {
            format!(
                "Wilson\u{2013}Cowan circuit \u{00b7} with the drug the \u{201c}go\u{201d} cells settle {:+.0} % busier",
                100.0 * (v.rest_blocked.0 / v.rest_healthy.0 - 1.0)
            )
        } else {
            format!("Wilson\u{2013}Cowan circuit (neurolib WCModel names) \u{00b7} {rest_note}")
        }
    }

    /// All text as large as asked, or as large as leaves the `picked`
    /// panels of `root` room under `title`, `sub`, the shared legend and
    /// above `foot`.
    fn fitted_look<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (title, sub, foot): (&str, &str, &str),
        picked: &[usize],
    ) -> Look {
        let (w, h) = root.dim_in_pixel();
        canvas::fitted(&self.look(), |l| {
            let (_, lw, size) = legend_span(l, w);
            let head = canvas::title_height(root, l, title, Some(sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot)
                + canvas::legend_height(root, &self.legend(l), lw, size)
                + 10;
            let room = (w as i32, h as i32 - head);
            let cell = match (picked.len(), w >= h) {
                (1, _) => room,
                (_, true) => (room.0 / 2, room.1),
                (_, false) => (room.0, room.1 / 2),
            };
            // A heading, the phase plane's legend, axis labels, a readable plot.
            let phase = canvas::legend_height(
                root,
                &self.phase_legend(l),
                cell.0 - 130,
                l.sz(style::LEGEND - 2),
            );
            cell.0 - l.px(118) - 40 >= 260
                && cell.1 - l.label() as i32 - 14 - phase - l.px(78) - 16 >= 120
        })
    }
}

/// The shared legend's place at a look in a figure `w` wide: (x, width,
/// text size).
fn legend_span(l: &Look, w: u32) -> (i32, i32, u32) {
    let x0 = l.px(118).min(w as i32 / 8);
    (x0, w as i32 - 2 * x0, l.sz(style::LEGEND + 2))
}

/// The cells of the `picked` panels in `area`, `w` × `h` px, each with
/// its panel's index: side by side on a wide page, one above the other on
/// an upright one.
fn panel_cells<DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    picked: &[usize],
    (w, h): (u32, u32),
) -> Vec<(DrawingArea<DB, Shift>, usize)> {
    let cells: Vec<DrawingArea<DB, Shift>> = if picked.len() < 2 {
        vec![area]
    } else if w >= h {
        let (a, b) = area.split_horizontally(w as i32 * 52 / 100);
        vec![a, b]
    } else {
        let (a, b) = area.split_vertically(area.dim_in_pixel().1 as i32 / 2);
        vec![a, b]
    };
    cells
        .iter()
        .zip(picked)
        .map(|(cell, &i)| {
            let m = if i == 0 { (6, 10) } else { (10, 6) };
            (cell.margin(4, 4, m.0, m.1), i)
        })
        .collect()
}

impl Figure for CircuitFigure<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let sub = self.subtitle();
        let picked = self
            .opts
            .pick("circuit", &PANELS)
            .map_err(|e| anyhow::anyhow!("--panels: {e}"))?;
        let title =
            self.opts.title_or(&self.look().say(
                "The E/I circuit in milliseconds: no block vs NMDA block (a healthy circuit)",
            ));
        let foot = self.footer();
        let look = self.fitted_look(root, (&title, &sub, &foot), &picked);
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, &foot)?;
        let (w, h) = area.dim_in_pixel();
        // Solid = no block, dashed = blocked: in both panels.
        let entries = self.legend(&look);
        let (x0, lw, size) = legend_span(&look, w);
        let lh = canvas::legend_height(&area, &entries, lw, size);
        canvas::legend_rows(&area, &entries, (x0, 0), lw, size)?;
        let area = area.split_vertically(lh + 10).1;
        let cells = panel_cells(area, &picked, (w, h));
        // Headings side by side take as many lines as the longer needs.
        let lines = cells
            .iter()
            .map(|(c, i)| heading_lines(c, [TRACES_HEADING, PHASE_HEADING][*i], &look))
            .max()
            .unwrap_or(1);
        for (cell, i) in &cells {
            if *i == 0 {
                self.draw_traces(cell, &look, lines)?;
            } else {
                self.draw_phase(cell, &look, lines)?;
            }
        }
        Ok(())
    }
}

/// Writes DIR/STEM.png and .svg, as `opts` asks.
pub fn write(
    view: &CircuitView,
    dir: &Path,
    stem: &str,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let fig = CircuitFigure {
        view,
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, stem)
}
