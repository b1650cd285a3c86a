//! The report on paper: what the print layout needs beyond the screen's.
//!
//! A matrix of many states is wider than an A4 page; on screen it scrolls, on paper it would be
//! cut at the page's edge. Printed, it is set as several tables of at most a page's width of
//! states each, every one with the areas, the union mean and the best score (the screen's table
//! is hidden in print). See `templates/report.html` and `tests/print.rs`.

use super::view::{Cell, Matrix, MatrixRow, UnitRef};

/// States per printed part of a wide matrix: with the areas' column, the union mean and the best
/// score, as many as fit an A4 portrait page at the print size.
pub const STATES_PER_PAGE: usize = 8;

/// One row of a printed part: the matrix's row and the cells of the part's states.
pub struct PartRow<'a> {
    /// The row (area, union mean, best).
    pub row: &'a MatrixRow,
    /// The part's cells.
    pub cells: &'a [Cell],
}

/// A part of a wide matrix, for print.
pub struct MatrixPart<'a> {
    /// Its states.
    pub units: &'a [UnitRef],
    /// Its rows.
    pub rows: Vec<PartRow<'a>>,
    /// Standards met by its states.
    pub met: &'a [String],
    /// The number of its first state (from 1), of its last, and of all.
    pub first: usize,
    /// The number of its last state.
    pub last: usize,
    /// The number of states.
    pub total: usize,
}

impl Matrix {
    /// Whether the matrix is too wide for a portrait page and prints in parts.
    pub fn prints_in_parts(&self) -> bool {
        self.units.len() > STATES_PER_PAGE + 1
    }

    /// The matrix cut into parts of [`STATES_PER_PAGE`] states, in order.
    pub fn print_parts(&self) -> Vec<MatrixPart<'_>> {
        let n = self.units.len();
        let mut out = vec![];
        let mut start = 0;
        while start < n {
            let end = (start + STATES_PER_PAGE).min(n);
            out.push(MatrixPart {
                units: &self.units[start..end],
                rows: self
                    .rows
                    .iter()
                    .map(|r| PartRow { row: r, cells: r.cells.get(start..end.min(r.cells.len())).unwrap_or(&[]) })
                    .collect(),
                met: self.met.get(start..end.min(self.met.len())).unwrap_or(&[]),
                first: start + 1,
                last: end,
                total: n,
            });
            start = end;
        }
        out
    }
}
