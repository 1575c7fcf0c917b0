//! The recursive-descent parser: token cursor, expectations for error
//! messages, backtracking, and the collected symbols.

mod call;
mod clause;
mod command;
mod expr;
mod pattern;
mod statement;
mod update;

use crate::ast::{Name, Statement};
use crate::lexer::{self, P, Tok, Token};
use crate::{ErrorDetail, Span, SyntaxError, suggest};

/// How deep a parse may go: bounds on recursion, so that parsing, walking
/// and dropping the tree fit a known stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Nested expressions, patterns and subqueries (each costs parser
    /// recursion).
    pub(crate) nesting: usize,
    /// Nesting plus operators chained within expressions (`a + b + …`,
    /// `n.a.b…`): a bound on the height of the tree.
    pub(crate) height: usize,
}

impl Limits {
    /// What a parse on a small stack (1 MiB, debug build) can afford.
    pub(crate) const SHALLOW: Limits = Limits {
        nesting: 32,
        height: 150,
    };
    /// What a parse on [`DEEP_STACK`] can afford.
    pub(crate) const DEEP: Limits = Limits {
        nesting: 256,
        height: 2000,
    };
}

/// The stack of the thread that parses queries beyond [`Limits::SHALLOW`].
pub(crate) const DEEP_STACK: usize = 64 << 20;

/// Everything a parse produces.
pub(crate) struct Parsed {
    pub(crate) statement: Statement,
    pub(crate) prefix: Option<String>,
    pub(crate) symbols: Symbols,
}

/// Names collected while parsing, in order of appearance.
#[derive(Debug, Default, Clone)]
pub(crate) struct Symbols {
    pub(crate) parameters: Vec<Name>,
    pub(crate) labels: Vec<Name>,
    pub(crate) relationship_types: Vec<Name>,
    pub(crate) property_keys: Vec<Name>,
    /// Variables bound by relationship patterns (for `r:TYPE` predicates).
    pub(crate) relationship_variables: Vec<String>,
    pub(crate) writes: bool,
    /// `trim(LEADING|TRAILING …)` calls, by span.
    pub(crate) trim_modes: Vec<(Span, crate::ast::TrimMode)>,
    /// `IS NFD|NFKC|NFKD NORMALIZED` tests, by span.
    pub(crate) normal_forms: Vec<(Span, crate::ast::NormalForm)>,
    /// `MATCH REPEATABLE ELEMENTS` clauses, by where they start.
    pub(crate) match_modes: Vec<(usize, crate::ast::MatchMode)>,
}

/// A failed parse; the details are in the parser's expectations.
pub(crate) struct Fail;

pub(crate) type PResult<T> = Result<T, Fail>;

/// What the parser wanted at the furthest position it reached.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Punctuation.
    Punct(P),
    /// A keyword, listed in the message.
    Keyword(&'static str),
    /// A keyword only offered as a "did you mean" candidate.
    Hidden(&'static str),
    /// A description, e.g. "an expression".
    Thing(&'static str),
}

struct Checkpoint {
    pos: usize,
    parameters: usize,
    labels: usize,
    relationship_types: usize,
    property_keys: usize,
    relationship_variables: usize,
    writes: bool,
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    furthest: usize,
    expected: Vec<Expect>,
    custom: Option<(Span, String, ErrorDetail)>,
    depth: usize,
    /// Operators chained into the expressions being parsed.
    wraps: usize,
    /// In a pattern comprehension's `WHERE`, where `| name ]` is the
    /// mapping rather than a label alternative.
    pipe_maps: bool,
    limits: Limits,
    /// Start of the type name being parsed (for its text).
    type_start: usize,
    /// Speculative parses that already failed, by (site, token position):
    /// retrying them would make nested speculation exponential.
    failed_attempts: std::collections::HashSet<(u8, usize)>,
    /// The path parsed inside `shortestPath(…)`.
    shortest_inner: Option<Vec<crate::ast::PathElement>>,
    pub(crate) symbols: Symbols,
}

/// Parses a whole statement within `limits`.
pub(crate) fn parse(src: &str, limits: Limits) -> Result<Parsed, SyntaxError> {
    let tokens = lexer::lex(src)?;
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
        furthest: 0,
        expected: Vec::new(),
        custom: None,
        depth: 0,
        wraps: 0,
        pipe_maps: false,
        limits,
        type_start: 0,
        shortest_inner: None,
        failed_attempts: std::collections::HashSet::new(),
        symbols: Symbols::default(),
    };
    match parser.statement() {
        Ok((statement, prefix)) => Ok(Parsed {
            statement,
            prefix,
            symbols: parser.symbols,
        }),
        Err(Fail) => Err(parser.error()),
    }
}

impl<'s> Parser<'s> {
    // ----- cursor -------------------------------------------------------

    fn token(&self, ahead: usize) -> Token {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens
            .get((self.pos + ahead).min(last))
            .copied()
            .unwrap_or(Token {
                kind: Tok::Eof,
                span: Span::new(self.src.len(), self.src.len()),
            })
    }

    fn kind(&self) -> Tok {
        self.token(0).kind
    }

    fn kind_at(&self, ahead: usize) -> Tok {
        self.token(ahead).kind
    }

    fn span(&self) -> Span {
        self.token(0).span
    }

    /// End of the previous token.
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    /// Span from `start` to the end of the previous token.
    fn since(&self, start: usize) -> Span {
        Span::new(start, self.prev_end().max(start))
    }

    fn bump(&mut self) -> Token {
        let token = self.token(0);
        if token.kind != Tok::Eof {
            self.pos += 1;
        }
        token
    }

    fn bump_text(&mut self) -> &'s str {
        let token = self.bump();
        self.text(token)
    }

    fn text(&self, token: Token) -> &'s str {
        token.span.text(self.src)
    }

    // ----- expectations -------------------------------------------------

    fn note(&mut self, expect: Expect) {
        if self.pos > self.furthest {
            self.furthest = self.pos;
            self.expected.clear();
        }
        if self.pos == self.furthest && !self.expected.contains(&expect) {
            self.expected.push(expect);
        }
    }

    /// Records that `what` was expected here and fails.
    fn fail<T>(&mut self, what: &'static str) -> PResult<T> {
        self.note(Expect::Thing(what));
        Err(Fail)
    }

    /// Fails with a specific message at `span`.
    fn fail_at<T>(&mut self, span: Span, message: impl Into<String>) -> PResult<T> {
        self.fail_with(span, ErrorDetail::Syntax, message)
    }

    /// Fails with a specific message and classification at `span`.
    fn fail_with<T>(
        &mut self,
        span: Span,
        detail: ErrorDetail,
        message: impl Into<String>,
    ) -> PResult<T> {
        if self.custom.is_none() {
            self.custom = Some((span, message.into(), detail));
        }
        Err(Fail)
    }

    fn hint_keywords(&mut self, keywords: &[&'static str]) {
        for keyword in keywords {
            self.note(Expect::Hidden(keyword));
        }
    }

    fn error(&self) -> SyntaxError {
        if let Some((span, message, detail)) = &self.custom {
            return SyntaxError::new(self.src, *span, message.clone()).with_detail(*detail);
        }
        let index = self.furthest.min(self.tokens.len().saturating_sub(1));
        let token = self.tokens.get(index).copied().unwrap_or(Token {
            kind: Tok::Eof,
            span: Span::new(self.src.len(), self.src.len()),
        });
        let found = match token.kind {
            Tok::Eof => "end of input".to_owned(),
            _ => {
                let text = self.text(token);
                match text.char_indices().nth(24) {
                    Some((cut, _)) => format!("`{}…`", &text[..cut]),
                    None => format!("`{text}`"),
                }
            }
        };
        let mut shown: Vec<String> = Vec::new();
        for expect in &self.expected {
            let item = match expect {
                Expect::Punct(p) => format!("`{}`", p.text()),
                Expect::Keyword(k) => format!("`{k}`"),
                Expect::Thing(t) => (*t).to_owned(),
                Expect::Hidden(_) => continue,
            };
            if !shown.contains(&item) {
                shown.push(item);
            }
        }
        let message = match shown.as_slice() {
            [] => format!("unexpected {found}"),
            [one] => format!("expected {one}, found {found}"),
            [init @ .., last] => format!("expected {} or {last}, found {found}", init.join(", ")),
        };
        let help = if token.kind == Tok::Ident {
            let found = self.text(token);
            let keywords = self.expected.iter().filter_map(|e| match e {
                Expect::Keyword(k) | Expect::Hidden(k) if !k.eq_ignore_ascii_case(found) => {
                    Some(*k)
                }
                _ => None,
            });
            suggest(found, keywords).map(|k| format!("did you mean `{k}`?"))
        } else {
            None
        };
        SyntaxError::new(self.src, token.span, message).with_help(help)
    }

    // ----- matching -----------------------------------------------------

    fn at(&self, p: P) -> bool {
        self.kind() == Tok::P(p)
    }

    fn at_n(&self, ahead: usize, p: P) -> bool {
        self.kind_at(ahead) == Tok::P(p)
    }

    fn eat(&mut self, p: P) -> bool {
        if self.at(p) {
            self.pos += 1;
            true
        } else {
            self.note(Expect::Punct(p));
            false
        }
    }

    fn expect(&mut self, p: P) -> PResult<Span> {
        let span = self.span();
        if self.eat(p) { Ok(span) } else { Err(Fail) }
    }

    fn is_keyword(&self, token: Token, keyword: &str) -> bool {
        token.kind == Tok::Ident && self.text(token).eq_ignore_ascii_case(keyword)
    }

    fn at_kw(&self, keyword: &str) -> bool {
        self.is_keyword(self.token(0), keyword)
    }

    fn at_kw_n(&self, ahead: usize, keyword: &str) -> bool {
        self.is_keyword(self.token(ahead), keyword)
    }

    fn eat_kw(&mut self, keyword: &'static str) -> bool {
        if self.at_kw(keyword) {
            self.pos += 1;
            true
        } else {
            self.note(Expect::Keyword(keyword));
            false
        }
    }

    /// Eats `keyword` without recording it as expected (for optional
    /// continuations that would only clutter messages).
    fn skip_kw(&mut self, keyword: &str) -> bool {
        if self.at_kw(keyword) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Eats `p` without recording it as expected.
    fn skip(&mut self, p: P) -> bool {
        if self.at(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, keyword: &'static str) -> PResult<Span> {
        let span = self.span();
        if self.eat_kw(keyword) {
            Ok(span)
        } else {
            Err(Fail)
        }
    }

    /// Eats the first of `keywords` that is next, returning it.
    fn eat_one_of(&mut self, keywords: &[&'static str]) -> Option<&'static str> {
        keywords
            .iter()
            .find(|&keyword| self.eat_kw(keyword))
            .map(|v| v as _)
    }

    fn at_name(&self) -> bool {
        matches!(self.kind(), Tok::Ident | Tok::Quoted)
    }

    /// A name (any identifier, keywords included, or a quoted name).
    fn name(&mut self) -> PResult<Name> {
        let token = self.token(0);
        match token.kind {
            Tok::Ident => {
                self.pos += 1;
                Ok(Name {
                    name: self.text(token).to_owned(),
                    span: token.span,
                })
            }
            Tok::Quoted => {
                self.pos += 1;
                Ok(Name {
                    name: lexer::unquote_name(self.text(token)),
                    span: token.span,
                })
            }
            _ => self.fail("a name"),
        }
    }

    /// `a.b.c` as one name.
    fn dotted_name(&mut self) -> PResult<Name> {
        let mut name = self.name()?;
        while self.at(P::Dot) && matches!(self.kind_at(1), Tok::Ident | Tok::Quoted) {
            self.pos += 1;
            let part = self.name()?;
            name.name.push('.');
            name.name.push_str(&part.name);
            name.span = name.span.to(part.span);
        }
        Ok(name)
    }

    /// The name carried by a parameter token.
    fn parameter_name(&self, token: Token) -> String {
        let text = self.text(token);
        let raw = text.get(1..).unwrap_or("");
        if raw.starts_with('`') {
            lexer::unquote_name(raw)
        } else {
            raw.to_owned()
        }
    }

    fn record_parameter(&mut self, token: Token) -> String {
        let name = self.parameter_name(token);
        self.symbols.parameters.push(Name {
            name: name.clone(),
            span: token.span,
        });
        name
    }

    fn unsigned(&mut self) -> PResult<u64> {
        let token = self.token(0);
        if token.kind != Tok::Int {
            return self.fail("an integer");
        }
        self.pos += 1;
        match parse_int(self.text(token)) {
            Some(value) if value >= 0 => Ok(value as u64),
            _ => self.fail_with(
                token.span,
                ErrorDetail::IntegerOverflow,
                "integer literal is out of range",
            ),
        }
    }

    // ----- nesting and backtracking ------------------------------------

    fn enter(&mut self) -> PResult<()> {
        self.enter_by(1)
    }

    /// Enters a construct whose recursion costs `weight` levels of stack
    /// (clauses nested in clauses use much more than expressions).
    fn enter_by(&mut self, weight: usize) -> PResult<()> {
        self.depth += weight;
        if self.depth > self.limits.nesting || self.depth + self.wraps > self.limits.height {
            return self.too_deep();
        }
        Ok(())
    }

    fn too_deep<T>(&mut self) -> PResult<T> {
        let span = self.span();
        let limits = self.limits;
        self.fail_with(
            span,
            ErrorDetail::NestingTooDeep,
            format!(
                "the query nests too deeply (more than {} levels of brackets, or {} operators in one expression)",
                limits.nesting, limits.height
            ),
        )
    }

    /// Records one more operator wrapped around an expression being
    /// parsed; the caller restores `wraps` when its expression is complete.
    fn wrap(&mut self) -> PResult<()> {
        self.wraps += 1;
        if self.depth + self.wraps > self.limits.height {
            return self.too_deep();
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.leave_by(1);
    }

    fn leave_by(&mut self, weight: usize) {
        self.depth = self.depth.saturating_sub(weight);
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.pos,
            parameters: self.symbols.parameters.len(),
            labels: self.symbols.labels.len(),
            relationship_types: self.symbols.relationship_types.len(),
            property_keys: self.symbols.property_keys.len(),
            relationship_variables: self.symbols.relationship_variables.len(),
            writes: self.symbols.writes,
        }
    }

    fn restore(&mut self, cp: &Checkpoint) {
        self.pos = cp.pos;
        self.symbols.parameters.truncate(cp.parameters);
        self.symbols.labels.truncate(cp.labels);
        self.symbols
            .relationship_types
            .truncate(cp.relationship_types);
        self.symbols.property_keys.truncate(cp.property_keys);
        self.symbols
            .relationship_variables
            .truncate(cp.relationship_variables);
        self.symbols.writes = cp.writes;
    }

    /// Runs `f`; on failure rewinds as if nothing was consumed. Nesting-depth
    /// failures are not retried. `site` names the call site: an attempt that
    /// failed at a position is not run again there.
    fn attempt<T>(
        &mut self,
        site: u8,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<Option<T>> {
        let key = (site, self.pos);
        if self.failed_attempts.contains(&key) {
            return Ok(None);
        }
        let cp = self.checkpoint();
        let (depth, wraps) = (self.depth, self.wraps);
        match f(self) {
            Ok(value) => Ok(Some(value)),
            Err(Fail) => {
                self.depth = depth;
                self.wraps = wraps;
                if let Some((_, _, detail)) = &self.custom {
                    if *detail == ErrorDetail::NestingTooDeep {
                        return Err(Fail);
                    }
                    self.custom = None;
                }
                self.restore(&cp);
                self.failed_attempts.insert(key);
                Ok(None)
            }
        }
    }
}

/// Parses an integer literal (decimal, `0x`, `0o`, legacy octal, `_`),
/// optionally preceded by `-` (so that `-0x8000000000000000`, the smallest
/// 64-bit integer, has a value).
pub(crate) fn parse_int(text: &str) -> Option<i64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let (sign, digits) = match lower.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", lower.as_str()),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.starts_with(['+', '-']) {
        return None;
    }
    i64::from_str_radix(&format!("{sign}{digits}"), radix).ok()
}
