//! The person's changes to what was read: columns mapped to fields (remembered per file
//! shape), cells edited, found and replaced, rows deleted, undo and redo, and downloads of
//! the rows.

use crate::browser;
use crate::flow::Flow;
use crate::keeper::{Edit, EditState};
use crate::notice::{Notice, Tone};
use crate::storage;
use bulk_core::export;
use bulk_core::mapping;
use leptos::prelude::*;

impl Flow {
    /// The storage key of the current file's mapping, once connected with an object.
    pub(crate) fn memory_key(self) -> Option<String> {
        let headers = self
            .reading
            .file
            .with_untracked(|f| f.as_ref().map(|f| f.facts.headers.clone()))?;
        self.memory_key_for(&headers)
    }

    /// Where the mapping of a file with `headers` is remembered on this device.
    pub(crate) fn memory_key_for(self, headers: &[String]) -> Option<String> {
        let conn = self.connection.conn.get_untracked()?;
        let object = self.connection.object.get_untracked()?;
        Some(mapping::memory_key(&conn.base.origin(), &object, headers))
    }

    /// The person changed a column's field: use it, and remember it for next time.
    pub fn map_column(self, column: usize, field: Option<String>) {
        self.review.mapping.update(|m| m.set(column, field));
        let headers = self
            .reading
            .file
            .with_untracked(|f| f.as_ref().map(|f| f.facts.headers.clone()))
            .unwrap_or_default();
        if let Some(key) = self.memory_key() {
            storage::set(
                &key,
                &self
                    .review
                    .mapping
                    .with_untracked(|m| m.to_memory(&headers)),
            );
        }
    }

    /// Forgets the remembered mapping and goes back to the suggestions.
    pub fn forget_mapping(self) {
        if let Some(key) = self.memory_key() {
            storage::remove(&key);
        }
        let (Some(f), Some(m)) = (
            self.reading.file.get_untracked(),
            self.connection.metadata.get_untracked(),
        ) else {
            return;
        };
        self.review.mapping_remembered.set(false);
        self.review
            .mapping
            .set(mapping::suggest(&f.facts.headers, &m));
    }

    /// Sends an edit to the keeper of the rows, which applies it and re-checks exactly what
    /// it touched, in a later task; edits asked for one after another are applied in that
    /// order.
    fn change(self, edit: Edit) {
        leptos::task::spawn_local(async move {
            self.apply(edit).await;
        });
    }

    /// Applies `edit`, counted as waiting until it is applied
    /// ([`crate::flow::Review::edits_pending`]): the cell editor then knows the text it
    /// holds may be behind. Nothing while a full check runs (it would not see the change).
    async fn apply(self, edit: Edit) -> Option<EditState> {
        if self.reading.progress.get_untracked().is_some() {
            return None;
        }
        self.review.edits_pending.update(|n| *n += 1);
        let state = self.send_edit(edit).await;
        self.review
            .edits_pending
            .update(|n| *n = n.saturating_sub(1));
        state
    }

    /// Sets cells (row, column, new text) as one undoable step.
    pub fn edit_cells(self, cells: Vec<(usize, usize, String)>) {
        self.change(Edit::Set(cells));
    }

    /// Keeps a cell whose quotes were dropped as read, as one undoable step (an edit to the
    /// same text: `Edits::keep_as_read`).
    pub fn keep_as_read(self, row: usize, column: usize) {
        self.change(Edit::KeepAsRead(row, column));
    }

    /// Replaces `find` with `replace` in every cell of `column`, as one undoable step, in a
    /// later task; how many cells changed.
    pub async fn replace_all(self, column: usize, find: String, replace: String) -> usize {
        self.apply(Edit::ReplaceAll(column, find, replace))
            .await
            .map_or(0, |s| s.changed)
    }

    /// Applies every suggested fix of `kind` as one undoable step, in a later task.
    pub fn fix_all(self, kind: bulk_core::validate::ProblemKind) {
        self.change(Edit::FixAll(kind));
    }

    /// Deletes rows as one undoable step.
    pub fn delete_rows(self, rows: Vec<usize>) {
        self.change(Edit::Delete(rows));
    }

    /// Undoes the last edit.
    pub fn undo(self) {
        self.change(Edit::Undo);
    }

    /// Redoes the last undone edit.
    pub fn redo(self) {
        self.change(Edit::Redo);
    }

    /// Downloads the rows (all, or those with problems) with their messages, as safe CSV,
    /// written by the keeper of the rows in a later task.
    pub fn download(self, rows: export::Rows) {
        leptos::task::spawn_local(async move {
            let Some(f) = self.reading.file.get_untracked() else {
                return;
            };
            let result = self.fetch_rows_csv(rows).await;
            let stem = f.stem();
            let name = match rows {
                export::Rows::All | export::Rows::Every => format!("{stem}-all-rows.csv"),
                export::Rows::WithProblems => format!("{stem}-rows-with-problems.csv"),
            };
            match result {
                Some(Ok(written)) => {
                    if let Err(e) = browser::save(&name, written) {
                        self.reading.file_notice.set(Some(Notice::new(
                            Tone::Error,
                            format!("The download did not start: {e}"),
                        )));
                    }
                }
                Some(Err(e)) => self.reading.file_notice.set(Some(Notice::new(
                    Tone::Error,
                    format!("The download could not be written: {e}"),
                ))),
                None => {}
            }
        });
    }

    /// Downloads a template for the object: its writable fields as a CSV header.
    pub fn download_template(self) {
        let (Some(m), Some(object)) = (
            self.connection.metadata.get_untracked(),
            self.connection.object.get_untracked(),
        ) else {
            return;
        };
        let failed = match export::template_csv(&m) {
            Ok(bytes) => browser::download(
                &format!("{object}-template.csv"),
                "text/csv;charset=utf-8",
                &bytes,
            )
            .err(),
            Err(e) => Some(e.to_string()),
        };
        if let Some(e) = failed {
            self.connection.object_notice.set(Some(Notice::new(
                Tone::Error,
                format!("The template could not be downloaded: {e}"),
            )));
        }
    }
}
