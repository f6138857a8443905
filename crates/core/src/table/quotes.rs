//! Quotes that change what a cell reads as. A cell written `"Al"pha"` (a quote inside a
//! quoted cell, not doubled) or `"abc" ` (text after the closing quote) is read the way
//! every CSV reader reads it, csv-core and Excel alike: the quotes are taken as quoting and
//! dropped, and the text after them is kept (`Alpha"`, `abc `). No reading is right for
//! every such file, so the table keeps the common one and remembers the cell, and the
//! checks warn on it with the value as read, for the person to compare with the file. Only
//! records read by csv-core can have one (the fast path hands such lines to it); a quote
//! inside an unquoted cell (`5'11"`) is kept as it stands and is not flagged.

/// Where the scan is in the record csv-core is reading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum At {
    /// At the start of a cell.
    #[default]
    CellStart,
    /// In a cell that did not start with a quote.
    Unquoted,
    /// Inside a quoted cell.
    Quoted,
    /// Just after a quote inside a quoted cell: its end, or the first of a doubled pair.
    QuoteInQuoted,
}

/// Follows the raw bytes of one record as csv-core consumes them.
#[derive(Clone, Debug, Default)]
pub(super) struct QuoteScan {
    at: At,
    column: u32,
    /// The cells of the record with text after their closing quote, in order.
    stray: Vec<u32>,
}

impl QuoteScan {
    /// Follows `bytes`, the next raw bytes of the record.
    pub(super) fn scan(&mut self, bytes: &[u8], quote: u8, delimiter: u8) {
        for &b in bytes {
            self.at = match (self.at, b) {
                (At::Quoted, b) if b == quote => At::QuoteInQuoted,
                (At::Quoted, _) => At::Quoted,
                (At::QuoteInQuoted, b) if b == quote => At::Quoted,
                (_, b) if b == delimiter => {
                    self.column += 1;
                    At::CellStart
                }
                // A line break outside quotes ends the record (or is a blank line before it).
                (_, b'\r' | b'\n') => {
                    self.column = 0;
                    At::CellStart
                }
                (At::CellStart, b) if b == quote => At::Quoted,
                (At::QuoteInQuoted, _) => {
                    if self.stray.last() != Some(&self.column) {
                        self.stray.push(self.column);
                    }
                    At::Unquoted
                }
                _ => At::Unquoted,
            };
        }
    }

    /// The cells with a stray quote in the record just read (into `out`, emptied first), and
    /// a fresh start for the next record.
    pub(super) fn take(&mut self, out: &mut Vec<u32>) {
        out.clear();
        out.append(&mut self.stray);
        self.at = At::CellStart;
        self.column = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stray(record: &str) -> Vec<u32> {
        let mut s = QuoteScan::default();
        // In pieces of one byte too: a record reaches csv-core in pieces.
        let mut t = QuoteScan::default();
        for b in record.as_bytes().chunks(1) {
            t.scan(b, b'"', b',');
        }
        s.scan(record.as_bytes(), b'"', b',');
        let (mut a, mut b) = (Vec::new(), Vec::new());
        s.take(&mut a);
        t.take(&mut b);
        assert_eq!(a, b, "{record}");
        a
    }

    #[test]
    fn text_after_a_closing_quote_is_flagged_and_nothing_else() {
        assert_eq!(stray("1,\"Al\"pha\",3\n"), [1]);
        assert_eq!(stray("\"Al\\\"pha\",2\n"), [0]);
        assert_eq!(stray("a,b,\"abc\" \r\n"), [2]);
        // Every such cell of a row, once each.
        assert_eq!(stray("\"a\"1,\"L\"i\"x\"y,\"A\"nn\n"), [0, 1, 2]);
        assert!(stray("\"a\"\"b\",\"c\nd\",5'11\",x\"y\n").is_empty());
        assert!(stray("\"\",\"\"\"\"\n").is_empty());
        assert!(stray("\n\n\"a\",b\n").is_empty());
    }
}
