//! TOML submissions: parsed by the `toml` crate into a tree that keeps the byte span of every key
//! and value.
//!
//! `toml` hands out spans through the protocol of [`toml::Spanned`]: a value asked for as a struct
//! with Spanned's private name and fields answers with a map of start, end and value. Rather than
//! copying those private names, they are read once from `Spanned`'s (and `Datetime`'s) own
//! `Deserialize` implementations by a probe deserializer, so the tree builder below speaks the
//! same protocol as the crate version in use. If the probe ever fails, values simply come without
//! spans and diagnostics point at the enclosing table instead.

use super::{Entry, Kind, Node, SyntaxError};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::ops::Range;

/// Parses `text[start..]` (the part after a byte-order mark). Spans are offsets into `text`.
pub(super) fn parse(text: &str, start: usize) -> Result<Node, SyntaxError> {
    let body = text.get(start..).unwrap_or("");
    let p = Protocol::get();
    let parsed = NodeSeed { p }.deserialize(::toml::Deserializer::new(body));
    match parsed {
        Ok(root) => Ok(root.into_node(&(0..body.len()), start)),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let span = (span.start + start).min(text.len())..(span.end + start).min(text.len());
            let message = e.message().trim().to_string();
            Err(SyntaxError { message, span })
        }
    }
}

/// The names of the span and datetime protocols of the `toml` crate.
#[derive(Clone, Copy)]
struct Protocol {
    spanned_name: &'static str,
    spanned_fields: &'static [&'static str],
    datetime_field: Option<&'static str>,
}

impl Protocol {
    fn get() -> Protocol {
        let spanned = probe::<::toml::Spanned<i64>>();
        let datetime = probe::<::toml::value::Datetime>();
        match spanned {
            Some((name, fields)) if fields.len() == 3 => Protocol {
                spanned_name: name,
                spanned_fields: fields,
                datetime_field: datetime.and_then(|(_, f)| f.first().copied()),
            },
            _ => Protocol {
                spanned_name: "",
                spanned_fields: &[],
                datetime_field: datetime.and_then(|(_, f)| f.first().copied()),
            },
        }
    }

    fn start(&self) -> &'static str {
        self.spanned_fields.first().copied().unwrap_or("")
    }
    fn end(&self) -> &'static str {
        self.spanned_fields.get(1).copied().unwrap_or("")
    }
    fn value(&self) -> &'static str {
        self.spanned_fields.get(2).copied().unwrap_or("")
    }
}

type Probed = Option<(&'static str, &'static [&'static str])>;

/// The struct name and fields `T` asks a deserializer for.
fn probe<T: for<'de> serde::Deserialize<'de>>() -> Probed {
    let cell = Cell::new(None);
    let _ = T::deserialize(Probe(&cell));
    cell.get()
}

struct Probe<'c>(&'c Cell<Probed>);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(Some((name, fields)));
        Err(de::Error::custom("probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// A value as the `toml` crate hands it out: spans may be unknown.
struct TNode {
    span: Option<Range<usize>>,
    kind: TKind,
}

enum TKind {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Date(String),
    Array(Vec<TNode>),
    Table(Vec<(String, Option<Range<usize>>, TNode)>),
}

impl TNode {
    fn leaf(kind: TKind) -> TNode {
        TNode { span: None, kind }
    }

    /// The tree with every span known (an unknown one is its parent's) and moved by `base`.
    fn into_node(self, parent: &Range<usize>, base: usize) -> Node {
        let span = self.span.unwrap_or_else(|| parent.clone());
        let kind = match self.kind {
            TKind::Bool(b) => Kind::Bool(b),
            TKind::Int(n) => Kind::Num { value: n as f64, int: Some(n.to_string()) },
            TKind::Float(x) => Kind::Num { value: x, int: None },
            TKind::Str(s) => Kind::Str(s),
            TKind::Date(d) => Kind::Date(d),
            TKind::Array(items) => Kind::Array(items.into_iter().map(|n| n.into_node(&span, base)).collect()),
            TKind::Table(entries) => Kind::Table(
                entries
                    .into_iter()
                    .map(|(key, key_span, value)| {
                        let value = value.into_node(&span, base);
                        let key_span = match key_span {
                            Some(k) => k.start + base..k.end + base,
                            None => value.span.clone(),
                        };
                        Entry { key, key_span, value }
                    })
                    .collect(),
            ),
        };
        Node { span: span.start + base..span.end + base, kind }
    }
}

/// Asks for a value with its span.
#[derive(Clone, Copy)]
struct NodeSeed {
    p: Protocol,
}

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = TNode;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TNode, D::Error> {
        d.deserialize_struct(self.p.spanned_name, self.p.spanned_fields, NodeVisitor { p: self.p })
    }
}

/// Asks for a value as it is (inside the span protocol).
#[derive(Clone, Copy)]
struct PlainSeed {
    p: Protocol,
}

impl<'de> DeserializeSeed<'de> for PlainSeed {
    type Value = TNode;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TNode, D::Error> {
        d.deserialize_any(NodeVisitor { p: self.p })
    }
}

struct NodeVisitor {
    p: Protocol,
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = TNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<TNode, E> {
        Ok(TNode::leaf(TKind::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TNode, E> {
        Ok(TNode::leaf(TKind::Int(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TNode, E> {
        match i64::try_from(v) {
            Ok(n) => Ok(TNode::leaf(TKind::Int(n))),
            Err(_) => Ok(TNode::leaf(TKind::Float(v as f64))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TNode, E> {
        Ok(TNode::leaf(TKind::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<TNode, E> {
        Ok(TNode::leaf(TKind::Str(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<TNode, E> {
        Ok(TNode::leaf(TKind::Str(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TNode, A::Error> {
        let mut items = vec![];
        while let Some(n) = seq.next_element_seed(NodeSeed { p: self.p })? {
            items.push(n);
        }
        Ok(TNode::leaf(TKind::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TNode, A::Error> {
        let p = self.p;
        let Some((first, first_span)) = map.next_key_seed(KeySeed { p })? else {
            return Ok(TNode::leaf(TKind::Table(vec![])));
        };
        // The span protocol: start, end and the value itself.
        if !p.spanned_fields.is_empty() && first == p.start() {
            let (mut start, mut end, mut node) = (None, None, None);
            let mut key = Some(first);
            while let Some(k) = key {
                if k == p.start() {
                    start = Some(map.next_value::<usize>()?);
                } else if k == p.end() {
                    end = Some(map.next_value::<usize>()?);
                } else if k == p.value() {
                    node = Some(map.next_value_seed(PlainSeed { p })?);
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
                key = map.next_key_seed(KeySeed { p })?.map(|(k, _)| k);
            }
            let Some(mut node) = node else {
                return Err(de::Error::custom("a value without its content"));
            };
            if let (Some(s), Some(e)) = (start, end) {
                node.span = Some(s..e.max(s));
            }
            return Ok(node);
        }
        // A date or time, handed out as a one-entry map.
        if Some(first.as_str()) == p.datetime_field {
            let text = map.next_value::<String>()?;
            return Ok(TNode::leaf(TKind::Date(text)));
        }
        let mut entries = vec![];
        let value = map.next_value_seed(NodeSeed { p })?;
        entries.push((first, first_span, value));
        while let Some((key, key_span)) = map.next_key_seed(KeySeed { p })? {
            let value = map.next_value_seed(NodeSeed { p })?;
            entries.push((key, key_span, value));
        }
        Ok(TNode::leaf(TKind::Table(entries)))
    }
}

/// Asks for a key with its span.
#[derive(Clone, Copy)]
struct KeySeed {
    p: Protocol,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = (String, Option<Range<usize>>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct(self.p.spanned_name, self.p.spanned_fields, KeyVisitor { p: self.p })
    }
}

struct KeyVisitor {
    p: Protocol,
}

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = (String, Option<Range<usize>>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((v.to_string(), None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let p = self.p;
        let (mut start, mut end, mut name) = (None, None, None);
        while let Some(k) = map.next_key::<String>()? {
            if k == p.start() {
                start = Some(map.next_value::<usize>()?);
            } else if k == p.end() {
                end = Some(map.next_value::<usize>()?);
            } else if k == p.value() {
                name = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        let Some(name) = name else {
            return Err(de::Error::custom("a key without its name"));
        };
        let span = match (start, end) {
            (Some(s), Some(e)) => Some(s..e.max(s)),
            _ => None,
        };
        Ok((name, span))
    }
}
