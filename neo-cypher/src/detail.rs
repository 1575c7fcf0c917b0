//! What kind of mistake an error reports, in the terms of Neo4j and of the
//! openCypher TCK.

use std::fmt;

/// The classification of a [`SyntaxError`](crate::SyntaxError): the detail
/// the openCypher TCK names (`a SyntaxError should be raised at compile
/// time: UndefinedVariable`) and, through [`status_code`](Self::status_code),
/// the status code Neo4j reports for it.
///
/// ```
/// use neo_cypher::ErrorDetail;
///
/// let error = neo_cypher::parse("MATCH (a) RETURN b").unwrap_err();
/// assert_eq!(error.detail(), ErrorDetail::UndefinedVariable);
/// assert_eq!(error.detail().name(), "UndefinedVariable");
/// assert_eq!(error.code(), "Neo.ClientError.Statement.SyntaxError");
///
/// let error = neo_cypher::parse("MATCH (a) RETRUN a").unwrap_err();
/// assert_eq!(error.detail(), ErrorDetail::Syntax);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorDetail {
    /// Text that does not follow the grammar (the TCK's `UnexpectedSyntax`).
    Syntax,
    /// A variable used where it is not in scope.
    UndefinedVariable,
    /// A variable bound again where that is not allowed.
    VariableAlreadyBound,
    /// A variable used as a node, a relationship, a path or a value in
    /// conflicting ways.
    VariableTypeConflict,
    /// An argument or operand whose type cannot be the one required.
    InvalidArgumentType,
    /// A function called with too few or too many arguments.
    InvalidNumberOfArguments,
    /// A function that does not exist.
    UnknownFunction,
    /// An aggregating function inside another.
    NestedAggregation,
    /// An aggregation next to an expression that is not a grouping key.
    AmbiguousAggregationExpression,
    /// An aggregating function where none is allowed.
    InvalidAggregation,
    /// An expression that must be constant but refers to variables.
    NonConstantExpression,
    /// A negative number where a non-negative integer is required.
    NegativeIntegerArgument,
    /// A value of the right type that can never be valid (`LIMIT 1.5`).
    InvalidArgumentValue,
    /// A parameter where parameters are not allowed.
    InvalidParameterUse,
    /// A relationship to create without exactly one type.
    NoSingleRelationshipType,
    /// A relationship to create without a direction.
    RequiresDirectedRelationship,
    /// A variable-length relationship to create.
    CreatingVarLength,
    /// Something `DELETE` cannot delete.
    InvalidDelete,
    /// One relationship variable for several relationships of a pattern.
    RelationshipUniquenessViolation,
    /// Clauses combined in a way that is not allowed.
    InvalidClauseComposition,
    /// `UNION` parts that return different columns.
    DifferentColumnsInUnion,
    /// Two columns with the same name.
    ColumnNameConflict,
    /// A `WITH` expression without an alias.
    NoExpressionAlias,
    /// `RETURN *` or `WITH *` with no variable in scope.
    NoVariablesInScope,
    /// A relationship pattern that is not allowed where it is written.
    InvalidRelationshipPattern,
    /// An argument passed in a way the callee does not allow
    /// (`DISTINCT` for a function that does not aggregate).
    InvalidArgumentPassingMode,
    /// An integer literal outside the 64-bit range.
    IntegerOverflow,
    /// A float literal outside the 64-bit range.
    FloatingPointOverflow,
    /// A malformed number literal.
    InvalidNumberLiteral,
    /// A malformed `\u` escape in a string literal.
    InvalidUnicodeLiteral,
    /// A character that cannot appear where it is written.
    InvalidUnicodeCharacter,
    /// A query that nests deeper than the parser allows.
    NestingTooDeep,
}

impl ErrorDetail {
    /// The name of the detail as the openCypher TCK writes it; parser
    /// errors are `UnexpectedSyntax`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorDetail::Syntax => "UnexpectedSyntax",
            ErrorDetail::UndefinedVariable => "UndefinedVariable",
            ErrorDetail::VariableAlreadyBound => "VariableAlreadyBound",
            ErrorDetail::VariableTypeConflict => "VariableTypeConflict",
            ErrorDetail::InvalidArgumentType => "InvalidArgumentType",
            ErrorDetail::InvalidNumberOfArguments => "InvalidNumberOfArguments",
            ErrorDetail::UnknownFunction => "UnknownFunction",
            ErrorDetail::NestedAggregation => "NestedAggregation",
            ErrorDetail::AmbiguousAggregationExpression => "AmbiguousAggregationExpression",
            ErrorDetail::InvalidAggregation => "InvalidAggregation",
            ErrorDetail::NonConstantExpression => "NonConstantExpression",
            ErrorDetail::NegativeIntegerArgument => "NegativeIntegerArgument",
            ErrorDetail::InvalidArgumentValue => "InvalidArgumentValue",
            ErrorDetail::InvalidParameterUse => "InvalidParameterUse",
            ErrorDetail::NoSingleRelationshipType => "NoSingleRelationshipType",
            ErrorDetail::RequiresDirectedRelationship => "RequiresDirectedRelationship",
            ErrorDetail::CreatingVarLength => "CreatingVarLength",
            ErrorDetail::InvalidDelete => "InvalidDelete",
            ErrorDetail::RelationshipUniquenessViolation => "RelationshipUniquenessViolation",
            ErrorDetail::InvalidClauseComposition => "InvalidClauseComposition",
            ErrorDetail::DifferentColumnsInUnion => "DifferentColumnsInUnion",
            ErrorDetail::ColumnNameConflict => "ColumnNameConflict",
            ErrorDetail::NoExpressionAlias => "NoExpressionAlias",
            ErrorDetail::NoVariablesInScope => "NoVariablesInScope",
            ErrorDetail::InvalidRelationshipPattern => "InvalidRelationshipPattern",
            ErrorDetail::InvalidArgumentPassingMode => "InvalidArgumentPassingMode",
            ErrorDetail::IntegerOverflow => "IntegerOverflow",
            ErrorDetail::FloatingPointOverflow => "FloatingPointOverflow",
            ErrorDetail::InvalidNumberLiteral => "InvalidNumberLiteral",
            ErrorDetail::InvalidUnicodeLiteral => "InvalidUnicodeLiteral",
            ErrorDetail::InvalidUnicodeCharacter => "InvalidUnicodeCharacter",
            ErrorDetail::NestingTooDeep => "NestingTooDeep",
        }
    }

    /// The Neo4j status code of an error with this detail. Every detail is
    /// a `Neo.ClientError.Statement.SyntaxError`, as Neo4j reports the
    /// errors its parser and semantic analysis find, except where
    /// [`SyntaxError::code`](crate::SyntaxError::code) says otherwise for
    /// a particular error.
    ///
    /// ```
    /// use neo_cypher::ErrorDetail;
    ///
    /// assert_eq!(
    ///     ErrorDetail::VariableAlreadyBound.status_code(),
    ///     "Neo.ClientError.Statement.SyntaxError"
    /// );
    /// ```
    pub fn status_code(self) -> &'static str {
        codes::SYNTAX_ERROR
    }
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Neo4j status codes the errors carry.
pub(crate) mod codes {
    /// Errors of the parser and of the semantic analysis.
    pub(crate) const SYNTAX_ERROR: &str = "Neo.ClientError.Statement.SyntaxError";
    /// A value that can never have the type an operation needs, found
    /// before the query runs (property access on a literal number).
    pub(crate) const TYPE_ERROR: &str = "Neo.ClientError.Statement.TypeError";
}
