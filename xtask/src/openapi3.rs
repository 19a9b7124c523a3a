//! `cargo xtask openapi3 SPEC [-o FILE]`: prints or writes the OpenAPI 3.0 document the generator
//! reads for SPEC (Swagger 2.0 upgraded in-process, dangling refs settled), so other OpenAPI 3.0
//! tools can consume exactly what the SDK was generated from.
//!
//! Load diagnostics go to stderr as `warning: <spec>: <diagnostic>`, one line each (as in
//! `codegen`). With `-o FILE` the document is JSON when FILE ends in `.json`, else YAML, and the
//! file is replaced atomically; without it, YAML goes to stdout.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};
use generator::export::{self, ExportFormat};

use crate::display_path;
use crate::spec::{Places, load, warn};

/// Runs the command; see the module documentation.
pub fn run(spec: &Path, out: Option<&Path>) -> Result<()> {
    run_to(
        spec,
        out,
        &mut io::stdout().lock(),
        &mut io::stderr().lock(),
    )
}

fn run_to(
    spec: &Path,
    out: Option<&Path>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<()> {
    let loaded = load(spec)?;
    // No `--verbose` here: `cargo xtask codegen --verbose` lists every place.
    let places = Places::First {
        how_to_list_all: None,
    };
    warn(stderr, &loaded.file, &loaded.diagnostics, places)?;
    let format = out.map_or(ExportFormat::Yaml, format_of);
    let text = export::openapi3(&loaded, format)?;
    match out {
        Some(path) => write_atomically(path, &text)
            .with_context(|| format!("writing {}", display_path(path)))?,
        None => stdout.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// JSON for a `.json` file (any case), YAML for anything else.
fn format_of(path: &Path) -> ExportFormat {
    match path.extension() {
        Some(extension) if extension.eq_ignore_ascii_case("json") => ExportFormat::Json,
        _ => ExportFormat::Yaml,
    }
}

/// Writes a temporary file next to `path` and renames it over `path`, so readers never see a
/// half-written document and a failure leaves the previous file as it was.
///
/// A symlink is followed (the file it names is replaced, the link stays), and what is not a
/// regular file — `/dev/null`, a pipe — is written to in place: renaming over `-o /dev/null` as
/// root would replace the device with a regular file.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let resolved;
    let path = match fs::canonicalize(path) {
        Ok(target) => {
            resolved = target;
            resolved.as_path()
        }
        // Not there yet (or a dangling link): create it as named.
        Err(_) => path,
    };
    if fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir()) {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        return file
            .write_all(text.as_bytes())
            .with_context(|| format!("writing {}", path.display()));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // Mode 0o666 as `File::create` asks, so the umask decides as for any new file (tempfile's
    // default, 0o600, would make the document private).
    let mut builder = tempfile::Builder::new();
    builder.prefix(".").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("writing {}", temp.path().display()))?;
    // On failure the temporary file is deleted when the error drops it.
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn first_line(text: &str) -> &str {
        text.lines().next().unwrap_or_default()
    }

    const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
        operationId: A\n      responses:\n        '401': {description: e, schema: {$ref: '#/definitions/rpcStatus'}}\n";

    struct Output {
        result: Result<()>,
        stdout: String,
        stderr: String,
    }

    fn run_in(spec: &Path, out: Option<&Path>) -> Output {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let result = run_to(spec, out, &mut stdout, &mut stderr);
        Output {
            result,
            stdout: String::from_utf8(stdout).expect("utf-8"),
            stderr: String::from_utf8(stderr).expect("utf-8"),
        }
    }

    fn spec_file(dir: &Path, text: &str) -> PathBuf {
        let spec = dir.join("spec.yaml");
        fs::write(&spec, text).expect("write spec");
        spec
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn json_and_yaml_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let spec = spec_file(tmp.path(), SWAGGER);

        let json = tmp.path().join("out.json");
        let output = run_in(&spec, Some(&json));
        output.result.expect("json export");
        assert_eq!(output.stdout, "");
        // One diagnostic (the synthesized rpcStatus), one line.
        let warnings: Vec<&str> = output.stderr.lines().collect();
        assert_eq!(warnings.len(), 1, "{}", output.stderr);
        assert!(
            warnings.iter().all(|line| line.starts_with("warning: ")
                && line.contains("spec.yaml: dangling $ref '#/definitions/rpcStatus'")),
            "{}",
            output.stderr
        );
        let text = fs::read_to_string(&json).expect("read json");
        assert_eq!(first_line(&text), "{");
        assert!(text.contains("\"openapi\": \"3.0.3\""), "{text}");
        assert!(text.ends_with("}\n"), "{text}");

        let yaml = tmp.path().join("out.yaml");
        run_in(&spec, Some(&yaml)).result.expect("yaml export");
        let text = fs::read_to_string(&yaml).expect("read yaml");
        assert_eq!(first_line(&text), "openapi: 3.0.3");
        assert!(
            text.contains("$ref: '#/components/schemas/rpcStatus'"),
            "{text}"
        );

        // Overwriting keeps no temp file behind.
        run_in(&spec, Some(&yaml)).result.expect("overwrite");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn yaml_to_stdout_without_out() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let spec = spec_file(
            tmp.path(),
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        let output = run_in(&spec, None);
        output.result.expect("export");
        assert_eq!(first_line(&output.stdout), "openapi: 3.0.1");
        assert_eq!(output.stderr, "");
    }

    #[test]
    fn a_missing_spec_names_the_path() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("out.yaml");
        let error = run_in(&tmp.path().join("nope.yaml"), Some(&out))
            .result
            .expect_err("missing spec");
        let message = format!("{error:#}");
        assert!(
            message.starts_with("reading ") && message.contains("nope.yaml"),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
        assert!(!out.exists());
    }

    #[test]
    fn an_unsupported_version_is_named() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let spec = spec_file(
            tmp.path(),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        let error = run_in(&spec, None).result.expect_err("3.1.0");
        let message = format!("{error:#}");
        assert!(
            message.contains("spec.yaml") && message.contains("3.1.0"),
            "{message}"
        );
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let spec = spec_file(tmp.path(), SWAGGER);
        // A directory in the way: the rename fails after the temp file was written.
        let out = tmp.path().join("taken.yaml");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("keep"), "x").expect("write");
        let error = run_in(&spec, Some(&out))
            .result
            .expect_err("rename over a dir");
        assert!(format!("{error:#}").starts_with("writing "), "{error:#}");
        assert_eq!(fs::read_to_string(out.join("keep")).expect("read"), "x");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());

        let error = run_in(&spec, Some(&tmp.path().join("no-such-dir").join("a.yaml")))
            .result
            .expect_err("missing directory");
        assert!(format!("{error:#}").contains("no-such-dir"), "{error:#}");
    }

    #[test]
    fn a_device_or_a_link_is_written_through_not_replaced() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().expect("tempdir");
        // A link to /dev/null: without care the rename replaces the link (or, given /dev/null
        // itself as root, the device) with a regular file.
        let to_null = tmp.path().join("null.yaml");
        symlink("/dev/null", &to_null).expect("symlink");
        write_atomically(&to_null, "openapi: 3.0.3\n").expect("writes into the device");
        let link = fs::symlink_metadata(&to_null).expect("still there");
        assert!(link.file_type().is_symlink(), "{link:?}");
        assert!(!fs::metadata("/dev/null").expect("/dev/null").is_file());

        // A link to a regular file: the file gets the text, the link stays a link.
        let target = tmp.path().join("real.yaml");
        fs::write(&target, "old").expect("write");
        let to_real = tmp.path().join("link.yaml");
        symlink(&target, &to_real).expect("symlink");
        write_atomically(&to_real, "new").expect("writes");
        assert!(
            fs::symlink_metadata(&to_real)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).expect("read"), "new");
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_of(Path::new("a.json")), ExportFormat::Json);
        assert_eq!(format_of(Path::new("dir/A.JSON")), ExportFormat::Json);
        assert_eq!(format_of(Path::new("a.yaml")), ExportFormat::Yaml);
        assert_eq!(format_of(Path::new("a.yml")), ExportFormat::Yaml);
        assert_eq!(format_of(Path::new("json")), ExportFormat::Yaml);
    }
}
