//! Figures (plotters, bundled font; the simulation core never depends on drawing).

pub mod style;

use crate::run::RunResult;
use std::path::{Path, PathBuf};

/// The stacked-panel dashboard of one run: DIR/dashboard.png and .svg.
pub fn dashboard(_r: &RunResult, _dir: &Path, _log_time: bool) -> anyhow::Result<Vec<PathBuf>> {
    Ok(Vec::new())
}
