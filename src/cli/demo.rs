//! `synsim demo`: every figure and an index.html gallery in one go.

use super::common::{self, Common, LookFlags};
use crate::plot;
use crate::plot::FigureOptions;
use crate::run::run;
use crate::scenario::{Scenario, BUILTINS};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Make every figure and an index.html gallery.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim demo                        # writes synsim-out/demo/index.html and the figures
  synsim demo --out /tmp/gallery
  synsim demo --style print --size A4 --out /tmp/handouts   # every figure for a photocopier

Makes a dashboard for every built-in scenario, the comparison of ketamine,
esketamine, the SSRI and placebo, the theory switchboard, the millisecond
circuit view and the synapse pictures, then an index.html that shows each with
a caption saying what to notice. Open index.html in any browser (no network
needed). --size, --font-scale and --style apply to every figure (each keeps
its own title and panels). Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Output folder. A previous synsim output there is replaced as a whole.
    #[arg(long, value_name = "DIR", default_value = "synsim-out/demo")]
    pub out: PathBuf,
    #[command(flatten)]
    pub figure: LookFlags,
}

/// One figure in the gallery.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Heading.
    pub title: String,
    /// Two sentences: what the figure shows and what to notice.
    pub caption: String,
    /// PNG file name (relative to the gallery folder).
    pub png: String,
    /// Other files that belong to it (SVG, CSV), relative names.
    pub extra: Vec<String>,
}

/// Makes the files of one step inside the gallery folder.
type Maker = Box<dyn Fn(&Path) -> anyhow::Result<Vec<Entry>>>;

/// One step of the demo: a progress label and what it makes.
pub struct Step {
    /// Shown as "[k/n] label".
    pub label: String,
    /// Writes the figures and returns their gallery entries.
    pub make: Maker,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let opts = a.figure.options();
    let out = common::OutDir::prepare(&a.out)?;
    let dir = out.path().to_path_buf();
    let started = Instant::now();
    let steps = plan(&opts);
    let mut entries = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        outln!("[{}/{}] {}", k + 1, steps.len(), step.label);
        entries.extend((step.make)(&dir)?);
    }
    common::write(&dir, "index.html", index_html(&entries).as_bytes())?;
    let index = out.commit()?.join("index.html");
    outln!(
        "{} figures in {:.1} s; open {}",
        entries.len(),
        started.elapsed().as_secs_f64(),
        index.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Everything the demo makes, in gallery order, every figure drawn as
/// `opts` asks. To add a figure, push a [`Step`] whose `make` writes it
/// into the folder and returns its [`Entry`].
pub fn plan(opts: &FigureOptions) -> Vec<Step> {
    let mut steps = vec![
        compare_step(opts.clone()),
        log_dashboard_step(opts.clone()),
        theories_step(opts.clone()),
        population_step(opts.clone()),
        circuit_step(opts.clone()),
    ];
    for (name, caption) in SYNAPSE_CAPTIONS {
        steps.push(synapses_step(name, caption, opts.clone()));
    }
    for (name, _) in BUILTINS {
        steps.push(dashboard_step(name, opts.clone()));
    }
    steps
}

/// The four treatments side by side in one patient.
fn compare_step(o: FigureOptions) -> Step {
    step(
        "compare ketamine-iv-single esketamine-nasal ssri-escitalopram placebo",
        move |dir| {
            let names: Vec<String> = super::compare::DEFAULT
                .iter()
                .map(|s| s.to_string())
                .collect();
            let runs = super::compare::runs(&names, &no_flags())?;
            super::compare::write(&runs, dir, None, &o)?;
            Ok(vec![Entry {
            title: "Hours versus weeks: four treatments, one patient".into(),
            caption: "The same depressed patient given ketamine, esketamine, an SSRI or placebo, on a time axis that runs \
                      from minutes to months. Notice that the ketamine-type drugs lower the score within hours while \
                      the SSRI needs weeks, and that placebo shows how much change comes from expectancy alone."
                .into(),
            png: "compare.png".into(),
            extra: vec!["compare.svg".into(), "compare.csv".into()],
        }])
        },
    )
}

/// One infusion's whole chain on a log time axis, sampled every two minutes.
fn log_dashboard_step(o: FigureOptions) -> Step {
    step("dashboard ketamine-iv-single (log time)", move |dir| {
        let mut s = Scenario::load("ketamine-iv-single")?;
        s.dt_out_h = 2.0 / 60.0;
        let r = run(&s)?;
        plot::dashboard::write(&r, dir, "dashboard-ketamine-iv-single-log", true, &o)?;
        Ok(vec![Entry {
            title: "One ketamine infusion, minute by minute and week by week".into(),
            caption: "The whole chain for one infusion on a logarithmic time axis: drug, receptor block, glutamate and \
                      GABA, BDNF and mTOR, synapses and symptoms. Notice the order of events: interneurons are blocked \
                      more than pyramidal cells, glutamate and BDNF surge within the hour, and the synapses rise \
                      later and more slowly."
                .into(),
            png: "dashboard-ketamine-iv-single-log.png".into(),
            extra: vec!["dashboard-ketamine-iv-single-log.svg".into()],
        }])
    })
}

/// The theory switchboard: each mechanism on and off.
fn theories_step(o: FigureOptions) -> Step {
    step("theories ketamine-iv-single", move |dir| {
        let runs = super::theories::runs("ketamine-iv-single", &no_flags())?;
        super::theories::write(&runs, dir, None, &o)?;
        Ok(vec![Entry {
            title: "Two theories, one drug: the switchboard".into(),
            caption: "The same infusion run with both mechanisms, with disinhibition only, with synaptogenesis only and \
                      with neither; the figure says which lines lie on top of each other. Notice what goes missing \
                      when a theory is switched off: without synaptogenesis no new synapses form, so the early \
                      relief fades within days. Synaptogenesis only is no better than neither: with disinhibition \
                      off, the NMDA block falls on the pyramidal cells, so glutamate and mTOR dip below even the \
                      untreated level and no new spines form. In this model theory 2 needs theory 1's surge to start."
                .into(),
            png: "theories.png".into(),
            extra: vec!["theories.svg".into(), "theories.csv".into()],
        }])
    })
}

/// 500 virtual patients through the serial ketamine course.
fn population_step(o: FigureOptions) -> Step {
    step(
        "population ketamine-iv-serial (500 virtual patients)",
        move |dir| {
            let mut s = Scenario::load("ketamine-iv-serial")?;
            s.dt_out_h = 1.0;
            let setup = crate::population::Setup::new(s)?;
            let opt = crate::population::Options {
                patients: 500,
                seed: 1,
                ..crate::population::Options::default()
            };
            let pop = crate::population::run(setup, &opt, &|_| {})?;
            plot::population::figure(&pop, dir, &o)?;
            Ok(vec![Entry {
            title: "Why only some patients respond: 500 virtual patients, one ketamine course".into(),
            caption: "The six-infusion course in 500 virtual patients who differ in drug handling, receptor \
                      sensitivity, illness severity and plasticity. Notice that most, but not all, reach the \
                      response line during the course, and that relief fades at different speeds once the infusions \
                      stop; run `synsim population ssri-escitalopram` for the slower, smaller SSRI picture."
                .into(),
            png: "population.png".into(),
            extra: vec!["population.svg".into()],
        }])
        },
    )
}

/// The millisecond circuit, healthy and under the NMDA block.
fn circuit_step(o: FigureOptions) -> Step {
    step("circuit (healthy vs NMDA block)", move |dir| {
        let view = super::circuit::build(&[], None, 60.0)?;
        super::circuit::save(&view, dir, &o)?;
        Ok(vec![Entry {
            title: "The glutamate/GABA circuit in milliseconds".into(),
            caption: "The Wilson\u{2013}Cowan circuit of pyramidal cells (E) and interneurons (I), healthy and with the \
                      NMDA block reached at the end of an infusion, which is stronger on interneurons. Notice that \
                      inhibition weakens and the resting point, where the two nullclines cross, moves to higher \
                      pyramidal activity within a few tens of milliseconds."
                .into(),
            png: "circuit.png".into(),
            extra: vec!["circuit.svg".into(), "circuit.csv".into(), "circuit_healthy.csv".into()],
        }])
    })
}

/// The scenarios drawn as spines on a dendrite, with what to notice in each.
const SYNAPSE_CAPTIONS: [(&str, &str); 2] = [
    (
        "ketamine-iv-single",
        "Spines on one stretch of dendrite, drawn in proportion to the simulated synapse density, before and after \
         one infusion. Notice the new spines (coloured) a day later, then look at the last row to see how many are \
         still there a month after a single dose. `synsim synapses ketamine-iv-single ssri-escitalopram --at \
         1d,1w,4w,8w --days 60` draws it beside the SSRI at the same times.",
    ),
    (
        "ketamine-iv-serial",
        "The same picture for six infusions over twelve days. Compare it with the single infusion: each new \
         infusion adds spines before the earlier ones have faded.",
    ),
];

/// The synapse picture of one scenario.
fn synapses_step(name: &'static str, caption: &'static str, o: FigureOptions) -> Step {
    step(&format!("synapses {name}"), move |dir| {
        let r = run(&Scenario::load(name)?)?;
        let stem = format!("synapses-{name}");
        plot::synapse::write(&r, dir, &stem, &o)?;
        Ok(vec![Entry {
            title: format!("Synapses on a dendrite: {}", r.scenario.title),
            caption: caption.into(),
            png: format!("{stem}.png"),
            extra: vec![format!("{stem}.svg")],
        }])
    })
}

/// The dashboard of one built-in scenario, captioned with its teaching note.
fn dashboard_step(name: &'static str, o: FigureOptions) -> Step {
    step(&format!("dashboard {name}"), move |dir| {
        let mut s = Scenario::load(name)?;
        // 10-minute output catches the peak of a 40-minute infusion.
        s.dt_out_h = s.dt_out_h.min(1.0 / 6.0);
        let r = run(&s)?;
        let stem = format!("dashboard-{name}");
        plot::dashboard::write(&r, dir, &stem, plot::timeaxis::default_log(&[&r]), &o)?;
        Ok(vec![Entry {
            title: format!("Dashboard: {}", r.scenario.title),
            caption: r.scenario.teaching_note.clone(),
            png: format!("{stem}.png"),
            extra: vec![format!("{stem}.svg")],
        }])
    })
}

/// A [`Step`] from its progress label and the closure that makes it.
fn step(label: &str, make: impl Fn(&Path) -> anyhow::Result<Vec<Entry>> + 'static) -> Step {
    Step {
        label: label.to_string(),
        make: Box::new(make),
    }
}

/// No --set, --regimen or --days: the built-in scenarios as they are.
fn no_flags() -> Common {
    Common {
        set: Vec::new(),
        regimen: None,
        days: None,
        allow_anaesthetic: false,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text between backticks (already HTML-escaped) as `<code>` elements, so a
/// caption's `synsim ...` reads as a command rather than literal backticks.
pub fn code_spans(escaped: &str) -> String {
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unpaired backtick: leave the text alone.
        return escaped.to_string();
    }
    parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if k % 2 == 1 {
                format!("<code>{p}</code>")
            } else {
                p.to_string()
            }
        })
        .collect()
}

/// The gallery page: every figure with its caption, relative links only.
pub fn index_html(entries: &[Entry]) -> String {
    let mut body = String::new();
    let toc: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(k, e)| {
            format!(
                "<li><a href=\"#fig{}\">{}</a></li>",
                k + 1,
                escape(&e.title)
            )
        })
        .collect();
    for (k, e) in entries.iter().enumerate() {
        let files: Vec<String> = std::iter::once(&e.png)
            .chain(&e.extra)
            .map(|f| format!("<a href=\"{0}\">{0}</a>", escape(f)))
            .collect();
        body.push_str(&format!(
            "<section id=\"fig{n}\">\n<h2>{n}. {title}</h2>\n<a href=\"{png}\"><img src=\"{png}\" alt=\"{title}\" loading=\"lazy\"></a>\n\
             <p class=\"caption\">{caption}</p>\n<p class=\"files\">Files: {files}</p>\n</section>\n",
            n = k + 1,
            title = escape(&e.title),
            png = escape(&e.png),
            caption = code_spans(&escape(&e.caption)),
            files = files.join(" \u{00b7} "),
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>synsim demo gallery</title>\n\
         <style>\n{CSS}</style>\n</head>\n<body>\n<header>\n<h1>synsim demo gallery</h1>\n\
         <p>How a dosing regimen changes glutamate, GABA, BDNF, synapses and an illustrative depression score, and why \
         ketamine acts in hours where SSRIs take weeks. Made by <code>synsim demo</code> (synsim {version}); click a \
         figure for full size.</p>\n<p class=\"warn\">Illustrative teaching model \u{2014} not clinical advice. It \
         recommends no dose.</p>\n<p class=\"lab\"><strong>Move the sliders yourself:</strong> the interactive lab runs \
         the same model in the browser. Start it with <code>synsim serve --open</code> \
         (<code>cargo run --release -- serve --open</code>), or build the self-contained page that needs no \
         server with <code>cargo run --release -p xtask -- lab</code> and open \
         <code>target/lab/synsim-lab.html</code>.</p>\n<ol class=\"toc\">\n{toc}\n</ol>\n</header>\n<main>\n{body}</main>\n</body>\n</html>\n",
        version = env!("CARGO_PKG_VERSION"),
        toc = toc.join("\n"),
    )
}

const CSS: &str =
    "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 1200px; margin: 0 auto; \
padding: 1rem 2rem; color: #222; line-height: 1.45; }\n\
h1 { margin-bottom: 0.3rem; }\n\
h2 { margin-top: 2.5rem; border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; }\n\
img { width: 100%; height: auto; border: 1px solid #ccc; }\n\
.caption { font-size: 1.1rem; }\n\
.files { font-size: 0.9rem; color: #555; }\n\
.warn { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.5rem 1rem; }\n\
.toc { columns: 2; }\n\
code { background: #f2f2f2; padding: 0 0.25rem; }\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn index_links_every_file_relatively() {
        let e = Entry {
            title: "T <1>".into(),
            caption: "C & D.".into(),
            png: "x.png".into(),
            extra: vec!["x.svg".into()],
        };
        let html = index_html(&[e]);
        assert!(html.contains("src=\"x.png\"") && html.contains("href=\"x.svg\""));
        let c = Entry {
            title: "T".into(),
            caption: "run `synsim list` & see".into(),
            png: "y.png".into(),
            extra: vec![],
        };
        let coded = index_html(&[c]);
        assert!(
            coded.contains("run <code>synsim list</code> &amp; see"),
            "{coded}"
        );
        assert!(!coded.contains('`'));
        assert!(html.contains("T &lt;1&gt;") && html.contains("C &amp; D."));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}
