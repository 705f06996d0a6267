//! Experiments built from runs: the circuit on its millisecond scale, the
//! theory switchboard and multi-run tables. They live with the model so
//! the command line, the figures and the lab all run the same thing.

pub mod circuit_view;
pub mod compare;
pub mod theories;
