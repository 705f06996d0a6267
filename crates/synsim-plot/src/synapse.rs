//! The synapse picture: one stretch of dendrite drawn at several moments,
//! with as many spines as the simulated synapse density. Spines keep their
//! places from row to row (a fixed shuffled list of slots, the first N used),
//! so a student sees the same spines persist, new ones appear in colour and
//! the gaps left by depression as ghosts.

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
const OLD_SPINE: RGBColor = RGBColor(88, 78, 112);
const NEW_SPINE: RGBColor = okabe_ito::VERMILLION;
const GHOST: RGBColor = RGBColor(185, 185, 185);

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
    const GOLDEN: f64 = 0.618_033_988_749_894_9;
    let mut rng = SplitMix(0x5EED_5F1E);
    let mut v: Vec<Slot> = (0..SLOTS)
        .map(|k| {
            let jitter = 0.3 * (rng.unit() - 0.5) / SLOTS as f64;
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
    let n = (density_rel.max(0.0) * HEALTHY_SPINES as f64).round();
    (n as usize).min(SLOTS)
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
        let (x0, x1, yc) = (label_w, w - 40, h / 2);
        let thick = (h / 9).clamp(10, 24);
        let reach = (h / 2 - thick / 2 - 8).max(20) as f64;
        // Ghosts first (behind), then spines, then the dendrite shaft on top of the necks.
        let reference = if k == 0 { n } else { HEALTHY_SPINES.max(n) };
        let (old, new) = spine_colours(look);
        for (j, s) in slots.iter().enumerate().take(reference) {
            let present = j < n;
            let colour = if !present {
                GHOST
            } else if k >= 2 && j >= self.before {
                new
            } else {
                old
            };
            spine(area, s, (x0, x1, yc), thick, reach, colour, !present)?;
        }
        area.draw(&Rectangle::new(
            [(x0 - 10, yc - thick / 2), (x1 + 10, yc + thick / 2)],
            DENDRITE.filled(),
        ))
        .or_draw()?;
        area.draw(&Rectangle::new(
            [(x0 - 10, yc - thick / 2), (x1 + 10, yc + thick / 2)],
            DENDRITE_EDGE.stroke_width(2),
        ))
        .or_draw()?;
        Ok(())
    }
}

/// Draws one spine: a neck from the shaft and a round head.
fn spine<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Slot,
    (x0, x1, yc): (i32, i32, i32),
    thick: i32,
    reach: f64,
    colour: RGBColor,
    ghost: bool,
) -> anyhow::Result<()> {
    let base_x = x0 + (s.along * f64::from(x1 - x0)) as i32;
    let dir = if s.up { -1 } else { 1 };
    let r_head = (0.2 * reach * s.head).max(5.0);
    let len = (reach - r_head) * s.length;
    let tip = (
        base_x + (s.tilt * 0.15 * len) as i32,
        yc + dir * (thick / 2 + len as i32),
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
        let (old, new) = spine_colours(&look);
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (w, h) = area.dim_in_pixel();
        let entries = vec![
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
        ];
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
    fn spine_count_follows_density() {
        assert_eq!(spine_count(1.0), HEALTHY_SPINES);
        assert!(spine_count(0.8) < HEALTHY_SPINES);
        assert_eq!(spine_count(10.0), SLOTS);
        assert_eq!(spine_count(-1.0), 0);
    }
}
