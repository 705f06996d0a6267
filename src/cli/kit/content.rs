//! What a lesson kit is made of: slides (a figure command and what to say),
//! timed segments, questions, sketch axes and answer-key entries whose
//! numbers come from a model run made when the kit is built.

use super::super::common::Common;
use crate::export;
use crate::plot::options::{PageSize, Style};
use crate::plot::FigureOptions;
use crate::run::{run, RunResult};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

/// Who the kit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Secondary school: plain words, no log axis, no equations.
    School,
    /// University: the lesson plans in docs/lessons.
    University,
}

impl Level {
    /// The word `--level` takes.
    pub fn name(self) -> &'static str {
        match self {
            Level::School => "school",
            Level::University => "university",
        }
    }

    /// How the kit's slide figures are drawn at this level: a 16:9 slide,
    /// large text, lines labelled where they end; plain words and a linear
    /// time axis for school.
    pub fn slide_options(self) -> FigureOptions {
        FigureOptions {
            size: Some(PageSize::Wide),
            font_scale: 1.5,
            line_labels: true,
            style: match self {
                Level::School => Style::School,
                Level::University => Style::Colour,
            },
            ..FigureOptions::default()
        }
    }
}

/// The kind of figure a slide shows (the synsim command that draws it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// `synsim compare`.
    #[default]
    Compare,
    /// `synsim run` (its dashboard).
    Run,
    /// `synsim synapses`.
    Synapses,
    /// `synsim theories`.
    Theories,
    /// `synsim circuit`.
    Circuit,
}

/// One slide figure: which command draws it and with what.
#[derive(Debug, Clone, Default)]
pub struct Fig {
    /// The command.
    pub kind: Kind,
    /// Scenarios (one for run and theories, none for circuit).
    pub scenarios: &'static [&'static str],
    /// Shorter labels for the lines (compare) or rows (synapses), in
    /// scenario order (`--label`).
    pub labels: &'static [&'static str],
    /// `--days`.
    pub days: Option<f64>,
    /// `--panels` (one or two: a slide stays readable).
    pub panels: &'static [&'static str],
    /// `--set NAME=VALUE` changes.
    pub set: &'static [&'static str],
    /// `--vary NAME=V1,V2` (compare).
    pub vary: Option<&'static str>,
    /// `--regimen` (run).
    pub regimen: Option<&'static str>,
    /// `--log-time` (Some(true)) or `--linear-time` (Some(false)).
    pub log: Option<bool>,
    /// `--at` (synapses).
    pub at: &'static str,
    /// `--title`.
    pub title: &'static str,
}

impl Fig {
    /// The scenario flags of this figure.
    fn common(&self) -> Common {
        Common {
            set: self.set.iter().map(|s| s.to_string()).collect(),
            regimen: self.regimen.map(str::to_string),
            days: self.days,
            allow_anaesthetic: false,
        }
    }

    /// The options the figure is drawn with at `level`.
    pub fn options(&self, level: Level) -> FigureOptions {
        FigureOptions {
            title: (!self.title.is_empty()).then(|| self.title.to_string()),
            panels: self.panels.iter().map(|p| p.to_string()).collect(),
            ..level.slide_options()
        }
    }

    /// The `synsim` command that draws this figure at `level` (a teacher
    /// can run it to remake or change the slide).
    pub fn command(&self, level: Level) -> String {
        let o = self.options(level);
        let mut w: Vec<String> = vec!["synsim".into()];
        w.push(
            match self.kind {
                Kind::Compare => "compare",
                Kind::Run => "run",
                Kind::Synapses => "synapses",
                Kind::Theories => "theories",
                Kind::Circuit => "circuit",
            }
            .into(),
        );
        w.extend(self.scenarios.iter().map(|s| s.to_string()));
        let mut flag = |name: &str, value: String| {
            w.push(format!("--{name}"));
            w.push(quote(&value));
        };
        if let Some(d) = self.days {
            flag("days", d.to_string());
        }
        for s in self.set {
            flag("set", s.to_string());
        }
        if let Some(v) = self.vary {
            flag("vary", v.to_string());
        }
        if let Some(r) = self.regimen {
            flag("regimen", r.to_string());
        }
        if !self.at.is_empty() {
            flag("at", self.at.to_string());
        }
        if matches!(self.kind, Kind::Compare | Kind::Synapses) {
            for l in self.labels {
                flag("label", l.to_string());
            }
        }
        if !self.panels.is_empty() {
            flag("panels", self.panels.join(","));
        }
        if let Some(t) = &o.title {
            flag("title", t.clone());
        }
        flag("size", "16:9".into());
        flag("font-scale", o.font_scale.to_string());
        if o.style != Style::Colour {
            flag("style", o.style.to_string());
        } else if self.kind == Kind::Compare {
            w.push("--line-labels".into());
        }
        match self.log {
            Some(true) => w.push("--log-time".into()),
            Some(false) => w.push("--linear-time".into()),
            None => {}
        }
        w.join(" ")
    }

    /// Draws the figure into DIR/STEM.png (and .svg) at `level`, using
    /// `scratch` for the command's other files. Returns the PNG's path.
    pub fn make(
        &self,
        level: Level,
        dir: &Path,
        stem: &str,
        scratch: &Path,
    ) -> anyhow::Result<PathBuf> {
        let opts = self.options(level);
        let names: Vec<String> = self.scenarios.iter().map(|s| s.to_string()).collect();
        let common = self.common();
        std::fs::create_dir_all(scratch)?;
        let (made, file) = match self.kind {
            Kind::Compare => (self.compare(&names, &common, scratch, &opts)?, "compare"),
            Kind::Run => {
                let r = run(&common.scenario(&names[0])?)?;
                let log = self
                    .log
                    .unwrap_or_else(|| crate::plot::timeaxis::default_log(&[&r]));
                crate::plot::dashboard::write(&r, scratch, "dashboard", log, &opts)?;
                (scratch.to_path_buf(), "dashboard")
            }
            Kind::Synapses => {
                let times = super::super::synapses::parse_at(self.at)?;
                let words = super::super::synapses::Words {
                    title: self.title,
                    rows: self.labels,
                };
                super::super::synapses::picture(
                    &names, &common, &times, scratch, "synapses", &words, &opts,
                )?;
                (scratch.to_path_buf(), "synapses")
            }
            Kind::Theories => {
                let runs = super::super::theories::runs(&names[0], &common)?;
                super::super::theories::write(&runs, scratch, self.log, &opts)?;
                (scratch.to_path_buf(), "theories")
            }
            Kind::Circuit => {
                let view = super::super::circuit::build(&common.set, None, 60.0)?;
                super::super::circuit::save(&view, scratch, &opts)?;
                (scratch.to_path_buf(), "circuit")
            }
        };
        let png = dir.join(format!("{stem}.png"));
        for ext in ["png", "svg"] {
            std::fs::rename(
                made.join(format!("{file}.{ext}")),
                dir.join(format!("{stem}.{ext}")),
            )?;
        }
        std::fs::remove_dir_all(scratch)?;
        Ok(png)
    }

    /// The comparison, with the kit's shorter labels and, for school, the
    /// parameters' plain labels.
    fn compare(
        &self,
        names: &[String],
        common: &Common,
        scratch: &Path,
        opts: &FigureOptions,
    ) -> anyhow::Result<PathBuf> {
        let mut set = match self.vary {
            Some(v) => super::super::compare::varied(&names[0], v, common)?,
            None => super::super::compare::runs(names, common)?,
        };
        let labels: Vec<String> = self.labels.iter().map(|l| l.to_string()).collect();
        super::super::compare::relabel(&mut set, &labels)?;
        if opts.school() {
            set = super::super::compare::plain_words(set);
        }
        super::super::compare::write(&set, scratch, self.log, opts)?;
        Ok(scratch.to_path_buf())
    }
}

/// A word for a shell command line: quoted when it holds spaces.
fn quote(s: &str) -> String {
    if s.contains([' ', '"', '\'', '&', ';', '|', '<', '>']) {
        format!("\"{}\"", s.replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// One slide: its file name (without number or extension), the figure
/// and what the teacher says while it is up.
#[derive(Debug, Clone)]
pub struct Slide {
    /// File stem after the number, e.g. `first-three-days`.
    pub name: &'static str,
    /// What it shows.
    pub fig: Fig,
    /// What to say (and what to ask) at this figure.
    pub say: &'static str,
}

/// A timed part of the lesson.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Minutes it takes.
    pub minutes: u32,
    /// Heading, e.g. "The question".
    pub heading: String,
    /// What the class does.
    pub activity: String,
    /// What to point out (from the lesson's "What to notice" list).
    pub notice: Vec<String>,
    /// Slides shown in it, in order.
    pub slides: Vec<Slide>,
}

/// Blank axes for students to sketch a prediction on.
#[derive(Debug, Clone)]
pub struct Sketch {
    /// What to sketch.
    pub prompt: &'static str,
    /// x-axis title with unit.
    pub x_label: &'static str,
    /// x tick labels, evenly spaced from the left.
    pub x_ticks: &'static [&'static str],
    /// y-axis title with unit.
    pub y_label: &'static str,
    /// y tick labels, evenly spaced from the bottom.
    pub y_ticks: &'static [&'static str],
}

/// One model run an answer reads: the scenario and the flags, as
/// `synsim run` takes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSpec {
    /// Built-in scenario.
    pub scenario: &'static str,
    /// `--regimen`.
    pub regimen: Option<&'static str>,
    /// `--set` changes.
    pub set: &'static [&'static str],
    /// `--days`.
    pub days: Option<f64>,
}

impl RunSpec {
    /// The scenario as it is.
    pub const fn of(scenario: &'static str) -> RunSpec {
        RunSpec {
            scenario,
            regimen: None,
            set: &[],
            days: None,
        }
    }

    /// The `synsim run` command that writes the same timeseries.csv.
    pub fn command(&self) -> String {
        let mut w = vec!["synsim run".to_string(), self.scenario.to_string()];
        if let Some(r) = self.regimen {
            w.push(format!("--regimen {}", quote(r)));
        }
        w.extend(self.set.iter().map(|s| format!("--set {s}")));
        if let Some(d) = self.days {
            w.push(format!("--days {d}"));
        }
        w.join(" ")
    }

    /// Runs it as `synsim run` does.
    pub fn run(&self) -> anyhow::Result<RunResult> {
        let common = Common {
            set: self.set.iter().map(|s| s.to_string()).collect(),
            regimen: self.regimen.map(str::to_string),
            days: self.days,
            allow_anaesthetic: false,
        };
        let s: Scenario = common.scenario(self.scenario)?;
        Ok(run(&s)?)
    }
}

/// One number of an answer: a column of a run's timeseries.csv at one time.
#[derive(Debug, Clone, Copy)]
pub struct Value {
    /// The run.
    pub run: RunSpec,
    /// The timeseries.csv column, e.g. `symptom_score`.
    pub column: &'static str,
    /// Hours since the first dose (a row of the CSV).
    pub time_h: f64,
    /// Factor for showing it (100 for a fraction shown in %).
    pub scale: f64,
    /// Decimals shown.
    pub decimals: usize,
}

impl Value {
    /// The score at `time_h` hours in `run`, one decimal.
    pub const fn score(run: RunSpec, time_h: f64) -> Value {
        Value {
            run,
            column: "symptom_score",
            time_h,
            scale: 1.0,
            decimals: 1,
        }
    }

    /// The synapse density at `time_h` hours in `run`, in whole % of healthy.
    pub const fn spines(run: RunSpec, time_h: f64) -> Value {
        Value {
            run,
            column: "synapse_density_rel",
            time_h,
            scale: 100.0,
            decimals: 0,
        }
    }

    /// The value from a run `r` of [`Value::run`]: the CSV row at
    /// [`Value::time_h`] exactly, in the CSV's own rounding.
    pub fn read(&self, r: &RunResult) -> anyhow::Result<f64> {
        let col = export::columns(&r.drugs)
            .into_iter()
            .find(|c| c.name == self.column)
            .ok_or_else(|| anyhow::anyhow!("no column {} in {}", self.column, self.run.scenario))?;
        let row = r
            .rows
            .iter()
            .find(|o| (o.time_h - self.time_h).abs() < 1e-6)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{} has no output row at {} h",
                    self.run.scenario,
                    self.time_h
                )
            })?;
        Ok(export::fmt_csv((col.get)(row)).parse()?)
    }

    /// The value as the answer key shows it.
    pub fn shown(&self, v: f64) -> String {
        format!("{:.*}", self.decimals, v * self.scale)
    }
}

/// An answer-key entry: the question and the sentence answering it, with
/// `{0}`, `{1}`, ... replaced by the values computed from fresh runs.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The question (as on the handout).
    pub question: &'static str,
    /// The answer with placeholders.
    pub text: &'static str,
    /// The numbers, in placeholder order.
    pub values: Vec<Value>,
}

/// A whole lesson kit.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Lesson number (1-6, as in docs/lessons).
    pub number: u32,
    /// Short name, e.g. `hours-not-weeks`.
    pub slug: &'static str,
    /// Who it is for.
    pub level: Level,
    /// Title.
    pub title: String,
    /// The question the lesson answers.
    pub question: String,
    /// Learning goal.
    pub goal: String,
    /// Stated length, minutes.
    pub minutes: u32,
    /// Timed parts, with their slides.
    pub segments: Vec<Segment>,
    /// Questions to answer before the figures.
    pub predictions: Vec<&'static str>,
    /// Blank axes to sketch on.
    pub sketches: Vec<Sketch>,
    /// Questions for discussion.
    pub discussion: Vec<String>,
    /// Answer-key entries.
    pub answers: Vec<Answer>,
    /// (misconception, what to say) pairs.
    pub misconceptions: Vec<(&'static str, &'static str)>,
    /// Parameters the lesson names (school: each must have a plain label).
    pub parameters: Vec<&'static str>,
}

impl Lesson {
    /// Every slide in the order the lesson shows them.
    pub fn slides(&self) -> impl Iterator<Item = &Slide> {
        self.segments.iter().flat_map(|s| &s.slides)
    }

    /// The minutes of all segments.
    pub fn total_minutes(&self) -> u32 {
        self.segments.iter().map(|s| s.minutes).sum()
    }
}
