//! The Connection step's state: the connection once made, the object chosen, and its live
//! metadata (fetched again whenever the connection or the object changes).

use crate::connection::Connected;
use crate::notice::Notice;
use crate::shared::Shared;
use crate::transport;
use bulk_core::api;
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
}

impl Connection {
    /// Nothing connected yet; the object's metadata follows the connection and the object.
    pub fn new() -> Connection {
        let c = Connection {
            conn: RwSignal::new(None),
            object: RwSignal::new(None),
            metadata: RwSignal::new(None),
            object_notice: RwSignal::new(None),
        };
        Effect::new(move |_| c.fetch_metadata());
        c
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
