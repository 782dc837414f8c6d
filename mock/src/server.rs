//! Serving the mock: on an ephemeral loopback port inside the caller's runtime (tests, the
//! runner), or on a chosen address until interrupted (the `mock` subcommand).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::MockConfig;
use super::routes::app;
use super::state::MockState;

/// How often the wall-clock ticker applies due transitions (a manual clock needs no ticker).
const TICK: Duration = Duration::from_millis(50);
/// How long `shutdown` waits for open connections before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why a mock could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the mock server failed")]
    Serve(#[source] std::io::Error),
    /// The scenarios file could not be read.
    #[error("cannot read scenarios file {path}")]
    ReadScenarios {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The scenarios (from a file, or built by hand with an empty path) are not valid.
    #[error("invalid scenarios file {path}: {reason}")]
    Scenarios {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// A mock serving on a loopback port; stops when dropped or on [`RunningMock::shutdown`].
#[derive(Debug)]
pub struct RunningMock {
    /// Where it listens, e.g. `127.0.0.1:40123`.
    pub addr: SocketAddr,
    state: MockState,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningMock {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The mock's state, e.g. to move a manual clock with [`MockState::advance`].
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// Stops accepting, lets open requests finish (up to 5 s) and waits for the server.
    pub async fn shutdown(mut self) -> Result<(), MockError> {
        let _ = self.stop.send(true);
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result.map_err(MockError::Serve),
            Ok(Err(join)) => Err(MockError::Serve(std::io::Error::other(join))),
            Err(_) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for RunningMock {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Starts a mock on `127.0.0.1:0` in the current tokio runtime.
pub async fn spawn(config: MockConfig) -> Result<RunningMock, MockError> {
    check(&config)?;
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| MockError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| MockError::Bind { addr, source })?;
    let state = MockState::new(config);
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(serve_until(listener, state.clone(), stopped));
    Ok(RunningMock {
        addr,
        state,
        stop,
        task: Some(task),
    })
}

/// Serves on `addr` until Ctrl-C (the `mock` subcommand).
pub async fn serve(config: MockConfig, addr: SocketAddr) -> Result<(), MockError> {
    check(&config)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| MockError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| MockError::Bind { addr, source })?;
    tracing::info!(addr = %bound, "mock listening on http://{bound}");
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("interrupted; stopping");
        }
        let _ = stop.send(true);
    });
    serve_until(listener, MockState::new(config), stopped)
        .await
        .map_err(MockError::Serve)
}

fn check(config: &MockConfig) -> Result<(), MockError> {
    config
        .scenarios
        .check()
        .map_err(|reason| MockError::Scenarios {
            path: PathBuf::new(),
            reason,
        })
}

async fn serve_until(
    listener: TcpListener,
    state: MockState,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()> {
    if !state.clock().is_manual() {
        let ticking = state.clone();
        let mut stop_ticking = stopped.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => ticking.run_due(),
                    _ = stop_ticking.wait_for(|stop| *stop) => break,
                }
            }
        });
    }
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        })
        .await
}
