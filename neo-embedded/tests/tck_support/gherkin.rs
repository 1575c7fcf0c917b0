//! The subset of Gherkin the openCypher TCK uses: features, scenarios and
//! scenario outlines (expanded, one scenario per example row), steps with
//! doc strings and tables.

/// A step: its keyword-less text, a doc string, a table.
#[derive(Debug, Clone)]
pub struct Step {
    pub text: String,
    pub doc: Option<String>,
    pub table: Vec<Vec<String>>,
}

/// A scenario (an outline row counts as one).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub feature: String,
    pub name: String,
    pub steps: Vec<Step>,
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    // Cells are separated by `|` that are not escaped with a backslash.
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // Gherkin's escapes in table cells: `\|`, `\\`, `\n`.
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cell.push('|');
            }
            '\\' if chars.peek() == Some(&'\\') => {
                chars.next();
                cell.push('\\');
            }
            '\\' if chars.peek() == Some(&'n') => {
                chars.next();
                cell.push('\n');
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_owned()),
            other => cell.push(other),
        }
    }
    out.push(cell.trim().to_owned());
    out
}

fn strip_keyword(line: &str) -> Option<&str> {
    for keyword in ["Given ", "When ", "Then ", "And ", "But "] {
        if let Some(rest) = line.strip_prefix(keyword) {
            return Some(rest);
        }
    }
    None
}

/// Parses a feature file into its scenarios.
pub fn parse(text: &str) -> Vec<Scenario> {
    let lines: Vec<&str> = text.lines().collect();
    let mut feature = String::new();
    let mut out = Vec::new();
    let mut background: Vec<Step> = Vec::new();
    let mut i = 0;
    // The scenario being read: name, steps, outline.
    let mut current: Option<(String, Vec<Step>, bool)> = None;
    let mut in_background = false;
    let finish = |current: &mut Option<(String, Vec<Step>, bool)>,
                  out: &mut Vec<Scenario>,
                  feature: &str,
                  examples: Option<Vec<Vec<String>>>,
                  background: &[Step]| {
        if let Some((name, steps, outline)) = current.take() {
            let mut all = background.to_vec();
            all.extend(steps);
            if !outline {
                out.push(Scenario {
                    feature: feature.to_owned(),
                    name,
                    steps: all,
                });
                return;
            }
            let Some(examples) = examples else {
                return;
            };
            let Some((header, rows)) = examples.split_first() else {
                return;
            };
            for (n, row) in rows.iter().enumerate() {
                let substitute = |s: &str| {
                    let mut s = s.to_owned();
                    for (key, value) in header.iter().zip(row) {
                        s = s.replace(&format!("<{key}>"), value);
                    }
                    s
                };
                let steps = all
                    .iter()
                    .map(|step| Step {
                        text: substitute(&step.text),
                        doc: step.doc.as_deref().map(&substitute),
                        table: step
                            .table
                            .iter()
                            .map(|r| r.iter().map(|c| substitute(c)).collect())
                            .collect(),
                    })
                    .collect();
                out.push(Scenario {
                    feature: feature.to_owned(),
                    name: format!("{name} (example {})", n + 1),
                    steps,
                });
            }
        }
    };
    let mut pending_examples: Option<Vec<Vec<String>>> = None;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
            continue;
        }
        if let Some(name) = line.strip_prefix("Feature:") {
            feature = name.trim().to_owned();
            continue;
        }
        if line.starts_with("Background:") {
            in_background = true;
            continue;
        }
        if let Some(name) = line
            .strip_prefix("Scenario Outline:")
            .or_else(|| line.strip_prefix("Scenario Template:"))
        {
            finish(
                &mut current,
                &mut out,
                &feature,
                pending_examples.take(),
                &background,
            );
            in_background = false;
            current = Some((name.trim().to_owned(), Vec::new(), true));
            continue;
        }
        if let Some(name) = line.strip_prefix("Scenario:") {
            finish(
                &mut current,
                &mut out,
                &feature,
                pending_examples.take(),
                &background,
            );
            in_background = false;
            current = Some((name.trim().to_owned(), Vec::new(), false));
            continue;
        }
        if line.starts_with("Examples:") {
            let mut table = pending_examples.take().unwrap_or_default();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                let row = cells(lines[i]);
                // Several Examples blocks share the first header.
                if table.is_empty() || row != table[0] {
                    table.push(row);
                }
                i += 1;
            }
            pending_examples = Some(table);
            continue;
        }
        if let Some(text) = strip_keyword(line) {
            let mut step = Step {
                text: text.trim().to_owned(),
                doc: None,
                table: Vec::new(),
            };
            // A doc string or a table may follow.
            while i < lines.len() && lines[i].trim().is_empty() {
                i += 1;
            }
            if i < lines.len() && lines[i].trim().starts_with("\"\"\"") {
                let indent = lines[i].len() - lines[i].trim_start().len();
                i += 1;
                let mut doc = Vec::new();
                while i < lines.len() && !lines[i].trim().starts_with("\"\"\"") {
                    let l = lines[i];
                    let cut = l
                        .char_indices()
                        .take_while(|(n, c)| *n < indent && c.is_whitespace())
                        .count();
                    doc.push(&l[cut..]);
                    i += 1;
                }
                i += 1;
                step.doc = Some(doc.join("\n"));
            } else {
                while i < lines.len() && lines[i].trim().starts_with('|') {
                    step.table.push(cells(lines[i]));
                    i += 1;
                }
            }
            if in_background {
                background.push(step);
            } else if let Some((_, steps, _)) = &mut current {
                steps.push(step);
            }
        }
    }
    finish(
        &mut current,
        &mut out,
        &feature,
        pending_examples.take(),
        &background,
    );
    out
}
