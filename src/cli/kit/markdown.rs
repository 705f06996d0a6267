//! Reads what a kit needs from a lesson file in docs/lessons: the title,
//! the learning goal, the stated length, the timed sections and the
//! discussion questions, so the kit never repeats (and never contradicts)
//! the lesson plan.

/// The parts of a lesson file a kit uses.
#[derive(Debug, Clone, Default)]
pub struct LessonDoc {
    /// "Why hours, not weeks" (from "# Lesson 1: Why hours, not weeks").
    pub title: String,
    /// The paragraph after "**Learning goal.**".
    pub goal: String,
    /// The minutes after "**Time.**".
    pub minutes: u32,
    /// Every "## N. Heading (M min)".
    pub sections: Vec<Section>,
    /// The numbered items under "## Discussion…".
    pub discussion: Vec<String>,
}

/// One timed section of a lesson file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Minutes.
    pub minutes: u32,
    /// Heading without number and time.
    pub heading: String,
    /// Its first paragraph of prose (not a command, a list or a lead-in).
    pub text: String,
    /// The items of its "What to notice:" list.
    pub notice: Vec<String>,
}

/// The lesson table of docs/lessons/README.md.
const INDEX: &str = include_str!("../../../docs/lessons/README.md");

/// The question lesson `number` answers, from the README's table.
pub fn question(number: u32) -> &'static str {
    let lead = format!("| [{number}. ");
    INDEX
        .lines()
        .find(|l| l.starts_with(&lead))
        .and_then(|l| l.split('|').nth(2))
        .map(str::trim)
        .unwrap_or("")
}

impl LessonDoc {
    /// Reads a lesson file.
    pub fn parse(md: &str) -> LessonDoc {
        let lines: Vec<&str> = md.lines().collect();
        let mut d = LessonDoc {
            title: lines
                .first()
                .and_then(|l| l.split_once(": "))
                .map(|(_, t)| t.trim().to_string())
                .unwrap_or_default(),
            goal: paragraph_after(&lines, "**Learning goal.**"),
            ..LessonDoc::default()
        };
        d.minutes = paragraph_after(&lines, "**Time.**")
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        for (k, l) in lines.iter().enumerate() {
            if let Some((minutes, heading)) = section(l) {
                let body: Vec<&str> = lines[k + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("## "))
                    .copied()
                    .collect();
                let (text, notice) = section_body(&body);
                d.sections.push(Section {
                    minutes,
                    heading,
                    text,
                    notice,
                });
            }
            if l.starts_with("## Discussion") {
                d.discussion = numbered(&lines[k + 1..]);
            }
        }
        d
    }
}

/// "## 2. Follow one infusion (15 min)" as (15, "Follow one infusion").
fn section(line: &str) -> Option<(u32, String)> {
    let rest = line.strip_prefix("## ")?;
    let (num, rest) = rest.split_once(". ")?;
    num.parse::<u32>().ok()?;
    let (heading, time) = rest.rsplit_once(" (")?;
    let minutes = time.strip_suffix(" min)")?.parse().ok()?;
    Some((minutes, heading.trim().to_string()))
}

/// The text from `marker` to the end of its paragraph, marker removed.
fn paragraph_after(lines: &[&str], marker: &str) -> String {
    let Some(k) = lines.iter().position(|l| l.contains(marker)) else {
        return String::new();
    };
    let mut text: Vec<&str> = Vec::new();
    for l in &lines[k..] {
        if l.trim().is_empty() {
            break;
        }
        text.push(l.trim());
    }
    let joined = text.join(" ");
    let after = joined.split_once(marker).map_or("", |(_, a)| a).trim();
    // "**Time.** 40 minutes. **Stages used:** ...": only the time's sentence.
    match after.split_once(" **") {
        Some((head, _)) => head.trim().to_string(),
        None => after.to_string(),
    }
}

/// The prose paragraphs and list items of a section's lines, code
/// blocks left out: (first paragraph that is not a lead-in ending in
/// ':', the items of the list after "What to notice:").
fn section_body(lines: &[&str]) -> (String, Vec<String>) {
    let mut blocks: Vec<String> = Vec::new();
    let mut code = false;
    let mut cur = String::new();
    for l in lines {
        let t = l.trim();
        if t.starts_with("```") {
            code = !code;
            continue;
        }
        let new_item = t.starts_with("- ");
        if code || t.is_empty() || new_item {
            if !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            if code || t.is_empty() {
                continue;
            }
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(t);
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    let text = blocks
        .iter()
        .find(|b| !b.starts_with("- ") && !b.ends_with(':') && !b.starts_with('|'))
        .cloned()
        .unwrap_or_default();
    let notice = blocks
        .iter()
        .skip_while(|b| *b != "What to notice:")
        .skip(1)
        .take_while(|b| b.starts_with("- "))
        .map(|b| b[2..].to_string())
        .collect();
    (text, notice)
}

/// The numbered list at the start of `lines` ("1. …" with indented
/// continuation lines), one string per item.
fn numbered(lines: &[&str]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for l in lines {
        let t = l.trim();
        let starts = t
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if starts {
            items.push(t.split_once(". ").map_or("", |(_, r)| r).to_string());
        } else if l.starts_with("   ") && !items.is_empty() {
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else if !items.is_empty() {
            // A blank line or other text ends the list.
            break;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_file_gives_its_parts() {
        let md = "# Lesson 9: Nine\n\n**Learning goal.** Students can\ncount.\n\n\
                  **Time.** 30 minutes. **Stages used:** all.\n\n## 1. Start (10 min)\n\n\
                  Show it.\n\n```sh\nsynsim run x\n```\n\n## 2. Then (5 min)\n\n```sh\nsynsim y\n```\n\nLook.\n\n\
                  What to notice:\n\n- one\n  thing\n- two\n\nLater.\n\n\
                  ## Discussion questions\n\n1. Why\n   now?\n2. How?\n\n**Next:** x\n";
        let d = LessonDoc::parse(md);
        assert_eq!(d.title, "Nine");
        assert_eq!(d.goal, "Students can count.");
        assert_eq!(d.minutes, 30);
        assert_eq!(
            d.sections,
            vec![
                Section {
                    minutes: 10,
                    heading: "Start".into(),
                    text: "Show it.".into(),
                    notice: vec![],
                },
                Section {
                    minutes: 5,
                    heading: "Then".into(),
                    text: "Look.".into(),
                    notice: vec!["one thing".into(), "two".into()],
                }
            ]
        );
        assert_eq!(d.discussion, vec!["Why now?", "How?"]);
    }

    #[test]
    fn every_lesson_has_a_question() {
        for n in 1..=6 {
            assert!(!question(n).is_empty(), "lesson {n}");
        }
    }
}
