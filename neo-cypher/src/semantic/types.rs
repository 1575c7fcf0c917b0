//! What an expression can evaluate to, as far as the query text tells.
//!
//! A [`Ty`] is the set of kinds a value may have (null aside: any
//! expression may be null). The analysis only rejects a query when a set
//! has no kind in common with what an operation needs, so an unknown type
//! ([`Ty::ANY`]) never causes an error.

use std::fmt::Write;

/// A set of value kinds; for lists, also the kinds of their elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ty {
    kinds: u16,
    /// The kinds of list elements; meaningful when `kinds` has `LIST`.
    elements: u16,
}

const NODE: u16 = 1;
const RELATIONSHIP: u16 = 1 << 1;
const PATH: u16 = 1 << 2;
const BOOLEAN: u16 = 1 << 3;
const INTEGER: u16 = 1 << 4;
const FLOAT: u16 = 1 << 5;
const STRING: u16 = 1 << 6;
const LIST: u16 = 1 << 7;
const MAP: u16 = 1 << 8;
const POINT: u16 = 1 << 9;
const DATE: u16 = 1 << 10;
const TIME: u16 = 1 << 11;
const LOCAL_TIME: u16 = 1 << 12;
const DATE_TIME: u16 = 1 << 13;
const LOCAL_DATE_TIME: u16 = 1 << 14;
const DURATION: u16 = 1 << 15;
const ALL: u16 = u16::MAX;

/// Kind names for messages, in the order Neo4j lists them.
const NAMES: &[(u16, &str)] = &[
    (BOOLEAN, "Boolean"),
    (DATE, "Date"),
    (DATE_TIME, "DateTime"),
    (DURATION, "Duration"),
    (FLOAT, "Float"),
    (INTEGER, "Integer"),
    (LIST, "List<T>"),
    (LOCAL_DATE_TIME, "LocalDateTime"),
    (LOCAL_TIME, "LocalTime"),
    (MAP, "Map"),
    (NODE, "Node"),
    (PATH, "Path"),
    (POINT, "Point"),
    (RELATIONSHIP, "Relationship"),
    (STRING, "String"),
    (TIME, "Time"),
];

impl Ty {
    /// Anything: nothing is known.
    pub(super) const ANY: Ty = Ty::of(ALL);
    pub(super) const NODE: Ty = Ty::of(NODE);
    pub(super) const RELATIONSHIP: Ty = Ty::of(RELATIONSHIP);
    pub(super) const PATH: Ty = Ty::of(PATH);
    pub(super) const BOOLEAN: Ty = Ty::of(BOOLEAN);
    pub(super) const INTEGER: Ty = Ty::of(INTEGER);
    pub(super) const FLOAT: Ty = Ty::of(FLOAT);
    pub(super) const STRING: Ty = Ty::of(STRING);
    pub(super) const MAP: Ty = Ty::of(MAP);
    pub(super) const POINT: Ty = Ty::of(POINT);
    pub(super) const DURATION: Ty = Ty::of(DURATION);
    pub(super) const DATE: Ty = Ty::of(DATE);
    pub(super) const TIME: Ty = Ty::of(TIME);
    pub(super) const LOCAL_TIME: Ty = Ty::of(LOCAL_TIME);
    pub(super) const DATE_TIME: Ty = Ty::of(DATE_TIME);
    pub(super) const LOCAL_DATE_TIME: Ty = Ty::of(LOCAL_DATE_TIME);
    /// A list of anything.
    pub(super) const LIST: Ty = Ty::list_of(Ty::ANY);
    /// Integers and floats.
    pub(super) const NUMBER: Ty = Ty::of(INTEGER | FLOAT);
    /// Dates, times and date-times.
    pub(super) const TEMPORAL: Ty = Ty::of(DATE | TIME | LOCAL_TIME | DATE_TIME | LOCAL_DATE_TIME);
    /// What has properties: `x.key` is allowed on these.
    pub(super) const PROPERTY_HOLDER: Ty = Ty::of(
        NODE | RELATIONSHIP
            | MAP
            | POINT
            | DATE
            | TIME
            | LOCAL_TIME
            | DATE_TIME
            | LOCAL_DATE_TIME
            | DURATION,
    );

    const fn of(kinds: u16) -> Ty {
        Ty {
            kinds,
            elements: if kinds & LIST != 0 { ALL } else { 0 },
        }
    }

    /// A list whose elements are `element`.
    pub(super) const fn list_of(element: Ty) -> Ty {
        Ty {
            kinds: LIST,
            elements: element.kinds,
        }
    }

    /// Either kind.
    pub(super) const fn or(self, other: Ty) -> Ty {
        let elements = match (self.kinds & LIST != 0, other.kinds & LIST != 0) {
            (true, true) => self.elements | other.elements,
            (true, false) => self.elements,
            (false, true) => other.elements,
            (false, false) => 0,
        };
        Ty {
            kinds: self.kinds | other.kinds,
            elements,
        }
    }

    /// Nothing is known about the value.
    pub(super) fn is_any(self) -> bool {
        self.kinds == ALL
    }

    /// True when a value of this type may also be of type `other`: they
    /// share a kind (for lists alone, element kinds too).
    pub(super) fn meets(self, other: Ty) -> bool {
        let common = self.kinds & other.kinds;
        if common == 0 {
            return false;
        }
        common != LIST
            || self.elements & other.elements != 0
            || self.elements == 0
            || other.elements == 0
    }

    /// True when every value of this type is of type `other`.
    pub(super) fn within(self, other: Ty) -> bool {
        self.kinds & !other.kinds == 0
    }

    /// The type of the elements, for a list; the type of an `UNWIND`
    /// variable when the value may not be a list.
    pub(super) fn elements(self) -> Ty {
        let elements = Ty {
            kinds: self.elements,
            elements: if self.elements & LIST != 0 { ALL } else { 0 },
        };
        if self.kinds == LIST {
            elements
        } else if self.kinds & LIST != 0 {
            elements.or(Ty::of(self.kinds & !LIST))
        } else {
            Ty::of(self.kinds)
        }
    }

    /// The type as Neo4j names it in messages: `Integer`, `List<String>`,
    /// `Float or Integer`.
    pub(super) fn describe(self) -> String {
        if self.is_any() {
            return "Any".to_owned();
        }
        let mut names: Vec<String> = Vec::new();
        for (kind, name) in NAMES {
            if self.kinds & kind == 0 {
                continue;
            }
            if *kind == LIST && self.elements != ALL && self.elements != 0 {
                let element = Ty {
                    kinds: self.elements,
                    elements: if self.elements & LIST != 0 { ALL } else { 0 },
                };
                names.push(format!("List<{}>", element.describe()));
            } else {
                names.push((*name).to_owned());
            }
        }
        let mut out = String::new();
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push_str(if i + 1 == names.len() { " or " } else { ", " });
            }
            let _ = write!(out, "{name}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Ty;

    #[test]
    fn meets_compares_kinds_and_list_elements() {
        assert!(Ty::ANY.meets(Ty::NODE));
        assert!(!Ty::INTEGER.meets(Ty::BOOLEAN));
        assert!(Ty::list_of(Ty::NODE).meets(Ty::LIST));
        assert!(!Ty::list_of(Ty::INTEGER).meets(Ty::list_of(Ty::RELATIONSHIP)));
        assert!(Ty::list_of(Ty::ANY).meets(Ty::list_of(Ty::RELATIONSHIP)));
    }

    #[test]
    fn descriptions_follow_neo4j() {
        assert_eq!(Ty::NUMBER.describe(), "Float or Integer");
        assert_eq!(Ty::list_of(Ty::STRING).describe(), "List<String>");
        assert_eq!(
            Ty::NODE.or(Ty::RELATIONSHIP).or(Ty::PATH).describe(),
            "Node, Path or Relationship"
        );
    }

    #[test]
    fn elements_of_a_list_and_of_a_value() {
        assert_eq!(Ty::list_of(Ty::STRING).elements(), Ty::STRING);
        assert_eq!(Ty::INTEGER.elements(), Ty::INTEGER);
        assert!(Ty::ANY.elements().is_any());
    }
}
