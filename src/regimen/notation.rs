//! Temporary stub (replaced by the notation parser).
use super::*;
/// Regimen parse error.
#[derive(Debug, thiserror::Error)]
#[error("could not read the regimen: {msg}")]
pub struct RegimenError {
    /// Offending word index.
    pub word: usize,
    msg: String,
}
pub(super) fn parse(text: &str) -> Result<Regimen, RegimenError> {
    Err(RegimenError { word: 0, msg: text.to_string() })
}
pub(super) fn expand(_r: &Regimen) -> Vec<DoseEvent> {
    Vec::new()
}
pub(super) fn format(_r: &Regimen) -> String {
    String::new()
}
