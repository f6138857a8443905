//! What the app found out about a file, on one line ("seed.tsv (1.1 kB) · UTF-8 · tab ·
//! header on line 1 · 10 rows"), with the details on demand (why that encoding, quotes, line
//! endings, decimal comma), and any warning about the header or the bytes.

use crate::model::{LoadedFile, human_size, plural};
use crate::shared::Shared;
use bulk_core::dialect::delimiter_name;
use leptos::prelude::*;

/// The facts about the loaded file.
#[component]
pub fn FileSummary(
    /// The loaded file.
    #[prop(into)]
    file: Signal<Option<Shared<LoadedFile>>>,
) -> impl IntoView {
    move || {
        file.get().map(|f| {
            let i = &f.read;
            let d = i.dialect;
            let header = match f.facts.header_line {
                Some(l) => format!("line {l}"),
                None => "none (columns are lettered)".into(),
            };
            let quote = if d.quote == b'"' { "double quote (\")" } else { "single quote (')" };
            let warnings: Vec<String> = f
                .facts
                .warnings
                .iter()
                .cloned()
                // What the reading could not decide, and the safer choice it took.
                .chain(i.guesses.doubts().map(|d| crate::notice::capitalise(&d.to_string())))
                .chain(i.decode_problems.iter().map(|p| {
                    format!(
                        "line {}: {} byte sequence(s) are not valid {}; they show as \u{fffd}. Choose another encoding if the text looks wrong",
                        p.line, p.count, i.encoding.name()
                    )
                }))
                .collect();
            let workbook = i.sheet.clone();
            let blank = f.facts.blank_rows;
            let one_line = match workbook.clone() {
                Some(sheet) => view! {
                    " · sheet " <span data-testid="sheet">{sheet}</span>
                }.into_any(),
                None => view! {
                    " · " <span data-testid="encoding">{i.encoding.name()}</span>
                    " · " <span data-testid="delimiter">{delimiter_name(d.delimiter)}</span>
                }.into_any(),
            };
            view! {
                <p class="file-line" aria-label="About the file">
                    <strong data-testid="file-name">{f.name.clone()} " (" {human_size(f.size)} ")"</strong>
                    {one_line}
                    " · " {f.facts.header_line.map(|_| "header on ")}
                    <span data-testid="header-line">{
                        if f.facts.header_line.is_some() { header.clone() } else { "no header row (columns are lettered)".to_string() }
                    }</span>
                    " · " <strong data-testid="row-count">{plural(f.facts.rows, "row", "rows")}</strong>
                    {(blank > 0).then(|| view! { " · blank rows: " <span data-testid="blank-rows">{blank} " skipped"</span> })}
                </p>
                <details class="file-details">
                    <summary>"Details about the file"</summary>
                <dl class="facts">
                    <div><dt>"File"</dt><dd>{f.name.clone()} " (" {human_size(f.size)} ")"</dd></div>
                    {match workbook {
                        Some(sheet) => view! {
                            <div><dt>"Workbook sheet"</dt><dd>{sheet}</dd></div>
                        }.into_any(),
                        None => view! {
                            <div>
                                <dt>"Encoding"</dt>
                                <dd data-testid="encoding-detail">{i.encoding.name()} <span class="muted">" — " {i.detection.describe()}</span></dd>
                            </div>
                            <div><dt>"Delimiter"</dt><dd>{delimiter_name(d.delimiter)}</dd></div>
                            <div><dt>"Quotes"</dt><dd>{quote}</dd></div>
                            <div><dt>"Line endings"</dt><dd>{d.line_ending.name()}</dd></div>
                        }.into_any(),
                    }}
                    <div><dt>"Header row"</dt><dd>{header}</dd></div>
                    <div><dt>"Rows"</dt><dd>{plural(f.facts.rows, "row", "rows")}</dd></div>
                    {(blank > 0).then(|| view! {
                        <div><dt>"Blank rows"</dt><dd>{blank} " skipped"</dd></div>
                    })}
                    {d.decimal_comma.then(|| view! {
                        <div><dt>"Numbers"</dt><dd>"decimal comma (12500,50)"</dd></div>
                    })}
                </dl>
                </details>
                {(!warnings.is_empty()).then(|| view! {
                    <ul class="file-warnings">
                        {warnings.into_iter().map(|w| view! { <li>"⚠ " {w}</li> }).collect_view()}
                    </ul>
                })}
            }
        })
    }
}

/// The file's facts again on one plain line at the top of the Review step ("seed.tsv ·
/// UTF-8 · tab · header on line 1 · 10 rows"), with the way back to where they can be
/// changed.
#[component]
pub fn FileFacts(
    /// The loaded file.
    #[prop(into)]
    file: Signal<Option<Shared<LoadedFile>>>,
    /// Opens the step where the reading can be changed.
    on_change: Callback<()>,
) -> impl IntoView {
    move || {
        file.get().map(|f| {
            let i = &f.read;
            let how = match &i.sheet {
                Some(sheet) => format!("sheet {sheet}"),
                None => format!("{} · {}", i.encoding.name(), delimiter_name(i.dialect.delimiter)),
            };
            let header = match f.facts.header_line {
                Some(l) => format!("header on line {l}"),
                None => "no header row".to_string(),
            };
            view! {
                <p class="file-line muted">
                    {format!("{} · {how} · {header} · {}", f.name, plural(f.facts.rows, "row", "rows"))}
                    " · "
                    <button type="button" class="link-button" on:click=move |_| on_change.run(())>"How it was read"</button>
                </p>
            }
        })
    }
}
