//! `synsim list`: the built-in scenarios and what each one teaches.

use super::common::wrap;
use crate::scenario::{Scenario, BUILTINS};
use std::process::ExitCode;

/// The built-in scenarios and what they teach.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim list                      # one line per scenario
  synsim list --long               # with the teaching note and \"try this\" ideas
  synsim run ketamine-iv-single    # run one of them
  synsim params --toml > my.toml   # start your own scenario file, then:
  synsim run my.toml")]
pub struct Args {
    /// Also print each scenario's full teaching note, regimen and "try this" ideas
    #[arg(long)]
    pub long: bool,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let scenarios = BUILTINS
        .iter()
        .map(|(name, _)| Scenario::load(name))
        .collect::<Result<Vec<_>, _>>()?;
    super::common::out_str(&listing(&scenarios, a.long))?;
    Ok(ExitCode::SUCCESS)
}

/// The listing text (short or long form).
fn listing(scenarios: &[Scenario], long: bool) -> String {
    let width = scenarios.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut out =
        String::from("Built-in scenarios (illustrative teaching model, not clinical advice):\n\n");
    for s in scenarios {
        out.push_str(&format!("  {:<width$}  {}\n", s.name, s.title));
        let teaches = first_sentence(&s.teaching_note);
        if long {
            out.push_str(&wrap(&s.teaching_note, width + 4, 78));
            if !s.regimen_text.is_empty() {
                out.push_str(&format!(
                    "{}regimen: {}\n",
                    " ".repeat(width + 4),
                    s.regimen_text
                ));
            }
            out.push_str(&format!(
                "{}runs {} days after the first dose\n",
                " ".repeat(width + 4),
                s.days
            ));
            for t in &s.try_this {
                out.push_str(&wrap(&format!("try: {t}"), width + 4, 78));
            }
            out.push('\n');
        } else {
            out.push_str(&wrap(&format!("teaches: {teaches}"), width + 4, 100));
        }
    }
    out.push_str(
        "\nRun one:            synsim run <NAME>            (e.g. synsim run ketamine-iv-single)\n\
         Compare several:    synsim compare <NAME> <NAME>...\n\
         Draw the spines:    synsim synapses <NAME> <NAME>... --at 1d,1w,4w\n\
         See its values:     synsim params <NAME>\n\
         Write your own:     synsim params --toml > my.toml, edit it, then synsim run my.toml\n\
         More detail:        synsim list --long\n",
    );
    out
}

/// The first sentence of a teaching note (up to and including its full stop).
fn first_sentence(text: &str) -> &str {
    // A full stop followed by a space ends a sentence; "0.5" does not.
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_full_stop_not_decimal_point() {
        assert_eq!(
            first_sentence("Dose 0.5 mg/kg. Then more."),
            "Dose 0.5 mg/kg."
        );
        assert_eq!(first_sentence("No stop"), "No stop");
    }

    #[test]
    fn wrap_keeps_lines_short() {
        let w = wrap(&"word ".repeat(40), 4, 40);
        assert!(w.lines().all(|l| l.len() <= 40 && l.starts_with("    ")));
    }
}
