//! Schema and administration commands, and `SHOW …`.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::{P, Tok};

const INDEX_KINDS: &[&str] = &[
    "RANGE", "TEXT", "POINT", "LOOKUP", "FULLTEXT", "VECTOR", "BTREE",
];

/// Words that can name what `SHOW` lists.
const SHOW_NOUNS: &[&str] = &[
    "DATABASE",
    "DATABASES",
    "INDEX",
    "INDEXES",
    "CONSTRAINT",
    "CONSTRAINTS",
    "PROCEDURE",
    "PROCEDURES",
    "FUNCTION",
    "FUNCTIONS",
    "TRANSACTION",
    "TRANSACTIONS",
    "SETTING",
    "SETTINGS",
    "USER",
    "USERS",
    "ROLE",
    "ROLES",
    "PRIVILEGE",
    "PRIVILEGES",
    "ALIAS",
    "ALIASES",
    "SERVER",
    "SERVERS",
];

/// Words that may qualify the noun (`SHOW RANGE INDEXES`, `SHOW CURRENT USER`, …).
const SHOW_WORDS: &[&str] = &[
    "ALL",
    "BUILT",
    "IN",
    "USER",
    "DEFINED",
    "HOME",
    "DEFAULT",
    "CURRENT",
    "POPULATED",
    "ROLE",
    "USER",
    "PRIVILEGE",
    "AS",
    "REVOKE",
    "GRANT",
    "COMMANDS",
    "COMMAND",
    "EXECUTABLE",
    "BY",
    "EXISTENCE",
    "EXIST",
    "EXISTS",
    "KEY",
    "NODE",
    "REL",
    "RELATIONSHIP",
    "UNIQUE",
    "UNIQUENESS",
    "PROPERTY",
    "TYPE",
    "RANGE",
    "TEXT",
    "POINT",
    "LOOKUP",
    "FULLTEXT",
    "VECTOR",
    "BTREE",
    "FOR",
    "WITH",
    "AUTH",
    "USERS",
    "ROLES",
    "ALIASES",
    "SUPPORTED",
];

/// Leading keyword pairs of administration commands that are recognised
/// without checking their bodies.
const ADMIN_OBJECTS: &[&str] = &["USER", "ROLE", "ALIAS", "SERVER", "AUTH"];

impl Parser<'_> {
    /// A command, or `None` when the statement is a query.
    pub(super) fn command(&mut self) -> PResult<Option<Command>> {
        let start = self.span().start;
        let kind = if self.at_kw("CREATE") && self.at_name_n(1) && !self.at_n(2, P::Eq) {
            self.pos += 1;
            let or_replace = self.at_kw("OR") && self.at_kw_n(1, "REPLACE");
            if or_replace {
                self.pos += 2;
            }
            if self.at_kw("CONSTRAINT") {
                self.pos += 1;
                self.create_constraint()?
            } else if self.at_kw("INDEX")
                || (INDEX_KINDS.iter().any(|k| self.at_kw(k)) && self.at_kw_n(1, "INDEX"))
            {
                self.create_index()?
            } else if self.at_kw("DATABASE")
                || (self.at_kw("COMPOSITE") && self.at_kw_n(1, "DATABASE"))
            {
                self.database("CREATE")?
            } else if let Some(kind) = self.admin("CREATE") {
                kind
            } else {
                self.hint_keywords(&["INDEX", "CONSTRAINT", "DATABASE"]);
                return self.fail("`INDEX`, `CONSTRAINT`, `DATABASE` or a pattern");
            }
        } else if self.at_kw("DROP") {
            self.pos += 1;
            if self.eat_kw("INDEX") {
                let name = self.schema_name()?;
                let if_exists = self.if_exists()?;
                CommandKind::DropIndex { name, if_exists }
            } else if self.eat_kw("CONSTRAINT") {
                let name = self.schema_name()?;
                let if_exists = self.if_exists()?;
                CommandKind::DropConstraint { name, if_exists }
            } else if self.at_kw("DATABASE")
                || (self.at_kw("COMPOSITE") && self.at_kw_n(1, "DATABASE"))
            {
                self.database("DROP")?
            } else if let Some(kind) = self.admin("DROP") {
                kind
            } else {
                self.note(super::Expect::Keyword("DATABASE"));
                return Err(super::Fail);
            }
        } else if (self.at_kw("ALTER") || self.at_kw("START") || self.at_kw("STOP"))
            && self.at_kw_n(1, "DATABASE")
        {
            let action = self.bump_text().to_ascii_uppercase();
            self.database(&action)?
        } else if self.at_kw("ALTER") || self.at_kw("RENAME") {
            let action = self.text(self.token(0)).to_ascii_uppercase();
            self.pos += 1;
            match self.admin(&action) {
                Some(kind) => kind,
                None => return self.fail("`DATABASE`, `USER`, `ROLE`, `ALIAS` or `SERVER`"),
            }
        } else if [
            "GRANT",
            "DENY",
            "REVOKE",
            "ENABLE",
            "DEALLOCATE",
            "REALLOCATE",
            "DRYRUN",
        ]
        .iter()
        .any(|k| self.at_kw(k))
            && !matches!(self.kind_at(1), Tok::Eof | Tok::P(_))
        {
            let command = self.bump_text().to_ascii_uppercase();
            self.skip_balanced()?;
            CommandKind::Admin { command }
        } else {
            return Ok(None);
        };
        self.symbols.writes = true;
        Ok(Some(Command {
            kind,
            span: self.since(start),
        }))
    }

    /// `USER …`, `ROLE …`, … after `action`: recognised, body skipped.
    fn admin(&mut self, action: &str) -> Option<CommandKind> {
        let object = ADMIN_OBJECTS.iter().find(|k| self.at_kw(k))?;
        self.pos += 1;
        let command = format!("{action} {object}");
        self.skip_balanced().ok()?;
        Some(CommandKind::Admin { command })
    }

    /// Consumes the rest of the statement, checking brackets balance.
    fn skip_balanced(&mut self) -> PResult<()> {
        let mut stack = Vec::new();
        loop {
            match self.kind() {
                Tok::Eof => break,
                Tok::P(P::Semi) if stack.is_empty() => break,
                Tok::P(open @ (P::LParen | P::LBracket | P::LBrace)) => stack.push(open),
                Tok::P(close @ (P::RParen | P::RBracket | P::RBrace)) => {
                    let open = match close {
                        P::RParen => P::LParen,
                        P::RBracket => P::LBracket,
                        _ => P::LBrace,
                    };
                    if stack.pop() != Some(open) {
                        return self.fail("balanced brackets");
                    }
                }
                Tok::Param => {
                    let token = self.token(0);
                    self.record_parameter(token);
                }
                _ => {}
            }
            self.pos += 1;
        }
        if !stack.is_empty() {
            return self.fail("a closing bracket");
        }
        Ok(())
    }

    fn if_exists(&mut self) -> PResult<bool> {
        if self.at_kw("IF") {
            self.pos += 1;
            self.expect_kw("EXISTS")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn if_not_exists(&mut self) -> PResult<bool> {
        if self.at_kw("IF") {
            self.pos += 1;
            self.expect_kw("NOT")?;
            self.expect_kw("EXISTS")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// An index/constraint/database name: a name or `$param`.
    fn schema_name(&mut self) -> PResult<Name> {
        let token = self.token(0);
        if token.kind == Tok::Param {
            self.pos += 1;
            let name = self.record_parameter(token);
            return Ok(Name {
                name: format!("${name}"),
                span: token.span,
            });
        }
        self.dotted_name()
    }

    /// The optional name before `IF NOT EXISTS` / `FOR`.
    fn optional_schema_name(&mut self) -> PResult<Option<Name>> {
        if self.kind() == Tok::Param
            || (self.at_name()
                && !self.at_kw("FOR")
                && !(self.at_kw("IF") && self.at_kw_n(1, "NOT")))
        {
            if self.at_kw("ON") && !matches!(self.kind_at(1), Tok::Ident | Tok::Quoted) {
                return Ok(None);
            }
            return Ok(Some(self.schema_name()?));
        }
        Ok(None)
    }

    fn options(&mut self) -> PResult<Option<Expr>> {
        if self.eat_kw("OPTIONS") {
            Ok(Some(self.primary_expr()?))
        } else {
            Ok(None)
        }
    }

    fn create_index(&mut self) -> PResult<CommandKind> {
        let kind = if self.at_kw("INDEX") {
            "RANGE".to_owned()
        } else {
            self.bump_text().to_ascii_uppercase()
        };
        self.expect_kw("INDEX")?;
        let name = self.optional_schema_name()?;
        let if_not_exists = self.if_not_exists()?;
        self.expect_kw("FOR")?;
        let target = self.schema_target()?;
        self.expect_kw("ON")?;
        let mut properties = Vec::new();
        if self.eat_kw("EACH") {
            if self.eat(P::LBracket) {
                properties = self.property_list(&target, P::RBracket)?;
            } else {
                // `ON EACH labels(n)` / `ON EACH type(r)`.
                self.name()?;
                self.expect(P::LParen)?;
                self.name()?;
                self.expect(P::RParen)?;
            }
        } else {
            self.expect(P::LParen)?;
            properties = self.property_list(&target, P::RParen)?;
        }
        let options = self.options()?;
        Ok(CommandKind::CreateIndex(IndexDefinition {
            name,
            kind,
            if_not_exists,
            target,
            properties,
            options,
        }))
    }

    /// `n.a, n.b` up to `close`.
    fn property_list(&mut self, target: &SchemaTarget, close: P) -> PResult<Vec<Name>> {
        let mut properties = Vec::new();
        loop {
            properties.push(self.schema_property(target)?);
            if !self.eat(P::Comma) {
                break;
            }
        }
        self.expect(close)?;
        Ok(properties)
    }

    /// `n.p` where `n` is the target's variable.
    fn schema_property(&mut self, target: &SchemaTarget) -> PResult<Name> {
        let variable = self.name()?;
        if let Some(expected) = &target.variable
            && expected.name != variable.name
        {
            return self.fail_at(
                variable.span,
                format!("variable `{}` not defined", variable.name),
            );
        }
        self.expect(P::Dot)?;
        let key = self.name()?;
        self.symbols.property_keys.push(key.clone());
        Ok(key)
    }

    /// `(n:L)`, `(n:L|M)`, `(n)` or `()-[r:T]-()` (any direction).
    fn schema_target(&mut self) -> PResult<SchemaTarget> {
        self.expect(P::LParen)?;
        if self.eat(P::RParen) {
            self.eat(P::Lt);
            self.expect(P::Minus)?;
            self.expect(P::LBracket)?;
            let variable = if self.at_name() {
                Some(self.name()?)
            } else {
                None
            };
            let names = self.schema_names(true)?;
            self.expect(P::RBracket)?;
            self.expect(P::Minus)?;
            self.eat(P::Gt);
            self.expect(P::LParen)?;
            self.expect(P::RParen)?;
            return Ok(SchemaTarget {
                variable,
                names,
                relationship: true,
            });
        }
        let variable = if self.at_name() {
            Some(self.name()?)
        } else {
            None
        };
        let names = self.schema_names(false)?;
        self.expect(P::RParen)?;
        Ok(SchemaTarget {
            variable,
            names,
            relationship: false,
        })
    }

    fn schema_names(&mut self, relationship: bool) -> PResult<Vec<Name>> {
        let mut names = Vec::new();
        if self.eat(P::Colon) || self.eat_kw("IS") {
            loop {
                let name = self.name()?;
                self.record_label(&name, relationship);
                names.push(name);
                if !self.eat(P::Pipe) {
                    break;
                }
                self.eat(P::Colon);
            }
        }
        Ok(names)
    }

    fn create_constraint(&mut self) -> PResult<CommandKind> {
        let name = self.optional_schema_name()?;
        let if_not_exists = self.if_not_exists()?;
        if !self.eat_kw("FOR") {
            self.expect_kw("ON")?;
        }
        let target = self.schema_target()?;
        if !self.eat_kw("REQUIRE") {
            self.expect_kw("ASSERT")?;
        }
        let properties = if self.eat(P::LParen) {
            self.property_list(&target, P::RParen)?
        } else {
            vec![self.schema_property(&target)?]
        };
        self.expect_kw("IS")?;
        let start = self.span().start;
        if self.skip(P::ColonColon) || self.skip_kw("TYPED") {
            self.type_name()?;
        } else {
            let _ = self.skip_kw("NODE") || self.skip_kw("RELATIONSHIP") || self.skip_kw("REL");
            if self.skip_kw("NOT") {
                self.expect_kw("NULL")?;
            } else if !(self.skip_kw("UNIQUE") || self.skip_kw("KEY")) {
                self.hint_keywords(&["UNIQUE", "KEY", "NOT", "TYPED"]);
                return self.fail("`UNIQUE`, `KEY`, `NOT NULL` or `:: TYPE`");
            }
        }
        let rule = self.since(start).text(self.src).to_ascii_uppercase();
        let options = self.options()?;
        Ok(CommandKind::CreateConstraint(ConstraintDefinition {
            name,
            if_not_exists,
            target,
            properties,
            rule,
            options,
        }))
    }

    /// `[COMPOSITE] DATABASE name …` after CREATE/DROP/ALTER/START/STOP.
    fn database(&mut self, action: &str) -> PResult<CommandKind> {
        self.eat_kw("COMPOSITE");
        self.expect_kw("DATABASE")?;
        let name = self.schema_name()?;
        match action {
            "CREATE" => {
                self.if_not_exists()?;
                if self.eat_kw("TOPOLOGY") {
                    while matches!(self.kind(), Tok::Int | Tok::Param) {
                        self.pos += 1;
                        if self
                            .eat_one_of(&["PRIMARY", "PRIMARIES", "SECONDARY", "SECONDARIES"])
                            .is_none()
                        {
                            return Err(super::Fail);
                        }
                    }
                }
                self.options()?;
            }
            "DROP" => {
                self.if_exists()?;
                if self.eat_one_of(&["DUMP", "DESTROY"]).is_some() {
                    self.expect_kw("DATA")?;
                }
            }
            "ALTER" => {
                self.if_exists()?;
                let mut any = false;
                loop {
                    if self.eat_kw("SET") {
                        any = true;
                        if self.eat_kw("ACCESS") {
                            self.expect_kw("READ")?;
                            if self.eat_one_of(&["ONLY", "WRITE"]).is_none() {
                                return Err(super::Fail);
                            }
                        } else if self.eat_kw("TOPOLOGY") {
                            while matches!(self.kind(), Tok::Int | Tok::Param) {
                                self.pos += 1;
                                if self
                                    .eat_one_of(&[
                                        "PRIMARY",
                                        "PRIMARIES",
                                        "SECONDARY",
                                        "SECONDARIES",
                                    ])
                                    .is_none()
                                {
                                    return Err(super::Fail);
                                }
                            }
                        } else if self.eat_kw("OPTION") {
                            self.name()?;
                            self.expr()?;
                        } else {
                            return self.fail("`ACCESS`, `TOPOLOGY` or `OPTION`");
                        }
                    } else if self.eat_kw("REMOVE") {
                        any = true;
                        self.expect_kw("OPTION")?;
                        self.name()?;
                    } else {
                        break;
                    }
                }
                if !any {
                    return self.fail("`SET` or `REMOVE`");
                }
            }
            _ => {}
        }
        if self.eat_kw("WAIT") {
            if matches!(self.kind(), Tok::Int) {
                self.pos += 1;
                self.eat_one_of(&["SEC", "SECOND", "SECONDS"]);
            }
        } else {
            self.eat_kw("NOWAIT");
        }
        Ok(CommandKind::Database {
            action: action.to_owned(),
            name,
        })
    }

    /// After `SHOW`: the listed noun with its qualifiers, arguments, then
    /// `YIELD`/`WHERE`.
    pub(super) fn show(&mut self) -> PResult<Show> {
        let start = self.prev_end().saturating_sub("SHOW".len());
        let mut saw_noun = false;
        loop {
            if SHOW_NOUNS.iter().any(|k| self.at_kw(k)) {
                self.pos += 1;
                saw_noun = true;
                if self.at_kw("FOR")
                    || self.at_kw("AS")
                    || self.at_kw("WITH")
                    || self.at_kw("EXECUTABLE")
                {
                    continue;
                }
                // `SHOW ROLE a, b PRIVILEGES`, `SHOW USER $u PRIVILEGES`.
                if let Some(end) = self.names_before_privileges() {
                    while self.pos < end {
                        let token = self.bump();
                        if token.kind == Tok::Param {
                            self.record_parameter(token);
                        }
                    }
                    continue;
                }
                if !(self.at_kw("PRIVILEGES")
                    || self.at_kw("PRIVILEGE")
                    || self.at_kw("ROLES")
                    || self.at_kw("USERS"))
                {
                    break;
                }
            } else if SHOW_WORDS.iter().any(|k| self.at_kw(k)) {
                self.pos += 1;
            } else {
                break;
            }
        }
        if !saw_noun {
            self.hint_keywords(SHOW_NOUNS);
            return self.fail("what to show, e.g. `DATABASES` or `INDEXES`");
        }
        let command = self
            .since(start)
            .text(self.src)
            .split_whitespace()
            .map(str::to_ascii_uppercase)
            .collect::<Vec<_>>()
            .join(" ");
        self.show_tail(command)
    }

    /// The token index of `PRIVILEGE(S)` when only names, parameters and
    /// commas come before it.
    fn names_before_privileges(&self) -> Option<usize> {
        let mut ahead = 0;
        loop {
            let token = self.token(ahead);
            if ahead > 0
                && (self.is_keyword(token, "PRIVILEGES") || self.is_keyword(token, "PRIVILEGE"))
            {
                return Some(self.pos + ahead);
            }
            match token.kind {
                Tok::Ident | Tok::Quoted | Tok::Param | Tok::P(P::Comma) => ahead += 1,
                _ => return None,
            }
        }
    }

    /// Arguments, `YIELD` and `WHERE` of `SHOW`/`TERMINATE`.
    pub(super) fn show_tail(&mut self, command: String) -> PResult<Show> {
        let mut args = Vec::new();
        let at_clause_end = |p: &Self| {
            p.at_kw("YIELD")
                || p.at_kw("WHERE")
                || matches!(p.kind(), Tok::Eof | Tok::P(P::Semi) | Tok::P(P::RBrace))
                || super::statement::CLAUSE_KEYWORDS.iter().any(|k| p.at_kw(k))
        };
        if !at_clause_end(self) {
            args = self.expr_list()?;
        }
        let mut show = Show {
            command,
            args,
            yields: None,
            predicate: None,
        };
        if self.eat_kw("YIELD") {
            show.yields = Some(self.yield_items()?);
        } else {
            show.predicate = self.where_opt()?;
        }
        Ok(show)
    }
}
