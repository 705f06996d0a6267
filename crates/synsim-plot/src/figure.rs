//! What a figure is: something that draws itself on any plotters backend,
//! and the one routine that paints it (in greys for print). The files a
//! figure becomes are written by [`super::canvas::save_png_svg`].

use super::greyscale::Greyscale;
use super::style::Look;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A figure that can draw itself on any plotters backend (PNG and SVG share
/// one drawing routine, so the two files always show the same thing).
pub trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>;
    /// Text scale and colour mode (the default look unless the figure was
    /// given [`super::options::FigureOptions`]).
    fn look(&self) -> Look {
        Look::default()
    }
}

/// Draws `fig` on `backend`, in greys when its look is for print.
pub fn draw_on<DB: DrawingBackend>(fig: &impl Figure, backend: DB) -> anyhow::Result<()> {
    if fig.look().print {
        paint(fig, Greyscale { inner: backend })
    } else {
        paint(fig, backend)
    }
}

fn paint<DB: DrawingBackend>(fig: &impl Figure, backend: DB) -> anyhow::Result<()> {
    let root = backend.into_drawing_area();
    root.fill(&WHITE).or_draw()?;
    fig.draw(&root)?;
    root.present().or_draw()
}

/// Turns a plotters error (generic over the backend) into an `anyhow` error.
pub trait OrDraw<T> {
    /// Maps the error to "drawing failed: …".
    fn or_draw(self) -> anyhow::Result<T>;
}

impl<T, E: std::fmt::Display> OrDraw<T> for Result<T, E> {
    fn or_draw(self) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("drawing failed: {e}"))
    }
}
