//! The sensitivity figure: parameters ranked by how much they move one outcome.
//!
//! Morris: a horizontal bar of `μ*` per parameter with its bootstrap interval as a
//! whisker and `σ` as a ring on the same axis. Sobol': the first-order index `S1`
//! and the total index `ST` side by side, each with its interval. The most
//! important parameter is at the top. Negligible parameters (importance below 5 %
//! of the largest) are grey and sit below a dashed line. A caption under the axis
//! says how many parameters matter.

use super::canvas::{self, bold, font, Figure, OrDraw};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::population::tint;
use super::style::{self, okabe_ito, Look};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::params::fmt_num;
use synsim_core::sensitivity::study::NEGLIGIBLE_SHARE;
use synsim_core::sensitivity::study::{metric_phrase, output_label, Analysis, Indices};

/// Figure width, px (the height grows with the number of parameters).
pub const WIDTH: u32 = 1600;

/// Most parameter rows drawn; the rest (all negligible) are summed up in one line.
pub const MAX_ROWS: usize = 24;

/// Height of one parameter row, px, when there are many rows; fewer rows get
/// taller ones, up to [`ROW_MAX`].
const ROW_H: i32 = 40;
/// Tallest row, px.
const ROW_MAX: i32 = 72;

/// Colour of the main bar (μ*, S1).
const MAIN: RGBColor = okabe_ito::BLUE;
/// Colour of the second measure (σ, ST).
const SECOND: RGBColor = okabe_ito::VERMILLION;

/// The panels, by the name `--panels` uses (one: nothing to choose).
pub const PANELS: [(&str, &str); 1] = [("ranking", "parameters ranked by importance")];

/// The figure.
pub struct SensitivityFigure<'a> {
    a: &'a Analysis,
    opts: FigureOptions,
}

/// One bar: value, interval ends, colour.
type Bar = (f64, f64, f64, RGBColor);

/// A legend key.
#[derive(Clone, Copy)]
enum Key {
    Bar(RGBColor),
    Ring(RGBColor),
    Whisker,
}

/// One drawn row: factor index, or the "N more" line (and whether they
/// are all negligible).
#[derive(Clone, Copy)]
enum Row {
    Factor(usize),
    More(usize, bool),
}

impl SensitivityFigure<'_> {
    /// At most `max` rows (at least 2): the most important parameters, then
    /// one line for the rest. On a page of a fixed size the rows that fit.
    fn rows(&self, max: usize) -> Vec<Row> {
        let max = max.max(2);
        let rank = self.a.ranking();
        if rank.len() <= max {
            return rank.into_iter().map(Row::Factor).collect();
        }
        // Keep every important factor if the figure grows to fit them (its
        // own size); the hidden ones are negligible.
        let keep = if self.opts.size.is_none() {
            self.a.important().len().max(max - 1)
        } else {
            max - 1
        };
        let mut rows: Vec<Row> = rank.iter().take(keep).map(|&i| Row::Factor(i)).collect();
        if rank.len() > keep {
            let negligible = keep >= self.a.important().len();
            rows.push(Row::More(rank.len() - keep, negligible));
        }
        rows
    }

    /// Row height at the figure's own size: rows share about 560 px, within
    /// [`ROW_H`] to [`ROW_MAX`] (all scaled with the text).
    fn row_h(&self) -> i32 {
        let look = self.opts.look();
        (look.px(560) / self.rows(MAX_ROWS).len().max(1) as i32)
            .clamp(look.px(ROW_H), look.px(ROW_MAX))
    }

    /// Colours of the main and the second measure: blue and vermillion, or
    /// a dark and a light grey in print.
    fn measure_colours(&self) -> (RGBColor, RGBColor) {
        if self.opts.look().print {
            (style::PRINT_FILLS[0], style::PRINT_FILLS[2])
        } else {
            (MAIN, SECOND)
        }
    }

    /// (value, lo, hi) of the bars in a row, and the σ ring for Morris.
    fn bars(&self, i: usize) -> (Vec<Bar>, Option<f64>) {
        let (main, second) = self.measure_colours();
        match &self.a.indices {
            Indices::Morris(r) => {
                let m = &r.factors[i];
                (
                    vec![(m.mu_star, m.mu_star_ci.lo, m.mu_star_ci.hi, main)],
                    Some(m.sigma),
                )
            }
            Indices::Sobol(r) => {
                let s = &r.factors[i];
                (
                    vec![
                        (
                            s.first_order,
                            s.first_order_ci.lo,
                            s.first_order_ci.hi,
                            main,
                        ),
                        (s.total, s.total_ci.lo, s.total_ci.hi, second),
                    ],
                    None,
                )
            }
        }
    }

    /// The x range: from 0 (or below, for negative S1 estimates) to a little past
    /// the largest bar, whisker or ring.
    fn x_range(&self) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
        for i in 0..self.a.factors.len() {
            let (bars, ring) = self.bars(i);
            for (v, l, h, _) in bars {
                for x in [v, l, h] {
                    if x.is_finite() {
                        lo = lo.min(x);
                        hi = hi.max(x);
                    }
                }
            }
            if let Some(s) = ring.filter(|s| s.is_finite()) {
                hi = hi.max(s);
            }
        }
        if hi <= lo {
            hi = lo + 1.0;
        }
        let pad = 0.06 * (hi - lo);
        (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
    }

    /// The name of factor `i` on its row: for a school class its plain
    /// label from the registry, where it has one.
    fn name(&self, i: usize, look: &Look) -> String {
        let id = self.a.factors[i].id;
        match synsim_core::params::REGISTRY[id.0].plain {
            Some(plain) if look.school => plain.to_string(),
            _ => self.a.factors[i].name().to_string(),
        }
    }

    fn x_label(&self) -> String {
        let (label, unit) = output_label(self.a.metric);
        let unit = if unit == "-" {
            String::new()
        } else {
            format!(" ({unit})")
        };
        match self.a.indices {
            Indices::Morris(_) => format!(
                "\u{3bc}* = average size of the change in {label} as the parameter moves across its range{unit}"
            ),
            Indices::Sobol(_) => {
                format!("share of the variance of {label} (0 = none, 1 = all of it)")
            }
        }
    }

    fn subtitle(&self) -> String {
        let a = self.a;
        let how = match &a.indices {
            Indices::Morris(r) => format!(
                "Morris screening: {} trajectories, {} runs of the typical patient",
                r.trajectories, r.runs
            ),
            Indices::Sobol(r) => format!(
                "Sobol\u{2019} indices: N = {}, {} runs of the typical patient",
                r.base_samples, r.runs
            ),
        };
        let reg = if a.regimen.is_empty() {
            String::new()
        } else {
            format!("{} \u{00b7} ", a.regimen)
        };
        format!(
            "{reg}{how} (seed {}) \u{00b7} ranges: \u{b1}2 SD of patient variability",
            a.seed
        )
    }

    fn legend(&self) -> Vec<(Key, String)> {
        let whisker = "whisker: 95 % bootstrap interval";
        let (main, second) = self.measure_colours();
        let ring = if self.opts.look().print {
            okabe_ito::BLACK
        } else {
            second
        };
        match self.a.indices {
            Indices::Morris(_) => vec![
                (Key::Bar(main), "\u{3bc}*: overall effect".into()),
                (Key::Whisker, whisker.into()),
                (
                    Key::Ring(ring),
                    "\u{3c3}: spread of the effect (nonlinear or interacting)".into(),
                ),
            ],
            Indices::Sobol(_) => vec![
                (Key::Bar(main), "S1: the parameter alone".into()),
                (
                    Key::Bar(second),
                    "ST: in total, with its interactions".into(),
                ),
                (Key::Whisker, whisker.into()),
            ],
        }
    }

    /// The legend in one or two rows from `(x, y)` within `width`; returns the height.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
        width: i32,
        look: &Look,
    ) -> anyhow::Result<i32> {
        let st = font(look.legend(), okabe_ito::BLACK);
        let row_h = look.legend() as i32 + 14;
        let (mut cx, mut cy) = (x, y);
        for (key, label) in self.legend() {
            let label = canvas::clip_px(area, &label, &st, (width - 90).max(40) as u32);
            let w = 44 + 10 + canvas::text_width(area, &label, &st) as i32 + 36;
            if cx > x && cx + w > x + width {
                cx = x;
                cy += row_h;
            }
            let mid = cy + row_h / 2;
            match key {
                Key::Bar(c) => {
                    area.draw(&Rectangle::new(
                        [(cx, mid - 10), (cx + 44, mid + 10)],
                        c.filled(),
                    ))
                    .or_draw()?;
                    if look.print {
                        area.draw(&Rectangle::new(
                            [(cx, mid - 10), (cx + 44, mid + 10)],
                            okabe_ito::BLACK.stroke_width(1),
                        ))
                        .or_draw()?;
                    }
                }
                Key::Ring(c) => area
                    .draw(&Circle::new((cx + 22, mid), 8, c.stroke_width(3)))
                    .or_draw()?,
                Key::Whisker => {
                    let s = okabe_ito::BLACK.stroke_width(2);
                    area.draw(&PathElement::new(vec![(cx + 2, mid), (cx + 42, mid)], s))
                        .or_draw()?;
                    for e in [cx + 2, cx + 42] {
                        area.draw(&PathElement::new(vec![(e, mid - 6), (e, mid + 6)], s))
                            .or_draw()?;
                    }
                }
            }
            canvas::text(
                area,
                &label,
                (cx + 54, mid),
                &st,
                (HPos::Left, VPos::Center),
            )?;
            cx += w;
        }
        Ok(cy - y + row_h)
    }

    /// Height below the rows: tick labels, the axis title and a two-line caption.
    fn below(look: &Look) -> i32 {
        26 + look.tick() as i32 + 20 + 3 * look.label() as i32 + 24
    }

    /// Draws the ranking: the legend on top, then one row per parameter on a
    /// shared x axis, the axis with its label and the verdict under it.
    fn draw_body<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: Look,
    ) -> anyhow::Result<()> {
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let all = self.rows(MAX_ROWS);
        let (px0, px1, range_w) = self.columns(area, &all, w, &look);
        // Legend on top, then the rows, then the x axis, its label and the caption.
        let used = self.draw_legend(area, (px0.min(w / 4), 0), w - px0.min(w / 4) - 20, &look)?;
        let top = used + look.px(34);
        let (rows, row_h) = self.fitted_rows(all, top, h, &look);
        if range_w > 0 {
            canvas::text(
                area,
                "parameter range",
                (px1 + 24, top - 8),
                &bold(look.small(), style::DARK),
                (HPos::Left, VPos::Bottom),
            )?;
        }
        let (x0, x1) = self.x_range();
        let b = Body {
            w,
            h,
            px0,
            px1,
            range_w,
            top,
            bottom: top + row_h * rows.len() as i32,
            row_h,
            x0,
            x1,
        };
        b.draw_grid(area, &look)?;
        self.draw_rows(area, &b, &rows, &look)?;
        self.draw_verdict(area, &b, &look)
    }

    /// The columns in a figure `w` px wide: where the bars start (the
    /// longest name to their left) and end, and the width of the range
    /// column; the ranges only where they leave the bars at least a third
    /// of the width.
    fn columns<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        all: &[Row],
        w: i32,
        look: &Look,
    ) -> (i32, i32, i32) {
        let tick = font(look.tick(), okabe_ito::BLACK);
        let name_w = all
            .iter()
            .filter_map(|r| match r {
                Row::Factor(i) => Some(canvas::text_width(area, &self.name(*i, look), &tick)),
                Row::More(..) => None,
            })
            .max()
            .unwrap_or(200) as i32;
        let px0 = (name_w + 40).min(w / 3);
        let range_w = if w - px0 - look.px(250) - 30 >= w / 3 {
            look.px(250)
        } else {
            0
        };
        let px1 = (w - range_w - 30).max(px0 + 40);
        (px0, px1, range_w)
    }

    /// The rows drawn from `top` down in an area `h` px high, and their
    /// height: all of them at the figure's own size.
    fn fitted_rows(&self, all: Vec<Row>, top: i32, h: i32, look: &Look) -> (Vec<Row>, i32) {
        if self.opts.size.is_none() {
            return (all, self.row_h());
        }
        // A fixed page: as many rows as fit at a readable height.
        let below = Self::below(look);
        let min_h = look.tick() as i32 + 12;
        let room = (h - top - below).max(2 * min_h);
        let rows = self.rows((room / min_h) as usize);
        let row_h = (room / rows.len().max(1) as i32).clamp(min_h, look.px(ROW_MAX));
        (rows, row_h)
    }

    /// The rows, most important first, with the negligible ones set apart
    /// under a dashed line.
    fn draw_rows<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        b: &Body,
        rows: &[Row],
        look: &Look,
    ) -> anyhow::Result<()> {
        let mut separated = false;
        for (k, row) in rows.iter().enumerate() {
            let y0 = b.top + b.row_h * k as i32;
            let yc = y0 + b.row_h / 2;
            let i = match *row {
                Row::Factor(i) => i,
                Row::More(n, negligible) => {
                    draw_more(area, b, (n, negligible), yc, look)?;
                    continue;
                }
            };
            let faint = self.a.is_negligible(i);
            if faint && !separated {
                separated = true;
                self.draw_divider(area, b, (k > 0).then_some(y0), yc, look)?;
            }
            self.draw_factor(area, b, i, faint, yc, look)?;
        }
        Ok(())
    }

    /// Where the negligible parameters begin: a dashed line at `line` (none
    /// when they are all there is) and a note at the right of the row
    /// centred on `yc`.
    fn draw_divider<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        b: &Body,
        line: Option<i32>,
        yc: i32,
        look: &Look,
    ) -> anyhow::Result<()> {
        if let Some(y0) = line {
            area.draw(&DashedPathElement::new(
                vec![(20, y0), (b.w - 20, y0)],
                10,
                8,
                style::DARK.stroke_width(2),
            ))
            .or_draw()?;
        }
        canvas::text(
            area,
            &format!(
                "negligible: {} below {:.0} % of the largest",
                self.a.measure(),
                100.0 * NEGLIGIBLE_SHARE
            ),
            (b.px1 - 8, yc),
            &font(look.small(), style::DARK),
            (HPos::Right, VPos::Center),
        )
    }

    /// The row of factor `i` centred on `yc`: its name, its range, its bars
    /// and the σ ring; a negligible one (`faint`) in lighter ink.
    fn draw_factor<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        b: &Body,
        i: usize,
        faint: bool,
        yc: i32,
        look: &Look,
    ) -> anyhow::Result<()> {
        let f = &self.a.factors[i];
        let ink = if faint { style::DARK } else { okabe_ito::BLACK };
        let name_st = font(look.tick(), ink);
        canvas::text(
            area,
            &canvas::clip_px(
                area,
                &self.name(i, look),
                &name_st,
                (b.px0 - 24).max(20) as u32,
            ),
            (b.px0 - 14, yc),
            &name_st,
            (HPos::Right, VPos::Center),
        )?;
        let unit = if f.unit() == "-" { "" } else { f.unit() };
        if b.range_w > 0 {
            canvas::text(
                area,
                &format!(
                    "{} \u{2013} {} {unit}",
                    short(f.factor.lo),
                    short(f.factor.hi)
                ),
                (b.px1 + 24, yc),
                &font(look.small(), style::DARK),
                (HPos::Left, VPos::Center),
            )?;
        }
        let (bars, ring) = self.bars(i);
        b.draw_bars(area, bars, faint, yc, look)?;
        self.draw_ring(area, b, (i, ring), faint, yc, look)
    }

    /// The σ ring of factor `i` (Morris) on its row; for a parameter with
    /// no effect at all the words "0: no effect" instead.
    fn draw_ring<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        b: &Body,
        (i, ring): (usize, Option<f64>),
        faint: bool,
        yc: i32,
        look: &Look,
    ) -> anyhow::Result<()> {
        // No ring for a parameter with no effect at all, but a word instead.
        let zero = self.a.importance()[i] == 0.0;
        if zero {
            canvas::text(
                area,
                "0: no effect",
                (b.px(0.0) + 10, yc),
                &font(look.small(), style::DARK),
                (HPos::Left, VPos::Center),
            )?;
        }
        if let Some(s) = ring.filter(|s| s.is_finite() && !(zero && *s == 0.0)) {
            let ring = if look.print { okabe_ito::BLACK } else { SECOND };
            let colour = if faint { tint(ring, 0.5) } else { ring };
            area.draw(&Circle::new((b.px(s), yc), 8, colour.stroke_width(3)))
                .or_draw()?;
        }
        Ok(())
    }

    /// The x axis title, centred under the bars (kept inside the figure),
    /// and the verdict on how many parameters matter, at most two lines.
    fn draw_verdict<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        b: &Body,
        look: &Look,
    ) -> anyhow::Result<()> {
        let (w, h) = (b.w, b.h);
        let y = b.bottom + 12 + look.tick() as i32 + 14;
        let st = font(look.label(), okabe_ito::BLACK);
        let label = canvas::clip_px(area, &self.x_label(), &st, (w - 20) as u32);
        let lx = (b.px0 + b.px1) / 2;
        let half = canvas::text_width(area, &label, &st) as i32 / 2;
        canvas::text(
            area,
            &label,
            (lx.clamp(10 + half, (w - 10 - half).max(10 + half)), y),
            &st,
            (HPos::Center, VPos::Top),
        )?;
        let st = bold(look.label(), okabe_ito::BLACK);
        let lines = canvas::wrap_px(area, &self.a.caption(), &st, (w - 20) as u32, 2);
        let line_h = look.label() as i32 + 6;
        let mut y = (y + look.label() as i32 + 20).min(h - line_h * lines.len() as i32);
        for line in lines {
            canvas::text(area, &line, (w / 2, y), &st, (HPos::Center, VPos::Top))?;
            y += line_h;
        }
        Ok(())
    }
}

/// Where the parts of the ranking go, px (in the body's area).
struct Body {
    /// Width and height of the area.
    w: i32,
    h: i32,
    /// Where the bars' axis starts and ends.
    px0: i32,
    px1: i32,
    /// Width of the parameter-range column (0: no such column).
    range_w: i32,
    /// Top of the first row and bottom of the last (the x axis).
    top: i32,
    bottom: i32,
    /// Height of one row.
    row_h: i32,
    /// The x range shown.
    x0: f64,
    x1: f64,
}

impl Body {
    /// The pixel column of value `x`.
    fn px(&self, x: f64) -> i32 {
        self.px0
            + ((x - self.x0) / (self.x1 - self.x0) * f64::from(self.px1 - self.px0)).round() as i32
    }

    /// The vertical grid lines with their ticks and values, the x axis and
    /// the line at zero.
    fn draw_grid<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let (top, bottom) = (self.top, self.bottom);
        let tick = font(look.tick(), okabe_ito::BLACK);
        let n_ticks =
            (look.tick_room((self.px1 - self.px0).max(1) as u32) / 110).clamp(2, 8) as usize;
        let (ticks, decimals) = super::timeaxis::nice_ticks(self.x0, self.x1, n_ticks);
        for t in &ticks {
            let x = self.px(*t);
            area.draw(&PathElement::new(
                vec![(x, top), (x, bottom)],
                style::LIGHT.stroke_width(1),
            ))
            .or_draw()?;
            area.draw(&PathElement::new(
                vec![(x, bottom), (x, bottom + 8)],
                style::DARK.stroke_width(2),
            ))
            .or_draw()?;
            canvas::text(
                area,
                &format!("{t:.decimals$}"),
                (x, bottom + 12),
                &tick,
                (HPos::Center, VPos::Top),
            )?;
        }
        area.draw(&PathElement::new(
            vec![(self.px0, bottom), (self.px1, bottom)],
            style::DARK.stroke_width(2),
        ))
        .or_draw()?;
        area.draw(&PathElement::new(
            vec![(self.px(0.0), top), (self.px(0.0), bottom)],
            style::DARK.stroke_width(2),
        ))
        .or_draw()
    }

    /// A row's bars centred on `yc`, stacked, each with its interval as a
    /// whisker; a negligible parameter's (`faint`) in a lighter tint.
    fn draw_bars<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        bars: Vec<Bar>,
        faint: bool,
        yc: i32,
        look: &Look,
    ) -> anyhow::Result<()> {
        let n = bars.len() as i32;
        let bar_h = if n == 1 {
            self.row_h * 3 / 5
        } else {
            self.row_h * 2 / 5
        }
        .min(34);
        for (b, (v, lo, hi, colour)) in bars.into_iter().enumerate() {
            let colour = if faint { tint(colour, 0.35) } else { colour };
            let by = yc - n * bar_h / 2 + b as i32 * bar_h;
            if v.is_finite() {
                let (xa, xb) = (self.px(0.0).min(self.px(v)), self.px(0.0).max(self.px(v)));
                let corners = [(xa, by + 1), (xb.max(xa + 1), by + bar_h - 1)];
                area.draw(&Rectangle::new(corners, colour.filled()))
                    .or_draw()?;
                if look.print {
                    // Light bars need an edge on paper.
                    area.draw(&Rectangle::new(corners, style::DARK.stroke_width(1)))
                        .or_draw()?;
                }
            }
            if lo.is_finite() && hi.is_finite() && hi > lo {
                draw_whisker(area, (self.px(lo), self.px(hi)), by + bar_h / 2)?;
            }
        }
        Ok(())
    }
}

/// An interval from `xa` to `xb` at height `y`: a line with end caps.
fn draw_whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (xa, xb): (i32, i32),
    y: i32,
) -> anyhow::Result<()> {
    let st = okabe_ito::BLACK.stroke_width(2);
    area.draw(&PathElement::new(vec![(xa, y), (xb, y)], st))
        .or_draw()?;
    for x in [xa, xb] {
        area.draw(&PathElement::new(vec![(x, y - 6), (x, y + 6)], st))
            .or_draw()?;
    }
    Ok(())
}

/// The line for the `n` rows not drawn (and whether they are all
/// `negligible`), centred on `yc`: they are in sensitivity.csv.
fn draw_more<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    b: &Body,
    (n, negligible): (usize, bool),
    yc: i32,
    look: &Look,
) -> anyhow::Result<()> {
    let small = font(look.small(), style::DARK);
    let which = if negligible { " negligible" } else { "" };
    let more = format!("\u{2026} and {n} more{which} parameters (see sensitivity.csv)");
    canvas::text(
        area,
        &canvas::clip_px(area, &more, &small, (b.w - b.px0 - 20).max(40) as u32),
        (b.px0 + 12, yc),
        &small,
        (HPos::Left, VPos::Center),
    )
}

/// A range end with about three significant digits.
fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return fmt_num(v);
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

impl Figure for SensitivityFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.rows(MAX_ROWS).len() as i32;
        let own = (
            WIDTH,
            (self.opts.look().px(350) + self.row_h() * rows) as u32,
        );
        self.opts.size_or(own)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let title = format!(
            "{}: which parameters drive {}?",
            self.a.scenario,
            metric_phrase(self.a.metric)
        );
        let title = self.opts.title_or(&title);
        let sub = self.subtitle();
        let foot = "synsim sensitivity \u{00b7} how the model behaves, not a dosing guide";
        // On a page of a fixed size: all text as large as asked, or as
        // large as leaves room for two rows (the figure's own size grows).
        let (_, h) = root.dim_in_pixel();
        // Rows wanted on a page: every parameter that matters (up to eight)
        // and the line for the rest.
        let want = (self.a.important().len().min(8) + 1)
            .min(self.a.factors.len())
            .max(2) as i32;
        let look = if self.opts.size.is_none() {
            self.look()
        } else {
            canvas::fitted(&self.look(), |l| {
                let head = canvas::title_height(root, l, &title, Some(&sub))
                    + canvas::footer_height(root, l, DISCLAIMER, foot)
                    + 2 * (l.legend() as i32 + 14)
                    + l.px(34);
                h as i32 - head - Self::below(l) >= want * (l.tick() as i32 + 12)
            })
        };
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        self.draw_body(&area.margin(0, 0, 10, 10), look)
    }
}

/// Writes DIR/sensitivity.png and DIR/sensitivity.svg.
pub fn figure(a: &Analysis, dir: &Path, opts: &FigureOptions) -> anyhow::Result<Vec<PathBuf>> {
    if a.factors.is_empty() {
        return Ok(Vec::new());
    }
    let fig = SensitivityFigure {
        a,
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, "sensitivity")
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn range_ends_are_short() {
        assert_eq!(short(0.034567), "0.0346");
        assert_eq!(short(1234.6), "1235");
        assert_eq!(short(2.0), "2");
        assert_eq!(short(0.0), "0");
    }
}
