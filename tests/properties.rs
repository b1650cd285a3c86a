//! Properties, over generated input (proptest): formulas never make tamga panic; results do not
//! depend on the order of files, declarations or states; min-max scores do not change when every
//! value is scaled; re-weighting over the indicators present is the full weighted mean when none
//! is missing; `fmt` is idempotent and keeps meaning. docs/reliability.md says what each covers.

use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tamga::check::check_text;
use tamga::data::{Dataset, Submission};
use tamga::diagnostics::{has_errors, render, Style};
use tamga::model::Model;
use tamga::source::FileId;
use tamga::syntax::{parse_file, print};

const STYLE: Style = Style { color: false, width: 100 };

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

// ───────────── generated formulas ─────────────

/// Formulas over the questions of [`HEAD`]: well-typed or not, every operator and function of
/// the language, nested.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("h".to_string()),
        Just("y".to_string()),
        Just("k".to_string()),
        Just("yes".to_string()),
        Just("\"x\"".to_string()),
        (-1000i32..1000).prop_map(|n| n.to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("{x:?}")),
        (0u32..200).prop_map(|n| format!("{n}%")),
        Just("1e300".to_string()),
        Just("0".to_string()),
    ];
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "^", "??", "<", "<=", "==", "!=", "and", "or"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("(not ({a}))")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, t, e)| format!("(if {c} then {t} else {e})")),
            (prop::sample::select(vec!["min", "max", "sum", "mean"]), prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                prop::sample::select(vec![
                    "abs",
                    "ln",
                    "exp",
                    "sqrt",
                    "is_missing",
                    "missing_reason",
                    "union_mean",
                    "union_sd",
                    "union_rank",
                    "union_percentile",
                    "union_median"
                ]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("pow({a}, {b})")),
            (inner.clone(), 0u32..4).prop_map(|(a, d)| format!("round({a}, {d})")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("clamp({a}, {b}, {c})")),
            (inner.clone(), inner.clone())
                .prop_map(|(s, v)| format!("bands({s}) {{ ..0 => {v}, 0..10 => 1, 10.. => 2 }}")),
            (inner.clone(), inner.clone()).prop_map(|(v, w)| format!("match(k) {{ \"x\" => {v}, else => {w} }}")),
            inner.clone().prop_map(|a| format!("count(y, {a} > 0)")),
        ]
    })
}

const HEAD: &str = r#"methodology p { en "P" ru "P" version "1" }
question a : number { en "A" ru "A" }
question b : number { en "B" ru "B" }
question h : hours { en "H" ru "H" }
question y : yesno { en "Y" ru "Y" }
question k : choice(x, z) { en "K" ru "K" option x en "X" ru "X" option z en "Z" ru "Z" }
"#;

fn submission_json(unit: &str, a: f64, b: f64, h: f64, y: bool, k: &str) -> String {
    format!(
        r#"{{ "unit": "{unit}", "period": "2023", "answers": {{ "a": {a:?}, "b": {b:?}, "h": {h:?}, "y": {y}, "k": "{k}" }} }}"#
    )
}

fn load(model: &Model, files: &[(String, String)]) -> Dataset {
    let mut sources = tamga::source::SourceMap::new();
    let mut subs: Vec<Submission> = vec![];
    for (name, text) in files {
        let (s, d) = tamga::data::load_bytes(model, name, text.as_bytes(), &mut sources);
        assert!(!has_errors(&d), "{}", render(&d, &sources, STYLE));
        subs.extend(s);
    }
    subs.sort_by(|x, y| (&x.period, &x.unit).cmp(&(&y.period, &y.unit)));
    Dataset { submissions: subs }
}

fn answers() -> impl Strategy<Value = Vec<(f64, f64, f64, bool, bool)>> {
    prop::collection::vec((-1e4f64..1e4, -1e4f64..1e4, 0f64..1e4, any::<bool>(), any::<bool>()), 1..5)
}

fn files(rows: &[(f64, f64, f64, bool, bool)]) -> Vec<(String, String)> {
    rows.iter()
        .enumerate()
        .map(|(i, (a, b, h, y, k))| {
            let unit = format!("U{i}");
            (format!("{unit}.json"), submission_json(&unit, *a, *b, *h, *y, if *k { "x" } else { "z" }))
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// Any formula: checked, and when it checks, evaluated, explained and formatted; no panic, and
    /// every value is finite or missing with a reason.
    #[test]
    fn generated_formulas_never_panic(f in formula(), rows in answers()) {
        let text = format!("{HEAD}indicator e = {f} {{ en \"E\" ru \"E\" }}\n");
        let checked = check_text("gen.tamga", &text);
        let _ = render(&checked.diags, &checked.sources, STYLE);
        if let Ok((meth, _)) = checked.methodology() {
            let data = load(&meth.model, &files(&rows));
            let outcome = tamga::eval::evaluate(&meth.model, &data);
            for p in &outcome.periods {
                for col in &p.columns {
                    for v in col.iter().flatten() {
                        prop_assert!(v.is_finite(), "{f}: {v}");
                    }
                }
            }
            let target = tamga::explain::Target::resolve(&meth.model, "e").expect("declared");
            let lang = tamga::report::Lang::En;
            let e = tamga::explain::explain(&meth.model, &meth.sources, Some(&data), &outcome.periods[0], 0, &target, tamga::explain::Options { lang, max_depth: None });
            prop_assert_eq!(e.mismatches, 0, "{}", f);
            let ast = parse_file(FileId(0), &text).expect("parses");
            let once = print::format_file(&ast, &text);
            let again = parse_file(FileId(0), &once).expect("fmt output parses");
            prop_assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]));
        }
    }

    /// `fmt` is idempotent and keeps the canonical form (the fingerprint), on generated files.
    #[test]
    fn fmt_is_idempotent(fs in prop::collection::vec(formula(), 1..4), comment in any::<bool>()) {
        let mut text = String::from(HEAD);
        for (i, f) in fs.iter().enumerate() {
            if comment {
                text.push_str(&format!("# indicator {i}\n"));
            }
            text.push_str(&format!("indicator e{i} = {f} {{ en \"E\" ru \"E\" }}\n"));
        }
        let ast = parse_file(FileId(0), &text).expect("generated text parses");
        let once = print::format_file(&ast, &text);
        let ast2 = parse_file(FileId(0), &once).expect("fmt output parses");
        let twice = print::format_file(&ast2, &once);
        prop_assert_eq!(&once, &twice);
        prop_assert_eq!(print::canonical(&[&ast]), print::canonical(&[&ast2]));
    }
}

// ───────────── order ─────────────

/// Every indicator's value and score, and every area's score, by id and unit: what a result says,
/// independent of slot numbering.
fn results(model: &Model, data: &Dataset) -> BTreeMap<String, Vec<String>> {
    let outcome = tamga::eval::evaluate(model, data);
    let mut out = BTreeMap::new();
    for p in &outcome.periods {
        let show = |slot: tamga::model::Slot| -> Vec<String> {
            p.columns[slot.0 as usize].iter().map(|v| format!("{v:?}")).collect()
        };
        for (id, ind) in &model.indicators {
            out.insert(format!("{} value {id}", p.period), show(ind.value));
            if ind.score.is_some() {
                out.insert(format!("{} score {id}", p.period), show(ind.score_slot));
            }
        }
        for (id, area) in &model.areas {
            out.insert(format!("{} area {id}", p.period), show(area.slot));
        }
        out.insert(format!("{} units", p.period), p.units.clone());
    }
    out
}

/// A small methodology whose top-level declarations can be put in any order.
const DECLS: [&str; 6] = [
    "question a : number { en \"A\" ru \"A\" }",
    "question b : number { en \"B\" ru \"B\" }",
    "indicator ratio = a / (abs(b) + 1) { en \"R\" ru \"R\" }",
    "area one { en \"One\" ru \"Один\" weight 2 indicator va = a { en \"VA\" ru \"VA\" score minmax } indicator vr = ratio { en \"VR\" ru \"VR\" score zscore } }",
    "area two { en \"Two\" ru \"Два\" indicator vb = b { en \"VB\" ru \"VB\" lower_is_better score rank } indicator vc = union_rank(a) { en \"VC\" ru \"VC\" score value } }",
    "standard S-1 { en \"S\" ru \"S\" requires va >= 50 }",
];

fn ab_files(rows: &[(f64, f64)]) -> Vec<(String, String)> {
    rows.iter()
        .enumerate()
        .map(|(i, (a, b))| {
            (
                format!("U{i}.json"),
                format!(r#"{{ "unit": "U{i}", "period": "2023", "answers": {{ "a": {a:?}, "b": {b:?} }} }}"#),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(config(64))]

    /// Declarations in any order, states in any order, rule files in any order (one declaration
    /// per included file, included in any order): the same results and the same fingerprint.
    #[test]
    fn order_of_declarations_states_and_files_does_not_matter(
        order in Just((0..DECLS.len()).collect::<Vec<_>>()).prop_shuffle(),
        rows in prop::collection::vec((-100f64..100.0, -100f64..100.0), 2..6),
        state_order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let head = "methodology o { en \"O\" ru \"O\" version \"1\" }\n";
        let base = format!("{head}{}\n", DECLS.join("\n"));
        let shuffled = format!("{head}{}\n", order.iter().map(|&i| DECLS[i]).collect::<Vec<_>>().join("\n"));
        let (m1, _) = check_text("base.tamga", &base).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
        let (m2, _) = check_text("shuffled.tamga", &shuffled).methodology().unwrap_or_else(|_| panic!("shuffled checks"));
        prop_assert_eq!(&m1.fingerprint, &m2.fingerprint);

        // files: each declaration in its own file, included in the shuffled order
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut entry = String::from(head);
        for (k, &i) in order.iter().enumerate() {
            let name = format!("part{k}.tamga");
            std::fs::write(dir.path().join(&name), DECLS[i]).expect("write");
            entry.push_str(&format!("include \"{name}\"\n"));
        }
        std::fs::write(dir.path().join("methodology.tamga"), entry).expect("write");
        let (m3, _) = tamga::check::check(dir.path()).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
        prop_assert_eq!(&m1.fingerprint, &m3.fingerprint);

        // states: the submission files given in another order
        let files = ab_files(&rows);
        let permuted: Vec<(String, String)> = state_order.iter().filter(|&&i| i < files.len()).map(|&i| files[i].clone()).collect();
        let r1 = results(&m1.model, &load(&m1.model, &files));
        prop_assert_eq!(&r1, &results(&m2.model, &load(&m2.model, &permuted)));
        prop_assert_eq!(&r1, &results(&m3.model, &load(&m3.model, &permuted)));

        // and from files on disk, named in another order on the command line
        let paths: Vec<PathBuf> = permuted.iter().map(|(name, text)| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("write");
            p
        }).collect();
        let mut sources = m1.sources.clone();
        let (data, _) = tamga::data::load(&m1.model, &paths, &mut sources);
        prop_assert_eq!(&r1, &results(&m1.model, &data));
    }

    /// Min-max scores are the same when every value is multiplied by the same positive factor.
    #[test]
    fn minmax_is_invariant_to_scaling(
        values in prop::collection::vec(-1e3f64..1e3, 2..8),
        factor in prop_oneof![0.001f64..1.0, 1.0f64..1000.0],
        lower in any::<bool>(),
    ) {
        let direction = if lower { "lower_is_better" } else { "higher_is_better" };
        let text = format!("methodology s {{ en \"S\" ru \"S\" version \"1\" }}\nquestion a : number {{ en \"A\" ru \"A\" }}\n\
            area x {{ en \"X\" ru \"X\" indicator v = a {{ en \"V\" ru \"V\" {direction} score minmax }} }}\n");
        let (m, _) = check_text("s.tamga", &text).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
        let scaled: Vec<f64> = values.iter().map(|v| v * factor).collect();
        let score = |vals: &[f64]| {
            let rows: Vec<(f64, f64)> = vals.iter().map(|&v| (v, 0.0)).collect();
            let data = load(&m.model, &ab_files(&rows).into_iter().map(|(n, t)| (n, t.replace(", \"b\": 0.0", ""))).collect::<Vec<_>>());
            let outcome = tamga::eval::evaluate(&m.model, &data);
            let slot = m.model.indicators["v"].score_slot.0 as usize;
            outcome.periods[0].columns[slot].clone()
        };
        let (s1, s2) = (score(&values), score(&scaled));
        for (x, y) in s1.iter().zip(&s2) {
            match (x, y) {
                (Ok(x), Ok(y)) => prop_assert!((x - y).abs() <= 1e-9 * 100.0, "{x} vs {y}"),
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "{x:?} vs {y:?}"),
            }
        }
    }

    /// With every indicator present, `missing reweight` gives the full weighted mean: the same as
    /// `missing not_assessable` (which needs every child) and as the mean computed by hand.
    #[test]
    fn reweighting_equals_the_full_mean_when_nothing_is_missing(
        rows in prop::collection::vec((0f64..100.0, 0f64..100.0, 0f64..100.0), 1..5),
        weights in (1u32..10, 1u32..10, 1u32..10),
    ) {
        let (w1, w2, w3) = weights;
        let meth = |policy: &str| format!("methodology w {{ en \"W\" ru \"W\" version \"1\" }}\n\
            question a : number {{ en \"A\" ru \"A\" }}\nquestion b : number {{ en \"B\" ru \"B\" }}\nquestion c : number {{ en \"C\" ru \"C\" }}\n\
            area x {{ en \"X\" ru \"X\" missing {policy}\n\
              indicator va = a {{ en \"A\" ru \"A\" weight {w1} score value }}\n\
              indicator vb = b {{ en \"B\" ru \"B\" weight {w2} score value }}\n\
              indicator vc = c {{ en \"C\" ru \"C\" weight {w3} score value }} }}\n");
        let files: Vec<(String, String)> = rows.iter().enumerate().map(|(i, (a, b, c))| (
            format!("U{i}.json"),
            format!(r#"{{ "unit": "U{i}", "period": "2023", "answers": {{ "a": {a:?}, "b": {b:?}, "c": {c:?} }} }}"#),
        )).collect();
        let area = |policy: &str| {
            let (m, _) = check_text("w.tamga", &meth(policy)).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
            let data = load(&m.model, &files);
            let outcome = tamga::eval::evaluate(&m.model, &data);
            outcome.periods[0].columns[m.model.areas["x"].slot.0 as usize].clone()
        };
        let (re, full) = (area("reweight"), area("not_assessable"));
        for (i, (r, f)) in re.iter().zip(&full).enumerate() {
            let (a, b, c) = rows[i];
            let by_hand = (f64::from(w1) * a + f64::from(w2) * b + f64::from(w3) * c) / f64::from(w1 + w2 + w3);
            let (r, f) = (r.expect("present"), f.expect("present"));
            prop_assert!((r - f).abs() <= 1e-9, "{r} vs {f}");
            prop_assert!((r - by_hand).abs() <= 1e-9, "{r} vs {by_hand}");
        }
    }
}
