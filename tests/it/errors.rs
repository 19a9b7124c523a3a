//! Bad input gets a clear error naming the file and the place, never a panic.

use sdk_tests::generate_text;

fn error_of(text: &str) -> String {
    error_of_named("bad.yaml", text)
}

/// Whether `message` names exactly this place (`line 4 column 12`, not `line 4 column 120`).
fn names_place(message: &str, line: usize, column: usize) -> bool {
    let place = format!("line {line} column {column}");
    message
        .match_indices(&place)
        .any(|(at, _)| !message[at + place.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

fn error_of_named(name: &str, text: &str) -> String {
    match generate_text(name, text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn openapi_3_1_is_refused_naming_the_version() {
    let message = error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(message.starts_with("bad.yaml: "), "{message}");
    assert!(message.contains("3.1.0"), "{message}");
}

#[test]
fn a_document_without_a_version_is_refused() {
    let message = error_of("info: {title: t, version: '1'}\n");
    assert!(message.contains("unsupported spec version"), "{message}");
}

#[test]
fn a_syntax_error_names_the_line() {
    let message = error_of("swagger: '2.0'\ninfo: {title: t\n  version: [\n");
    assert!(message.starts_with("bad.yaml: "), "{message}");
    // In the flow mapping opened at line 2 column 7 (`{`), the plain scalar `t` runs on over the
    // line break (`t version`) and stops before `:` in line 3 column 10 (two spaces, `version`
    // in columns 3-9), where a `,` or `}` had to come.
    assert!(names_place(&message, 3, 10), "{message}");
    assert!(names_place(&message, 2, 7), "{message}");
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    // `@` cannot start a YAML value: line 4, column 12 (two spaces, `version` in columns 3-9,
    // `:` in 10, a space in 11).
    let message = error_of(
        "swagger: '2.0'\n\
         info:\n\
         \x20 title: t\n\
         \x20 version: @1\n\
         paths: {}\n",
    );
    assert!(message.starts_with("bad.yaml: "), "{message}");
    assert!(names_place(&message, 4, 12), "{message}");
}

#[test]
fn a_syntax_error_in_a_json_document_names_its_line_and_column() {
    // The `[` opened in line 4 column 19 meets `}` in column 24.
    let message = error_of(
        "{\n\
         \x20 \"swagger\": \"2.0\",\n\
         \x20 \"info\": {\"title\": \"t\", \"version\": \"1\"},\n\
         \x20 \"paths\": {\"/a\": [1, 2}\n\
         }\n",
    );
    assert!(message.starts_with("bad.yaml: "), "{message}");
    assert!(names_place(&message, 4, 24), "{message}");
}

/// An error deep in a big document is reported at its line in the document.
#[test]
fn a_syntax_error_deep_in_a_big_spec_names_its_line_in_the_document() {
    let text = std::fs::read_to_string(sdk_tests::root().join("spec/justap.yaml")).expect("spec");
    let lines: Vec<&str> = text.split('\n').collect();
    // A `type: "object"` line well into `definitions`, many lines from the top; its value
    // becomes `@object`, which cannot start a YAML value (lines and columns count from 1).
    let index = (lines.len() * 3 / 4..lines.len())
        .find(|&i| lines[i].trim() == "type: \"object\"")
        .expect("a `type: \"object\"` line in the last quarter");
    let column = lines[index].find('"').expect("on the line") + 1;
    let mut broken: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    broken[index] = broken[index].replace("\"object\"", "@object");
    let broken = broken.join("\n");
    let message = error_of_named("big.yaml", &broken);
    assert!(message.starts_with("big.yaml: "), "{message}");
    assert!(
        names_place(&message, index + 1, column),
        "expected line {} column {column}: {message}",
        index + 1
    );
}

#[test]
fn an_external_ref_is_an_error_with_its_pointer() {
    let message = error_of(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    type: object\n    properties:\n      b: {$ref: 'other.yaml#/definitions/B'}\n",
    );
    assert!(message.contains("/definitions/A/properties/b"), "{message}");
}

#[test]
fn a_malformed_schema_is_an_error_with_its_pointer() {
    let message = error_of(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    type: object\n    properties: [1, 2]\n",
    );
    assert!(message.contains("/definitions/A"), "{message}");
}

#[test]
fn truncated_specs_never_panic() {
    let text = std::fs::read_to_string(sdk_tests::root().join("spec/justap.yaml")).expect("spec");
    let step = text.len() / 60;
    for cut in (1..60).map(|i| i * step) {
        let end = (cut..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        // Either outcome is fine; a panic fails the test.
        let _ = generate_text("truncated.yaml", &text[..end]);
    }
}
