//! What a user may change about any figure: its title, its page size, the
//! size of all its text, colour or black-and-white print, and (for figures
//! made of several panels) which panels it shows. One [`FigureOptions`]
//! value carries them all to every figure.

use super::style::Look;
use std::fmt;
use std::str::FromStr;

/// A page size for slides and handouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSize {
    /// A widescreen slide, 1920 × 1080 px.
    Wide,
    /// A classic 4:3 slide, 1600 × 1200 px.
    Classic,
    /// An upright A4 page (150 dpi), 1240 × 1754 px.
    A4,
    /// A sideways A4 page (150 dpi), 1754 × 1240 px.
    A4Landscape,
}

impl PageSize {
    /// Every size with the word that names it, in help order.
    pub const ALL: [(PageSize, &'static str); 4] = [
        (PageSize::Wide, "16:9"),
        (PageSize::Classic, "4:3"),
        (PageSize::A4, "A4"),
        (PageSize::A4Landscape, "A4-landscape"),
    ];

    /// Width and height in pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            PageSize::Wide => (1920, 1080),
            PageSize::Classic => (1600, 1200),
            PageSize::A4 => (1240, 1754),
            PageSize::A4Landscape => (1754, 1240),
        }
    }

    /// The word that names it (`16:9`, `A4`, ...).
    pub fn name(self) -> &'static str {
        PageSize::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("", |(_, n)| n)
    }
}

impl fmt::Display for PageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PageSize {
    type Err = String;

    /// Reads `16:9`, `4:3`, `A4` (also `A4-portrait`) or `A4-landscape`,
    /// in any case.
    fn from_str(s: &str) -> Result<PageSize, String> {
        let w = s.trim().to_ascii_lowercase();
        let w = if w == "a4-portrait" { "a4".into() } else { w };
        PageSize::ALL
            .iter()
            .find(|(_, n)| n.to_ascii_lowercase() == w)
            .map(|(p, _)| *p)
            .ok_or_else(|| {
                "use 16:9 or 4:3 (slides), A4 (an upright page) or A4-landscape".to_string()
            })
    }
}

/// Colour, or black and white for a photocopier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// The colour-blind-safe colours (the default).
    #[default]
    Colour,
    /// Greys only: lines told apart by dash patterns and markers, shaded
    /// bands light grey.
    Print,
    /// For a school class: colour, plain-language words on every figure
    /// ([`crate::school`]), a linear time axis (never a log one) and, in the
    /// comparison figure, labels on the lines instead of a legend.
    School,
}

impl Style {
    /// The word that names it.
    pub fn name(self) -> &'static str {
        match self {
            Style::Colour => "colour",
            Style::Print => "print",
            Style::School => "school",
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Style {
    type Err = String;

    /// Reads `colour` (also `color`) or `print`, in any case.
    fn from_str(s: &str) -> Result<Style, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "colour" | "color" => Ok(Style::Colour),
            "print" => Ok(Style::Print),
            "school" => Ok(Style::School),
            _ => Err(
                "use colour (the default), print (black and white) or school (plain words, \
                 linear time)"
                    .into(),
            ),
        }
    }
}

/// Smallest and largest text scale.
pub const FONT_SCALE: (f64, f64) = (0.5, 3.0);

/// Longest title, in characters (two lines across a slide).
pub const MAX_TITLE: usize = 200;

/// Checks a text scale: a finite number from 0.5 to 3.
pub fn check_font_scale(x: f64) -> Result<f64, String> {
    if x.is_finite() && (FONT_SCALE.0..=FONT_SCALE.1).contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "the text size factor must be from {} to {} (1 = normal size)",
            FONT_SCALE.0, FONT_SCALE.1
        ))
    }
}

/// Checks a title: some visible text, at most [`MAX_TITLE`] characters;
/// line breaks and tabs become spaces.
pub fn check_title(text: &str) -> Result<String, String> {
    check_text(
        text,
        "title",
        MAX_TITLE,
        "it must fit at the top of the figure",
    )
}

/// Checks a short text written on a figure (`what`: "title", "label"):
/// some visible text, at most `max` characters (`why`: the reason, for
/// the message); control characters become spaces.
pub fn check_text(text: &str, what: &str, max: usize, why: &str) -> Result<String, String> {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = t.trim();
    let n = t.chars().count();
    if n == 0 {
        Err(format!("a {what} needs some text"))
    } else if n > max {
        Err(format!(
            "{n} characters; a {what} has at most {max} ({why})"
        ))
    } else {
        Ok(t.to_string())
    }
}

/// Everything a user may change about a figure. The default draws it as
/// it always was.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// Replaces the figure's own title.
    pub title: Option<String>,
    /// Page size; `None` keeps the figure's own size.
    pub size: Option<PageSize>,
    /// Factor on every text size, 0.5 to 3.
    pub font_scale: f64,
    /// Colour or print.
    pub style: Style,
    /// Panels to show, by name, in this order; empty = all.
    pub panels: Vec<String>,
    /// Label each line where it ends instead of drawing a legend (the
    /// comparison figure; always so in the school style).
    pub line_labels: bool,
}

impl Default for FigureOptions {
    fn default() -> FigureOptions {
        FigureOptions {
            title: None,
            size: None,
            font_scale: 1.0,
            style: Style::Colour,
            panels: Vec::new(),
            line_labels: false,
        }
    }
}

impl FigureOptions {
    /// The figure's size: the page size if one was chosen, else `own`.
    pub fn size_or(&self, own: (u32, u32)) -> (u32, u32) {
        self.size.map_or(own, PageSize::pixels)
    }

    /// The title to draw: the chosen one, else `own`.
    pub fn title_or(&self, own: &str) -> String {
        self.title.clone().unwrap_or_else(|| own.to_string())
    }

    /// Text scale and colour mode, as drawing code reads them.
    pub fn look(&self) -> Look {
        Look {
            scale: self.font_scale.clamp(FONT_SCALE.0, FONT_SCALE.1),
            print: self.style == Style::Print,
            school: self.style == Style::School,
        }
    }

    /// Whether the figure is for a school class ([`Style::School`]).
    pub fn school(&self) -> bool {
        self.style == Style::School
    }

    /// Whether lines are labelled where they end instead of in a legend.
    pub fn line_labels(&self) -> bool {
        self.line_labels || self.school()
    }

    /// A log time axis only where the style allows one: never for school.
    pub fn log_time(&self, log: bool) -> bool {
        log && !self.school()
    }

    /// Whether the user picked panels.
    pub fn picked(&self) -> bool {
        !self.panels.is_empty()
    }

    /// Indices into `panels` (a figure's `(name, what it shows)` list) of
    /// the chosen panels, in the chosen order; every panel when none were
    /// chosen. Errors name the unknown or repeated panel and list the
    /// figure's panels.
    pub fn pick(&self, figure: &str, panels: &[(&str, &str)]) -> Result<Vec<usize>, String> {
        pick(figure, panels, &self.panels)
    }
}

/// Indices into `panels` of the names in `wanted` (see
/// [`FigureOptions::pick`]).
pub fn pick(
    figure: &str,
    panels: &[(&str, &str)],
    wanted: &[String],
) -> Result<Vec<usize>, String> {
    if wanted.is_empty() {
        return Ok((0..panels.len()).collect());
    }
    let names: Vec<&str> = panels.iter().map(|(n, _)| *n).collect();
    let valid = || format!("the {figure} figure's panels are {}", names.join(", "));
    if panels.len() < 2 {
        return Err(format!(
            "the {figure} figure has a single panel; --panels picks panels of run, compare, \
             theories and population"
        ));
    }
    let mut out: Vec<usize> = Vec::new();
    for w in wanted {
        let w = w.trim().to_ascii_lowercase();
        if w.is_empty() {
            return Err(format!("an empty panel name; {}", valid()));
        }
        let Some(k) = names.iter().position(|n| *n == w) else {
            let shown: String = w.chars().take(40).collect();
            return Err(format!("unknown panel \"{shown}\"; {}", valid()));
        };
        if out.contains(&k) {
            return Err(format!(
                "panel \"{w}\" is named twice; name each panel once"
            ));
        }
        out.push(k);
    }
    Ok(out)
}

/// Columns and rows for `n` panels in a `w` × `h` area: the grid whose
/// cells come closest to a wide time-series shape (about 2.4 : 1), with
/// small penalties for empty cells and for panels under 300 px tall (their
/// reference labels crowd).
pub fn grid(n: usize, (w, h): (u32, u32)) -> (usize, usize) {
    let n = n.max(1);
    let score = |cols: usize| {
        let rows = n.div_ceil(cols);
        let cell_h = f64::from(h.max(1)) / rows as f64;
        let aspect = (f64::from(w) / cols as f64) / cell_h;
        let short = if cell_h < 300.0 { 0.5 } else { 0.0 };
        (aspect / 2.4).ln().abs() + 0.3 * (cols * rows - n) as f64 + short
    };
    let cols = (1..=n)
        .min_by(|a, b| score(*a).total_cmp(&score(*b)))
        .unwrap_or(1);
    (cols, n.div_ceil(cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_their_names_in_any_case() {
        for (s, n) in PageSize::ALL {
            assert_eq!(n.parse::<PageSize>(), Ok(s));
            assert_eq!(n.to_uppercase().parse::<PageSize>(), Ok(s));
        }
        assert_eq!("a4-portrait".parse::<PageSize>(), Ok(PageSize::A4));
        let e = "5:4".parse::<PageSize>().unwrap_err();
        assert!(e.contains("16:9") && e.contains("A4-landscape"), "{e}");
        let (w, h) = PageSize::A4.pixels();
        assert!(((h as f64 / w as f64) - 2f64.sqrt()).abs() < 0.01);
    }

    #[test]
    fn font_scale_and_title_are_checked() {
        assert!(check_font_scale(0.5).is_ok() && check_font_scale(3.0).is_ok());
        for bad in [0.49, 3.01, f64::NAN, f64::INFINITY, -1.0] {
            let e = check_font_scale(bad).unwrap_err();
            assert!(e.contains("0.5") && e.contains('3'), "{e}");
        }
        assert_eq!(check_title(" Hours\nvs weeks ").unwrap(), "Hours vs weeks");
        assert!(check_title("  ").is_err());
        let long = "x".repeat(MAX_TITLE + 1);
        assert!(check_title(&long).unwrap_err().contains("at most 200"));
    }

    #[test]
    fn panels_are_picked_in_order_and_unknown_names_list_the_valid_ones() {
        let panels = [("a", ""), ("score", ""), ("synapses", "")];
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(pick("run", &panels, &[]), Ok(vec![0, 1, 2]));
        assert_eq!(
            pick("run", &panels, &w(&["synapses", "Score"])),
            Ok(vec![2, 1])
        );
        let e = pick("run", &panels, &w(&["scor"])).unwrap_err();
        assert!(
            e.contains("\"scor\"") && e.contains("a, score, synapses"),
            "{e}"
        );
        assert!(pick("run", &panels, &w(&["a", "a"]))
            .unwrap_err()
            .contains("twice"));
        let e = pick("sweep", &[("curve", "")], &w(&["curve"])).unwrap_err();
        assert!(e.contains("single panel"), "{e}");
    }

    #[test]
    fn grids_keep_time_series_wide() {
        assert_eq!(grid(6, (1920, 1100)), (2, 3));
        assert_eq!(grid(1, (1600, 1200)), (1, 1));
        assert_eq!(grid(2, (1920, 1000)), (1, 2));
        assert_eq!(grid(4, (1240, 1600)), (1, 4));
        // Six panels on an upright page: two columns, not six slivers.
        assert_eq!(grid(6, (1240, 1600)), (2, 3));
        assert_eq!(grid(0, (10, 0)), (1, 1));
    }
}
