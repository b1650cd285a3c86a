//! [`Answers`]: a submission's answers, 8 bytes each.
//!
//! An `Option<Answer>` takes 16 bytes; at 100,000 submissions × 125 questions that is 200 MB of
//! the dataset (docs/performance.md, "(e) memory"). Answers are finite numbers, so the NaN bit
//! patterns are free to stand for the rest: "not answered" and each [`Reason`] is one quiet NaN.

use super::Answer;
use crate::model::Reason;
use std::fmt;

/// The quiet NaN the tags are added to.
const QUIET_NAN: u64 = 0x7FF8_0000_0000_0000;
/// "Not answered". Not the bare quiet NaN, which arithmetic produces.
const NONE: u64 = QUIET_NAN | 1;
/// `Missing(Reason::ALL[0])`; the other reasons follow in the order of [`Reason::ALL`].
const MISSING: u64 = NONE + 1;

/// One answer (or none) per question, indexed like [`Model::questions`](crate::model::Model::questions).
///
/// Reads and writes `Option<Answer>`; stores each as one `f64`: a number as itself, "not
/// answered" and `Missing(reason)` as distinct quiet NaNs (hence numbers must not be NaN).
#[derive(Clone, Default)]
pub struct Answers(Vec<f64>);

/// The slot holding `a`.
#[inline]
fn encode(a: Option<Answer>) -> f64 {
    match a {
        None => f64::from_bits(NONE),
        Some(Answer::Missing(r)) => f64::from_bits(MISSING + r as u64),
        Some(Answer::Number(x)) => {
            debug_assert!(x.is_finite(), "an answer is a finite number, not {x}");
            x
        }
    }
}

/// The answer a slot holds.
#[inline]
fn decode(x: f64) -> Option<Answer> {
    let bits = x.to_bits();
    if bits == NONE {
        return None;
    }
    let tag = bits.wrapping_sub(MISSING);
    match usize::try_from(tag).ok().and_then(|t| Reason::ALL.get(t)) {
        Some(&r) => Some(Answer::Missing(r)),
        None => Some(Answer::Number(x)),
    }
}

impl Answers {
    /// `n` questions, none answered.
    pub fn unanswered(n: usize) -> Self {
        Answers(vec![f64::from_bits(NONE); n])
    }

    /// The answer to question `q`; `None` when not answered or out of range.
    #[inline]
    pub fn get(&self, q: usize) -> Option<Answer> {
        self.0.get(q).copied().and_then(decode)
    }

    /// Sets the answer to question `q`.
    ///
    /// # Panics
    /// If `q` is out of range, like indexing a `Vec`.
    #[inline]
    pub fn set(&mut self, q: usize, a: Option<Answer>) {
        self.0[q] = encode(a);
    }

    /// The number of questions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no questions.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every question's answer, in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<Answer>> + '_ {
        self.0.iter().copied().map(decode)
    }
}

impl FromIterator<Option<Answer>> for Answers {
    fn from_iter<I: IntoIterator<Item = Option<Answer>>>(iter: I) -> Self {
        Answers(iter.into_iter().map(encode).collect())
    }
}

impl From<Vec<Option<Answer>>> for Answers {
    fn from(v: Vec<Option<Answer>>) -> Self {
        v.iter().copied().collect()
    }
}

/// As the answers' `Vec<Option<Answer>>` would print.
impl fmt::Debug for Answers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Compares answers, not bits: `0.0` equals `-0.0`, as with `Vec<Option<Answer>>`.
impl PartialEq for Answers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(a: Option<Answer>) {
        let mut answers = Answers::unanswered(3);
        answers.set(1, a);
        assert_eq!(answers.get(1), a, "{a:?}");
        assert_eq!(answers.get(0), None);
        assert_eq!(answers.get(2), None);
        assert_eq!(answers.get(3), None, "out of range");
        if let Some(Answer::Number(x)) = a {
            assert_eq!(answers.0[1].to_bits(), x.to_bits(), "the number itself, sign of zero included");
        }
    }

    #[test]
    fn every_answer_round_trips() {
        round_trip(None);
        for r in Reason::ALL {
            round_trip(Some(Answer::Missing(r)));
        }
        let subnormal = f64::MIN_POSITIVE / 4.0;
        assert!(subnormal.is_subnormal());
        for x in [0.0, -0.0, 1.0, -12.5, f64::MAX, f64::MIN, f64::MIN_POSITIVE, subnormal, -subnormal, 8760.0] {
            round_trip(Some(Answer::Number(x)));
        }
    }

    #[test]
    fn the_tags_are_distinct_nans() {
        let mut tags: Vec<u64> = Reason::ALL.iter().map(|&r| encode(Some(Answer::Missing(r))).to_bits()).collect();
        tags.push(encode(None).to_bits());
        assert!(tags.iter().all(|&t| f64::from_bits(t).is_nan()));
        tags.sort_unstable();
        tags.dedup();
        assert_eq!(tags.len(), Reason::ALL.len() + 1);
    }

    #[test]
    fn a_slot_is_8_bytes() {
        assert_eq!(std::mem::size_of::<f64>(), 8);
        let answers = Answers::unanswered(125);
        assert_eq!(std::mem::size_of_val(answers.0.as_slice()), 125 * 8);
        assert_eq!(std::mem::size_of::<Option<Answer>>(), 16, "what it replaces");
    }

    #[test]
    fn conversions_equality_and_debug_match_the_vec() {
        let v = vec![
            None,
            Some(Answer::Number(-0.0)),
            Some(Answer::Missing(Reason::Confidential)),
            Some(Answer::Number(3.0)),
        ];
        let answers = Answers::from(v.clone());
        assert_eq!(answers.len(), 4);
        assert!(!answers.is_empty());
        assert!(Answers::default().is_empty());
        assert_eq!(answers.iter().collect::<Vec<_>>(), v);
        assert_eq!(answers, v.iter().copied().collect::<Answers>());
        assert_eq!(format!("{answers:?}"), format!("{v:?}"));
        assert_eq!(format!("{answers:#?}"), format!("{v:#?}"));
        let mut zero = answers.clone();
        zero.set(1, Some(Answer::Number(0.0)));
        assert_eq!(zero, answers, "0.0 == -0.0, as for the Vec");
        zero.set(1, None);
        assert_ne!(zero, answers);
        assert_ne!(Answers::unanswered(3), Answers::unanswered(4));
    }
}
