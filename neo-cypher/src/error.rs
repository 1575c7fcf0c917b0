//! Syntax errors with a position and a caret excerpt.

use std::fmt;

use crate::Span;
use crate::detail::{ErrorDetail, codes};

/// Why a query was rejected, and where.
///
/// `offset` is a byte offset into the query text; `line` and `column` are
/// 1-based, the column counted in characters. [`detail`](Self::detail)
/// and [`code`](Self::code) classify the error as Neo4j does: the parser's
/// errors and those of the semantic analysis that follows it (undefined
/// variables, wrong argument types, misplaced aggregations, …).
///
/// ```
/// let text = "MATCH (n) RETRUN n";
/// let error = neo_cypher::parse(text).unwrap_err();
/// assert_eq!((error.line, error.column), (1, 11));
/// assert_eq!(error.help.as_deref(), Some("did you mean `RETURN`?"));
/// assert_eq!(
///     error.render(text),
///     "error: expected `,`, `WHERE` or a clause, found `RETRUN`\n\
///      1 | MATCH (n) RETRUN n\n  \
///        |           ^^^^^^\n  \
///        = help: did you mean `RETURN`?"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What went wrong, e.g. "expected `)` or `,`, found `RETRUN`".
    pub message: String,
    /// Byte offset of the offending token.
    pub offset: usize,
    /// Length in bytes of the offending token (0 at the end of input).
    pub len: usize,
    /// 1-based line of `offset`.
    pub line: usize,
    /// 1-based column of `offset`, in characters.
    pub column: usize,
    /// A suggestion, e.g. "did you mean `RETURN`?".
    pub help: Option<String>,
    detail: ErrorDetail,
    code: &'static str,
}

impl SyntaxError {
    pub(crate) fn new(source: &str, span: Span, message: impl Into<String>) -> Self {
        let offset = floor_char_boundary(source, span.start.min(source.len()));
        let (line, column) = line_column(source, offset);
        Self {
            message: message.into(),
            offset,
            len: span.len(),
            line,
            column,
            help: None,
            detail: ErrorDetail::Syntax,
            code: codes::SYNTAX_ERROR,
        }
    }

    pub(crate) fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The same error classified as `detail`, with that detail's code.
    pub(crate) fn with_detail(mut self, detail: ErrorDetail) -> Self {
        self.detail = detail;
        self.code = detail.status_code();
        self
    }

    /// The same error with another Neo4j status code than its detail's.
    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// What kind of mistake this is, as the openCypher TCK names it.
    ///
    /// ```
    /// use neo_cypher::ErrorDetail;
    ///
    /// let error = neo_cypher::parse("MATCH (n) RETURN count(count(n))").unwrap_err();
    /// assert_eq!(error.detail(), ErrorDetail::NestedAggregation);
    /// ```
    pub fn detail(&self) -> ErrorDetail {
        self.detail
    }

    /// The Neo4j status code a server reports for this error, usually
    /// `Neo.ClientError.Statement.SyntaxError`.
    ///
    /// ```
    /// let error = neo_cypher::parse("WITH 1 AS x RETURN x.name").unwrap_err();
    /// assert_eq!(error.code(), "Neo.ClientError.Statement.TypeError");
    /// ```
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The error with the offending line of `source` and a caret under the
    /// position, in the style of compiler diagnostics.
    ///
    /// `source` must be the text that was parsed.
    pub fn render(&self, source: &str) -> String {
        let line_text = source.lines().nth(self.line - 1).unwrap_or("");
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        let pad: String = line_text
            .chars()
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let rest = line_text.chars().count().saturating_sub(self.column - 1);
        let width = source
            .get(self.offset..self.offset + self.len)
            .map_or(1, |text| text.chars().count())
            .clamp(1, rest.max(1));
        let mut out = format!(
            "error: {}\n{number} | {line_text}\n{gutter} | {pad}{}",
            self.message,
            "^".repeat(width)
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("\n{gutter} = help: {help}"));
        }
        out
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SyntaxError {}

fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}
