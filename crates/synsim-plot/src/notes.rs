//! The two-theories figure's long notes, named once: the figure
//! ([`crate::theories`]) writes them and the school table
//! ([`crate::school`]) gives their plain words. A module of their own so
//! that the word table, which every figure's style reads, imports no figure.

/// The note when synaptogenesis alone does worse than neither theory.
pub const NOTE_BLOCK_FALLS: &str =
    "synaptogenesis only: with disinhibition off the block falls on the pyramidal cells, \
     so glutamate and mTOR dip below even the untreated level; no spines form and the \
     score is no better than with neither \u{2014} theory 2 needs theory 1's surge to start";

/// The note when synaptogenesis alone forms few spines.
pub const NOTE_NO_SURGE: &str =
    "synaptogenesis only: with disinhibition off there is no glutamate surge to drive \
     BDNF/mTOR, so few spines form \u{2014} theory 2 needs theory 1's surge to start";

/// What the two theories are, under the figure's title.
pub const THEORIES_LINE: &str =
    "theory 1: disinhibition (interneurons blocked \u{2192} glutamate surge) \u{00b7} \
     theory 2: synaptogenesis (BDNF/mTOR \u{2192} new spines)";
