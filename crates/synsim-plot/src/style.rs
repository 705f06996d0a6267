//! Shared look of every figure: the bundled font, the colour-blind-safe
//! Okabe–Ito palette and sizes readable from the back of a classroom.

use plotters::style::{FontStyle, RGBColor};
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();

/// The font family every figure uses (registered from the bundled DejaVu Sans).
pub const FAMILY: &str = "sans-serif";

/// Registers the bundled font once; call before drawing (no system fonts are used).
pub fn init_font() {
    REGISTER.call_once(|| {
        // The bytes are a valid TTF shipped with the crate; failure would be a build bug.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, FONT_BOLD);
    });
}

/// Okabe–Ito colours (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
pub mod okabe_ito {
    use super::RGBColor;
    /// Black.
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    /// Orange.
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    /// Sky blue.
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    /// Bluish green.
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    /// Yellow.
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    /// Blue.
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    /// Vermillion.
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    /// Reddish purple.
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
    /// Mid grey (kept for callers outside the figures; figures use
    /// [`super::REFERENCE`] for reference lines).
    pub const GREY: RGBColor = RGBColor(120, 120, 120);
}

/// The one colour of every reference level (healthy, untreated, response,
/// remission, the score floor): a neutral dark grey, dashed, labelled on the
/// line. No data line uses it.
pub const REFERENCE: RGBColor = RGBColor(90, 90, 90);

/// Placebo: a dark brown no other meaning uses (the Okabe\u{2013}Ito greys
/// would read as reference lines).
pub const PLACEBO: RGBColor = RGBColor(120, 80, 40);

/// Series colours in order of use (yellow last: weak on white).
pub const SERIES: [RGBColor; 7] = [
    okabe_ito::BLUE,
    okabe_ito::VERMILLION,
    okabe_ito::GREEN,
    okabe_ito::PURPLE,
    okabe_ito::ORANGE,
    okabe_ito::SKY_BLUE,
    okabe_ito::BLACK,
];

/// Title size (px) for 1600-px-wide figures.
pub const TITLE: u32 = 40;
/// Panel caption / axis label size (px).
pub const LABEL: u32 = 26;
/// Tick label size (px).
pub const TICK: u32 = 22;
/// Legend text size (px).
pub const LEGEND: u32 = 22;
/// Line width of data series (px).
pub const LINE: u32 = 4;
/// Default figure width and height (px).
pub const SIZE: (u32, u32) = (1600, 1000);
/// Footer and small-annotation text size (px).
pub const SMALL: u32 = 20;
/// Dark grey for subtitles, footers and annotations.
pub const DARK: RGBColor = RGBColor(70, 70, 70);
/// Light grey for grid lines and shaded dose spans.
pub const LIGHT: RGBColor = RGBColor(215, 215, 215);

/// How one figure is drawn: the factor on every text size (and on the
/// room kept for text) and whether it is for a black-and-white photocopier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// Factor on text sizes, 0.5 to 3.
    pub scale: f64,
    /// Greys only: data lines black, told apart by dashes and markers.
    pub print: bool,
    /// For a school class: plain words, lines labelled where they end.
    pub school: bool,
}

impl Default for Look {
    fn default() -> Look {
        Look {
            scale: 1.0,
            print: false,
            school: false,
        }
    }
}

impl Look {
    /// `text` as this look writes it: in plain words for a school class
    /// ([`crate::school`]), else as written.
    pub fn say(&self, text: &str) -> String {
        if self.school {
            crate::school::say(text)
        } else {
            text.to_string()
        }
    }

    /// A text size `base` (px at scale 1) at this scale.
    pub fn sz(&self, base: u32) -> u32 {
        ((f64::from(base) * self.scale).round() as u32).max(6)
    }

    /// Title size.
    pub fn title(&self) -> u32 {
        self.sz(TITLE)
    }

    /// Panel caption and axis title size.
    pub fn label(&self) -> u32 {
        self.sz(LABEL)
    }

    /// Tick label size.
    pub fn tick(&self) -> u32 {
        self.sz(TICK)
    }

    /// Legend text size.
    pub fn legend(&self) -> u32 {
        self.sz(LEGEND)
    }

    /// Footer and annotation size.
    pub fn small(&self) -> u32 {
        self.sz(SMALL)
    }

    /// A length that holds text (a label area, a row height), px at scale 1,
    /// at this scale.
    pub fn px(&self, n: i32) -> i32 {
        (f64::from(n) * self.scale).round() as i32
    }

    /// [`Look::px`] for unsigned lengths.
    pub fn upx(&self, n: u32) -> u32 {
        (f64::from(n) * self.scale).round() as u32
    }

    /// A width in px of plot that holds as many tick labels as `px` would
    /// at scale 1 (bigger text, fewer ticks).
    pub fn tick_room(&self, px: u32) -> u32 {
        (f64::from(px) / self.scale) as u32
    }

    /// The colour of a data line: itself, or black in print.
    pub fn line(&self, c: RGBColor) -> RGBColor {
        if self.print {
            okabe_ito::BLACK
        } else {
            c
        }
    }
}

/// `c` as a grey of the same lightness (Rec. 709 weights): what every
/// colour becomes in a print figure.
pub fn grey(c: RGBColor) -> RGBColor {
    let y = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    let g = y.round().clamp(0.0, 255.0) as u8;
    RGBColor(g, g, g)
}

/// Greys of print figures for filled areas told apart by lightness alone
/// (bars, spines): dark, middle, light, lighter.
pub const PRINT_FILLS: [RGBColor; 4] = [
    RGBColor(40, 40, 40),
    RGBColor(115, 115, 115),
    RGBColor(175, 175, 175),
    RGBColor(215, 215, 215),
];

/// Colour of each drug, the same in every figure (ketamine blue, esketamine
/// reddish purple, the SSRI green, placebo dark brown).
pub fn drug_colour(d: synsim_core::regimen::Drug) -> RGBColor {
    use synsim_core::regimen::Drug;
    match d {
        Drug::Ketamine => okabe_ito::BLUE,
        Drug::Esketamine => okabe_ito::PURPLE,
        Drug::Escitalopram => okabe_ito::GREEN,
        Drug::Placebo => PLACEBO,
    }
}

/// The drug a scenario is "about": its first active drug, else placebo, else none.
pub fn main_drug(drugs: &[synsim_core::regimen::Drug]) -> Option<synsim_core::regimen::Drug> {
    use synsim_core::regimen::Drug;
    drugs
        .iter()
        .copied()
        .find(|d| *d != Drug::Placebo)
        .or_else(|| drugs.iter().copied().find(|d| *d == Drug::Placebo))
}

/// Colours a scenario takes when its drug's colour is already in use, in order.
pub const SPARE: [RGBColor; 5] = [
    okabe_ito::SKY_BLUE,
    okabe_ito::ORANGE,
    okabe_ito::VERMILLION,
    okabe_ito::BLACK,
    okabe_ito::YELLOW,
];

/// Colours for scenarios drawn together: each takes its main drug's colour;
/// a second scenario with the same drug takes the next free colour, so the
/// first ketamine scenario is always blue and the SSRI always green.
pub fn scenario_colours(main: &[Option<synsim_core::regimen::Drug>]) -> Vec<RGBColor> {
    let mut used: Vec<RGBColor> = Vec::new();
    main.iter()
        .enumerate()
        .map(|(k, d)| {
            let want = d.map(drug_colour).unwrap_or(okabe_ito::BLACK);
            let c = if used.contains(&want) {
                SPARE
                    .iter()
                    .copied()
                    .find(|c| !used.contains(c))
                    .unwrap_or(SERIES[k % SERIES.len()])
            } else {
                want
            };
            used.push(c);
            c
        })
        .collect()
}

/// Colours of model quantities, the same in every figure: excitation
/// (pyramidal cells, glutamate) vermillion, inhibition (interneurons, GABA)
/// sky blue, the BDNF/mTOR cascade orange (solid / dashed), the SSRI's route
/// (SERT, serotonin, autoreceptors) the SSRI's own green, what the patient
/// ends up with (synapses, symptoms, the side effect) black. Reference
/// levels are all [`REFERENCE`]; drugs keep [`drug_colour`].
pub mod quantity {
    use super::{okabe_ito, RGBColor, REFERENCE};
    /// Pyramidal (E) activity, glutamate, NMDA block on pyramidal cells.
    pub const EXC: RGBColor = okabe_ito::VERMILLION;
    /// Interneuron (I) activity, GABA, NMDA block on interneurons.
    pub const INH: RGBColor = okabe_ito::SKY_BLUE;
    /// SERT occupancy.
    pub const SERT: RGBColor = okabe_ito::GREEN;
    /// BDNF.
    pub const BDNF: RGBColor = okabe_ito::ORANGE;
    /// mTOR (drawn dashed: the same cascade as BDNF).
    pub const MTOR: RGBColor = okabe_ito::ORANGE;
    /// Synapse density and symptom score (the outcomes).
    pub const OUTCOME: RGBColor = okabe_ito::BLACK;
    /// Dissociation (side-effect proxy).
    pub const DISSOCIATION: RGBColor = okabe_ito::BLACK;
    /// Reference line: healthy level, remission.
    pub const HEALTHY: RGBColor = REFERENCE;
    /// Reference line: untreated (depressed) level.
    pub const UNTREATED: RGBColor = REFERENCE;
    /// Reference line: response threshold.
    pub const RESPONSE: RGBColor = REFERENCE;
}
