//! A short title for a regimen, for figures and summaries: the notation
//! itself when it is short, else the same regimen said with less detail.

use super::notation::{format_route, format_schedule};
use super::{Phase, Regimen};

/// How much of each strand (phases given one after another) a title says.
#[derive(Clone, Copy)]
enum Detail {
    /// Every phase: drug, dose, route, schedule.
    Phases,
    /// The first phase: drug, dose, route, schedule.
    First,
    /// The first phase: drug, dose, route.
    Dose,
    /// The drugs only.
    Drugs,
}

/// The phases of `r` split into strands at each `+`.
fn strands(r: &Regimen) -> Vec<&[Phase]> {
    let mut out: Vec<&[Phase]> = Vec::new();
    let mut start = 0;
    for (k, p) in r.phases.iter().enumerate() {
        if k > 0 && p.concurrent {
            out.push(&r.phases[start..k]);
            start = k;
        }
    }
    if start < r.phases.len() {
        out.push(&r.phases[start..]);
    }
    out
}

/// "56 mg nasal" (with the drug when `drug`), and the schedule when `when`.
fn phase_words(p: &Phase, drug: bool, when: bool) -> String {
    let mut w: Vec<String> = Vec::new();
    if drug {
        w.push(p.drug.name().to_string());
    }
    if p.amount.value() > 0.0 {
        w.push(format!("{} {}", p.amount.value(), p.amount.unit()));
    }
    w.push(format_route(p.route, p.duration_h));
    if when {
        w.push(format_schedule(&p.schedule));
    }
    w.join(" ")
}

/// One strand at `detail`.
fn strand(phases: &[Phase], detail: Detail) -> String {
    let Some(first) = phases.first() else {
        return String::new();
    };
    match detail {
        Detail::Phases => phases
            .iter()
            .enumerate()
            .map(|(k, p)| phase_words(p, k == 0 || p.drug != phases[k - 1].drug, true))
            .collect::<Vec<_>>()
            .join(" then "),
        Detail::First | Detail::Dose => {
            let mut t = phase_words(first, true, matches!(detail, Detail::First));
            if phases.len() > 1 {
                t.push_str(" then \u{2026}");
            }
            t
        }
        Detail::Drugs => {
            let mut names: Vec<&str> = Vec::new();
            for p in phases {
                if names.last() != Some(&p.drug.name()) {
                    names.push(p.drug.name());
                }
            }
            names.join(" then ")
        }
    }
}

/// `s` with its first letter upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A title of at most `max` characters for regimen `r` written as `text`:
/// the text itself when it fits, else the regimen with less and less
/// detail (every phase, each strand's first phase, its dose, the drugs;
/// strands given together joined by "+"), cut with an ellipsis as a last
/// resort.
pub fn title(r: &Regimen, text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return capitalised(&text);
    }
    let strands = strands(r);
    for detail in [Detail::Phases, Detail::First, Detail::Dose, Detail::Drugs] {
        let t: Vec<String> = strands.iter().map(|s| strand(s, detail)).collect();
        let t = capitalised(&t.join(" + "));
        if t.chars().count() <= max {
            return t;
        }
    }
    let drugs: Vec<&str> = r.drugs().iter().map(|d| d.name()).collect();
    let t = capitalised(&drugs.join(" + "));
    if t.chars().count() <= max {
        return t;
    }
    let mut cut: String = t.chars().take(max.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> String {
        title(&Regimen::parse(text).unwrap(), text, 72)
    }

    #[test]
    fn a_short_regimen_is_its_own_title() {
        assert_eq!(
            t("ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"),
            "Ketamine 0.5 mg/kg iv over 40 min every 7 d x 4"
        );
    }

    #[test]
    fn drugs_given_together_are_named_with_their_doses() {
        let text =
            "esketamine 56 mg nasal twice weekly for 4 w + escitalopram 10 mg oral daily for 4 w";
        assert!(text.len() > 72);
        assert_eq!(
            t(text),
            "Esketamine 56 mg nasal twice weekly + escitalopram 10 mg oral daily"
        );
    }

    #[test]
    fn long_regimens_lose_detail_but_keep_their_drugs() {
        let text = "esketamine 56 mg nasal once then 84 mg twice weekly x 7 then weekly for 4 w \
                    then every 2 w x 4 + escitalopram 10 mg oral after 1 w daily for 12 w";
        let title = t(text);
        assert!(title.chars().count() <= 72, "{title}");
        assert!(
            title.starts_with("Esketamine") && title.contains("+ escitalopram"),
            "{title}"
        );
        // A very long regimen: many phases, still a title naming its drug.
        let long = vec!["ketamine 35 mg iv once"; 200].join(" then ");
        let title = t(&long);
        assert!(
            title.chars().count() <= 72 && title.starts_with("Ketamine"),
            "{title}"
        );
    }
}
