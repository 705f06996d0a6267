//! Temporary stub (replaced by the unit parser).
