//! Specs the generator must refuse, because the client it would make is wrong: each is an error
//! (never a panic, never a crate with broken code) that says what is wrong and where, as a JSON
//! pointer into the document as written. The expected messages are written out in full.

use sdk_tests::generate_text;

/// The error message of generating `text` as `bad.yaml`.
#[track_caller]
fn error_of(text: &str) -> String {
    match generate_text("bad.yaml", text) {
        Ok(_) => panic!("expected an error, generation succeeded for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn two_operation_ids_that_give_one_method_name() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/a:
    get:
      operationId: Foo_Bar
      responses: {'200': {description: ok}}
  /v1/b:
    post:
      operationId: FooBar
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /paths/~1v1~1b/post: operations 'Foo_Bar' (GET /v1/a) and 'FooBar' \
         (POST /v1/b) both become the method `foo_bar`; rename one operationId"
    );
}

#[test]
fn an_unclosed_brace_in_a_path() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/x/{id:
    get:
      operationId: X_Get
      parameters:
        - {name: id, in: path, required: true, type: string}
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /paths/~1v1~1x~1{id/get: path template '/v1/x/{id' has an unclosed '{'"
    );
}

#[test]
fn a_path_variable_without_a_parameter() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/x/{id}/items/{item}:
    get:
      operationId: X_Get
      parameters:
        - {name: id, in: path, required: true, type: string}
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /paths/~1v1~1x~1{id}~1items~1{item}/get: path template variable '{item}' \
         has no path parameter"
    );
}

/// The method would take an argument it never sends. The pointer is the operation's: the parameter
/// may be declared on the path item or the operation (the next test), and the message names it.
#[test]
fn a_path_parameter_without_a_variable() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/x:
    get:
      operationId: X_Get
      parameters:
        - {name: limit, in: query, type: integer}
        - {name: id, in: path, required: true, type: string}
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /paths/~1v1~1x/get: path parameter 'id' does not appear in the path \
         template '/v1/x'"
    );
}

#[test]
fn a_path_level_path_parameter_without_a_variable() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /v1/x:
    parameters:
      - {name: id, in: path, required: true, type: string}
    get:
      operationId: X_Get
      responses: {'200': {description: ok}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /paths/~1v1~1x/get: path parameter 'id' does not appear in the path \
         template '/v1/x'"
    );
}

/// Found by `cargo xtask fuzz`: merging `A` into itself recursed until the stack overflowed.
#[test]
fn an_all_of_that_includes_its_own_schema() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  A:
    allOf:
      - $ref: '#/definitions/A'
      - properties: {x: {type: string}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /definitions/A/allOf/0: `allOf` includes the schema it belongs to \
         (through $refs); an object cannot contain itself"
    );
}

/// Found by `cargo xtask fuzz`: the inline type of `b` holds `A`'s properties, so `b` again, and
/// each `b` was a new inline type until the stack overflowed.
#[test]
fn an_inline_all_of_that_brings_back_its_owner() {
    let message = error_of(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  A:
    properties:
      b:
        allOf:
          - $ref: '#/definitions/A'
          - properties: {x: {type: string}}
",
    );
    assert_eq!(
        message,
        "bad.yaml: at /definitions/A/properties/b/properties/b: this schema contains itself \
         without end (an `allOf` brings back the object it is a property of); an object cannot \
         contain itself"
    );
}
