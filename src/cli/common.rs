//! Flags and helpers shared by several subcommands.

use crate::plot::options::{PageSize, Style};
use crate::scenario::{Scenario, ScenarioEdit, ScenarioError};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// A problem with what the user gave us (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Standard output could not be written (a full disk, a closed file): the
/// run failed (exit code 1), and nothing pretends it succeeded.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct StdoutError(pub std::io::Error);

/// Writes one line to the locked standard output; what `outln!` calls.
pub fn out(args: std::fmt::Arguments) -> Result<(), StdoutError> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    o.write_fmt(args)
        .and_then(|_| o.write_all(b"\n"))
        .map_err(StdoutError)
}

/// The file name of `p`, as shown to the user.
pub fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The last line of every command that writes files: "wrote a, b in DIR".
pub fn report_written<S: AsRef<str>>(
    names: &[S],
    dir: &std::path::Path,
) -> Result<(), StdoutError> {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    out(format_args!(
        "wrote {} in {}",
        names.join(", "),
        dir.display()
    ))
}

/// [`report_written`] for files given by path.
pub fn report_files(
    files: &[std::path::PathBuf],
    dir: &std::path::Path,
) -> Result<(), StdoutError> {
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    report_written(&names, dir)
}

/// Writes `text` as it is (no newline added) to the locked standard output.
pub fn out_str(text: &str) -> Result<(), StdoutError> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(StdoutError)
}

/// Flushes standard output (the last buffered line may still fail).
pub fn flush_stdout() -> Result<(), StdoutError> {
    use std::io::Write;
    std::io::stdout().lock().flush().map_err(StdoutError)
}

/// The kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Bad input: usage, a scenario file, a parameter, a regimen, an output
    /// folder that cannot be used (exit code 2).
    Input,
    /// The run or a check failed, or writing failed (exit code 1).
    Run,
}

/// What kind of failure `e` is, from the types of the errors in its chain
/// (never from its wording).
pub fn failure(e: &anyhow::Error) -> Failure {
    let input = e.chain().any(|c| {
        c.is::<InputError>()
            || c.is::<ScenarioError>()
            || c.is::<crate::regimen::RegimenError>()
            || c.downcast_ref::<crate::solve::SolveError>()
                .is_some_and(crate::solve::SolveError::is_input)
            || c.downcast_ref::<crate::population::PopulationError>()
                .is_some_and(|p| matches!(p, crate::population::PopulationError::Input(_)))
    });
    if input {
        Failure::Input
    } else {
        Failure::Run
    }
}

/// Exit code for an error: 2 for bad input, 1 otherwise.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    match failure(e) {
        Failure::Input => 2,
        Failure::Run => 1,
    }
}

/// An error message with every quoted piece of user input (`"…"`) cut to
/// [`crate::units::ECHO_CHARS`] characters, so a pasted paragraph or a
/// mistyped file is not echoed back whole.
pub fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (k, part) in parts.enumerate() {
        out.push('"');
        // Odd pieces sit between a pair of quotes.
        if k % 2 == 0 {
            out.push_str(&crate::units::clip(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Scenario-shaping flags shared by run, compare, theories, population, sweep.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Change a parameter: NAME=VALUE (repeatable), e.g. --set mechanisms.hnk=true.
    /// See `synsim params` for names, units and ranges.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Replace the scenario's regimen, e.g. --regimen "ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"
    #[arg(long, value_name = "NOTATION")]
    pub regimen: Option<String>,
    /// Simulated days after the first dose (default: the scenario's)
    #[arg(long, value_name = "D")]
    pub days: Option<f64>,
    /// Run a regimen that reaches anaesthetic plasma levels anyway (refused
    /// without it: the model is built for antidepressant doses); every
    /// figure and summary is then marked
    #[arg(long)]
    pub allow_anaesthetic: bool,
}

impl Common {
    /// These flags as changes for a default output folder
    /// (`command_out`): `set X`, `regimen X`, `days X`.
    pub fn changes(&self) -> Vec<String> {
        let mut c: Vec<String> = self.set.iter().map(|x| format!("set {x}")).collect();
        c.extend(self.regimen.iter().map(|x| format!("regimen {x}")));
        c.extend(self.days.iter().map(|x| format!("days {x}")));
        if self.allow_anaesthetic {
            c.push("allow-anaesthetic".into());
        }
        c
    }

    /// Loads `name` and applies these flags.
    pub fn scenario(&self, name: &str) -> anyhow::Result<Scenario> {
        self.scenario_with(name, self.edit())
    }

    /// Like [`Common::scenario`], with `edit` in place of these flags'
    /// (a command's own flags added to them, e.g. `run --dt-out`).
    pub fn scenario_with(&self, name: &str, edit: ScenarioEdit) -> anyhow::Result<Scenario> {
        let mut s = Scenario::load(name)?;
        edit.apply(&mut s)?;
        check_anaesthetic(&mut s, self.allow_anaesthetic)?;
        Ok(s)
    }

    /// The regimen, changes and length these flags give.
    pub fn edit(&self) -> ScenarioEdit {
        ScenarioEdit {
            regimen: self.regimen.clone(),
            set: self.set.clone(),
            days: self.days,
            dt_out: None,
        }
    }
}

/// Refuses a regimen that reaches anaesthetic plasma levels unless
/// `allowed`; when allowed, marks the scenario's title (and with it every
/// figure and summary) as outside the model's range.
pub fn check_anaesthetic(s: &mut Scenario, allowed: bool) -> anyhow::Result<()> {
    let Some(a) = crate::scenario::anaesthetic_peak(s) else {
        return Ok(());
    };
    if !allowed {
        return Err(InputError(a.message("pass --allow-anaesthetic")).into());
    }
    eprintln!("warning: {}", a.message("--allow-anaesthetic was passed"));
    s.title = format!(
        "{} ({})",
        s.title,
        crate::scenario::anaesthesia::MARK.to_uppercase()
    );
    Ok(())
}

/// Options whose value is one `NAME=VALUE` word.
const ASSIGNMENT_OPTIONS: [&str; 2] = ["--set", "--vary"];

/// Finds an assignment the shell split into several words because of
/// spaces around `=` (`--set a = b`, `--set a =b`, `--set a= b`) in the
/// command line `args` (without the program name), and says how to write
/// it. Such words would otherwise reach clap or the scenario list and give
/// a confusing message.
pub fn split_assignment(args: &[String]) -> Option<String> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let args = &args[..end];
    for (k, flag) in args.iter().enumerate() {
        if !ASSIGNMENT_OPTIONS.contains(&flag.as_str()) {
            continue;
        }
        let (Some(value), next) = (args.get(k + 1), args.get(k + 2)) else {
            continue;
        };
        let words: Vec<&str> = match next {
            Some(n) if n == "=" => args[k + 1..(k + 4).min(args.len())]
                .iter()
                .map(String::as_str)
                .collect(),
            Some(n) if n.starts_with('=') => vec![value, n],
            Some(n) if value.ends_with('=') && !n.starts_with('-') => vec![value, n],
            // `--set synapse.turnover_d 30`: the "=" left out.
            Some(n) if !value.contains('=') && looks_like_a_value(n) => {
                return Some(format!(
                    "{flag} {value} {n}: a setting is one word NAME=VALUE; write {flag} {value}={n}"
                ));
            }
            _ => continue,
        };
        return Some(format!(
            "{flag} {}: the shell passed this as {} separate words; {}",
            words.join(" "),
            words.len(),
            crate::scenario::assignment_form(flag)
        ));
    }
    None
}

/// A word that reads as a setting's value (a number or a switch), not as a
/// scenario or an option.
fn looks_like_a_value(word: &str) -> bool {
    word.parse::<f64>().is_ok() || word == "true" || word == "false"
}

/// Prints the warnings about `s` as it will run ([`crate::scenario::warnings`]:
/// doses after the run's end, doses outside the calibration) to stderr.
pub fn warn_scenario(s: &Scenario) {
    for w in crate::scenario::warnings(s) {
        eprintln!("warning: {w}");
    }
}

/// `--log-time` / `--linear-time` for figures that choose their time axis
/// from the run length when neither is given.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct TimeAxisFlags {
    /// Logarithmic time axis (the default for a single dose followed for days)
    #[arg(long, conflicts_with = "linear_time")]
    pub log_time: bool,
    /// Linear time axis (the default for a course of doses)
    #[arg(long)]
    pub linear_time: bool,
}

impl TimeAxisFlags {
    /// `Some(true)` for log, `Some(false)` for linear, `None` to decide from the data.
    pub fn choice(&self) -> Option<bool> {
        match (self.log_time, self.linear_time) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// Options every figure command takes, carried to the figures in one
/// [`crate::plot::FigureOptions`].
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Figure options")]
pub struct FigureFlags {
    /// Replace the figure's title (at most 200 characters)
    #[arg(long, value_name = "TEXT", value_parser = parse_title)]
    pub title: Option<String>,
    #[command(flatten)]
    pub look: LookFlags,
    /// Only these panels, in this order, e.g. --panels score,synapses (run,
    /// compare, theories, population, circuit; an unknown name lists them)
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub panels: Vec<String>,
    /// Label each line where it ends instead of drawing a legend (compare;
    /// always so with --style school)
    #[arg(long)]
    pub line_labels: bool,
}

/// How figures look, for commands that make one figure or many (`demo`,
/// whose figures keep their own titles and panels).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Figure options")]
pub struct LookFlags {
    /// Page size: 16:9 or 4:3 for slides, A4 (upright) or A4-landscape for
    /// handouts [default: each figure's own]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub size: Option<PageSize>,
    /// Scale all text, from 0.5 to 3 (1 = normal); the layout makes room, and
    /// the text is drawn smaller where the plots would have none
    #[arg(
        long = "font-scale",
        value_name = "X",
        value_parser = parse_font_scale,
        allow_negative_numbers = true
    )]
    pub font_scale: Option<f64>,
    /// colour; print: black and white for a photocopier (lines told apart
    /// by dashes and markers); school: plain words on every figure, a linear
    /// time axis and (compare) labels on the lines [default: colour]
    #[arg(long, value_name = "STYLE", value_parser = parse_style)]
    pub style: Option<Style>,
}

impl LookFlags {
    /// The options: each figure's own title and panels, this look.
    pub fn options(&self) -> crate::plot::FigureOptions {
        crate::plot::FigureOptions {
            title: None,
            size: self.size,
            font_scale: self.font_scale.unwrap_or(1.0),
            style: self.style.unwrap_or_default(),
            panels: Vec::new(),
            line_labels: false,
        }
    }

    /// These options as changes for a default output folder.
    pub fn changes(&self) -> Vec<String> {
        let mut c: Vec<String> = Vec::new();
        c.extend(self.size.iter().map(|s| format!("size {s}")));
        c.extend(self.font_scale.iter().map(|x| format!("font-scale {x}")));
        c.extend(self.style.iter().map(|s| format!("style {s}")));
        c
    }
}

fn parse_title(s: &str) -> Result<String, String> {
    crate::plot::options::check_title(s)
}

/// Longest `--label`, in characters: a line's or row's name must leave
/// the figure room.
pub const MAX_LABEL: usize = 60;

/// Reads one `--label`: some text, at most [`MAX_LABEL`] characters, control
/// characters as spaces.
pub fn parse_label(s: &str) -> Result<String, String> {
    crate::plot::options::check_text(s, "label", MAX_LABEL, "it must leave the figure room")
}

/// Puts `given` (`--label`, in order) in place of the first labels of
/// `shown`; refuses more labels than there are `what`s ("lines", "rows").
pub fn relabel(given: &[String], shown: &mut [&mut String], what: &str) -> Result<(), InputError> {
    if given.len() > shown.len() {
        let one = what.trim_end_matches('s');
        return Err(InputError(format!(
            "{} --label options for {} {}; give one --label per {one}, in order (fewer keep \
             the others' own names)",
            given.len(),
            shown.len(),
            if shown.len() == 1 { one } else { what }
        )));
    }
    for (s, g) in shown.iter_mut().zip(given) {
        **s = g.clone();
    }
    Ok(())
}

fn parse_size(s: &str) -> Result<PageSize, String> {
    s.parse()
}

fn parse_style(s: &str) -> Result<Style, String> {
    s.parse()
}

fn parse_font_scale(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| "give a number from 0.5 to 3 (1 = normal size)".to_string())?;
    crate::plot::options::check_font_scale(x)
}

impl FigureFlags {
    /// The options for a figure called `figure` (in messages) whose panels
    /// are `panels`; an unknown, repeated or unavailable panel name is bad
    /// input, reported before anything runs.
    pub fn options(
        &self,
        figure: &str,
        panels: &[(&str, &str)],
    ) -> Result<crate::plot::FigureOptions, InputError> {
        let o = crate::plot::FigureOptions {
            title: self.title.clone(),
            panels: self.panels.clone(),
            line_labels: self.line_labels,
            ..self.look.options()
        };
        o.pick(figure, panels).map_err(|e| {
            InputError(format!(
                "--panels {}: {e}",
                crate::units::clip(&self.panels.join(","))
            ))
        })?;
        Ok(o)
    }

    /// These options as changes for a default output folder, so a print or
    /// slide version does not replace the plain one.
    pub fn changes(&self) -> Vec<String> {
        let mut c: Vec<String> = Vec::new();
        c.extend(self.title.iter().map(|t| format!("title {t}")));
        c.extend(self.look.changes());
        if !self.panels.is_empty() {
            c.push(format!("panels {}", self.panels.join(",")));
        }
        if self.line_labels {
            c.push("line-labels".into());
        }
        c
    }
}

/// Creates the output folder (and parents) and returns it.
pub fn out_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    Ok(dir.to_path_buf())
}

/// Writes a file inside `dir` atomically.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let p = dir.join(name);
    crate::export::write_atomic(&p, bytes)
        .with_context(|| format!("cannot write {}", p.display()))?;
    Ok(p)
}

/// The temporary output folders of this process and the folders they stand
/// for, so an error message names the folder the user asked for.
static TMP_TARGETS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

fn remember_tmp(tmp: &Path, target: &Path) {
    if let Ok(mut v) = TMP_TARGETS.lock() {
        v.push((tmp.display().to_string(), target.display().to_string()));
    }
}

/// `message` with every temporary output folder replaced by the folder it
/// is written for (`…/.synsim-tmp-123-out/a.csv` → `…/out/a.csv`).
pub fn without_tmp_paths(message: &str) -> String {
    let mut m = message.to_string();
    if let Ok(v) = TMP_TARGETS.lock() {
        for (tmp, target) in v.iter() {
            m = m.replace(tmp.as_str(), target.as_str());
        }
    }
    m
}

/// The marker file in every output folder synsim writes: only folders that
/// hold it (or empty ones) are ever replaced.
pub const MARKER: &str = ".synsim-output";
/// Prefix of the temporary sibling folders an output is written into.
const TMP_PREFIX: &str = ".synsim-tmp-";

/// An output folder written as a whole: everything goes into a temporary
/// sibling (`.synsim-tmp-PID-NAME`), and [`OutDir::commit`] swaps it into
/// place in one rename. A kill or a full disk at any moment leaves either
/// the previous complete folder (or none) or the new complete one; the
/// temporaries of killed runs are removed by the next run in that folder.
#[derive(Debug)]
pub struct OutDir {
    target: PathBuf,
    tmp: PathBuf,
    done: bool,
}

impl OutDir {
    /// Checks `target` (before any computation) and makes the temporary
    /// folder. Refuses, as bad input, a file, or a folder with files that
    /// synsim did not write (no [`MARKER`]).
    pub fn prepare(target: &Path) -> anyhow::Result<OutDir> {
        let shown = target.display();
        if target.exists() {
            if !target.is_dir() {
                return Err(InputError(format!(
                    "the output folder {shown} is a file; choose another --out"
                ))
                .into());
            }
            let foreign = std::fs::read_dir(target)
                .map_err(|e| InputError(format!("cannot read the output folder {shown}: {e}")))?
                .next()
                .is_some()
                && !written_by_synsim(target);
            if foreign {
                return Err(InputError(format!(
                    "the output folder {shown} holds files that synsim did not write; \
                     choose another --out (synsim replaces only its own output folders, as a whole)"
                ))
                .into());
            }
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..")
            .ok_or_else(|| {
                InputError(format!(
                    "--out {shown}: give a folder name (synsim replaces the folder as a whole)"
                ))
            })?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| {
            InputError(format!(
                "cannot create the folder {}: {e}",
                parent.display()
            ))
        })?;
        clean_stale(&parent);
        let tmp = parent.join(format!("{TMP_PREFIX}{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir(&tmp).map_err(|e| {
            InputError(format!(
                "cannot write in the folder {} (for {shown}): {e}",
                parent.display()
            ))
        })?;
        remember_tmp(&tmp, target);
        Ok(OutDir {
            target: target.to_path_buf(),
            tmp,
            done: false,
        })
    }

    /// Where the files go until [`OutDir::commit`].
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Marks the output complete and swaps it into place, replacing a
    /// previous synsim output as a whole.
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        let fail = |e: std::io::Error| {
            anyhow::anyhow!(
                "cannot put the output in place at {}: {e}",
                self.target.display()
            )
        };
        let marker = format!(
            "Written by synsim {}; replaced as a whole by the next run with this output folder.\n",
            env!("CARGO_PKG_VERSION")
        );
        std::fs::write(self.tmp.join(MARKER), marker).map_err(fail)?;
        if self.target.exists() {
            if !exchange(&self.tmp, &self.target) {
                // Two renames: for a moment the folder is absent, never mixed.
                let old = self.tmp.with_extension("old");
                std::fs::rename(&self.target, &old).map_err(fail)?;
                std::fs::rename(&self.tmp, &self.target).map_err(fail)?;
                let _ = std::fs::remove_dir_all(&old);
                self.done = true;
                return Ok(self.target.clone());
            }
            // The temporary name now holds the previous output.
            let _ = std::fs::remove_dir_all(&self.tmp);
        } else {
            std::fs::rename(&self.tmp, &self.target).map_err(fail)?;
        }
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Is `dir` an output folder synsim wrote: it holds the [`MARKER`], or,
/// from versions before the marker, a summary.json or index.html of synsim's.
fn written_by_synsim(dir: &Path) -> bool {
    let mentions = |name: &str, text: &str| {
        std::fs::read_to_string(dir.join(name)).is_ok_and(|t| t.contains(text))
    };
    dir.join(MARKER).exists()
        || mentions("summary.json", "not clinical advice")
        || mentions("index.html", "synsim")
}

/// Atomically swaps two paths (Linux `renameat2(RENAME_EXCHANGE)`); false
/// where that is not available.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: two valid NUL-terminated paths; the call reads nothing else.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    r == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes temporary output folders in `parent` left by runs that were
/// killed (their process no longer exists).
fn clean_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TMP_PREFIX) else {
            continue;
        };
        let Some(pid) = rest
            .split(['-', '.'])
            .next()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

/// The default output folder of `synsim run`: `synsim-out/NAME` for the
/// scenario as it is, `synsim-out/NAME-XXXXXX` when `--set`, `--regimen`,
/// `--days` or `--dt-out` change it (`XXXXXX` a short digest of the
/// changes), so runs being compared do not overwrite each other.
pub fn default_out(scenario: &str, changes: &[String]) -> PathBuf {
    let stem = Path::new(scenario)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    let stem: String = folder_word(&stem).chars().take(60).collect();
    with_digest(stem, changes)
}

/// Longest default folder name before the digest, in characters.
const MAX_STEM: usize = 100;

/// The default output folder of the other commands, following
/// [`default_out`]: `synsim-out/COMMAND-WHAT` with the scenarios (or other
/// things) it ran joined by `-vs-` (file paths by their stem), e.g.
/// `synsim-out/compare-ketamine-iv-single-vs-placebo`, and a short digest
/// of `changes` (the options that change the result) when there are any,
/// so different commands and changes never overwrite each other's output;
/// the same command again replaces its own. A name too long is cut and
/// the whole list goes into the digest.
pub fn command_out(command: &str, what: &[String], changes: &[String]) -> PathBuf {
    let parts: Vec<String> = what
        .iter()
        .map(|w| {
            let stem = Path::new(w)
                .file_stem()
                .map_or_else(|| w.clone(), |s| s.to_string_lossy().into_owned());
            folder_word(&stem)
        })
        .collect();
    let mut stem = std::iter::once(command.to_string())
        .chain(std::iter::once(parts.join("-vs-")).filter(|p| !p.is_empty()))
        .collect::<Vec<_>>()
        .join("-");
    let mut changes = changes.to_vec();
    if stem.chars().count() > MAX_STEM {
        stem = stem.chars().take(MAX_STEM).collect();
        changes.extend(what.iter().map(|w| format!("ran {w}")));
    }
    with_digest(stem, &changes)
}

/// `text` with every character that is not a letter, digit, `-` or `_`
/// replaced by `-`, for a folder name.
fn folder_word(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `synsim-out/STEM`, or `synsim-out/STEM-XXXXXX` with a digest of
/// `changes` when there are any.
fn with_digest(stem: String, changes: &[String]) -> PathBuf {
    if changes.is_empty() {
        return Path::new("synsim-out").join(stem);
    }
    // FNV-1a: stable across machines and Rust versions.
    let mut h: u32 = 0x811c_9dc5;
    for b in changes.join("\u{1f}").bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    Path::new("synsim-out").join(format!("{stem}-{:06x}", h & 0xff_ffff))
}

/// `name value` for the changes of a default output folder when `value`
/// is not the option's `default`.
pub fn changed<T: PartialEq + std::fmt::Display>(
    name: &str,
    value: T,
    default: T,
) -> Option<String> {
    (value != default).then(|| format!("{name} {value}"))
}

/// CSV bytes per value (with its comma), measured: `synsim run
/// ketamine-iv-serial --days 90 --dt-out "10 min"` wrote 13 105 rows × 21
/// columns in 2.32 MB (8.4 bytes per value), `ssri-escitalopram` 12 241 × 20
/// in 2.49 MB (10.2); `ketamine-iv-single --dt-out "1 s"` used to write
/// 515 MB for 2.5 million × 21 (9.8). The estimate takes the upper end.
pub const CSV_BYTES_PER_VALUE: f64 = 10.0;
/// Above this estimated size a CSV is refused unless `--force` is given.
pub const REFUSE_BYTES: f64 = 200e6;
/// Above this estimated size a warning is printed first.
pub const WARN_CSV_BYTES: f64 = 20e6;

/// Checks the estimated size of a `rows` × `cols` CSV before computing:
/// refuses (bad input) above [`REFUSE_BYTES`] unless `force`, warns above
/// [`WARN_CSV_BYTES`]. `how` says how to get less.
pub fn check_csv_size(rows: f64, cols: usize, force: bool, how: &str) -> anyhow::Result<()> {
    let bytes = rows * cols as f64 * CSV_BYTES_PER_VALUE;
    let mb = bytes / 1e6;
    if bytes > REFUSE_BYTES && !force {
        return Err(InputError(format!(
            "this would write a CSV of about {mb:.0} MB ({rows:.0} rows × {cols} columns), more \
             than the limit of {:.0} MB; {how}, or add --force to write it anyway",
            REFUSE_BYTES / 1e6
        ))
        .into());
    }
    if bytes > WARN_CSV_BYTES {
        eprintln!(
            "warning: writing a CSV of about {mb:.0} MB ({rows:.0} rows × {cols} columns); {how}"
        );
    }
    Ok(())
}

/// The largest share of virtual patients that may fail to be simulated
/// (and be left out of every statistic) before a population or a trial
/// fails: above it the statistics of the rest would mislead.
pub const MAX_FAILED_SHARE: f64 = 0.05;

/// Fails (exit code 1) when more than [`MAX_FAILED_SHARE`] of `total`
/// virtual patients failed, naming how many; `first` describes the first
/// failure. Fewer failures pass (the caller warns about them).
pub fn check_failed(failed: usize, total: usize, first: &str) -> anyhow::Result<()> {
    if failed as f64 > MAX_FAILED_SHARE * total as f64 {
        anyhow::bail!(
            "{failed} of {total} virtual patients ({:.1} %) could not be simulated, more than the \
             {:.0} % allowed: statistics of the rest would mislead, so nothing was written; \
             move changed parameters towards their defaults (synsim params); first: {first}",
            100.0 * failed as f64 / total.max(1) as f64,
            100.0 * MAX_FAILED_SHARE
        );
    }
    Ok(())
}

/// A time or duration of `h` hours for people: minutes under an hour,
/// hours under two days, days from two days on ("14 min", "5.5 h",
/// "37.3 d"); "-" when undefined.
pub fn fmt_time_h(h: f64) -> String {
    if h.is_nan() {
        "-".into()
    } else if h.abs() < 1.0 {
        format!("{:.0} min", h * 60.0)
    } else if h.abs() < 48.0 {
        format!("{h:.1} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}

/// An estimated duration of `seconds` for people, as rough as an estimate
/// is: "under 0.1 s", "about 2.5 s", "about 40 s", "about 92 min",
/// "about 1.7 h", "about 3.2 d".
pub fn fmt_estimate_s(seconds: f64) -> String {
    if seconds.is_nan() {
        return "unknown".into();
    }
    let s = seconds.max(0.0);
    if s < 0.1 {
        "under 0.1 s".into()
    } else if s < 10.0 {
        format!("about {s:.1} s")
    } else if s < 100.0 {
        format!("about {s:.0} s")
    } else if s < 100.0 * 60.0 {
        format!("about {:.0} min", s / 60.0)
    } else if s < 48.0 * 3600.0 {
        format!("about {:.1} h", s / 3600.0)
    } else {
        format!("about {:.1} d", s / 86400.0)
    }
}

/// Word-wraps `text` to `width` columns with `indent` spaces in front.
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}{line}\n"));
    }
    out
}

/// The integrator's work in words.
pub(crate) fn work_text(w: &crate::solve::esdirk::Stats) -> String {
    format!(
        "{} steps ({} rejected, {} Newton failures), {} right-hand sides, {} Jacobians",
        w.steps, w.rejected, w.newton_failures, w.rhs, w.jacobians
    )
}

#[cfg(test)]
mod tests;
