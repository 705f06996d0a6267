//! Figures (plotters, bundled font; the simulation core never depends on drawing).
//!
//! Every figure is a [`canvas::Figure`] drawn once per backend and written as
//! PNG and SVG by [`canvas::save_png_svg`] (atomically). Shared pieces:
//! [`timeaxis::TimeAxis`] (linear hours/days or log time), [`panel`] (a
//! time-series panel with legend row, reference lines and dose markers) and
//! [`style`] (font, palette, sizes, the colour of each drug and quantity).
//! What a user may change about a figure (title, page size, text size,
//! colour or print, panels) arrives in one [`options::FigureOptions`].

pub mod aa;
pub mod canvas;
pub mod circuit;
pub mod compare;
pub mod cvd;
pub mod dashboard;
pub mod figure;
pub mod greyscale;
pub mod notes;
pub mod options;
pub mod panel;
pub mod population;
pub mod print;
pub mod school;
pub mod sensitivity;
pub mod style;
pub mod sweep;
pub mod synapse;
pub mod theories;
pub mod timeaxis;
pub mod trial;

pub use canvas::save_png_svg;
pub use options::FigureOptions;

use std::path::{Path, PathBuf};
use synsim_core::run::RunResult;

/// The stacked-panel dashboard of one run: DIR/dashboard.png and .svg.
pub fn dashboard(r: &RunResult, dir: &Path, log_time: bool) -> anyhow::Result<Vec<PathBuf>> {
    dashboard::write(r, dir, "dashboard", log_time, &FigureOptions::default())
}
