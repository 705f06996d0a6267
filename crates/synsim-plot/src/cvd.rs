//! Colour checks: simulated colour-vision deficiency and colour difference.
//!
//! Every figure's colours are listed in [`figure_palettes`] with what each
//! one means there. The tests assert, for every figure, that a colour has one
//! meaning, and that every pair of colours drawn together stays at least
//! [`MIN_DELTA_E`] apart in CIELAB (CIE76 ΔE*ab) for normal vision and under
//! simulated deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009,
//! IEEE TVCG 15(6), severity 1.0 matrices, applied to linear sRGB).

use super::style::{self, okabe_ito, quantity, REFERENCE};
use plotters::style::RGBColor;
use synsim_core::regimen::Drug;

/// Smallest CIE76 colour difference allowed between two colours drawn
/// together. About 2.3 is a just-noticeable difference for large patches;
/// lines a few pixels wide need several times more, so 15 is asked.
pub const MIN_DELTA_E: f64 = 15.0;

/// How colours are seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vision {
    /// Normal colour vision.
    Normal,
    /// No M cones (the most common deficiency).
    Deuteranopia,
    /// No L cones.
    Protanopia,
}

/// All three, for loops.
pub const VISIONS: [Vision; 3] = [Vision::Normal, Vision::Deuteranopia, Vision::Protanopia];

const DEUTAN: [[f64; 3]; 3] = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
const PROTAN: [[f64; 3]; 3] = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];

fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// CIELAB (D65) of `c` as seen with `v`.
pub fn lab(c: RGBColor, v: Vision) -> [f64; 3] {
    let l = [linear(c.0), linear(c.1), linear(c.2)];
    let rgb = match v {
        Vision::Normal => l,
        Vision::Deuteranopia | Vision::Protanopia => {
            let m = if v == Vision::Deuteranopia {
                &DEUTAN
            } else {
                &PROTAN
            };
            let mut s = [0.0; 3];
            for (i, row) in m.iter().enumerate() {
                s[i] = (row[0] * l[0] + row[1] * l[1] + row[2] * l[2]).clamp(0.0, 1.0);
            }
            s
        }
    };
    let x = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2];
    let y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    let z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2];
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE76 ΔE*ab between `a` and `b` as seen with `v`.
pub fn delta_e(a: RGBColor, b: RGBColor, v: Vision) -> f64 {
    let (p, q) = (lab(a, v), lab(b, v));
    ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
}

/// `c` at `alpha` over white, as a shaded span is drawn.
pub fn over_white(c: RGBColor, alpha: f64) -> RGBColor {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * alpha).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// One figure's colours: (figure, [(meaning, colour)]).
pub type Palette = (String, Vec<(String, RGBColor)>);

fn drugs_of(d: &[Drug]) -> Vec<(String, RGBColor)> {
    d.iter()
        .map(|d| (format!("drug {}", d.name()), style::drug_colour(*d)))
        .collect()
}

/// Every drug, in the order the palettes list them.
const ALL_DRUGS: [Drug; 4] = [
    Drug::Ketamine,
    Drug::Esketamine,
    Drug::Escitalopram,
    Drug::Placebo,
];

/// The colours of every figure, with their meanings, for every mix of drugs
/// a figure can show.
pub fn figure_palettes() -> Vec<Palette> {
    let mut out: Vec<Palette> = Vec::new();
    out.extend(dashboard_palettes());
    out.extend(compare_palettes());
    out.extend(theories_palettes());
    out.extend(population_palettes());
    out.extend(picture_palettes());
    out
}

/// Dashboards: one drug, or ketamine with the SSRI (a --regimen mix); the
/// quantities' colours and the reference grey.
fn dashboard_palettes() -> Vec<Palette> {
    let mixes: Vec<Vec<Drug>> = ALL_DRUGS
        .iter()
        .map(|d| vec![*d])
        .chain([vec![Drug::Ketamine, Drug::Escitalopram]])
        .collect();
    let mut out: Vec<Palette> = Vec::new();
    for mix in &mixes {
        let mut p = drugs_of(mix);
        p.extend([
            ("excitation".to_string(), quantity::EXC),
            ("inhibition".to_string(), quantity::INH),
            ("BDNF/mTOR cascade".to_string(), quantity::BDNF),
            ("BDNF/mTOR cascade".to_string(), quantity::MTOR),
            ("outcome".to_string(), quantity::OUTCOME),
            ("outcome".to_string(), quantity::DISSOCIATION),
            ("reference".to_string(), REFERENCE),
        ]);
        if mix.contains(&Drug::Escitalopram) {
            p.push(("drug escitalopram".to_string(), quantity::SERT));
        }
        let names: Vec<&str> = mix.iter().map(|d| d.name()).collect();
        out.push((format!("dashboard ({})", names.join("+")), p));
    }
    out
}

/// Comparisons: the four drugs, and one scenario several times (--vary).
fn compare_palettes() -> Vec<Palette> {
    let mut out: Vec<Palette> = Vec::new();
    for mains in [
        ALL_DRUGS.iter().map(|d| Some(*d)).collect::<Vec<_>>(),
        vec![Some(Drug::Ketamine); 5],
        vec![Some(Drug::Esketamine); 3],
    ] {
        let cs = style::scenario_colours(&mains);
        let mut p: Vec<(String, RGBColor)> = cs
            .iter()
            .enumerate()
            .map(|(k, c)| (format!("run {k}"), *c))
            .collect();
        p.push(("reference".to_string(), REFERENCE));
        out.push((format!("compare ({} runs)", cs.len()), p));
    }
    out
}

/// The theory switchboard, for each drug's dose markers.
fn theories_palettes() -> Vec<Palette> {
    let mut out: Vec<Palette> = Vec::new();
    for d in ALL_DRUGS {
        let mut p: Vec<(String, RGBColor)> = super::theories::VARIANTS
            .iter()
            .map(|v| (v.key.to_string(), super::theories::line_style(v).0))
            .collect();
        p.extend(drugs_of(&[d]));
        p.push(("reference".to_string(), REFERENCE));
        out.push((format!("theories ({})", d.name()), p));
    }
    out
}

/// Populations: the drug's colour for bands and lines, the reference
/// grey, black individual patients.
fn population_palettes() -> Vec<Palette> {
    let mut out: Vec<Palette> = Vec::new();
    for d in ALL_DRUGS {
        let mut p = drugs_of(&[d]);
        p.push(("reference".to_string(), REFERENCE));
        p.push((
            "individual patient".to_string(),
            super::population::INDIVIDUAL,
        ));
        out.push((format!("population ({})", d.name()), p));
    }
    out
}

/// The figures whose colours do not depend on the drugs: the circuit, the
/// synapse pictures and the sweeps.
fn picture_palettes() -> Vec<Palette> {
    vec![
        (
            "circuit".to_string(),
            vec![
                ("excitation".to_string(), quantity::EXC),
                ("inhibition".to_string(), quantity::INH),
                ("trajectory".to_string(), okabe_ito::BLACK),
            ],
        ),
        // The synapse pictures (`synsim demo`, `synsim synapses`).
        (
            "synapses".to_string(),
            vec![
                (
                    "spine there before treatment".to_string(),
                    super::synapse::OLD_SPINE,
                ),
                ("new spine".to_string(), super::synapse::NEW_SPINE),
                ("missing spine".to_string(), super::synapse::GHOST),
            ],
        ),
        // Sweeps: one colour per metric shown.
        (
            "sweep".to_string(),
            style::SERIES
                .iter()
                .enumerate()
                .map(|(k, c)| (format!("metric {k}"), *c))
                .collect(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_matches_known_values() {
        // White and black are unchanged; the simulation of pure red under
        // deuteranopia is a dark yellow (Machado 2009, figure 9).
        for v in VISIONS {
            assert!(delta_e(RGBColor(255, 255, 255), RGBColor(255, 255, 255), v) < 1e-9);
            assert!(lab(RGBColor(255, 255, 255), v)[0] > 99.0);
            assert!(lab(RGBColor(0, 0, 0), v)[0].abs() < 1e-9);
        }
        let red = lab(RGBColor(255, 0, 0), Vision::Deuteranopia);
        assert!(red[2] > 30.0 && red[1].abs() < 25.0, "{red:?}");
        // Red and green, told apart by normal vision, merge for a deutan.
        let (r, g) = (RGBColor(200, 60, 40), RGBColor(90, 130, 40));
        assert!(delta_e(r, g, Vision::Normal) > 40.0);
        assert!(delta_e(r, g, Vision::Deuteranopia) < 20.0);
    }

    #[test]
    fn one_meaning_per_colour_in_every_figure() {
        for (fig, p) in figure_palettes() {
            for (m1, c1) in &p {
                for (m2, c2) in &p {
                    assert!(
                        c1 != c2 || m1 == m2,
                        "{fig}: {c1:?} means both {m1} and {m2}"
                    );
                }
            }
        }
    }

    #[test]
    fn colours_drawn_together_stay_apart_under_colour_blindness() {
        let mut bad = Vec::new();
        for (fig, p) in figure_palettes() {
            for (i, (m1, c1)) in p.iter().enumerate() {
                for (m2, c2) in &p[i + 1..] {
                    if c1 == c2 {
                        continue;
                    }
                    for v in VISIONS {
                        let d = delta_e(*c1, *c2, v);
                        if d < MIN_DELTA_E {
                            bad.push(format!("{fig}: {m1} vs {m2} under {v:?}: ΔE {d:.1}"));
                        }
                    }
                }
                // Every line stays visible on the white page.
                for v in VISIONS {
                    let d = delta_e(*c1, RGBColor(255, 255, 255), v);
                    if d < 30.0 {
                        bad.push(format!("{fig}: {m1} on white under {v:?}: ΔE {d:.1}"));
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn infusion_shading_is_not_mistaken_for_a_line() {
        for d in [
            Drug::Ketamine,
            Drug::Esketamine,
            Drug::Escitalopram,
            Drug::Placebo,
        ] {
            let shade = over_white(style::drug_colour(d), 0.13);
            for c in [
                quantity::EXC,
                quantity::INH,
                quantity::BDNF,
                quantity::OUTCOME,
                REFERENCE,
            ] {
                for v in VISIONS {
                    assert!(delta_e(shade, c, v) >= MIN_DELTA_E, "{d:?} {c:?} {v:?}");
                }
            }
        }
    }
}
