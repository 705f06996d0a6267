//! `synsim trial`: a randomised parallel-group trial of virtual patients,
//! analysed as a trial paper would be.

use super::common::{self, FigureFlags, InputError};
use crate::plot::FigureOptions;
use crate::trial::{self, stats, Analysis, PowerPoint, TrialRun, TrialSpec};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Run a virtual randomised trial.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim trial ssri-vs-placebo
  synsim trial esketamine-transform --seed 2
  synsim trial ketamine-vs-midazolam --patients-per-arm 20
  synsim trial ssri-vs-placebo --patients-per-arm 10,20,50,100,200 --replicates 200
  synsim trial --arm \"escitalopram 10 mg oral daily for 8 w\" \\
               --arm \"placebo oral daily for 8 w\" --visits 7,28,56
  synsim trial ssri-vs-placebo --style print --size 4:3
  synsim trial ketamine-vs-midazolam --patients-per-arm 5,10,20 --replicates 40 \\
               --title \"One infusion vs midazolam\"   # power.png: \"Power: One infusion ...\"

Built-in trials: ssri-vs-placebo, esketamine-transform, ketamine-vs-midazolam,
ssri-withdrawal, ketamine-continuation (models/trials/); or a path to a
trial .toml file. Each
enrols virtual patients screened on a *rated* score (true score + rater
noise), randomises them to the arms (the last is the control), rates them at
every visit and reports what a trial paper does: mean change from baseline
± SE per visit and arm, the difference at the primary visit (ANCOVA on the
baseline, and Welch's t-test) with its 95 % CI and p, response and
remission with 95 % CIs, the risk difference and the number needed to treat;
in a relapse-prevention design with a relapse rule, the share not relapsed
by each visit (Kaplan-Meier, with its 95 % CI).

With --replicates R the same trial runs R times with new patients and
reports power, the share of trials with p < 0.05; give several sizes to
--patients-per-arm for a power curve (power.png).

Writes DIR/trial.csv (per visit and arm), DIR/patients.csv (every patient's
ratings and true scores), DIR/summary.json and DIR/trial.png/.svg (and
DIR/power.csv, DIR/power.png/.svg with --replicates).
Illustrative teaching model of virtual patients; not clinical advice.")]
pub struct Args {
    /// Built-in trial name or a path to a trial .toml file (or give --arm)
    pub trial: Option<String>,
    /// An arm's regimen (two or more; the last is the control); replaces
    /// the trial file's arms
    #[arg(long = "arm", value_name = "REGIMEN")]
    pub arms: Vec<String>,
    /// Visit days for --arm trials, e.g. 1,7,28 (the last is the primary visit)
    #[arg(long, value_name = "DAYS", value_delimiter = ',')]
    pub visits: Vec<f64>,
    /// Patients randomised to each arm; several (e.g. 10,20,50) with
    /// --replicates give a power curve
    #[arg(long = "patients-per-arm", value_name = "N", value_delimiter = ',')]
    pub per_arm: Vec<u64>,
    /// Seed of the random streams
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Repeat the trial this many times with new patients (power)
    #[arg(long, default_value_t = 1, value_name = "R")]
    pub replicates: u64,
    /// `NAME=VALUE` parameter change for every arm (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Output folder (default: synsim-out/trial-NAME)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the figures
    #[arg(long)]
    pub no_plot: bool,
    /// No summary on the terminal
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// Loads the trial named on the command line or built from `--arm`.
fn spec_of(a: &Args) -> anyhow::Result<TrialSpec> {
    let mut spec = match (&a.trial, a.arms.is_empty()) {
        (Some(name), true) => TrialSpec::load(name).map_err(|e| InputError(e.to_string()))?,
        (None, false) | (Some(_), false) => {
            if a.arms.len() < 2 {
                return Err(InputError(
                    "give at least two --arm regimens (the last is the control)".into(),
                )
                .into());
            }
            let visits = if a.visits.is_empty() {
                vec![1.0, 7.0, 28.0]
            } else {
                a.visits.clone()
            };
            let mut s = TrialSpec::from_arms(&a.arms, visits, None)
                .map_err(|e| InputError(e.to_string()))?;
            if let Some(name) = &a.trial {
                // A named trial with --arm: its design, the given arms.
                let base = TrialSpec::load(name).map_err(|e| InputError(e.to_string()))?;
                s = TrialSpec {
                    arms: s.arms,
                    visits_d: s.visits_d,
                    primary_visit_d: s.primary_visit_d,
                    ..base
                };
            }
            s
        }
        (None, true) => {
            let names: Vec<&str> = trial::BUILTIN_TRIALS.iter().map(|t| t.0).collect();
            return Err(InputError(format!(
                "name a trial (synsim trial ssri-vs-placebo; built-in: {}) or give two or \
                 more --arm regimens",
                names.join(", ")
            ))
            .into());
        }
    };
    spec.set.extend(a.set.iter().cloned());
    if !a.set.is_empty() {
        spec.arm_scenarios()
            .map_err(|e| InputError(e.to_string()))?;
    }
    Ok(spec)
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let opts = a.figure.options("trial", &crate::plot::trial::PANELS)?;
    let spec = spec_of(&a)?;
    let sizes = sizes_of(&a, &spec)?;
    let out = common::OutDir::prepare(&out_path(&a, &spec))?;
    warn_doses_after_end(&spec)?;
    let dir = out.path().to_path_buf();
    let t0 = Instant::now();
    let per_arm = sizes[0];
    let run = trial::run(&spec, per_arm, a.seed).map_err(|e| InputError(e.to_string()))?;
    warn_failures(&run)?;
    let analysis = trial::analyse(&spec, &run);
    let mut written = Vec::new();
    common::write(&dir, "trial.csv", trial_csv(&spec, &analysis).as_bytes())?;
    written.push("trial.csv".to_string());
    common::write(&dir, "patients.csv", patients_csv(&spec, &run).as_bytes())?;
    written.push("patients.csv".into());
    let mut power = Vec::new();
    if a.replicates > 1 {
        power = power_of(&a, &spec, &sizes)?;
        common::write(&dir, "power.csv", power_csv(&spec, &power).as_bytes())?;
        written.push("power.csv".into());
    }
    let json =
        serde_json::to_string_pretty(&summary_json(&spec, &analysis, &power, a.seed, per_arm))?;
    common::write(&dir, "summary.json", json.as_bytes())?;
    written.push("summary.json".into());
    if !a.no_plot {
        let figures = Figures {
            spec: &spec,
            analysis: &analysis,
            power: &power,
            per_arm,
        };
        written.extend(figures.write(&a, &dir, &opts)?);
    }
    let dir = out.commit()?;
    if !a.quiet {
        common::out_str(&report(&spec, &analysis, &power, per_arm, a.seed))?;
        outln!(
            "  ran in {:.1} s on {} threads",
            t0.elapsed().as_secs_f64(),
            rayon::current_num_threads()
        );
        common::report_written(&written, &dir)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks `--replicates` and `--patients-per-arm`; the sizes to run (the
/// trial file's own when none are given), the first being the main trial.
fn sizes_of(a: &Args, spec: &TrialSpec) -> Result<Vec<u64>, InputError> {
    if a.replicates == 0 || a.replicates > 10_000 {
        return Err(InputError(format!(
            "--replicates {}: use 1 to 10 000",
            a.replicates
        )));
    }
    let sizes = if a.per_arm.is_empty() {
        vec![spec.patients_per_arm]
    } else {
        a.per_arm.clone()
    };
    if let Some(n) = sizes.iter().find(|&&n| !(2..=100_000).contains(&n)) {
        return Err(InputError(format!(
            "--patients-per-arm {n}: use 2 to 100 000 patients"
        )));
    }
    if sizes.len() > 1 && a.replicates < 2 {
        return Err(InputError(
            "several --patients-per-arm sizes make a power curve: add --replicates (e.g. 200)"
                .into(),
        ));
    }
    Ok(sizes)
}

/// `--out`, else `synsim-out/trial-NAME` with a suffix for what changes it.
fn out_path(a: &Args, spec: &TrialSpec) -> PathBuf {
    a.out.clone().unwrap_or_else(|| {
        let mut changes = a.set.clone();
        changes.extend(a.figure.changes());
        common::default_out(&format!("trial-{}", spec.name), &changes)
    })
}

/// Runs the trial `--replicates` times at every size, with a progress bar.
fn power_of(a: &Args, spec: &TrialSpec, sizes: &[u64]) -> anyhow::Result<Vec<PowerPoint>> {
    let pb = super::batch::progress_bar(a.replicates, a.quiet, "trials");
    let tick = |r: u64| {
        if let Some(pb) = &pb {
            pb.set_position(r);
        }
    };
    let power = trial::power_curve(spec, sizes, a.replicates, a.seed, 0.05, &tick)
        .map_err(|e| InputError(e.to_string()))?;
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    Ok(power)
}

/// What the trial figures are drawn from.
struct Figures<'a> {
    spec: &'a TrialSpec,
    analysis: &'a Analysis,
    power: &'a [PowerPoint],
    per_arm: u64,
}

impl Figures<'_> {
    /// Draws trial.png/.svg and, after replicates, power.png/.svg; the
    /// names written, in order.
    fn write(&self, a: &Args, dir: &Path, opts: &FigureOptions) -> anyhow::Result<Vec<String>> {
        let mut written = Vec::new();
        let sub = format!(
            "{} virtual patients per arm, seed {} \u{00b7} {}",
            self.per_arm,
            a.seed,
            if self.spec.blinded {
                "blinded"
            } else {
                "open label"
            }
        );
        for p in crate::plot::trial::figure(self.spec, self.analysis, &sub, dir, opts)? {
            written.push(common::file_name(&p));
        }
        if self.power.len() > 1 || (a.replicates > 1 && !self.power.is_empty()) {
            // A --title names trial.png and, as "Power: TITLE", power.png.
            for p in crate::plot::trial::power_figure(self.spec, self.power, dir, opts)? {
                written.push(common::file_name(&p));
            }
        }
        Ok(written)
    }
}

/// Refuses an arm that reaches anaesthetic plasma levels, and warns about
/// each arm whose doses fall after the last visit (the end of its run).
fn warn_doses_after_end(spec: &TrialSpec) -> anyhow::Result<()> {
    let arms = spec
        .arm_scenarios()
        .map_err(|e| InputError(e.to_string()))?;
    for (arm, s) in spec.arms.iter().zip(&arms) {
        // A trial of anaesthetic doses is outside the model: refused.
        if let Some(an) = crate::scenario::anaesthetic_peak(s) {
            return Err(InputError(format!(
                "arm \"{}\": {}",
                arm.name,
                an.message("`synsim run --allow-anaesthetic` can show one patient")
            ))
            .into());
        }
        if let Some(d) = crate::scenario::doses_after_end(s) {
            eprintln!(
                "warning: arm \"{}\": {}",
                arm.name,
                d.message("make the last visit day")
            );
        }
    }
    Ok(())
}

/// Failed patients are left out and named; more than 5 % fails the run
/// ([`common::check_failed`]).
fn warn_failures(run: &TrialRun) -> anyhow::Result<()> {
    let Some((k, e)) = run.failures.first() else {
        return Ok(());
    };
    let (failed, total) = (run.failures.len(), run.failures.len() + run.patients.len());
    let first = format!("patient {k}: {e}");
    common::check_failed(failed, total, &first)?;
    eprintln!(
        "warning: {failed} of {total} virtual patients could not be simulated and are left out; first: {first}"
    );
    Ok(())
}

fn pct(p: &stats::Proportion) -> String {
    if p.n == 0 {
        "-".into()
    } else {
        format!(
            "{:.0} % ({:.0}-{:.0})",
            100.0 * p.p,
            100.0 * p.ci_low,
            100.0 * p.ci_high
        )
    }
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

fn nnt_text(r: &stats::RiskDifference) -> String {
    match (r.nnt, r.nnt_ci) {
        (Some(n), Some((lo, hi))) => format!("NNT {:.1} ({:.1}-{:.1})", n, lo, hi),
        (Some(n), None) => format!("NNT {n:.1} (95 % CI includes no effect)"),
        _ => "no benefit over the control".into(),
    }
}

/// The terminal report.
pub fn report(
    spec: &TrialSpec,
    a: &Analysis,
    power: &[PowerPoint],
    per_arm: u64,
    seed: u64,
) -> String {
    let mut s = String::new();
    report_design(&mut s, spec, a, per_arm, seed);
    report_arms(&mut s, spec, a);
    report_comparisons(&mut s, spec, a);
    report_power(&mut s, power);
    if !spec.teaching_note.is_empty() {
        let _ = writeln!(s, "  what to notice: {}", spec.teaching_note);
    }
    if !spec.published.is_empty() {
        let _ = writeln!(s, "  published: {}", spec.published);
    }
    s
}

/// The heading lines: title, design, who was analysed and the scores at
/// entry.
fn report_design(s: &mut String, spec: &TrialSpec, a: &Analysis, per_arm: u64, seed: u64) {
    let _ = writeln!(s, "{} ({})", spec.title, spec.name);
    let _ = writeln!(
        s,
        "  {} patients per arm, seed {}; {}; entry: rated MADRS >= {} at screening ({:.1} screenings per patient); rater SD {} points",
        per_arm,
        seed,
        if spec.blinded { "blinded" } else { "open label" },
        spec.entry_min_score,
        a.screens_per_patient,
        spec.rater_sd
    );
    if spec.responders_at.is_some() {
        let _ =
            writeln!(
            s,
            "  randomised withdrawal: analysed are the patients responding at day {} ({} per arm)",
            spec.responders_at.unwrap_or(0.0),
            a.randomised.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    let _ = writeln!(
        s,
        "  mean rated score: screening {:.1}, baseline {:.1} (true {:.1}): {}",
        a.mean_screening,
        a.mean_baseline,
        a.mean_true_baseline,
        regression_words(a.mean_screening - a.mean_baseline, spec.entry_min_score)
    );
}

/// One line per arm: change, response and remission at the primary visit.
fn report_arms(s: &mut String, spec: &TrialSpec, a: &Analysis) {
    let p = spec.primary_index();
    let day = spec.primary_visit_d;
    for (i, arm) in spec.arms.iter().enumerate() {
        let v = &a.visits[i][p];
        let _ = write!(
            s,
            "  {:<34} day {}: change {:+.1} \u{00b1} {:.1} (SE)  response {}  remission {}",
            arm.name,
            day,
            v.change.mean,
            v.change.se,
            pct(&v.response),
            pct(&v.remission)
        );
        if let Some(r) = &v.relapse_free {
            let _ = write!(
                s,
                "  not relapsed {:.0} % ({:.0}-{:.0})",
                100.0 * r.s,
                100.0 * r.ci_low,
                100.0 * r.ci_high
            );
        }
        s.push('\n');
    }
}

/// Each arm against the control: the ANCOVA difference and the response
/// difference with its NNT.
fn report_comparisons(s: &mut String, spec: &TrialSpec, a: &Analysis) {
    let day = spec.primary_visit_d;
    for c in &a.comparisons {
        let name = &spec.arms[c.arm].name;
        match &c.ancova {
            Some(d) => {
                let _ = writeln!(
                    s,
                    "  {name} minus control at day {day}: {:+.1} points (95 % CI {:+.1} to {:+.1}), {} (ANCOVA on baseline)",
                    d.estimate, d.ci_low, d.ci_high, p_text(d.p)
                );
            }
            None => {
                let _ = writeln!(s, "  {name} minus control: too few patients to compare");
            }
        }
        let r = &c.response;
        let _ = writeln!(
            s,
            "    response difference {:+.0} percentage points (95 % CI {:+.0} to {:+.0}); {}",
            100.0 * r.estimate,
            100.0 * r.ci_low,
            100.0 * r.ci_high,
            nnt_text(r)
        );
    }
}

/// One line per trial size run with replicates.
fn report_power(s: &mut String, power: &[PowerPoint]) {
    for pp in power {
        let _ = writeln!(
            s,
            "  power with {} per arm: {} of {} trials reach p < 0.05 (mean difference {:+.1})",
            pp.per_arm,
            pct(&pp.power[0]),
            pp.replicates,
            pp.mean_difference[0]
        );
    }
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        String::new()
    }
}

/// DIR/trial.csv: one row per arm and visit.
pub fn trial_csv(spec: &TrialSpec, a: &Analysis) -> String {
    let mut s = String::from(
        "arm,arm_name,day,n,mean_change,sd_change,se_change,response_k,response,response_lo,response_hi,remission_k,remission,remission_lo,remission_hi,mean_true_score,relapse_free,relapse_free_lo,relapse_free_hi\n",
    );
    for (i, arm) in a.visits.iter().enumerate() {
        for v in arm {
            let _ = writeln!(
                s,
                "{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                i,
                spec.arms[i].name.replace('"', "'"),
                v.day,
                v.change.n,
                num(v.change.mean),
                num(v.change.sd),
                num(v.change.se),
                v.response.k,
                num(v.response.p),
                num(v.response.ci_low),
                num(v.response.ci_high),
                v.remission.k,
                num(v.remission.p),
                num(v.remission.ci_low),
                num(v.remission.ci_high),
                num(v.mean_true_score),
                v.relapse_free
                    .map(|r| format!("{},{},{}", num(r.s), num(r.ci_low), num(r.ci_high)))
                    .unwrap_or_else(|| ",,".into())
            );
        }
    }
    s
}

/// DIR/patients.csv: every randomised patient's ratings.
pub fn patients_csv(spec: &TrialSpec, run: &TrialRun) -> String {
    let mut s = String::from("patient,arm,screenings,screening,true_baseline,baseline");
    for d in &spec.visits_d {
        let _ = write!(s, ",rated_d{d},true_d{d}");
    }
    s.push_str(",dropout_d\n");
    for p in &run.patients {
        let _ = write!(
            s,
            "{},{},{},{},{},{}",
            p.index,
            p.arm,
            p.screened,
            p.screening,
            num(p.true_baseline),
            p.baseline
        );
        for (r, t) in p.rated.iter().zip(&p.true_score) {
            let _ = write!(
                s,
                ",{},{}",
                r.map(|x| x.to_string()).unwrap_or_default(),
                num(*t)
            );
        }
        let _ = writeln!(s, ",{}", p.dropout_d.map(num).unwrap_or_default());
    }
    s
}

/// DIR/power.csv: power per size and comparison.
fn power_csv(spec: &TrialSpec, points: &[PowerPoint]) -> String {
    let mut s = String::from(
        "patients_per_arm,replicates,arm,arm_name,power,power_lo,power_hi,mean_difference\n",
    );
    for p in points {
        for (c, pw) in p.power.iter().enumerate() {
            let _ = writeln!(
                s,
                "{},{},{},\"{}\",{},{},{},{}",
                p.per_arm,
                p.replicates,
                c,
                spec.arms[c].name,
                num(pw.p),
                num(pw.ci_low),
                num(pw.ci_high),
                num(p.mean_difference[c])
            );
        }
    }
    s
}

fn diff_json(d: &Option<stats::Difference>) -> serde_json::Value {
    match d {
        Some(d) => serde_json::json!({
            "estimate": d.estimate, "se": d.se, "df": d.df,
            "ci95": [d.ci_low, d.ci_high], "t": d.t, "p": d.p
        }),
        None => serde_json::Value::Null,
    }
}

fn risk_json(r: &stats::RiskDifference) -> serde_json::Value {
    serde_json::json!({
        "difference": r.estimate, "ci95": [r.ci_low, r.ci_high],
        "nnt": r.nnt, "nnt_ci95": r.nnt_ci.map(|(a, b)| [a, b]),
    })
}

/// DIR/summary.json.
fn summary_json(
    spec: &TrialSpec,
    a: &Analysis,
    power: &[PowerPoint],
    seed: u64,
    per_arm: u64,
) -> serde_json::Value {
    let p = spec.primary_index();
    serde_json::json!({
        "trial": spec.name,
        "title": spec.title,
        "published": spec.published,
        "seed": seed,
        "patients_per_arm": per_arm,
        "blinded": spec.blinded,
        "entry_min_score": spec.entry_min_score,
        "rater_sd": spec.rater_sd,
        "primary_visit_d": spec.primary_visit_d,
        "responders_at_d": spec.responders_at,
        "relapse": spec.relapse.map(|r| serde_json::json!({
            "improvement_below": r.improvement_below, "consecutive": r.consecutive,
        })),
        "mean_screening_score": a.mean_screening,
        "mean_baseline_score": a.mean_baseline,
        "mean_true_baseline_score": a.mean_true_baseline,
        "arms": spec.arms.iter().enumerate().map(|(i, arm)| {
            let v = &a.visits[i][p];
            serde_json::json!({
                "name": arm.name, "regimen": arm.regimen, "set": arm.set,
                "randomised": a.randomised[i],
                "mean_change": v.change.mean, "se_change": v.change.se,
                "response": v.response.p, "response_ci95": [v.response.ci_low, v.response.ci_high],
                "remission": v.remission.p, "remission_ci95": [v.remission.ci_low, v.remission.ci_high],
                "not_relapsed": v.relapse_free.map(|r| r.s),
                "not_relapsed_ci95": v.relapse_free.map(|r| [r.ci_low, r.ci_high]),
            })
        }).collect::<Vec<_>>(),
        "comparisons": a.comparisons.iter().map(|c| serde_json::json!({
            "arm": spec.arms[c.arm].name,
            "control": spec.arms[c.control].name,
            "ancova": diff_json(&c.ancova),
            "welch": diff_json(&c.welch),
            "response": risk_json(&c.response),
            "remission": risk_json(&c.remission),
        })).collect::<Vec<_>>(),
        "power": power.iter().map(|pp| serde_json::json!({
            "patients_per_arm": pp.per_arm,
            "replicates": pp.replicates,
            "power": pp.power.iter().map(|x| x.p).collect::<Vec<_>>(),
            "mean_difference": pp.mean_difference,
        })).collect::<Vec<_>>(),
        "disclaimer": "illustrative virtual patients from a teaching model; not a clinical result",
    })
}

/// What the drop from the screening rating to the baseline rating shows. A
/// drop only arises where many patients score near the entry minimum, so a
/// trial without one says why instead of naming an effect it does not show.
fn regression_words(drop: f64, entry_min: f64) -> String {
    if drop >= REGRESSION_SHOWN {
        format!(
            "the drop of {drop:.1} before any dose is regression to the mean (patients who scraped in on a high rating score lower at the next visit)"
        )
    } else {
        format!(
            "almost no drop: few patients score near the entry minimum of {entry_min}, so there is little regression to the mean"
        )
    }
}

/// The smallest screening-to-baseline drop (MADRS points) that the summary
/// calls regression to the mean: about a tenth of the rater noise's SD.
const REGRESSION_SHOWN: f64 = 0.3;
