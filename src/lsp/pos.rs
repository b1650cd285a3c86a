//! Positions: byte offsets of tamga's spans ↔ the Language Server Protocol's lines and UTF-16
//! code units (its default encoding). A Cyrillic letter is 2 bytes of UTF-8 and 1 unit of UTF-16;
//! a character outside the Basic Multilingual Plane is 4 bytes and 2 units.

use lsp_types::{Position, Range};

/// The start of every line of a text, to convert between offsets and positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { starts }
    }

    /// The position of a byte offset (clamped to the text; inside a character: its start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let mut units = 0u32;
        for (at, c) in text[start..].char_indices() {
            if start + at >= offset {
                break;
            }
            units += c.len_utf16() as u32;
        }
        Position { line: line as u32, character: units }
    }

    /// The range of a byte range.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range { start: self.position(text, start), end: self.position(text, end) }
    }

    /// The byte offset of a position: past the end of its line, the end of the line (before its
    /// line break); past the last line, the end of the text; inside a surrogate pair, the
    /// character's end.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else { return text.len() };
        let end = self.starts.get(pos.line as usize + 1).map_or(text.len(), |&e| e.saturating_sub(1));
        let line = &text[start..end.max(start)];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0u32;
        for (at, c) in line.char_indices() {
            if units >= pos.character {
                return start + at;
            }
            units += c.len_utf16() as u32;
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_counts_one_unit() {
        let text = "ru \"Время\" x\n𝔸b\n";
        let ix = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(ix.position(text, x), Position { line: 0, character: 11 });
        assert_eq!(ix.offset(text, Position { line: 0, character: 11 }), x);
        let b = text.find('b').unwrap();
        assert_eq!(ix.position(text, b), Position { line: 1, character: 2 });
        assert_eq!(ix.offset(text, Position { line: 1, character: 2 }), b);
        assert_eq!(ix.offset(text, Position { line: 0, character: 99 }), text.find('\n').unwrap());
        assert_eq!(ix.offset(text, Position { line: 9, character: 0 }), text.len());
    }
}
