//! Shared look of every figure: the bundled font, the colour-blind-safe
//! Okabe–Ito palette and sizes readable from the back of a classroom.

use plotters::style::{FontStyle, RGBColor};
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
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
    /// Grey for reference lines and dose markers.
    pub const GREY: RGBColor = RGBColor(120, 120, 120);
}

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
