use super::*;

/// Every dashed line's legend sample shows at least two dashes and the
/// gap between them, so a long-dashed line is not read as a solid one;
/// plain samples keep their width.
#[test]
fn legend_samples_show_two_dashes() {
    for size in [16, 22, 33] {
        for dash in [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::Long] {
            let e = LegendEntry::line("x", style::okabe_ito::BLACK, dash, 3);
            let w = entry_swatch_w(&e, size);
            assert!(w >= swatch_w(size));
            if let Some((on, off)) = dash.pattern() {
                assert!(w >= (2 * on + off) as i32, "{dash:?} at {size} px: {w}");
            }
        }
    }
}

/// A figure that cannot be written says which file and why in plain
/// words (no encoder's debug text), and leaves neither file behind.
#[test]
fn a_figure_that_cannot_be_written_says_so_plainly() {
    struct Blank;
    impl Figure for Blank {
        fn size(&self) -> (u32, u32) {
            (40, 30)
        }
        fn draw<DB: DrawingBackend>(&self, _: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
            Ok(())
        }
    }
    let dir = std::env::temp_dir().join(format!("synsim-canvas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The temporary PNG's name is taken by a folder: the write fails.
    std::fs::create_dir(dir.join(format!(".fig.tmp-{}.png", std::process::id()))).unwrap();
    let e = format!("{:#}", save_png_svg(&Blank, &dir, "fig").unwrap_err());
    assert!(
        e.starts_with(&format!("cannot write {}", dir.join("fig.png").display())),
        "{e}"
    );
    assert!(!e.contains("Error(") && !e.contains('{'), "{e}");
    assert!(!dir.join("fig.png").exists() && !dir.join("fig.svg").exists());
    std::fs::remove_dir_all(&dir).unwrap();
    let files = save_png_svg(&Blank, &dir, "fig").unwrap();
    assert!(files.iter().all(|f| f.exists()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `f` with a drawing area that measures text in the bundled font.
fn with_area(f: impl FnOnce(&DrawingArea<SVGBackend, Shift>)) {
    style::init_font();
    let mut svg = String::new();
    let area = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
    f(&area);
}

#[test]
fn long_text_wraps_into_at_most_the_lines_asked_and_ends_in_an_ellipsis() {
    with_area(|area| {
        let st = font(22, style::okabe_ito::BLACK);
        let text = "ketamine 35 mg iv over 40 min once then ".repeat(200);
        for width in [0, 1, 40, 700] {
            let lines = wrap_px(area, &text, &st, width, 3);
            assert!(!lines.is_empty() && lines.len() <= 3, "{width}: {lines:?}");
            assert!(lines[lines.len() - 1].ends_with('\u{2026}'), "{lines:?}");
            if width >= 40 {
                for l in &lines {
                    assert!(text_width(area, l, &st) <= width, "{width}: {l}");
                }
            }
        }
        // One word longer than a line is cut into pieces.
        let word = "x".repeat(5000);
        let lines = wrap_px(area, &word, &st, 300, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(area, l, &st) <= 300));
        // Short text is left alone.
        assert_eq!(wrap_px(area, "two words", &st, 700, 2), vec!["two words"]);
    });
}

#[test]
fn clipped_text_fits_and_says_it_was_cut() {
    with_area(|area| {
        let st = font(30, style::okabe_ito::BLACK);
        let long = "Esketamine + escitalopram ".repeat(100);
        let c = clip_px(area, &long, &st, 400);
        assert!(
            text_width(area, &c, &st) <= 400 && c.ends_with('\u{2026}'),
            "{c}"
        );
        assert_eq!(clip_px(area, "short", &st, 400), "short");
        // Even no room at all gives a (cut) result, not a hang.
        assert!(clip_px(area, &long, &st, 0).ends_with('\u{2026}'));
    });
}

#[test]
fn fitting_lowers_the_scale_until_it_fits_and_stops_at_half() {
    let asked = Look {
        scale: 3.0,
        print: false,
        school: false,
    };
    let l = fitted(&asked, |l| l.scale <= 1.55);
    assert!((l.scale - 1.5).abs() < 1e-9, "{}", l.scale);
    assert_eq!(fitted(&asked, |_| true).scale, 3.0);
    assert_eq!(fitted(&asked, |_| false).scale, 0.5);
}

#[test]
fn every_marker_has_an_outline_but_none() {
    for m in [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
        Marker::Cross,
    ] {
        let (pts, _) = m.outline(MARKER_R).unwrap();
        assert!(pts.len() >= 3, "{m:?}");
        assert!(pts
            .iter()
            .all(|(x, y)| x.abs() <= 2 * MARKER_R && y.abs() <= 2 * MARKER_R));
    }
    assert!(Marker::None.outline(MARKER_R).is_none());
}
