//! The error of a regimen text that could not be read, shown with the
//! input and a caret under the offending word.

use thiserror::Error;

/// A regimen text that could not be read. Its `Display` shows the message
/// and the input with a caret under the offending word.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("could not read the regimen: {message}\n{}", pointer(.input, *.offset, *.len))]
pub struct RegimenError {
    /// The whole text as given.
    pub input: String,
    /// 0-based index of the offending word; the number of words when the
    /// text ended too early.
    pub word: usize,
    /// Byte offset of the offending text in `input`; just past the last word
    /// when the text ended too early.
    pub offset: usize,
    /// Byte length of the offending text; 0 when the text ended too early.
    pub len: usize,
    /// What was expected and what was found.
    pub message: String,
}

/// The input line holding `offset`, and a caret line under `len` bytes.
/// Never panics, even for hand-made offsets.
fn pointer(input: &str, offset: usize, len: usize) -> String {
    let start = floor_boundary(input, offset);
    let end = floor_boundary(input, start.saturating_add(len)).max(start);
    let line_start = input[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = input[start..].find('\n').map_or(input.len(), |i| start + i);
    // One column per char; other whitespace (tabs) becomes a space to keep
    // the caret aligned.
    let line: String = input[line_start..line_end]
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let before = input[line_start..start].chars().count();
    let (column, width) = if end > start {
        // A span over several lines is underlined to the end of its first.
        let width = input[start..end.min(line_end)].chars().count();
        (before, width.max(1))
    } else {
        // End of text: point one space past the last word.
        (before + usize::from(start > line_start), 1)
    };
    format!(
        "  {}\n  {}{}",
        line.trim_end(),
        " ".repeat(column),
        "^".repeat(width)
    )
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::regimen::notation::testing::err;

    #[test]
    fn error_display_points_at_the_word() {
        let e = err("ketamine 0.5 mg/kg intramuscular over 40 min");
        assert_eq!(e.word, 3);
        assert_eq!(e.offset, 19);
        assert_eq!(
            e.to_string(),
            "could not read the regimen: expected a route (iv, nasal or oral) after \"0.5 mg/kg\", \
             found \"intramuscular\"\n  ketamine 0.5 mg/kg intramuscular over 40 min\n                     ^^^^^^^^^^^^^"
        );
    }

    #[test]
    fn multiline_display() {
        let e = err("ketamine 0.5 mg/kg iv over 40 min\n\tevery 3.5 dayz x 6");
        let shown = e.to_string();
        assert!(
            shown.ends_with("   every 3.5 dayz x 6\n             ^^^^"),
            "{shown}"
        );
    }
}
