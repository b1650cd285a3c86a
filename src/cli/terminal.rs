//! What the command line knows about the terminal it writes to: its width, whether to colour,
//! the one-line summary of the warnings not shown, and the progress line of long work.
//!
//! Conventions followed (README.md, "Terminal output"): `NO_COLOR` turns colour off when it is
//! set and not empty (no-color.org); `CLICOLOR_FORCE` set, not empty and not `0` turns it on
//! where it would be off; `TERM=dumb` has none; `--color always|never` overrides all three.
//! `COLUMNS` gives the width; otherwise the terminal's, or a fixed width when not a terminal.

use crate::diagnostics::Code;
use crate::i18n::{Lang, Noun};
use std::io::{IsTerminal, Write};

/// The width of diagnostics when stderr is not a terminal and `COLUMNS` is not set.
pub const DIAG_WIDTH: usize = 100;

/// The width the table fits when stdout is not a terminal and `COLUMNS` is not set: none. A
/// file or a program reading the table gets it whole (headers not cut, lines not broken).
pub const TABLE_WIDTH: usize = usize::MAX;

/// The narrowest width honoured: below it, text is laid out for this many columns.
const MIN_WIDTH: usize = 40;

/// `COLUMNS`, when set to a number.
fn columns() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.trim().parse::<usize>().ok().filter(|w| *w > 0)
}

/// The width to lay text out in: `COLUMNS`, else the terminal's when `tty` is the terminal
/// written to (`stderr` or `stdout`), else `default`.
pub fn width(stderr: bool, default: usize) -> usize {
    let w = columns().or_else(|| {
        let size = if stderr {
            let e = std::io::stderr();
            if e.is_terminal() {
                terminal_size::terminal_size_of(&e)
            } else {
                None
            }
        } else {
            let o = std::io::stdout();
            if o.is_terminal() {
                terminal_size::terminal_size_of(&o)
            } else {
                None
            }
        };
        size.map(|(terminal_size::Width(w), _)| usize::from(w)).filter(|w| *w > 0)
    });
    w.map_or(default, |w| w.max(MIN_WIDTH))
}

/// Whether a variable is set and not empty.
fn set(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()).filter(|v| !v.is_empty())
}

/// Whether diagnostics on stderr are coloured, for `--color auto` and the environment:
/// `NO_COLOR` (not empty) turns colour off, then `CLICOLOR_FORCE` (not empty, not `0`) on, then
/// `TERM=dumb` off; otherwise colour when stderr is a terminal.
pub fn auto_colour() -> bool {
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return false;
    }
    std::io::stderr().is_terminal()
}

/// The kinds of warnings the summary counts, with their names: the noun of one occurrence, in
/// English and Russian, and whether it is counted per state.
fn kind(code: Code) -> (Noun, bool) {
    let noun = |en_one, en_other, ru_one, ru_few, ru_many| Noun { en_one, en_other, ru_one, ru_few, ru_many };
    match code {
        Code::DataRequired => (
            noun("missing answer", "missing answers", "пропущенный ответ", "пропущенных ответа", "пропущенных ответов"),
            true,
        ),
        Code::DataUnknownQuestion => (
            noun(
                "answer to an unknown question",
                "answers to unknown questions",
                "ответ на неизвестный вопрос",
                "ответа на неизвестные вопросы",
                "ответов на неизвестные вопросы",
            ),
            true,
        ),
        Code::DataRule => (
            noun(
                "broken consistency rule",
                "broken consistency rules",
                "нарушенное правило согласованности",
                "нарушенных правила согласованности",
                "нарушенных правил согласованности",
            ),
            true,
        ),
        Code::DataMethodology => (
            noun(
                "questionnaire of another methodology",
                "questionnaires of another methodology",
                "анкета другой методики",
                "анкеты другой методики",
                "анкет другой методики",
            ),
            true,
        ),
        Code::EvalDivisionByZero => (
            noun("division by zero", "divisions by zero", "деление на ноль", "деления на ноль", "делений на ноль"),
            true,
        ),
        Code::EvalDomain => (
            noun(
                "value outside a function's domain",
                "values outside a function's domain",
                "значение вне области определения функции",
                "значения вне области определения функции",
                "значений вне области определения функции",
            ),
            true,
        ),
        Code::EvalReweighted => (
            noun(
                "re-weighted aggregate",
                "re-weighted aggregates",
                "перевзвешенная оценка",
                "перевзвешенные оценки",
                "перевзвешенных оценок",
            ),
            true,
        ),
        Code::EvalInsufficient => (
            noun(
                "statistic without enough data",
                "statistics without enough data",
                "статистика без достаточных данных",
                "статистики без достаточных данных",
                "статистик без достаточных данных",
            ),
            false,
        ),
        Code::EvalScale => (
            noun(
                "score outside the scale",
                "scores outside the scale",
                "оценка вне шкалы",
                "оценки вне шкалы",
                "оценок вне шкалы",
            ),
            true,
        ),
        Code::EvalClamped => (
            noun(
                "score moved to the end of the scale",
                "scores moved to the end of the scale",
                "оценка, приведённая к шкале",
                "оценки, приведённые к шкале",
                "оценок, приведённых к шкале",
            ),
            true,
        ),
        Code::EvalTooManyUnits => (
            noun(
                "aggregate with too many states to rank",
                "aggregates with too many states to rank",
                "агрегат со слишком большим числом государств для ранжирования",
                "агрегата со слишком большим числом государств для ранжирования",
                "агрегатов со слишком большим числом государств для ранжирования",
            ),
            false,
        ),
        c if c.as_str().starts_with("tamga::check") => (
            noun(
                "warning on the rules",
                "warnings on the rules",
                "замечание к правилам",
                "замечания к правилам",
                "замечаний к правилам",
            ),
            false,
        ),
        _ => (
            noun(
                "other warning",
                "other warnings",
                "другое предупреждение",
                "других предупреждения",
                "других предупреждений",
            ),
            false,
        ),
    }
}

/// `n` and the noun in the form that goes with it, with an ordinary space (a terminal line).
fn count(lang: Lang, n: usize, noun: &Noun) -> String {
    format!("{n} {}", noun.form(lang, n as f64))
}

/// The one line that stands for warnings not shown, grouped by kind in the order first met,
/// each with the number of states it concerns: `64 warnings: 58 missing answers in 12 states,
/// 6 divisions by zero — `-v` to list them`. `noted` holds each warning's code and state.
pub fn summary_line(noted: &[(Code, Option<String>)], lang: Lang) -> String {
    let warnings = Noun {
        en_one: "warning",
        en_other: "warnings",
        ru_one: "предупреждение",
        ru_few: "предупреждения",
        ru_many: "предупреждений",
    };
    // "in 1 state", "в 1 государстве", "в 21 государстве", "в 12 государствах"
    let states = Noun {
        en_one: "state",
        en_other: "states",
        ru_one: "государстве",
        ru_few: "государствах",
        ru_many: "государствах",
    };
    let mut groups: Vec<(&'static str, Noun, bool, usize, Vec<&str>)> = vec![];
    for (code, unit) in noted {
        let (noun, per_state) = kind(*code);
        let at = match groups.iter().position(|g| g.1.en_one == noun.en_one) {
            Some(i) => i,
            None => {
                groups.push((code.as_str(), noun, per_state, 0, vec![]));
                groups.len() - 1
            }
        };
        let g = &mut groups[at];
        g.3 += 1;
        if let Some(u) = unit {
            if !g.4.contains(&u.as_str()) {
                g.4.push(u);
            }
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(_, noun, per_state, n, units)| {
            let mut part = count(lang, *n, noun);
            if *per_state && !units.is_empty() {
                let word = lang.tr("in", "в");
                part.push_str(&format!(" {word} {}", count(lang, units.len(), &states)));
            }
            part
        })
        .collect();
    let how = match (lang, noted.len()) {
        (Lang::En, 1) => "`-v` to show it",
        (Lang::En, _) => "`-v` to list them",
        (Lang::Ru, 1) => "показать: `-v`",
        (Lang::Ru, _) => "показать все: `-v`",
    };
    format!("{}: {} — {how}", count(lang, noted.len(), &warnings), parts.join(", "))
}

/// The progress line of long work on stderr: drawn only when stderr is a terminal (and not
/// with `-q`), redrawn at most ten times a second, erased when the work ends.
pub struct Progress {
    /// What is being done, the line's first words.
    what: String,
    /// Whether anything is drawn.
    on: bool,
    /// When the line was last drawn.
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Progress {
    /// A progress line for `what`; `on` is false when nothing may be drawn.
    pub fn new(what: impl Into<String>, on: bool) -> Self {
        Progress { what: what.into(), on: on && std::io::stderr().is_terminal(), last: std::sync::Mutex::new(None) }
    }

    /// Shows `done` of `total`.
    pub fn tick(&self, done: usize, total: usize) {
        if !self.on {
            return;
        }
        let Ok(mut last) = self.last.lock() else { return };
        let now = std::time::Instant::now();
        if last.is_some_and(|t| now.duration_since(t) < std::time::Duration::from_millis(100)) && done < total {
            return;
        }
        *last = Some(now);
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K{} {done}/{total} ({percent}%)", self.what);
        let _ = e.flush();
    }

    /// Shows a stage of the work, without a count (`report: rendering 4 files`).
    pub fn say(&self, stage: &str) {
        if !self.on {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some(std::time::Instant::now());
        }
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K{} {stage}", self.what);
        let _ = e.flush();
    }

    /// Erases the line (also when dropped: an error is not printed after it).
    pub fn finish(&self) {
        let drawn = self.last.lock().map(|mut l| l.take().is_some()).unwrap_or(false);
        if self.on && drawn {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_groups_by_kind_and_counts_states() {
        let noted = vec![
            (Code::DataRequired, Some("AM".to_string())),
            (Code::DataRequired, Some("AM".to_string())),
            (Code::DataRequired, Some("KZ".to_string())),
            (Code::EvalDivisionByZero, Some("KG".to_string())),
        ];
        assert_eq!(
            summary_line(&noted, Lang::En),
            "4 warnings: 3 missing answers in 2 states, 1 division by zero in 1 state — `-v` to list them"
        );
        assert_eq!(
            summary_line(&noted, Lang::Ru),
            "4 предупреждения: 3 пропущенных ответа в 2 государствах, 1 деление на ноль в 1 государстве — показать все: `-v`"
        );
        let many: Vec<(Code, Option<String>)> = (0..21).map(|k| (Code::DataRequired, Some(format!("U{k}")))).collect();
        assert_eq!(
            summary_line(&many, Lang::Ru),
            "21 предупреждение: 21 пропущенный ответ в 21 государстве — показать все: `-v`"
        );
    }
}
