//! The plain words of `--style school`: one table from each figure text to
//! what a secondary-school class reads instead. Parameter names have their
//! plain labels in the parameter registry; this table holds the figures' own
//! words (panel titles, axis titles, line and reference labels).
//!
//! Every figure passes its texts through [`Look::say`](crate::style::Look::say)
//! (or [`Panel::styled`](crate::panel::Panel::styled)), which looks them up
//! here in the school style and leaves them as they are otherwise. A text
//! not in the table stays as written, so the tests check each school figure
//! for technical words instead of trusting the table to be complete.

/// Figure text → plain words. Exact texts; a panel title's number ("3  ")
/// is kept in front of its plain title.
pub const WORDS: &[(&str, &str)] = &[
    // The dashboard of one run (and the comparison figure's titles).
    ("Plasma concentration", "Drug in the blood"),
    ("ng/mL", "ng per mL of blood"),
    (
        "norketamine (metabolite)",
        "norketamine (what the liver makes of it)",
    ),
    (
        "noresketamine (metabolite)",
        "noresketamine (what the liver makes of it)",
    ),
    ("Receptor block", "How much of its target each drug blocks"),
    ("% (0\u{2013}100)", "% blocked"),
    ("NMDA block, pyramidal cells", "NMDA blocked on \u{201c}go\u{201d} cells"),
    (
        "NMDA block, interneurons",
        "NMDA blocked on \u{201c}brake\u{201d} cells",
    ),
    ("SERT occupancy", "serotonin pumps blocked (the SSRI's target)"),
    ("dissociation (side effect)", "feeling unreal (side effect)"),
    (
        "Glutamate & GABA (theory 1)",
        "Glutamate (\u{201c}go\u{201d}) and GABA (\u{201c}brake\u{201d}): theory 1",
    ),
    ("pyramidal (E) activity", "\u{201c}go\u{201d} cells firing"),
    ("interneuron (I) activity", "\u{201c}brake\u{201d} cells firing"),
    ("glutamate", "glutamate (\u{201c}go\u{201d} signal)"),
    ("GABA", "GABA (\u{201c}brake\u{201d} signal)"),
    (
        "dotted: firing; solid: tissue transmitter (MRS). Depressed: more firing, less transmitter",
        "dotted: cells firing; solid: signal chemical in the brain. Depressed: more firing, less chemical",
    ),
    ("BDNF & mTOR (theory 2)", "Growth signals BDNF and mTOR: theory 2"),
    (
        "Serotonin, BDNF & mTOR (SSRI route)",
        "Serotonin and the growth signals (the SSRI's slow route)",
    ),
    ("BDNF", "BDNF (growth signal)"),
    ("mTOR", "mTOR (spine builder)"),
    ("serotonin tone", "serotonin"),
    (
        "5-HT1A autoreceptor sensitivity",
        "serotonin's own brake (adapts over weeks)",
    ),
    ("Synapses", "Spines: where brain cells connect"),
    ("% of healthy", "% of a healthy brain"),
    ("synapse (spine) density", "spines"),
    (
        "Symptoms (illustrative score)",
        "How depressed (made-up score: higher = worse)",
    ),
    ("symptom score (lower = better)", "how depressed"),
    ("remission", "remission (almost well)"),
    ("Glutamate tone (theory 1)", "Glutamate: the brain's \u{201c}go\u{201d} signal"),
    ("Dissociation (acute side effect)", "Feeling unreal (side effect)"),
    ("depressed patient", "made-up depressed patient"),
    ("healthy person", "made-up healthy person"),
    // The two theories side by side.
    (
        "Glutamate tone (theory 1 acts here)",
        "Glutamate, the \u{201c}go\u{201d} signal (theory 1 acts here)",
    ),
    (
        "mTOR activity (follows the surge; feeds theory 2)",
        "mTOR, the spine builder (follows the surge; feeds theory 2)",
    ),
    ("Synapses (theory 2 acts here)", "Spines (theory 2 acts here)"),
    ("disinhibition only (theory 1)", "theory 1 only (brake released)"),
    ("synaptogenesis only (theory 2)", "theory 2 only (spines grow)"),
    (
        crate::notes::THEORIES_LINE,
        "theory 1: the drug releases the brain's \u{201c}brake\u{201d}, glutamate surges \u{00b7} \
         theory 2: growth signals build new spines",
    ),
    (
        crate::notes::NOTE_BLOCK_FALLS,
        "theory 2 alone: without theory 1 the drug blocks the \u{201c}go\u{201d} cells, so \
         glutamate and mTOR drop below even the untreated level; no spines grow and the score \
         is no better than with neither \u{2014} theory 2 needs theory 1's surge to start",
    ),
    (
        crate::notes::NOTE_NO_SURGE,
        "theory 2 alone: without theory 1 there is no glutamate surge to switch on the growth \
         signals, so few spines grow \u{2014} theory 2 needs theory 1's surge to start",
    ),
    // Populations.
    (
        "Symptoms of every patient (illustrative score; lower = better)",
        "How depressed each made-up patient is (higher = worse)",
    ),
    ("Synapse (spine) density", "Spines: where brain cells connect"),
    (
        "Share of patients in response and in remission",
        "How many patients are better",
    ),
    (
        "patients differ in PK, receptor sensitivity, illness severity and plasticity",
        "made-up patients differ in how their body handles the drug, how ill they are \
         and how easily their spines grow",
    ),
    ("median patient", "the patient in the middle"),
    (
        "90 % of patients (5th\u{2013}95th percentile)",
        "90 % of patients",
    ),
    (
        "in response (score at most half of own baseline)",
        "better: score at least halved",
    ),
    ("in remission (score \u{2264} 10)", "almost well: score 10 or less"),
    ("remission (\u{2264} 10)", "remission (almost well)"),
    // Trials.
    (
        "Mean change from baseline (\u{00b1} 1 SE)",
        "Average change since the start (bars: how sure)",
    ),
    ("days since the first dose (visits)", "days since the first dose"),
    (
        "change in rated MADRS (points)",
        "change in depression score (points)",
    ),
    ("response", "better (halved)"),
    ("patients per arm (log scale)", "patients in each group"),
    (
        "trials reaching p < 0.05 (%)",
        "trials that find the drug works (%)",
    ),
    (
        "80 % power (the usual design target)",
        "80 %: what trial planners aim for",
    ),
    ("5 %: chance alone", "5 %: by luck alone"),
    // The circuit in milliseconds.
    (
        "The E/I circuit in milliseconds: no block vs NMDA block (a healthy circuit)",
        "The \u{201c}go\u{201d} and \u{201c}brake\u{201d} cells in thousandths of a second: \
         without and with the drug's block",
    ),
    ("pyramidal (E), no block", "\u{201c}go\u{201d} cells, no drug"),
    ("pyramidal (E), NMDA blocked", "\u{201c}go\u{201d} cells, drug blocking NMDA"),
    ("interneurons (I), no block", "\u{201c}brake\u{201d} cells, no drug"),
    (
        "interneurons (I), NMDA blocked",
        "\u{201c}brake\u{201d} cells, drug blocking NMDA",
    ),
    (
        "Activity over time (both start from the same nudged state)",
        "How busy the cells are, from the same start",
    ),
    ("Time (ms)", "time (thousandths of a second)"),
    (
        "activity (fraction of max rate)",
        "how busy (share of the fastest firing)",
    ),
    (
        "Phase plane: where the nullclines cross, the circuit rests",
        "The circuit settles where the two lines cross",
    ),
    ("E-nullcline (dE/dt = 0)", "\u{201c}go\u{201d} cells steady"),
    ("I-nullcline (dI/dt = 0)", "\u{201c}brake\u{201d} cells steady"),
    ("resting point, no block", "where it settles, no drug"),
    ("resting point, blocked", "where it settles, with the drug"),
    // Sweeps.
    ("95 % confidence interval", "how sure (95 %)"),
];

/// Texts that start with a number or a level: the start → plain words.
const STARTS: &[(&str, &str)] = &[
    ("healthy floor", "the lowest the model goes"),
    ("response, typical patient", "response (score halved)"),
];

/// Parts of longer texts (metric names, subtitles) → plain words.
const PARTS: &[(&str, &str)] = &[
    ("response rate ", "share better (score halved) "),
    ("remission rate ", "share almost well "),
    ("days in response", "days better"),
    (
        "shaded: 95 % confidence interval",
        "shaded: how sure (95 %)",
    ),
    ("peak dissociation", "most unreal feeling"),
    ("disinhibition only", "theory 1 only"),
    ("synaptogenesis only", "theory 2 only"),
];

/// `text` in plain words, or `None` when the table has none for it.
pub fn plain(text: &str) -> Option<String> {
    if let Some((_, p)) = WORDS.iter().find(|(t, _)| *t == text) {
        return Some((*p).to_string());
    }
    if PARTS.iter().any(|(t, _)| text.contains(t)) {
        let mut out = text.to_string();
        for (t, p) in PARTS {
            out = out.replace(t, p);
        }
        return Some(out);
    }
    if let Some((_, p)) = STARTS.iter().find(|(t, _)| text.starts_with(t)) {
        return Some((*p).to_string());
    }
    // A numbered panel title: "3  Glutamate & GABA (theory 1)".
    let (number, rest) = text.split_once("  ")?;
    if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
        return plain(rest).map(|p| format!("{number}  {p}"));
    }
    None
}

/// `NAME = VALUE` (a legend label or a change) with the parameter's plain
/// label from the registry in place of its dotted name, when it has one.
pub fn plain_assignment(text: &str) -> String {
    use synsim_core::params::{lookup, REGISTRY};
    match text.split_once(" = ") {
        Some((name, value)) => match lookup(name.trim()) {
            Some(id) => format!("{} = {value}", REGISTRY[id.0].plain_or_name()),
            None => text.to_string(),
        },
        None => text.to_string(),
    }
}

/// `text` in plain words, or as written.
pub fn say(text: &str) -> String {
    plain(text).unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_titles_keep_their_number() {
        assert_eq!(
            say("3  Glutamate & GABA (theory 1)"),
            "3  Glutamate (\u{201c}go\u{201d}) and GABA (\u{201c}brake\u{201d}): theory 1"
        );
        assert_eq!(
            say("healthy floor (6) = model minimum"),
            "the lowest the model goes"
        );
        assert_eq!(say("ketamine"), "ketamine");
    }

    #[test]
    fn each_text_has_one_plain_version_that_differs() {
        for (k, (t, _)) in WORDS.iter().enumerate() {
            assert!(
                WORDS[k + 1..].iter().all(|(u, _)| u != t),
                "{t} is in the table twice"
            );
            assert_ne!(*t, WORDS[k].1, "{t} maps to itself");
        }
    }
}
