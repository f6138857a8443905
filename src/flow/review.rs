//! The Columns and Review steps' state: which column goes to which field, what the check
//! found (counted), and where every row of the file stands with the upload (for the totals
//! line and the footer). The rows, the edits and the report are with their keeper
//! ([`crate::keeper`]); the page is told when they change.

use crate::checked::{Checked, Standing};
use crate::loading::Tickets;
use bulk_core::mapping::Mapping;
use leptos::prelude::*;

/// The rows as they will be sent.
#[derive(Clone, Copy)]
pub struct Review {
    /// Columns to fields.
    pub mapping: RwSignal<Mapping>,
    /// The mapping came from browser storage.
    pub mapping_remembered: RwSignal<bool>,
    /// The rows, the edits or the check changed (at the keeper of the rows,
    /// [`crate::keeper`]): what the questions about the rows track to be asked again.
    pub changed: RwSignal<u64>,
    /// Whether an edit can be undone, and redone (as the last edit left them).
    pub undo: RwSignal<(bool, bool)>,
    /// What the check found, counted: what the screens show of the report (asked again
    /// whenever the rows change, see [`crate::flow::Flow::new`]).
    pub checked: RwSignal<Option<Checked>>,
    /// Upload only when no row has an error (instead of skipping those rows).
    pub block_on_errors: RwSignal<bool>,
    /// Where the rows stand with the upload (the file's totals, the rows to send again),
    /// asked again when the rows, the check or the upload's ledger change (see
    /// [`crate::flow::Flow::new`]); `None` until the rows are checked.
    pub standing: RwSignal<Option<Standing>>,
    /// The current check: an older one that finds its ticket outdated stops.
    pub(crate) checks: Tickets,
    /// Edits asked for and not applied yet (they are applied in a later task).
    pub(crate) edits_pending: RwSignal<u32>,
}

impl Review {
    /// The keeper's rows changed: the questions about them are asked again.
    pub fn rows_changed(self) {
        self.changed.update(|n| *n += 1);
    }

    /// Nothing mapped or checked yet.
    pub fn new() -> Review {
        Review {
            checked: RwSignal::new(None),
            mapping: RwSignal::new(Mapping::default()),
            mapping_remembered: RwSignal::new(false),
            changed: RwSignal::new(0),
            undo: RwSignal::new((false, false)),
            block_on_errors: RwSignal::new(false),
            standing: RwSignal::new(None),
            checks: Tickets::new(),
            edits_pending: RwSignal::new(0),
        }
    }
}

impl Default for Review {
    fn default() -> Self {
        Review::new()
    }
}
