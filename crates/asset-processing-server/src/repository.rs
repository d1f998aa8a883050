//! The asset repository: a folder on disk mapped to `/content/dam`.
//!
//! Every repository path goes through `Repository::resolve`, which accepts only normalised
//! paths (no `..`, no encoded traversal, see `asset_processing_api::normalize_path`) and then
//! checks that the file the OS would open, symlinks followed, is still inside the folder. No
//! request can read or name anything outside it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use asset_processing_api::{is_at_or_below, normalize_path, FileCategory, Filter, DAM_ROOT};

/// What a repository path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Folder,
    Asset,
}

/// Why a repository path could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum RepoError {
    /// Not a valid repository path (the reason, as a phrase after the path).
    Invalid(String),
    /// Nothing is there (also: a symlink that leads outside the repository).
    NotFound,
    Io(String),
}

impl std::fmt::Display for RepoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepoError::Invalid(why) => write!(f, "{why}"),
            RepoError::NotFound => f.write_str("does not exist"),
            RepoError::Io(e) => write!(f, "could not be read ({e})"),
        }
    }
}

/// A child of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Child {
    pub name: String,
    pub kind: NodeKind,
}

/// The assets a job will handle, and what the walk left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Repository paths in processing order (depth first, names in byte order).
    pub assets: Vec<String>,
    /// Folders and assets under an excluded path, not entered.
    pub excluded: u64,
    /// Assets whose extension is not in the filter.
    pub filtered: u64,
    /// Entries ignored because they are symlinks leading outside the repository.
    pub outside_links: Vec<String>,
}

/// Real paths of repository folders already checked (see `Repository::resolve_with`).
pub type DirCache = std::collections::HashMap<String, PathBuf>;

#[derive(Clone, Debug)]
pub struct Repository {
    root: PathBuf,
}

impl Repository {
    pub fn open(root: &Path) -> io::Result<Repository> {
        Ok(Repository {
            root: root.canonicalize()?,
        })
    }

    /// The folder on disk.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file or folder on disk for a repository path, after every check.
    pub fn resolve(&self, repo_path: &str) -> Result<PathBuf, RepoError> {
        let normal = normalize_path(repo_path).map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rel = normal
            .strip_prefix(DAM_ROOT)
            .unwrap_or("")
            .trim_start_matches('/');
        let candidate = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        let real = candidate.canonicalize().map_err(missing_or_io)?;
        if !real.starts_with(&self.root) {
            return Err(RepoError::NotFound);
        }
        if file_name_hidden(rel) {
            return Err(RepoError::NotFound);
        }
        Ok(real)
    }

    /// Like `resolve`, for many paths in a few folders: each folder is resolved (every
    /// component checked, links followed) once, then only the last component is looked at,
    /// and resolved fully when it is a link. Also returns the file's metadata. On a sandboxed
    /// kernel every component of a full resolution is a costly system call.
    pub fn resolve_with(
        &self,
        repo_path: &str,
        dirs: &mut DirCache,
    ) -> Result<(PathBuf, fs::Metadata), RepoError> {
        let io = missing_or_io;
        let normal = normalize_path(repo_path).map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rel = normal
            .strip_prefix(DAM_ROOT)
            .unwrap_or("")
            .trim_start_matches('/');
        let Some((parent, name)) = normal
            .rsplit_once('/')
            .filter(|_| !rel.is_empty() && !file_name_hidden(rel))
        else {
            let real = self.resolve(&normal)?;
            let meta = fs::metadata(&real).map_err(io)?;
            return Ok((real, meta));
        };
        let parent_real = match dirs.get(parent) {
            Some(p) => p.clone(),
            None => {
                let p = self.resolve(parent)?;
                dirs.insert(parent.to_string(), p.clone());
                p
            }
        };
        let candidate = parent_real.join(name);
        let own = fs::symlink_metadata(&candidate).map_err(io)?;
        if own.file_type().is_symlink() {
            let real = self.resolve(&normal)?;
            let meta = fs::metadata(&real).map_err(io)?;
            return Ok((real, meta));
        }
        Ok((candidate, own))
    }

    pub fn kind(&self, repo_path: &str) -> Result<NodeKind, RepoError> {
        let path = self.resolve(repo_path)?;
        let meta = fs::metadata(&path).map_err(|e| RepoError::Io(e.to_string()))?;
        Ok(if meta.is_dir() {
            NodeKind::Folder
        } else {
            NodeKind::Asset
        })
    }

    pub fn exists(&self, repo_path: &str) -> bool {
        self.resolve(repo_path).is_ok()
    }

    /// The children of a folder, names in byte order; hidden entries and symlinks that lead
    /// outside the repository are left out.
    pub fn children(&self, repo_path: &str) -> Result<Vec<Child>, RepoError> {
        let dir = self.resolve(repo_path)?;
        let mut out = Vec::new();
        for (name, path) in sorted_entries(&dir).map_err(|e| RepoError::Io(e.to_string()))? {
            match self.classify(&path) {
                Some(kind) => out.push(Child { name, kind }),
                None => continue,
            }
        }
        Ok(out)
    }

    /// Folder or asset, following symlinks only when they stay inside the repository.
    fn classify(&self, path: &Path) -> Option<NodeKind> {
        let real = path.canonicalize().ok()?;
        if !real.starts_with(&self.root) {
            return None;
        }
        let meta = fs::metadata(&real).ok()?;
        Some(if meta.is_dir() {
            NodeKind::Folder
        } else {
            NodeKind::Asset
        })
    }

    /// Every asset at or below `start` in processing order, leaving out excluded paths and
    /// the assets `selection` does not keep. `stop` is asked now and then and ends the walk
    /// early when it answers true.
    pub fn walk(
        &self,
        start: &str,
        excluded: &[String],
        selection: &Selection,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<Walk>, RepoError> {
        let mut walk = Walk::default();
        let root_fs = self.resolve(start)?;
        let start = normalize_path(start).map_err(|e| RepoError::Invalid(e.to_string()))?;
        // (repository path, path on disk) of folders still to enter, in reverse order.
        let mut stack: Vec<(String, PathBuf, bool)> = vec![(start, root_fs, true)];
        let mut seen = 0u64;
        while let Some((repo_path, fs_path, is_root)) = stack.pop() {
            seen += 1;
            if seen % 256 == 0 && stop() {
                return Ok(None);
            }
            if excluded.iter().any(|x| is_at_or_below(&repo_path, x)) {
                walk.excluded += 1;
                continue;
            }
            // Entries come from listing a real folder inside the repository, so only the
            // entry itself can be a link: only links need the (costly) full resolution.
            let Ok(own) = fs::symlink_metadata(&fs_path) else {
                continue;
            }; // vanished
            let is_link = own.file_type().is_symlink();
            let (real, meta) = if is_link || is_root {
                match fs_path.canonicalize() {
                    Ok(r) if r.starts_with(&self.root) => {
                        let Ok(meta) = fs::metadata(&r) else { continue };
                        (r, meta)
                    }
                    Ok(_) => {
                        walk.outside_links.push(repo_path);
                        continue;
                    }
                    Err(_) => continue, // a dangling link, or vanished while walking
                }
            } else {
                (fs_path.clone(), own)
            };
            if !meta.is_dir() {
                if selection.keeps(&repo_path, &meta) {
                    walk.assets.push(repo_path);
                } else {
                    walk.filtered += 1;
                }
                continue;
            }
            // A symlinked folder inside the repository is not entered: its assets are
            // reached by their real path, once (and a link loop cannot trap the walk).
            if is_link && !is_root {
                continue;
            }
            let entries = sorted_entries(&real).map_err(|e| RepoError::Io(e.to_string()))?;
            for (name, path) in entries.into_iter().rev() {
                stack.push((format!("{repo_path}/{name}"), path, false));
            }
        }
        Ok(Some(walk))
    }
}

/// Nothing is there: not found, a file where a folder was expected, or a name longer than
/// the file system allows (ENAMETOOLONG: no such file can exist, so it is not a failure of
/// the server). Anything else is an I/O failure.
fn missing_or_io(e: io::Error) -> RepoError {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename => {
            RepoError::NotFound
        }
        _ => RepoError::Io(e.to_string()),
    }
}

/// Which assets a walk keeps: the start request's file-type categories and creation-time
/// window (`filterProcessedAssets` is decided later, per asset, against earlier results).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Empty: every category.
    pub categories: Vec<FileCategory>,
    /// Created at or after (epoch ms).
    pub created_from: Option<i64>,
    /// Created at or before (epoch ms).
    pub created_until: Option<i64>,
}

impl Selection {
    pub fn from_filter(filter: &Filter) -> Selection {
        Selection {
            categories: filter.file_types.clone(),
            created_from: filter.start_time,
            created_until: filter.end_time,
        }
    }

    /// True when the asset at `repo_path`, with these file facts, is selected.
    pub fn keeps(&self, repo_path: &str, meta: &fs::Metadata) -> bool {
        self.keeps_category(repo_path) && self.keeps_time(created_ms(meta))
    }

    fn keeps_category(&self, repo_path: &str) -> bool {
        if self.categories.is_empty() {
            return true;
        }
        let category = FileCategory::of_path(repo_path);
        self.categories.iter().any(|wanted| match wanted {
            // A job stored by the first schema named extensions ("dita"); they read back as
            // unknown categories and keep meaning "this extension", so such a job resumes
            // with the assets it counted.
            FileCategory::Other(ext) => extension(repo_path) == ext.to_ascii_lowercase(),
            known => *known == category,
        })
    }

    fn keeps_time(&self, created: i64) -> bool {
        self.created_from.is_none_or(|from| created >= from)
            && self.created_until.is_none_or(|until| created <= until)
    }
}

/// When the file was created, in epoch ms: its birth time where the file system records one
/// (statx on ext4, btrfs, xfs, tmpfs), else its last modification (the contract's fallback).
pub fn created_ms(meta: &fs::Metadata) -> i64 {
    let time = meta.created().or_else(|_| meta.modified());
    match time.map(|t| t.duration_since(std::time::UNIX_EPOCH)) {
        Ok(Ok(since)) => since.as_millis().min(i64::MAX as u128) as i64,
        // Before 1970 or unreadable: older than any window's start.
        _ => 0,
    }
}

/// Percent-decoding of a URL path or a DITA `href` (UTF-8); None when malformed: a `%` not
/// followed by two hex digits (the `percent-encoding` crate would keep it as it is, and a
/// path must not mean two things), or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Lower-case extension of a repository path ("" when none).
pub fn extension(repo_path: &str) -> String {
    let name = repo_path.rsplit('/').next().unwrap_or("");
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn file_name_hidden(rel: &str) -> bool {
    rel.split('/').any(|s| s.starts_with('.'))
}

/// Visible entries of a folder (names not starting with "."), in byte order of their names.
/// Names that are not valid UTF-8 cannot be repository paths and are left out.
fn sorted_entries(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut entries: Vec<(String, PathBuf)> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            (!name.starts_with('.')).then(|| (name, e.path()))
        })
        .collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dam");
        for f in [
            "a/x.dita",
            "a/b/y.png",
            "a/b/z.dita",
            "a/old/q.dita",
            "c.txt",
            ".hidden/s.dita",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, f).unwrap();
        }
        fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("a/escape.txt"))
                .unwrap();
            std::os::unix::fs::symlink(dir.path(), root.join("a/escape-dir")).unwrap();
            std::os::unix::fs::symlink(root.join("c.txt"), root.join("a/inside-link.txt")).unwrap();
        }
        let repo = Repository::open(&root).unwrap();
        (dir, repo)
    }

    #[test]
    fn resolves_inside_and_refuses_outside() {
        let (_d, r) = repo();
        assert!(r.resolve("/content/dam/a/x.dita").is_ok());
        assert!(r.resolve("/content/dam").is_ok());
        assert_eq!(r.resolve("/content/dam/nope"), Err(RepoError::NotFound));
        assert!(matches!(
            r.resolve("/content/dam/../secret.txt"),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve("/content/dam/%2e%2e/secret.txt"),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve("/etc/passwd"),
            Err(RepoError::Invalid(_))
        ));
        assert_eq!(
            r.resolve("/content/dam/.hidden/s.dita"),
            Err(RepoError::NotFound)
        );
        #[cfg(unix)]
        {
            assert_eq!(
                r.resolve("/content/dam/a/escape.txt"),
                Err(RepoError::NotFound)
            );
            assert_eq!(
                r.resolve("/content/dam/a/escape-dir/secret.txt"),
                Err(RepoError::NotFound)
            );
            assert!(r.resolve("/content/dam/a/inside-link.txt").is_ok());
        }
    }

    #[test]
    fn resolving_with_a_folder_cache_keeps_every_check() {
        let (_d, r) = repo();
        let mut dirs = DirCache::new();
        let (p, meta) = r.resolve_with("/content/dam/a/x.dita", &mut dirs).unwrap();
        assert!(p.ends_with("a/x.dita") && meta.is_file());
        assert!(dirs.contains_key("/content/dam/a"));
        assert!(r.resolve_with("/content/dam/a/b/y.png", &mut dirs).is_ok());
        assert!(matches!(
            r.resolve_with("/content/dam/a/missing", &mut dirs),
            Err(RepoError::NotFound)
        ));
        assert!(matches!(
            r.resolve_with("/content/dam/../x", &mut dirs),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve_with("/content/dam/.hidden/s.dita", &mut dirs),
            Err(RepoError::NotFound)
        ));
        assert!(r.resolve_with("/content/dam", &mut dirs).is_ok());
        #[cfg(unix)]
        {
            assert_eq!(
                r.resolve_with("/content/dam/a/escape.txt", &mut dirs)
                    .unwrap_err(),
                RepoError::NotFound
            );
            assert_eq!(
                r.resolve_with("/content/dam/a/escape-dir/secret.txt", &mut dirs)
                    .unwrap_err(),
                RepoError::NotFound
            );
            assert!(r
                .resolve_with("/content/dam/a/inside-link.txt", &mut dirs)
                .is_ok());
        }
    }

    #[test]
    fn children_are_sorted_and_safe() {
        let (_d, r) = repo();
        let names: Vec<(String, NodeKind)> = r
            .children("/content/dam/a")
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.kind))
            .collect();
        let mut expected = vec![
            ("b".to_string(), NodeKind::Folder),
            ("old".to_string(), NodeKind::Folder),
            ("x.dita".to_string(), NodeKind::Asset),
        ];
        if cfg!(unix) {
            expected.push(("inside-link.txt".into(), NodeKind::Asset));
            expected.sort();
        }
        assert_eq!(names, expected);
    }

    #[test]
    fn walk_is_ordered_and_honours_exclusions_and_types() {
        let (_d, r) = repo();
        let w = r
            .walk("/content/dam", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        let mut expected = vec![
            "/content/dam/a/b/y.png",
            "/content/dam/a/b/z.dita",
            "/content/dam/a/old/q.dita",
            "/content/dam/a/x.dita",
            "/content/dam/c.txt",
        ];
        if cfg!(unix) {
            expected.insert(2, "/content/dam/a/inside-link.txt");
            assert_eq!(
                w.outside_links,
                vec!["/content/dam/a/escape-dir", "/content/dam/a/escape.txt"]
            );
        }
        assert_eq!(w.assets, expected);

        let w = r
            .walk(
                "/content/dam/a",
                &["/content/dam/a/old".into()],
                &Selection {
                    categories: vec![FileCategory::DitaTopic],
                    ..Selection::default()
                },
                &|| false,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            w.assets,
            vec!["/content/dam/a/b/z.dita", "/content/dam/a/x.dita"]
        );
        assert_eq!(w.excluded, 1);
        assert!(w.filtered >= 1);

        let single = r
            .walk("/content/dam/c.txt", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        assert_eq!(single.assets, vec!["/content/dam/c.txt"]);
    }

    /// The names (below /content/dam) that a walk of the whole repository keeps.
    fn selected(r: &Repository, selection: Selection) -> Vec<String> {
        let w = r
            .walk("/content/dam", &[], &selection, &|| false)
            .unwrap()
            .unwrap();
        w.assets
            .iter()
            .map(|p| p.trim_start_matches("/content/dam/").to_string())
            .collect()
    }

    #[test]
    fn categories_select_their_files() {
        let d = tempfile::tempdir().unwrap();
        for name in [
            "t.dita",
            "u.XML",
            "m.ditamap",
            "b.bookmap",
            "r.md",
            "p.html",
            "q.htm",
            "s.css",
            "v.ditaval",
            "i.png",
            "n",
        ] {
            fs::write(d.path().join(name), "x").unwrap();
        }
        let r = Repository::open(d.path()).unwrap();
        let pick = |categories: Vec<FileCategory>| {
            selected(
                &r,
                Selection {
                    categories,
                    ..Selection::default()
                },
            )
        };
        assert_eq!(pick(vec![FileCategory::DitaTopic]), ["t.dita", "u.XML"]);
        assert_eq!(
            pick(vec![FileCategory::DitaMap]),
            ["b.bookmap", "m.ditamap"]
        );
        assert_eq!(pick(vec![FileCategory::Markdown]), ["r.md"]);
        assert_eq!(
            pick(vec![FileCategory::HtmlCss]),
            ["p.html", "q.htm", "s.css"]
        );
        assert_eq!(pick(vec![FileCategory::Ditaval]), ["v.ditaval"]);
        assert_eq!(pick(vec![FileCategory::Others]), ["i.png", "n"]);
        assert_eq!(
            pick(vec![FileCategory::Markdown, FileCategory::Ditaval]),
            ["r.md", "v.ditaval"]
        );
        assert_eq!(pick(vec![]).len(), 11);
        // A first-release job's extension list still selects by extension.
        assert_eq!(pick(vec![FileCategory::Other("png".into())]), ["i.png"]);
    }

    #[test]
    fn the_time_window_selects_by_creation_time() {
        let d = tempfile::tempdir().unwrap();
        let pause = || std::thread::sleep(std::time::Duration::from_millis(60));
        let now = || crate::clock::now_ms();
        fs::write(d.path().join("early.dita"), "x").unwrap();
        pause();
        let after_early = now();
        pause();
        fs::write(d.path().join("middle.dita"), "x").unwrap();
        pause();
        let after_middle = now();
        pause();
        fs::write(d.path().join("late.dita"), "x").unwrap();
        // Touching a file later must not move it into a window: creation time counts
        // (where the file system records it; elsewhere modification time is the fallback).
        let created_of = |n: &str| created_ms(&fs::metadata(d.path().join(n)).unwrap());
        let birth_recorded = fs::metadata(d.path().join("early.dita"))
            .unwrap()
            .created()
            .is_ok();
        let r = Repository::open(d.path()).unwrap();
        let pick = |from: Option<i64>, until: Option<i64>| {
            selected(
                &r,
                Selection {
                    created_from: from,
                    created_until: until,
                    ..Selection::default()
                },
            )
        };
        assert_eq!(pick(Some(after_early), None), ["late.dita", "middle.dita"]);
        assert_eq!(
            pick(None, Some(after_middle)),
            ["early.dita", "middle.dita"]
        );
        assert_eq!(pick(Some(after_early), Some(after_middle)), ["middle.dita"]);
        assert_eq!(
            pick(Some(after_middle), Some(after_middle)),
            Vec::<String>::new()
        );
        // Bounds are inclusive.
        let middle = created_of("middle.dita");
        assert_eq!(pick(Some(middle), Some(middle)), ["middle.dita"]);
        if birth_recorded {
            fs::write(d.path().join("early.dita"), "changed").unwrap();
            assert_eq!(pick(Some(after_early), None), ["late.dita", "middle.dita"]);
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("/a%20b/%C3%BC").as_deref(), Some("/a b/ü"));
        assert_eq!(percent_decode("/%2e%2e").as_deref(), Some("/.."));
        assert_eq!(percent_decode("/bad%zz"), None);
        assert_eq!(percent_decode("/cut%2"), None);
        assert_eq!(percent_decode("/sign%+1"), None, "not a hex digit");
        assert_eq!(percent_decode("/%FF"), None, "not UTF-8");
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("/content/dam/a/B.DITA"), "dita");
        assert_eq!(extension("/content/dam/a/.profile"), "");
        assert_eq!(extension("/content/dam/a/noext"), "");
    }
}
