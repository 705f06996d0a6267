//! Drawing plumbing shared by every figure: one drawing routine rendered to
//! both PNG and SVG and written atomically, text helpers and legends.

use super::style::{self, Look, FAMILY};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

pub use super::figure::{draw_on, Figure, OrDraw};

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
    draw_on(fig, SVGBackend::with_string(&mut svg, size))?;
    let png = dir.join(format!("{stem}.png"));
    // Drawn supersampled (anti-aliased lines), then encoded in memory, so
    // a full disk is one plain write error, never an encoder's.
    let rgb = super::aa::render_rgb(fig)
        .map_err(|e| e.context(format!("cannot draw {}", png.display())))?;
    let bytes = encode_png(&rgb, size)
        .map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", png.display()))?;
    let tmp = dir.join(format!(".{stem}.tmp-{}.png", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        std::io::Write::write_all(&mut f, &bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("cannot write {}: {e}", png.display());
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

/// An RGB image as PNG bytes.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, image::ImageError> {
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes).write_image(
        rgb,
        w,
        h,
        image::ColorType::Rgb8,
    )?;
    Ok(bytes)
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

/// How many of `chars` (at least one) fit in `width` px in `style` with
/// `tail` after them; found by bisection, so a text of thousands of
/// characters costs a few measurements.
fn fit_prefix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chars: &[char],
    tail: &str,
    style: &TextStyle,
    width: u32,
) -> usize {
    let with_tail = |n: usize| {
        let mut t: String = chars[..n].iter().collect();
        t.push_str(tail);
        t
    };
    let (mut lo, mut hi) = (1, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(area, &with_tail(mid), style) <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo.min(chars.len())
}

/// `s` cut (with an ellipsis) to at most `width` px in `style`; `s` itself
/// when it fits.
pub fn clip_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
) -> String {
    if text_width(area, s, style) <= width {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let n = fit_prefix(area, &chars, "\u{2026}", style, width);
    let mut t: String = chars[..n].iter().collect::<String>().trim_end().to_string();
    t.push('\u{2026}');
    t
}

/// A bold heading `s` at most `width` px wide: at `size`, or smaller (down
/// to `least`) where that keeps it whole, cut with an ellipsis only when
/// even `least` is too wide. Returns the text and its style.
pub fn heading_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    (size, least): (u32, u32),
    width: u32,
) -> (String, TextStyle<'static>) {
    let least = least.min(size);
    let size = (least..=size)
        .rev()
        .find(|&z| text_width(area, s, &bold(z, style::okabe_ito::BLACK)) <= width)
        .unwrap_or(least);
    let st = bold(size, style::okabe_ito::BLACK);
    (clip_px(area, s, &st, width), st)
}

/// `s` broken at spaces into lines at most `width` px wide in `style`
/// (a word wider than that is cut into pieces), at most `max_lines` of
/// them: when text is left over, the last line ends in an ellipsis.
pub fn wrap_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
    max_lines: usize,
) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let fits = |t: &str| text_width(area, t, style) <= width;
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut left_over = false;
    'words: for word in s.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        let mut rest: Vec<char> = word.chars().collect();
        loop {
            if out.len() == max_lines {
                left_over = true;
                break 'words;
            }
            let t: String = rest.iter().collect();
            if fits(&t) {
                line = t;
                break;
            }
            // A word too wide for a line of its own is cut into pieces.
            let n = fit_prefix(area, &rest, "", style, width);
            out.push(rest.drain(..n).collect());
        }
    }
    if !line.is_empty() {
        if out.len() < max_lines {
            out.push(line);
        } else {
            left_over = true;
        }
    }
    if left_over {
        if let Some(last) = out.last_mut() {
            *last = clip_px(area, &format!("{last} \u{2026}"), style, width);
        }
    }
    out
}

/// The lines of a figure's title block at `look`: (text, bold, top y),
/// and the height of the block.
fn title_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    title: &str,
    subtitle: Option<&str>,
) -> (Vec<(String, bool, i32)>, i32, u32) {
    let (w, h) = root.dim_in_pixel();
    let mut out = Vec::new();
    let mut y = look.px(14);
    // A title wider than the figure wraps instead of running off both edges.
    let ts = bold(look.title(), style::okabe_ito::BLACK);
    for line in wrap_px(root, title, &ts, w.saturating_sub(40), 2) {
        out.push((line, true, y));
        y += look.title() as i32 + look.px(8);
    }
    // One subtitle paragraph per '\n' (e.g. the scenario, then the changes
    // made), each wrapped to the figure's width; a very long one (a pasted
    // regimen) is cut so the figure keeps its room.
    let size = subtitle_size(root, look, subtitle, h as i32 / 3 - y);
    let st = font(size, style::DARK);
    let line_h = size as i32 + 2 + look.px(4);
    let room = (h as i32 / 3 - y).max(line_h);
    let mut budget = (room / line_h).max(1) as usize;
    for para in subtitle.into_iter().flat_map(|s| s.lines()) {
        if budget == 0 {
            break;
        }
        let lines = wrap_px(root, para, &st, w.saturating_sub(60), budget.min(3));
        budget -= lines.len();
        for line in lines {
            out.push((line, false, y));
            y += line_h;
        }
    }
    (out, y + look.px(6), size)
}

/// Longest subtitle paragraph, in characters, that is a sentence to be read
/// whole (a longer one is a pasted regimen, cut instead).
const SENTENCE: usize = 600;

/// The subtitle's text size at `look`: the usual one, or smaller (down to
/// the footer's) when a sentence of it would otherwise be cut to fit
/// `room` px; never smaller because of a pasted regimen.
fn subtitle_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    subtitle: Option<&str>,
    room: i32,
) -> u32 {
    let usual = look.label().saturating_sub(2).max(6);
    let least = look.small().min(usual);
    let width = root.dim_in_pixel().0.saturating_sub(60);
    let paras: Vec<&str> = subtitle.into_iter().flat_map(|s| s.lines()).collect();
    let whole = |size: u32| {
        let st = font(size, style::DARK);
        let line_h = size as i32 + 2 + look.px(4);
        let budget = (room.max(line_h) / line_h).max(1) as usize;
        let mut used = 0;
        for p in &paras {
            let n = wrap_px(root, p, &st, width, usize::MAX).len();
            if p.chars().count() <= SENTENCE && (n > 3 || used + n > budget) {
                return false;
            }
            used += n.min(3);
        }
        true
    };
    (least..=usual).rev().find(|&s| whole(s)).unwrap_or(least)
}

/// Height [`title`] takes at `look`.
pub fn title_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    title: &str,
    subtitle: Option<&str>,
) -> i32 {
    title_lines(root, look, title, subtitle).1
}

/// The figure title (bold, centred at the top, at most two lines) and an
/// optional subtitle (one paragraph per `'\n'`, wrapped, within a third of
/// the figure's height in all); returns the area below them.
pub fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    title: &str,
    subtitle: Option<&str>,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (w, _) = root.dim_in_pixel();
    let (lines, height, size) = title_lines(root, look, title, subtitle);
    let (ts, st) = (
        bold(look.title(), style::okabe_ito::BLACK),
        font(size, style::DARK),
    );
    for (line, is_title, y) in lines {
        let style = if is_title { &ts } else { &st };
        text(
            root,
            &line,
            (w as i32 / 2, y),
            style,
            (HPos::Center, VPos::Top),
        )?;
    }
    Ok(root.clone().split_vertically(height).1)
}

/// Whether the footer's two parts fit on one line, and the footer's height.
fn footer_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    left: &str,
    right: &str,
) -> (bool, i32) {
    let (w, _) = root.dim_in_pixel();
    let st = font(look.small(), style::DARK);
    let line_h = look.small() as i32 + look.px(8);
    let room = w.saturating_sub(40);
    let one_line = text_width(root, left, &st) + text_width(root, right, &st) + 40 <= room;
    (one_line, if one_line { line_h } else { 2 * line_h } + 8)
}

/// Height [`footer`] takes at `look`.
pub fn footer_height<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    left: &str,
    right: &str,
) -> i32 {
    footer_layout(root, look, left, right).1
}

/// Writes the footer at the bottom (on one line when both parts fit, else
/// the right part above the left) and returns the area above.
pub fn footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    look: &Look,
    left: &str,
    right: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (w, h) = root.dim_in_pixel();
    let st = font(look.small(), style::DARK);
    let line_h = look.small() as i32 + look.px(8);
    let room = w.saturating_sub(40);
    let (one_line, used) = footer_layout(root, look, left, right);
    let bottom = h as i32 - 8;
    text(
        root,
        &clip_px(root, left, &st, room),
        (20, bottom),
        &st,
        (HPos::Left, VPos::Bottom),
    )?;
    let right_y = if one_line { bottom } else { bottom - line_h };
    text(
        root,
        &clip_px(root, right, &st, room),
        (w as i32 - 20, right_y),
        &st,
        (HPos::Right, VPos::Bottom),
    )?;
    Ok(root.clone().split_vertically(h as i32 - used).0)
}

/// `look` with its text scale lowered in tenths (to 0.5 at the least)
/// until `fits` holds: the layout makes room by keeping the text as large
/// as asked only where the plots stay readable.
pub fn fitted(look: &Look, fits: impl Fn(&Look) -> bool) -> Look {
    let mut l = *look;
    while l.scale > 0.5 && !fits(&l) {
        l.scale = (l.scale - 0.1).max(0.5);
    }
    l
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

/// A symbol repeated along a line, so lines stay apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// No symbol.
    None,
    /// An open circle.
    Circle,
    /// A filled square.
    Square,
    /// An open triangle.
    Triangle,
    /// A filled diamond.
    Diamond,
    /// A filled cross.
    Cross,
}

impl Marker {
    /// The outline of the symbol around (0, 0) at radius `r` px, and
    /// whether it is open (filled white).
    pub fn outline(self, r: i32) -> Option<(Vec<(i32, i32)>, bool)> {
        let f = f64::from(r);
        let at = |k: usize, n: usize, phase: f64, rad: f64| {
            let a = phase + std::f64::consts::TAU * k as f64 / n as f64;
            (
                (rad * a.cos()).round() as i32,
                (rad * a.sin()).round() as i32,
            )
        };
        match self {
            Marker::None => None,
            Marker::Circle => Some(((0..16).map(|k| at(k, 16, 0.0, f)).collect(), true)),
            Marker::Square => {
                let q = (0.85 * f).round() as i32;
                Some((vec![(-q, -q), (q, -q), (q, q), (-q, q)], false))
            }
            Marker::Triangle => {
                let pts = (0..3)
                    .map(|k| at(k, 3, -std::f64::consts::FRAC_PI_2, 1.15 * f))
                    .collect();
                Some((pts, true))
            }
            Marker::Diamond => Some(((0..4).map(|k| at(k, 4, 0.0, 1.2 * f)).collect(), false)),
            Marker::Cross => {
                // An X of two bars, one third of the radius thick.
                let (a, t) = (f, f / 3.0);
                let pts = [
                    (0.0, -t),
                    (a - t, -a),
                    (a, -a + t),
                    (t, 0.0),
                    (a, a - t),
                    (a - t, a),
                    (0.0, t),
                    (-a + t, a),
                    (-a, a - t),
                    (-t, 0.0),
                    (-a, -a + t),
                    (-a + t, -a),
                ];
                let pts = pts
                    .iter()
                    .map(|(x, y)| (x.round() as i32, y.round() as i32))
                    .collect();
                Some((pts, false))
            }
        }
    }
}

/// Radius of line markers, px.
pub const MARKER_R: i32 = 7;

/// Draws marker `m` centred on each of `at` (in `area`'s pixels).
pub fn draw_markers_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Marker,
    at: &[(i32, i32)],
    colour: RGBColor,
) -> anyhow::Result<()> {
    let Some((shape, open)) = m.outline(MARKER_R) else {
        return Ok(());
    };
    let fill = if open { WHITE } else { colour };
    for &(x, y) in at {
        let pts: Vec<(i32, i32)> = shape.iter().map(|(dx, dy)| (x + dx, y + dy)).collect();
        area.draw(&Polygon::new(pts.clone(), fill.filled()))
            .or_draw()?;
        let mut ring = pts;
        ring.push(ring[0]);
        area.draw(&PathElement::new(ring, colour.stroke_width(2)))
            .or_draw()?;
    }
    Ok(())
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
        /// Symbol drawn on it.
        marker: Marker,
    },
    /// A filled marker (circle).
    Dot(RGBColor),
    /// An open marker (ring).
    Ring(RGBColor),
    /// A downward triangle (dose marker).
    Triangle(RGBColor),
    /// An open downward triangle (a second drug's doses in print).
    OpenTriangle(RGBColor),
    /// A filled rectangle (shaded span).
    Block(RGBColor),
    /// The shaded bands of up to two series, in their own fill colours: the
    /// left half one band's, the right half the other's (the same colour
    /// twice for one series).
    Bands(RGBColor, RGBColor),
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
                marker: Marker::None,
            },
        }
    }

    /// The same line entry with a marker on its sample.
    pub fn with_marker(mut self, m: Marker) -> Self {
        if let Swatch::Line { marker, .. } = &mut self.swatch {
            *marker = m;
        }
        self
    }
}

/// Width of a legend sample for text of `size` px.
fn swatch_w(size: u32) -> i32 {
    (46 * size as i32 / 22).max(30)
}

/// Width of entry `e`'s sample: [`swatch_w`], or more for a line whose
/// dashes are long, so its sample shows two dashes and the gap between them
/// (one long dash alone reads as a solid line).
fn entry_swatch_w(e: &LegendEntry, size: u32) -> i32 {
    let base = swatch_w(size);
    match e.swatch {
        Swatch::Line { dash, .. } => dash
            .pattern()
            .map_or(base, |(on, off)| base.max((2 * on + off) as i32)),
        _ => base,
    }
}

/// The widest sample of `entries`, so the labels of a column line up.
fn column_swatch_w(entries: &[LegendEntry], size: u32) -> i32 {
    entries
        .iter()
        .map(|e| entry_swatch_w(e, size))
        .max()
        .unwrap_or_else(|| swatch_w(size))
}

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

/// A downward dose triangle with its tip at `(x, y + 15)`, filled or open.
pub fn dose_triangle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    colour: RGBColor,
    open: bool,
) -> anyhow::Result<()> {
    let pts = vec![(x - 8, y), (x + 8, y), (x, y + 15)];
    area.draw(&Polygon::new(
        pts.clone(),
        if open { WHITE } else { colour }.filled(),
    ))
    .or_draw()?;
    if open {
        let mut ring = pts;
        ring.push(ring[0]);
        area.draw(&PathElement::new(ring, colour.stroke_width(2)))
            .or_draw()?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sw: &Swatch,
    (x, y): (i32, i32),
    sw_w: i32,
) -> anyhow::Result<()> {
    let mid = x + sw_w / 2;
    match *sw {
        Swatch::Line {
            colour,
            dash,
            width,
            marker,
        } => {
            pixel_line(area, vec![(x, y), (x + sw_w, y)], colour, dash, width)?;
            draw_markers_px(area, marker, &[(mid, y)], colour)
        }
        Swatch::Dot(c) => area.draw(&Circle::new((mid, y), 8, c.filled())).or_draw(),
        Swatch::Ring(c) => area
            .draw(&Circle::new((mid, y), 8, c.stroke_width(3)))
            .or_draw(),
        Swatch::Triangle(c) => dose_triangle(area, (mid, y - 7), c, false),
        Swatch::OpenTriangle(c) => dose_triangle(area, (mid, y - 7), c, true),
        Swatch::Block(c) => area
            .draw(&Rectangle::new(
                [(x + 6, y - 10), (x + sw_w - 6, y + 10)],
                c.mix(0.35).filled(),
            ))
            .or_draw(),
        Swatch::Bands(a, b) => {
            area.draw(&Rectangle::new(
                [(x + 6, y - 10), (mid, y + 10)],
                a.filled(),
            ))
            .or_draw()?;
            area.draw(&Rectangle::new(
                [(mid, y - 10), (x + sw_w - 6, y + 10)],
                b.filled(),
            ))
            .or_draw()
        }
    }
}

/// The width an entry takes in a legend row, and its label cut to fit a
/// row `width` px wide.
fn entry_fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    e: &LegendEntry,
    st: &TextStyle,
    width: i32,
    size: u32,
) -> (i32, String) {
    let sw_w = entry_swatch_w(e, size);
    let pad = sw_w + 8 + 28 * size as i32 / 22;
    let label = clip_px(area, &e.label, st, (width - pad).max(40) as u32);
    (pad + text_width(area, &label, st) as i32, label)
}

/// Lays the entries out in rows from `(x, y)` within `width` px and returns
/// the height used. Entries wrap onto a new row when they do not fit; a
/// label too long for a row of its own is cut.
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
        let sw_w = entry_swatch_w(e, size);
        let (w, label) = entry_fit(area, e, &st, width, size);
        if cx > x && cx + w > x + width {
            cx = x;
            cy += row_h;
        }
        draw_swatch(area, &e.swatch, (cx, cy + row_h / 2), sw_w)?;
        text(
            area,
            &label,
            (cx + sw_w + 8, cy + row_h / 2),
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
        .map(|e| entry_swatch_w(e, size) + 8 + text_width(area, &e.label, &st) as i32 + 28)
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
        let (w, _) = entry_fit(area, e, &st, width, size);
        if cx > 0 && cx + w > width {
            cx = 0;
            rows += 1;
        }
        cx += w;
    }
    rows * row_h
}

/// Width and height of a legend of one entry per line, labels cut to `max_w` px in all.
pub fn legend_column_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    size: u32,
    max_w: u32,
) -> (u32, u32) {
    let st = font(size, style::okabe_ito::BLACK);
    let sw_w = column_swatch_w(entries, size) as u32 + 10;
    let label_w = max_w.saturating_sub(sw_w).max(40);
    let w = entries
        .iter()
        .map(|e| text_width(area, &clip_px(area, &e.label, &st, label_w), &st))
        .max()
        .unwrap_or(0);
    (sw_w + w, entries.len() as u32 * (size + 16))
}

/// One entry per line, top to bottom, from `(x, y)`, labels cut to fit
/// `max_w` px in all; returns the height used.
pub fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    (x, y): (i32, i32),
    size: u32,
    max_w: u32,
) -> anyhow::Result<i32> {
    let st = font(size, style::okabe_ito::BLACK);
    let row_h = size as i32 + 16;
    let sw_w = column_swatch_w(entries, size);
    let label_w = max_w.saturating_sub(sw_w as u32 + 10).max(40);
    for (k, e) in entries.iter().enumerate() {
        let cy = y + k as i32 * row_h + row_h / 2;
        draw_swatch(area, &e.swatch, (x, cy), sw_w)?;
        text(
            area,
            &clip_px(area, &e.label, &st, label_w),
            (x + sw_w + 10, cy),
            &st,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(entries.len() as i32 * row_h)
}

#[cfg(test)]
mod tests;
