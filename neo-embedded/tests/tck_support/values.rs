//! TCK values as the scenarios write them (`1`, `1.0`, `'a'`, `[1, 2]`,
//! `{k: 'v'}`, `(:L {p: 1})`, `[:T]`, `<(:A)-[:T]->(:B)>`), parsed and
//! compared with the values a statement returned.

use std::collections::BTreeMap;

use neo_bolt::Value;

/// An expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Expected>),
    Map(BTreeMap<String, Expected>),
    Node {
        labels: Vec<String>,
        props: BTreeMap<String, Expected>,
    },
    Rel {
        rel_type: String,
        props: BTreeMap<String, Expected>,
    },
    /// Nodes and (relationship, forward) steps.
    Path {
        start: Box<Expected>,
        steps: Vec<(Expected, bool, Expected)>,
    },
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    text: &'a str,
}

type Parsed<T> = Result<T, String>;

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Parsed<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!(
                "expected '{}' at {} in {}",
                c as char, self.pos, self.text
            ))
        }
    }

    fn starts(&self, word: &str) -> bool {
        self.s[self.pos..].starts_with(word.as_bytes())
    }

    fn name(&mut self) -> Parsed<String> {
        self.ws();
        if self.peek() == Some(b'`') {
            self.pos += 1;
            let start = self.pos;
            while self.pos < self.s.len() && self.s[self.pos] != b'`' {
                self.pos += 1;
            }
            let name = self.text[start..self.pos].to_owned();
            self.pos += 1;
            return Ok(name);
        }
        let start = self.pos;
        while self.pos < self.s.len()
            && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(format!("expected a name at {} in {}", self.pos, self.text));
        }
        Ok(self.text[start..self.pos].to_owned())
    }

    fn props(&mut self) -> Parsed<BTreeMap<String, Expected>> {
        let mut out = BTreeMap::new();
        self.ws();
        if !self.eat(b'{') {
            return Ok(out);
        }
        if self.eat(b'}') {
            return Ok(out);
        }
        loop {
            let key = self.name()?;
            self.expect(b':')?;
            let value = self.value()?;
            out.insert(key, value);
            if self.eat(b'}') {
                return Ok(out);
            }
            self.expect(b',')?;
        }
    }

    fn node(&mut self) -> Parsed<Expected> {
        self.expect(b'(')?;
        let mut labels = Vec::new();
        self.ws();
        while self.eat(b':') {
            labels.push(self.name()?);
            self.ws();
        }
        let props = self.props()?;
        self.expect(b')')?;
        Ok(Expected::Node { labels, props })
    }

    fn rel(&mut self) -> Parsed<Expected> {
        self.expect(b'[')?;
        self.expect(b':')?;
        let rel_type = self.name()?;
        let props = self.props()?;
        self.expect(b']')?;
        Ok(Expected::Rel { rel_type, props })
    }

    fn value(&mut self) -> Parsed<Expected> {
        self.ws();
        let Some(c) = self.peek() else {
            return Err(format!("unexpected end of {}", self.text));
        };
        if self.starts("null") {
            self.pos += 4;
            return Ok(Expected::Null);
        }
        if self.starts("true") {
            self.pos += 4;
            return Ok(Expected::Bool(true));
        }
        if self.starts("false") {
            self.pos += 5;
            return Ok(Expected::Bool(false));
        }
        if self.starts("NaN") {
            self.pos += 3;
            return Ok(Expected::Float(f64::NAN));
        }
        if self.starts("Infinity") {
            self.pos += 8;
            return Ok(Expected::Float(f64::INFINITY));
        }
        if self.starts("-Infinity") {
            self.pos += 9;
            return Ok(Expected::Float(f64::NEG_INFINITY));
        }
        match c {
            b'\'' | b'"' => {
                self.pos += 1;
                let mut out = String::new();
                let mut chars = self.text[self.pos..].char_indices();
                loop {
                    let Some((i, ch)) = chars.next() else {
                        return Err(format!("unterminated string in {}", self.text));
                    };
                    if ch == '\\' {
                        let (_, next) = chars.next().ok_or("bad escape")?;
                        out.push(match next {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                        continue;
                    }
                    if ch as u32 == u32::from(c) {
                        self.pos += i + 1;
                        return Ok(Expected::String(out));
                    }
                    out.push(ch);
                }
            }
            b'[' => {
                if self.s.get(self.pos + 1) == Some(&b':') {
                    return self.rel();
                }
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Expected::List(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.eat(b']') {
                        return Ok(Expected::List(items));
                    }
                    self.expect(b',')?;
                }
            }
            b'{' => Ok(Expected::Map(self.props()?)),
            b'(' => self.node(),
            b'<' => {
                self.pos += 1;
                let start = self.node()?;
                let mut steps = Vec::new();
                loop {
                    self.ws();
                    if self.eat(b'>') {
                        return Ok(Expected::Path {
                            start: Box::new(start),
                            steps,
                        });
                    }
                    let backward = self.eat(b'<');
                    self.expect(b'-')?;
                    let rel = self.rel()?;
                    self.expect(b'-')?;
                    let forward = self.eat(b'>');
                    let node = self.node()?;
                    steps.push((rel, forward && !backward, node));
                }
            }
            _ => {
                let start = self.pos;
                if c == b'-' || c == b'+' {
                    self.pos += 1;
                }
                while self.pos < self.s.len()
                    && (self.s[self.pos].is_ascii_alphanumeric()
                        || matches!(self.s[self.pos], b'.' | b'-' | b'+'))
                {
                    // Stop at a sign that does not follow an exponent.
                    if matches!(self.s[self.pos], b'-' | b'+')
                        && !matches!(self.s[self.pos - 1], b'e' | b'E')
                    {
                        break;
                    }
                    self.pos += 1;
                }
                let text = &self.text[start..self.pos];
                if let Ok(i) = text.parse::<i64>() {
                    return Ok(Expected::Int(i));
                }
                if let Some(hex) = text.strip_prefix("0x") {
                    return i64::from_str_radix(hex, 16)
                        .map(Expected::Int)
                        .map_err(|e| e.to_string());
                }
                text.parse::<f64>()
                    .map(Expected::Float)
                    .map_err(|_| format!("cannot read a value from '{text}' in {}", self.text))
            }
        }
    }
}

/// Parses a TCK value.
pub fn parse(text: &str) -> Result<Expected, String> {
    let mut parser = Parser {
        s: text.as_bytes(),
        pos: 0,
        text,
    };
    let value = parser.value()?;
    parser.ws();
    if parser.pos != parser.s.len() {
        return Err(format!("trailing text in {text}"));
    }
    Ok(value)
}

/// An expected value as a parameter.
pub fn to_parameter(expected: &Expected) -> Value {
    match expected {
        Expected::Null => Value::Null,
        Expected::Bool(b) => Value::Boolean(*b),
        Expected::Int(i) => Value::Integer(*i),
        Expected::Float(f) => Value::Float(*f),
        Expected::String(s) => Value::String(s.clone()),
        Expected::List(items) => Value::List(items.iter().map(to_parameter).collect()),
        Expected::Map(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), to_parameter(v)))
                .collect(),
        ),
        Expected::Node { .. } | Expected::Rel { .. } | Expected::Path { .. } => Value::Null,
    }
}

/// How lists compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    Strict,
    Ignored,
}

/// Turns temporal and spatial values into text (the TCK writes them as
/// strings).
pub type Stringify<'a> = &'a mut dyn FnMut(&Value) -> Option<String>;

fn props_match(
    expected: &BTreeMap<String, Expected>,
    actual: &neo_bolt::packstream::Map,
    order: ListOrder,
    s: Stringify<'_>,
) -> bool {
    expected.len() == actual.len()
        && expected
            .iter()
            .all(|(k, v)| actual.get(k).is_some_and(|a| matches(v, a, order, s)))
}

/// Whether `actual` is the value the scenario expects.
pub fn matches(expected: &Expected, actual: &Value, order: ListOrder, s: Stringify<'_>) -> bool {
    match (expected, actual) {
        (Expected::Null, Value::Null) => true,
        (Expected::Bool(a), Value::Boolean(b)) => a == b,
        (Expected::Int(a), Value::Integer(b)) => a == b,
        (Expected::Float(a), Value::Float(b)) => {
            (a.is_nan() && b.is_nan()) || a == b || ((a - b).abs() <= 1e-12 * a.abs().max(b.abs()))
        }
        (Expected::String(a), Value::String(b)) => a == b,
        (Expected::String(a), other) => s(other).is_some_and(|text| &text == a),
        (Expected::List(a), Value::List(b)) => {
            if a.len() != b.len() {
                return false;
            }
            match order {
                ListOrder::Strict => a.iter().zip(b).all(|(x, y)| matches(x, y, order, s)),
                ListOrder::Ignored => {
                    let mut used = vec![false; b.len()];
                    a.iter().all(|x| {
                        let found = b
                            .iter()
                            .enumerate()
                            .position(|(i, y)| !used[i] && matches(x, y, order, s));
                        match found {
                            Some(i) => {
                                used[i] = true;
                                true
                            }
                            None => false,
                        }
                    })
                }
            }
        }
        (Expected::Map(a), Value::Map(b)) => props_match(a, b, order, s),
        (Expected::Node { labels, props }, Value::Node(n)) => {
            let mut want = labels.clone();
            want.sort();
            let mut have = n.labels.clone();
            have.sort();
            want == have && props_match(props, &n.properties, order, s)
        }
        (Expected::Rel { rel_type, props }, Value::Relationship(r)) => {
            rel_type == &r.rel_type && props_match(props, &r.properties, order, s)
        }
        (Expected::Path { start, steps }, Value::Path(p)) => {
            let Some(segments) = p.segments() else {
                return steps.is_empty()
                    && p.nodes.len() == 1
                    && matches(start, &Value::Node(Box::new(p.nodes[0].clone())), order, s);
            };
            if segments.len() != steps.len() {
                return false;
            }
            if segments.is_empty() {
                return p
                    .nodes
                    .first()
                    .is_some_and(|n| matches(start, &Value::Node(Box::new(n.clone())), order, s));
            }
            if !matches(
                start,
                &Value::Node(Box::new(segments[0].start.clone())),
                order,
                s,
            ) {
                return false;
            }
            segments
                .iter()
                .zip(steps)
                .all(|(seg, (rel, forward, node))| {
                    let actual_forward = seg.relationship.start_node_id == seg.start.id;
                    actual_forward == *forward
                        && matches(
                            rel,
                            &Value::Relationship(Box::new(seg.relationship.clone())),
                            order,
                            s,
                        )
                        && matches(node, &Value::Node(Box::new(seg.end.clone())), order, s)
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tck_values() {
        assert_eq!(
            parse("[1, 'a', null]").unwrap(),
            Expected::List(vec![
                Expected::Int(1),
                Expected::String("a".into()),
                Expected::Null
            ])
        );
        assert!(
            matches!(parse("(:A:B {name: 'x'})").unwrap(), Expected::Node { labels, .. } if labels == ["A", "B"])
        );
        assert!(
            matches!(parse("<(:A)-[:T]->(:B)<-[:U]-()>").unwrap(), Expected::Path { steps, .. } if steps.len() == 2 && steps[0].1 && !steps[1].1)
        );
        assert_eq!(parse("-1.5e3").unwrap(), Expected::Float(-1500.0));
    }
}
