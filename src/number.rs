//! Number semantics: decimal-correct rounding and the shortest round-trip text of an `f64`.
//!
//! Values are IEEE binary64. What is published is what is judged, so rounding works on the
//! shortest decimal text that reads back as the same `f64` (2.675 is written "2.675" and rounds
//! to 2.68 half away from zero, as a person expects, although the binary value is 2.67499999…).

use serde::Serialize;

/// How a value is rounded to its display precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 2.5 → 3, −2.5 → −3 (the default; what people and Excel do).
    #[default]
    HalfAwayFromZero,
    /// 2.5 → 2, 3.5 → 4 (banker's rounding; R's and IEEE's default).
    HalfEven,
}

impl Rounding {
    /// Parses the name used in rule files.
    pub fn parse(s: &str) -> Option<Rounding> {
        match s {
            "half_away_from_zero" | "half_up" => Some(Rounding::HalfAwayFromZero),
            "half_even" => Some(Rounding::HalfEven),
            _ => None,
        }
    }

    /// The name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Rounding::HalfAwayFromZero => "half_away_from_zero",
            Rounding::HalfEven => "half_even",
        }
    }
}

/// The most decimals a precision may ask for.
pub const MAX_PRECISION: u32 = 12;

/// The shortest decimal digits and exponent of a finite `x`: `x = 0.d1d2d3… × 10^exp`.
fn decimal_digits(x: f64) -> (bool, Vec<u8>, i32) {
    // `{:e}` prints the shortest round-trip representation, e.g. "2.675e0", "-1e-7".
    let s = format!("{:e}", x);
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // mantissa d.ddd × 10^exp  =  0.dddd × 10^(exp+1)
    (neg, digits, exp + 1)
}

/// Rounds `x` to `digits` decimals, decimal-correctly, with the given mode.
/// Non-finite input is returned unchanged (the evaluator never produces it).
pub fn round(x: f64, digits: u32, mode: Rounding) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // Fast path: when x·10^d is far from a tie, the direction of rounding is certain and
    // k / 10^d (one correctly rounded division) is the nearest f64 to the decimal k·10^-d —
    // exactly what the text path below gives. Near a tie, the text path decides.
    if digits <= 15 {
        let p = POW10[digits as usize];
        let y = x * p;
        if y.abs() < 1e15 {
            let f = y.abs().fract();
            // the product's own error is a few ulps of y: stay clear of the tie by far more
            let tolerance = y.abs() * 1e-15 + 1e-12;
            if (f - 0.5).abs() > tolerance {
                let k = y.round();
                return if k == 0.0 { 0.0 } else { k / p };
            }
        }
    }
    round_text(x, digits, mode)
}

const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// Rounding on the shortest decimal text of `x` (the reference the fast path agrees with).
fn round_text(x: f64, digits: u32, mode: Rounding) -> f64 {
    let (neg, ds, exp) = decimal_digits(x);
    // keep = number of significant digits before the rounding position
    let keep = exp + digits as i32;
    if keep < 0 {
        return 0.0;
    }
    let keep = keep as usize;
    if keep >= ds.len() {
        return x; // already exact at this precision
    }
    let mut kept: Vec<u8> = ds[..keep].to_vec();
    let first_dropped = ds[keep];
    let rest_nonzero = ds[keep + 1..].iter().any(|&d| d != 0);
    let round_up = match first_dropped.cmp(&5) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            rest_nonzero
                || match mode {
                    Rounding::HalfAwayFromZero => true,
                    Rounding::HalfEven => kept.last().is_some_and(|d| d % 2 == 1),
                }
        }
    };
    let mut exp = exp;
    if round_up {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                exp += 1;
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    if kept.is_empty() {
        return 0.0;
    }
    let text: String = kept.iter().map(|d| char::from(b'0' + d)).collect();
    let s = format!("{}0.{}e{}", if neg { "-" } else { "" }, text, exp);
    let r: f64 = s.parse().unwrap_or(x);
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The shortest text that reads back as the same `f64`, in plain decimal notation for
/// magnitudes from 1e-7 to 1e21 (like JSON writers), scientific outside. `-0` is written `0`.
pub fn shortest(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return "null".into();
    }
    let a = x.abs();
    if (1e-7..1e21).contains(&a) {
        // `Display` for f64 is the shortest round-trip text in plain notation.
        format!("{}", x)
    } else {
        format!("{:e}", x)
    }
}

/// `x` rounded to `digits` and written with exactly `digits` decimals (`7.0`, `41.25`).
pub fn fixed(x: f64, digits: u32, mode: Rounding) -> String {
    let r = round(x, digits, mode);
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{:.*}", digits as usize, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rounding::*;

    #[test]
    fn rounding_table() {
        let cases: &[(&str, f64, u32, Rounding, f64)] = &[
            ("2.675 shows as 2.675 and rounds up", 2.675, 2, HalfAwayFromZero, 2.68),
            ("1.005 rounds up (binary 1.00499…)", 1.005, 2, HalfAwayFromZero, 1.01),
            ("half even rounds 2.5 down", 2.5, 0, HalfEven, 2.0),
            ("half even rounds 3.5 up", 3.5, 0, HalfEven, 4.0),
            ("half even 2.675 → 2.68 (7 is odd)", 2.675, 2, HalfEven, 2.68),
            ("half even 2.665 → 2.66", 2.665, 2, HalfEven, 2.66),
            ("away from zero, negative", -2.5, 0, HalfAwayFromZero, -3.0),
            ("half even, negative", -2.5, 0, HalfEven, -2.0),
            ("carry through nines", 9.995, 2, HalfAwayFromZero, 10.0),
            ("0.07*100 is 7.000000000000001 → 7.0", 0.07 * 100.0, 1, HalfAwayFromZero, 7.0),
            ("below precision goes to zero", 0.0004, 2, HalfAwayFromZero, 0.0),
            ("exactly half at the first digit", 0.005, 2, HalfAwayFromZero, 0.01),
            ("already exact", 41.25, 2, HalfAwayFromZero, 41.25),
            ("large", 123456789.125, 2, HalfEven, 123456789.12),
            ("zero digits", 0.5, 0, HalfAwayFromZero, 1.0),
            ("tiny", 1e-300, 2, HalfAwayFromZero, 0.0),
        ];
        for (name, x, d, mode, want) in cases {
            assert_eq!(round(*x, *d, *mode), *want, "{name}");
        }
    }

    #[test]
    fn fast_path_agrees_with_the_text_path() {
        // a deterministic spread of values, ties included
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for k in 0..200_000u64 {
            let r = next();
            let scale = [1.0, 0.01, 100.0, 1e-5, 1e6, 3.0][(k % 6) as usize];
            let x = ((r >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * scale * 1000.0;
            let x = if k % 7 == 0 { (x * 1000.0).round() / 1000.0 + 0.0005 } else { x };
            for d in [0, 1, 2, 3, 6] {
                for mode in [HalfAwayFromZero, HalfEven] {
                    assert_eq!(
                        round(x, d, mode).to_bits(),
                        round_text(x, d, mode).to_bits(),
                        "x = {x:e}, d = {d}, {mode:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn shortest_text() {
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(7.0), "7");
        assert_eq!(shortest(-0.0), "0");
        assert_eq!(shortest(2.675), "2.675");
        assert_eq!(shortest(1e21), "1e21");
        assert_eq!(shortest(1e-8), "1e-8");
    }

    #[test]
    fn fixed_text() {
        assert_eq!(fixed(2.675, 2, HalfAwayFromZero), "2.68");
        assert_eq!(fixed(7.000000000000001, 1, HalfAwayFromZero), "7.0");
        assert_eq!(fixed(-0.0001, 2, HalfAwayFromZero), "0.00");
    }
}
