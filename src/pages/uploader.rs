//! The one screen: connect, choose the object and the file, review the rows, upload and
//! follow the job, check the connector. The state and its actions live in [`Flow`]; this
//! file lays the steps out.

use crate::browser;
use crate::components::app_header::AppHeader;
use crate::components::callback_verifier::CallbackVerifier;
use crate::components::cell_detail::CellDetail;
use crate::components::connection_form::ConnectionForm;
use crate::components::data_grid::DataGrid;
use crate::components::file_picker::FilePicker;
use crate::components::file_summary::{FileFacts, FileSummary};
use crate::components::find_replace::FindReplace;
use crate::components::grid_toolbar::GridToolbar;
use crate::components::host_warnings::HostWarnings;
use crate::components::job_card::JobCard;
use crate::components::job_history::{EarlierFilesJobs, EarlierJobs, JobHistory};
use crate::components::load_progress::LoadProgress;
use crate::components::mapping_table::MappingTable;
use crate::components::next_step::NextStep;
use crate::components::notice_view::NoticeView;
use crate::components::object_picker::ObjectPicker;
use crate::components::paste_box::PasteBox;
use crate::components::problem_summary::ProblemSummary;
use crate::components::reading_options::ReadingOptions;
use crate::components::record_list::RecordList;
use crate::components::step::{Step, StepBar, Tool};
use crate::components::upload_button::UploadButton;
use crate::components::upload_options::{RequestPreview, UploadOptions};
use crate::components::upload_policy::UploadPolicy;
use crate::components::upload_totals::UploadTotals;
use crate::connecting::Fields;
use crate::connection::{self, Connected};
use crate::embed;
use crate::flow::Flow;
use crate::grid::GridState;
use crate::handover::Handover;
use crate::host::Host;
use crate::model::plural;
use crate::steps::StepId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The uploader screen.
#[component]
pub fn Uploader(
    /// The settings of the page the app runs in.
    host: Host,
    /// The first screen's state, when the app took its place.
    handover: Option<Handover>,
) -> impl IntoView {
    let flow = Flow::new();
    let steps = flow.steps;
    // Each step's state is also in context, for components nested deeper than a prop
    // should travel; the components on this page take the steps they show as props.
    provide_context(flow);
    provide_context(flow.connection);
    provide_context(flow.reading);
    provide_context(flow.review);
    provide_context(flow.upload);
    provide_context(steps);
    // The keeper of the rows starts now (its worker, with the app's module the page has
    // already compiled) and warms its reading and checking code up before a file comes.
    leptos::task::spawn_local(async {
        let work = crate::keeper_work::Work::WarmUp;
        let done = crate::keeper_link::send(work, Default::default(), |_| {}).await;
        // Ended: every round done, or given way to the person's own read or check.
        let all = matches!(done, crate::keeper_work::Done::Checked(true));
        crate::browser::mark_root("warmed-up", if all { "done" } else { "stopped" });
    });
    let grid = GridState::new(flow);
    let fields = Fields::new();
    // The Tools view is shown instead of the import.
    let tools = RwSignal::new(handover.as_ref().is_some_and(|h| h.tools));
    // What is not on screen when the app takes over (the Tools view, the steps after
    // Connect) is drawn in a task of its own, just after: drawn with the rest in the one
    // task that swaps the first screen for the app, it made that task the start page's
    // longest (about 33 ms on this machine; more than 50 under load, and Lighthouse counts
    // it four times over as a slow phone). The Tools view is drawn at once if it shows.
    let later = RwSignal::new(false);
    spawn_local(async move {
        browser::yield_now().await;
        later.set(true);
    });
    let tools_drawn =
        Memo::new(move |was: Option<&bool>| was == Some(&true) || tools.get() || later.get());
    // The form as the person left it on the first screen; Connect, if they pressed it there,
    // is pressed again once the host's settings are known.
    let (filled, connect_now) = match &handover {
        Some(h) => {
            fields.take_over(h);
            (h.filled, h.connect)
        }
        None => (false, false),
    };
    let on_connected = Callback::new(move |c: Connected| {
        // The host's object if this instance has it, else the one chosen, else contacts.
        let wanted = host.settings.with_untracked(|s| s.object.clone());
        if let Some(o) = wanted.filter(|o| c.objects.contains(o)) {
            flow.connection.object.set(Some(o));
        } else if !c
            .objects
            .contains(&flow.connection.object.get_untracked().unwrap_or_default())
        {
            flow.connection.object.set(
                c.objects
                    .iter()
                    .find(|o| o.as_str() == "contacts")
                    .or(c.objects.first())
                    .cloned(),
            );
        }
        flow.connection.conn.set(Some(c));
        // On to the next step: choosing the object and the file (Connect may have been
        // pressed by a host page's message, but the button's own focus would otherwise fall
        // to the page body).
        flow.steps.go(StepId::File);
        browser::focus_when_drawn("object-select");
    });
    // Once the host's settings are known: fill the form, take its rows per job, and start
    // talking to the portal page (if any).
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !host.loaded.get() {
            return started.unwrap_or(false);
        }
        let settings = host.settings.get_untracked();
        if let Some(n) = settings.rows_per_job {
            flow.upload.settings.update(|s| s.job_rows = n);
        }
        embed::start(flow, fields, host, on_connected);
        // Connect pressed on the first screen goes with the form filled in, as it would
        // have been had the first screen's settings arrived first.
        spawn_local(async move {
            if !filled {
                fields.fill(connection::prefill(&settings).await);
            }
            if connect_now {
                fields.busy.set(false);
                fields.connect(on_connected);
            }
        });
        true
    });
    let connected = Signal::derive(move || flow.connection.conn.get().is_some());
    // How many jobs have ended, the earlier files' included.
    let jobs_ended = Signal::derive(move || {
        let ended = |j: &Vec<crate::jobs::JobView>| {
            j.iter().filter(|j| j.tally.with(Option::is_some)).count()
        };
        flow.upload.jobs.with(ended) + flow.upload.history.with(ended)
    });

    view! {
        <AppHeader host=host />
        <HostWarnings host=host />
        // The import is the main flow; developer and admin tools are a view of their own.
        <nav class="view-switch" aria-label="Views">
            <button type="button" id="view-import" aria-pressed=move || (!tools.get()).to_string() on:click=move |_| tools.set(false)>"Import"</button>
            <button type="button" id="view-tools" aria-pressed=move || tools.get().to_string() on:click=move |_| tools.set(true)>"Tools"</button>
        </nav>
        <div class="flow tools" role="region" aria-label="Tools" hidden=move || !tools.get()>
            // Runs again only when `tools_drawn` turns true, the one time it changes.
            {move || tools_drawn.get().then(|| view! {
            <Tool id="tool-records" title="Find the records in the connector">
                <Show when=move || connected.get() fallback=|| view! { <p class="muted">"Connect first (in Import)."</p> }>
                    <RecordList conn=flow.connection.conn object=flow.connection.object metadata=flow.connection.metadata refresh=jobs_ended />
                </Show>
            </Tool>
            <Tool id="tool-jobs" title="Jobs on the connector">
                <Show when=move || connected.get() fallback=|| view! { <p class="muted">"Connect first (in Import)."</p> }>
                    <JobHistory conn=flow.connection.conn />
                </Show>
            </Tool>
            <Tool id="tool-callback" title="Check a callback's signature">
                <CallbackVerifier />
            </Tool>
            <Tool id="tool-request" title="The upload request">
                <RequestPreview flow=flow />
            </Tool>
            // The footer here leads back to the import, at the step the person left.
            <div class="next-step" role="status" data-testid="tools-footer">
                <span>{move || format!("The import is at step {}: {}.", steps.current.get().number(), steps.current.get().label())}</span>
                <button type="button" class="primary" on:click=move |_| {
                    tools.set(false);
                    steps.go(steps.current.get_untracked());
                }>"Back to the import"</button>
            </div>
            })}
        </div>
        <main class="flow" hidden=move || tools.get()>
            // Once connected, the connection is one line above the steps, on every step.
            {move || flow.connection.conn.get().map(|c| view! {
                <p class="connected" role="status">
                    "✓ Connected to " <strong>{c.base.origin()}</strong>
                    {c.base.hub().map(|h| format!(" (hub {h})"))}
                    ": " {plural(c.objects.len(), "object", "objects")} " available. "
                    <Show when=move || !steps.showing(StepId::Connect)>
                        <button type="button" class="link-button" data-testid="change-connection" on:click=move |_| {
                            steps.go(StepId::Connect);
                            browser::focus_when_drawn("conn-base");
                        }>"Change"</button>
                    </Show>
                </p>
            })}
            <StepBar steps=steps />
            <Step id=StepId::Connect steps=steps>
                <ConnectionForm fields=fields on_submit=Callback::new(move |_| fields.connect(on_connected)) />
                // Changing is optional: the connection made stays until another is made.
                <Show when=move || connected.get()>
                    <button type="button" data-testid="keep-connection" on:click=move |_| {
                        fields.keep();
                        steps.back();
                    }>
                        "Keep the current connection"
                    </button>
                </Show>
            </Step>
            // Runs again only when `later` turns true, the one time it changes.
            {move || later.get().then(|| view! {
            <Step id=StepId::File steps=steps>
                <EarlierJobs flow=flow />
                <div class="object-row">
                    <ObjectPicker objects=Signal::derive(move || flow.connection.conn.get().map(|c| c.objects).unwrap_or_default()) refused=flow.connection.no_bulk selected=flow.connection.object />
                    {move || flow.connection.metadata.get().map(|m| view! {
                        <p class="muted">{format!("{} fields, {} required: {}", m.fields.len(), m.required().count(),
                            m.required().map(|f| f.label()).collect::<Vec<_>>().join(", "))}</p>
                    })}
                </div>
                <NoticeView notice=flow.connection.object_notice />
                {move || flow.reading.file.get().map(|f| view! {
                    <p class="muted" data-testid="current-file">
                        "Read now: " <strong>{f.name.clone()}</strong>
                        {format!(" ({}). Choosing another file or pasting rows replaces it.", plural(f.facts.rows, "row", "rows"))}
                    </p>
                })}
                <FilePicker on_file=Callback::new(move |f| flow.take_file(f)) />
                <PasteBox on_text=Callback::new(move |t| flow.take_text(t)) />
                <LoadProgress progress=flow.reading.progress on_cancel=Callback::new(move |_| flow.cancel()) />
                <NoticeView notice=flow.reading.file_notice />
            </Step>
            <Step id=StepId::Columns steps=steps>
                // How the file was read comes first: a wrong reading shows in the columns.
                <FileSummary file=flow.reading.file />
                <NoticeView notice=flow.reading.reread_notice />
                <ReadingOptions
                    file=flow.reading.file
                    sheets=flow.reading.sheets
                    overrides=flow.reading.overrides
                    on_change=Callback::new(move |o| flow.reread(o))
                    on_sheet=Callback::new(move |s| flow.choose_sheet(s))
                />
                <MappingTable
                    headers=Signal::derive(move || flow.reading.file.get().map(|f| f.facts.headers.clone()).unwrap_or_default())
                    metadata=flow.connection.metadata
                    mapping=flow.review.mapping
                    flow=flow
                />
            </Step>
            <Step id=StepId::Review steps=steps>
                <FileFacts file=flow.reading.file on_change=Callback::new(move |_| steps.go(StepId::Columns)) />
                <ProblemSummary flow=flow grid=grid />
                <GridToolbar flow=flow grid=grid />
                <DataGrid flow=flow grid=grid />
                <CellDetail flow=flow grid=grid />
                <FindReplace flow=flow />
            </Step>
            <Step id=StepId::Upload steps=steps>
                <Show when=move || flow.reading.file.with(Option::is_some)>
                    <UploadPolicy review=flow.review object=flow.connection.object />
                    <UploadOptions flow=flow />
                    <UploadButton flow=flow />
                </Show>
                <NoticeView notice=flow.upload.upload_notice />
                <UploadTotals flow=flow />
                {move || flow.upload.jobs.with(|j| j.first().map(|j| j.file.clone())).map(|file| view! {
                    <h3 class="jobs-of" id="jobs-heading" tabindex="-1">{format!("Jobs of {file}")}</h3>
                })}
                <For each=move || flow.upload.jobs.get() key=|j| j.id.clone() let:job>
                    <JobCard job=job flow=flow />
                </For>
                <EarlierFilesJobs flow=flow />
            </Step>
            })}
            <NextStep flow=flow />
        </main>
    }
}
