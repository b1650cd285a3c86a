//! Printing compiled formulas back as rule text, with the names of the slots they read.

use crate::model::*;
use crate::number::shortest;

/// What the options of a choice-valued expression are, to print `"council"` rather than `0`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Options {
    /// A number or yes/no.
    None,
    /// Named options, by index.
    Named(Vec<String>),
}

/// Prints [`Ir`] with slot names, parenthesised where precedence needs it.
pub(super) struct Printer<'m> {
    pub model: &'m Model,
}

/// Precedence, loosest first (as in docs/language.md).
fn prec(ir: &Ir) -> u8 {
    match ir {
        Ir::If(..) => 1,
        Ir::Or(..) => 2,
        Ir::And(..) => 3,
        Ir::Not(..) => 4,
        Ir::Cmp(..) => 5,
        Ir::Coalesce(..) => 6,
        Ir::Arith(ArithOp::Add | ArithOp::Sub, ..) => 7,
        Ir::Arith(ArithOp::Mul | ArithOp::Div, ..) => 8,
        Ir::Neg(..) => 9,
        Ir::Const(x) if *x < 0.0 => 9,
        Ir::Arith(ArithOp::Pow, ..) => 10,
        _ => 11,
    }
}

impl Printer<'_> {
    /// The name of a slot as written in formulas.
    pub fn slot(&self, s: Slot) -> String {
        match &self.model.slots[s.0 as usize] {
            SlotKind::Question(id) | SlotKind::Value(id) | SlotKind::Recommend(id) => id.clone(),
            SlotKind::Score(id) | SlotKind::Area(id) => format!("score({id})"),
            SlotKind::Met(c) => format!("met({c})"),
            SlotKind::Level(c) => format!("level({c})"),
            SlotKind::Attainment(c) => format!("attainment({c})"),
            SlotKind::StandardValue(c) => {
                let std = &self.model.standards[c.as_str()];
                std.requires_text.split(['<', '>', '=', '!']).next().unwrap_or("").trim().to_string()
            }
            SlotKind::Chapter(c) => format!("score({c})"),
            SlotKind::Code => "code".into(),
            SlotKind::Hidden(t) | SlotKind::Rule(t) => t.clone(),
        }
    }

    /// The options of a slot's values, if it holds a choice.
    pub fn slot_options(&self, s: Slot) -> Options {
        match &self.model.slots[s.0 as usize] {
            SlotKind::Question(id) => match &self.model.questions[id.as_str()].ty {
                QuestionType::Choice(opts) => Options::Named(opts.iter().map(|o| o.id.clone()).collect()),
                _ => Options::None,
            },
            SlotKind::Level(c) => {
                let std = &self.model.standards[c.as_str()];
                Options::Named(
                    std::iter::once("none".to_string()).chain(std.levels.iter().map(|l| l.name.clone())).collect(),
                )
            }
            _ => Options::None,
        }
    }

    /// The options of an expression's values, if it is a choice.
    pub fn options(&self, ir: &Ir) -> Options {
        match ir {
            Ir::Slot(s) | Ir::Rounded(s, _) => self.slot_options(*s),
            Ir::MissingReason(_) => Options::Named(
                Reason::ALL.iter().map(|r| r.as_str().to_string()).chain(["present".to_string()]).collect(),
            ),
            Ir::If(_, t, f) => match self.options(t) {
                Options::None => self.options(f),
                o => o,
            },
            Ir::Coalesce(a, b) => match self.options(a) {
                Options::None => self.options(b),
                o => o,
            },
            _ => Options::None,
        }
    }

    /// Whether an expression is yes/no.
    pub fn is_bool(&self, ir: &Ir) -> bool {
        match ir {
            Ir::Not(_) | Ir::Cmp(..) | Ir::And(..) | Ir::Or(..) | Ir::IsMissing(..) => true,
            Ir::Slot(s) | Ir::Rounded(s, _) => match &self.model.slots[s.0 as usize] {
                SlotKind::Question(id) => self.model.questions[id.as_str()].ty == QuestionType::YesNo,
                SlotKind::Value(id) => self.model.indicators[id.as_str()].boolean,
                SlotKind::Met(_) | SlotKind::Recommend(_) => true,
                _ => false,
            },
            Ir::If(_, t, _) => self.is_bool(t),
            Ir::Coalesce(a, _) => self.is_bool(a),
            _ => false,
        }
    }

    /// An option's name.
    pub fn option(opts: &Options, k: f64) -> Option<String> {
        match opts {
            Options::Named(names) if k >= 0.0 && k.fract() == 0.0 => names.get(k as usize).cloned(),
            _ => None,
        }
    }

    /// The expression as rule text.
    pub fn expr(&self, ir: &Ir) -> String {
        match ir {
            Ir::Const(x) => shortest(*x),
            Ir::Slot(s) | Ir::Rounded(s, _) => self.slot(*s),
            Ir::RoundExpr(a, _) => self.expr(a),
            Ir::Neg(a) => format!("-{}", self.sub(a, 9, true)),
            Ir::Not(a) => format!("not {}", self.sub(a, 4, true)),
            Ir::Arith(op, a, b, _) => {
                let (sym, p) = match op {
                    ArithOp::Add => ("+", 7),
                    ArithOp::Sub => ("-", 7),
                    ArithOp::Mul => ("*", 8),
                    ArithOp::Div => ("/", 8),
                    ArithOp::Pow => ("^", 10),
                };
                if *op == ArithOp::Pow {
                    // right-associative
                    format!("{} ^ {}", self.sub(a, p + 1, true), self.sub(b, p, true))
                } else {
                    format!("{} {sym} {}", self.sub(a, p, true), self.sub(b, p + 1, true))
                }
            }
            Ir::Cmp(op, a, b) => {
                let sym = match op {
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                    CmpOp::Eq => "==",
                    CmpOp::Ne => "!=",
                };
                let side = |x: &Ir, other: &Ir| -> String {
                    if let (Ir::Const(k), o @ Options::Named(_)) = (x, self.options(other)) {
                        if let Some(name) = Self::option(&o, *k) {
                            return format!("\"{name}\"");
                        }
                    }
                    if let (Ir::Const(k), true) = (x, self.is_bool(other)) {
                        return if *k != 0.0 { "yes".into() } else { "no".into() };
                    }
                    self.sub(x, 6, true)
                };
                format!("{} {sym} {}", side(a, b), side(b, a))
            }
            Ir::And(a, b) => format!("{} and {}", self.sub(a, 3, true), self.sub(b, 4, true)),
            Ir::Or(a, b) => format!("{} or {}", self.sub(a, 2, true), self.sub(b, 3, true)),
            Ir::Coalesce(a, b) => format!("{} ?? {}", self.sub(a, 6, true), self.sub(b, 7, true)),
            Ir::IsMissing(a, r) => match r {
                Some(r) => format!("is_missing({}, \"{}\")", self.expr(a), r.as_str()),
                None => format!("is_missing({})", self.expr(a)),
            },
            Ir::MissingReason(a) => format!("missing_reason({})", self.expr(a)),
            Ir::If(c, t, f) => format!("if {} then {} else {}", self.expr(c), self.expr(t), self.expr(f)),
            Ir::Call(func, args, _) => {
                let name = match func {
                    Func::Min => "min",
                    Func::Max => "max",
                    Func::Clamp => "clamp",
                    Func::Abs => "abs",
                    Func::Round | Func::RoundHalfEven => "round",
                    Func::Ln => "ln",
                    Func::Exp => "exp",
                    Func::Sqrt => "sqrt",
                    Func::Pow => "pow",
                    Func::Sum => "sum",
                    Func::Mean => "mean",
                    Func::Count => "count",
                    Func::Share => "share",
                    Func::Answered => "answered",
                    Func::GroupCount(_) => "count",
                    Func::GroupShare(_) => "share",
                    Func::Missing(_) => "missing",
                };
                let group = self.group_of(args);
                match group {
                    Some(g) => format!("{name}({g})"),
                    None => {
                        let mut parts: Vec<String> = args.iter().map(|a| self.expr(a)).collect();
                        if *func == Func::RoundHalfEven {
                            parts.push("\"half_even\"".into());
                        }
                        format!("{name}({})", parts.join(", "))
                    }
                }
            }
            Ir::Bands(s, arms, otherwise, _) => {
                let mut parts: Vec<String> =
                    arms.iter().map(|(r, v)| format!("{} => {}", r.display(), self.expr(v))).collect();
                if let Some(e) = otherwise {
                    parts.push(format!("else => {}", self.expr(e)));
                }
                format!("bands({}) {{ {} }}", self.expr(s), parts.join(", "))
            }
            Ir::Match(s, arms, otherwise, _) => {
                let opts = self.options(s);
                let mut parts: Vec<String> =
                    arms.iter().map(|(keys, v)| format!("{} => {}", self.keys(&opts, keys), self.expr(v))).collect();
                if let Some(e) = otherwise {
                    parts.push(format!("else => {}", self.expr(e)));
                }
                format!("match({}) {{ {} }}", self.expr(s), parts.join(", "))
            }
        }
    }

    /// The options of a `match` arm as written (`"council" | "other"`).
    pub fn keys(&self, opts: &Options, keys: &[u32]) -> String {
        keys.iter()
            .map(|k| match Self::option(opts, *k as f64) {
                Some(n) => format!("\"{n}\""),
                None => k.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// A group whose members are exactly these arguments, in order (`count(auto)`).
    fn group_of(&self, args: &[Ir]) -> Option<String> {
        if args.is_empty() {
            return None;
        }
        let slots: Vec<Slot> =
            args.iter().map(|a| if let Ir::Slot(s) = a { Some(*s) } else { None }).collect::<Option<_>>()?;
        self.model.groups.values().find_map(|g| {
            let members: Vec<Slot> =
                g.questions.iter().filter_map(|q| self.model.questions.get(q)).map(|q| q.slot).collect();
            (members == slots).then(|| g.id.clone())
        })
    }

    fn sub(&self, ir: &Ir, min: u8, _left: bool) -> String {
        let s = self.expr(ir);
        if prec(ir) < min {
            format!("({s})")
        } else {
            s
        }
    }
}
