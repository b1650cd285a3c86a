//! Submissions: JSON and TOML files → a validated [`Dataset`]. (Being written.)
