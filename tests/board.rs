//! The report as a Board member reads it (issue 14): the executive summary first, the states in
//! the methodology's order everywhere, and words instead of the rule files' identifiers.

use std::path::{Path, PathBuf};
use tamga::diagnostics::{render, Style};
use tamga::report::{self, json, view, Format, Lang};

const STYLE: Style = Style { color: false, width: 100 };

fn evaluate(meth_path: &Path, files: &[PathBuf]) -> (tamga::check::Methodology, json::ResultDoc) {
    let (meth, _) = match tamga::check::check(meth_path).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("{}:\n{}", meth_path.display(), render(&diags, &sources, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, files, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, STYLE));
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    (meth, doc)
}

fn eaeu() -> (tamga::check::Methodology, json::ResultDoc) {
    evaluate(Path::new("rules/eaeu"), &[PathBuf::from("examples/eaeu")])
}

fn file(meth: &tamga::check::Methodology, doc: &json::ResultDoc, lang: Lang, name: &str) -> String {
    let files = report::render(&meth.model, doc, lang, &Format::ALL);
    let bytes = files.into_iter().find(|(n, _)| *n == name).map(|(_, b)| b).expect(name);
    String::from_utf8(bytes).expect("UTF-8")
}

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-board-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const PROTOCOL: [&str; 5] = ["AM", "BY", "KZ", "KG", "RU"];

fn codes(units: &[view::UnitRef]) -> Vec<&str> {
    units.iter().map(|u| u.code.as_str()).collect()
}

#[test]
fn the_summary_ranks_the_states_by_their_index() {
    let (meth, doc) = eaeu();
    let v = view::build(&meth.model, &doc, Lang::Ru);
    let s = v.summary.as_ref().expect("a summary");
    let got: Vec<(&str, &str, Option<usize>, &str, &str)> = s
        .rows
        .iter()
        .map(|r| (r.unit.code.as_str(), r.index.text.as_str(), r.rank_value, r.met.as_str(), r.change.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("AM", "61,2", Some(4), "14 из 25", "+5,1"),
            ("BY", "73,1", Some(2), "22 из 25", "−4,2"),
            ("KZ", "72,3", Some(3), "17 из 25", "+9,5"),
            ("KG", "44,4", Some(5), "6 из 25", "+12,5"),
            ("RU", "87,9", Some(1), "24 из 25", "+4,1"),
        ]
    );
    assert_eq!(s.mean.index.text, "67,8");
    assert_eq!(s.head[4], "Изменение с 2022");
    // the largest change first: Belarus's payments (confidential refunds in 2023)
    assert!(s.changes[0].starts_with("Беларусь — IV. Таможенные платежи: 89,2 → 30,6"), "{:?}", s.changes);
    assert!(s.changes.len() <= 5);
    // key recommendations: those of unmet standards of the Code, at most three a state
    let kg = s.recs.iter().find(|(u, ..)| u.code == "KG").expect("KG");
    assert_eq!(kg.1.len(), 3);
    assert!(kg.1[0].starts_with("Создать постоянно действующий консультативный орган"), "{:?}", kg.1);
    // 13 more before the area recommendations were folded into those of their unmet standards
    assert!(kg.2.starts_with("Ещё 10 рекомендаций"), "{}", kg.2);
    // the summary comes first in both formats
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    let summary = md.find("## Основные результаты").expect("summary heading");
    assert!(summary < md.find("## Результаты · 2023").expect("results"));
    let html = file(&meth, &doc, Lang::Ru, "report.html");
    assert!(html.find("id=\"summary\"").expect("summary") < html.find("id=\"p1\"").expect("period"));
}

#[test]
fn ranks_share_a_place_on_equal_figures_and_skip_missing_ones() {
    assert_eq!(
        view::ranks(&[Some(50.0), Some(70.0), None, Some(70.0), Some(10.0)]),
        vec![Some(3), Some(1), None, Some(1), Some(4)]
    );
    assert_eq!(view::ranks(&[]), Vec::<Option<usize>>::new());
}

#[test]
fn the_states_follow_the_order_the_methodology_declares() {
    let (meth, doc) = eaeu();
    assert_eq!(meth.model.header.units, PROTOCOL);
    for p in &doc.periods {
        let got: Vec<&str> = p.results.iter().map(|r| r.unit.as_str()).collect();
        assert_eq!(got, PROTOCOL, "results of {}", p.period);
    }
    for lang in [Lang::En, Lang::Ru] {
        let v = view::build(&meth.model, &doc, lang);
        let s = v.summary.as_ref().expect("summary");
        assert_eq!(codes(&s.rows.iter().map(|r| r.unit.clone()).collect::<Vec<_>>()), PROTOCOL);
        assert_eq!(s.recs.iter().map(|(u, ..)| u.code.as_str()).collect::<Vec<_>>(), PROTOCOL);
        for p in &v.periods {
            assert_eq!(codes(&p.units), PROTOCOL);
            assert_eq!(codes(&p.matrix.units), PROTOCOL);
            assert_eq!(codes(&p.standards.units), PROTOCOL);
            assert_eq!(p.recommendations.iter().map(|u| u.unit.code.as_str()).collect::<Vec<_>>(), PROTOCOL);
            let charts: Vec<&str> = p.unit_charts.iter().map(|c| c.title.as_str()).collect();
            assert!(charts[2].ends_with("(KZ)") && charts[3].ends_with("(KG)"), "{charts:?}");
        }
        let ch = v.change.as_ref().expect("change");
        // the union mean first, then the states
        assert_eq!(ch.units[1..].iter().map(|u| u.unit.code.as_str()).collect::<Vec<_>>(), PROTOCOL);
    }
    // the CSV rows and the Markdown matrix's columns
    let csv = file(&meth, &doc, Lang::En, "matrix.csv");
    let rows: Vec<&str> = csv.lines().skip(1).filter(|l| l.starts_with("2023,")).map(|l| &l[5..7]).collect();
    assert_eq!(rows, PROTOCOL);
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    let kz = md.find("Казахстан (KZ) |").expect("KZ");
    let kg = md.find("Кыргызстан (KG) |").expect("KG");
    assert!(kz < kg);
}

#[test]
fn states_outside_the_declared_order_come_after_it_by_code() {
    let dir = temp_dir("order");
    for f in ["methodology.tamga", "questions.tamga"] {
        let text = std::fs::read_to_string(Path::new("rules/demo").join(f)).expect("demo");
        let text = text.replace("  scale 0..=100\n", "  units RU, KZ\n  scale 0..=100\n");
        std::fs::write(dir.join(f), text).expect("write");
    }
    let (_, doc) = evaluate(&dir.join("methodology.tamga"), &[PathBuf::from("examples/demo")]);
    let got: Vec<&str> = doc.periods[0].results.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(got, ["RU", "KZ", "AM", "BY", "KG"]);
    // without `units`, code order
    let (_, doc) = evaluate(Path::new("rules/demo"), &[PathBuf::from("examples/demo")]);
    let got: Vec<&str> = doc.periods[0].results.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(got, ["AM", "BY", "KG", "KZ", "RU"]);
}

#[test]
fn a_unit_listed_twice_is_an_error_and_units_survive_fmt() {
    let dir = temp_dir("twice");
    let text = "methodology m {\n  en \"M\"\n  version \"1\"\n  units AM, BY, AM\n}\n";
    std::fs::write(dir.join("methodology.tamga"), text).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["check", dir.join("methodology.tamga").to_str().expect("path")])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("the unit `AM` is listed twice in `units`"), "{err}");
    // the canonical form keeps the order as written (it is meaning), so the fingerprint does too
    let a = "methodology m {\n  en \"M\"\n  version \"1\"\n  units AM, BY\n}\n";
    let b = "methodology m {\n  en \"M\"\n  version \"1\"\n  units BY, AM\n}\n";
    let fp = |t: &str, name: &str| {
        let p = dir.join(name);
        std::fs::write(&p, t).expect("write");
        let (meth, _) = tamga::check::check(&p).methodology().map_err(|_| "check").expect("checks");
        meth.fingerprint.clone()
    };
    assert_ne!(fp(a, "a.tamga"), fp(b, "b.tamga"));
}

/// The text a reader reads: before the appendices (data quality, provenance), without markup,
/// tooltips and Markdown escapes.
fn reader_text(text: &str, quality_heading: &str, html: bool) -> String {
    let end = text.find(quality_heading).expect("the appendices' first heading");
    let body = &text[..end];
    if !html {
        return body.replace('\\', "");
    }
    let body = match (body.find("<style"), body.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &body[..a], &body[b..]),
        _ => body.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn occurs_as_word(text: &str, id: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !word(c));
        let after = text[i + id.len()..].chars().next().is_none_or(|c| !word(c));
        before && after
    })
}

#[test]
fn no_identifier_of_the_rule_files_is_in_the_text_a_reader_reads() {
    let (meth, doc) = eaeu();
    let m = &meth.model;
    // every id of the rule files: questions, groups, indicators, areas and the index,
    // recommendations, consistency rules; the codes of standards and chapters are their numbers
    // in the Code (as an article's number), and the methodology's id stamps the status line
    let mut ids: Vec<&str> = vec![m.index.as_str()];
    ids.extend(m.questions.keys().map(String::as_str));
    ids.extend(m.groups.keys().map(String::as_str));
    ids.extend(m.indicators.keys().map(String::as_str));
    ids.extend(m.areas.keys().map(String::as_str));
    ids.extend(m.recommendations.keys().map(String::as_str));
    ids.extend(m.rules.keys().map(String::as_str));
    assert!(ids.len() > 200, "{}", ids.len());
    let mut sources: Vec<String> = m.indicators.values().filter_map(|i| i.source.clone()).collect();
    sources.extend(m.standards.values().filter_map(|s| s.source.clone()));
    for (lang, quality) in [(Lang::Ru, "## Качество данных"), (Lang::En, "## Data quality")] {
        for (name, end) in [("report.md", quality), ("report.html", "<section id=\"quality\">")] {
            let mut text = reader_text(&file(&meth, &doc, lang, name), end, name.ends_with("html"));
            // sources are citations as written (in English): `… non-compliance with classification rules`
            for src in sources.iter() {
                text = text.replace(src.as_str(), "");
            }
            assert!(text.len() > 50_000, "{name}: {} characters", text.len());
            let found: Vec<&&str> = ids
                .iter()
                // an id that is an English word (`business`) is looked for in the Russian text only
                .filter(|id| lang == Lang::Ru || id.contains(|c: char| c == '_' || c.is_ascii_digit()))
                .filter(|id| occurs_as_word(&text, id))
                .collect();
            assert!(found.is_empty(), "{name} ({lang:?}) names {found:?}");
        }
    }
}

#[test]
fn requirements_levels_and_conditions_are_in_words() {
    let (meth, doc) = eaeu();
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    // the requirement with its label and unit, not `q05_import_release_time <= 24`
    assert!(md.contains("не более 24\u{a0}ч"), "{}", &md[..3000.min(md.len())]);
    assert!(!md.contains(" h;"), "an English unit in the Russian report");
    assert!(!md.contains("not met("));
    assert!(!md.contains("union_mean("));
    // a recommendation that cannot be assessed says why, not "cannot be assessed: not assessable"
    assert!(!md.contains("не может быть оценена: не оценивается"));
}

fn bar(label: &str, value: Option<f64>) -> tamga::report::svg::Bar {
    tamga::report::svg::Bar {
        label: label.into(),
        value,
        text: value.map(|x| format!("{x:.1}")).unwrap_or("н/д".into()),
        tooltip: label.into(),
        mean: None,
        strong: false,
        indent: 0,
    }
}

#[test]
fn a_column_chart_names_the_states_draws_no_bar_for_a_missing_value_and_keeps_labels_clear() {
    use tamga::report::svg::{self, MeanLine};
    let bars = vec![bar("Армения", Some(61.2)), bar("Кыргызстан", None), bar("Россия", Some(90.0))];
    // the mean sits right at Armenia's value label (61.2 + a few points on a 0–100 scale)
    let mean = MeanLine { value: 64.0, label: "среднее по Союзу 64,0".into() };
    let out = svg::columns("t", &bars, (0.0, 100.0), Some(&mean));
    for name in ["Армения", "Кыргызстан", "Россия"] {
        assert!(out.contains(&format!(">{name}</tspan>")), "{name} on the axis:\n{out}");
    }
    // two bars drawn, none for the missing value, whose mark stands at the baseline
    assert_eq!(out.matches("<rect").count(), 2, "{out}");
    assert!(out.contains("font-style=\"italic\">н/д</text>"));
    // the mean line is interrupted around Armenia's label: two dashed pieces at the mean's height
    let pieces = out.matches("stroke-dasharray=\"6 3\"").count() - 1; // minus the legend's sample
    assert_eq!(pieces, 2, "{out}");
    // a mean far from every label is one line
    let far = MeanLine { value: 20.0, label: "m".into() };
    let out = svg::columns("t", &bars, (0.0, 100.0), Some(&far));
    assert_eq!(out.matches("stroke-dasharray=\"6 3\"").count() - 1, 1);
}

#[test]
fn a_profile_wraps_long_labels_instead_of_cutting_them() {
    use tamga::report::svg;
    let long = "I. Создание благоприятных условий для внешнеэкономической деятельности и эффективного взаимодействия участников ВЭД с таможенными органами";
    let out = svg::profile("t", &[bar(long, Some(50.0)), bar("Короткая", None)], (0.0, 100.0), "среднее");
    assert!(!out.contains('…'), "{out}");
    for word in long.split_whitespace() {
        assert!(out.contains(word), "{word}");
    }
    assert_eq!(out.matches("<rect").count(), 1, "no bar for the missing value");
}

#[test]
fn change_over_time_has_the_code_and_flags_a_mean_moved_by_missing_data() {
    // the demo with Russia's 2023 submission left out
    let files: Vec<PathBuf> = std::fs::read_dir("examples/demo")
        .expect("demo")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.ends_with("ru-2023.json"))
        .collect();
    let (meth, doc) = evaluate(Path::new("rules/demo"), &files);
    let v = view::build(&meth.model, &doc, Lang::Ru);
    let ch = v.change.as_ref().expect("change");
    let am = ch.units.iter().find(|u| u.unit.code == "AM").expect("AM");
    let code = am.rows.iter().find(|r| r.label == "Кодекс таможенных стандартов").expect("the Code's row");
    assert_eq!(code.scores.len(), 2);
    let met = am.rows.iter().find(|r| r.label.starts_with("Выполнено стандартов")).expect("standards met");
    assert_eq!(met.scores.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["1", "3"]);
    assert_eq!(met.deltas[0].text, "+2");
    assert!(!ch.caveats.is_empty());
    assert!(ch.caveats[0].contains("рассчитано без данных: Россия"), "{:?}", ch.caveats);
    let s = v.summary.as_ref().expect("summary");
    assert_eq!(s.mean_caveats, ch.caveats);
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    assert!(md.contains("> Индекс развития таможенного регулирования: среднее по Союзу"), "{md}");
}

#[test]
fn the_matrix_goes_down_to_every_indicator_and_element() {
    let (meth, doc) = eaeu();
    let m = &meth.model;
    let v = view::build(&meth.model, &doc, Lang::Ru);
    let latest = &v.periods[0];
    assert_eq!(latest.period, "2023");
    // every indicator once, a cell per state
    let rows: Vec<&view::DepthRow> = latest.indicators.iter().flat_map(|b| &b.rows).collect();
    assert_eq!(rows.len(), m.indicators.len());
    assert!(rows.iter().all(|r| r.cells.len() == 5));
    let release = rows.iter().find(|r| r.label.starts_with("5. Среднее время от прибытия")).expect("item 5");
    assert_eq!(release.cells[0].text.split(" → ").next(), Some("9,0\u{a0}ч"), "AM's release time with its unit");
    // the automation list: its 18 questions (16 elements, element 2 with two sub-items)
    let auto = latest.elements.iter().find(|b| b.label.starts_with("Автоматизация")).expect("automation list");
    assert_eq!(auto.rows.len(), 18);
    let texts: Vec<&str> = auto.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.text.as_str())).collect();
    assert!(texts.iter().all(|t| ["✓ есть", "✗ нет", "? нет ответа", "— не применимо"].contains(t)), "{texts:?}");
    // Kyrgyzstan (the fourth column in the protocol order) lacks some elements
    assert!(auto.rows.iter().any(|r| r.cells[3].text == "✗ нет"), "Kyrgyzstan lacks some elements");
    // the earlier period is not repeated at full depth
    assert!(v.periods[1].indicators.is_empty() && v.periods[1].elements.is_empty());
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    assert_eq!(md.matches("### Показатели по государствам").count(), 1);
    assert_eq!(md.matches("### Элементы по государствам").count(), 1);
}

/// A methodology of two areas, a standard in each, a recommendation per unmet standard and one
/// per area below the union mean, and one on the index: which of them say the same thing.
const FOLDING: &str = r#"
methodology folding {
  en "Folding"
  ru "Свёртка"
  version "1.0"
}

question release_hours : hours { en "Release time" ru "Время выпуска" }
question window : yesno { en "Single window" ru "Единое окно" }
question appeal_days : number { en "Appeal days" ru "Срок жалоб" unit en "days" ru "дн." }

index overall {
  en "Overall"
  ru "Итог"
  aggregate mean
  missing not_assessable
}

area facilitation {
  en "Facilitation"
  ru "Упрощение процедур"
  missing not_assessable
  indicator release = release_hours {
    en "Release" ru "Выпуск" unit "h"
    score goalposts(best: 2, worst: 72)
  }
  indicator single_window = window { en "Window" ru "Окно" score yesno }
}

area appeals {
  en "Appeals"
  ru "Обжалование"
  missing not_assessable
  indicator appeal_time = appeal_days {
    en "Appeal time" ru "Срок" unit "days"
    score goalposts(best: 5, worst: 90)
  }
}

standard F-1 {
  en "Release within 24 hours" ru "Выпуск за 24 часа"
  kind standard
  requires release <= 24
}

standard A-1 {
  en "Appeals within 30 days" ru "Жалобы за 30 дней"
  kind standard
  requires appeal_time <= 30
}

recommend rec_release when not met(F-1) { en "Shorten the release." ru "Сократить выпуск." }
recommend rec_appeals when not met(A-1) { en "Decide appeals faster." ru "Ускорить жалобы." }
recommend rec_fac_behind when score(facilitation) < union_mean(score(facilitation)) {
  en "Facilitation is below the union mean." ru "Упрощение ниже среднего."
}
recommend rec_app_behind when score(appeals) < union_mean(score(appeals)) {
  en "Appeals are below the union mean." ru "Обжалование ниже среднего."
}
recommend rec_overall_behind when score(overall) < union_mean(score(overall)) {
  en "The index is below the union mean." ru "Индекс ниже среднего."
}
"#;

/// Per state: the recommendations that apply, each with the ids folded into it.
type Folded = Vec<(String, Vec<(String, Vec<String>)>)>;

fn folding_recs() -> Folded {
    let dir = temp_dir("folding");
    std::fs::write(dir.join("m.tamga"), FOLDING).expect("write");
    // AM: slow release (F-1 unmet, facilitation low), slow appeals (A-1 unmet, appeals low)
    // BY: fast release, slow appeals (A-1 unmet) but appeals above the mean: nothing to fold into
    // KZ: slow release (F-1 unmet) but facilitation above the mean thanks to its window
    let subs = [("AM", 60, false, 80), ("BY", 10, true, 40), ("KZ", 30, true, 10), ("KG", 8, true, 8)];
    let mut files = vec![];
    for (unit, release, window, appeals) in subs {
        let p = dir.join(format!("{unit}.json"));
        let body = format!(
            r#"{{"unit": "{unit}", "period": "2024", "answers": {{"release_hours": {release}, "window": {window}, "appeal_days": {appeals}}}}}"#
        );
        std::fs::write(&p, body).expect("write");
        files.push(p);
    }
    let (meth, doc) = evaluate(&dir.join("m.tamga"), &files);
    let v = view::build(&meth.model, &doc, Lang::En);
    v.periods[0]
        .recommendations
        .iter()
        .map(|u| {
            let items = u
                .items
                .iter()
                .filter(|i| i.applies)
                .map(|i| (i.id.clone(), i.also.iter().map(|a| a.id.clone()).collect()))
                .collect();
            (u.unit.code.clone(), items)
        })
        .collect()
}

#[test]
fn an_area_below_the_mean_is_folded_into_the_unmet_standard_of_that_area() {
    let recs = folding_recs();
    let of = |code: &str| recs.iter().find(|(u, _)| u == code).map(|(_, i)| i.clone()).expect(code);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // AM: each area's recommendation under its own standard's; the index's stays apart (it is
    // about every area, so it repeats no single standard)
    assert_eq!(
        of("AM"),
        vec![
            ("rec_release".to_string(), s(&["rec_fac_behind"])),
            ("rec_appeals".to_string(), s(&["rec_app_behind"])),
            ("rec_overall_behind".to_string(), vec![]),
        ]
    );
    // BY: A-1 unmet, appeals below the mean too (40 days against a mean of 34.5): folded
    assert_eq!(of("BY"), vec![("rec_appeals".to_string(), s(&["rec_app_behind"]))]);
    // KZ: F-1 unmet while facilitation is above the mean: nothing to fold
    assert_eq!(of("KZ"), vec![("rec_release".to_string(), vec![])]);
    assert_eq!(of("KG"), vec![]);
}

#[test]
fn a_folded_recommendation_is_printed_once_under_the_other_in_every_format() {
    let (meth, doc) = eaeu();
    let md = file(&meth, &doc, Lang::Ru, "report.md");
    let area_text = "Взаимодействие с бизнесом ниже среднего по Союзу";
    let v = view::build(&meth.model, &doc, Lang::Ru);
    let p = &v.periods[0];
    let folded: usize = p.recommendations.iter().map(|u| u.items.iter().map(|i| i.also.len()).sum::<usize>()).sum();
    assert!(folded > 0, "the illustrative data have states with both");
    // every recommendation text appears in the Markdown as often as the view lists it: folding
    // moves a text, it neither drops nor repeats one
    for u in &p.recommendations {
        for i in &u.items {
            for a in &i.also {
                assert!(!u.items.iter().any(|j| j.id == a.id), "{} both folded and listed", a.id);
            }
        }
    }
    // the latest period's section (earlier periods have their own)
    let section = &md[md.find("### Рекомендации").expect("recommendations")..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let listed = p
        .recommendations
        .iter()
        .flat_map(|u| u.items.iter().flat_map(|i| std::iter::once(&i.text).chain(i.also.iter().map(|a| &a.text))))
        .filter(|t| t.starts_with(area_text))
        .count();
    assert_eq!(section.matches(area_text).count(), listed);
    let html = file(&meth, &doc, Lang::Ru, "report.html");
    assert!(html.contains("<span class=\"also\">"), "folded texts in the HTML");
}
