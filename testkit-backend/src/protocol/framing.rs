//! The line framing of the protocol.
//!
//! A request is the JSON between the lines `#request begin` and
//! `#request end` (it may span several lines); an answer goes between
//! `#response begin` and `#response end`. Lines outside the markers are
//! ignored.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

const REQUEST_BEGIN: &str = "#request begin";
const REQUEST_END: &str = "#request end";

/// The most one request may hold: testkit's requests are a few kilobytes, so
/// anything near this is a broken peer, not a test.
pub(crate) const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// Why the request stream ended or broke.
#[derive(Debug)]
pub(crate) enum FrameError {
    /// Reading the socket failed.
    Io(std::io::Error),
    /// The peer broke the framing (nested begin, oversized request).
    Framing(String),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Io(error) => write!(f, "reading a request failed: {error}"),
            FrameError::Framing(message) => f.write_str(message),
        }
    }
}

/// Reads requests one at a time from a buffered reader.
pub(crate) struct FrameReader<R> {
    reader: R,
    line: String,
}

impl<R: AsyncBufRead + Unpin> FrameReader<R> {
    pub(crate) fn new(reader: R) -> Self {
        FrameReader {
            reader,
            line: String::new(),
        }
    }

    /// The JSON text of the next request, or `None` when the peer closed
    /// the connection between requests.
    pub(crate) async fn next_request(&mut self) -> Result<Option<String>, FrameError> {
        let mut request: Option<String> = None;
        loop {
            self.line.clear();
            // One line may not exceed the request limit either: a peer that
            // never sends a newline must not grow the buffer without bound.
            let limit = (MAX_REQUEST_BYTES + 1) as u64;
            let read = (&mut self.reader)
                .take(limit)
                .read_line(&mut self.line)
                .await
                .map_err(FrameError::Io)?;
            if self.line.len() > MAX_REQUEST_BYTES {
                return Err(FrameError::Framing(format!(
                    "a line longer than {MAX_REQUEST_BYTES} bytes"
                )));
            }
            if read == 0 {
                return match request {
                    None => Ok(None),
                    Some(_) => Err(FrameError::Framing(
                        "the connection closed in the middle of a request".into(),
                    )),
                };
            }
            let line = self.line.trim_end_matches(['\r', '\n']);
            match (line.trim(), request.as_mut()) {
                (REQUEST_BEGIN, None) => request = Some(String::new()),
                (REQUEST_BEGIN, Some(_)) => {
                    return Err(FrameError::Framing(
                        "`#request begin` inside a request".into(),
                    ));
                }
                (REQUEST_END, Some(_)) => return Ok(request.take()),
                (REQUEST_END, None) => {
                    return Err(FrameError::Framing(
                        "`#request end` without a request".into(),
                    ));
                }
                (_, Some(body)) => {
                    if body.len() + line.len() > MAX_REQUEST_BYTES {
                        return Err(FrameError::Framing(format!(
                            "a request larger than {MAX_REQUEST_BYTES} bytes"
                        )));
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                (_, None) => {}
            }
        }
    }
}

/// One answer, framed.
pub(crate) fn frame_response(json: &str) -> String {
    format!("#response begin\n{json}\n#response end\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &str) -> Vec<Result<Option<String>, String>> {
        let mut reader = FrameReader::new(input.as_bytes());
        let mut out = Vec::new();
        loop {
            match reader.next_request().await {
                Ok(Some(request)) => out.push(Ok(Some(request))),
                Ok(None) => {
                    out.push(Ok(None));
                    return out;
                }
                Err(error) => {
                    out.push(Err(error.to_string()));
                    return out;
                }
            }
        }
    }

    #[tokio::test]
    async fn requests_may_span_lines_and_noise_is_ignored() {
        let input = "hello\n#request begin\n{\"name\":\n\"GetFeatures\"}\n#request end\r\n\
                     #request begin\n{}\n#request end\n";
        let frames = read_all(input).await;
        assert_eq!(
            frames,
            [
                Ok(Some("{\"name\":\n\"GetFeatures\"}\n".to_owned())),
                Ok(Some("{}\n".to_owned())),
                Ok(None)
            ]
        );
        let json: serde_json::Value =
            serde_json::from_str(frames[0].as_ref().unwrap().as_deref().unwrap()).unwrap();
        assert_eq!(json["name"], "GetFeatures");
    }

    #[tokio::test]
    async fn broken_framing_is_an_error() {
        let nested = read_all("#request begin\n#request begin\n").await;
        assert!(matches!(nested.last(), Some(Err(e)) if e.contains("inside a request")));
        let cut = read_all("#request begin\n{\n").await;
        assert!(matches!(cut.last(), Some(Err(e)) if e.contains("closed in the middle")));
        let stray = read_all("#request end\n").await;
        assert!(matches!(stray.last(), Some(Err(e)) if e.contains("without a request")));
    }

    #[tokio::test]
    async fn endless_lines_are_refused() {
        let line = "x".repeat(MAX_REQUEST_BYTES + 10);
        let frames = read_all(&line).await;
        assert!(matches!(frames.last(), Some(Err(e)) if e.contains("longer than")));
    }

    #[test]
    fn answers_are_framed() {
        assert_eq!(frame_response("{}"), "#response begin\n{}\n#response end\n");
    }
}
