//! A reader for the subset of Gherkin the openCypher TCK uses: a feature
//! with an optional background, scenarios and scenario outlines, steps with
//! doc strings (`"""`) or tables, `Examples:` tables, tags and comments.

use std::path::{Path, PathBuf};

/// One `.feature` file.
#[derive(Debug)]
pub(crate) struct Feature {
    /// The file it was read from.
    pub(crate) path: PathBuf,
    /// Steps that run before every scenario.
    pub(crate) background: Vec<Step>,
    /// The scenarios, outlines not yet expanded.
    pub(crate) scenarios: Vec<Scenario>,
}

/// A `Scenario` or a `Scenario Outline`.
#[derive(Debug)]
pub(crate) struct Scenario {
    /// The title after `Scenario:`.
    pub(crate) name: String,
    /// The 1-based line of the `Scenario` keyword.
    pub(crate) line: usize,
    /// The steps, with `<placeholder>`s for an outline.
    pub(crate) steps: Vec<Step>,
    /// For an outline, its `Examples:` tables (header row first).
    pub(crate) examples: Vec<Vec<Vec<String>>>,
    /// True for `Scenario Outline`.
    pub(crate) outline: bool,
}

/// A step: `Given`/`When`/`Then`/`And`/`But` and its text.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The text after the keyword.
    pub(crate) text: String,
    /// The doc string that follows, indentation removed.
    pub(crate) doc: Option<String>,
    /// The table that follows, cells unescaped.
    pub(crate) table: Vec<Vec<String>>,
    /// The 1-based line of the step.
    pub(crate) line: usize,
}

/// A scenario ready to run: an outline's row substituted into its steps.
#[derive(Debug)]
pub(crate) struct Concrete {
    /// `file:line name`, plus the example row for an outline.
    pub(crate) title: String,
    /// Background steps, then the scenario's steps.
    pub(crate) steps: Vec<Step>,
}

const STEP_KEYWORDS: &[&str] = &["Given ", "When ", "Then ", "And ", "But "];

/// Reads every `.feature` file under `dir`, sorted by path.
pub(crate) fn read_dir(dir: &Path) -> Vec<Feature> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            parse(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "feature") {
            files.push(path);
        }
    }
}

/// Parses one feature file.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Feature, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut feature = Feature {
        path: path.to_owned(),
        background: Vec::new(),
        scenarios: Vec::new(),
    };
    let mut in_background = false;
    let mut in_examples = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let number = i + 1;
        i += 1;
        if line.is_empty() || line.starts_with('#') || line.starts_with("Feature:") {
            continue;
        }
        if line.starts_with('@') {
            // Tags (`@ignore`, `@skipStyleCheck`) concern TCK runners that
            // execute or restyle scenarios; every query is still checked.
            continue;
        }
        if line.starts_with("Background:") {
            in_background = true;
            in_examples = false;
            continue;
        }
        let outline = line.starts_with("Scenario Outline:");
        if outline || line.starts_with("Scenario:") {
            let name = line.split_once(':').map_or("", |(_, n)| n).trim();
            feature.scenarios.push(Scenario {
                name: name.to_owned(),
                line: number,
                steps: Vec::new(),
                examples: Vec::new(),
                outline,
            });
            in_background = false;
            in_examples = false;
            continue;
        }
        if line.starts_with("Examples:") {
            let scenario = feature
                .scenarios
                .last_mut()
                .ok_or(format!("line {number}: Examples outside a scenario"))?;
            scenario.examples.push(Vec::new());
            in_examples = true;
            continue;
        }
        if line.starts_with('|') {
            let row = table_row(line);
            let scenario = feature.scenarios.last_mut();
            if in_examples {
                let table = scenario
                    .and_then(|s| s.examples.last_mut())
                    .ok_or(format!("line {number}: stray table row"))?;
                table.push(row);
            } else {
                let steps = match scenario {
                    Some(s) if !in_background => &mut s.steps,
                    _ => &mut feature.background,
                };
                let step = steps
                    .last_mut()
                    .ok_or(format!("line {number}: table without a step"))?;
                step.table.push(row);
            }
            continue;
        }
        if line.starts_with("\"\"\"") {
            let indent = lines[i - 1].len() - lines[i - 1].trim_start().len();
            let mut doc = Vec::new();
            loop {
                let Some(raw) = lines.get(i) else {
                    return Err(format!("line {number}: unterminated doc string"));
                };
                i += 1;
                if raw.trim() == "\"\"\"" {
                    break;
                }
                let strip = raw
                    .char_indices()
                    .take_while(|(at, c)| *at < indent && c.is_whitespace())
                    .count();
                doc.push(&raw[strip..]);
            }
            let steps = match feature.scenarios.last_mut() {
                Some(s) if !in_background => &mut s.steps,
                _ => &mut feature.background,
            };
            let step = steps
                .last_mut()
                .ok_or(format!("line {number}: doc string without a step"))?;
            step.doc = Some(doc.join("\n"));
            continue;
        }
        if let Some(keyword) = STEP_KEYWORDS.iter().find(|k| line.starts_with(**k)) {
            let step = Step {
                text: line[keyword.len()..].trim().to_owned(),
                doc: None,
                table: Vec::new(),
                line: number,
            };
            match feature.scenarios.last_mut() {
                Some(s) if !in_background => s.steps.push(step),
                _ => feature.background.push(step),
            }
            in_examples = false;
            continue;
        }
        return Err(format!("line {number}: unexpected `{line}`"));
    }
    Ok(feature)
}

/// The cells of `| a | b \| c |`, unescaped (`\|`, `\\`, `\n`).
fn table_row(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('|') => cell.push('|'),
                Some('\\') => cell.push('\\'),
                Some('n') => cell.push('\n'),
                Some(other) => {
                    cell.push('\\');
                    cell.push(other);
                }
                None => cell.push('\\'),
            },
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    cells
}

impl Feature {
    /// Every scenario, each outline row as its own scenario.
    pub(crate) fn concrete(&self) -> Vec<Concrete> {
        let file = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut out = Vec::new();
        for scenario in &self.scenarios {
            let title = format!("{file}:{} {}", scenario.line, scenario.name);
            let with_background = |steps: Vec<Step>| {
                let mut all = self.background.clone();
                all.extend(steps);
                all
            };
            if !scenario.outline {
                out.push(Concrete {
                    title,
                    steps: with_background(scenario.steps.clone()),
                });
                continue;
            }
            for table in &scenario.examples {
                let Some((header, rows)) = table.split_first() else {
                    continue;
                };
                for (index, row) in rows.iter().enumerate() {
                    let substitute = |text: &str| substitute(text, header, row);
                    let steps = scenario
                        .steps
                        .iter()
                        .map(|step| Step {
                            text: substitute(&step.text),
                            doc: step.doc.as_deref().map(substitute),
                            table: step
                                .table
                                .iter()
                                .map(|r| r.iter().map(|c| substitute(c)).collect())
                                .collect(),
                            line: step.line,
                        })
                        .collect();
                    out.push(Concrete {
                        title: format!("{title} (example {})", index + 1),
                        steps: with_background(steps),
                    });
                }
            }
        }
        out
    }
}

/// `text` with each `<name>` of `header` replaced by the cell of `row`, in
/// one pass (a value that contains `<other>` is not substituted again).
fn substitute(text: &str, header: &[String], row: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('>').and_then(|close| {
            let name = &after[..close];
            let index = header.iter().position(|h| h == name)?;
            Some((row.get(index)?, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
