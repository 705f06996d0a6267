//! Virtual patients (in progress).
