//! "Log in to the cloud service and find your newly created records": lists what the
//! connector now holds for the object (`GET /{object}`, every page up to a limit), read
//! again whenever a job ends. The reading goes through [`crate::connector`].

use crate::components::notice_view::NoticeView;
use crate::connection::Connected;
use crate::connector;
use crate::notice::Notice;
use crate::shared::Shared;
use bulk_core::metadata::ObjectMetadata;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};

/// The most records listed, to keep the page light.
const LIMIT: usize = 2000;

/// A button that lists the object's records, and the list.
#[component]
pub fn RecordList(
    /// The connection.
    #[prop(into)]
    conn: Signal<Option<Connected>>,
    /// The object.
    #[prop(into)]
    object: Signal<Option<String>>,
    /// The object's fields, to order the columns as the connector does.
    #[prop(into)]
    metadata: Signal<Option<Shared<ObjectMetadata>>>,
    /// Changes whenever a job ends: a list already shown is read again.
    #[prop(into)]
    refresh: Signal<usize>,
) -> impl IntoView {
    let records = RwSignal::new(None::<Vec<Map<String, Value>>>);
    let notice = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let shown_once = RwSignal::new(false);
    let load = move || {
        let (Some(c), Some(o)) = (conn.get_untracked(), object.get_untracked()) else {
            return;
        };
        busy.set(true);
        shown_once.set(true);
        notice.set(None);
        spawn_local(async move {
            match connector::records(&c, &o, LIMIT).await {
                Ok(all) => records.set(Some(all)),
                Err(e) => notice.set(Some(Notice::api(
                    &e,
                    &format!("listing the {o}"),
                    Some(&c.base),
                ))),
            }
            busy.set(false);
        });
    };
    let table = move || {
        let list = records.get()?;
        let mut columns: Vec<String> = metadata
            .get()
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| f.name.clone())
                    .filter(|n| list.iter().take(50).any(|r| r.contains_key(n)))
                    .collect()
            })
            .unwrap_or_default();
        columns.truncate(8);
        for r in list.iter().take(50) {
            for k in r.keys() {
                if !columns.contains(k) && columns.len() < 8 {
                    columns.push(k.clone());
                }
            }
        }
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        Some(view! {
            <p><strong data-testid="record-count">{list.len()}</strong> {format!(" {} in the connector", object.get().unwrap_or_default())}</p>
            <div class="records-viewport" tabindex="0" role="region" aria-label="Records in the connector">
                <table class="records">
                    <thead><tr>{columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {list.iter().rev().take(200).map(|r| view! {
                            <tr>{columns.iter().map(|c| view! { <td>{text(r.get(c))}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    // After a job ends, a list already on screen is read again: what it shows stays true.
    Effect::new(move |before: Option<usize>| {
        let now = refresh.get();
        if before.is_some_and(|b| b != now) && shown_once.get_untracked() && !busy.get_untracked() {
            load();
        }
        now
    });
    view! {
        <button type="button" on:click=move |_| load() disabled=move || busy.get()>
            {move || format!("List the {} in the connector", object.get().unwrap_or_else(|| "records".into()))}
        </button>
        <NoticeView notice=notice />
        {table}
    }
}
