//! An installation on disk: the data directory, its key directory, the master key, and the
//! database (the data directory's SQLite file, or PostgreSQL when AMPARO_DATABASE_URL says so).

use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

use amparo_app::{Amparo, AppConfig, Deps, SystemClock, key_dir};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_store::Store;
use amparo_store_postgres::PostgresStore;
use amparo_store_sqlite::SqliteStore;

use crate::commands::Failure;

const MASTER_KEY_FILE: &str = "master.key";
/// The master key wrapped by an administrator's passphrase (sealed mode, docs/keys.md).
const SEALED_KEY_FILE: &str = "master.key.sealed";

/// `--unseal-passphrase-file`: set once from the command line, read wherever the master key is.
static UNSEAL_PASSPHRASE_FILE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Remembers `--unseal-passphrase-file FILE` for every command that opens the installation.
pub fn set_unseal_passphrase_file(path: std::path::PathBuf) {
    let _ = UNSEAL_PASSPHRASE_FILE.set(path);
}

/// True when `--unseal-passphrase-file` was given.
pub fn unseal_passphrase_given() -> bool {
    UNSEAL_PASSPHRASE_FILE.get().is_some()
}

/// Where the sealed master key lives in a key directory.
pub fn sealed_key_path(key_dir: &Path) -> std::path::PathBuf {
    key_dir.join(SEALED_KEY_FILE)
}

/// True when the master key is only available sealed: no AMPARO_MASTER_KEY, no key file,
/// and a sealed key file.
pub fn is_sealed(data_dir: &Path) -> bool {
    let keys = key_dir(data_dir);
    std::env::var("AMPARO_MASTER_KEY").map_or(true, |v| v.trim().is_empty())
        && !keys.join(MASTER_KEY_FILE).exists()
        && keys.join(SEALED_KEY_FILE).exists()
}

/// A passphrase from the first line of a file (the file is the operator's to protect).
pub fn read_passphrase_file(path: &Path) -> Result<secrecy::SecretString, Failure> {
    let text = zeroize::Zeroizing::new(
        fs::read_to_string(path).map_err(|e| Failure::msg(format!("cannot read {}: {}", path.display(), e.kind())))?,
    );
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(Failure::msg(format!("{} is empty: the passphrase is its first line", path.display())));
    }
    Ok(secrecy::SecretString::from(line.to_owned()))
}

/// Opens the sealed master key with a passphrase.
pub fn open_sealed_key(data_dir: &Path, passphrase: &secrecy::SecretString) -> Result<MasterKey, Failure> {
    let path = sealed_key_path(&key_dir(data_dir));
    let text = amparo_crypto::read_sealed_key_file(&path)
        .map_err(|e| Failure::msg(format!("cannot read the sealed key {} ({})", path.display(), e.code())))?;
    amparo_crypto::open_sealed_master_key(&text, passphrase).map_err(|e| match e {
        amparo_crypto::CryptoError::WrongPassphrase => {
            Failure::msg("the passphrase does not open the sealed key (wrong_passphrase)")
        }
        other => Failure::msg(format!("cannot open the sealed key ({})", other.code())),
    })
}

/// Settings read from `amparo.toml` in the data directory (flags and environment win).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    /// Scheduled backups run by `serve` (see docs/backup.md).
    pub backup: Option<crate::backup::ScheduleConfig>,
    pub bind: Option<String>,
    pub default_language: Option<String>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    /// Largest document upload accepted, in MiB (default 10).
    pub max_document_mb: Option<u64>,
    /// Screening cut-offs that replace an instrument's, e.g. `"pcl5.probable_ptsd" = 31`.
    pub screening_cutoffs: Option<std::collections::BTreeMap<String, u32>>,
    /// The hotlines screening results show (default: the US and Mexico national lines).
    pub hotlines: Option<Vec<amparo_app::Hotline>>,
    /// The public tip form and resources page (see docs/tips-and-signals.md).
    pub tips: Option<TipsFileConfig>,
    /// Differentially private releases (see docs/release.md).
    pub release: Option<ReleaseFileConfig>,
}

/// `[release]` in `amparo.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFileConfig {
    /// The total ε each organisation's releases may spend per calendar year (default 10;
    /// AMPARO_RELEASE_EPSILON_PER_YEAR wins).
    pub epsilon_per_year: Option<f64>,
}

/// `[tips]` in `amparo.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipsFileConfig {
    /// The organisation (by name) that receives `/tip`; default: the only one.
    pub organisation: Option<String>,
    /// Further forms: `/tip/{slug}` → organisation name.
    #[serde(default)]
    pub pages: std::collections::BTreeMap<String, String>,
    /// Where the quick-exit control leads (AMPARO_QUICK_EXIT_URL wins).
    pub quick_exit_url: Option<String>,
    /// Tips one address may send in `window_minutes` (AMPARO_TIPS_PER_ADDRESS wins).
    pub per_address: Option<u32>,
    pub window_minutes: Option<i64>,
    /// Replaces the built-in national hotlines of Mexico and the United States.
    pub hotlines: Option<Vec<HotlineFileConfig>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotlineFileConfig {
    pub country: String,
    pub name_en: String,
    pub name_es: String,
    pub phone: String,
    pub text: Option<String>,
}

/// The public pages' settings: environment, then `[tips]`, then the defaults.
fn tips_config(file: Option<&TipsFileConfig>) -> Result<amparo_app::signals::TipsConfig, Failure> {
    let mut tips = amparo_app::signals::TipsConfig::default();
    if let Some(f) = file {
        tips.default_organisation = f.organisation.clone();
        tips.pages = f.pages.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some(url) = &f.quick_exit_url {
            tips.quick_exit_url = url.clone();
        }
        if let Some(n) = f.per_address {
            tips.max_per_address = n;
        }
        if let Some(m) = f.window_minutes {
            tips.window = chrono::Duration::minutes(m.clamp(1, 24 * 60));
        }
        if let Some(lines) = &f.hotlines {
            tips.hotlines = lines
                .iter()
                .map(|h| amparo_app::signals::Hotline {
                    country: h.country.to_ascii_uppercase(),
                    name_en: h.name_en.clone(),
                    name_es: h.name_es.clone(),
                    phone: h.phone.clone(),
                    text: h.text.clone(),
                })
                .collect();
        }
    }
    if let Ok(url) = std::env::var("AMPARO_QUICK_EXIT_URL")
        && !url.trim().is_empty()
    {
        tips.quick_exit_url = url.trim().to_owned();
    }
    if let Ok(n) = std::env::var("AMPARO_TIPS_PER_ADDRESS")
        && !n.trim().is_empty()
    {
        tips.max_per_address =
            n.trim().parse().map_err(|_| Failure::msg("AMPARO_TIPS_PER_ADDRESS must be a whole number"))?;
    }
    // The link is followed by someone in danger: only a plain web address, never a script.
    if !(tips.quick_exit_url.starts_with("https://") || tips.quick_exit_url.starts_with("http://")) {
        return Err(Failure::msg("the quick-exit URL must start with https:// (or http://)"));
    }
    Ok(tips)
}

#[derive(Debug)]
pub struct Installation {
    pub app: Amparo,
    pub file_config: FileConfig,
}

fn master_key_from_env() -> Result<Option<MasterKey>, Failure> {
    match std::env::var("AMPARO_MASTER_KEY") {
        Ok(v) if !v.trim().is_empty() => MasterKey::from_env_value(v.trim())
            .map(Some)
            .map_err(|e| Failure::msg(format!("AMPARO_MASTER_KEY is not a valid key ({})", e.code()))),
        _ => Ok(None),
    }
}

pub fn read_file_config(data_dir: &Path) -> Result<FileConfig, Failure> {
    match fs::read_to_string(data_dir.join("amparo.toml")) {
        Ok(text) => toml::from_str(&text).map_err(|e| Failure::msg(format!("amparo.toml: {}", e.message()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(Failure::msg(format!("amparo.toml: {e}"))),
    }
}

/// The PostgreSQL URL the installation is configured with (environment, then amparo.toml).
pub fn database_url(file: &FileConfig) -> Option<String> {
    std::env::var("AMPARO_DATABASE_URL").ok().filter(|u| !u.is_empty()).or_else(|| file.database_url.clone())
}

/// A store of either backend, kept concrete where a command must close it before it
/// moves files (restore) or must know which one it has (migrate-store).
#[derive(Debug)]
pub enum OpenedStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl OpenedStore {
    pub fn shared(&self) -> Arc<dyn Store> {
        match self {
            OpenedStore::Sqlite(s) => Arc::new(s.clone()),
            OpenedStore::Postgres(s) => Arc::new(s.clone()),
        }
    }

    pub async fn close(&self) {
        match self {
            OpenedStore::Sqlite(s) => s.close().await,
            OpenedStore::Postgres(s) => s.close().await,
        }
    }
}

pub async fn open_postgres(url: &str) -> Result<PostgresStore, Failure> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(Failure::msg("AMPARO_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)"));
    }
    PostgresStore::connect(url).await.map_err(|e| Failure::msg(format!("PostgreSQL: {e}")))
}

pub async fn open_sqlite(path: &Path) -> Result<SqliteStore, Failure> {
    SqliteStore::open(path).await.map_err(|e| Failure::msg(format!("SQLite: {e}")))
}

pub async fn open_configured_store(data_dir: &Path, file: &FileConfig) -> Result<OpenedStore, Failure> {
    match database_url(file) {
        Some(url) => Ok(OpenedStore::Postgres(open_postgres(&url).await?)),
        None => Ok(OpenedStore::Sqlite(open_sqlite(&amparo_store_sqlite::database_path(data_dir)).await?)),
    }
}

async fn open_store(data_dir: &Path, file: &FileConfig) -> Result<Arc<dyn Store>, Failure> {
    Ok(open_configured_store(data_dir, file).await?.shared())
}

/// The installation's master key: AMPARO_MASTER_KEY, else the key file, else the sealed key
/// file opened with the passphrase in `--unseal-passphrase-file`.
pub fn read_master_key(data_dir: &Path) -> Result<MasterKey, Failure> {
    let key_dir = key_dir(data_dir);
    if let Some(k) = master_key_from_env()? {
        return Ok(k);
    }
    if is_sealed(data_dir) {
        let Some(file) = UNSEAL_PASSPHRASE_FILE.get() else {
            return Err(Failure::msg(format!(
                "this installation is sealed (its master key is in {}): give the passphrase with \
                 --unseal-passphrase-file FILE",
                sealed_key_path(&key_dir).display()
            )));
        };
        return open_sealed_key(data_dir, &read_passphrase_file(file)?);
    }
    MasterKey::read_file(&key_dir.join(MASTER_KEY_FILE))
        .map_err(|e| Failure::msg(format!("cannot read the master key in {} ({})", key_dir.display(), e.code())))
}

/// Where the master key file lives in a key directory.
pub fn master_key_path(key_dir: &Path) -> std::path::PathBuf {
    key_dir.join(MASTER_KEY_FILE)
}

/// Marks a data directory in use: `serve` holds a shared lock on `amparo.lock` while it
/// runs, and a restore takes it exclusively, so neither starts while the other works.
#[derive(Debug)]
pub struct DataDirLock {
    _file: fs::File,
}

const LOCK_FILE: &str = "amparo.lock";

impl DataDirLock {
    fn open(data_dir: &Path) -> Result<fs::File, Failure> {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(data_dir.join(LOCK_FILE))
            .map_err(|e| Failure::msg(format!("cannot open {}: {e}", data_dir.join(LOCK_FILE).display())))
    }

    /// For `serve`: refused while a restore runs on the directory.
    pub fn shared(data_dir: &Path) -> Result<DataDirLock, Failure> {
        let file = Self::open(data_dir)?;
        file.try_lock_shared().map_err(|_| {
            Failure::msg(format!("a restore is running on {}; start the server when it is done", data_dir.display()))
        })?;
        Ok(DataDirLock { _file: file })
    }

    /// For `backup restore`: refused while a server runs on the directory.
    pub fn exclusive(data_dir: &Path) -> Result<DataDirLock, Failure> {
        let file = Self::open(data_dir)?;
        file.try_lock().map_err(|_| {
            Failure::msg(format!(
                "a server is running on {} (or another restore is): stop it first",
                data_dir.display()
            ))
        })?;
        Ok(DataDirLock { _file: file })
    }
}

pub fn config_from(file: &FileConfig) -> Result<AppConfig, Failure> {
    let mut config = AppConfig::default();
    let lang = std::env::var("AMPARO_DEFAULT_LANGUAGE").ok().or_else(|| file.default_language.clone());
    if let Some(lang) = lang {
        config.default_language = lang.parse().map_err(|_| Failure::msg("default language must be es or en"))?;
    }
    if let Some(m) = file.session_idle_minutes {
        config.session_idle = chrono::Duration::minutes(m.clamp(1, 60));
    }
    if let Some(h) = file.session_absolute_hours {
        config.session_absolute = chrono::Duration::hours(h.clamp(1, 12));
    }
    let document_mb = match std::env::var("AMPARO_MAX_DOCUMENT_MB") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim()
                .parse::<u64>()
                .map_err(|_| Failure::msg("AMPARO_MAX_DOCUMENT_MB must be a whole number of MiB"))?,
        ),
        _ => file.max_document_mb,
    };
    if let Some(mb) = document_mb {
        // Documents live in the database and are read whole into memory: keep them bounded.
        let mb = usize::try_from(mb.clamp(1, 100)).unwrap_or(100);
        config.max_document_bytes = mb * 1024 * 1024;
    }
    if let Some(cutoffs) = &file.screening_cutoffs {
        amparo_app::screenings::check_cutoffs(cutoffs).map_err(|e| Failure::msg(format!("amparo.toml: {e}")))?;
        config.screening_cutoffs = cutoffs.clone();
    }
    if let Some(hotlines) = &file.hotlines {
        config.hotlines = hotlines.clone();
    }
    config.tips = tips_config(file.tips.as_ref())?;
    let release_budget = match std::env::var("AMPARO_RELEASE_EPSILON_PER_YEAR") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim().parse::<f64>().map_err(|_| Failure::msg("AMPARO_RELEASE_EPSILON_PER_YEAR must be a number"))?,
        ),
        _ => file.release.as_ref().and_then(|r| r.epsilon_per_year),
    };
    if let Some(total) = release_budget {
        if !(total.is_finite() && total > 0.0 && total <= 100.0) {
            return Err(Failure::msg("the release budget (epsilon per year) must be above 0 and at most 100"));
        }
        config.release_epsilon_per_year = total;
    }
    Ok(config)
}

impl Installation {
    /// True when `dir` is missing or an empty directory.
    pub fn is_vacant(dir: &Path) -> bool {
        match fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        }
    }

    /// Creates the data directory (mode 0700), the key directory, the master key (unless it
    /// comes from AMPARO_MASTER_KEY) and the database. Refuses a directory that has content.
    pub async fn create(data_dir: &Path) -> Result<Installation, Failure> {
        if !Self::is_vacant(data_dir) {
            return Err(Failure::msg(format!(
                "{} already exists and is not empty; refusing to initialise over it",
                data_dir.display()
            )));
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true).mode(0o700);
        builder.create(data_dir).map_err(|e| Failure::msg(format!("cannot create {}: {e}", data_dir.display())))?;
        fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700)).map_err(|e| Failure::msg(e.to_string()))?;
        let keys = key_dir(data_dir);
        builder.create(&keys).map_err(|e| Failure::msg(format!("cannot create {}: {e}", keys.display())))?;
        if master_key_from_env()?.is_none() {
            MasterKey::generate()
                .write_new_file(&keys.join(MASTER_KEY_FILE))
                .map_err(|e| Failure::msg(format!("cannot write the master key ({})", e.code())))?;
        }
        Self::open(data_dir).await
    }

    /// Opens an existing installation.
    pub async fn open(data_dir: &Path) -> Result<Installation, Failure> {
        if !data_dir.is_dir() {
            return Err(Failure::msg(format!(
                "{} is not an Amparo data directory (run `amparo init`)",
                data_dir.display()
            )));
        }
        let master = read_master_key(data_dir)?;
        Self::open_with_master(data_dir, master).await
    }

    /// Opens an existing installation with its master key in hand (a sealed server, unlocked).
    pub async fn open_with_master(data_dir: &Path, master: MasterKey) -> Result<Installation, Failure> {
        let key_dir = key_dir(data_dir);
        let file_config = read_file_config(data_dir)?;
        let store = open_store(data_dir, &file_config).await?;
        let config = config_from(&file_config)?;
        let app = Amparo::new(Deps {
            store,
            keys: Arc::new(KeyRing::new(&master)),
            key_dir,
            config,
            clock: Arc::new(SystemClock),
            password_params: PasswordParams::owasp(),
        });
        // New data keys are wrapped under each organisation's current KEK version.
        app.load_key_versions().await?;
        Ok(Installation { app, file_config })
    }
}
