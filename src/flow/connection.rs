//! The Connection step's state: the connection once made, the object chosen, and its live
//! metadata (fetched again whenever the connection or the object changes), and the
//! objects this host refused bulk uploads for.

use crate::connection::Connected;
use crate::notice::Notice;
use crate::shared::Shared;
use crate::storage;
use crate::transport;
use bulk_core::api;
use bulk_core::capability::{self, Refusals};
use bulk_core::metadata::ObjectMetadata;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the rows go.
#[derive(Clone, Copy)]
pub struct Connection {
    /// The connection, once made.
    pub conn: RwSignal<Option<Connected>>,
    /// The chosen object.
    pub object: RwSignal<Option<String>>,
    /// Its live metadata.
    pub metadata: RwSignal<Option<Shared<ObjectMetadata>>>,
    /// A problem with the object.
    pub object_notice: RwSignal<Option<Notice>>,
    /// The objects of this connector host that refused bulk uploads (learned, kept).
    pub no_bulk: RwSignal<Refusals>,
}

impl Connection {
    /// Nothing connected yet; the object's metadata follows the connection and the object.
    pub fn new() -> Connection {
        let c = Connection {
            conn: RwSignal::new(None),
            object: RwSignal::new(None),
            metadata: RwSignal::new(None),
            object_notice: RwSignal::new(None),
            no_bulk: RwSignal::new(Refusals::default()),
        };
        Effect::new(move |_| c.fetch_metadata());
        // What this browser learned about the host's objects before.
        Effect::new(move |_| {
            let origin = c.conn.with(|c| c.as_ref().map(|c| c.base.origin()));
            c.no_bulk.set(
                origin
                    .and_then(|o| storage::get(&capability::storage_key(&o)))
                    .map(|j| Refusals::from_json(&j))
                    .unwrap_or_default(),
            );
        });
        c
    }

    /// Marks `object` as refusing bulk uploads (or clears the mark once one was taken),
    /// and keeps the marks of this host in browser storage.
    pub fn mark_bulk(self, object: &str, refused: bool) {
        let Some(origin) = self
            .conn
            .with_untracked(|c| c.as_ref().map(|c| c.base.origin()))
        else {
            return;
        };
        let mut marks = self.no_bulk.get_untracked();
        let changed = if refused {
            marks.mark(object)
        } else {
            marks.clear(object)
        };
        if changed {
            // A mark is a hint: when the browser refuses to store it, it lasts this visit.
            let _ = storage::set(&capability::storage_key(&origin), &marks.to_json());
            self.no_bulk.set(marks);
        }
    }

    fn fetch_metadata(self) {
        let (Some(c), Some(o)) = (self.conn.get(), self.object.get()) else {
            return;
        };
        self.metadata.set(None);
        self.object_notice.set(None);
        spawn_local(async move {
            let req = api::object_metadata(&c.base, &c.creds, &o);
            match transport::call(&req, api::parse_metadata).await {
                // Only if the person has not picked another object meanwhile.
                Ok(m) if self.object.get_untracked().as_deref() == Some(o.as_str()) => {
                    self.metadata.set(Some(Shared::new(m)))
                }
                Ok(_) => {}
                Err(e) => self.object_notice.set(Some(Notice::api(
                    &e,
                    &format!("reading the fields of {o}"),
                    Some(&c.base),
                ))),
            }
        });
    }
}

impl Default for Connection {
    fn default() -> Self {
        Connection::new()
    }
}
