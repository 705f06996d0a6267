//! The theory switchboard made visible: one scenario run with both
//! mechanisms, with each alone and with neither, shown per observable.

use super::canvas::{self, Dash, Figure, LegendEntry, Marker};
use super::compare::Quantity;
use super::dashboard::{changes_line, healthy_ref, score_refs, series_of, DISCLAIMER};
use super::notes::{NOTE_BLOCK_FALLS, NOTE_NO_SURGE, THEORIES_LINE};
use super::options::FigureOptions;
use super::panel::{self, DoseMark, Panel, RefLine, Series, YFormat};
use super::style::{self, okabe_ito, quantity, Look};
use super::timeaxis::TimeAxis;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use synsim_core::run::RunResult;

/// Figure size, px.
pub const SIZE: (u32, u32) = (1920, 1200);

/// The panels, by the name `--panels` uses, with what each shows.
pub const PANELS: [(&str, &str); 4] = [
    ("glutamate", "glutamate tone (theory 1 acts here)"),
    ("mtor", "mTOR activity"),
    ("synapses", "synapse density (theory 2 acts here)"),
    ("score", "the illustrative symptom score"),
];

pub use synsim_core::experiments::theories::{Variant, VARIANTS};

/// Line colour, pattern and width of a setting. Each of the four has its own
/// colour and its own pattern, so they stay apart in grey-scale and under
/// colour-vision deficiencies (none is a drug colour or the reference grey);
/// the full model is drawn underneath, thickest, so a line on top of it
/// shows as a pattern inside a black band.
pub fn line_style(v: &Variant) -> (RGBColor, Dash, u32) {
    match v.key {
        "all" => (okabe_ito::BLACK, Dash::Solid, 9),
        "disinhibition-only" => (okabe_ito::VERMILLION, Dash::Dashed, 5),
        "synaptogenesis-only" => (okabe_ito::SKY_BLUE, Dash::Long, 5),
        _ => (okabe_ito::ORANGE, Dash::Dotted, 5),
    }
}

/// [`line_style`] for print, with a marker: the full model a wide light
/// grey band (a black line on top of it still shows), the others black,
/// each with its own pattern and marker.
pub fn print_style(v: &Variant) -> (RGBColor, Dash, u32, Marker) {
    let (_, dash, width) = line_style(v);
    match v.key {
        "all" => (RGBColor(170, 170, 170), dash, 11, Marker::None),
        "disinhibition-only" => (okabe_ito::BLACK, dash, 3, Marker::Square),
        "synaptogenesis-only" => (okabe_ito::BLACK, dash, 3, Marker::Circle),
        _ => (okabe_ito::BLACK, dash, width.min(4), Marker::Triangle),
    }
}

/// The pen of a setting in `look`: colour, pattern, width and marker.
fn pen(v: &Variant, look: &Look) -> (RGBColor, Dash, u32, Marker) {
    if look.print {
        print_style(v)
    } else {
        let (c, d, w) = line_style(v);
        (c, d, w, Marker::None)
    }
}

/// Groups of settings whose lines coincide for quantity `q` (see
/// [`panel::coinciding`]), as text such as "disinhibition only = both
/// theories", or `None`.
pub fn coincide(runs: &[RunResult], q: usize) -> Option<String> {
    let get = QUANTITIES[q].1;
    let vals: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| r.rows.iter().map(get).collect())
        .collect();
    let groups: Vec<String> = panel::coinciding(&vals)
        .into_iter()
        .map(|g| {
            let names: Vec<&str> = g.iter().map(|&k| VARIANTS[k].short).collect();
            names.join(" = ")
        })
        .collect();
    (!groups.is_empty()).then(|| format!("same line: {}", groups.join("; ")))
}

/// What the "synaptogenesis only" setting shows, read from the runs: its
/// lowest score compared with "neither", in words for the figure.
pub fn synaptogenesis_only_note(runs: &[RunResult]) -> String {
    let k = VARIANTS
        .iter()
        .position(|v| v.key == "synaptogenesis-only")
        .unwrap_or(2);
    let n = VARIANTS
        .iter()
        .position(|v| v.key == "neither")
        .unwrap_or(3);
    let best = |r: &RunResult| {
        r.rows
            .iter()
            .filter(|o| o.time_h >= 0.0)
            .map(|o| o.symptom_score)
            .fold(f64::INFINITY, f64::min)
    };
    let min_syn = runs[k]
        .rows
        .iter()
        .map(|o| o.synapse_density_rel)
        .fold(f64::INFINITY, f64::min);
    let worse = best(&runs[k]) > best(&runs[n]) + 0.05
        || min_syn < runs[k].reference.baseline_synapse - 1e-3;
    if worse {
        NOTE_BLOCK_FALLS.into()
    } else {
        NOTE_NO_SURGE.into()
    }
}

/// The observables shown, in panel order.
pub const QUANTITIES: [Quantity; 4] = [
    ("glutamate_rel", |o| o.glutamate_rel),
    ("mtor_rel", |o| o.mtor_rel),
    ("synapse_density_rel", |o| o.synapse_density_rel),
    ("symptom_score", |o| o.symptom_score),
];

/// The switchboard figure: `runs[k]` is the run with `VARIANTS[k]`.
pub struct Theories<'a> {
    /// One run per variant, in [`VARIANTS`] order.
    pub runs: &'a [RunResult],
    /// Shared time axis.
    pub axis: TimeAxis,
    /// Title, size, text scale, style and panels.
    pub opts: FigureOptions,
}

impl Theories<'_> {
    fn panel(&self, title: &str, y_label: &str, q: usize) -> Panel {
        let look = self.opts.look();
        let mut p = Panel::new(title, y_label);
        for (v, r) in VARIANTS.iter().zip(self.runs) {
            let (c, d, w, m) = pen(v, &look);
            let mut s = Series::new(v.label, c, d, series_of(&r.dense, QUANTITIES[q].1)).width(w);
            s.marker = m;
            p.series.push(s);
        }
        p.legend = false;
        p.doses = DoseMark::from_doses(&self.runs[0].doses);
        if look.print {
            p.doses = DoseMark::for_print(p.doses);
        }
        p
    }

    fn panels(&self) -> Vec<Panel> {
        let refr = self.runs[0].reference;
        // Theory 1's switch changes the glutamate surge; mTOR is upstream of
        // theory 2's switch (it follows the surge whether or not spines may
        // form); theory 2's switch acts on spine formation.
        let mut glu = self.panel("Glutamate tone (theory 1 acts here)", "\u{00d7} healthy", 0);
        glu.refs.push(healthy_ref(1.0));
        let mut mtor = self.panel(
            "mTOR activity (follows the surge; feeds theory 2)",
            "\u{00d7} healthy",
            1,
        );
        mtor.refs.push(healthy_ref(1.0));
        let mut syn = self.panel("Synapses (theory 2 acts here)", "% of healthy", 2);
        syn.refs.push(healthy_ref(refr.healthy_synapse));
        if (refr.baseline_synapse - refr.healthy_synapse).abs() > 1e-3 {
            syn.refs.push(RefLine {
                y: refr.baseline_synapse,
                label: "untreated (depressed)".into(),
                colour: quantity::UNTREATED,
            });
        }
        syn.y_format = YFormat::Percent;
        let mut score = self.panel("Symptoms (illustrative score)", "score (0\u{2013}60)", 3);
        score_refs(&mut score, &self.runs[0]);
        let top = self
            .runs
            .iter()
            .flat_map(|r| r.dense.iter().map(|o| o.symptom_score))
            .fold(refr.baseline_score, f64::max);
        score.y_range = Some((0.0, (top * 1.3).clamp(20.0, 70.0)));
        let mut panels = vec![glu, mtor, syn, score];
        for (q, p) in panels.iter_mut().enumerate() {
            p.remark = coincide(self.runs, q);
        }
        if self.opts.school() {
            panels.into_iter().map(Panel::in_plain_words).collect()
        } else {
            panels
        }
    }
}

impl Figure for Theories<'_> {
    fn size(&self) -> (u32, u32) {
        self.opts.size_or(SIZE)
    }

    fn look(&self) -> Look {
        self.opts.look()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.runs.len() == VARIANTS.len(),
            "the theories figure needs one run per variant"
        );
        let s = &self.runs[0].scenario;
        let title = format!("Two theories, one treatment: {}", s.title);
        let look = self.look();
        let mut sub = look.say(THEORIES_LINE);
        sub.push('\n');
        sub.push_str(&look.say(&synaptogenesis_only_note(self.runs)));
        // The two switches are what this figure varies; other changes are listed.
        let mut shown = s.clone();
        shown.changes.retain(|c| {
            !c.starts_with("mechanisms.disinhibition ")
                && !c.starts_with("mechanisms.synaptogenesis ")
        });
        if let Some(c) = changes_line(&shown, &look) {
            sub.push('\n');
            sub.push_str(&c);
        }
        let picked = self
            .opts
            .pick("theories", &PANELS)
            .map_err(|e| anyhow::anyhow!("--panels: {e}"))?;
        let title = self.opts.title_or(&title);
        let foot = if look.school {
            "synsim theories: each theory switched on and off in the model"
        } else {
            "synsim theories: mechanisms.disinhibition / mechanisms.synaptogenesis"
        };
        let mut all: Vec<Option<Panel>> = self.panels().into_iter().map(Some).collect();
        let panels: Vec<Panel> = picked.iter().filter_map(|&i| all[i].take()).collect();
        let entries = self.legend(&self.look(), root.dim_in_pixel().0);
        // All text as large as asked, or as large as leaves the panels room.
        let (w, h) = root.dim_in_pixel();
        let look = canvas::fitted(&self.look(), |l| {
            let (_, lw) = legend_span(l, w);
            let head = canvas::title_height(root, l, &title, Some(&sub))
                + canvas::footer_height(root, l, DISCLAIMER, foot)
                + canvas::legend_height(root, &entries, lw, l.sz(style::LEGEND + 2))
                + 8;
            let room = (w, (h as i32 - head).max(0) as u32);
            panel::grid_fit(root, room, &panels, l, true).is_some()
        });
        let area = canvas::title(root, &look, &title, Some(&sub))?;
        let area = canvas::footer(&area, &look, DISCLAIMER, foot)?;
        let (w, _) = area.dim_in_pixel();
        let entries = self.legend(&look, w);
        let (x0, lw) = legend_span(&look, w);
        let size = look.sz(style::LEGEND + 2);
        let lh = canvas::legend_height(&area, &entries, lw, size);
        canvas::legend_rows(&area, &entries, (x0, 0), lw, size)?;
        let area = area.split_vertically(lh + 8).1;
        panel::draw_grid(&area, &panels, &self.axis, &look, true)
    }
}

/// Where the shared legend row starts and how wide it is, in a figure `w` wide.
fn legend_span(look: &Look, w: u32) -> (i32, i32) {
    let x0 = panel::caption_x(look).max(w as i32 / 16);
    (x0, w as i32 - 2 * x0)
}

impl Theories<'_> {
    /// The shared legend: the four settings, the dose and the infusion.
    fn legend(&self, look: &Look, w: u32) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = VARIANTS
            .iter()
            .map(|v| {
                let (c, d, w, m) = pen(v, look);
                LegendEntry::line(look.say(v.label), c, d, w.min(6)).with_marker(m)
            })
            .collect();
        let marks = self.panel("", "", 0).doses;
        if let Some(m) = marks.first() {
            entries.push(LegendEntry {
                label: "dose".into(),
                swatch: panel::dose_swatch(m),
            });
        }
        let infusion = self.runs[0].doses.iter().find(|d| d.duration_h > 0.0);
        if let Some(d) =
            infusion.filter(|_| panel::infusion_visible(&self.axis, &self.runs[0].doses, w / 2))
        {
            entries.push(panel::infusion_legend(style::drug_colour(d.drug)));
        }
        entries
    }
}

/// Writes DIR/STEM.png and .svg; `runs` holds one run per [`VARIANTS`] entry.
pub fn write(
    runs: &[RunResult],
    dir: &Path,
    stem: &str,
    log_time: bool,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    anyhow::ensure!(
        runs.len() == VARIANTS.len(),
        "the theories figure needs one run per variant"
    );
    let start = runs[0].dense.first().map(|o| o.time_h).unwrap_or(0.0);
    let end = runs[0].dense.last().map(|o| o.time_h).unwrap_or(1.0);
    let fig = Theories {
        runs,
        axis: TimeAxis::new(start, end, opts.log_time(log_time)),
        opts: opts.clone(),
    };
    canvas::save_png_svg(&fig, dir, stem)
}
