//! Black-and-white figures for a photocopier.
//!
//! Two parts: figures choose black lines told apart by dash patterns and
//! markers ([`Pens`] gives each colour of a figure its marker), and
//! [`Greyscale`] turns every colour that still reaches the backend (fills,
//! text, bands, heat maps) into the grey of the same lightness, so nothing
//! chromatic is left in the PNG or the SVG whatever a figure forgot.

use super::canvas::Marker;
use super::style::{grey, okabe_ito};
use plotters::style::RGBColor;
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

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

/// A backend colour as its grey.
fn grey_colour(c: BackendColor) -> BackendColor {
    let g = grey(RGBColor(c.rgb.0, c.rgb.1, c.rgb.2));
    BackendColor {
        alpha: c.alpha,
        rgb: (g.0, g.1, g.2),
    }
}

/// A drawing style with its colour greyed.
struct GreyStyle {
    colour: BackendColor,
    width: u32,
}

impl GreyStyle {
    fn of<S: BackendStyle>(s: &S) -> GreyStyle {
        GreyStyle {
            colour: grey_colour(s.color()),
            width: s.stroke_width(),
        }
    }
}

impl BackendStyle for GreyStyle {
    fn color(&self) -> BackendColor {
        self.colour
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text style with its colour greyed (everything else as `0`).
struct GreyText<'a, T>(&'a T);

impl<T: BackendTextStyle> BackendTextStyle for GreyText<'_, T> {
    type FontError = T::FontError;

    fn color(&self) -> BackendColor {
        grey_colour(self.0.color())
    }
    fn size(&self) -> f64 {
        self.0.size()
    }
    fn transform(&self) -> FontTransform {
        self.0.transform()
    }
    fn style(&self) -> FontStyle {
        self.0.style()
    }
    fn anchor(&self) -> Pos {
        self.0.anchor()
    }
    fn family(&self) -> FontFamily<'_> {
        self.0.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        mut draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, pos, |x, y, c| draw(x, y, grey_colour(c)))
    }
}

/// A backend that draws everything on `inner` in greys.
pub struct Greyscale<DB> {
    /// Where the grey drawing goes.
    pub inner: DB,
}

type Err<DB> = DrawingErrorKind<<DB as DrawingBackend>::ErrorType>;

impl<DB: DrawingBackend> DrawingBackend for Greyscale<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Err<DB>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Err<DB>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), Err<DB>> {
        self.inner.draw_pixel(p, grey_colour(c))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Err<DB>> {
        self.inner.draw_line(from, to, &GreyStyle::of(style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Err<DB>> {
        self.inner.draw_rect(ul, br, &GreyStyle::of(style), fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Err<DB>> {
        self.inner.draw_path(path, &GreyStyle::of(style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Err<DB>> {
        self.inner
            .draw_circle(centre, radius, &GreyStyle::of(style), fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Err<DB>> {
        self.inner.fill_polygon(vert, &GreyStyle::of(style))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), Err<DB>> {
        self.inner.draw_text(text, &GreyText(style), pos)
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), Err<DB>> {
        self.inner.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (w, h): (u32, u32),
        src: &[u8],
    ) -> Result<(), Err<DB>> {
        let greyed: Vec<u8> = src
            .chunks(3)
            .flat_map(|p| match p {
                [r, g, b] => {
                    let c = grey(RGBColor(*r, *g, *b));
                    [c.0, c.1, c.2]
                }
                _ => [255, 255, 255],
            })
            .collect();
        self.inner.blit_bitmap(pos, (w, h), &greyed)
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
