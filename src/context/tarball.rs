//! A tarball context: downloaded with a stall deadline, unpacked within limits on its size
//! and entry count, refused whole when it breaks one (the temporary directory goes with it).

use std::cell::Cell;
use std::io::{Read, Write as _};
use std::path::Path;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context as _;

use super::{FetchedContext, check_links_inside, escapes};
use crate::error::{Result, failed, invalid};

/// What a tarball context may cost, from the user's config; set once per command.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The most bytes the download, and what it unpacks to, may each hold
    /// (`core.context_max_size`).
    pub max_bytes: u64,
    /// The most entries (files, directories, links) it may hold (`core.context_max_entries`).
    pub max_entries: u64,
    /// How long the download may go without a byte (`core.registry_timeout`).
    pub stall: Duration,
}

pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;
pub const DEFAULT_MAX_ENTRIES: u64 = 1_000_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_entries: DEFAULT_MAX_ENTRIES,
            stall: crate::registry::DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

impl Limits {
    fn too_large(&self, what: &str) -> anyhow::Error {
        invalid(format!(
            "{what} more than {} (core.context_max_size); refusing the tarball. If it is meant \
             to be that large, raise the limit: 'acrt config set core.context_max_size={}'",
            format_size(self.max_bytes),
            format_size(self.max_bytes.saturating_mul(2))
        ))
    }

    fn too_many_entries(&self) -> anyhow::Error {
        invalid(format!(
            "the tarball holds more than {} entries (core.context_max_entries); refusing it. If it \
             is meant to hold that many, raise the limit: 'acrt config set core.context_max_entries={}'",
            self.max_entries,
            self.max_entries.saturating_mul(2)
        ))
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits of tarball contexts for this process.
pub fn configure(limits: Limits) {
    let _ = LIMITS.set(limits);
}

fn limits() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
}

/// `bytes` as the config takes it: whole GiB, MiB or KiB where it is one, else bytes.
pub fn format_size(bytes: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// Parses a size as the config takes it: bytes, or a number with KiB, MiB or GiB (K, M, G).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kib" => 10,
        "m" | "mib" => 20,
        "g" | "gib" => 30,
        _ => return None,
    };
    number.parse::<u64>().ok()?.checked_mul(1 << shift)
}

pub(super) async fn download(url: &str, work: &Path) -> Result<FetchedContext> {
    let limits = limits();
    let temp = tempfile::Builder::new()
        .prefix("tarball-")
        .tempdir_in(work)?;
    let archive_path = temp.path().join("context.tar");
    save(url, &archive_path, limits).await?;
    let dir = temp.path().join("src");
    std::fs::create_dir(&dir)?;
    unpack(&archive_path, &dir, limits)
        .with_context(|| format!("cannot unpack the context {url}"))?;
    // The build reads the unpacked files only.
    std::fs::remove_file(&archive_path)?;
    Ok(FetchedContext {
        dir,
        commit: None,
        commit_time: None,
        branch: None,
        _temp: Some(temp),
    })
}

/// Downloads `url` to `path`: no byte for `limits.stall` is a stall, more than
/// `limits.max_bytes` is refused. A slow download that keeps sending is waited for (a run's
/// own deadline bounds it).
async fn save(url: &str, path: &Path, limits: &Limits) -> Result<()> {
    let client = reqwest::Client::builder()
        .connect_timeout(limits.stall.min(Duration::from_secs(10)))
        .read_timeout(limits.stall)
        .build()?;
    let broke = |e: reqwest::Error| download_error(url, e, limits);
    let mut response = client.get(url).send().await.map_err(broke)?;
    if !response.status().is_success() {
        return Err(failed(format!(
            "cannot download the context {url}: HTTP {}",
            response.status()
        )));
    }
    let mut file = std::fs::File::create(path)?;
    let mut saved: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(broke)? {
        saved += chunk.len() as u64;
        if saved > limits.max_bytes {
            return Err(limits.too_large(&format!("the tarball {url} is")));
        }
        file.write_all(&chunk)?;
    }
    Ok(())
}

fn download_error(url: &str, err: reqwest::Error, limits: &Limits) -> anyhow::Error {
    if err.is_timeout() {
        return failed(format!(
            "the download of the context {url} stalled: no data for {} s (core.registry_timeout); \
             check the server, or give it longer with 'acrt config set core.registry_timeout=SECONDS'",
            limits.stall.as_secs()
        ));
    }
    failed(format!(
        "cannot download the context {url}: {}",
        crate::registry::error_chain_text(&err)
    ))
}

/// Unpacks a .tar or .tar.gz, refusing any entry (or link) that would land outside `dir`,
/// and refusing the whole tarball past `limits` (the caller removes what was written).
pub fn unpack(archive: &Path, dir: &Path, limits: &Limits) -> Result<()> {
    let over = Rc::new(Cell::new(false));
    let stream = Metered {
        inner: decompressed(archive)?,
        read: 0,
        max: limits.max_bytes,
        over: over.clone(),
    };
    match unpack_entries(stream, dir, limits) {
        // Whatever tar made of the stopped stream, the limit is the reason.
        Err(_) if over.get() => Err(limits.too_large("the tarball unpacks to")),
        result => result,
    }?;
    // Each link alone may look harmless (`l1 -> l0/..` with `l0 -> s/..`); resolved
    // together they may not be.
    check_links_inside(dir)
}

fn decompressed(archive: &Path) -> Result<Box<dyn Read>> {
    let mut head = [0u8; 2];
    let _ = std::fs::File::open(archive)?.read(&mut head)?;
    let file = std::fs::File::open(archive)?;
    Ok(if head == [0x1f, 0x8b] {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

fn unpack_entries(stream: impl Read, dir: &Path, limits: &Limits) -> Result<()> {
    let mut tar = tar::Archive::new(stream);
    let (mut entries, mut written) = (0u64, 0u64);
    for entry in tar.entries()? {
        let mut entry = entry?;
        entries += 1;
        if entries > limits.max_entries {
            return Err(limits.too_many_entries());
        }
        let path = entry.path()?.into_owned();
        check_entry_inside(&entry, &path)?;
        if !entry.unpack_in(dir)? {
            return Err(escaping_entry(&path));
        }
        // What landed, measured on disk: a sparse file or a hard link counts at its full size.
        written += landed_bytes(&dir.join(&path));
        if written > limits.max_bytes {
            return Err(limits.too_large("the tarball unpacks to"));
        }
    }
    Ok(())
}

fn check_entry_inside<R: Read>(entry: &tar::Entry<R>, path: &Path) -> Result<()> {
    if escapes(path) {
        return Err(escaping_entry(path));
    }
    if let Some(target) = entry.link_name()?
        && (target.is_absolute() || escapes(&path.parent().unwrap_or(Path::new("")).join(&target)))
    {
        return Err(invalid(format!(
            "the tarball link '{}' points outside the context ({}); refusing the tarball",
            path.display(),
            target.display()
        )));
    }
    Ok(())
}

fn escaping_entry(path: &Path) -> anyhow::Error {
    invalid(format!(
        "the tarball entry '{}' escapes the context; refusing the tarball",
        path.display()
    ))
}

/// The size of the file at `path` (0 for a directory or a symbolic link).
fn landed_bytes(path: &Path) -> u64 {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.len())
}

/// The decompressed stream, stopped past `max` bytes: tar reads its own extension headers
/// whole into memory, so the stream itself must be bounded, not only the files written.
struct Metered<R> {
    inner: R,
    read: u64,
    max: u64,
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.max {
            self.over.set(true);
            return Err(std::io::Error::other("the tarball is over its size limit"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_bytes: u64, max_entries: u64) -> Limits {
        Limits {
            max_bytes,
            max_entries,
            ..Limits::default()
        }
    }

    /// A tar of `files` (name, size in zero bytes), gzipped.
    fn tar_gz(path: &Path, files: &[(&str, u64)]) {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut builder = tar::Builder::new(gz);
        for (name, size) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(*size);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, name, std::io::repeat(0).take(*size))
                .unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap();
    }

    #[test]
    fn unpack_refuses_escaping_entries() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("bad.tar");
        {
            let mut builder = tar::Builder::new(std::fs::File::create(&archive).unwrap());
            let mut header = tar::Header::new_gnu();
            let data = b"x";
            header.set_size(1);
            header.set_mode(0o644);
            // Write the raw name: tar's own setter refuses '..'.
            let name = b"../evil";
            header.as_old_mut().name[..name.len()].copy_from_slice(name);
            header.set_cksum();
            builder.append(&header, &data[..]).unwrap();
            builder.finish().unwrap();
        }
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&archive, &out, &Limits::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("escapes"), "{err}");
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn unpack_stops_at_the_size_and_entry_limits() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("big.tar.gz");
        tar_gz(&archive, &[("a", 600 << 10), ("b", 600 << 10)]);
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&archive, &out, &limits(1 << 20, 10)).unwrap_err();
        assert!(
            format!("{err:#}").contains("core.context_max_size"),
            "{err:#}"
        );
        // Stopped in the second file: never more than the limit on disk.
        let on_disk: u64 = ["a", "b"].iter().map(|f| landed_bytes(&out.join(f))).sum();
        assert!(on_disk <= 1 << 20, "{on_disk} bytes written");
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::create_dir(&out).unwrap();
        assert!(unpack(&archive, &out, &limits(2 << 20, 10)).is_ok());

        let many: Vec<(String, u64)> = (0..20).map(|i| (format!("f{i}"), 0)).collect();
        let many: Vec<(&str, u64)> = many.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        tar_gz(&archive, &many);
        let out = dir.path().join("out2");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&archive, &out, &limits(1 << 20, 10)).unwrap_err();
        assert!(
            format!("{err:#}").contains("core.context_max_entries"),
            "{err:#}"
        );
    }

    #[test]
    fn hard_links_count_at_their_full_size() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("links.tar");
        {
            let mut builder = tar::Builder::new(std::fs::File::create(&archive).unwrap());
            let mut header = tar::Header::new_gnu();
            header.set_size(400 << 10);
            header.set_mode(0o644);
            builder
                .append_data(&mut header, "a", std::io::repeat(0).take(400 << 10))
                .unwrap();
            for i in 0..4 {
                let mut link = tar::Header::new_gnu();
                link.set_entry_type(tar::EntryType::Link);
                link.set_size(0);
                builder
                    .append_link(&mut link, format!("l{i}"), "a")
                    .unwrap();
            }
            builder.finish().unwrap();
        }
        // The stream is under 1 MiB; what a builder would copy (5 x 400 KiB) is not.
        assert!(std::fs::metadata(&archive).unwrap().len() < 1 << 20);
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&archive, &out, &limits(1 << 20, 10)).unwrap_err();
        assert!(
            format!("{err:#}").contains("core.context_max_size"),
            "{err:#}"
        );
    }

    #[test]
    fn sizes_read_and_print_as_the_config_takes_them() {
        assert_eq!(parse_size("4GiB"), Some(4 << 30));
        assert_eq!(parse_size("8 MiB"), Some(8 << 20));
        assert_eq!(parse_size("512k"), Some(512 << 10));
        assert_eq!(parse_size("1000"), Some(1000));
        for bad in ["", "GiB", "1.5GiB", "-1", "4TB", "99999999999999999999G"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert_eq!(format_size(4 << 30), "4GiB");
        assert_eq!(format_size(1536 << 10), "1536KiB");
        assert_eq!(format_size(1000), "1000");
    }
}
