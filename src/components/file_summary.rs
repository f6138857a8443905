//! What the app found out about a file: size, encoding and why, delimiter, quote, line
//! endings, header row, rows, blank lines, and any warning about the header or the bytes.

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
            let i = &f.ingested;
            let d = i.dialect;
            let header = match i.table.header_line() {
                Some(l) => format!("line {l}"),
                None => "none (columns are lettered)".into(),
            };
            let quote = if d.quote == b'"' { "double quote (\")" } else { "single quote (')" };
            let warnings: Vec<String> = i
                .table
                .warnings()
                .iter()
                .map(|w| w.to_string())
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
            view! {
                <dl class="facts" aria-label="About the file">
                    <div><dt>"File"</dt><dd data-testid="file-name">{f.name.clone()} " (" {human_size(f.size)} ")"</dd></div>
                    {match workbook {
                        Some(sheet) => view! {
                            <div><dt>"Workbook sheet"</dt><dd data-testid="sheet">{sheet}</dd></div>
                        }.into_any(),
                        None => view! {
                            <div>
                                <dt>"Encoding"</dt>
                                <dd data-testid="encoding">{i.encoding.name()} <span class="muted">" — " {i.detection.describe()}</span></dd>
                            </div>
                            <div><dt>"Delimiter"</dt><dd data-testid="delimiter">{delimiter_name(d.delimiter)}</dd></div>
                            <div><dt>"Quotes"</dt><dd>{quote}</dd></div>
                            <div><dt>"Line endings"</dt><dd>{d.line_ending.name()}</dd></div>
                        }.into_any(),
                    }}
                    <div><dt>"Header row"</dt><dd data-testid="header-line">{header}</dd></div>
                    <div><dt>"Rows"</dt><dd data-testid="row-count">{plural(i.table.len(), "row", "rows")}</dd></div>
                    {(i.table.blank_rows() > 0).then(|| view! {
                        <div><dt>"Blank rows"</dt><dd data-testid="blank-rows">{i.table.blank_rows()} " skipped"</dd></div>
                    })}
                    {d.decimal_comma.then(|| view! {
                        <div><dt>"Numbers"</dt><dd>"decimal comma (12500,50)"</dd></div>
                    })}
                </dl>
                {(!warnings.is_empty()).then(|| view! {
                    <ul class="file-warnings">
                        {warnings.into_iter().map(|w| view! { <li>"⚠ " {w}</li> }).collect_view()}
                    </ul>
                })}
            }
        })
    }
}
