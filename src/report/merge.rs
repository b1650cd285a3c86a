//! One recommendation where two say the same: a state that fails a standard of the Code and is
//! below the union mean in the area that standard belongs to would otherwise read two
//! recommendations about one weakness ("set up an advisory body" and "interaction with business
//! is below the union average"). The area's recommendation is folded into the standard's.
//!
//! The links are read from the formulas, not from names: a standard belongs to an area when every
//! answer its requirement reads is one the area's score is computed from; a recommendation is
//! about an area when its condition reads that area's score (and not the index's, which every
//! standard would belong to).

use crate::model::{Model, Slot};
use indexmap::IndexMap;

/// Which recommendations may be folded into which, for one methodology.
#[derive(Debug, Default)]
pub struct Links {
    /// A recommendation that names standards (`not met(BUS-1)`) → the areas (indices into
    /// [`Model::areas`]) all of those standards belong to.
    standard_areas: IndexMap<String, Vec<usize>>,
    /// A recommendation about areas (`score(business) < union_mean(score(business))`) → those
    /// areas, the top-most ones its condition reads.
    about_areas: IndexMap<String, Vec<usize>>,
}

impl Links {
    /// Reads the links from the methodology's formulas. `standards_of(rec)` gives the codes of
    /// the standards a recommendation's condition names.
    pub fn new(model: &Model, standards_of: impl Fn(&str) -> Vec<String>) -> Links {
        let index_slot = model.areas.get(&model.index).map(|a| a.slot);
        // each area below the index, with every slot its score is computed from
        let areas: Vec<(usize, Slot, Vec<bool>)> = model
            .areas
            .values()
            .enumerate()
            .filter(|(_, a)| a.depth >= 1)
            .map(|(k, a)| (k, a.slot, model.depends_on(a.slot)))
            .collect();
        let answers = |closure: &[bool]| -> Vec<Slot> {
            model
                .plan
                .iter()
                .filter(|s| matches!(s, crate::model::Step::Input { .. }))
                .map(|s| s.slot())
                .filter(|s| closure.get(s.0 as usize).copied().unwrap_or(false))
                .collect()
        };
        let std_areas: IndexMap<&str, Vec<usize>> = model
            .standards
            .values()
            .map(|s| {
                let leaves = answers(&model.depends_on(s.met));
                let within: Vec<usize> = if leaves.is_empty() {
                    vec![]
                } else {
                    areas
                        .iter()
                        .filter(|(_, _, c)| leaves.iter().all(|l| c.get(l.0 as usize).copied().unwrap_or(false)))
                        .map(|(k, _, _)| *k)
                        .collect()
                };
                (s.code.as_str(), within)
            })
            .collect();
        let mut links = Links::default();
        for rec in model.recommendations.values() {
            let codes = standards_of(&rec.id);
            if !codes.is_empty() {
                // the areas every named standard belongs to
                let mut common: Option<Vec<usize>> = None;
                for code in &codes {
                    let a = std_areas.get(code.as_str()).cloned().unwrap_or_default();
                    common = Some(match common {
                        None => a,
                        Some(c) => c.into_iter().filter(|k| a.contains(k)).collect(),
                    });
                }
                links.standard_areas.insert(rec.id.clone(), common.unwrap_or_default());
                continue;
            }
            let closure = model.depends_on(rec.slot);
            let reads = |s: Slot| closure.get(s.0 as usize).copied().unwrap_or(false);
            if index_slot.is_some_and(reads) {
                continue;
            }
            let named: Vec<usize> = areas.iter().filter(|(_, s, _)| reads(*s)).map(|(k, _, _)| *k).collect();
            // the top-most of them: a sub-area of a named area is part of it
            let top: Vec<usize> = named
                .iter()
                .copied()
                .filter(|k| {
                    let slot = areas.iter().find(|(j, _, _)| j == k).map(|(_, s, _)| *s);
                    !named.iter().any(|j| {
                        j != k
                            && slot.is_some_and(|s| {
                                areas.iter().any(|(i, _, c)| i == j && c.get(s.0 as usize).copied().unwrap_or(false))
                            })
                    })
                })
                .collect();
            if !top.is_empty() {
                links.about_areas.insert(rec.id.clone(), top);
            }
        }
        links
    }

    /// Whether the recommendation `about` (on an area) says again what `standard` (on unmet
    /// standards) says: the standards belong to an area `about` is about.
    pub fn repeats(&self, standard: &str, about: &str) -> bool {
        match (self.standard_areas.get(standard), self.about_areas.get(about)) {
            (Some(s), Some(a)) => s.iter().any(|k| a.contains(k)),
            _ => false,
        }
    }

    /// Whether the recommendation is about an area (a candidate for folding).
    pub fn is_about_area(&self, id: &str) -> bool {
        self.about_areas.contains_key(id)
    }
}
