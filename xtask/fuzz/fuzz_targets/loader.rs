//! Raw bytes into the generator: it returns `Ok` with Rust that parses, or an error. A panic,
//! abort, stack overflow or a run past libFuzzer's `-timeout` is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader takes text; invalid UTF-8 becomes U+FFFD, as `cargo xtask fuzz`'s bytes mode does.
    let text = String::from_utf8_lossy(data);
    let source = generator::SpecSource {
        name: "fuzz.yaml",
        text: &text,
    };
    let Ok(generated) = generator::generate(&source, &generator::CrateOptions::default()) else {
        return;
    };
    for (file, code) in &generated.files {
        if file.ends_with(".rs") {
            if let Err(e) = syn::parse_file(code) {
                panic!("emitted {file} does not parse: {e}");
            }
        }
    }
});
