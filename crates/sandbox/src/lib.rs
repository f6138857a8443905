//! A local stand-in for an SAP Open Connectors tenant, following section 11 of
//! `open-connectors-bulk-api.md`: discovery, metadata, bulk upload jobs processed in the
//! background against a Sage 200-like finance hub, per-record errors with paging, job lists,
//! cancel, signed callbacks, CORS, and switches that inject the faults real tenants show.
//! It is the default target of the app's run command and the real HTTP peer of every test,
//! so it reads uploads and judges records with its own code (`upload`, `vendor`), never the
//! app's: a peer that shares the code under test cannot find its bugs.
//!
//! Run with `cargo run -p bulk-sandbox -- --help`.

pub mod api_error;
pub mod auth;
pub mod callback;
pub mod catalog;
pub mod config;
pub mod control;
pub mod faults;
pub mod handlers;
pub mod processing;
pub mod state;
pub mod upload;
pub mod vendor;

pub use config::Config;
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

/// The largest upload accepted, far above any real spreadsheet.
const MAX_UPLOAD_BYTES: usize = 1 << 30;

/// The connector API routes, mounted at `/elements/api-v2` and `/elements/api-v2/hubs/{hub}`.
fn api_routes(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let router = Router::new()
        .route("/objects", get(handlers::list_objects))
        .route("/objects/{object}/metadata", get(handlers::object_metadata))
        .route("/bulk/jobs", get(handlers::list_jobs))
        .route("/bulk/{object}", post(handlers::create_job))
        .route("/bulk/{id}/status", get(handlers::job_status))
        .route("/bulk/{id}/errors", get(handlers::job_errors))
        .route("/bulk/{id}/cancel", put(handlers::cancel_job))
        .route("/{object}", get(handlers::list_records))
        .fallback(handlers::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require,
        ))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES));
    // Outermost, so a preflight is answered without credentials. Only the API has CORS:
    // the control endpoints must not be callable from other pages.
    if state.config.cors {
        router.layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods(Any)
                // Authorization is never covered by a `*`; mirror what the browser asks for.
                .allow_headers(AllowHeaders::mirror_request())
                .expose_headers(Any),
        )
    } else {
        router
    }
}

/// The whole service: the API under both prefixes (with CORS when configured), the control
/// endpoints behind the same-origin guard, and the built app (when configured).
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .nest("/elements/api-v2/hubs/{hub}", api_routes(state.clone()))
        .nest("/elements/api-v2", api_routes(state.clone()))
        .route("/sandbox/info", get(handlers::info))
        .route(
            "/sandbox/faults",
            get(faults::get_faults).put(faults::put_faults),
        )
        .route("/sandbox/reset", post(handlers::reset));
    if state.config.app_dir.is_some() {
        router = router.route("/config.json", get(handlers::app_config));
    }
    router = match &state.config.app_dir {
        // The build writes `.br` and `.gz` beside each file (scripts/compress.mjs): served
        // with their Content-Encoding to browsers that accept it, as a static host would.
        Some(dir) => router.fallback_service(
            ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(
                    ServeFile::new(dir.join("index.html"))
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        ),
        None => router.fallback(handlers::not_found),
    };
    // Around everything, so that no `/sandbox/...` path, routed or not, answers another page.
    router
        .with_state(state)
        .layer(axum::middleware::from_fn(control::same_origin_only))
}

/// Binds `config.host:config.port` (port 0 picks a free one) and serves in the background.
/// Returns the bound address and the shared state.
pub async fn spawn(config: Config) -> std::io::Result<(SocketAddr, Arc<AppState>)> {
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(config);
    let router = app(state.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            eprintln!("sandbox: server stopped: {e}");
        }
    });
    Ok((addr, state))
}
