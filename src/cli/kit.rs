//! `synsim kit`: a folder a teacher can use without running anything in
//! class: slide figures in lesson order, a printable handout, an answer key
//! computed by the model as the kit is built, and teacher notes.

mod content;
mod html;
mod lessons;
mod markdown;

use super::common::{self, InputError};
use content::{Lesson, Level};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Build a lesson kit.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim kit hours-not-weeks --level school     # the 50-minute secondary-school plan
  synsim kit 1                                  # lesson 1 at university level
  synsim kit two-theories --out kits/lesson2

LESSON is a lesson number (1-6, as in docs/lessons) or its short name:
1 hours-not-weeks, 2 two-theories, 3 maintenance, 4 dose-and-side-effects,
5 which-knob-matters, 6 what-do-70-and-40-mean. Lesson 1 has a school
level (plain words, no log axis, no equations) and a university level; the
others are university level.

Writes DIR/slides/NN-NAME.png and .svg (16:9, large text, lines labelled
where they end, in the order the lesson shows them), DIR/handout.html
(predictions, blank axes to sketch on, discussion questions; prints on A4
or US Letter), DIR/answer-key.html and answer-key.csv (every number
computed by the model as the kit is built) and DIR/teacher-notes.html
(timings that add up to the lesson's length, what to say at each slide,
misconceptions to expect). DIR is replaced as a whole.
Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Lesson number or short name
    #[arg(value_name = "LESSON")]
    pub lesson: String,
    /// school or university [default: university, or school for a lesson
    /// that has only that level]
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Output folder (default: synsim-out/kit-NAME-LEVEL). A previous synsim
    /// output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let lesson = find(&a.lesson, a.level.as_deref())?;
    let target = a.out.clone().unwrap_or_else(|| {
        Path::new("synsim-out").join(format!("kit-{}-{}", lesson.slug, lesson.level.name()))
    });
    let out = common::OutDir::prepare(&target)?;
    let n = build(&lesson, out.path())?;
    let dir = out.commit()?;
    outln!(
        "{} ({} level, {} min): {n} slides, handout.html, answer-key.html, teacher-notes.html in {}",
        lesson.title,
        lesson.level.name(),
        lesson.minutes,
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The lesson `name` (number or short name) at `level`; errors name the
/// valid lessons and levels.
fn find(name: &str, level: Option<&str>) -> Result<Lesson, InputError> {
    let level = match level.map(|l| l.trim().to_ascii_lowercase()) {
        None => None,
        Some(l) if l == "school" => Some(Level::School),
        Some(l) if l == "university" => Some(Level::University),
        Some(l) => {
            return Err(InputError(format!(
                "--level \"{}\": use school or university",
                crate::units::clip(&l)
            )))
        }
    };
    let key = name.trim().to_ascii_lowercase();
    let matches: Vec<_> = lessons::LESSONS
        .iter()
        .filter(|(n, slug, _, _)| key == n.to_string() || key == *slug)
        .collect();
    if matches.is_empty() {
        return Err(InputError(format!(
            "unknown lesson \"{}\"; the lessons are {}",
            crate::units::clip(name),
            valid()
        )));
    }
    let pick = match level {
        Some(l) => matches.iter().find(|m| m.2 == l),
        None => matches
            .iter()
            .find(|m| m.2 == Level::University)
            .or(matches.first()),
    };
    match pick {
        Some(m) => Ok((m.3)()),
        None => Err(InputError(format!(
            "lesson \"{}\" has no {} level; the lessons are {}",
            crate::units::clip(name),
            level.map_or("", Level::name),
            valid()
        ))),
    }
}

/// "1 hours-not-weeks (school, university), 2 two-theories (university), ...".
fn valid() -> String {
    let mut out: Vec<String> = Vec::new();
    for (n, slug, _, _) in lessons::LESSONS.iter() {
        let levels: Vec<&str> = lessons::LESSONS
            .iter()
            .filter(|m| m.1 == *slug)
            .map(|m| m.2.name())
            .collect();
        let item = format!("{n} {slug} ({})", levels.join(", "));
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out.join(", ")
}

/// Writes the whole kit of `l` into `dir`; returns the number of slides.
fn build(l: &Lesson, dir: &Path) -> anyhow::Result<usize> {
    let slides_dir = dir.join("slides");
    std::fs::create_dir_all(&slides_dir)?;
    let scratch = dir.join(".scratch");
    let mut files: Vec<String> = Vec::new();
    for (k, s) in l.slides().enumerate() {
        let stem = format!("{:02}-{}", k + 1, s.name);
        outln!(
            "[{}/{}] {}",
            k + 1,
            l.slides().count(),
            s.fig.command(l.level)
        );
        s.fig.make(l.level, &slides_dir, &stem, &scratch)?;
        files.push(format!("slides/{stem}.png"));
    }
    let (filled, csv) = answers(l)?;
    common::write(dir, "handout.html", html::handout(l).as_bytes())?;
    common::write(
        dir,
        "answer-key.html",
        html::answer_key(l, &filled).as_bytes(),
    )?;
    common::write(dir, "answer-key.csv", csv.as_bytes())?;
    common::write(
        dir,
        "teacher-notes.html",
        html::teacher_notes(l, &files).as_bytes(),
    )?;
    Ok(files.len())
}

/// Computes every answer from fresh runs (each distinct run once): the
/// filled answers and answer-key.csv (answer, placeholder, command,
/// column, time_h, value as timeseries.csv writes it, shown).
fn answers(l: &Lesson) -> anyhow::Result<(Vec<html::Filled>, String)> {
    let mut runs: Vec<(content::RunSpec, crate::run::RunResult)> = Vec::new();
    let mut csv = String::from("answer,placeholder,command,column,time_h,value,shown\n");
    let mut filled = Vec::new();
    for (k, a) in l.answers.iter().enumerate() {
        let mut text = crate::cli::demo::escape(a.text);
        let mut commands: Vec<String> = Vec::new();
        for (j, v) in a.values.iter().enumerate() {
            if !runs.iter().any(|(s, _)| *s == v.run) {
                runs.push((v.run, v.run.run()?));
            }
            let r = runs
                .iter()
                .find(|(s, _)| *s == v.run)
                .map(|(_, r)| r)
                .ok_or_else(|| anyhow::anyhow!("run missing"))?;
            let value = v.read(r)?;
            let shown = v.shown(value);
            text = text.replace(&format!("{{{j}}}"), &format!("<b>{shown}</b>"));
            let cmd = v.run.command();
            csv.push_str(&format!(
                "{},{j},\"{}\",{},{},{},{shown}\n",
                k + 1,
                cmd.replace('"', "\"\""),
                v.column,
                crate::export::fmt_csv(v.time_h),
                crate::export::fmt_csv(value),
            ));
            if !commands.contains(&cmd) {
                commands.push(cmd);
            }
        }
        filled.push(html::Filled {
            question: a.question.to_string(),
            html: text,
            commands,
        });
    }
    Ok((filled, csv))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of answer `k` of lesson `l`, from fresh runs.
    fn values(l: &Lesson, k: usize) -> Vec<f64> {
        l.answers[k]
            .values
            .iter()
            .map(|v| v.read(&v.run.run().unwrap()).unwrap())
            .collect()
    }

    /// The words around the school answer key's numbers and the spine
    /// lifetime slide's script hold for the model: ketamine first, mostly
    /// faded by four weeks, a small dip after saline, and longer-living
    /// spines giving a smaller first dip that fades more slowly.
    #[test]
    fn the_school_kits_words_hold_for_the_model() {
        let l = lessons::school();
        let first = values(&l, 0);
        let (before, ket_2h, ket_1d, ssri_1d) = (first[0], first[1], first[2], first[3]);
        let fall = before - ket_1d;
        assert!(ket_2h < before && ket_1d < ssri_1d, "{first:?}");
        assert!(
            before - ssri_1d < 0.25 * fall,
            "SSRI 'still' {ssri_1d} vs {before}"
        );
        let month = values(&l, 1);
        assert!(
            month[0] - ket_1d > 0.5 * fall,
            "'mostly faded': {month:?}, fall {fall}"
        );
        let saline = values(&l, 2);
        assert!(saline[0] < saline[1], "'a dip': {saline:?}");
        assert!(saline[1] - saline[0] < 0.25 * fall, "'small': {saline:?}");
        let life = values(&l, 4);
        assert!(
            life[1] > life[0],
            "36-day spines: smaller first dip {life:?}"
        );
        assert!(
            life[3] < life[2],
            "36-day spines: fade more slowly {life:?}"
        );
        assert!(
            life[2] - ket_1d > 0.5 * fall,
            "9-day brain lost most by 3 weeks {life:?}"
        );
    }

    #[test]
    fn every_lesson_is_found_and_its_timings_add_up() {
        for (n, slug, level, make) in lessons::LESSONS.iter() {
            let l = make();
            assert_eq!(l.total_minutes(), l.minutes, "{slug} {}", level.name());
            assert!(l.slides().count() >= 1, "{slug}");
            assert!(!l.discussion.is_empty() && !l.answers.is_empty(), "{slug}");
            for s in l.segments.iter() {
                assert!(s.minutes > 0, "{slug}: {}", s.heading);
            }
            for s in l.slides() {
                assert!(
                    s.fig.panels.len() <= 2,
                    "{slug}: {} has more than two panels",
                    s.name
                );
            }
            let found = find(&n.to_string(), Some(level.name())).unwrap();
            assert_eq!((found.slug, found.level), (*slug, *level));
        }
        assert_eq!(find("1", None).unwrap().level, Level::University);
        assert_eq!(
            find("hours-not-weeks", Some("school")).unwrap().level,
            Level::School
        );
        let e = find("7", None).unwrap_err().0;
        assert!(
            e.contains("unknown lesson \"7\"") && e.contains("2 two-theories (university)"),
            "{e}"
        );
        let e = find("2", Some("school")).unwrap_err().0;
        assert!(e.contains("no school level"), "{e}");
        assert!(find("1", Some("college"))
            .unwrap_err()
            .0
            .contains("school or university"));
    }

    #[test]
    fn the_school_kit_names_only_parameters_with_plain_labels() {
        let l = lessons::school();
        let mut named: Vec<String> = l.parameters.iter().map(|p| p.to_string()).collect();
        for s in l.slides() {
            named.extend(
                s.fig
                    .set
                    .iter()
                    .chain(s.fig.vary.iter())
                    .map(|a| a.split('=').next().unwrap_or("").to_string()),
            );
        }
        for a in &l.answers {
            for v in &a.values {
                named.extend(
                    v.run
                        .set
                        .iter()
                        .map(|s| s.split('=').next().unwrap_or("").to_string()),
                );
            }
        }
        assert!(!named.is_empty());
        for n in named {
            let id = crate::params::lookup(&n).unwrap_or_else(|| panic!("{n} is not a parameter"));
            assert!(
                crate::params::REGISTRY[id.0].plain.is_some(),
                "{n} has no plain label in the registry"
            );
        }
    }
}
