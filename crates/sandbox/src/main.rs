//! The sandbox server: an SAP Open Connectors tenant on your machine.
//!
//! Run with `cargo run -p bulk-sandbox -- --app-dir dist` and open the printed URL.

use bulk_sandbox::{Config, config, faults::Faults};
use clap::Parser;
use std::path::PathBuf;

/// An SAP Open Connectors tenant on your machine: a Sage 200-like finance hub with
/// `contacts`, `customers` and `banks`, the bulk upload API, and switches for faults.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, after_help = AFTER_HELP)]
struct Args {
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Serve this folder (the built app) at `/`, so one origin serves app and API.
    #[arg(long)]
    app_dir: Option<PathBuf>,
    /// The accepted User secret (default: the printed demo secret).
    #[arg(long, env = "SANDBOX_USER_SECRET")]
    user_secret: Option<String>,
    /// The accepted Organization secret.
    #[arg(long, env = "SANDBOX_ORG_SECRET")]
    org_secret: Option<String>,
    /// The accepted Element token.
    #[arg(long, env = "SANDBOX_ELEMENT_TOKEN")]
    element_token: Option<String>,
    /// Milliseconds between the CREATED, STARTED and RUNNING states of a job.
    #[arg(long, default_value_t = 400)]
    step_delay_ms: u64,
    /// Milliseconds spent on each record of a job.
    #[arg(long, default_value_t = 150)]
    row_delay_ms: u64,
    /// Sign job callbacks with this key (Elements-Webhook-Signature).
    #[arg(long, env = "SANDBOX_SIGNATURE_KEY")]
    signature_key: Option<String>,
    /// Send no CORS headers (to see how the app behaves against a tenant without CORS).
    #[arg(long)]
    no_cors: bool,
    /// Hub name reported to the app.
    #[arg(long, default_value = "finance")]
    hub: String,
    /// A portal origin (scheme://host:port) the served app may exchange postMessage with;
    /// repeat for more. Goes into the app's `config.json` as `allowedOrigins`.
    #[arg(long = "host-origin")]
    host_origins: Vec<String>,
    /// Start with these faults, as the JSON body of PUT /sandbox/faults, e.g.
    /// '{"rateLimitNext": 2, "retryAfterSecs": 1}' or '{"errorShape": "flat"}'
    /// (switches are listed in the README's sandbox section).
    #[arg(long)]
    faults: Option<String>,
}

/// What tests need to know beyond the options: rules of the emulated vendor.
const AFTER_HELP: &str = "\
Vendor rules: each record is checked against the object's metadata (required, read-only,
length, number, boolean, ISO date yyyy-MM-dd, e-mail, picklist); header names must match
field names exactly. Vendor rejects any e-mail address on the domain refused.example
(e.g. ann@refused.example) with \"74234: Invalid prospect email address\", and any on
conflict.example with \"Conflicts Found - emailAddress <the address>\": rows the app
accepts and the vendor refuses, as many as a test wants.

Errors items (GET /bulk/{id}/errors), chosen with the errorShape fault:
  nested (default)  {\"status\": msg, \"recordNumber\": n, \"record\": {field: value, ...}}
  flat              {\"status\": msg, field: value, ...}
  status_only       {\"status\": msg}

Control endpoints (/sandbox/...) send no CORS headers and refuse with 403 a request whose
Origin is not the sandbox's own.";

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let demo =
        args.user_secret.is_none() && args.org_secret.is_none() && args.element_token.is_none();
    let faults: Faults = match args.faults.as_deref().map(serde_json::from_str).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => {
            eprintln!("sandbox: --faults is not valid JSON for the faults object: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = faults.check() {
        eprintln!("sandbox: --faults: {e}");
        std::process::exit(2);
    }
    if let Some(dir) = &args.app_dir
        && !dir.join("index.html").is_file()
    {
        eprintln!(
            "sandbox: --app-dir {} has no index.html; build the app first (trunk build)",
            dir.display()
        );
        std::process::exit(2);
    }
    let cfg = Config {
        host: args.host,
        port: args.port,
        user_secret: args.user_secret.unwrap_or_else(|| config::DEMO_USER.into()),
        organization_secret: args
            .org_secret
            .unwrap_or_else(|| config::DEMO_ORGANIZATION.into()),
        element_token: args
            .element_token
            .unwrap_or_else(|| config::DEMO_ELEMENT.into()),
        demo_credentials: demo,
        step_delay_ms: args.step_delay_ms,
        row_delay_ms: args.row_delay_ms,
        signature_key: args.signature_key,
        cors: !args.no_cors,
        app_dir: args.app_dir,
        hub: args.hub,
        host_origins: args.host_origins,
        ..Config::default()
    };
    let serving_app = cfg.app_dir.is_some();
    let (addr, state) = match bulk_sandbox::spawn(cfg).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("sandbox: cannot listen: {e} (is another sandbox running? try --port)");
            std::process::exit(1);
        }
    };
    state.lock().faults = faults;
    let c = &state.config;
    // One address to open: with the app, the API sits on the same origin.
    if serving_app {
        println!(
            "Open Connectors sandbox with Bulk Uploader; API under /elements/api-v2 (hub '{}')",
            c.hub
        );
    } else {
        println!(
            "Open Connectors sandbox on http://{addr}/elements/api-v2 (hub '{}')",
            c.hub
        );
    }
    if demo {
        println!(
            "  demo credentials: User {}, Organization {}, Element {}",
            c.user_secret, c.organization_secret, c.element_token
        );
    } else {
        println!("  credentials: as given on the command line");
    }
    println!(
        "  jobs: {} ms per state, {} ms per record; callbacks {}",
        c.step_delay_ms,
        c.row_delay_ms,
        if c.signature_key.is_some() {
            "signed"
        } else {
            "unsigned"
        }
    );
    if serving_app {
        println!("\nOpen http://{addr}/ in your browser.\n");
    }
    let _ = tokio::signal::ctrl_c().await;
}
