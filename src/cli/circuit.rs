//! `synsim circuit`: the fast E/I circuit on its millisecond time scale.

use super::common::{self, FigureFlags, InputError};
use crate::plot::circuit::{trace_csv, write, CircuitView, PANELS};
use crate::plot::FigureOptions;
use crate::run::{peak, run};
use crate::scenario::Scenario;
use std::path::PathBuf;
use std::process::ExitCode;

/// Default of `--duration-ms`.
const DURATION_MS: f64 = 60.0;

/// The fast E/I (Wilson–Cowan) circuit, healthy vs NMDA block.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  synsim circuit                                  # block as at the end of a 0.5 mg/kg infusion
  synsim circuit --occupancy 0.8 --duration-ms 100
  synsim circuit --set circuit.c_excinh=10 --set circuit.exc_ext=0.8
  synsim circuit --set receptor.interneuron_sensitivity=1   # no interneuron preference
  synsim circuit --set mechanisms.disinhibition=false
  synsim circuit --panels phase --size 4:3 --font-scale 1.5   # one panel for a slide

The circuit uses the Wilson-Cowan form and parameter names of neurolib's
WCModel (circuit.tau_exc, circuit.tau_inh, circuit.c_excexc, circuit.c_excinh,
circuit.c_inhexc, circuit.c_inhinh, circuit.a_exc, circuit.a_inh,
circuit.mu_exc, circuit.mu_inh, circuit.exc_ext, circuit.inh_ext; see
`synsim params --filter circuit`). --occupancy is the NMDA block on pyramidal
cells; the interneuron block follows from the same binding site with
receptor.interneuron_sensitivity. Both circuits start from the healthy resting
state with a brief excitatory nudge. Writes DIR/circuit.csv (blocked) and
DIR/circuit_healthy.csv (time_ms,exc_activity,inh_activity) and
DIR/circuit.png/.svg. Illustrative teaching model; not clinical advice.")]
pub struct Args {
    /// Change a parameter: NAME=VALUE (repeatable), e.g. --set circuit.c_excinh=12
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// NMDA occupancy on pyramidal cells, 0 to 0.99 (default: the peak after
    /// the standard 0.5 mg/kg ketamine infusion)
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub occupancy: Option<f64>,
    /// How long to simulate, in milliseconds (above 0, at most 10000)
    #[arg(
        long = "duration-ms",
        value_name = "T",
        default_value_t = DURATION_MS,
        allow_negative_numbers = true
    )]
    pub duration_ms: f64,
    /// Output folder (default: synsim-out/circuit, with a short suffix when
    /// --set, --occupancy or --duration-ms change it). A previous synsim
    /// output there is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub figure: FigureFlags,
}

/// Runs the subcommand.
pub fn exec(a: Args) -> anyhow::Result<ExitCode> {
    let opts = a.figure.options("circuit", &PANELS)?;
    let target = a.out.clone().unwrap_or_else(|| {
        let mut changes: Vec<String> = a.set.iter().map(|x| format!("set {x}")).collect();
        changes.extend(a.occupancy.map(|x| format!("occupancy {x}")));
        changes.extend(common::changed("duration-ms", a.duration_ms, DURATION_MS));
        changes.extend(a.figure.changes());
        common::command_out("circuit", &[], &changes)
    });
    let out = common::OutDir::prepare(&target)?;
    let view = build(&a.set, a.occupancy, a.duration_ms)?;
    let files = save(&view, out.path(), &opts)?;
    let dir = out.commit()?;
    outln!(
        "NMDA block: pyramidal {:.0} %, interneurons {:.0} %",
        100.0 * view.occ_exc,
        100.0 * view.occ_inh
    );
    outln!(
        "resting activity E/I: healthy {:.4}/{:.4}, blocked {:.4}/{:.4} (E {:+.0} %)",
        view.rest_healthy.0,
        view.rest_healthy.1,
        view.rest_blocked.0,
        view.rest_blocked.1,
        100.0 * (view.rest_blocked.0 / view.rest_healthy.0 - 1.0)
    );
    common::report_files(&files, &dir)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks the flags and computes both circuits (nothing is written).
pub fn build(
    set: &[String],
    occupancy: Option<f64>,
    duration_ms: f64,
) -> anyhow::Result<CircuitView> {
    if !(duration_ms.is_finite() && duration_ms > 0.0 && duration_ms <= 10_000.0) {
        return Err(InputError(format!(
            "--duration-ms {duration_ms}: the simulated time is in milliseconds and must be above 0 and at most 10000 ms"
        ))
        .into());
    }
    if let Some(x) = occupancy {
        if !(x.is_finite() && (0.0..=0.99).contains(&x)) {
            return Err(InputError(format!(
                "--occupancy {x}: NMDA occupancy is the fraction of receptors blocked (no unit) and must be from 0 to 0.99"
            ))
            .into());
        }
    }
    // The standard infusion scenario supplies the parameters (and, unless
    // --occupancy is given, the block to show).
    let mut s = Scenario::load("ketamine-iv-single")?;
    s.apply_overrides(set)?;
    let x = match occupancy {
        Some(x) => x,
        None => {
            s.days = 1.0;
            let r = run(&s)?;
            peak(&r.rows, 0.0, |o| o.occupancy.nmda)
                .value
                .clamp(0.0, 0.99)
        }
    };
    Ok(CircuitView::new(&s.params, x, duration_ms))
}

/// Writes DIR/circuit.csv, DIR/circuit_healthy.csv and DIR/circuit.png/.svg
/// (the figure as `opts` asks).
pub fn save(
    view: &CircuitView,
    dir: &std::path::Path,
    opts: &FigureOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let dir = common::out_dir(dir)?;
    let mut files = write(view, &dir, "circuit", opts)?;
    files.push(common::write(
        &dir,
        "circuit.csv",
        trace_csv(&view.trace_blocked).as_bytes(),
    )?);
    files.push(common::write(
        &dir,
        "circuit_healthy.csv",
        trace_csv(&view.trace_healthy).as_bytes(),
    )?);
    Ok(files)
}
