//! `amparo serve`: the web server, plain HTTP on loopback or TLS (rustls), draining
//! in-flight requests on SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use amparo_web::{AppState, Transport};

use crate::commands::Failure;
use crate::installation::{self, Installation};

const DEFAULT_BIND: &str = "127.0.0.1:8080";

pub async fn run(
    data_dir: PathBuf,
    bind: Option<String>,
    tls: Option<(PathBuf, PathBuf)>,
) -> Result<ExitCode, Failure> {
    let fresh = Installation::is_vacant(&data_dir);
    // Sealed, and no passphrase file given: start locked and wait for an administrator.
    let locked = !fresh && installation::is_sealed(&data_dir) && !installation::unseal_passphrase_given();
    let inst = match (fresh, locked) {
        (true, _) => Some(Installation::create(&data_dir).await?),
        (false, false) => Some(Installation::open(&data_dir).await?),
        (false, true) => None,
    };
    // Held while the server runs: a restore refuses to start on this directory meanwhile.
    let _running = crate::installation::DataDirLock::shared(&data_dir)?;
    let file_config = installation::read_file_config(&data_dir)?;
    let schedule = crate::backup::schedule(file_config.backup.as_ref())?;
    let bind = bind.or_else(|| file_config.bind.clone()).unwrap_or_else(|| DEFAULT_BIND.to_owned());
    let addr: SocketAddr = bind.parse().map_err(|_| Failure::msg(format!("--bind {bind}: not an address:port")))?;
    let transport = if tls.is_some() { Transport::Tls } else { Transport::PlainLoopback };
    if tls.is_none() && !addr.ip().is_loopback() {
        eprintln!(
            "WARNING: serving plain HTTP on {addr}, which is not loopback. Passwords and survivors' \
             data would cross the network unencrypted. Use --tls-cert and --tls-key, or a TLS proxy."
        );
    }

    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| Failure::msg(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr().map_err(|e| Failure::msg(e.to_string()))?;
    let scheme = if tls.is_some() { "https" } else { "http" };

    let router = match inst {
        Some(inst) => {
            if inst.app.organisations().await?.is_empty() {
                let token = inst.app.create_setup_token().await?;
                println!("Amparo has no organisation yet. Open this one-time link to create the first administrator:");
                println!("{scheme}://{local}/setup?token={token}");
            }
            start_background(&inst.app, schedule);
            amparo_web::router(AppState::new(inst.app.clone(), transport))
        }
        None => {
            println!("Amparo is sealed: open {scheme}://{local}/unlock and give the passphrase to unlock it");
            locked_router(data_dir.clone(), &file_config, schedule, transport)?
        }
    };
    // The SIGTERM handler is in place before anyone is told we listen: a service manager (or
    // a test) that stops the server right away must get a clean stop, not the default kill.
    let shutdown = shutdown_signal();
    println!("Amparo listening on {scheme}://{local}");
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        None => {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
                .map_err(|e| Failure::msg(format!("server error: {e}")))?;
        }
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| Failure::msg(format!("TLS certificate or key: {e}")))?;
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                h.graceful_shutdown(Some(Duration::from_secs(10)));
            });
            let std_listener = listener.into_std().map_err(|e| Failure::msg(e.to_string()))?;
            axum_server::from_tcp_rustls(std_listener, config)
                .handle(handle)
                .serve(app)
                .await
                .map_err(|e| Failure::msg(format!("server error: {e}")))?;
        }
    }
    println!("Amparo stopped");
    Ok(ExitCode::SUCCESS)
}

/// What runs beside the pages: scheduled backups, and the reload of the organisations' key
/// versions (a `keys rotate` may run while the server does).
fn start_background(app: &amparo_app::Amparo, schedule: Option<crate::backup::Schedule>) {
    if let Some(schedule) = schedule {
        println!(
            "scheduled backups every {} s into {} (keeping {})",
            schedule.every.as_secs(),
            schedule.directory.display(),
            schedule.keep
        );
        tokio::spawn(crate::backup::run_schedule(app.clone(), schedule));
    }
    app.spawn_key_version_refresh();
    // Retention: each organisation's policy, daily (off for those that set none).
    tokio::spawn(crate::commands::retention::daily(app.clone()));
}

/// A sealed server: the unlock page until the passphrase opens the master key, then the
/// application, built from the same data directory, without a restart.
fn locked_router(
    data_dir: PathBuf,
    file_config: &installation::FileConfig,
    schedule: Option<crate::backup::Schedule>,
    transport: Transport,
) -> Result<axum::Router, Failure> {
    let config = installation::config_from(file_config)?;
    let gate =
        amparo_app::keys::sealed::SealedKeyGate::new(installation::sealed_key_path(&amparo_app::key_dir(&data_dir)));
    let schedule = std::sync::Mutex::new(schedule);
    let open: amparo_web::locked::OpenApp = Box::new(move |key| {
        let data_dir = data_dir.clone();
        let schedule = schedule.lock().ok().and_then(|mut s| s.take());
        Box::pin(async move {
            // Opening migrates the store, whose future is not `Send` for every lifetime the
            // handler's must be: it runs to completion on a blocking thread of this runtime.
            let handle = tokio::runtime::Handle::current();
            let master = key.into_master();
            let inst =
                tokio::task::spawn_blocking(move || handle.block_on(Installation::open_with_master(&data_dir, master)))
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())?;
            start_background(&inst.app, schedule);
            Ok(AppState::new(inst.app.clone(), transport))
        })
    });
    let server = amparo_web::locked::LockedServer::new(gate, transport, config.default_language, open);
    Ok(amparo_web::locked::sealed_router(server))
}

/// SIGTERM (service managers) or Ctrl-C. The SIGTERM handler is registered when this is
/// called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
    }
}
