//! The evaluation plan: slots in dependency order, and cycles reported with every edge.

use super::Checker;
use crate::diagnostics::{Code, Diag};
use crate::model::{Slot, SlotKind, Step};
use crate::source::Span;

impl Checker<'_> {
    fn slot_name(&self, s: Slot) -> String {
        match &self.slots[s.0 as usize] {
            SlotKind::Question(id) | SlotKind::Value(id) | SlotKind::Area(id) | SlotKind::Recommend(id) => {
                format!("`{id}`")
            }
            SlotKind::Score(id) => format!("`score({id})`"),
            SlotKind::Met(c) | SlotKind::Level(c) | SlotKind::Attainment(c) | SlotKind::StandardValue(c) => {
                format!("standard `{c}`")
            }
            SlotKind::Chapter(c) => format!("chapter `{c}`"),
            SlotKind::Code => "the Code".into(),
            SlotKind::Hidden(text) => format!("`{text}`"),
            SlotKind::Rule(id) => format!("the consistency rule `{id}`"),
        }
    }

    /// Orders the steps so that every slot comes after the slots it reads; reports cycles.
    pub(super) fn plan(&mut self) -> Option<Vec<Step>> {
        let n = self.slots.len();
        // 0 = unvisited, 1 = on the stack, 2 = done
        let mut state = vec![0u8; n];
        let mut order: Vec<Slot> = Vec::with_capacity(n);
        let mut reported: Vec<Vec<u32>> = vec![];
        let mut ok = true;
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // iterative DFS: (slot, next dep index)
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (s, ref mut k)) = stack.last_mut() {
                if *k < self.deps[s].len() {
                    let d = self.deps[s][*k].0 .0 as usize;
                    *k += 1;
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            stack.push((d, 0));
                        }
                        1 => {
                            // a cycle: from d's position on the stack to the top
                            let pos = stack.iter().position(|(x, _)| *x == d).unwrap_or(0);
                            let cycle: Vec<usize> = stack[pos..].iter().map(|(x, _)| *x).collect();
                            let mut key: Vec<u32> = cycle.iter().map(|x| *x as u32).collect();
                            key.sort_unstable();
                            if !reported.contains(&key) {
                                reported.push(key);
                                self.report_cycle(&cycle);
                            }
                            ok = false;
                        }
                        _ => {}
                    }
                } else {
                    state[s] = 2;
                    order.push(Slot(s as u32));
                    stack.pop();
                }
            }
        }
        if !ok {
            return None;
        }
        Some(order.into_iter().filter_map(|s| self.steps[s.0 as usize].take()).collect())
    }

    fn report_cycle(&mut self, cycle: &[usize]) {
        // the user-level path: a uses b uses c … uses a
        let mut names: Vec<String> = cycle.iter().map(|s| self.slot_name(Slot(*s as u32))).collect();
        names.dedup();
        if names.len() > 1 && names.first() == names.last() {
            names.pop();
        }
        let first = names.first().cloned().unwrap_or_default();
        let path = format!("{} → {first}", names.join(" → "));
        let mut edges: Vec<(Span, String)> = vec![];
        for (j, s) in cycle.iter().enumerate() {
            let next = cycle[(j + 1) % cycle.len()];
            if let Some((_, span)) = self.deps[*s].iter().find(|(d, _)| d.0 as usize == next) {
                if !span.is_empty() && !edges.iter().any(|(e, _)| e == span) {
                    edges.push((
                        *span,
                        format!("{} uses {} here", self.slot_name(Slot(*s as u32)), self.slot_name(Slot(next as u32))),
                    ));
                }
            }
        }
        let mut d = Diag::error(Code::Cycle, format!("these depend on each other in a circle: {path}")).help(
            "a value cannot depend on itself: break the circle by computing one of them from the answers directly",
        );
        let mut it = edges.into_iter();
        if let Some((span, label)) = it.next() {
            d = d.at(span, label);
        }
        for (span, label) in it {
            d = d.also(span, label);
        }
        self.err(d);
    }
}
