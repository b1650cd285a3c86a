//! JSON submissions: syntax checked by `serde_json`, then read by a small scanner that records
//! the byte span of every key and value (which `serde_json` does not give) and keeps duplicate
//! keys (which `serde_json` with `preserve_order` silently merges, keeping the last).

use super::{Entry, Kind, Node, SyntaxError};
use std::ops::Range;

/// Deepest nesting the scanner follows (`serde_json` stops at 128 already).
const MAX_DEPTH: usize = 128;

/// Parses `text[start..]` (the part after a byte-order mark). Spans are offsets into `text`.
pub(super) fn parse(text: &str, start: usize) -> Result<Node, SyntaxError> {
    let body = text.get(start..).unwrap_or("");
    // serde_json decides what is valid JSON, and its messages and positions are what users know.
    if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
        let msg = e.to_string();
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        let offset = match e.classify() {
            serde_json::error::Category::Eof => body.len(),
            _ => offset_of(body, e.line(), e.column()),
        };
        return Err(SyntaxError { message, span: char_span(text, start + offset) });
    }
    let mut p = Scanner { s: text, b: text.as_bytes(), i: start, depth: 0 };
    let node = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return p.fail("trailing characters");
    }
    Ok(node)
}

/// The byte offset of a 1-based line and column as `serde_json` reports them (the column counts
/// bytes from the start of the line; 0 means the line's start).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text.get(start..).and_then(|t| t.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// A span over the character at `at` (empty at the end of the text), snapped to a char boundary.
pub(super) fn char_span(text: &str, at: usize) -> Range<usize> {
    let mut at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text.get(at..).and_then(|t| t.chars().next()).map(char::len_utf8).unwrap_or(0);
    at..at + len
}

struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

type Res<T> = Result<T, SyntaxError>;

impl Scanner<'_> {
    fn fail<T>(&self, message: &str) -> Res<T> {
        Err(SyntaxError { message: message.to_string(), span: char_span(self.s, self.i) })
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Res<Node> {
        self.ws();
        let start = self.i;
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let (s, span) = self.string()?;
                Ok(Node { span, kind: Kind::Str(s) })
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(c) if c == b'-' || c.is_ascii_digit() => self.number(),
            _ => {
                self.i = start;
                self.fail("expected a value")
            }
        }
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Res<Node> {
        let start = self.i;
        if self.b.get(start..start + word.len()) == Some(word.as_bytes()) {
            self.i += word.len();
            Ok(Node { span: start..self.i, kind })
        } else {
            self.fail("expected a value")
        }
    }

    fn number(&mut self) -> Res<Node> {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.i += 1;
        }
        let text = self.s.get(start..self.i).unwrap_or("");
        let Ok(value) = text.parse::<f64>() else {
            self.i = start;
            return self.fail("invalid number");
        };
        let int = if text.bytes().any(|c| matches!(c, b'.' | b'e' | b'E')) {
            None
        } else {
            Some(text.parse::<i128>().map(|n| n.to_string()).unwrap_or_else(|_| text.to_string()))
        };
        Ok(Node { span: start..self.i, kind: Kind::Num { value, int } })
    }

    fn enter(&mut self) -> Res<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        Ok(())
    }

    fn object(&mut self) -> Res<Node> {
        self.enter()?;
        let start = self.i;
        self.i += 1;
        let mut entries = vec![];
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return self.fail("expected a key in quotes");
                }
                let (key, key_span) = self.string()?;
                self.ws();
                if self.peek() != Some(b':') {
                    return self.fail("expected `:`");
                }
                self.i += 1;
                let value = self.value()?;
                entries.push(Entry { key, key_span, value });
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.fail("expected `,` or `}`"),
                }
            }
        }
        self.depth -= 1;
        Ok(Node { span: start..self.i, kind: Kind::Table(entries) })
    }

    fn array(&mut self) -> Res<Node> {
        self.enter()?;
        let start = self.i;
        self.i += 1;
        let mut items = vec![];
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                items.push(self.value()?);
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.fail("expected `,` or `]`"),
                }
            }
        }
        self.depth -= 1;
        Ok(Node { span: start..self.i, kind: Kind::Array(items) })
    }

    fn hex4(&mut self) -> Res<u32> {
        let digits = self.s.get(self.i..self.i + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(n) if digits.len() == 4 && digits.bytes().all(|c| c.is_ascii_hexdigit()) => {
                self.i += 4;
                Ok(n)
            }
            _ => self.fail("invalid `\\u` escape"),
        }
    }

    /// A string literal: its decoded text and the span including the quotes.
    fn string(&mut self) -> Res<(String, Range<usize>)> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        let mut seg = self.i;
        loop {
            match self.peek() {
                None => return self.fail("unterminated text"),
                Some(b'"') => {
                    out.push_str(self.s.get(seg..self.i).unwrap_or(""));
                    self.i += 1;
                    return Ok((out, start..self.i));
                }
                Some(b'\\') => {
                    out.push_str(self.s.get(seg..self.i).unwrap_or(""));
                    self.i += 1;
                    let c = self.peek();
                    self.i += 1;
                    match c {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i..self.i + 2) == Some(b"\\u") {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                    } else {
                                        out.push('\u{FFFD}');
                                        char::from_u32(lo)
                                    }
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(ch.unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.i -= 1;
                            return self.fail("invalid escape");
                        }
                    }
                    seg = self.i;
                }
                Some(_) => self.i += 1,
            }
        }
    }
}
