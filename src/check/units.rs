//! Units of measure for the checker: hours, counts, money… as products of base units.
//!
//! `%` and plain numbers are dimensionless; a literal (`24`, `100`) takes the unit of what it
//! meets. Adding or comparing different units is an error; multiplying and dividing combine them
//! (`count / count` is a plain ratio).

use std::collections::BTreeMap;
use std::fmt;

/// A unit: base units with integer exponents (empty = dimensionless), or a literal's free unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A number written in the formula: adopts the unit of what it is added to or compared with.
    Free,
    /// A product of base units; empty is a plain number or a percentage.
    Known(BTreeMap<String, i32>),
}

impl Unit {
    /// A plain number.
    pub fn plain() -> Unit {
        Unit::Known(BTreeMap::new())
    }

    /// One base unit.
    pub fn base(name: &str) -> Unit {
        Unit::Known(BTreeMap::from([(name.to_string(), 1)]))
    }

    /// Parses a declared unit text: `h`, `%`, `USD`, `USD/count`, `t*km`. Synonyms of hours
    /// and of count are folded (`hours` = `h`, `units` = `count`).
    pub fn parse(text: &str) -> Unit {
        let text = text.trim();
        let mut dims = BTreeMap::new();
        let mut sign = 1;
        let mut cur = String::new();
        let flush = |cur: &mut String, sign: i32, dims: &mut BTreeMap<String, i32>| {
            let name = normalise(cur.trim());
            if !name.is_empty() {
                *dims.entry(name).or_insert(0) += sign;
            }
            cur.clear();
        };
        for c in text.chars() {
            match c {
                '/' => {
                    flush(&mut cur, sign, &mut dims);
                    sign = -1;
                }
                '*' | '·' | '×' => flush(&mut cur, sign, &mut dims),
                _ => cur.push(c),
            }
        }
        flush(&mut cur, sign, &mut dims);
        dims.retain(|_, e| *e != 0);
        Unit::Known(dims)
    }

    /// Whether two units may be added or compared.
    pub fn compatible(&self, other: &Unit) -> bool {
        match (self, other) {
            (Unit::Free, _) | (_, Unit::Free) => true,
            (Unit::Known(a), Unit::Known(b)) => a == b,
        }
    }

    /// The unit of a sum or comparison operand pair (assumes compatible).
    pub fn join(&self, other: &Unit) -> Unit {
        match self {
            Unit::Free => other.clone(),
            _ => self.clone(),
        }
    }

    /// The unit of a product (`sign` = 1) or quotient (`sign` = −1).
    pub fn combine(&self, other: &Unit, sign: i32) -> Unit {
        match (self, other) {
            (Unit::Free, Unit::Free) => Unit::Free,
            (Unit::Known(a), Unit::Free) => Unit::Known(a.clone()),
            (Unit::Free, Unit::Known(b)) => Unit::Known(b.iter().map(|(k, e)| (k.clone(), e * sign)).collect()),
            (Unit::Known(a), Unit::Known(b)) => {
                let mut d = a.clone();
                for (k, e) in b {
                    *d.entry(k.clone()).or_insert(0) += e * sign;
                }
                d.retain(|_, e| *e != 0);
                Unit::Known(d)
            }
        }
    }

    /// The unit raised to an integer power.
    pub fn powi(&self, n: i32) -> Unit {
        match self {
            Unit::Free => Unit::Free,
            Unit::Known(a) => {
                let mut d: BTreeMap<String, i32> = a.iter().map(|(k, e)| (k.clone(), e * n)).collect();
                d.retain(|_, e| *e != 0);
                Unit::Known(d)
            }
        }
    }

    /// Whether this is a plain number (or free).
    pub fn is_plain(&self) -> bool {
        match self {
            Unit::Free => true,
            Unit::Known(d) => d.is_empty(),
        }
    }

    /// The unit with `Free` made plain.
    pub fn settle(&self) -> Unit {
        match self {
            Unit::Free => Unit::plain(),
            u => u.clone(),
        }
    }
}

fn normalise(name: &str) -> String {
    match name {
        "hours" | "hour" | "hrs" | "ч" | "час" | "часов" => "h".into(),
        "units" | "pcs" | "number" | "шт" | "ед" => "count".into(),
        "%" | "percent" | "" => String::new(),
        other => other.to_string(),
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Free => f.write_str("a plain number"),
            Unit::Known(d) if d.is_empty() => f.write_str("a plain number or %"),
            Unit::Known(d) => {
                let num: Vec<String> = d
                    .iter()
                    .filter(|(_, e)| **e > 0)
                    .map(|(k, e)| if *e == 1 { k.clone() } else { format!("{k}^{e}") })
                    .collect();
                let den: Vec<String> = d
                    .iter()
                    .filter(|(_, e)| **e < 0)
                    .map(|(k, e)| if *e == -1 { k.clone() } else { format!("{k}^{}", -e) })
                    .collect();
                let num = if num.is_empty() { "1".to_string() } else { num.join("·") };
                if den.is_empty() {
                    f.write_str(&num)
                } else {
                    write!(f, "{num}/{}", den.join("·"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algebra() {
        let h = Unit::base("h");
        let c = Unit::base("count");
        assert!(h.compatible(&Unit::Free));
        assert!(!h.compatible(&c));
        assert_eq!(c.combine(&c, -1), Unit::plain());
        assert_eq!(Unit::parse("hours"), h);
        assert_eq!(Unit::parse("%"), Unit::plain());
        assert_eq!(Unit::parse("USD/count").to_string(), "USD/count");
        assert_eq!(h.combine(&Unit::Free, 1), h);
        assert_eq!(h.powi(2).to_string(), "h^2");
    }
}
