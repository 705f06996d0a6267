//! Black-and-white figures for a photocopier.
//!
//! Two parts: figures choose black lines told apart by dash patterns and
//! markers ([`Pens`] gives each colour of a figure its marker), and
//! [`Greyscale`] turns every colour that still reaches the backend (fills,
//! text, bands, heat maps) into the grey of the same lightness, so nothing
//! chromatic is left in the PNG or the SVG whatever a figure forgot.

use super::canvas::Marker;
pub use super::greyscale::Greyscale;
use super::style::okabe_ito;
use plotters::style::RGBColor;

/// Markers in the order colours take them.
const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::Cross,
];

/// Gives each colour of a figure its own marker in print, in order of
/// first use; black (the colour of outcomes, already the print ink) keeps
/// no marker.
#[derive(Debug, Clone, Default)]
pub struct Pens {
    seen: Vec<RGBColor>,
}

impl Pens {
    /// No colour seen yet.
    pub fn new() -> Pens {
        Pens::default()
    }

    /// The marker of colour `c`.
    pub fn marker(&mut self, c: RGBColor) -> Marker {
        if c == okabe_ito::BLACK {
            return Marker::None;
        }
        let k = match self.seen.iter().position(|s| *s == c) {
            Some(k) => k,
            None => {
                self.seen.push(c);
                self.seen.len() - 1
            }
        };
        MARKERS[k % MARKERS.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use plotters::prelude::*;

    /// A figure in several colours: a line, a filled box and text.
    struct Colours;

    impl crate::canvas::Figure for Colours {
        fn size(&self) -> (u32, u32) {
            (60, 40)
        }
        fn draw<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, plotters::coord::Shift>,
        ) -> anyhow::Result<()> {
            let e = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow::anyhow!("{e}");
            root.draw(&Rectangle::new(
                [(5, 5), (30, 30)],
                okabe_ito::ORANGE.filled(),
            ))
            .map_err(e)?;
            root.draw(&PathElement::new(
                vec![(0, 35), (60, 0)],
                Color::stroke_width(&okabe_ito::BLUE, 4),
            ))
            .map_err(e)?;
            let st = crate::canvas::font(14, okabe_ito::VERMILLION);
            root.draw(&Text::new("ab", (35, 20), st)).map_err(e)?;
            Ok(())
        }
        fn look(&self) -> crate::style::Look {
            crate::style::Look {
                scale: 1.0,
                print: true,
                school: false,
            }
        }
    }

    #[test]
    fn a_print_figure_has_only_greys_but_keeps_its_ink() {
        crate::style::init_font();
        let rgb = crate::aa::render_rgb(&Colours).unwrap();
        assert!(rgb.chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]));
        assert!(rgb.chunks(3).filter(|p| p[0] < 200).count() > 200);
        let mut svg = String::new();
        crate::canvas::draw_on(&Colours, SVGBackend::with_string(&mut svg, (60, 40))).unwrap();
        for c in ["#E69F00", "#0072B2", "#D55E00"] {
            assert!(!svg.contains(c), "{c} left in {svg}");
        }
    }

    #[test]
    fn each_colour_keeps_its_marker_and_black_has_none() {
        let mut p = Pens::new();
        assert_eq!(p.marker(okabe_ito::BLACK), Marker::None);
        let a = p.marker(okabe_ito::BLUE);
        let b = p.marker(okabe_ito::VERMILLION);
        assert_ne!(a, b);
        assert_eq!(p.marker(okabe_ito::BLUE), a);
        assert!(a != Marker::None && b != Marker::None);
    }
}
