//! The File step's state: where the rows came from, the rows read, how they were read (the
//! person's reading options, a workbook's sheets) and the progress of a long read or check.
//! The actions that fill it are in [`crate::reading`].

use crate::loading::{Progress, Tickets};
use crate::model::LoadedFile;
use crate::notice::Notice;
use crate::shared::Shared;
use crate::workbook_reader::Book;
use bulk_core::ingest::Overrides;
use leptos::prelude::*;
use std::rc::Rc;

/// Where the rows came from, kept so they can be read again with other options.
pub enum Source {
    /// A file the person chose.
    File(web_sys::File),
    /// Text the person pasted.
    Text(String),
    /// A workbook (already open).
    Workbook {
        /// The file name.
        name: String,
        /// Its size in bytes.
        size: usize,
        /// The open workbook, in the reader's worker (shared with a sheet being read; the
        /// worker ends when the last holder lets go).
        book: Rc<Book>,
    },
}

/// The rows read and how.
#[derive(Clone, Copy)]
pub struct Reading {
    /// The rows read.
    pub file: RwSignal<Option<Shared<LoadedFile>>>,
    /// A problem with the file.
    pub file_notice: RwSignal<Option<Notice>>,
    /// A problem reading the file again with other options (the rows before are kept).
    pub reread_notice: RwSignal<Option<Notice>>,
    /// The reading options of the rows shown, put back when other options fail.
    pub applied: StoredValue<Overrides>,
    /// Where the rows came from.
    pub source: StoredValue<Option<Source>, LocalStorage>,
    /// The reading options the person chose.
    pub overrides: RwSignal<Overrides>,
    /// The workbook's sheets.
    pub sheets: RwSignal<Vec<String>>,
    /// The sheet the person chose, until it is read.
    pub wanted_sheet: StoredValue<Option<String>>,
    /// Progress of a long read or check.
    pub progress: RwSignal<Option<Progress>>,
    /// The current read: an older one that finds its ticket outdated stops.
    pub(crate) reads: Tickets,
    /// The keeper of the rows was given something big since it last started: its memory
    /// is handed back (its worker ended) when another file or text is taken.
    pub(crate) heavy: StoredValue<bool>,
}

impl Reading {
    /// Nothing read yet.
    pub fn new() -> Reading {
        Reading {
            file: RwSignal::new(None),
            file_notice: RwSignal::new(None),
            reread_notice: RwSignal::new(None),
            applied: StoredValue::new(Overrides::default()),
            source: StoredValue::new_local(None),
            overrides: RwSignal::new(Overrides::default()),
            sheets: RwSignal::new(Vec::new()),
            wanted_sheet: StoredValue::new(None),
            progress: RwSignal::new(None),
            reads: Tickets::new(),
            heavy: StoredValue::new(false),
        }
    }
}

impl Default for Reading {
    fn default() -> Self {
        Reading::new()
    }
}
