//! Tokens: names, literals, parameters and punctuation, with comments and
//! whitespace dropped.

use crate::{ErrorDetail, Span, SyntaxError};

/// Punctuation and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum P {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    DotDot,
    Colon,
    ColonColon,
    Semi,
    Pipe,
    Concat,
    Amp,
    Bang,
    Percent,
    Plus,
    PlusEq,
    Minus,
    Star,
    Slash,
    Caret,
    Eq,
    Neq,
    Lt,
    Gt,
    Le,
    Ge,
    RegexMatch,
    Dollar,
}

impl P {
    pub(crate) fn text(self) -> &'static str {
        match self {
            P::LParen => "(",
            P::RParen => ")",
            P::LBracket => "[",
            P::RBracket => "]",
            P::LBrace => "{",
            P::RBrace => "}",
            P::Comma => ",",
            P::Dot => ".",
            P::DotDot => "..",
            P::Colon => ":",
            P::ColonColon => "::",
            P::Semi => ";",
            P::Pipe => "|",
            P::Concat => "||",
            P::Amp => "&",
            P::Bang => "!",
            P::Percent => "%",
            P::Plus => "+",
            P::PlusEq => "+=",
            P::Minus => "-",
            P::Star => "*",
            P::Slash => "/",
            P::Caret => "^",
            P::Eq => "=",
            P::Neq => "<>",
            P::Lt => "<",
            P::Gt => ">",
            P::Le => "<=",
            P::Ge => ">=",
            P::RegexMatch => "=~",
            P::Dollar => "$",
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A plain name or keyword.
    Ident,
    /// A backtick-quoted name.
    Quoted,
    /// `$name`, `$0` or `` $`name` ``.
    Param,
    /// A string literal, quotes included.
    Str,
    /// An integer literal.
    Int,
    /// A float literal.
    Float,
    /// Digits run into letters, such as `12ab`.
    BadNumber,
    /// Punctuation.
    P(P),
    /// End of input.
    Eof,
}

/// One token and where it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) kind: Tok,
    pub(crate) span: Span,
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(src.len() / 3 + 1),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip_trivia()?;
            let start = self.pos;
            let Some(c) = self.peek_char() else {
                self.push(Tok::Eof, start);
                return Ok(());
            };
            let kind = match c {
                '`' => {
                    self.quoted_name()?;
                    Tok::Quoted
                }
                '\'' | '"' => {
                    self.string(c)?;
                    Tok::Str
                }
                '$' => self.parameter()?,
                '0'..='9' => self.number()?,
                '.' if self.byte_at(1).is_some_and(|b| b.is_ascii_digit())
                    && !self.after_value() =>
                {
                    self.number()?
                }
                c if is_name_start(c) => {
                    self.name();
                    Tok::Ident
                }
                _ => Tok::P(self.punct(c)?),
            };
            self.push(kind, start);
        }
    }

    fn push(&mut self, kind: Tok, start: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
        });
    }

    fn error(&self, start: usize, end: usize, message: &str) -> SyntaxError {
        SyntaxError::new(self.src, Span::new(start, end), message)
    }

    /// A malformed number literal.
    fn number_error(&self, start: usize, end: usize, message: &str) -> SyntaxError {
        self.error(start, end, message)
            .with_detail(ErrorDetail::InvalidNumberLiteral)
    }

    fn peek_char(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn byte_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// True when the previous token ends a value, so `.5` is a property
    /// access rather than a number.
    fn after_value(&self) -> bool {
        self.tokens.last().is_some_and(|t| {
            t.span.end == self.pos
                && matches!(
                    t.kind,
                    Tok::Ident | Tok::Quoted | Tok::P(P::RParen) | Tok::P(P::RBracket)
                )
        })
    }

    fn skip_trivia(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek_char() {
                Some(c) if c.is_whitespace() => {
                    self.pos += c.len_utf8();
                }
                Some('/') if self.byte_at(1) == Some(b'/') => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                Some('/') if self.byte_at(1) == Some(b'*') => {
                    let start = self.pos;
                    match self
                        .src
                        .get(self.pos + 2..)
                        .and_then(|rest| rest.find("*/"))
                    {
                        Some(end) => self.pos += 2 + end + 2,
                        None => {
                            return Err(self.error(start, start + 2, "unterminated comment"));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn name(&mut self) {
        while let Some(c) = self.peek_char() {
            if is_name_part(c) {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn quoted_name(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.bump() {
                Some('`') if self.byte_at(0) == Some(b'`') => self.pos += 1,
                Some('`') => break,
                Some(_) => {}
                None => return Err(self.error(start, start + 1, "unterminated quoted name")),
            }
        }
        Ok(())
    }

    fn string(&mut self, quote: char) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.bump() {
                Some('\\') => {
                    let escape_start = self.pos - 1;
                    match self.bump() {
                        Some('u') => self.hex_escape(escape_start, 4)?,
                        Some('U') => self.hex_escape(escape_start, 8)?,
                        Some(_) => {}
                        None => break,
                    }
                }
                Some(c) if c == quote => return Ok(()),
                Some(_) => {}
                None => break,
            }
        }
        Err(self.error(start, start + 1, "unterminated string literal"))
    }

    fn hex_escape(&mut self, escape_start: usize, digits: usize) -> Result<(), SyntaxError> {
        let hex = self.src.get(self.pos..self.pos + digits);
        let value = hex
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        if value.and_then(char::from_u32).is_none() {
            let end = self.pos.min(self.src.len());
            return Err(self
                .error(
                    escape_start,
                    end,
                    "invalid unicode escape in string literal",
                )
                .with_detail(ErrorDetail::InvalidUnicodeLiteral));
        }
        self.pos += digits;
        Ok(())
    }

    fn parameter(&mut self) -> Result<Tok, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        match self.peek_char() {
            Some('`') => {
                self.quoted_name()?;
                Ok(Tok::Param)
            }
            Some(c) if is_name_part(c) => {
                self.name();
                Ok(Tok::Param)
            }
            _ => {
                self.pos = start + 1;
                Ok(Tok::P(P::Dollar))
            }
        }
    }

    fn digits(&mut self, accept: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while let Some(b) = self.byte_at(0) {
            if accept(b) || (b == b'_' && self.pos > start && self.byte_at(1).is_some_and(&accept))
            {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Tok, SyntaxError> {
        let start = self.pos;
        let prefix = (
            self.byte_at(0),
            self.byte_at(1).map(|b| b.to_ascii_lowercase()),
        );
        let kind = match prefix {
            (Some(b'0'), Some(b'x')) => {
                self.pos += 2;
                if self.digits(|b| b.is_ascii_hexdigit()) == 0 {
                    return Err(self.number_error(start, self.pos, "invalid hexadecimal literal"));
                }
                Tok::Int
            }
            (Some(b'0'), Some(b'o')) => {
                self.pos += 2;
                if self.digits(|b| (b'0'..=b'7').contains(&b)) == 0 {
                    return Err(self.number_error(start, self.pos, "invalid octal literal"));
                }
                Tok::Int
            }
            _ => {
                self.digits(|b| b.is_ascii_digit());
                let mut kind = Tok::Int;
                if self.byte_at(0) == Some(b'.')
                    && self.byte_at(1).is_some_and(|b| b.is_ascii_digit())
                {
                    self.pos += 1;
                    self.digits(|b| b.is_ascii_digit());
                    kind = Tok::Float;
                }
                if matches!(self.byte_at(0), Some(b'e' | b'E')) {
                    let sign = usize::from(matches!(self.byte_at(1), Some(b'+' | b'-')));
                    if self.byte_at(1 + sign).is_some_and(|b| b.is_ascii_digit()) {
                        self.pos += 1 + sign;
                        self.digits(|b| b.is_ascii_digit());
                        kind = Tok::Float;
                    } else {
                        let end = self.pos + 1 + sign;
                        return Err(self.number_error(
                            start,
                            end,
                            "invalid number literal: missing exponent digits",
                        ));
                    }
                }
                kind
            }
        };
        if self.peek_char().is_some_and(is_name_part) {
            // The parser decides: an invalid number where a value is
            // expected, an unexpected token elsewhere (`{1B2: 1}`).
            self.name();
            return Ok(Tok::BadNumber);
        }
        Ok(kind)
    }

    fn punct(&mut self, c: char) -> Result<P, SyntaxError> {
        let start = self.pos;
        let next = self.byte_at(1);
        let (p, width) = match (c, next) {
            ('.', Some(b'.')) => (P::DotDot, 2),
            ('.', _) => (P::Dot, 1),
            (':', Some(b':')) => (P::ColonColon, 2),
            (':', _) => (P::Colon, 1),
            ('|', Some(b'|')) => (P::Concat, 2),
            ('|', _) => (P::Pipe, 1),
            ('+', Some(b'=')) => (P::PlusEq, 2),
            ('+', _) => (P::Plus, 1),
            ('<', Some(b'>')) => (P::Neq, 2),
            ('<', Some(b'=')) => (P::Le, 2),
            ('<', _) => (P::Lt, 1),
            ('>', Some(b'=')) => (P::Ge, 2),
            ('>', _) => (P::Gt, 1),
            ('=', Some(b'~')) => (P::RegexMatch, 2),
            ('=', _) => (P::Eq, 1),
            ('!', Some(b'=')) => (P::Neq, 2),
            ('!', _) => (P::Bang, 1),
            ('(', _) => (P::LParen, 1),
            (')', _) => (P::RParen, 1),
            ('[', _) => (P::LBracket, 1),
            (']', _) => (P::RBracket, 1),
            ('{', _) => (P::LBrace, 1),
            ('}', _) => (P::RBrace, 1),
            (',', _) => (P::Comma, 1),
            (';', _) => (P::Semi, 1),
            ('&', _) => (P::Amp, 1),
            ('%', _) => (P::Percent, 1),
            ('-', _) => (P::Minus, 1),
            ('*', _) => (P::Star, 1),
            ('/', _) => (P::Slash, 1),
            ('^', _) => (P::Caret, 1),
            _ => {
                let end = start + c.len_utf8();
                let error = self.error(start, end, &format!("unexpected character `{c}`"));
                return Err(if c.is_ascii() {
                    error
                } else {
                    error.with_detail(ErrorDetail::InvalidUnicodeCharacter)
                });
            }
        };
        self.pos += width;
        Ok(p)
    }
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_name_part(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// The value of a string literal token (quotes included in `raw`).
pub(crate) fn unescape_string(raw: &str) -> String {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(kind @ ('u' | 'U')) => {
                let digits = if kind == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(digits).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other @ ('\\' | '\'' | '"' | '`')) => out.push(other),
            // Unknown escapes are kept as written.
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The name a quoted-name token stands for (doubled backticks undone).
pub(crate) fn unquote_name(raw: &str) -> String {
    raw.get(1..raw.len().saturating_sub(1))
        .unwrap_or("")
        .replace("``", "`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn relationship_arrows_lex_as_separate_punctuation() {
        assert_eq!(
            kinds("<-->"),
            [
                Tok::P(P::Lt),
                Tok::P(P::Minus),
                Tok::P(P::Minus),
                Tok::P(P::Gt),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn ranges_are_not_floats() {
        assert_eq!(
            kinds("1..3"),
            [Tok::Int, Tok::P(P::DotDot), Tok::Int, Tok::Eof]
        );
        assert_eq!(kinds(".5"), [Tok::Float, Tok::Eof]);
        assert_eq!(
            kinds("1_000 0x1F 0o17 1.5e-3 2E10"),
            [
                Tok::Int,
                Tok::Int,
                Tok::Int,
                Tok::Float,
                Tok::Float,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn digits_run_into_letters_are_one_token_for_the_parser_to_judge() {
        let kinds: Vec<Tok> = lex("RETURN 12ab, 3")
            .unwrap()
            .iter()
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                Tok::Ident,
                Tok::BadNumber,
                Tok::P(P::Comma),
                Tok::Int,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(unescape_string(r"'a\'b\n\u0041'"), "a'b\nA");
        assert_eq!(unescape_string(r"'a\qb\\'"), r"a\qb\");
        assert_eq!(unquote_name("`a``b`"), "a`b");
    }

    #[test]
    fn malformed_literals_are_rejected() {
        assert_eq!(lex("RETURN 'abc").unwrap_err().offset, 7);
        assert_eq!(lex("RETURN 0x").unwrap_err().offset, 7);
        assert_eq!(lex("/* open").unwrap_err().offset, 0);
    }
}
