//! Several scenarios on the same axes: the figure that answers "why hours
//! for ketamine, weeks for an SSRI?".

use super::canvas::{self, Dash, Figure, LegendEntry, Marker};
use super::dashboard::{healthy_ref, score_refs, series_of, DISCLAIMER};
use super::options::FigureOptions;
use super::panel::{self, draw_panel, Panel, RefLine, Series, XLabels, YFormat};
use super::print::Pens;
use super::style::{self, okabe_ito, quantity, Look};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
pub use synsim_core::experiments::compare::{table, table_grid, Quantity, QUANTITIES};
use synsim_core::model::Observables;
use synsim_core::run::{value_at, RunResult};

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1300);

/// The panels, by the name `--panels` uses, with what each shows.
pub const PANELS: [(&str, &str); 5] = [
    ("doses", "when each regimen doses"),
    ("score", "the illustrative symptom score"),
    ("synapses", "synapse density"),
    ("glutamate", "glutamate tone"),
    ("dissociation", "dissociation, the acute side effect"),
];

/// Share of the height each time-series panel gets (the score most: it is
/// the question being asked).
const WEIGHTS: [i32; 4] = [32, 24, 21, 23];

/// Longest label written at the end of a line, in characters.
pub const MAX_LINE_LABEL: usize = 32;

/// Controls (placebo, no treatment) are dashed so lines under them show through.
fn control_dash(r: &RunResult) -> Dash {
    match style::main_drug(&r.drugs) {
        None | Some(synsim_core::regimen::Drug::Placebo) => Dash::Dashed,
        Some(_) => Dash::Solid,
    }
}

/// The comparison figure.
pub struct Compare<'a> {
    /// (label, run) in legend order.
    pub runs: &'a [(String, &'a RunResult)],
    /// Shared time axis.
    pub axis: TimeAxis,
    /// Title.
    pub title: String,
    /// Extra subtitle lines (changes made to every run, the common length).
    pub notes: Vec<String>,
    /// Title, size, text scale, style and panels.
    pub opts: FigureOptions,
    /// For runs of one scenario with one parameter varied: each run's
    /// place in the order of the values (0 smallest, 1 largest), so the
    /// colours run in the same order. `None`: a colour per drug.
    pub ramp: Option<Vec<f64>>,
}

/// The colour of place `x` (0-1) in an ordered set of runs: viridis from
/// dark purple to green, stopping before its yellow end, which is weak on
/// white.
pub fn ramp_colour(x: f64) -> RGBColor {
    super::sweep::viridis(0.78 * x.clamp(0.0, 1.0))
}

/// Each run's place in the order of `values` (0 smallest, 1 largest; equal
/// values share a place), or `None` when a value is not a number or all
/// are equal.
pub fn value_ramp(values: &[&str]) -> Option<Vec<f64>> {
    let x: Vec<f64> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect::<Option<_>>()?;
    let mut distinct = x.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < 2 {
        return None;
    }
    let last = (distinct.len() - 1) as f64;
    Some(
        x.iter()
            .map(|v| distinct.iter().position(|d| d == v).unwrap_or(0) as f64 / last)
            .collect(),
    )
}

impl Compare<'_> {
    /// Each run's colour (black in print) and marker (print only).
    fn pens(&self) -> Vec<(RGBColor, Marker)> {
        let main: Vec<_> = self
            .runs
            .iter()
            .map(|(_, r)| style::main_drug(&r.drugs))
            .collect();
        let colours = match &self.ramp {
            Some(ramp) => ramp.iter().map(|&x| ramp_colour(x)).collect(),
            None => style::scenario_colours(&main),
        };
        if !self.opts.look().print {
            return colours.into_iter().map(|c| (c, Marker::None)).collect();
        }
        let mut pens = Pens::new();
        colours
            .into_iter()
            .map(|c| {
                // Black would get no marker; every run needs one here.
                let key = if c == okabe_ito::BLACK {
                    style::PLACEBO
                } else {
                    c
                };
                (okabe_ito::BLACK, pens.marker(key))
            })
            .collect()
    }

    /// Whether the lines are labelled where they end: when asked for and
    /// every label is short enough (a long one would cover the data; the
    /// legend is drawn instead).
    fn direct(&self) -> bool {
        self.opts.line_labels()
            && self
                .runs
                .iter()
                .all(|(l, _)| l.chars().count() <= MAX_LINE_LABEL)
    }

    /// Earlier runs are drawn wider, so where runs coincide (same drug, same
    /// first dose) each still shows as a coloured stripe.
    fn width(&self, k: usize) -> u32 {
        if self.opts.look().print {
            // Black on black shows no stripe; markers tell runs apart.
            return 3;
        }
        let n = self.runs.len();
        (3 + 2 * (n - 1 - k.min(n - 1)) as u32).min(8)
    }

    fn panel(&self, title: &str, y_label: &str, get: fn(&Observables) -> f64) -> Panel {
        let mut p = Panel::new(title, y_label);
        for (k, ((label, r), (c, m))) in self.runs.iter().zip(self.pens()).enumerate() {
            let mut s = Series::new(label.clone(), c, control_dash(r), series_of(&r.dense, get))
                .width(self.width(k));
            s.marker = m;
            p.series.push(s);
        }
        p.legend = false;
        p.direct = self.direct();
        p.remark = self.same_lines(get);
        p
    }

    /// Which runs draw the same line in a panel (so the one drawn last hides
    /// the others), as "same line: A, B and C", or `None`.
    fn same_lines(&self, get: fn(&Observables) -> f64) -> Option<String> {
        // Runs of different scenarios are sampled at different times: compare
        // them at every time any of them has.
        let mut times: Vec<f64> = self
            .runs
            .iter()
            .flat_map(|(_, r)| r.dense.iter().map(|o| o.time_h))
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let vals: Vec<Vec<f64>> = self
            .runs
            .iter()
            .map(|(_, r)| {
                times
                    .iter()
                    .map(|&t| value_at(&r.dense, t, get).unwrap_or(f64::NAN))
                    .collect()
            })
            .collect();
        let groups = panel::coinciding(&vals);
        if groups.first().is_some_and(|g| g.len() == self.runs.len()) {
            return Some("every run draws the same line".into());
        }
        let named: Vec<String> = groups
            .into_iter()
            .map(|g| {
                let names: Vec<&str> = g.iter().map(|&k| self.runs[k].0.as_str()).collect();
                match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => names.join(""),
                }
            })
            .collect();
        (!named.is_empty()).then(|| format!("same line: {}", named.join("; ")))
    }

    fn panels(&self) -> Vec<Panel> {
        let first = self.runs[0].1.reference;
        let mut score = self.panel(
            "Symptoms (illustrative score)",
            "score (0\u{2013}60)",
            |o| o.symptom_score,
        );
        score_refs(&mut score, self.runs[0].1);
        let top = self
            .runs
            .iter()
            .flat_map(|(_, r)| r.dense.iter().map(|o| o.symptom_score))
            .fold(first.baseline_score, f64::max);
        score.y_range = Some((0.0, (top * 1.25).clamp(20.0, 70.0)));
        let mut syn = self.panel("Synapses", "% of healthy", |o| o.synapse_density_rel);
        syn.refs.push(healthy_ref(first.healthy_synapse));
        if (first.baseline_synapse - first.healthy_synapse).abs() > 1e-3 {
            syn.refs.push(RefLine {
                y: first.baseline_synapse,
                label: "untreated (depressed)".into(),
                colour: quantity::UNTREATED,
            });
        }
        syn.y_format = YFormat::Percent;
        let mut glu = self.panel("Glutamate tone (theory 1)", "\u{00d7} healthy", |o| {
            o.glutamate_rel
        });
        glu.refs.push(healthy_ref(1.0));
        let mut dis = self.panel(
            "Dissociation (acute side effect)",
            "index (0\u{2013}1)",
            |o| o.dissociation,
        );
        dis.y_range = Some((0.0, 1.0));
        let panels = vec![score, syn, glu, dis];
        if self.opts.school() {
            panels.into_iter().map(Panel::in_plain_words).collect()
        } else {
            panels
        }
    }

    fn draw_strip<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> anyhow::Result<()> {
        let rows: Vec<panel::StripRow> = self
            .runs
            .iter()
            .zip(self.pens())
            .map(|((_, r), (c, m))| {
                let marks = panel::DoseMark::from_doses(&r.doses)
                    .into_iter()
                    .map(|d| panel::DoseMark { colour: c, ..d })
                    .collect();
                (c, m, marks)
            })
            .collect();
        panel::draw_dose_strip(area, "Doses", &rows, &self.axis, look)
    }
}

impl Compare<'_> {
    /// The subtitle: the same patient in every run, which scenarios, and
    /// the notes on lines of their own.
    fn subtitle(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for (_, r) in self.runs {
            if !names.contains(&r.scenario.name.as_str()) {
                names.push(&r.scenario.name);
            }
        }
        let mut sub = if self.opts.school() {
            "the same made-up patient, from a computer model".to_string()
        } else {
            format!(
                "the same illustrative patient \u{00b7} scenario{} {}",
                if names.len() > 1 { "s" } else { "" },
                names.join(", ")
            )
        };
        for n in &self.notes {
            sub.push('\n');
            sub.push_str(n);
        }
        sub
    }

    /// The shared legend: a line per run, or none when the lines are
    /// labelled where they end.
    fn legend_entries(&self) -> Vec<LegendEntry> {
        self.runs
            .iter()
            .zip(self.pens())
            .enumerate()
            .map(|(k, ((l, r), (c, m)))| {
                LegendEntry::line(l.clone(), c, control_dash(r), self.width(k).max(4))
                    .with_marker(m)
            })
            // Lines labelled where they end need no legend.
            .filter(|_| !self.direct())
            .collect()
    }

    /// The `picked` time-series panels (index 0, the dose strip, is not
    /// one), each with its share of the height.
    fn shown_panels(&self, picked: &[usize]) -> Vec<(i32, Panel)> {
        let mut all = self.panels().into_iter().map(Some).collect::<Vec<_>>();
        picked
            .iter()
            .filter(|&&i| i > 0)
            .filter_map(|&i| all[i - 1].take().map(|p| (WEIGHTS[i - 1], p)))
            .collect()
    }

    /// The dose strip's height at a look (0 without a `strip`): a row per run.
    fn strip_h(&self, strip: bool, l: &Look) -> i32 {
        if strip {
            l.px(46) + 24 * self.runs.len() as i32
        } else {
            0
        }
    }

    /// Draws the `shown` panels stacked in `area`, each its share of the
    /// height; the lowest carries the time axis title.
    fn draw_stack<DB: DrawingBackend>(
        &self,
        area: DrawingArea<DB, Shift>,
        shown: &[(i32, Panel)],
        look: &Look,
    ) -> anyhow::Result<()> {
        let (_, h) = area.dim_in_pixel();
        let total: i32 = shown.iter().map(|(wt, _)| wt).sum::<i32>().max(1);
        let mut rest = area;
        for (k, (wt, p)) in shown.iter().enumerate() {
            let last = k + 1 == shown.len();
            let (cell, below) = if last {
                (rest.clone(), rest.clone())
            } else {
                rest.split_vertically(h as i32 * wt / total)
            };
            let xl = if last { XLabels::Full } else { XLabels::Ticks };
            // Lines already carry each run's print pen (one legend for all panels).
            draw_panel(&cell.margin(4, 0, 6, 10), p, &self.axis, xl, look)?;
            rest = below;
        }
        Ok(())
    }
}

/// The shared legend's place at a look in a figure `w` wide: (x, width,
/// text size).
fn legend_span(l: &Look, w: u32) -> (i32, i32, u32) {
    let x0 = panel::caption_x(l).max(w as i32 / 16);
    (x0, w as i32 - 2 * x0, l.sz(style::LEGEND + 2))
}

impl Figure for Compare<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        anyhow::ensure!(!self.runs.is_empty(), "nothing to compare");
        let sub = self.subtitle();
        let picked = self
            .opts
            .pick("compare", &PANELS)
            .map_err(|e| anyhow::anyhow!("--panels: {e}"))?;
        let title = self.opts.title_or(&self.title);
        let foot = "synsim compare";
        let entries = self.legend_entries();
        let shown = self.shown_panels(&picked);
        let strip = picked.contains(&0);
        // All text as large as asked, or as large as leaves the panels room.
        let (w, h) = root.dim_in_pixel();
        let look = canvas::fitted(&self.look(), |l| {
            let (_, lw, size) = legend_span(l, w);
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot)
                + canvas::legend_height(root, &entries, lw, size)
                + 6
                + self.strip_h(strip, l);
            stack_fits(root, (w, (h as i32 - head).max(0) as u32), &shown, l)
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (x0, lw, size) = legend_span(&look, area.dim_in_pixel().0);
        let lh = canvas::legend_height(&area, &entries, lw, size);
        canvas::legend_rows(&area, &entries, (x0, 0), lw, size)?;
        let mut area = area.split_vertically(lh + 6).1;
        if strip {
            // The strip alone: rows as tall as the slide allows.
            let sh = if shown.is_empty() {
                area.dim_in_pixel().1 as i32
            } else {
                self.strip_h(strip, &look)
            };
            let (top, rest) = area.split_vertically(sh);
            self.draw_strip(&top.margin(0, 0, 6, 10), &look)?;
            area = rest;
        }
        self.draw_stack(area, &shown, &look)
    }
}

/// Whether `panels` (each with its share of the height) stacked in a
/// `w` × `h` area all fit at `look` (see [`panel::fits`]); `area` measures
/// text.
fn stack_fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (w, h): (u32, u32),
    panels: &[(i32, Panel)],
    look: &Look,
) -> bool {
    let total: i32 = panels.iter().map(|(wt, _)| wt).sum::<i32>().max(1);
    panels.iter().enumerate().all(|(k, (wt, p))| {
        let xl = if k + 1 == panels.len() {
            XLabels::Full
        } else {
            XLabels::Ticks
        };
        let cell = (w as i32 - 16, h as i32 * wt / total - 10);
        panel::fits(area, p.remark.as_deref(), &[], cell, xl, look)
    })
}

impl<'a> Compare<'a> {
    /// The figure of `runs` (legend label, run) on one time axis, with
    /// `title` (unless `opts` has one), as `opts` asks; a colour per drug
    /// and no subtitle until [`Compare::notes`] and [`Compare::ramp`] say
    /// otherwise.
    pub fn new(
        runs: &'a [(String, &'a RunResult)],
        log_time: bool,
        title: &str,
        opts: &FigureOptions,
    ) -> anyhow::Result<Compare<'a>> {
        anyhow::ensure!(!runs.is_empty(), "nothing to compare");
        let start = runs
            .iter()
            .filter_map(|(_, r)| r.dense.first())
            .map(|o| o.time_h)
            .fold(0.0, f64::min);
        let end = runs
            .iter()
            .filter_map(|(_, r)| r.dense.last())
            .map(|o| o.time_h)
            .fold(1.0, f64::max);
        Ok(Compare {
            runs,
            axis: TimeAxis::new(start, end, opts.log_time(log_time)),
            title: title.to_string(),
            notes: Vec::new(),
            opts: opts.clone(),
            ramp: None,
        })
    }

    /// Extra subtitle lines (changes made to every run, the common length).
    pub fn notes(mut self, notes: &[String]) -> Self {
        self.notes = notes.to_vec();
        self
    }

    /// Colours in the order of a varied parameter's values
    /// ([`value_ramp`]); `None` keeps a colour per drug.
    pub fn ramp(mut self, ramp: Option<Vec<f64>>) -> Self {
        self.ramp = ramp;
        self
    }

    /// Writes DIR/STEM.png and .svg.
    pub fn write(&self, dir: &Path, stem: &str) -> anyhow::Result<Vec<PathBuf>> {
        canvas::save_png_svg(self, dir, stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance-like brightness, enough to order the ramp.
    fn brightness(c: RGBColor) -> f64 {
        0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)
    }

    #[test]
    fn varied_values_are_coloured_in_their_order() {
        // Given out of order, equal values share a place.
        let r = value_ramp(&["20", "10", "40", "10"]).unwrap();
        assert_eq!(r, vec![0.5, 0.0, 1.0, 0.0]);
        let b: Vec<f64> = [0.0, 0.5, 1.0]
            .iter()
            .map(|&x| brightness(ramp_colour(x)))
            .collect();
        assert!(b[0] < b[1] && b[1] < b[2], "{b:?}");
        // The light end stays visible on white.
        assert!(b[2] < 200.0, "{b:?}");
        // Words, or one value only, keep the colour per drug.
        assert!(value_ramp(&["true", "false"]).is_none());
        assert!(value_ramp(&["3", "3.0"]).is_none());
    }
}
