//! `LOAD CSV [WITH HEADERS] FROM 'file:///…' AS row`: rows read one at a
//! time from a file under the engine's import directory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Component, PathBuf};

use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::expr::{Expr, Slot, eval};
use crate::engine::value::Value;

/// The longest record a CSV file may have, in bytes.
const MAX_RECORD_BYTES: usize = 16 << 20;

fn external(message: impl Into<String>) -> EngineError {
    EngineError::new(codes::EXTERNAL_RESOURCE_FAILED, message)
}

/// The file a `file:///` URL names inside the import directory.
fn resolve(url: &str, ctx: &ExecCtx<'_>) -> Result<PathBuf> {
    let Some(rest) = url.strip_prefix("file://") else {
        return Err(EngineError::not_supported(format!(
            "LOAD CSV reads file:/// URLs only; '{url}' is not one"
        )));
    };
    let Some(root) = &ctx.env.import_dir else {
        return Err(external(format!(
            "Couldn't load the external resource at: {url}: LOAD CSV is disabled because no import \
             directory is configured"
        )));
    };
    let relative = rest.trim_start_matches('/');
    let decoded = percent_decode(relative);
    let mut path = root.clone();
    for component in std::path::Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => {
                return Err(external(format!(
                    "Couldn't load the external resource at: {url}: the path leaves the import directory"
                )));
            }
        }
    }
    Ok(path)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads CSV records: quoted fields (`""` or `\"` inside), the given
/// field terminator, records that span lines inside quotes.
struct CsvReader {
    input: BufReader<File>,
    terminator: char,
    /// The line the last record started on (1-based).
    line: usize,
    /// The line the next record starts on.
    next_line: usize,
}

impl CsvReader {
    /// The next record, as fields with whether each was quoted.
    fn record(&mut self) -> Result<Option<Vec<(String, bool)>>> {
        let mut line = String::new();
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut in_quotes = false;
        let mut started = false;
        self.line = self.next_line;
        loop {
            line.clear();
            let read = self
                .input
                .read_line(&mut line)
                .map_err(|e| external(format!("Couldn't read the CSV source: {e}")))?;
            if read > 0 {
                self.next_line += 1;
            }
            if read == 0 {
                if !started {
                    return Ok(None);
                }
                if in_quotes {
                    return Err(external("The CSV source ends inside a quoted field"));
                }
                fields.push((field, quoted));
                return Ok(Some(fields));
            }
            started = true;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                if in_quotes {
                    match c {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        '"' => in_quotes = false,
                        '\\' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        other => field.push(other),
                    }
                } else if c == self.terminator {
                    fields.push((std::mem::take(&mut field), quoted));
                    quoted = false;
                } else if c == '"' && field.is_empty() {
                    in_quotes = true;
                    quoted = true;
                } else if c == '\n' || c == '\r' {
                    // End of record (outside quotes).
                } else {
                    field.push(c);
                }
            }
            if field.len() > MAX_RECORD_BYTES {
                return Err(external(format!(
                    "A CSV record is longer than {MAX_RECORD_BYTES} bytes"
                )));
            }
            if !in_quotes {
                fields.push((field, quoted));
                return Ok(Some(fields));
            }
        }
    }
}

pub(crate) struct LoadCsv {
    input: BoxedOperator,
    url: Expr,
    headers: bool,
    slot: Slot,
    /// The slots of the line number and the URL.
    source: (Slot, Slot),
    terminator: char,
    current: Option<Source>,
}

/// The file being read for one input row.
struct Source {
    row: Row,
    reader: CsvReader,
    header: Option<Vec<String>>,
    url: String,
}

impl LoadCsv {
    pub(crate) fn new(
        input: BoxedOperator,
        url: Expr,
        headers: bool,
        (slot, source): (Slot, (Slot, Slot)),
        terminator: char,
    ) -> Self {
        LoadCsv {
            input,
            url,
            headers,
            slot,
            source,
            terminator,
            current: None,
        }
    }
}

impl Operator for LoadCsv {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(Source {
                row,
                reader,
                header,
                url,
            }) = &mut self.current
            {
                let Some(record) = reader.record()? else {
                    self.current = None;
                    continue;
                };
                ctx.tick()?;
                let value = match header {
                    Some(names) => Value::Map(
                        names
                            .iter()
                            .enumerate()
                            .map(|(i, name)| {
                                let v = match record.get(i) {
                                    Some((text, quoted)) if !text.is_empty() || *quoted => {
                                        Value::String(text.clone())
                                    }
                                    _ => Value::Null,
                                };
                                (name.clone(), v)
                            })
                            .collect::<BTreeMap<_, _>>(),
                    ),
                    None => Value::List(
                        record
                            .into_iter()
                            .map(|(text, quoted)| {
                                if text.is_empty() && !quoted {
                                    Value::Null
                                } else {
                                    Value::String(text)
                                }
                            })
                            .collect(),
                    ),
                };
                let mut out = row.clone();
                out[self.slot] = value;
                out[self.source.0] = Value::Int(reader.line as i64);
                out[self.source.1] = Value::String(url.clone());
                return Ok(Some(out));
            }
            let Some(mut row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            let url = match eval(&self.url, &mut row, ctx)? {
                Value::String(s) => s,
                other => {
                    return Err(EngineError::type_error(format!(
                        "Expected a URL string for LOAD CSV but got {}",
                        other.class_name()
                    )));
                }
            };
            let path = resolve(&url, ctx)?;
            let file = File::open(&path).map_err(|e| {
                external(format!(
                    "Couldn't load the external resource at: {url} ({e})"
                ))
            })?;
            let mut reader = CsvReader {
                input: BufReader::new(file),
                terminator: self.terminator,
                line: 0,
                next_line: 1,
            };
            let header = if self.headers {
                match reader.record()? {
                    Some(names) => Some(names.into_iter().map(|(n, _)| n).collect()),
                    None => continue,
                }
            } else {
                None
            };
            self.current = Some(Source {
                row,
                reader,
                header,
                url,
            });
        }
    }
}
