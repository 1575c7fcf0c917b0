//! Values as text for people: `Display` for [`Value`] and the types it
//! carries, in the notation of Neo4j's own tools.

use std::fmt::{self, Display, Formatter, Write};

use super::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime, Map,
    Node, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship, Value, Vector,
};

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// A value as Neo4j's tools write it: a string as its text (inside lists,
/// maps and properties quoted, with escapes), numbers, `null`,
/// `[1, "a"]`, `{name: "Ann"}`, `(:Person {name: "Ann"})`,
/// `[:KNOWS {since: 2010}]`, paths as
/// `(:A)-[:R]->(:B)`, temporal values in ISO 8601 (`2024-02-29`,
/// `13:45:07.25`, `2024-02-29T13:45:07+02:00`, `P1Y2M3DT4H5M6.5S`), points
/// as `point({srid: 4326, x: 12.5, y: 41.9})`, byte arrays in hexadecimal
/// (`0x01ff`).
///
/// A date-time with a zone id is written as its instant in UTC with the
/// zone after it (`2024-02-29T11:45:07Z[Europe/Paris]`): the offset of
/// the zone at that instant needs the rules of a time zone database.
///
/// ```
/// use neo_bolt::Value;
/// use neo_bolt::packstream::Date;
///
/// assert_eq!(Value::from("Ann").to_string(), "Ann");
/// assert_eq!(Value::from(vec![Value::from("Ann"), Value::Null]).to_string(), "[\"Ann\", null]");
/// assert_eq!(Value::Float(2.0).to_string(), "2.0");
/// assert_eq!(Value::Date(Date { days: 19_782 }).to_string(), "2024-02-29");
/// ```
impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(text) => f.write_str(text),
            other => write_nested(f, other),
        }
    }
}

/// A value inside another: strings quoted.
fn write_nested(f: &mut Formatter<'_>, value: &Value) -> fmt::Result {
    match value {
        Value::Null => f.write_str("null"),
        Value::Boolean(b) => write!(f, "{b}"),
        Value::Integer(i) => write!(f, "{i}"),
        Value::Float(x) => write_float(f, *x),
        Value::String(text) => write!(f, "{text:?}"),
        Value::Bytes(bytes) => {
            f.write_str("0x")?;
            bytes.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
        }
        Value::List(items) => {
            f.write_char('[')?;
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    f.write_str(", ")?;
                }
                write_nested(f, item)?;
            }
            f.write_char(']')
        }
        Value::Map(map) => write_map(f, map),
        Value::Node(node) => Display::fmt(node.as_ref(), f),
        Value::Relationship(relationship) => Display::fmt(relationship.as_ref(), f),
        Value::UnboundRelationship(relationship) => Display::fmt(relationship.as_ref(), f),
        Value::Path(path) => Display::fmt(path.as_ref(), f),
        Value::Date(date) => Display::fmt(date, f),
        Value::Time(time) => Display::fmt(time, f),
        Value::LocalTime(time) => Display::fmt(time, f),
        Value::DateTime(time) => Display::fmt(time, f),
        Value::DateTimeZoneId(time) => Display::fmt(time, f),
        Value::LegacyDateTimeZoneId(time) => Display::fmt(time, f),
        Value::LocalDateTime(time) => Display::fmt(time, f),
        Value::Duration(duration) => Display::fmt(duration, f),
        Value::Point2D(point) => Display::fmt(point, f),
        Value::Point3D(point) => Display::fmt(point, f),
        Value::Vector(vector) => Display::fmt(vector, f),
        Value::Unsupported(placeholder) => write!(f, "<{placeholder}>"),
    }
}

/// A float as Cypher writes it: always with a point or an exponent.
fn write_float(f: &mut Formatter<'_>, x: f64) -> fmt::Result {
    if x.is_nan() {
        f.write_str("NaN")
    } else if x.is_infinite() {
        f.write_str(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        write!(f, "{x:?}")
    }
}

/// `{key: value, …}`, keys quoted with backticks unless they are plain
/// names.
fn write_map(f: &mut Formatter<'_>, map: &Map) -> fmt::Result {
    f.write_char('{')?;
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write_name(f, key)?;
        f.write_str(": ")?;
        write_nested(f, value)?;
    }
    f.write_char('}')
}

/// A label, type or key, quoted with backticks unless it is a plain name.
fn write_name(f: &mut Formatter<'_>, name: &str) -> fmt::Result {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        f.write_str(name)
    } else {
        write!(f, "`{}`", name.replace('`', "``"))
    }
}

/// `:Label`s and ` {properties}` when there are some.
fn write_labels_and_properties(
    f: &mut Formatter<'_>,
    labels: &[String],
    properties: &Map,
) -> fmt::Result {
    for label in labels {
        f.write_char(':')?;
        write_name(f, label)?;
    }
    if !properties.is_empty() {
        if !labels.is_empty() {
            f.write_char(' ')?;
        }
        write_map(f, properties)?;
    }
    Ok(())
}

/// `(:Person {name: "Ann"})`.
impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        write_labels_and_properties(f, &self.labels, &self.properties)?;
        f.write_char(')')
    }
}

/// `[:KNOWS {since: 2010}]`.
impl Display for Relationship {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        write_labels_and_properties(f, std::slice::from_ref(&self.rel_type), &self.properties)?;
        f.write_char(']')
    }
}

/// `[:KNOWS {since: 2010}]`.
impl Display for UnboundRelationship {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        write_labels_and_properties(f, std::slice::from_ref(&self.rel_type), &self.properties)?;
        f.write_char(']')
    }
}

/// `(:A)-[:R]->(:B)<-[:S]-(:C)`, each step in the direction of its
/// relationship.
impl Display for Path {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (Some(start), Some(segments)) = (self.start(), self.segments()) else {
            return f.write_str("<a path whose indices do not fit its nodes>");
        };
        Display::fmt(start, f)?;
        for segment in segments {
            let forwards = segment.relationship.start_node_id == segment.start.id;
            f.write_str(if forwards { "-" } else { "<-" })?;
            Display::fmt(&segment.relationship, f)?;
            f.write_str(if forwards { "->" } else { "-" })?;
            Display::fmt(segment.end, f)?;
        }
        Ok(())
    }
}

/// A year as ISO 8601 writes it: four digits, signed beyond them.
fn write_year(f: &mut Formatter<'_>, year: i64) -> fmt::Result {
    match year {
        0..=9999 => write!(f, "{year:04}"),
        ..0 => write!(f, "-{:04}", year.unsigned_abs()),
        _ => write!(f, "+{year}"),
    }
}

/// `2024-02-29`.
impl Display for Date {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.to_ymd();
        write_year(f, year)?;
        write!(f, "-{month:02}-{day:02}")
    }
}

/// `hh:mm:ss` and the fraction of the second, without trailing zeros.
fn write_time_of_day(f: &mut Formatter<'_>, nanoseconds: i64) -> fmt::Result {
    let seconds = nanoseconds.div_euclid(NANOS_PER_SECOND);
    let fraction = nanoseconds.rem_euclid(NANOS_PER_SECOND);
    write!(
        f,
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )?;
    write_fraction(f, fraction)
}

/// `.25` for 250 000 000 nanoseconds; nothing for none.
fn write_fraction(f: &mut Formatter<'_>, nanoseconds: i64) -> fmt::Result {
    if nanoseconds == 0 {
        return Ok(());
    }
    let digits = format!("{:09}", nanoseconds.unsigned_abs());
    write!(f, ".{}", digits.trim_end_matches('0'))
}

/// `Z`, `+02:00`, `-05:30`, `+00:00:30`.
fn write_offset(f: &mut Formatter<'_>, offset_seconds: i64) -> fmt::Result {
    if offset_seconds == 0 {
        return f.write_char('Z');
    }
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let seconds = offset_seconds.unsigned_abs();
    write!(f, "{sign}{:02}:{:02}", seconds / 3600, seconds / 60 % 60)?;
    if !seconds.is_multiple_of(60) {
        write!(f, ":{:02}", seconds % 60)?;
    }
    Ok(())
}

/// A date and time of day, from seconds since the epoch as if in UTC.
fn write_date_time(f: &mut Formatter<'_>, seconds: i64, nanoseconds: i64) -> fmt::Result {
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
    Display::fmt(&Date { days }, f)?;
    f.write_char('T')?;
    write_time_of_day(
        f,
        second_of_day * NANOS_PER_SECOND + nanoseconds.rem_euclid(NANOS_PER_SECOND),
    )
}

/// `13:45:07.25`.
impl Display for LocalTime {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_time_of_day(f, self.nanoseconds)
    }
}

/// `13:45:07+02:00`.
impl Display for Time {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_time_of_day(f, self.nanoseconds)?;
        write_offset(f, self.tz_offset_seconds)
    }
}

/// `2024-02-29T13:45:07`.
impl Display for LocalDateTime {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_date_time(f, self.seconds, self.nanoseconds)
    }
}

/// `2024-02-29T13:45:07+02:00`: the wall-clock time at the offset.
impl Display for DateTime {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_date_time(f, self.local_seconds(), self.nanoseconds)?;
        write_offset(f, self.tz_offset_seconds)
    }
}

/// `2024-02-29T11:45:07Z[Europe/Paris]`: the instant in UTC, then the
/// zone (its offset at that instant needs a time zone database).
impl Display for DateTimeZoneId {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_date_time(f, self.seconds, self.nanoseconds)?;
        write!(f, "Z[{}]", self.tz_id)
    }
}

/// `2024-02-29T13:45:07[Europe/Paris]`: the wall-clock time in the zone.
impl Display for LegacyDateTimeZoneId {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_date_time(f, self.local_seconds, self.nanoseconds)?;
        write!(f, "[{}]", self.tz_id)
    }
}

/// ISO 8601, as Neo4j writes durations: `P1Y2M3DT4H5M6.5S`, `PT-1M-30S`,
/// `PT0S`; months as years and months, seconds as hours, minutes and
/// seconds, each part with its sign.
impl Display for Duration {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('P')?;
        let (years, months) = (self.months / 12, self.months % 12);
        for (amount, unit) in [(years, 'Y'), (months, 'M'), (self.days, 'D')] {
            if amount != 0 {
                write!(f, "{amount}{unit}")?;
            }
        }
        let nanoseconds =
            i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanoseconds);
        let seconds = nanoseconds / i128::from(NANOS_PER_SECOND);
        let fraction = nanoseconds % i128::from(NANOS_PER_SECOND);
        let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        if hours == 0 && minutes == 0 && seconds == 0 && fraction == 0 {
            if self.months == 0 && self.days == 0 {
                f.write_str("T0S")?;
            }
            return Ok(());
        }
        f.write_char('T')?;
        if hours != 0 {
            write!(f, "{hours}H")?;
        }
        if minutes != 0 {
            write!(f, "{minutes}M")?;
        }
        if seconds != 0 || fraction != 0 {
            if seconds == 0 && fraction < 0 {
                f.write_char('-')?;
            }
            write!(f, "{seconds}")?;
            // `fraction` is below a second, so it fits an `i64`.
            write_fraction(f, i64::try_from(fraction.abs()).unwrap_or(0))?;
            f.write_char('S')?;
        }
        Ok(())
    }
}

/// `point({srid: 4326, x: 12.5, y: 41.9})`.
impl Display for Point2D {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "point({{srid: {}, x: ", self.srid)?;
        write_float(f, self.x)?;
        f.write_str(", y: ")?;
        write_float(f, self.y)?;
        f.write_str("})")
    }
}

/// `point({srid: 4979, x: 12.5, y: 41.9, z: 21.0})`.
impl Display for Point3D {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "point({{srid: {}, x: ", self.srid)?;
        write_float(f, self.x)?;
        f.write_str(", y: ")?;
        write_float(f, self.y)?;
        f.write_str(", z: ")?;
        write_float(f, self.z)?;
        f.write_str("})")
    }
}

/// `vector([1.0, 2.5], 2, FLOAT32 NOT NULL)`, as Cypher's `vector()`
/// function builds it.
impl Display for Vector {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("vector([")?;
        match self.to_i64_vec() {
            Some(integers) => {
                for (index, item) in integers.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
            }
            None => {
                for (index, item) in self.to_f64_vec().into_iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write_float(f, item)?;
                }
            }
        }
        write!(
            f,
            "], {}, {} NOT NULL)",
            self.len(),
            self.element_type().cypher_name()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: impl Into<Value>) -> String {
        value.into().to_string()
    }

    #[test]
    fn scalars_and_collections() {
        assert_eq!(text(Value::Null), "null");
        assert_eq!(text(true), "true");
        assert_eq!(text(-42), "-42");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(1e300), "1e300");
        assert_eq!(text(f64::NAN), "NaN");
        assert_eq!(text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(text("a \"quoted\"\nline"), "a \"quoted\"\nline");
        assert_eq!(text(Value::Bytes(vec![0x01, 0xff])), "0x01ff");
        assert_eq!(
            text(vec![
                Value::from("a\"b"),
                Value::from(1.0),
                Value::List(vec![])
            ]),
            "[\"a\\\"b\", 1.0, []]"
        );
        let map: Map = [
            ("name".to_owned(), Value::from("Ann")),
            ("odd key".to_owned(), Value::from(1)),
            ("`x`".to_owned(), Value::Null),
        ]
        .into();
        assert_eq!(text(map), "{```x```: null, name: \"Ann\", `odd key`: 1}");
    }

    #[test]
    fn graph_values() {
        let ann = Node::new(1, ["Person", "Admin"], [("name", Value::from("Ann"))]);
        let bob = Node::new(2, ["Person"], Vec::<(&str, Value)>::new());
        assert_eq!(ann.to_string(), "(:Person:Admin {name: \"Ann\"})");
        assert_eq!(
            Node::new(3, Vec::<&str>::new(), Vec::<(&str, Value)>::new()).to_string(),
            "()"
        );
        let knows = UnboundRelationship {
            id: 7,
            rel_type: "KNOWS".to_owned(),
            properties: [("since".to_owned(), Value::from(2010))].into(),
            element_id: "5:x:7".to_owned(),
        };
        assert_eq!(knows.to_string(), "[:KNOWS {since: 2010}]");
        assert_eq!(knows.bind(&ann, &bob).to_string(), "[:KNOWS {since: 2010}]");
        // Ann -> Bob, then Bob <- Ann walked backwards from Bob.
        let path = Path {
            nodes: vec![ann, bob],
            relationships: vec![knows],
            indices: vec![1, 1, -1, 0],
        };
        assert_eq!(
            text(path),
            "(:Person:Admin {name: \"Ann\"})-[:KNOWS {since: 2010}]->(:Person)\
             <-[:KNOWS {since: 2010}]-(:Person:Admin {name: \"Ann\"})"
        );
    }

    #[test]
    fn temporal_values_in_iso_8601() {
        assert_eq!(text(Date { days: 0 }), "1970-01-01");
        assert_eq!(text(Date { days: -719_529 }), "-0001-12-31");
        assert_eq!(text(Date::from_ymd(12_345, 6, 7).unwrap()), "+12345-06-07");
        let quarter_past = 13 * 3_600_000_000_000 + 45 * 60_000_000_000 + 7_250_000_000;
        assert_eq!(
            text(LocalTime {
                nanoseconds: quarter_past
            }),
            "13:45:07.25"
        );
        assert_eq!(
            text(Time {
                nanoseconds: quarter_past,
                tz_offset_seconds: -(5 * 3600 + 30 * 60)
            }),
            "13:45:07.25-05:30"
        );
        let leap_day = Date::from_ymd(2024, 2, 29).unwrap().days * SECONDS_PER_DAY;
        assert_eq!(
            text(LocalDateTime {
                seconds: leap_day + 49_507,
                nanoseconds: 1
            }),
            "2024-02-29T13:45:07.000000001"
        );
        assert_eq!(
            text(DateTime {
                seconds: leap_day + 49_507 - 7200,
                nanoseconds: 0,
                tz_offset_seconds: 7200
            }),
            "2024-02-29T13:45:07+02:00"
        );
        assert_eq!(
            text(DateTime {
                seconds: 0,
                nanoseconds: 0,
                tz_offset_seconds: 0
            }),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            text(DateTimeZoneId {
                seconds: leap_day + 42_307,
                nanoseconds: 0,
                tz_id: "Europe/Paris".to_owned()
            }),
            "2024-02-29T11:45:07Z[Europe/Paris]"
        );
        assert_eq!(
            text(Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds: leap_day + 49_507,
                nanoseconds: 0,
                tz_id: "Europe/Paris".to_owned()
            })),
            "2024-02-29T13:45:07[Europe/Paris]"
        );
    }

    #[test]
    fn durations_as_neo4j_writes_them() {
        let duration = |months, days, seconds, nanoseconds| {
            text(Duration {
                months,
                days,
                seconds,
                nanoseconds,
            })
        };
        assert_eq!(
            duration(14, 3, 4 * 3600 + 5 * 60 + 6, 500_000_000),
            "P1Y2M3DT4H5M6.5S"
        );
        assert_eq!(duration(0, 0, -90, 0), "PT-1M-30S");
        assert_eq!(duration(0, 0, -1, 500_000_000), "PT-0.5S");
        assert_eq!(duration(0, 0, 0, 0), "PT0S");
        assert_eq!(duration(0, 2, 0, 0), "P2D");
        assert_eq!(duration(-1, 0, 0, 0), "P-1M");
    }

    #[test]
    fn points_and_vectors() {
        assert_eq!(
            text(Point2D {
                srid: Point2D::WGS84,
                x: 12.5,
                y: 41.0
            }),
            "point({srid: 4326, x: 12.5, y: 41.0})"
        );
        assert_eq!(
            text(Point3D {
                srid: Point3D::CARTESIAN,
                x: 1.0,
                y: 2.0,
                z: -3.5
            }),
            "point({srid: 9157, x: 1.0, y: 2.0, z: -3.5})"
        );
        assert_eq!(
            text(Vector::F32(vec![1.0, 2.5])),
            "vector([1.0, 2.5], 2, FLOAT32 NOT NULL)"
        );
        assert_eq!(
            text(Vector::I8(vec![1, -2])),
            "vector([1, -2], 2, INTEGER8 NOT NULL)"
        );
    }
}
