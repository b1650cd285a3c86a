//! Test files: TOML text → [`TestFile`]s of [`Case`]s, every problem reported with a span into
//! the file (the format is described in docs/testing.md).

use super::{Case, Expect, Num, Target, TestFile, UnitInput, Want, What};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{Model, Reason};
use crate::source::{FileId, SourceMap, Span};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// A TOML value with the byte span of every value and key.
#[derive(Debug, Clone)]
pub(super) enum Tv {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Date(String),
    Array(Vec<Sp<Tv>>),
    Table(Vec<(Sp<String>, Sp<Tv>)>),
}

/// A value and its span.
#[derive(Debug, Clone)]
pub(super) struct Sp<T> {
    pub v: T,
    pub span: Range<usize>,
}

impl<'de> Deserialize<'de> for Sp<Tv> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (name, fields) = spanned_protocol();
        d.deserialize_struct(name, fields, SpTvVisitor)
    }
}

impl<'de> Deserialize<'de> for Sp<String> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (name, fields) = spanned_protocol();
        d.deserialize_struct(name, fields, SpKeyVisitor)
    }
}

/// The struct name and fields through which the `toml` crate hands out spans, read once from
/// [`toml::Spanned`]'s own `Deserialize` (its implementation asks for keys as borrowed texts,
/// which table headers such as `[case.answers.AM]` cannot give, so it is not used directly).
fn spanned_protocol() -> (&'static str, &'static [&'static str]) {
    static PROTOCOL: std::sync::OnceLock<(&'static str, &'static [&'static str])> = std::sync::OnceLock::new();
    *PROTOCOL.get_or_init(|| {
        let cell = std::cell::Cell::new(None);
        let _ = toml::Spanned::<i64>::deserialize(Probe(&cell));
        cell.get().unwrap_or(("", &[]))
    })
}

struct Probe<'c>(&'c std::cell::Cell<Option<(&'static str, &'static [&'static str])>>);

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

/// A value asked for with its span: the span protocol (start, end, value), or, where the crate
/// knows no span (a table written with a `[header]`), the value itself.
struct SpTvVisitor;

impl<'de> Visitor<'de> for SpTvVisitor {
    type Value = Sp<Tv>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<Tv>, A::Error> {
        let (_, fields) = spanned_protocol();
        let Some(first) = map.next_key::<Sp<String>>()? else {
            return Ok(Sp { v: Tv::Table(vec![]), span: 0..0 });
        };
        if fields.len() == 3 && first.v == fields[0] {
            let (mut start, mut end, mut value) = (None, None, None);
            let mut key = Some(first.v);
            while let Some(k) = key {
                if k == fields[0] {
                    start = Some(map.next_value::<usize>()?);
                } else if k == fields[1] {
                    end = Some(map.next_value::<usize>()?);
                } else if k == fields[2] {
                    value = Some(map.next_value::<Tv>()?);
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
                key = map.next_key::<Sp<String>>()?.map(|k| k.v);
            }
            let v = value.ok_or_else(|| de::Error::custom("a value without its content"))?;
            let (s, e) = (start.unwrap_or(0), end.unwrap_or(0));
            return Ok(Sp { v, span: s..e.max(s) });
        }
        let v = TvVisitor::rest_of_map(first, &mut map)?;
        Ok(Sp { v, span: 0..0 })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Sp<Tv>, E> {
        Ok(Sp { v: Tv::Bool(v), span: 0..0 })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Sp<Tv>, E> {
        TvVisitor.visit_i64(v).map(|v| Sp { v, span: 0..0 })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Sp<Tv>, E> {
        TvVisitor.visit_u64(v).map(|v| Sp { v, span: 0..0 })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Sp<Tv>, E> {
        Ok(Sp { v: Tv::Float(v), span: 0..0 })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Sp<Tv>, E> {
        Ok(Sp { v: Tv::Str(v.to_string()), span: 0..0 })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Sp<Tv>, A::Error> {
        TvVisitor.visit_seq(seq).map(|v| Sp { v, span: 0..0 })
    }
}

/// A key asked for with its span (keys without one come as plain texts).
struct SpKeyVisitor;

impl<'de> Visitor<'de> for SpKeyVisitor {
    type Value = Sp<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Sp<String>, E> {
        Ok(Sp { v: v.to_string(), span: 0..0 })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Sp<String>, E> {
        Ok(Sp { v, span: 0..0 })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<String>, A::Error> {
        let (_, fields) = spanned_protocol();
        let (mut start, mut end, mut value) = (None, None, None);
        while let Some(k) = map.next_key::<String>()? {
            if Some(&k.as_str()) == fields.first() {
                start = Some(map.next_value::<usize>()?);
            } else if Some(&k.as_str()) == fields.get(1) {
                end = Some(map.next_value::<usize>()?);
            } else if Some(&k.as_str()) == fields.get(2) {
                value = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        let v = value.ok_or_else(|| de::Error::custom("a key without its name"))?;
        let (s, e) = (start.unwrap_or(0), end.unwrap_or(0));
        Ok(Sp { v, span: s..e.max(s) })
    }
}

/// The name the `toml` crate gives the field of a date or time.
const DATETIME_FIELD: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Tv {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TvVisitor)
    }
}

struct TvVisitor;

impl<'de> Visitor<'de> for TvVisitor {
    type Value = Tv;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tv, E> {
        Ok(Tv::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tv, E> {
        Ok(Tv::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tv, E> {
        Ok(i64::try_from(v).map(Tv::Int).unwrap_or(Tv::Float(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tv, E> {
        Ok(Tv::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tv, E> {
        Ok(Tv::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Tv, E> {
        Ok(Tv::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tv, A::Error> {
        let mut items = vec![];
        while let Some(x) = seq.next_element::<Sp<Tv>>()? {
            items.push(x);
        }
        Ok(Tv::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tv, A::Error> {
        match map.next_key::<Sp<String>>()? {
            None => Ok(Tv::Table(vec![])),
            Some(first) => TvVisitor::rest_of_map(first, &mut map),
        }
    }
}

impl TvVisitor {
    /// A table (or a date, which the crate hands out as a one-entry table), its first key read.
    fn rest_of_map<'de, A: MapAccess<'de>>(first: Sp<String>, map: &mut A) -> Result<Tv, A::Error> {
        if first.v == DATETIME_FIELD {
            let text: String = map.next_value()?;
            return Ok(Tv::Date(text));
        }
        let mut entries = vec![];
        let mut key = Some(first);
        while let Some(k) = key {
            let mut v: Sp<Tv> = map.next_value()?;
            if v.span.is_empty() {
                // a table written with a `[header]`: point at its name
                v.span = k.span.clone();
            }
            entries.push((k, v));
            key = map.next_key::<Sp<String>>()?;
        }
        Ok(Tv::Table(entries))
    }
}

impl Tv {
    fn describe(&self) -> &'static str {
        match self {
            Tv::Bool(_) => "true or false",
            Tv::Int(_) | Tv::Float(_) => "a number",
            Tv::Str(_) => "a text",
            Tv::Date(_) => "a date",
            Tv::Array(_) => "a list",
            Tv::Table(_) => "a table",
        }
    }
}

/// The words of a table's keys that a test file may use, for "did you mean".
const CASE_KEYS: &[&str] = &["name", "period", "tolerance", "error", "answers", "expect", "note"];
const FILE_KEYS: &[&str] = &["case", "tolerance"];

struct Parser<'a> {
    model: &'a Model,
    file: FileId,
    text: &'a str,
    dir: &'a Path,
    diags: Vec<Diag>,
}

/// Parses one test file (already added to `sources` as `file`). `dir` is the folder of the file,
/// against which `file = "…"` paths are resolved.
pub(super) fn parse(model: &Model, sources: &SourceMap, file: FileId, dir: &Path) -> (TestFile, Vec<Diag>) {
    let src = sources.get(file);
    let text = src.text.as_str();
    let mut p = Parser { model, file, text, dir, diags: vec![] };
    let mut out = TestFile { name: src.name.clone(), file, cases: vec![] };
    let root = match Tv::deserialize(toml::de::Deserializer::new(text)) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().lines().next().unwrap_or("").trim().to_string();
            p.diags.push(
                Diag::error(Code::TestFormat, "the test file is not valid TOML").at(p.span(span), message).help(
                    "check the TOML near this place: `key = value` per line, texts in double quotes, `[[case]]` before each case",
                ),
            );
            return (out, p.diags);
        }
    };
    let Tv::Table(entries) = root else { return (out, p.diags) };
    let mut file_tolerance = None;
    let mut cases = vec![];
    for (k, v) in &entries {
        match k.v.as_str() {
            "case" => match &v.v {
                Tv::Array(items) => cases.extend(items.iter()),
                _ => p.shape(v, "`case` is a list of cases", "start each case with a `[[case]]` line"),
            },
            "tolerance" => file_tolerance = p.tolerance(v),
            other => p.unknown_key(k, other, FILE_KEYS, "a test file holds"),
        }
    }
    if cases.is_empty() && p.diags.is_empty() {
        p.diags.push(
            Diag::warning(Code::TestFormat, "the test file has no cases")
                .at(p.span(0..0), "no `[[case]]` here")
                .help("start a case with `[[case]]` and `name = \"…\"` (see docs/testing.md)"),
        );
    }
    for c in cases {
        if let Some(case) = p.case(c, file_tolerance) {
            out.cases.push(case);
        }
    }
    (out, p.diags)
}

impl Parser<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        let end = r.end.min(self.text.len());
        Span::new(self.file, r.start.min(end), end)
    }

    fn shape(&mut self, v: &Sp<Tv>, message: &str, help: &str) {
        let d = Diag::error(Code::TestFormat, message.to_string())
            .at(self.span(v.span.clone()), format!("this is {}", v.v.describe()))
            .help(help.to_string());
        self.diags.push(d);
    }

    fn unknown_key(&mut self, k: &Sp<String>, name: &str, known: &[&str], what: &str) {
        let help = match suggest(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("{what} {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
        };
        self.diags.push(
            Diag::error(Code::TestUnknown, format!("unknown key `{name}`"))
                .at(self.span(k.span.clone()), "not a key of this table")
                .help(help),
        );
    }

    fn tolerance(&mut self, v: &Sp<Tv>) -> Option<f64> {
        match v.v {
            Tv::Int(n) if n >= 0 => Some(n as f64),
            Tv::Float(x) if x >= 0.0 && x.is_finite() => Some(x),
            _ => {
                self.shape(v, "a tolerance is a number ≥ 0", "write `tolerance = 0.05`");
                None
            }
        }
    }

    fn case(&mut self, c: &Sp<Tv>, file_tolerance: Option<f64>) -> Option<Case> {
        let Tv::Table(entries) = &c.v else {
            self.shape(c, "a case is a table", "start each case with a `[[case]]` line");
            return None;
        };
        let errors_before = self.diags.iter().filter(|d| d.is_error()).count();
        let mut name: Option<(String, Span)> = None;
        let mut period = "test".to_string();
        let mut tolerance = file_tolerance;
        let mut errors = vec![];
        let mut answers: Option<&Sp<Tv>> = None;
        let mut expect: Option<&Sp<Tv>> = None;
        for (k, v) in entries {
            match k.v.as_str() {
                "name" => match &v.v {
                    Tv::Str(s) if !s.trim().is_empty() => name = Some((s.clone(), self.span(v.span.clone()))),
                    _ => {
                        self.shape(v, "a case's `name` is a text", "write `name = \"release within a day meets TF-1\"`")
                    }
                },
                "period" => match &v.v {
                    Tv::Str(s) if !s.trim().is_empty() => period = s.clone(),
                    Tv::Int(n) => period = n.to_string(),
                    _ => self.shape(
                        v,
                        "`period` is a text or a whole number",
                        "write `period = 2023` or `period = \"2023\"`",
                    ),
                },
                "tolerance" => tolerance = self.tolerance(v),
                "note" => {}
                "error" => match &v.v {
                    Tv::Str(s) => errors.push((code_name(s), self.span(v.span.clone()))),
                    Tv::Array(items) => {
                        for i in items {
                            match &i.v {
                                Tv::Str(s) => errors.push((code_name(s), self.span(i.span.clone()))),
                                _ => self.shape(
                                    i,
                                    "an expected error is a diagnostic code",
                                    "write `error = \"tamga::data::range\"`",
                                ),
                            }
                        }
                    }
                    _ => self.shape(
                        v,
                        "an expected error is a diagnostic code",
                        "write `error = \"tamga::data::range\"`",
                    ),
                },
                "answers" => answers = Some(v),
                "expect" => expect = Some(v),
                other => self.unknown_key(k, other, CASE_KEYS, "a case has"),
            }
        }
        for (code, span) in &errors {
            if !crate::diagnostics::Code::ALL.iter().any(|c| c.as_str() == code) {
                let all: Vec<&str> = crate::diagnostics::Code::ALL.iter().map(|c| c.as_str()).collect();
                let help = match suggest(code, all) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "give the code of a diagnostic of a submission, such as `tamga::data::range`".into(),
                };
                self.diags.push(
                    Diag::error(Code::TestUnknown, format!("unknown diagnostic code `{code}`"))
                        .at(*span, "not a code")
                        .help(help),
                );
            }
        }
        let Some((name, name_span)) = name else {
            self.diags.push(
                Diag::error(Code::TestFormat, "a case needs a name")
                    .at(self.span(c.span.start..c.span.start + 6.min(c.span.len())), "this case has no `name`")
                    .help("add `name = \"…\"`: it is printed with PASS or FAIL"),
            );
            return None;
        };
        let mut units = vec![];
        match answers {
            Some(Sp { v: Tv::Table(entries), .. }) => {
                for (k, v) in entries {
                    if let Some(u) = self.unit(k, v) {
                        units.push(u);
                    }
                }
            }
            Some(other) => self.shape(
                other,
                "`answers` is a table of states",
                "write `[case.answers.AM]` and the answers below it",
            ),
            None => {}
        }
        if units.is_empty() && answers.is_none() {
            self.diags.push(
                Diag::error(Code::TestFormat, format!("the case `{name}` gives no answers"))
                    .at(name_span, "no `[case.answers.…]` for this case")
                    .help("give each state's answers in `[case.answers.AM]` (or `file = \"…\"` there)"),
            );
            return None;
        }
        let mut expects = vec![];
        match expect {
            Some(Sp { v: Tv::Table(entries), .. }) => {
                for (k, v) in entries {
                    let Some(unit) = units.iter().find(|u| u.code == k.v) else {
                        let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
                        let help = format!(
                            "the states of this case are {}; give `[case.answers.{}]` too, or correct the code",
                            codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                            k.v
                        );
                        self.diags.push(
                            Diag::error(Code::TestUnknown, format!("the case `{name}` has no answers for `{}`", k.v))
                                .at(self.span(k.span.clone()), "no `[case.answers…]` for this state")
                                .help(help),
                        );
                        continue;
                    };
                    let unit = unit.code.clone();
                    match &v.v {
                        Tv::Table(items) => {
                            for (id, val) in items {
                                self.expectation(&unit, id, val, tolerance, &mut expects);
                            }
                        }
                        _ => self.shape(
                            v,
                            "the expectations of a state are a table",
                            "write `[case.expect.AM]` and `id = value` lines below it",
                        ),
                    }
                }
            }
            Some(other) => self.shape(
                other,
                "`expect` is a table of states",
                "write `[case.expect.AM]` and the expected values below it",
            ),
            None => {}
        }
        let broken = self.diags.iter().filter(|d| d.is_error()).count() > errors_before;
        if expects.is_empty() && errors.is_empty() && !broken {
            self.diags.push(
                Diag::warning(Code::TestFormat, format!("the case `{name}` expects nothing"))
                    .at(name_span, "nothing to check")
                    .help("add `[case.expect.AM]` with expected values, or `error = \"…\"`"),
            );
        }
        Some(Case { name, span: name_span, period, units, expects, errors, broken })
    }

    /// One state's answers: inline, from a file, or both (inline answers replace the file's).
    fn unit(&mut self, k: &Sp<String>, v: &Sp<Tv>) -> Option<UnitInput> {
        let code = k.v.clone();
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            self.diags.push(
                Diag::error(Code::TestFormat, format!("`{code}` is not a state's code"))
                    .at(self.span(k.span.clone()), "a code has no spaces")
                    .help("write the state's code, as in submissions: `[case.answers.AM]`"),
            );
            return None;
        }
        let Tv::Table(entries) = &v.v else {
            self.shape(
                v,
                "a state's answers are a table",
                "write `[case.answers.AM]` and `question = answer` lines below it",
            );
            return None;
        };
        let mut unit = UnitInput { code, span: self.span(k.span.clone()), file: None, answers: vec![] };
        for (q, a) in entries {
            if q.v == "file" && !self.model.questions.contains_key("file") {
                match &a.v {
                    Tv::Str(path) => {
                        let full = self.dir.join(path);
                        unit.file = Some((full, path.clone(), self.span(a.span.clone())));
                    }
                    _ => self.shape(
                        a,
                        "`file` is the path of a submission",
                        "write `file = \"../../../examples/demo/am-2023.json\"`",
                    ),
                }
                continue;
            }
            unit.answers.push((q.v.clone(), self.span(q.span.clone()), to_toml(&a.v), self.span(a.span.clone())));
        }
        Some(unit)
    }

    fn reason(&mut self, v: &Sp<Tv>, s: &str) -> Option<Reason> {
        match Reason::parse(s) {
            Some(r) => Some(r),
            None => {
                let names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
                let help = match suggest(s, names.iter().copied()) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => format!("the reasons are {}", names.join(", ")),
                };
                self.diags.push(
                    Diag::error(Code::TestUnknown, format!("unknown missing reason `{s}`"))
                        .at(self.span(v.span.clone()), "not a reason")
                        .help(help),
                );
                None
            }
        }
    }

    fn number(&mut self, v: &Sp<Tv>) -> Option<Num> {
        let text = self.text.get(v.span.clone()).unwrap_or("").trim().to_string();
        let value = match v.v {
            Tv::Int(n) => n as f64,
            Tv::Float(x) if x.is_finite() => x,
            _ => return None,
        };
        Some(Num { value, decimals: decimals_of(&text), text })
    }

    /// One expected value: `id = value` or `id = { field = value, … }` under `[case.expect.UNIT]`.
    fn expectation(&mut self, unit: &str, id: &Sp<String>, v: &Sp<Tv>, tolerance: Option<f64>, out: &mut Vec<Expect>) {
        let m = self.model;
        let key = id.v.trim();
        let inner = key.strip_prefix("score(").and_then(|s| s.strip_suffix(')')).map(str::trim);
        let name = inner.unwrap_or(key);
        let target = if m.indicators.contains_key(name) {
            Target::Indicator(name.into())
        } else if m.areas.contains_key(name) {
            Target::Area(name.into())
        } else if inner.is_none() && m.standards.contains_key(name) {
            Target::Standard(name.into())
        } else if inner.is_none() && m.chapters.contains_key(name) {
            Target::Chapter(name.into())
        } else if inner.is_none() && m.recommendations.contains_key(name) {
            Target::Recommendation(name.into())
        } else {
            let all = m
                .indicators
                .keys()
                .chain(m.areas.keys())
                .chain(m.standards.keys())
                .chain(m.chapters.keys())
                .chain(m.recommendations.keys())
                .map(String::as_str);
            let mut d = Diag::error(
                Code::TestUnknown,
                format!("`{name}` is not an indicator, area, standard or recommendation of `{}`", m.header.id),
            )
            .at(self.span(id.span.clone()), "unknown id");
            d = match (crate::diagnostics::lookalike(name), suggest(name, all)) {
                (Some((note, fixed)), _) => d.help(format!("{note}; did you mean `{fixed}`?")),
                (None, Some(s)) => d.help(format!("did you mean `{s}`?")),
                (None, None) if m.questions.contains_key(name) => d.help("answers are given under `[case.answers.…]`; expectations are on indicators, areas, standards and recommendations"),
                (None, None) => d.help("expect values of indicators (`release = 20.5`), scores (`\"score(release)\" = 74.3`), areas, the index, standards (`TF-1 = \"met\"`) or recommendations (`rec = \"applies\"`)"),
            };
            self.diags.push(d);
            return;
        };
        if inner.is_some() {
            if let Target::Indicator(i) = &target {
                if m.indicators[i.as_str()].score.is_none() {
                    self.diags.push(
                        Diag::error(Code::TestUnknown, format!("the indicator `{i}` has no score"))
                            .at(self.span(id.span.clone()), "not scored")
                            .help(format!("expect its value: `{i} = …`")),
                    );
                    return;
                }
            }
        }
        let key_span = self.span(id.span.clone());
        let base = Expect {
            unit: unit.to_string(),
            target: target.clone(),
            what: What::Value,
            want: Want::Bool(false),
            tolerance: None,
            key_span,
            span: key_span,
        };
        // the short form: `id = value`
        let short_what = match (&target, inner.is_some()) {
            (Target::Indicator(_), true) => What::Score,
            (Target::Indicator(_), false) => What::Value,
            (Target::Area(_) | Target::Chapter(_), _) => What::Score,
            (Target::Standard(_), _) => What::Verdict,
            (Target::Recommendation(_), _) => What::Status,
        };
        let Tv::Table(fields) = &v.v else {
            if let Some(want) = self.want(&target, short_what, v) {
                out.push(Expect { what: short_what, want, tolerance, span: self.span(v.span.clone()), ..base });
            }
            return;
        };
        let allowed: &[&str] = match (&target, inner.is_some()) {
            (Target::Indicator(_), false) => &["value", "score", "missing", "tolerance"],
            (Target::Indicator(_), true) | (Target::Area(_) | Target::Chapter(_), _) => {
                &["score", "missing", "tolerance"]
            }
            (Target::Standard(_), _) => &["verdict", "level", "attainment", "value", "missing", "tolerance"],
            (Target::Recommendation(_), _) => &["status", "missing"],
        };
        let mut tol = tolerance;
        for (k, val) in fields {
            if k.v == "tolerance" && allowed.contains(&"tolerance") {
                tol = self.tolerance(val);
            }
        }
        for (k, val) in fields {
            let what = match k.v.as_str() {
                f if !allowed.contains(&f) => {
                    let what = match &target {
                        Target::Indicator(_) if inner.is_none() => "an indicator's expectation has",
                        Target::Standard(_) => "a standard's expectation has",
                        Target::Recommendation(_) => "a recommendation's expectation has",
                        _ => "a score's expectation has",
                    };
                    self.unknown_key(k, f, allowed, what);
                    continue;
                }
                "tolerance" => continue,
                "value" => match target {
                    Target::Standard(_) => What::Compared,
                    _ => What::Value,
                },
                "score" => What::Score,
                "verdict" => What::Verdict,
                "level" => What::Level,
                "attainment" => What::Attainment,
                "status" => What::Status,
                _ => match (&target, inner.is_some()) {
                    // `missing = "reason"`: the main value is missing
                    (Target::Indicator(_), false) => What::Value,
                    (Target::Standard(_), _) => What::Verdict,
                    (Target::Recommendation(_), _) => What::Status,
                    _ => What::Score,
                },
            };
            if k.v == "missing" {
                match &val.v {
                    Tv::Str(s) => {
                        if let Some(r) = self.reason(val, s) {
                            out.push(Expect {
                                what,
                                want: Want::Missing(r),
                                span: self.span(val.span.clone()),
                                ..base.clone()
                            });
                        }
                    }
                    _ => self.shape(val, "`missing` is a reason", "write `missing = \"division_by_zero\"`"),
                }
                continue;
            }
            if let Some(want) = self.want(&target, what, val) {
                out.push(Expect { what, want, tolerance: tol, span: self.span(val.span.clone()), ..base.clone() });
            }
        }
    }

    /// The expected value of one field.
    fn want(&mut self, target: &Target, what: What, v: &Sp<Tv>) -> Option<Want> {
        let m = self.model;
        let words = |w: &[&str]| w.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        if let (What::Compared, Target::Standard(c)) = (what, target) {
            if m.standards[c.as_str()].value.is_none() {
                self.diags.push(
                    Diag::error(
                        Code::TestUnknown,
                        format!("the standard `{c}` compares no single value with a target"),
                    )
                    .at(self.span(v.span.clone()), "no value to compare")
                    .help("`value` is for requirements written `x <= target`; expect the verdict instead"),
                );
                return None;
            }
        }
        match (what, &v.v) {
            (What::Value | What::Score | What::Attainment | What::Compared, Tv::Int(_) | Tv::Float(_)) => {
                if let (What::Value, Target::Indicator(i)) = (what, target) {
                    if m.indicators[i.as_str()].boolean {
                        self.shape(v, &format!("`{i}` is yes/no"), &format!("write `{i} = true` or `{i} = false`"));
                        return None;
                    }
                }
                match self.number(v) {
                    Some(n) => Some(Want::Number(n)),
                    None => {
                        self.shape(v, "an expected number must be finite", "write a number such as `41.2`");
                        None
                    }
                }
            }
            (What::Value, Tv::Bool(b)) => match target {
                Target::Indicator(i) if m.indicators[i.as_str()].boolean => Some(Want::Bool(*b)),
                Target::Indicator(i) => {
                    self.shape(
                        v,
                        &format!("`{i}` is a number, not yes/no"),
                        &format!("write the expected number: `{i} = 41.2`"),
                    );
                    None
                }
                _ => None,
            },
            (What::Value | What::Score | What::Attainment | What::Compared, Tv::Str(s)) => {
                self.reason(v, s).map(Want::Missing)
            }
            (What::Verdict, Tv::Bool(b)) => Some(Want::Word(if *b { "met" } else { "not_met" }.into())),
            (What::Verdict, Tv::Str(s)) => {
                const VERDICTS: [&str; 3] = ["met", "not_met", "not_assessable"];
                if VERDICTS.contains(&s.as_str()) {
                    return Some(Want::Word(s.clone()));
                }
                let help = match suggest(s, VERDICTS) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => format!("the verdicts are {}", words(&VERDICTS)),
                };
                self.diags.push(
                    Diag::error(Code::TestUnknown, format!("unknown verdict `{s}`"))
                        .at(self.span(v.span.clone()), "not a verdict")
                        .help(help),
                );
                None
            }
            (What::Level, Tv::Str(s)) => {
                let Target::Standard(c) = target else { return None };
                let std = &m.standards[c.as_str()];
                let names: Vec<&str> =
                    std::iter::once("none").chain(std.levels.iter().map(|l| l.name.as_str())).collect();
                if std.levels.is_empty() {
                    self.diags.push(
                        Diag::error(Code::TestUnknown, format!("the standard `{c}` has no levels"))
                            .at(self.span(v.span.clone()), "not graded")
                            .help("expect its verdict: `verdict = \"met\"`"),
                    );
                    return None;
                }
                if names.contains(&s.as_str()) {
                    return Some(Want::Word(s.clone()));
                }
                let help = match suggest(s, names.iter().copied()) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => format!("the levels of `{c}` are {}", words(&names)),
                };
                self.diags.push(
                    Diag::error(Code::TestUnknown, format!("`{s}` is not a level of `{c}`"))
                        .at(self.span(v.span.clone()), "unknown level")
                        .help(help),
                );
                None
            }
            (What::Status, Tv::Bool(b)) => Some(Want::Word(if *b { "applies" } else { "does_not_apply" }.into())),
            (What::Status, Tv::Str(s)) => {
                const STATUS: [&str; 3] = ["applies", "does_not_apply", "not_assessable"];
                if STATUS.contains(&s.as_str()) {
                    return Some(Want::Word(s.clone()));
                }
                let help = match suggest(s, STATUS) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => format!("the statuses are {}", words(&STATUS)),
                };
                self.diags.push(
                    Diag::error(Code::TestUnknown, format!("unknown status `{s}`"))
                        .at(self.span(v.span.clone()), "not a status")
                        .help(help),
                );
                None
            }
            _ => {
                let (message, help) = match what {
                    What::Value | What::Score | What::Attainment | What::Compared => (
                        "an expected value is a number, true/false, or a missing reason",
                        "write `41.2`, `true`, or `\"division_by_zero\"`",
                    ),
                    What::Verdict => ("a verdict is `met`, `not_met` or `not_assessable`", "write `\"met\"`"),
                    What::Level => ("a level is the level's name", "write `level = \"advanced\"`"),
                    What::Status => (
                        "a recommendation's status is `applies`, `does_not_apply` or `not_assessable`",
                        "write `\"applies\"`",
                    ),
                };
                self.shape(v, message, help);
                None
            }
        }
    }
}

/// `range` means `tamga::data::range`.
fn code_name(s: &str) -> String {
    if s.contains("::") {
        s.to_string()
    } else {
        format!("tamga::data::{s}")
    }
}

/// How many decimals a number is written with: `41.2` → 1, `41.20` → 2, `75` → 0, `1.5e-3` → 4.
pub fn decimals_of(text: &str) -> u32 {
    let t = text.trim().trim_start_matches(['+', '-']).replace('_', "");
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (t.as_str(), 0),
    };
    let frac = mant.split_once('.').map(|(_, f)| f.len() as i64).unwrap_or(0);
    (frac - exp).clamp(0, crate::number::MAX_PRECISION as i64 + 5) as u32
}

/// A value written back as TOML (for the inline answers of a state, which are read as a
/// submission).
pub(super) fn to_toml(v: &Tv) -> String {
    match v {
        Tv::Bool(b) => b.to_string(),
        Tv::Int(n) => n.to_string(),
        Tv::Float(x) if x.is_nan() => "nan".into(),
        Tv::Float(x) if x.is_infinite() => {
            if *x > 0.0 {
                "inf".into()
            } else {
                "-inf".into()
            }
        }
        Tv::Float(x) => format!("{x:?}"),
        Tv::Str(s) => toml::Value::String(s.clone()).to_string(),
        Tv::Date(d) => d.clone(),
        Tv::Array(items) => format!("[{}]", items.iter().map(|i| to_toml(&i.v)).collect::<Vec<_>>().join(", ")),
        Tv::Table(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(&k.v), to_toml(&v.v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A key written as TOML: bare when it can be.
pub(super) fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::decimals_of;

    #[test]
    fn decimals_as_written() {
        for (text, want) in
            [("41.2", 1), ("41.20", 2), ("75", 0), ("-3.5", 1), ("1.5e-3", 4), ("1e3", 0), ("1_000.25", 2), ("+0.5", 1)]
        {
            assert_eq!(decimals_of(text), want, "{text}");
        }
    }
}
