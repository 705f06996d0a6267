//! Drawing plumbing shared by every figure: one drawing routine rendered to
//! both PNG and SVG and written atomically, text helpers and legends.

use super::style::{self, FAMILY};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// A figure that can draw itself on any plotters backend (PNG and SVG share
/// one drawing routine, so the two files always show the same thing).
pub trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>;
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

/// Renders `fig` to DIR/STEM.svg and DIR/STEM.png and returns both paths.
///
/// Both are drawn first (SVG into memory, PNG into a temporary file in the same
/// folder) and only then renamed into place, so a failure leaves no partial or
/// half-updated pair behind.
pub fn save_png_svg(fig: &impl Figure, dir: &Path, stem: &str) -> anyhow::Result<Vec<PathBuf>> {
    style::init_font();
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the output folder {}: {e}", dir.display()))?;
    let size = fig.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).or_draw()?;
        fig.draw(&root)?;
        root.present().or_draw()?;
    }
    let png = dir.join(format!("{stem}.png"));
    // The temporary name ends in .png: the encoder picks the format from it.
    let tmp = dir.join(format!(".{stem}.tmp-{}.png", std::process::id()));
    let rendered = (|| {
        // Drawn supersampled (anti-aliased lines), then encoded.
        let rgb = super::aa::render_rgb(fig)?;
        let mut out = BitMapBackend::new(&tmp, size);
        out.blit_bitmap((0, 0), size, &rgb).or_draw()?;
        out.present().or_draw()
    })();
    if let Err(e) = rendered {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!("cannot draw {}", png.display())));
    }
    let svg_path = dir.join(format!("{stem}.svg"));
    if let Err(e) = synsim_core::export::write_atomic(&svg_path, svg.as_bytes()) {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("cannot write {}: {e}", svg_path.display());
    }
    std::fs::rename(&tmp, &png).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("cannot write {}: {e}", png.display())
    })?;
    Ok(vec![png, svg_path])
}

/// The bundled font at `size` px in `colour`.
pub fn font(size: u32, colour: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::default(),
    }
}

/// The bundled bold font at `size` px.
pub fn bold(size: u32, colour: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size, FontStyle::Bold).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::default(),
    }
}

/// Draws `text` anchored at `(x, y)` with the given horizontal/vertical anchor.
pub fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    style: &TextStyle,
    anchor: (HPos, VPos),
) -> anyhow::Result<()> {
    let st = style.pos(Pos::new(anchor.0, anchor.1));
    area.draw(&Text::new(s.to_string(), (x, y), st)).or_draw()
}

/// Width of `s` in pixels when drawn with `style`.
pub fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
) -> u32 {
    area.estimate_text_size(s, style)
        .map(|(w, _)| w)
        .unwrap_or(s.len() as u32 * 12)
}

/// `s` broken at spaces into lines at most `width` px wide in `style`.
pub fn wrap_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(area, &candidate, style) > width {
            out.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// The figure title (bold, centred at the top) and an optional subtitle;
/// returns the area below them.
pub fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (w, _) = root.dim_in_pixel();
    let mut y = 14;
    // A title wider than the figure wraps (at most two lines, the rest cut
    // with an ellipsis) instead of running off both edges.
    let ts = bold(style::TITLE, style::okabe_ito::BLACK);
    let mut lines = wrap_px(root, title, &ts, w.saturating_sub(40));
    if lines.len() > 2 {
        lines.truncate(2);
        lines[1].push('\u{2026}');
    }
    for line in &lines {
        text(
            root,
            line,
            (w as i32 / 2, y),
            &ts,
            (HPos::Center, VPos::Top),
        )?;
        y += style::TITLE as i32 + 8;
    }
    // One subtitle line per '\n' (e.g. the scenario, then the changes
    // made), each wrapped to the figure's width.
    let st = font(style::LABEL - 2, style::DARK);
    for para in subtitle.into_iter().flat_map(|s| s.lines()) {
        for line in wrap_px(root, para, &st, w.saturating_sub(60)) {
            text(
                root,
                &line,
                (w as i32 / 2, y),
                &st,
                (HPos::Center, VPos::Top),
            )?;
            y += style::LABEL as i32 + 4;
        }
    }
    Ok(root.clone().split_vertically(y + 6).1)
}

/// Writes the footer line(s) at the bottom and returns the area above.
pub fn footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    left: &str,
    right: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (w, h) = root.dim_in_pixel();
    let fh = style::SMALL as i32 + 16;
    let st = font(style::SMALL, style::DARK);
    text(
        root,
        left,
        (20, h as i32 - 8),
        &st,
        (HPos::Left, VPos::Bottom),
    )?;
    text(
        root,
        right,
        (w as i32 - 20, h as i32 - 8),
        &st,
        (HPos::Right, VPos::Bottom),
    )?;
    Ok(root.clone().split_vertically(h as i32 - fh).0)
}

/// Line pattern of a series or reference line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    /// Continuous.
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dashes (reads as dotted at normal widths).
    Dotted,
    /// Long dashes with wide gaps (a fourth pattern, told apart from
    /// [`Dash::Dashed`] by its rhythm).
    Long,
}

impl Dash {
    /// (dash, gap) lengths in px; `None` for a solid line.
    pub fn pattern(self) -> Option<(u32, u32)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((16, 9)),
            Dash::Dotted => Some((5, 7)),
            Dash::Long => Some((34, 14)),
        }
    }
}

/// How an entry looks in a legend.
#[derive(Debug, Clone, PartialEq)]
pub enum Swatch {
    /// A line sample.
    Line {
        /// Colour.
        colour: RGBColor,
        /// Pattern.
        dash: Dash,
        /// Width, px.
        width: u32,
    },
    /// A filled marker (circle).
    Dot(RGBColor),
    /// An open marker (ring).
    Ring(RGBColor),
    /// A downward triangle (dose marker).
    Triangle(RGBColor),
    /// A filled rectangle (shaded span).
    Block(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// Text.
    pub label: String,
    /// Sample.
    pub swatch: Swatch,
}

impl LegendEntry {
    /// A line entry.
    pub fn line(label: impl Into<String>, colour: RGBColor, dash: Dash, width: u32) -> Self {
        LegendEntry {
            label: label.into(),
            swatch: Swatch::Line {
                colour,
                dash,
                width,
            },
        }
    }
}

const SWATCH_W: i32 = 46;

/// Draws a polyline in pixel coordinates with the given pattern.
pub fn pixel_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pts: Vec<(i32, i32)>,
    colour: RGBColor,
    dash: Dash,
    width: u32,
) -> anyhow::Result<()> {
    let st = colour.stroke_width(width);
    match dash.pattern() {
        None => area.draw(&PathElement::new(pts, st)).or_draw(),
        Some((on, off)) => area
            .draw(&DashedPathElement::new(pts, on, off, st))
            .or_draw(),
    }
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sw: &Swatch,
    (x, y): (i32, i32),
) -> anyhow::Result<()> {
    let mid = x + SWATCH_W / 2;
    match *sw {
        Swatch::Line {
            colour,
            dash,
            width,
        } => pixel_line(area, vec![(x, y), (x + SWATCH_W, y)], colour, dash, width),
        Swatch::Dot(c) => area.draw(&Circle::new((mid, y), 8, c.filled())).or_draw(),
        Swatch::Ring(c) => area
            .draw(&Circle::new((mid, y), 8, c.stroke_width(3)))
            .or_draw(),
        Swatch::Triangle(c) => area
            .draw(&Polygon::new(
                vec![(mid - 9, y - 7), (mid + 9, y - 7), (mid, y + 8)],
                c.filled(),
            ))
            .or_draw(),
        Swatch::Block(c) => area
            .draw(&Rectangle::new(
                [(x + 6, y - 10), (x + SWATCH_W - 6, y + 10)],
                c.mix(0.35).filled(),
            ))
            .or_draw(),
    }
}

/// Lays the entries out in rows from `(x, y)` within `width` px and returns
/// the height used. Entries wrap onto a new row when they do not fit.
pub fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    (x, y): (i32, i32),
    width: i32,
    size: u32,
) -> anyhow::Result<i32> {
    let st = font(size, style::okabe_ito::BLACK);
    let row_h = size as i32 + 12;
    let (mut cx, mut cy) = (x, y);
    for e in entries {
        let w = SWATCH_W + 8 + text_width(area, &e.label, &st) as i32 + 28;
        if cx > x && cx + w > x + width {
            cx = x;
            cy += row_h;
        }
        draw_swatch(area, &e.swatch, (cx, cy + row_h / 2))?;
        text(
            area,
            &e.label,
            (cx + SWATCH_W + 8, cy + row_h / 2),
            &st,
            (HPos::Left, VPos::Center),
        )?;
        cx += w;
    }
    Ok(if entries.is_empty() {
        0
    } else {
        cy - y + row_h
    })
}

/// Width the entries need on one row of [`legend_rows`], px (to centre a
/// legend that fits on one row).
pub fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    size: u32,
) -> i32 {
    let st = font(size, style::okabe_ito::BLACK);
    entries
        .iter()
        .map(|e| SWATCH_W + 8 + text_width(area, &e.label, &st) as i32 + 28)
        .sum::<i32>()
        - if entries.is_empty() { 0 } else { 28 }
}

/// Height the entries need when laid out by [`legend_rows`] in `width` px.
pub fn legend_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    width: i32,
    size: u32,
) -> i32 {
    if entries.is_empty() {
        return 0;
    }
    let st = font(size, style::okabe_ito::BLACK);
    let row_h = size as i32 + 12;
    let (mut cx, mut rows) = (0, 1);
    for e in entries {
        let w = SWATCH_W + 8 + text_width(area, &e.label, &st) as i32 + 28;
        if cx > 0 && cx + w > width {
            cx = 0;
            rows += 1;
        }
        cx += w;
    }
    rows * row_h
}

/// One entry per line, top to bottom, for a legend column; returns the height used.
pub fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    (x, y): (i32, i32),
    size: u32,
) -> anyhow::Result<i32> {
    let st = font(size, style::okabe_ito::BLACK);
    let row_h = size as i32 + 16;
    for (k, e) in entries.iter().enumerate() {
        let cy = y + k as i32 * row_h + row_h / 2;
        draw_swatch(area, &e.swatch, (x, cy))?;
        text(
            area,
            &e.label,
            (x + SWATCH_W + 10, cy),
            &st,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(entries.len() as i32 * row_h)
}
