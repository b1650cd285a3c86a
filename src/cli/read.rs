//! How the commands that read submissions read them: `--delimiter`, `--na` and
//! `--ignore-unknown-columns`, flattened into each command's arguments.

use crate::data::ReadOptions;

/// The options of every command that reads submissions.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// The delimiter of CSV submissions: `,`, `;` or `tab`. By default it is detected from the
    /// header line (`;` when it holds more `;` than `,`, as Excel writes CSV under Russian
    /// regional settings); with `;` a number may have a decimal comma (12,5).
    #[arg(long, value_name = "CHAR", value_parser = delimiter)]
    pub delimiter: Option<u8>,
    /// A cell text that means "not submitted" in CSV submissions, like an empty cell (repeatable:
    /// `--na NA --na ..`); compared in any case.
    #[arg(long = "na", value_name = "TOKEN")]
    pub na: Vec<String>,
    /// Skip the columns of CSV submissions that are not questions of the methodology (`iso3`,
    /// `country`), listed in one warning, instead of an error for each.
    #[arg(long)]
    pub ignore_unknown_columns: bool,
}

impl ReadArgs {
    /// The options of [`crate::data::load_files_with`].
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            delimiter: self.delimiter,
            na: self.na.clone(),
            ignore_unknown_columns: self.ignore_unknown_columns,
        }
    }
}

/// A delimiter as given: one of `,`, `;`, `tab` (or a tab character).
fn delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\t" | "\\t" => Ok(b'\t'),
        _ => Err(format!("`{s}` is not a delimiter: give `,`, `;` or `tab`")),
    }
}
