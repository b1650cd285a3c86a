//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz_targets/`) and by the
//! regression test in the main crate (`tests/fuzz_regressions.rs` includes this file), which runs
//! every input saved in `tests/cases/fuzz-regressions/<target>/` through the same function.
//!
//! Each function must return normally for any input: a panic, a stack overflow, an abort or a
//! hang is a finding. The assertions below are the properties each target checks beyond "does
//! not crash".

use tamga::data::{Answer, Dataset, Submission};
use tamga::diagnostics::{render, to_json, Diag, Style};
use tamga::model::{Model, QuestionType, Reason};
use tamga::source::{FileId, SourceMap};
use tamga::syntax::{parse_file, print};

const STYLE: Style = Style { color: false, width: 100 };

/// Renders diagnostics as the command line and `--format json` do (rendering must not panic
/// either: spans must lie inside their files).
fn show(diags: &[Diag], sources: &SourceMap) {
    let _ = render(diags, sources, STYLE);
    let _ = to_json(diags, sources);
}

/// A dataset of `units` units for one period, every question answered from `values` (cycled);
/// a value that is not finite makes the answer missing.
fn dataset(model: &Model, units: usize, values: &[f64]) -> Dataset {
    let mut k = 0;
    let mut next = || {
        let v = if values.is_empty() { 1.0 } else { values[k % values.len()] };
        k += 1;
        v
    };
    let submissions = (0..units)
        .map(|u| Submission {
            unit: format!("U{u}"),
            period: "2023".into(),
            name: Default::default(),
            groups: Default::default(),
            note: None,
            file: format!("u{u}.json"),
            sha256: String::new(),
            answers: model
                .questions
                .values()
                .map(|q| {
                    let v = next();
                    if !v.is_finite() {
                        return Some(Answer::Missing(Reason::NotSubmitted));
                    }
                    // as validation leaves answers: whole counts, in the question's range
                    let v = match &q.ty {
                        QuestionType::YesNo => (v != 0.0) as u8 as f64,
                        QuestionType::Choice(options) => (v.abs() as usize % options.len().max(1)) as f64,
                        QuestionType::Count => v.abs().floor(),
                        _ => v,
                    };
                    if q.range.contains(v) {
                        Some(Answer::Number(v))
                    } else {
                        Some(Answer::Missing(Reason::Invalid))
                    }
                })
                .collect(),
        })
        .collect();
    Dataset { submissions }
}

/// Every computed value is a finite number or a missing value with a reason (docs/results.md:
/// "NaN and infinity never appear").
fn assert_finite(outcome: &tamga::eval::Outcome) {
    for p in &outcome.periods {
        for (slot, column) in p.columns.iter().enumerate() {
            for (unit, v) in column.iter().enumerate() {
                if let Ok(x) = v {
                    assert!(x.is_finite(), "slot {slot}, unit {unit}: {x}");
                }
            }
        }
    }
}

/// Target `parse_check`: a rule file is parsed and checked; diagnostics are rendered; a
/// methodology that checks is evaluated over three units.
pub fn parse_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let checked = tamga::check::check_text("fuzz.tamga", text);
    show(&checked.diags, &checked.sources);
    if let Ok((meth, _)) = checked.methodology() {
        let values: Vec<f64> = data.iter().take(64).map(|&b| f64::from(b) - 64.0).collect();
        let outcome = tamga::eval::evaluate(&meth.model, &dataset(&meth.model, 3, &values));
        assert_finite(&outcome);
    }
}

/// Target `fmt_roundtrip`: parse → fmt → parse gives the same canonical form (the fingerprint),
/// and fmt is idempotent. A formatted text that cannot be parsed again because it is nested too
/// deeply is the one documented exception (`tamga fmt` then refuses to write it).
pub fn fmt_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(ast) = parse_file(FileId(0), text) else { return };
    let once = print::format_file(&ast, text);
    let again = match parse_file(FileId(0), &once) {
        Ok(a) => a,
        Err(d) if d.iter().any(|d| d.message.contains("nest")) => return,
        Err(d) => panic!("fmt output does not parse: {}\n---\n{once}", d[0].message),
    };
    assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]), "fmt changed the meaning:\n{once}");
    let twice = print::format_file(&again, &once);
    assert_eq!(once, twice, "fmt is not idempotent");
}

/// The methodology the expressions of `eval_expr` are evaluated in.
pub const EVAL_RULES: &str = r#"methodology f { en "Fuzz" ru "Fuzz" version "1" }
question a : number { en "A" ru "A" }
question b : number { en "B" ru "B" }
question h : hours { en "H" ru "H" }
question n : count { en "N" ru "N" }
question p : percent { en "P" ru "P" }
question y : yesno { en "Y" ru "Y" }
question k : choice(x, z) { en "K" ru "K" option x en "X" ru "X" option z en "Z" ru "Z" }
group g { en "G" ru "G" question g1 : yesno { en "G1" ru "G1" } question g2 : yesno { en "G2" ru "G2" } }
area s {
  en "S" ru "S"
  indicator v = a { en "V" ru "V" score minmax }
  indicator w = b { en "W" ru "W" score goalposts(best: 0, worst: 100) }
}
standard T-1 { en "T" ru "T" requires v <= 10 level basic: v <= 20 level advanced: v <= 10 }
"#;

/// Target `eval_expr`: the first line is a formula, the rest gives the answers of three units
/// (8 bytes a number: any binary64; NaN and infinity stand for a missing answer). The formula is
/// checked as an indicator and a recommendation condition, evaluated, and explained; every value
/// is finite or missing, and the explanation agrees with the evaluation.
pub fn eval_expr(data: &[u8]) {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let Ok(expr) = std::str::from_utf8(&data[..split]) else { return };
    if expr.contains('{') || expr.contains('}') || expr.contains('#') {
        return; // the formula must stay one formula
    }
    let rest = data.get(split + 1..).unwrap_or(&[]);
    let values: Vec<f64> =
        rest.chunks(8).map(|c| f64::from_le_bytes(std::array::from_fn(|i| c.get(i).copied().unwrap_or(0)))).collect();
    let text = format!(
        "{EVAL_RULES}indicator e = {expr} {{ en \"E\" ru \"E\" }}\nrecommend r when e == e {{ en \"R\" ru \"R\" }}\n"
    );
    let checked = tamga::check::check_text("fuzz.tamga", &text);
    show(&checked.diags, &checked.sources);
    let Ok((meth, _)) = checked.methodology() else { return };
    let data = dataset(&meth.model, 3, &values);
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    assert_finite(&outcome);
    let lang = tamga::report::Lang::En;
    let target = tamga::explain::Target::resolve(&meth.model, "e").expect("e is declared");
    for unit in 0..3 {
        let e = tamga::explain::explain(
            &meth.model,
            &meth.sources,
            Some(&data),
            &outcome.periods[0],
            unit,
            &target,
            tamga::explain::Options { lang, max_depth: None },
        );
        assert_eq!(e.mismatches, 0, "the explanation disagrees with the evaluation of {expr}");
        let _ = tamga::explain::text::render(&e, "fuzz", lang);
    }
}

/// The methodology submissions are loaded for in `load_submission`.
pub const LOAD_RULES: &str = r#"methodology l { en "Load" ru "Load" version "1" languages en, ru }
question q_num : number in 0..=100 { en "Num" ru "Num" }
question q_cnt : count { en "Cnt" ru "Cnt" }
question q_hrs : hours optional { en "Hrs" ru "Hrs" }
question q_pct : percent { en "Pct" ru "Pct" }
question q_yes : yesno { en "Yes" ru "Yes" }
question q_opt : choice(council, other) { en "Opt" ru "Opt" option council en "C" ru "C" option other en "O" ru "O" }
area a {
  en "A" ru "A"
  indicator i = q_num { en "I" ru "I" score minmax }
}
"#;

/// Target `load_submission`: the first byte chooses the format (JSON, TOML, CSV, Excel), the rest
/// is the file. Loading must report problems as diagnostics; every answer loaded is finite.
pub fn load_submission(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else { return };
    // a format byte with the high bit set: the rest is the XML of a workbook's parts (see
    // `workbook_of_parts`), so that the fuzzer mutates cells, rows, styles and shared strings
    // rather than compressed bytes
    let built;
    let (name, bytes) = if which & 0x80 != 0 {
        built = workbook_of_parts(bytes);
        ("s.xlsx", &built[..])
    } else {
        (["s.json", "s.toml", "s.csv", "s.xlsx"][usize::from(which % 4)], bytes)
    };
    let checked = tamga::check::check_text("load.tamga", LOAD_RULES);
    let Ok((meth, _)) = checked.methodology() else { panic!("the fuzz methodology checks") };
    let mut sources = meth.sources.clone();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, name, bytes, &mut sources);
    show(&diags, &sources);
    for s in &subs {
        assert_eq!(s.answers.len(), meth.model.questions.len());
        for a in s.answers.iter().flatten() {
            if let Answer::Number(x) = a {
                assert!(x.is_finite(), "{name}: answer {x}");
            }
        }
    }
    if !subs.is_empty() {
        let outcome = tamga::eval::evaluate(&meth.model, &Dataset { submissions: subs });
        assert_finite(&outcome);
    }
}

/// A workbook whose parts come from the fuzzer: `bytes` split at the byte 0xFF gives the rows
/// of the sheet of questions below its `id` header (XML inside `<sheetData>`), `xl/styles.xml` and
/// `xl/sharedStrings.xml`; the first sheet holds the unit and the period. Stored in a zip without
/// compression (each part's size and checksum correct), so every mutation reaches the XML.
pub fn workbook_of_parts(bytes: &[u8]) -> Vec<u8> {
    let mut pieces = bytes.splitn(3, |&b| b == 0xFF);
    let rows = pieces.next().unwrap_or_default();
    let styles = pieces.next().unwrap_or_default();
    let strings = pieces.next().unwrap_or_default();
    let sheet = |data: &[u8]| {
        let mut x = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
        x.extend_from_slice(data);
        x.extend_from_slice(b"</sheetData></worksheet>");
        x
    };
    let keys = br#"<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="C1" t="inlineStr"><is><t>AM</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>period</t></is></c><c r="C2"><v>2023</v></c></row>"#;
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Submission" sheetId="1" r:id="rId1"/><sheet name="Questions" sheetId="2" r:id="rId2"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", sheet(keys)),
        ("xl/worksheets/sheet2.xml", sheet(&[&br#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>"#[..], rows].concat())),
    ];
    // an empty part is left out (calamine reads a workbook without styles or shared strings)
    for (name, part) in [("xl/styles.xml", styles), ("xl/sharedStrings.xml", strings)] {
        if !part.is_empty() {
            parts.push((name, part.to_vec()));
        }
    }
    stored_zip(&parts)
}

/// A zip archive of `parts`, stored without compression.
fn stored_zip(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let (mut out, mut central) = (vec![], vec![]);
    for (name, data) in parts {
        let (crc, size, offset) = (crc32(data), data.len() as u32, out.len() as u32);
        let common = |v: &mut Vec<u8>| {
            for x in [20u16, 0, 0, 0, 0] {
                v.extend_from_slice(&x.to_le_bytes());
            }
            for x in [crc, size, size] {
                v.extend_from_slice(&x.to_le_bytes());
            }
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut central);
        for x in [0u16, 0, 0, 0, 0] {
            central.extend_from_slice(&x.to_le_bytes());
        }
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for x in [0u16, 0, parts.len() as u16, parts.len() as u16] {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
