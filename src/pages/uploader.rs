//! The one screen: connect, choose the object and the file, review the rows, upload and
//! follow the job, check the connector. It owns the flow's state and passes signals down;
//! the steps below it only show and ask.

use crate::components::connection_form::ConnectionForm;
use crate::components::data_grid::DataGrid;
use crate::components::file_picker::FilePicker;
use crate::components::file_summary::FileSummary;
use crate::components::job_card::JobCard;
use crate::components::mapping_table::MappingTable;
use crate::components::notice_view::NoticeView;
use crate::components::object_picker::ObjectPicker;
use crate::components::problem_summary::ProblemSummary;
use crate::components::record_list::RecordList;
use crate::components::step::Step;
use crate::connection::Connected;
use crate::jobs::{self, JobView};
use crate::model::{self, LoadedFile, plural};
use crate::notice::{Notice, Tone};
use crate::shared::Shared;
use crate::transport;
use bulk_core::api;
use bulk_core::ingest::{self, Overrides};
use bulk_core::mapping::{self, Mapping};
use bulk_core::metadata::ObjectMetadata;
use bulk_core::upload::UploadColumns;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The uploader screen.
#[component]
pub fn Uploader() -> impl IntoView {
    let conn = RwSignal::new(None::<Connected>);
    let object = RwSignal::new(None::<String>);
    let metadata = RwSignal::new(None::<Shared<ObjectMetadata>>);
    let object_notice = RwSignal::new(None::<Notice>);
    let file = RwSignal::new(None::<Shared<LoadedFile>>);
    let file_notice = RwSignal::new(None::<Notice>);
    let mapping = RwSignal::new(Mapping::default());
    let jobs = RwSignal::new(Vec::<JobView>::new());
    let upload_notice = RwSignal::new(None::<Notice>);
    let uploading = RwSignal::new(false);

    // A new object: fetch its live metadata.
    Effect::new(move |_| {
        let (Some(c), Some(o)) = (conn.get(), object.get()) else {
            return;
        };
        metadata.set(None);
        object_notice.set(None);
        spawn_local(async move {
            let req = api::object_metadata(&c.base, &c.creds, &o);
            match transport::call(&req, api::parse_metadata).await {
                // Only if the person has not picked another object meanwhile.
                Ok(m) if object.get_untracked().as_deref() == Some(o.as_str()) => {
                    metadata.set(Some(Shared::new(m)))
                }
                Ok(_) => {}
                Err(e) => object_notice.set(Some(Notice::api(
                    &e,
                    &format!("reading the fields of {o}"),
                    Some(&c.base),
                ))),
            }
        });
    });
    // A new file or object: suggest a mapping.
    Effect::new(move |_| {
        let (Some(f), Some(m)) = (file.get(), metadata.get()) else {
            return;
        };
        mapping.set(mapping::suggest(f.ingested.table.headers(), &m));
    });
    let report = Memo::new(move |_| {
        let (f, m) = (file.get(), metadata.get());
        mapping.with(|map| model::derive_report(f.as_ref(), m.as_ref(), map))
    });

    let on_connected = Callback::new(move |c: Connected| {
        if !c
            .objects
            .contains(&object.get_untracked().unwrap_or_default())
        {
            object.set(
                c.objects
                    .iter()
                    .find(|o| o.as_str() == "contacts")
                    .or(c.objects.first())
                    .cloned(),
            );
        }
        conn.set(Some(c));
    });
    let on_file = Callback::new(move |(name, bytes): (String, Vec<u8>)| {
        file_notice.set(None);
        match ingest::read(&bytes, &Overrides::default()) {
            Ok(ingested) => file.set(Some(Shared::new(LoadedFile {
                name,
                size: bytes.len(),
                ingested,
            }))),
            Err(e) => {
                file.set(None);
                file_notice.set(Some(Notice::file(&name, &e)));
            }
        }
    });
    let upload = move |_| {
        let (Some(c), Some(o), Some(f), Some(m), Some(r)) = (
            conn.get_untracked(),
            object.get_untracked(),
            file.get_untracked(),
            metadata.get_untracked(),
            report.get_untracked(),
        ) else {
            return;
        };
        let valid = r.valid_rows();
        let columns = mapping
            .with_untracked(|map| UploadColumns::new(map, &m, f.ingested.dialect.decimal_comma));
        let csv = match columns.write(&f.ingested.table, &valid) {
            Ok(csv) => csv,
            Err(e) => {
                return upload_notice.set(Some(Notice::new(
                    Tone::Error,
                    format!("The upload file could not be written: {e}"),
                )));
            }
        };
        let rows: Vec<usize> = valid.iter().map(|v| v.index()).collect();
        let file_name = format!(
            "{}-{}.csv",
            o,
            f.name
                .trim_end_matches(|ch: char| ch != '.')
                .trim_end_matches('.')
        );
        uploading.set(true);
        upload_notice.set(None);
        spawn_local(async move {
            match jobs::submit(&c, &o, &file_name, csv, rows).await {
                Ok(job) => jobs.update(|j| j.insert(0, job)),
                Err(n) => upload_notice.set(Some(n)),
            }
            uploading.set(false);
        });
    };
    let line_of = Callback::new(move |row: usize| {
        file.with_untracked(|f| {
            f.as_ref()
                .and_then(|f| f.ingested.table.row(row).map(|r| r.line()))
                .unwrap_or(0)
        })
    });
    let sendable = move || report.get().map(|r| r.valid_rows().len()).unwrap_or(0);
    let connected = Signal::derive(move || conn.get().is_some());
    let has_file = Signal::derive(move || conn.get().is_some() && file.get().is_some());
    let can_review = Signal::derive(move || has_file.get() && metadata.get().is_some());

    view! {
        <header class="app-header">
            <h1>"Bulk Uploader"</h1>
            <p class="tagline">"Spreadsheet rows into your SaaS system, through an SAP Open Connectors bulk job: checked first, followed to the end."</p>
        </header>
        <main class="flow">
            <Step n=1 title="Connect to the connector instance" ready=Signal::derive(|| true) waiting="">
                <ConnectionForm on_connected=on_connected />
                {move || conn.get().map(|c| view! {
                    <p class="connected" role="status">
                        "✓ Connected to " <strong>{c.base.origin()}</strong>
                        {c.base.hub().map(|h| format!(" (hub {h})"))}
                        ": " {plural(c.objects.len(), "object", "objects")} " available."
                    </p>
                })}
            </Step>
            <Step n=2 title="Choose the object and the file" ready=connected waiting="Connect first.">
                <div class="object-row">
                    <ObjectPicker objects=Signal::derive(move || conn.get().map(|c| c.objects).unwrap_or_default()) selected=object />
                    {move || metadata.get().map(|m| view! {
                        <p class="muted">{format!("{} fields, {} required: {}", m.fields.len(), m.required().count(),
                            m.required().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "))}</p>
                    })}
                </div>
                <NoticeView notice=object_notice />
                <FilePicker on_file=on_file />
                <NoticeView notice=file_notice />
                <FileSummary file=file />
            </Step>
            <Step n=3 title="Review the rows" ready=can_review waiting="Choose an object and a file first.">
                <MappingTable
                    headers=Signal::derive(move || file.get().map(|f| f.ingested.table.headers().to_vec()).unwrap_or_default())
                    metadata=metadata
                    mapping=mapping
                />
                <ProblemSummary report=report />
                <DataGrid file=file report=report />
            </Step>
            <Step n=4 title="Upload and follow the job" ready=can_review waiting="Review the rows first.">
                <p>
                    {move || format!("Only valid rows are sent, as one bulk job to {}.", object.get().unwrap_or_default())}
                </p>
                <button type="button" class="primary" on:click=upload disabled=move || uploading.get() || sendable() == 0>
                    {move || if uploading.get() { "Sending…".to_string() } else { format!("Upload {}", plural(sendable(), "row", "rows")) }}
                </button>
                <NoticeView notice=upload_notice />
                <For each=move || jobs.get() key=|j| j.id.clone() let:job>
                    <JobCard job=job line_of=line_of />
                </For>
            </Step>
            <Step n=5 title="Find the records in the connector" ready=connected waiting="Connect first.">
                <RecordList conn=conn object=object metadata=metadata />
            </Step>
        </main>
    }
}
