//! The fixture files of a test: `fixtures/<name>.cypher` beside the test's
//! file, each split into statements by `neo-cypher`'s lexer (a `;` in a
//! string or a comment does not end one), each statement parsed and, with
//! a schema file, compared with it, all while the test compiles.

use std::path::{Path, PathBuf};

use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::queries::schema::SchemaFile;

/// A fixture file, read and checked.
pub(super) struct Fixture {
    /// The name given in `fixtures(…)`.
    pub(super) name: String,
    /// The file as the test's directory names it: `fixtures/people.cypher`.
    pub(super) path: String,
    /// The absolute path, for `include_str!`.
    pub(super) absolute: String,
    /// Each statement and the line it starts on.
    pub(super) statements: Vec<(u32, String)>,
}

/// Reads every fixture named, recording each problem at its name.
pub(super) fn read(
    cx: &Ctxt,
    names: &[LitStr],
    test_file: Option<PathBuf>,
    schema: Option<&SchemaFile>,
) -> Vec<Fixture> {
    let Some(first) = names.first() else {
        return Vec::new();
    };
    let Some(directory) = test_file.as_deref().and_then(test_directory) else {
        cx.error_spanned_by(
            first,
            "the fixtures cannot be found: the compiler did not say which file this test is in",
        );
        return Vec::new();
    };
    names
        .iter()
        .filter_map(|name| read_one(cx, name, &directory, schema))
        .collect()
}

/// The directory of the test's file, made absolute against the compiler's
/// working directory (which relative paths are relative to).
fn test_directory(file: &Path) -> Option<PathBuf> {
    let file = if file.is_relative() {
        std::env::current_dir().ok()?.join(file)
    } else {
        file.to_path_buf()
    };
    file.parent().map(Path::to_path_buf)
}

fn read_one(
    cx: &Ctxt,
    literal: &LitStr,
    directory: &Path,
    schema: Option<&SchemaFile>,
) -> Option<Fixture> {
    let name = literal.value();
    let path = format!("fixtures/{name}.cypher");
    let absolute = directory.join(&path);
    let text = match std::fs::read_to_string(&absolute) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            cx.error_spanned_by(
                literal,
                format!(
                    "no fixture `{name}`: `{path}` is not beside the test (looked for `{}`)",
                    absolute.display()
                ),
            );
            return None;
        }
        Err(error) => {
            cx.error_spanned_by(
                literal,
                format!("cannot read the fixture `{}`: {error}", absolute.display()),
            );
            return None;
        }
    };
    let statements = statements(cx, literal, &path, &text, schema)?;
    Some(Fixture {
        name,
        path,
        absolute: absolute.to_string_lossy().into_owned(),
        statements,
    })
}

/// The statements of one file, each parsed and checked against the schema.
fn statements(
    cx: &Ctxt,
    literal: &LitStr,
    path: &str,
    text: &str,
    schema: Option<&SchemaFile>,
) -> Option<Vec<(u32, String)>> {
    let invalid = |rendered: String| {
        let rendered = rendered
            .strip_prefix("error: ")
            .unwrap_or(&rendered)
            .to_owned();
        cx.error_spanned_by(literal, format!("invalid Cypher in `{path}`: {rendered}"));
    };
    let spans = match neo_cypher::split_statements(text) {
        Ok(spans) => spans,
        Err(error) => {
            invalid(error.render(text));
            return None;
        }
    };
    if spans.is_empty() {
        cx.error_spanned_by(literal, format!("`{path}` holds no statement"));
        return None;
    }
    let mut statements = Vec::with_capacity(spans.len());
    let mut valid = true;
    for span in spans {
        // The statement alone, at its place in the file, so that errors
        // give the file's lines and columns.
        let alone = blank_outside(text, span.start, span.end);
        match neo_cypher::parse(&alone) {
            Ok(query) => {
                if let Some(schema) = schema {
                    for problem in query.check_schema(&schema.schema) {
                        let rendered = problem.render(&alone, &schema.name);
                        let rendered = rendered.strip_prefix("error: ").unwrap_or(&rendered);
                        cx.error_spanned_by(
                            literal,
                            format!("`{path}` does not match {}: {rendered}", schema.name),
                        );
                        valid = false;
                    }
                }
            }
            Err(error) => {
                invalid(error.render(&alone));
                valid = false;
            }
        }
        let line = text[..span.start].matches('\n').count() + 1;
        statements.push((
            u32::try_from(line).unwrap_or(u32::MAX),
            span.text(text).to_owned(),
        ));
    }
    valid.then_some(statements)
}

/// `text` up to `end`, with every character before `start` a space, line
/// breaks kept: one statement, on the same lines and columns, which ends
/// where the statement does.
fn blank_outside(text: &str, start: usize, end: usize) -> String {
    text[..end]
        .char_indices()
        .map(|(at, c)| if at >= start || c == '\n' { c } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::*;

    /// A directory standing for a test's, with a `fixtures/` folder,
    /// removed when dropped.
    struct TestDir(PathBuf);

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn test_dir(name: &str, files: &[(&str, &str)]) -> TestDir {
        let dir =
            std::env::temp_dir().join(format!("neo-derive-fixtures-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("fixtures")).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join("fixtures").join(file), text).unwrap();
        }
        TestDir(dir)
    }

    fn read_fixtures(dir: &TestDir, names: &[&str]) -> (Vec<Fixture>, Vec<String>) {
        let cx = Ctxt::new();
        let names: Vec<LitStr> = names
            .iter()
            .map(|name| LitStr::new(name, Span::call_site()))
            .collect();
        let fixtures = read(&cx, &names, Some(dir.0.join("people.rs")), None);
        let errors = match cx.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        };
        (fixtures, errors)
    }

    #[test]
    fn statements_come_with_the_line_they_start_on() {
        let dir = test_dir(
            "lines",
            &[(
                "people.cypher",
                "// people; and their names\nCREATE (:Person {name: 'a;b'});\n\nCREATE\n  (:Person);\n",
            )],
        );
        let (fixtures, errors) = read_fixtures(&dir, &["people"]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fixtures[0].path, "fixtures/people.cypher");
        assert!(fixtures[0].absolute.ends_with("fixtures/people.cypher"));
        assert_eq!(
            fixtures[0].statements,
            [
                (2, "CREATE (:Person {name: 'a;b'})".to_owned()),
                (4, "CREATE\n  (:Person)".to_owned())
            ]
        );
    }

    #[test]
    fn errors_name_the_file_and_its_line() {
        let dir = test_dir(
            "errors",
            &[
                ("bad.cypher", "CREATE (:A);\nCREATE (:B;\n"),
                ("empty.cypher", "// nothing yet\n"),
            ],
        );
        let (fixtures, errors) = read_fixtures(&dir, &["bad", "empty", "missing"]);
        assert!(fixtures.is_empty());
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("invalid Cypher in `fixtures/bad.cypher`: expected"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("\n2 | CREATE (:B\n"), "{}", errors[0]);
        assert_eq!(errors[1], "`fixtures/empty.cypher` holds no statement");
        assert!(
            errors[2].starts_with(
                "no fixture `missing`: `fixtures/missing.cypher` is not beside the test"
            ),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn blanking_keeps_lines_and_columns() {
        let text = "RETURN 1;\n RETURN é; RETURN 3";
        let blanked = blank_outside(text, 11, 20);
        assert_eq!(blanked, "         \n RETURN é");
    }
}
