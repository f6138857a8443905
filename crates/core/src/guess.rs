//! How sure the reading's guesses are. The encoding, the delimiter, the quote character and
//! the header row are guesses; each comes with a [`Certainty`]. A guess may never silently
//! change what the rows are: when the evidence is not enough, the reading takes the choice
//! that keeps every byte and every line, and the [`Doubt`] says in a sentence what could
//! not be decided, so the screen can show it and the person can choose otherwise.

use crate::decode::Detection;
use crate::dialect::{SniffReport, delimiter_name};
use crate::ingest::Overrides;
use std::fmt;

/// How sure a guess is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Certainty {
    /// The file says so itself (a byte order mark, only one reading fits), or the person
    /// chose it.
    Certain,
    /// The evidence points one way; the preview lets the person check.
    Likely,
    /// The evidence was not enough: the safer reading was taken, for the reason given.
    Uncertain(Doubt),
}

impl Certainty {
    /// The doubt, when there is one.
    pub fn doubt(self) -> Option<Doubt> {
        match self {
            Certainty::Uncertain(d) => Some(d),
            _ => None,
        }
    }
}

/// What a guess could not decide, and which reading was taken instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Doubt {
    /// Values start with `'` (`'00123`, `'s-Gravenhage`) but it does not clearly wrap
    /// whole fields: it was kept as part of the values, since reading it as a quote
    /// character would join lines into one row.
    ApostropheKept,
    /// A few bytes are not valid UTF-8 in text that otherwise is: it was read as UTF-8 and
    /// those bytes show as U+FFFD on the lines listed.
    StrayBytes,
    /// Two delimiters split the rows equally well; the first was taken.
    DelimiterTie {
        /// The delimiter used.
        chosen: u8,
        /// The one that fits as well.
        other: u8,
    },
    /// It is not clear whether the row taken as the header holds column names.
    HeaderUnclear,
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::ApostropheKept => f.write_str(
                "some values start with an apostrophe (') that does not clearly wrap whole values; it was kept as part of the values, not read as a quote character. Choose \"single quote\" as the quote character if it is one",
            ),
            Doubt::StrayBytes => f.write_str(
                "a few bytes are not valid UTF-8 in text that otherwise is; the file was read as UTF-8 and those bytes show as \u{fffd} on the lines listed. Choose another encoding if the text looks wrong",
            ),
            Doubt::DelimiterTie { chosen, other } => write!(
                f,
                "the rows split equally well on {} and on {}; {} was used. Choose the other delimiter if the columns look wrong",
                delimiter_name(*chosen),
                delimiter_name(*other),
                delimiter_name(*chosen)
            ),
            Doubt::HeaderUnclear => f.write_str(
                "it is not clear which row holds the column names; check the header row",
            ),
        }
    }
}

/// What was guessed about a file and how sure each guess is. The values themselves are in
/// [`Ingested`](crate::ingest::Ingested) (`encoding`, `dialect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Guesses {
    /// The encoding.
    pub encoding: Certainty,
    /// The delimiter.
    pub delimiter: Certainty,
    /// The quote character.
    pub quote: Certainty,
    /// The header row.
    pub header: Certainty,
}

impl Default for Guesses {
    fn default() -> Self {
        Guesses {
            encoding: Certainty::Certain,
            delimiter: Certainty::Certain,
            quote: Certainty::Certain,
            header: Certainty::Certain,
        }
    }
}

impl Guesses {
    /// What could not be decided, encoding first.
    pub fn doubts(&self) -> impl Iterator<Item = Doubt> + '_ {
        [self.encoding, self.delimiter, self.quote, self.header]
            .into_iter()
            .filter_map(Certainty::doubt)
    }

    /// The dialect's guesses, with what the person chose counted as certain.
    pub(crate) fn of_dialect(report: &SniffReport, overrides: &Overrides) -> Guesses {
        let chosen = |chose: bool, c: Certainty| if chose { Certainty::Certain } else { c };
        Guesses {
            encoding: Certainty::Certain,
            delimiter: chosen(overrides.delimiter.is_some(), report.delimiter),
            quote: chosen(overrides.quote.is_some(), report.quote),
            header: chosen(overrides.header_record.is_some(), report.header),
        }
    }

    /// The same guesses with the encoding's certainty.
    pub(crate) fn with_encoding(self, detection: Detection) -> Guesses {
        Guesses {
            encoding: detection.certainty(),
            ..self
        }
    }
}

impl Detection {
    /// How sure this way of choosing an encoding is.
    pub fn certainty(self) -> Certainty {
        match self {
            Detection::Bom | Detection::ValidUtf8 | Detection::Chosen => Certainty::Certain,
            Detection::Utf16Pattern | Detection::Guessed => Certainty::Likely,
            Detection::MostlyUtf8 => Certainty::Uncertain(Doubt::StrayBytes),
        }
    }
}
