//! The buffers of a big table let go of, kept for the next table. In wasm, memory once grown
//! is never handed back, and the hole a freed 100 MB arena leaves soon has small things
//! allocated in it: the next file's arena no longer fits there, and the page grows by
//! another file (measured: +70 MB for a second 100 MB file, one time in two). A table handed
//! back with [`Table::recycle`] leaves its arena and row starts here, and the next big
//! table built starts in them.

use super::Table;
use std::cell::RefCell;

/// Text smaller than this is not worth keeping buffers for.
const WORTH: usize = 1 << 20;

/// Empty buffers, with the room they had.
struct Spare {
    arena: String,
    starts: Vec<u32>,
}

thread_local! {
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
}

impl Table {
    /// Lets go of the table, keeping its buffers for the next big table built (see the
    /// module): for a table no longer wanted, before the next one is read.
    pub fn recycle(self) {
        if self.arena.capacity() < WORTH {
            return;
        }
        let Table {
            mut arena,
            mut starts,
            ..
        } = self;
        arena.clear();
        starts.clear();
        let spare = Spare { arena, starts };
        let _ = SPARE.try_with(|s| s.replace(Some(spare)));
    }
}

/// An empty arena with room for `len` bytes, and ends and rows: the spare buffers when `len`
/// is big enough. Small tables (pasted lines, the head of a file looked at) leave them for
/// the next big one; spare buffers too small for a big table are let go of.
pub(super) fn buffers(len: usize) -> (String, Vec<u32>) {
    let spare = if len >= WORTH {
        SPARE.try_with(RefCell::take).ok().flatten()
    } else {
        None
    };
    match spare {
        Some(s) if s.arena.capacity() >= len => (s.arena, s.starts),
        _ => (String::with_capacity(len), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::table::{Table, TableBuilder};

    fn big(rows: usize) -> String {
        let mut text = String::from("email,name\n");
        for i in 0..rows {
            text.push_str(&format!("person{i}@example.com,Name {i}\n"));
        }
        text
    }

    fn read(text: &str) -> Table {
        let mut b = TableBuilder::new(&Dialect::default(), text.len());
        b.push(text).unwrap();
        b.finish().unwrap()
    }

    #[test]
    fn the_next_big_table_is_built_in_the_buffers_of_one_recycled() {
        let text = big(60_000);
        let first = read(&text);
        let arena = first.arena.as_ptr();
        first.recycle();
        let second = read(&text);
        assert_eq!(second.arena.as_ptr(), arena, "the arena was reused");
        assert_eq!(second.len(), 60_000);
        assert_eq!(second.row(59_999).unwrap().get(1), Some("Name 59999"));
        // A small table leaves the spare buffers alone; the next big one takes them.
        second.recycle();
        let small = read("a,b\n1,2\n");
        assert_ne!(small.arena.as_ptr(), arena);
        let third = read(&text);
        assert_eq!(third.arena.as_ptr(), arena);
        assert_eq!(third.row(0).unwrap().get(0), Some("person0@example.com"));
        // Spare buffers too small for the next table are let go of, not grown.
        read(&big(40_000)).recycle();
        let larger = read(&big(80_000));
        assert_eq!(larger.len(), 80_000);
        assert!(super::SPARE.with(|s| s.borrow().is_none()));
    }
}
