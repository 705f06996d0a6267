//! The grey backend of print figures: every colour that reaches the
//! backend becomes the grey of the same lightness ([`super::print`]).

use super::style::grey;
use plotters::style::RGBColor;
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

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
