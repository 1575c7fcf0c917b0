//! The built-in functions of Neo4j 5: names, numbers of arguments, the
//! argument types that can be decided from the text, and result types.
//! Function names are case-insensitive. Names with a namespace that are
//! not built in may be user-defined functions and are accepted as such.

use super::aggregation::Ctx;
use super::types::Ty;
use super::{Analyzer, Check, fail};
use crate::ErrorDetail;
use crate::ast::{Expr, ExprKind, Name};

/// What a function returns.
#[derive(Debug, Clone, Copy)]
pub(super) enum Returns {
    /// Always this type.
    Fixed(Ty),
    /// The type of the first argument (`abs`, `reverse`, `tail`).
    First,
    /// The element type of the first argument, a list (`head`, `last`).
    ElementOfFirst,
    /// Any of the arguments' types (`coalesce`).
    AnyArgument,
}

/// A built-in function.
#[derive(Debug)]
pub(super) struct Function {
    /// The name as documented.
    pub(super) name: &'static str,
    pub(super) min: usize,
    /// `usize::MAX` when variadic.
    pub(super) max: usize,
    pub(super) aggregate: bool,
    /// The types the arguments must meet, by position (the last applies to
    /// the rest), where Neo4j refuses other types before running the
    /// query: the functions of nodes, relationships and paths. Other
    /// functions check their arguments when they run (`range(true, 1)`
    /// is a runtime error), so they have none here.
    pub(super) args: &'static [Ty],
    pub(super) returns: Returns,
    /// Bare words may be passed that are not variables (`normalize(s,
    /// NFKC)`, the coordinate types of `vector`).
    pub(super) keyword_args: bool,
}

const fn f(
    name: &'static str,
    min: usize,
    max: usize,
    args: &'static [Ty],
    returns: Ty,
) -> Function {
    Function {
        name,
        min,
        max,
        aggregate: false,
        args,
        returns: Returns::Fixed(returns),
        keyword_args: false,
    }
}

const fn agg(name: &'static str, min: usize, args: &'static [Ty], returns: Ty) -> Function {
    Function {
        name,
        min,
        max: min,
        aggregate: true,
        args,
        returns: Returns::Fixed(returns),
        keyword_args: false,
    }
}

const fn with_returns(mut function: Function, returns: Returns) -> Function {
    function.returns = returns;
    function
}

const fn with_keywords(mut function: Function) -> Function {
    function.keyword_args = true;
    function
}

const ANY: Ty = Ty::ANY;
const NONE: &[Ty] = &[];
const VARIADIC: usize = usize::MAX;
const ENTITY: Ty = Ty::NODE.or(Ty::RELATIONSHIP);
const PROPERTIES: Ty = Ty::MAP.or(ENTITY);
const LIST_OR_STRING: Ty = Ty::LIST.or(Ty::STRING);
const NUMBER_OR_DURATION: Ty = Ty::NUMBER.or(Ty::DURATION);

/// Every built-in function of Neo4j 5 (and the few root-namespace
/// functions of Cypher 25, so that queries for newer servers are not
/// refused).
pub(super) const CATALOGUE: &[Function] = &[
    // Aggregating functions.
    agg("avg", 1, NONE, NUMBER_OR_DURATION),
    agg("collect", 1, NONE, Ty::LIST),
    agg("count", 1, NONE, Ty::INTEGER),
    agg("max", 1, NONE, ANY),
    agg("min", 1, NONE, ANY),
    agg("percentileCont", 2, NONE, Ty::FLOAT),
    agg("percentileDisc", 2, NONE, Ty::NUMBER),
    agg("stDev", 1, NONE, Ty::FLOAT),
    agg("stDevP", 1, NONE, Ty::FLOAT),
    agg("sum", 1, NONE, NUMBER_OR_DURATION),
    // Predicate functions (`all`, `any`, `none`, `single` have their own syntax).
    f("exists", 1, 1, NONE, Ty::BOOLEAN),
    f("isEmpty", 1, 1, NONE, Ty::BOOLEAN),
    // Scalar functions.
    f("char_length", 1, 1, NONE, Ty::INTEGER),
    f("character_length", 1, 1, NONE, Ty::INTEGER),
    with_returns(f("coalesce", 1, VARIADIC, NONE, ANY), Returns::AnyArgument),
    f("elementId", 1, 1, &[ENTITY], Ty::STRING),
    f("endNode", 1, 1, &[Ty::RELATIONSHIP], Ty::NODE),
    with_returns(f("head", 1, 1, NONE, ANY), Returns::ElementOfFirst),
    f("id", 1, 1, &[ENTITY], Ty::INTEGER),
    with_returns(f("last", 1, 1, NONE, ANY), Returns::ElementOfFirst),
    f("length", 1, 1, &[Ty::PATH], Ty::INTEGER),
    f("nullIf", 2, 2, NONE, ANY),
    f("properties", 1, 1, &[PROPERTIES], Ty::MAP),
    f("randomUUID", 0, 0, NONE, Ty::STRING),
    f("size", 1, 1, &[LIST_OR_STRING], Ty::INTEGER),
    f("startNode", 1, 1, &[Ty::RELATIONSHIP], Ty::NODE),
    f("timestamp", 0, 0, NONE, Ty::INTEGER),
    f("toBoolean", 1, 1, NONE, Ty::BOOLEAN),
    f("toBooleanOrNull", 1, 1, NONE, Ty::BOOLEAN),
    f("toFloat", 1, 1, NONE, Ty::FLOAT),
    f("toFloatOrNull", 1, 1, NONE, Ty::FLOAT),
    f("toInteger", 1, 1, NONE, Ty::INTEGER),
    f("toIntegerOrNull", 1, 1, NONE, Ty::INTEGER),
    f("type", 1, 1, &[Ty::RELATIONSHIP], Ty::STRING),
    f("valueType", 1, 1, NONE, Ty::STRING),
    // List functions.
    f("keys", 1, 1, &[PROPERTIES], Ty::list_of(Ty::STRING)),
    f("labels", 1, 1, &[Ty::NODE], Ty::list_of(Ty::STRING)),
    f("nodes", 1, 1, &[Ty::PATH], Ty::list_of(Ty::NODE)),
    f("range", 2, 3, NONE, Ty::list_of(Ty::INTEGER)),
    f(
        "relationships",
        1,
        1,
        &[Ty::PATH],
        Ty::list_of(Ty::RELATIONSHIP),
    ),
    with_returns(f("reverse", 1, 1, NONE, ANY), Returns::First),
    with_returns(f("tail", 1, 1, NONE, ANY), Returns::First),
    f("toBooleanList", 1, 1, NONE, Ty::list_of(Ty::BOOLEAN)),
    f("toFloatList", 1, 1, NONE, Ty::list_of(Ty::FLOAT)),
    f("toIntegerList", 1, 1, NONE, Ty::list_of(Ty::INTEGER)),
    f("toStringList", 1, 1, NONE, Ty::list_of(Ty::STRING)),
    // Mathematical functions.
    with_returns(f("abs", 1, 1, NONE, Ty::NUMBER), Returns::First),
    f("ceil", 1, 1, NONE, Ty::FLOAT),
    f("floor", 1, 1, NONE, Ty::FLOAT),
    f("isNaN", 1, 1, NONE, Ty::BOOLEAN),
    f("rand", 0, 0, NONE, Ty::FLOAT),
    f("round", 1, 3, NONE, Ty::FLOAT),
    f("sign", 1, 1, NONE, Ty::INTEGER),
    f("e", 0, 0, NONE, Ty::FLOAT),
    f("exp", 1, 1, NONE, Ty::FLOAT),
    f("log", 1, 1, NONE, Ty::FLOAT),
    f("log10", 1, 1, NONE, Ty::FLOAT),
    f("sqrt", 1, 1, NONE, Ty::FLOAT),
    f("acos", 1, 1, NONE, Ty::FLOAT),
    f("asin", 1, 1, NONE, Ty::FLOAT),
    f("atan", 1, 1, NONE, Ty::FLOAT),
    f("atan2", 2, 2, NONE, Ty::FLOAT),
    f("cos", 1, 1, NONE, Ty::FLOAT),
    f("cot", 1, 1, NONE, Ty::FLOAT),
    f("degrees", 1, 1, NONE, Ty::FLOAT),
    f("haversin", 1, 1, NONE, Ty::FLOAT),
    f("pi", 0, 0, NONE, Ty::FLOAT),
    f("radians", 1, 1, NONE, Ty::FLOAT),
    f("sin", 1, 1, NONE, Ty::FLOAT),
    f("tan", 1, 1, NONE, Ty::FLOAT),
    // String functions.
    f("btrim", 1, 2, NONE, Ty::STRING),
    f("left", 2, 2, NONE, Ty::STRING),
    f("lower", 1, 1, NONE, Ty::STRING),
    f("ltrim", 1, 2, NONE, Ty::STRING),
    with_keywords(f("normalize", 1, 2, NONE, Ty::STRING)),
    f("replace", 3, 3, NONE, Ty::STRING),
    f("right", 2, 2, NONE, Ty::STRING),
    f("rtrim", 1, 2, NONE, Ty::STRING),
    f("split", 2, 2, NONE, Ty::list_of(Ty::STRING)),
    f("substring", 2, 3, NONE, Ty::STRING),
    f("toLower", 1, 1, NONE, Ty::STRING),
    f("toString", 1, 1, NONE, Ty::STRING),
    f("toStringOrNull", 1, 1, NONE, Ty::STRING),
    f("toUpper", 1, 1, NONE, Ty::STRING),
    f("trim", 1, 2, NONE, Ty::STRING),
    f("upper", 1, 1, NONE, Ty::STRING),
    // Spatial functions.
    f("point", 1, 1, NONE, Ty::POINT),
    f("point.distance", 2, 2, NONE, Ty::FLOAT),
    f("point.withinBBox", 3, 3, NONE, Ty::BOOLEAN),
    // Temporal functions.
    f("date", 0, 1, NONE, Ty::DATE),
    f("date.realtime", 0, 1, NONE, Ty::DATE),
    f("date.statement", 0, 1, NONE, Ty::DATE),
    f("date.transaction", 0, 1, NONE, Ty::DATE),
    f("date.truncate", 2, 3, NONE, Ty::DATE),
    f("datetime", 0, 1, NONE, Ty::DATE_TIME),
    f("datetime.fromepoch", 2, 2, NONE, Ty::DATE_TIME),
    f("datetime.fromepochmillis", 1, 1, NONE, Ty::DATE_TIME),
    f("datetime.realtime", 0, 1, NONE, Ty::DATE_TIME),
    f("datetime.statement", 0, 1, NONE, Ty::DATE_TIME),
    f("datetime.transaction", 0, 1, NONE, Ty::DATE_TIME),
    f("datetime.truncate", 2, 3, NONE, Ty::DATE_TIME),
    f("localdatetime", 0, 1, NONE, Ty::LOCAL_DATE_TIME),
    f("localdatetime.realtime", 0, 1, NONE, Ty::LOCAL_DATE_TIME),
    f("localdatetime.statement", 0, 1, NONE, Ty::LOCAL_DATE_TIME),
    f("localdatetime.transaction", 0, 1, NONE, Ty::LOCAL_DATE_TIME),
    f("localdatetime.truncate", 2, 3, NONE, Ty::LOCAL_DATE_TIME),
    f("localtime", 0, 1, NONE, Ty::LOCAL_TIME),
    f("localtime.realtime", 0, 1, NONE, Ty::LOCAL_TIME),
    f("localtime.statement", 0, 1, NONE, Ty::LOCAL_TIME),
    f("localtime.transaction", 0, 1, NONE, Ty::LOCAL_TIME),
    f("localtime.truncate", 2, 3, NONE, Ty::LOCAL_TIME),
    f("time", 0, 1, NONE, Ty::TIME),
    f("time.realtime", 0, 1, NONE, Ty::TIME),
    f("time.statement", 0, 1, NONE, Ty::TIME),
    f("time.transaction", 0, 1, NONE, Ty::TIME),
    f("time.truncate", 2, 3, NONE, Ty::TIME),
    f("duration", 1, 1, NONE, Ty::DURATION),
    f("duration.between", 2, 2, NONE, Ty::DURATION),
    f("duration.inDays", 2, 2, NONE, Ty::DURATION),
    f("duration.inMonths", 2, 2, NONE, Ty::DURATION),
    f("duration.inSeconds", 2, 2, NONE, Ty::DURATION),
    // Vector functions.
    f("vector.similarity.cosine", 2, 2, NONE, Ty::FLOAT),
    f("vector.similarity.euclidean", 2, 2, NONE, Ty::FLOAT),
    // Graph and database functions.
    f("graph.names", 0, 0, NONE, Ty::list_of(Ty::STRING)),
    f("graph.propertiesByName", 1, 1, NONE, Ty::MAP),
    f("graph.byName", 1, 1, NONE, ANY),
    f("graph.byElementId", 1, 1, NONE, ANY),
    f("db.nameFromElementId", 1, 1, NONE, Ty::STRING),
    // `LOAD CSV` functions.
    f("file", 0, 0, NONE, Ty::STRING),
    f("linenumber", 0, 0, NONE, Ty::INTEGER),
    // Cypher 25 functions in the root namespace, arguments unchecked.
    with_keywords(f("vector", 0, VARIADIC, NONE, ANY)),
    with_keywords(f("vector_dimension_count", 0, VARIADIC, NONE, Ty::INTEGER)),
    with_keywords(f("vector_distance", 0, VARIADIC, NONE, Ty::FLOAT)),
    with_keywords(f("vector_norm", 0, VARIADIC, NONE, Ty::FLOAT)),
];

/// Functions whose result differs from call to call.
const NON_DETERMINISTIC: &[&str] = &["rand", "randomUUID"];

/// What a function name refers to.
pub(super) enum Resolved {
    /// A built-in function.
    Builtin(&'static Function),
    /// A name with a namespace: maybe a user-defined function.
    UserDefined,
    /// A name in the root namespace that no function has.
    Unknown,
}

/// Finds the function called `name` (case-insensitively).
pub(super) fn resolve(name: &str) -> Resolved {
    match CATALOGUE
        .iter()
        .find(|function| function.name.eq_ignore_ascii_case(name))
    {
        Some(function) => Resolved::Builtin(function),
        None if name.contains('.') => Resolved::UserDefined,
        None => Resolved::Unknown,
    }
}

impl<'a> Analyzer<'a> {
    /// Checks a function call and its arguments; returns its type.
    pub(super) fn function(
        &mut self,
        call: &'a Expr,
        name: &'a Name,
        distinct: bool,
        args: &'a [Expr],
        ctx: Ctx,
    ) -> Check<Ty> {
        let function = match resolve(&name.name) {
            Resolved::Builtin(function) => function,
            Resolved::Unknown if name.name.eq_ignore_ascii_case("distance") => {
                return fail(
                    name.span,
                    ErrorDetail::UnknownFunction,
                    "'distance' has been replaced by 'point.distance'",
                );
            }
            Resolved::Unknown if !self.newer_language => {
                let help = crate::suggest(&name.name, CATALOGUE.iter().map(|f| f.name))
                    .map(|s| format!("did you mean `{s}`?"));
                return Err(super::failure(
                    name.span,
                    ErrorDetail::UnknownFunction,
                    format!("Unknown function '{}'", name.name),
                )
                .with_help(help));
            }
            // A user-defined function, or one of a newer Cypher.
            Resolved::UserDefined | Resolved::Unknown => {
                for arg in args {
                    self.expr(arg, ctx.value())?;
                }
                return Ok(Ty::ANY);
            }
        };
        if function.name.starts_with("graph.by") {
            // `USE` clauses, where these belong, are not analysed.
            return fail(
                call.span,
                ErrorDetail::Syntax,
                format!(
                    "`{}` is only allowed at the first position of a USE clause.",
                    function.name
                ),
            );
        }
        if args.len() < function.min {
            return fail(
                call.span,
                ErrorDetail::InvalidNumberOfArguments,
                format!("Insufficient parameters for function '{}'", function.name),
            );
        }
        if args.len() > function.max {
            return fail(
                call.span,
                ErrorDetail::InvalidNumberOfArguments,
                format!("Too many parameters for function '{}'", function.name),
            );
        }
        if distinct && !function.aggregate {
            return fail(
                call.span,
                ErrorDetail::InvalidArgumentPassingMode,
                format!("Invalid use of DISTINCT with function '{}'", function.name),
            );
        }
        let arg_ctx = if function.aggregate {
            self.check_aggregation_allowed(call, &format!("{}(...)", function.name), ctx)?;
            Ctx {
                agg: super::aggregation::Agg::Inside,
                boolean: false,
            }
        } else {
            ctx.value()
        };
        if ctx.agg == super::aggregation::Agg::Inside
            && NON_DETERMINISTIC
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&name.name))
        {
            return fail(
                call.span,
                ErrorDetail::NonConstantExpression,
                "Can't use non-deterministic (random) functions inside of aggregate functions.",
            );
        }
        let mut types = Vec::with_capacity(args.len());
        for (index, arg) in args.iter().enumerate() {
            let ty = self.argument(function, index, arg, arg_ctx)?;
            if let Some(expected) = function.args.get(index).or(function.args.last())
                && !ty.meets(*expected)
            {
                return fail(
                    arg.span,
                    ErrorDetail::InvalidArgumentType,
                    format!(
                        "Type mismatch: expected {} but was {}",
                        expected.describe(),
                        ty.describe()
                    ),
                );
            }
            types.push(ty);
        }
        Ok(match function.returns {
            Returns::Fixed(ty) => ty,
            Returns::First => types.first().copied().unwrap_or(Ty::ANY),
            Returns::ElementOfFirst => types.first().map_or(Ty::ANY, |ty| {
                if ty.within(Ty::LIST) {
                    ty.elements()
                } else {
                    Ty::ANY
                }
            }),
            Returns::AnyArgument => types.iter().copied().reduce(Ty::or).unwrap_or(Ty::ANY),
        })
    }

    /// Checks one argument: `exists` takes a pattern as a predicate, `size`
    /// refuses one with its own message, keyword arguments are not
    /// variables.
    fn argument(
        &mut self,
        function: &Function,
        index: usize,
        arg: &'a Expr,
        ctx: Ctx,
    ) -> Check<Ty> {
        match &arg.kind {
            ExprKind::Pattern(part)
                if function.name == "size" && !super::expressions::is_shortest(part) =>
            {
                fail(
                    arg.span,
                    ErrorDetail::Syntax,
                    "A pattern expression should only be used in order to test the existence of a pattern. It can no longer be used inside the function size(), an alternative is to replace size() with COUNT {}.",
                )
            }
            ExprKind::Property(..) | ExprKind::Index(..) if function.name == "exists" => fail(
                arg.span,
                ErrorDetail::Syntax,
                "The property existence syntax `... exists(variable.property)` is no longer supported. Please use `variable.property IS NOT NULL` instead.",
            ),
            ExprKind::Pattern(_) if function.name == "exists" => self.expr(arg, ctx.predicate()),
            _ if function.name == "exists" => fail(
                arg.span,
                ErrorDetail::InvalidArgumentType,
                "Argument to exists(...) is not a pattern",
            ),
            ExprKind::Variable(word)
                if function.keyword_args
                    && (index > 0 || function.name != "normalize")
                    && self.scopes.lookup(word).is_none() =>
            {
                Ok(Ty::ANY)
            }
            _ => self.expr(arg, ctx),
        }
    }
}
