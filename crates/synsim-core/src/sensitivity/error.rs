//! The one error type of the module, generic over the model's own error `E`.

use std::fmt;

/// Why an analysis could not be completed.
///
/// Set-up problems (`NoFactors`, `BadFactor`, `BadOption`, `TooManyFactors`) are found
/// before the model is called. Model problems name the design row: rows are numbered as
/// documented on [`morris`](super::morris()) and [`sobol`](super::sobol()), and when
/// several rows fail the lowest row number is reported, whatever the thread count.
#[derive(Debug, Clone, PartialEq)]
pub enum SensitivityError<E> {
    /// The factor list is empty.
    NoFactors,
    /// A factor's range or scale cannot be sampled.
    BadFactor {
        /// Position in the factor list.
        index: usize,
        /// The factor's name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An option is outside its allowed range.
    BadOption {
        /// The option's field name.
        option: &'static str,
        /// What is allowed.
        reason: String,
    },
    /// The quasi-random design needs more dimensions (`2k`) than the built-in
    /// direction-number table holds; use [`Sampling::PseudoRandom`](super::Sampling).
    TooManyFactors {
        /// Number of factors asked for.
        factors: usize,
        /// Largest number the table supports.
        max: usize,
    },
    /// The model returned an error.
    Model {
        /// Design row that failed (the lowest failing row).
        row: usize,
        /// The model inputs of that row, in factor order.
        inputs: Vec<f64>,
        /// The model's error.
        source: E,
    },
    /// The model returned NaN or an infinity, which would poison every mean.
    NonFiniteOutput {
        /// Design row (the lowest such row).
        row: usize,
        /// The model inputs of that row.
        inputs: Vec<f64>,
        /// The value returned.
        value: f64,
    },
    /// Every model output was the same, so `V(Y) = 0` and the Sobol' indices are 0/0.
    /// The factors have no effect on this output over these ranges.
    OutputDoesNotVary {
        /// The value every run returned.
        value: f64,
    },
}

impl<E: fmt::Display> fmt::Display for SensitivityError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SensitivityError::NoFactors => write!(f, "no factors to analyse"),
            SensitivityError::BadFactor {
                index,
                name,
                reason,
            } => write!(f, "factor {index} ({name}): {reason}"),
            SensitivityError::BadOption { option, reason } => write!(f, "{option}: {reason}"),
            SensitivityError::TooManyFactors { factors, max } => write!(
                f,
                "{factors} factors need {} quasi-random dimensions, the table has {} \
                 (at most {max} factors); use pseudo-random sampling",
                2 * factors,
                2 * max
            ),
            SensitivityError::Model {
                row,
                inputs,
                source,
            } => write!(f, "model failed at design row {row} {inputs:?}: {source}"),
            SensitivityError::NonFiniteOutput { row, inputs, value } => {
                write!(f, "model returned {value} at design row {row} {inputs:?}")
            }
            SensitivityError::OutputDoesNotVary { value } => write!(
                f,
                "the output does not vary (every run gave {value}), so its variance \
                 cannot be apportioned"
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SensitivityError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SensitivityError::Model { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A `BadOption` error.
pub(super) fn bad_option<E>(
    option: &'static str,
    reason: impl Into<String>,
) -> SensitivityError<E> {
    SensitivityError::BadOption {
        option,
        reason: reason.into(),
    }
}

/// Checks the factor list: non-empty, every range usable.
pub(super) fn check_factors<E>(factors: &[super::Factor]) -> Result<(), SensitivityError<E>> {
    if factors.is_empty() {
        return Err(SensitivityError::NoFactors);
    }
    for (index, fac) in factors.iter().enumerate() {
        if let Some(reason) = fac.problem() {
            return Err(SensitivityError::BadFactor {
                index,
                name: fac.name.clone(),
                reason,
            });
        }
    }
    Ok(())
}

/// Checks a confidence level and a bootstrap count.
pub(super) fn check_bootstrap<E>(
    bootstrap: usize,
    confidence: f64,
) -> Result<(), SensitivityError<E>> {
    if bootstrap == 0 {
        return Err(bad_option(
            "bootstrap",
            "need at least 1 replicate (200 or more is usual)",
        ));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(bad_option(
            "confidence",
            format!("must lie in (0, 1), got {confidence}"),
        ));
    }
    Ok(())
}
