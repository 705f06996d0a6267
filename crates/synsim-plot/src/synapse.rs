//! The synapse picture: one stretch of dendrite drawn at several moments,
//! with as many spines as the simulated synapse density. Spines keep their
//! places from row to row (a fixed shuffled list of slots, the first N used),
//! so a student sees the same spines persist, new ones appear in colour and
//! the gaps left by depression as ghosts.
//!
//! Two layouts: [`SynapsePicture`] (one run, one row per moment, as `synsim
//! demo` draws it) and [`SynapseGrid`] (one row per scenario, one column per
//! time, as `synsim synapses` draws it).

use super::canvas::{self, Figure, LegendEntry, OrDraw, Swatch};
use super::dashboard::DISCLAIMER;
use super::options::FigureOptions;
use super::style::{self, okabe_ito, Look};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::{Path, PathBuf};
use synsim_core::run::{value_at, RunResult};

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1200);

/// Spines on the drawn stretch of a healthy dendrite.
pub const HEALTHY_SPINES: usize = 40;

/// Spine slots available (room for up to twice the healthy density).
const SLOTS: usize = 2 * HEALTHY_SPINES;

/// The default moments shown after the healthy reference row:
/// (label, hours since the first dose).
pub const DEFAULT_TIMES: [(&str, f64); 4] = [
    ("Before treatment", 0.0),
    ("24 hours after the first dose", 24.0),
    ("1 week", 168.0),
    ("1 month (28 days)", 672.0),
];

const DENDRITE: RGBColor = RGBColor(214, 198, 176);
const DENDRITE_EDGE: RGBColor = RGBColor(150, 128, 100);
/// A spine that was there before treatment.
pub const OLD_SPINE: RGBColor = RGBColor(88, 78, 112);
/// A spine grown since treatment began.
pub const NEW_SPINE: RGBColor = okabe_ito::VERMILLION;
/// The outline of a spine missing compared with a healthy brain.
pub const GHOST: RGBColor = RGBColor(160, 160, 160);

/// Spine colours (old, new) in `look`: purple-grey and vermillion, or in
/// print mid grey and black.
fn spine_colours(look: &Look) -> (RGBColor, RGBColor) {
    if look.print {
        (style::PRINT_FILLS[1], okabe_ito::BLACK)
    } else {
        (OLD_SPINE, NEW_SPINE)
    }
}

/// Small deterministic generator (SplitMix64), so the drawing never changes
/// between runs or machines.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One place on the dendrite where a spine can grow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Position along the drawn stretch, 0-1.
    pub along: f64,
    /// Grows upward (else downward).
    pub up: bool,
    /// Neck length relative to the longest, 0.45-1.
    pub length: f64,
    /// Head size relative to the largest, 0.7-1.
    pub head: f64,
    /// Tilt of the neck, -1 (left) to 1 (right).
    pub tilt: f64,
}

/// The spine slots in the order spines occupy them: a row with N spines uses
/// the first N. Positions follow the golden-ratio sequence (slightly
/// jittered, seeded), so any first N are spread evenly along the dendrite
/// and each new spine fills a gap. Fixed, so every row and every run agree.
pub fn slots() -> Vec<Slot> {
    slots_n(SLOTS)
}

/// [`slots`] for a dendrite with room for `n` spines.
fn slots_n(n: usize) -> Vec<Slot> {
    const GOLDEN: f64 = 0.618_033_988_749_894_9;
    let mut rng = SplitMix(0x5EED_5F1E);
    let mut v: Vec<Slot> = (0..n)
        .map(|k| {
            let jitter = 0.3 * (rng.unit() - 0.5) / n as f64;
            Slot {
                along: ((0.5 + k as f64 * GOLDEN).fract() + jitter).clamp(0.0, 1.0),
                up: k % 2 == 0,
                length: 0.0,
                head: 0.7 + 0.3 * rng.unit(),
                tilt: 2.0 * rng.unit() - 1.0,
            }
        })
        .collect();
    // Neighbours on the same side alternate long and short necks so their
    // heads do not collide.
    for up in [true, false] {
        let mut side: Vec<usize> = (0..v.len()).filter(|&k| v[k].up == up).collect();
        side.sort_by(|&a, &b| v[a].along.total_cmp(&v[b].along));
        for (rank, &k) in side.iter().enumerate() {
            v[k].length = if rank % 2 == 0 {
                0.85 + 0.15 * rng.unit()
            } else {
                0.45 + 0.15 * rng.unit()
            };
        }
    }
    v
}

/// Number of spines drawn for a density relative to healthy.
pub fn spine_count(density_rel: f64) -> usize {
    spines_for(density_rel, HEALTHY_SPINES)
}

/// Number of spines drawn for a density relative to healthy on a dendrite
/// that carries `healthy` spines at a healthy density (at most twice that).
pub fn spines_for(density_rel: f64, healthy: usize) -> usize {
    let n = (density_rel.max(0.0) * healthy as f64).round();
    (n as usize).min(2 * healthy)
}

/// One row of the picture.
#[derive(Debug, Clone)]
pub struct Row {
    /// What moment it shows.
    pub label: String,
    /// Synapse density relative to healthy.
    pub density: f64,
}

/// The synapse picture of one run.
pub struct SynapsePicture {
    /// Title line.
    pub title: String,
    /// Healthy reference first, then the chosen moments.
    pub rows: Vec<Row>,
    /// Spines before treatment (the second row), to colour new ones.
    pub before: usize,
    /// Title, size, text scale and style.
    pub opts: FigureOptions,
}

impl SynapsePicture {
    /// The healthy row and the moments of `times` (label, hours) that fall
    /// inside the run.
    pub fn new(r: &RunResult, times: &[(&str, f64)]) -> SynapsePicture {
        let mut rows = vec![Row {
            label: "Healthy brain (for comparison)".into(),
            density: r.reference.healthy_synapse,
        }];
        for (label, t) in times {
            if let Some(d) = value_at(&r.dense, *t, |o| o.synapse_density_rel) {
                rows.push(Row {
                    label: label.to_string(),
                    density: d,
                });
            }
        }
        let before = rows
            .get(1)
            .map(|r| spine_count(r.density))
            .unwrap_or(HEALTHY_SPINES);
        SynapsePicture {
            title: format!("Spines on one dendrite: {}", r.scenario.title),
            rows,
            before,
            opts: FigureOptions::default(),
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        k: usize,
        slots: &[Slot],
        look: &Look,
    ) -> anyhow::Result<()> {
        let row = &self.rows[k];
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let n = spine_count(row.density);
        let label_w = look.px(440).min(w / 2);
        let st = canvas::bold(look.label(), okabe_ito::BLACK);
        canvas::text(
            area,
            &canvas::clip_px(area, &row.label, &st, (label_w - 30).max(20) as u32),
            (20, h / 2 - look.px(16)),
            &st,
            (HPos::Left, VPos::Center),
        )?;
        let change = if k >= 2 && n > self.before {
            format!(" ({} new)", n - self.before)
        } else {
            String::new()
        };
        let detail = format!(
            "{:.0} % of healthy \u{00b7} {n} spines{change}",
            100.0 * row.density
        );
        let st = canvas::font(look.tick(), style::DARK);
        canvas::text(
            area,
            &canvas::clip_px(area, &detail, &st, (label_w - 30).max(20) as u32),
            (20, h / 2 + look.px(18)),
            &st,
            (HPos::Left, VPos::Center),
        )?;
        let thick = (h / 9).clamp(10, 24);
        let reach = (h / 2 - thick / 2 - 8).max(20) as f64;
        let shaft = Shaft {
            x0: label_w,
            x1: w - 40,
            yc: h / 2,
            thick,
            reach,
            head: 0.2 * reach,
            overhang: 10,
        };
        // The healthy row has no ghosts; new spines are coloured from the
        // first row after "before treatment" on.
        let ghosts = if k == 0 { n } else { HEALTHY_SPINES.max(n) };
        let new_from = if k >= 2 { self.before } else { usize::MAX };
        dendrite(
            area,
            &shaft,
            slots,
            n,
            ghosts,
            new_from,
            spine_colours(look),
        )
    }
}

/// Where a dendrite is drawn and how large its spines are, px.
struct Shaft {
    /// Left and right end of the spine slots.
    x0: i32,
    x1: i32,
    /// Centre line of the shaft.
    yc: i32,
    /// Thickness of the shaft.
    thick: i32,
    /// Longest reach of a spine from the centre line.
    reach: f64,
    /// Largest head radius.
    head: f64,
    /// How far the shaft runs on past the outermost slots.
    overhang: i32,
}

/// Draws a dendrite with `n` spines in the first slots: ghosts of the
/// missing ones up to `ghosts` slots (behind), spines from slot `new_from`
/// on coloured as new, then the shaft on top of the necks.
fn dendrite<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shaft: &Shaft,
    slots: &[Slot],
    n: usize,
    ghosts: usize,
    new_from: usize,
    (old, new): (RGBColor, RGBColor),
) -> anyhow::Result<()> {
    for (j, s) in slots.iter().enumerate().take(ghosts.max(n)) {
        let present = j < n;
        let colour = if !present {
            GHOST
        } else if j >= new_from {
            new
        } else {
            old
        };
        spine(area, s, shaft, colour, !present)?;
    }
    let (yc, thick) = (shaft.yc, shaft.thick);
    let (x0, x1) = (shaft.x0 - shaft.overhang, shaft.x1 + shaft.overhang);
    let corners = [(x0, yc - thick / 2), (x1, yc + thick / 2)];
    area.draw(&Rectangle::new(corners, DENDRITE.filled()))
        .or_draw()?;
    area.draw(&Rectangle::new(corners, DENDRITE_EDGE.stroke_width(2)))
        .or_draw()?;
    Ok(())
}

/// Draws one spine: a neck from the shaft and a round head.
fn spine<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Slot,
    shaft: &Shaft,
    colour: RGBColor,
    ghost: bool,
) -> anyhow::Result<()> {
    let (x0, x1, yc) = (shaft.x0, shaft.x1, shaft.yc);
    let base_x = x0 + (s.along * f64::from(x1 - x0)) as i32;
    let dir = if s.up { -1 } else { 1 };
    let r_head = (shaft.head * s.head).max(5.0);
    let len = (shaft.reach - r_head) * s.length;
    let tip = (
        base_x + (s.tilt * 0.15 * len) as i32,
        yc + dir * (shaft.thick / 2 + len as i32),
    );
    let base = (base_x, yc);
    let r = r_head as i32;
    if ghost {
        area.draw(&PathElement::new(vec![base, tip], colour.stroke_width(3)))
            .or_draw()?;
        area.draw(&Circle::new(tip, r, colour.stroke_width(3)))
            .or_draw()?;
    } else {
        area.draw(&PathElement::new(vec![base, tip], colour.stroke_width(6)))
            .or_draw()?;
        area.draw(&Circle::new(tip, r, colour.filled())).or_draw()?;
    }
    Ok(())
}

impl Figure for SynapsePicture {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let sub = format!(
            "the same stretch of dendrite at each moment; {HEALTHY_SPINES} spines = healthy density; spines drawn in proportion to the simulated density"
        );
        let title = self.opts.title_or(&self.title);
        let foot = "synsim \u{00b7} synapse (spine) density, illustrative";
        // All text as large as asked, or as large as leaves each row room
        // for its two lines of text.
        let (_, h) = root.dim_in_pixel();
        let rows = self.rows.len().max(1) as i32;
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot)
                + 2 * (l.sz(style::LEGEND + 2) as i32 + 12);
            (h as i32 - head) / rows >= l.label() as i32 + l.tick() as i32 + l.px(20)
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (w, h) = area.dim_in_pixel();
        let entries = legend_entries(&look);
        let size = look.sz(style::LEGEND + 2);
        let x0 = look.px(440).min(w as i32 / 2);
        let lw = (w as i32 - x0 - 40).max(200);
        let x0 = x0.min(w as i32 - lw - 20).max(10);
        let lh = canvas::legend_height(&area, &entries, lw, size);
        let (rows_area, legend_area) = area.split_vertically(h as i32 - lh - 10);
        canvas::legend_rows(&legend_area, &entries, (x0, 0), lw, size)?;
        let slots = slots();
        let cells = rows_area.split_evenly((self.rows.len().max(1), 1));
        for (k, cell) in cells.iter().enumerate().take(self.rows.len()) {
            if k == 1 {
                // A thin rule separates the reference from the patient's rows.
                let (cw, _) = cell.dim_in_pixel();
                cell.draw(&PathElement::new(
                    vec![(20, 1), (cw as i32 - 20, 1)],
                    style::LIGHT.stroke_width(2),
                ))
                .or_draw()?;
            }
            self.draw_row(cell, k, &slots, &look)?;
        }
        Ok(())
    }
}

/// Spines on the healthy stretch of dendrite in each cell of a
/// [`SynapseGrid`] (fewer than [`HEALTHY_SPINES`]: a cell is narrower than a
/// row of the single-run picture).
pub const GRID_HEALTHY_SPINES: usize = 20;
/// Most scenarios (rows) a [`SynapseGrid`] shows legibly on a projector.
pub const GRID_MAX_ROWS: usize = 4;
/// Most times (columns) a [`SynapseGrid`] shows legibly on a projector.
pub const GRID_MAX_COLUMNS: usize = 6;

/// One scenario's row of a [`SynapseGrid`].
#[derive(Debug, Clone)]
pub struct GridRow {
    /// The scenario's name (bold, first in the row's heading).
    pub name: String,
    /// The scenario's title (after the name).
    pub title: String,
    /// Synapse density before treatment (at the first dose), relative to
    /// healthy: spines beyond its count are drawn as new.
    pub before: f64,
    /// Synapse density at each time of the grid, relative to healthy.
    pub densities: Vec<f64>,
}

/// Spines on one dendrite for several scenarios side by side: one row per
/// scenario, one column per time, the same times in every row.
#[derive(Debug, Clone)]
pub struct SynapseGrid {
    /// Title line.
    pub title: String,
    /// Lines under the subtitle: what was changed, notes on the runs.
    pub notes: Vec<String>,
    /// The times of the columns, hours since the first dose.
    pub times_h: Vec<f64>,
    /// One row per scenario.
    pub rows: Vec<GridRow>,
    /// Title, size, text scale and style, as the command line asks.
    pub opts: FigureOptions,
}

/// A time since the first dose in words for a cell label: "before
/// treatment" (0), "40 min", "2 hours", "1 day", "1.5 days", "8 weeks".
pub fn time_words(h: f64) -> String {
    if h <= 0.0 {
        return "before treatment".into();
    }
    let text = synsim_core::units::format_duration_h(h);
    let Some((number, unit)) = text.split_once(' ') else {
        return text;
    };
    let word = match unit {
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        _ => return text,
    };
    let plural = if number == "1" { "" } else { "s" };
    format!("{number} {word}{plural}")
}

impl SynapseGrid {
    /// A row's heading: the scenario's name in bold, then its title, cut
    /// to the width.
    fn draw_heading<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        row: &GridRow,
        look: &Look,
    ) -> anyhow::Result<()> {
        let (w, _) = area.dim_in_pixel();
        let bold = canvas::bold(look.sz(style::LABEL + 2), okabe_ito::BLACK);
        let plain = canvas::font(look.sz(style::LABEL + 2), style::DARK);
        let name = fit(area, &row.name, &bold, w.saturating_sub(60));
        canvas::text(area, &name, (30, 10), &bold, (HPos::Left, VPos::Top))?;
        let x = 30 + canvas::text_width(area, &name, &bold) as i32 + 16;
        let room = (w as i32 - x - 30).max(0) as u32;
        let title = format!("\u{2014} {}", row.title);
        if room > 100 && !row.title.is_empty() {
            let title = fit(area, &title, &plain, room);
            canvas::text(area, &title, (x, 10), &plain, (HPos::Left, VPos::Top))?;
        }
        Ok(())
    }

    /// Height of one scenario's row, px, before the figure is squeezed
    /// into its largest size.
    const ROW_H: i32 = 370;
    /// Height of everything but the rows (title, legend, footer), px.
    const FRAME_H: i32 = 260;

    /// The label of one cell: its time, and the density with the spines
    /// drawn (the spine count only when `wide`).
    fn cell_label(&self, h: f64, density: f64, wide: bool) -> (String, String) {
        let n = spines_for(density, GRID_HEALTHY_SPINES);
        let pct = format!("{:.0} % of healthy", 100.0 * density);
        let detail = if wide {
            format!("{pct} \u{00b7} {n} spines")
        } else {
            pct
        };
        (time_words(h), detail)
    }

    fn draw_cell<DB: DrawingBackend>(
        &self,
        cell: &DrawingArea<DB, Shift>,
        row: &GridRow,
        k: usize,
        slots: &[Slot],
        look: &Look,
    ) -> anyhow::Result<()> {
        let (w, h) = cell.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let density = row.densities[k];
        let time_style = canvas::bold(look.label(), okabe_ito::BLACK);
        let detail_style = canvas::font(look.tick(), style::DARK);
        let (time, detail) = self.cell_label(self.times_h[k], density, true);
        let detail = if canvas::text_width(cell, &detail, &detail_style) as i32 > w - 16 {
            self.cell_label(self.times_h[k], density, false).1
        } else {
            detail
        };
        canvas::text(
            cell,
            &time,
            (w / 2, 4),
            &time_style,
            (HPos::Center, VPos::Top),
        )?;
        let label_h = look.label() as i32 + look.tick() as i32 + 18;
        canvas::text(
            cell,
            &detail,
            (w / 2, look.label() as i32 + 10),
            &detail_style,
            (HPos::Center, VPos::Top),
        )?;
        // The drawing below the labels, no longer than fits the cell and
        // no taller than reads well.
        let draw_h = h - label_h - 6;
        let length = (w - 60).min(620);
        let thick = (draw_h / 12).clamp(10, 18);
        let reach = f64::from((draw_h / 2 - thick / 2 - 6).clamp(20, 170));
        // Neighbours on one side are about `spacing` apart at a healthy density.
        let spacing = f64::from(length) / (GRID_HEALTHY_SPINES as f64 / 2.0);
        // The slots stop short of the shaft's ends, so a tilted spine at
        // the end still grows from the shaft.
        let overhang = (spacing * 0.6) as i32;
        let x0 = (w - length) / 2 + overhang;
        let shaft = Shaft {
            x0,
            x1: x0 + length - 2 * overhang,
            yc: label_h + 6 + draw_h / 2,
            thick,
            reach,
            head: (0.2 * reach).min(0.42 * spacing),
            overhang,
        };
        let n = spines_for(density, GRID_HEALTHY_SPINES);
        let before = spines_for(row.before, GRID_HEALTHY_SPINES);
        dendrite(
            cell,
            &shaft,
            slots,
            n,
            GRID_HEALTHY_SPINES,
            before,
            spine_colours(look),
        )
    }
}

impl Figure for SynapseGrid {
    fn size(&self) -> (u32, u32) {
        let notes = 30 * self.notes.len() as i32;
        let h = Self::FRAME_H + notes + Self::ROW_H * self.rows.len() as i32;
        self.opts.size_or((1920, h.clamp(1000, 1440) as u32))
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let mut sub = format!(
            "the same stretch of dendrite at each time after the first dose; {GRID_HEALTHY_SPINES} \
             spines = healthy density; spines drawn in proportion to the simulated synapse density"
        );
        for n in &self.notes {
            sub.push('\n');
            sub.push_str(n);
        }
        let title = self.opts.title_or(&self.title);
        let foot = "synsim \u{00b7} synapse (spine) density, illustrative";
        let (_, fig_h) = root.dim_in_pixel();
        let n = self.rows.len().max(1) as i32;
        // All text as large as asked, or as large as leaves each row room
        // for its heading, its cell labels and a drawing.
        let look = canvas::fitted(&self.look(), |l| {
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot)
                + 2 * (l.sz(style::LEGEND + 2) as i32 + 12);
            (fig_h as i32 - head) / n >= 2 * l.label() as i32 + l.tick() as i32 + l.px(120)
        });
        let area = canvas::title(root, &look, &title, Some(sub.as_str()))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (w, h) = area.dim_in_pixel();
        let entries = legend_entries(&look);
        let size = look.sz(style::LEGEND + 2);
        let lh = canvas::legend_height(&area, &entries, w as i32 - 80, size);
        let (rows_area, legend_area) = area.split_vertically(h as i32 - lh - 10);
        let lw = canvas::legend_width(&legend_area, &entries, size);
        canvas::legend_rows(
            &legend_area,
            &entries,
            (((w as i32 - lw) / 2).max(40), 0),
            w as i32 - 80,
            size,
        )?;
        let slots = slots_n(2 * GRID_HEALTHY_SPINES);
        // Rows no taller than reads well, the block centred vertically.
        let (_, rh) = rows_area.dim_in_pixel();
        let row_h = (rh as i32 / n).min(Self::ROW_H + 150);
        let top = (rh as i32 - row_h * n) / 2;
        let block = rows_area.margin(top.max(0), (rh as i32 - top - row_h * n).max(0), 0, 0);
        let rows = block.split_evenly((self.rows.len().max(1), 1));
        for (r, (row, area)) in self.rows.iter().zip(&rows).enumerate() {
            let (rw, _) = area.dim_in_pixel();
            if r > 0 {
                // A thin rule between scenarios.
                area.draw(&PathElement::new(
                    vec![(20, 1), (rw as i32 - 20, 1)],
                    style::LIGHT.stroke_width(2),
                ))
                .or_draw()?;
            }
            self.draw_heading(area, row, &look)?;
            let head_h = look.sz(style::LABEL) as i32 + 22;
            let (_, cells) = area.split_vertically(head_h);
            let cells = cells.margin(0, 0, 20, 20);
            let parts = cells.split_evenly((1, self.times_h.len().max(1)));
            for (k, cell) in parts.iter().enumerate().take(row.densities.len()) {
                self.draw_cell(cell, row, k, &slots, &look)?;
            }
        }
        Ok(())
    }
}

/// The spine legend of both layouts.
fn legend_entries(look: &Look) -> Vec<LegendEntry> {
    let (old, new) = spine_colours(look);
    vec![
        LegendEntry {
            label: "spine already there before treatment".into(),
            swatch: Swatch::Dot(old),
        },
        LegendEntry {
            label: "new spine, grown since treatment began".into(),
            swatch: Swatch::Dot(new),
        },
        LegendEntry {
            label: "spine missing compared with a healthy brain".into(),
            swatch: Swatch::Ring(GHOST),
        },
    ]
}

/// `text` cut with an ellipsis to at most `width` px in `style`.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut shown = text.to_string();
    while chars.len() > 1 && canvas::text_width(area, &shown, style) > width {
        chars.pop();
        let kept: String = chars.iter().collect();
        shown = format!("{}\u{2026}", kept.trim_end());
    }
    shown
}

/// Writes DIR/STEM.png and .svg of a [`SynapseGrid`].
pub fn write_grid(grid: &SynapseGrid, dir: &Path, stem: &str) -> anyhow::Result<Vec<PathBuf>> {
    canvas::save_png_svg(grid, dir, stem)
}

/// Writes DIR/STEM.png and .svg for `r` at [`DEFAULT_TIMES`], as `opts` asks.
pub fn write(
    r: &RunResult,
    dir: &Path,
    stem: &str,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    write_at(r, dir, stem, &DEFAULT_TIMES, opts)
}

/// Writes DIR/STEM.png and .svg for `r` at the given (label, hours)
/// moments, as `opts` asks.
pub fn write_at(
    r: &RunResult,
    dir: &Path,
    stem: &str,
    times: &[(&str, f64)],
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut fig = SynapsePicture::new(r, times);
    fig.opts = opts.clone();
    canvas::save_png_svg(&fig, dir, stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_fixed_and_cover_the_dendrite() {
        let a = slots();
        assert_eq!(a, slots());
        assert_eq!(a.len(), SLOTS);
        assert!(a.iter().all(|s| (0.0..=1.0).contains(&s.along)));
        // Filling order is not left to right ...
        assert!(a.windows(2).any(|w| w[1].along < w[0].along));
        // ... and any first N leave no big gap (at most 3 average spacings).
        for n in [10, HEALTHY_SPINES / 2, HEALTHY_SPINES] {
            let mut pos: Vec<f64> = a[..n].iter().map(|s| s.along).collect();
            pos.sort_by(f64::total_cmp);
            let gap = pos.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
            assert!(gap < 3.0 / n as f64, "n = {n}: gap {gap}");
        }
    }

    #[test]
    fn grid_spines_follow_density_on_their_own_scale() {
        assert_eq!(spines_for(1.0, GRID_HEALTHY_SPINES), GRID_HEALTHY_SPINES);
        assert_eq!(spines_for(0.8, GRID_HEALTHY_SPINES), 16);
        assert_eq!(spines_for(0.9, GRID_HEALTHY_SPINES), 18);
        assert_eq!(
            spines_for(5.0, GRID_HEALTHY_SPINES),
            2 * GRID_HEALTHY_SPINES
        );
        let mut last = 0;
        for k in 0..=200 {
            let n = spines_for(k as f64 / 100.0, GRID_HEALTHY_SPINES);
            assert!(n >= last, "fewer spines at a higher density");
            last = n;
        }
    }

    #[test]
    fn grid_is_projector_sized_and_labels_every_cell() {
        let row = |name: &str, d: f64| GridRow {
            name: name.into(),
            title: format!("{name} title"),
            before: 0.8,
            densities: vec![d, d + 0.05, d + 0.1],
        };
        for n in 1..=GRID_MAX_ROWS {
            let g = SynapseGrid {
                title: "t".into(),
                notes: vec!["changed: x = 1".into()],
                times_h: vec![24.0, 168.0, 1344.0],
                rows: (0..n).map(|k| row(&format!("s{k}"), 0.8)).collect(),
                opts: FigureOptions::default(),
            };
            let (w, h) = g.size();
            assert!(w >= 1600 && (1000..=1440).contains(&h), "{n} rows: {w}x{h}");
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, g.size()).into_drawing_area();
                crate::style::init_font();
                g.draw(&root).unwrap();
            }
            for k in 0..n {
                assert!(svg.contains(&format!("s{k}")), "row {k} unnamed");
            }
            for label in [
                "1 day",
                "1 week",
                "8 weeks",
                "80 % of healthy",
                "90 % of healthy",
            ] {
                assert_eq!(svg.matches(label).count(), n, "{label}");
            }
            assert!(svg.contains("changed: x = 1"));
        }
    }

    #[test]
    fn spine_count_follows_density() {
        assert_eq!(spine_count(1.0), HEALTHY_SPINES);
        assert!(spine_count(0.8) < HEALTHY_SPINES);
        assert_eq!(spine_count(10.0), SLOTS);
        assert_eq!(spine_count(-1.0), 0);
    }
}
