//! Parameter sweeps (in progress).
