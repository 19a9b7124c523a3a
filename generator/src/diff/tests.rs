//! One test per rule, on small hand-built APIs.

use heck::ToSnakeCase;

use super::{Area, Bump, Change, Report, diff};
use crate::ir::fixtures::{def, field};
use crate::ir::{
    Api, Body, Docs, Enum, ExtraFields, Field, FieldShape, FloatType, HttpMethod, IntBits, IntJson,
    IntType, Operation, Param, ParamLocation, ParamsStruct, Struct, TypeDef, TypeKind, TypeRef,
    ValueEncoding, Variant,
};

// ---------------------------------------------------------------- builders

fn api(mut types: Vec<TypeDef>, operations: Vec<Operation>) -> Api {
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Api {
        title: "shop".into(),
        version: "1".into(),
        description: None,
        types,
        operations,
        base_url: "https://api.example.com".into(),
        api_key_header: "X-Api-Key".into(),
        lists: Vec::new(),
    }
}

fn versioned(mut api: Api, version: &str) -> Api {
    api.version = version.into();
    api
}

fn op(id: &str, method: HttpMethod, path: &str) -> Operation {
    let path_params = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(wire, _)| path_param(wire))
        .collect();
    Operation {
        id: id.into(),
        method_name: id.to_snake_case(),
        http_method: method,
        path: path.into(),
        summary: None,
        description: None,
        deprecated: false,
        path_params,
        params: None,
        body: None,
        response: Some(TypeRef::Named("Order".into())),
        accept: "application/json".into(),
        same_rpc: Vec::new(),
        origin: String::new(),
    }
}

fn get(id: &str, path: &str) -> Operation {
    op(id, HttpMethod::Get, path)
}

fn param(wire: &str, location: ParamLocation, ty: TypeRef, required: bool) -> Param {
    let encoding = match ty {
        TypeRef::String => ValueEncoding::Text,
        TypeRef::Named(_) => ValueEncoding::EnumName,
        _ => ValueEncoding::Display,
    };
    Param {
        name: wire.replace('.', "_"),
        wire: wire.into(),
        location,
        ty,
        encoding,
        required,
        explode: true,
        docs: Docs::default(),
        reserved: Vec::new(),
        leaves: Vec::new(),
    }
}

fn path_param(wire: &str) -> Param {
    param(wire, ParamLocation::Path, TypeRef::String, true)
}

fn query(wire: &str, ty: TypeRef, required: bool) -> Param {
    param(wire, ParamLocation::Query, ty, required)
}

fn with_params(mut op: Operation, params: Vec<Param>) -> Operation {
    let name = format!("{}Params", op.id.replace('_', ""));
    op.params = Some(ParamsStruct { name, params });
    op
}

fn with_body(mut op: Operation, ty: &str, required: bool) -> Operation {
    op.body = Some(Body {
        ty: TypeRef::Named(ty.into()),
        content_type: "application/json".into(),
        required,
        idempotency_token: None,
    });
    op
}

fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
    def(
        name,
        TypeKind::Struct(Struct {
            fields,
            extra: None,
        }),
    )
}

fn enumeration(name: &str, wires: &[&str]) -> TypeDef {
    def(
        name,
        TypeKind::Enum(Enum {
            variants: wires
                .iter()
                .map(|w| Variant {
                    name: heck::AsUpperCamelCase(w).to_string(),
                    wire: (*w).into(),
                })
                .collect(),
            default: 0,
            unknown: "Unrecognized".into(),
        }),
    )
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

fn int(bits: IntBits, json: IntJson) -> TypeRef {
    TypeRef::Int(IntType {
        bits,
        signed: true,
        json,
    })
}

fn array(ty: TypeRef) -> TypeRef {
    TypeRef::Array(Box::new(ty))
}

/// The types every operation test shares.
fn base_types() -> Vec<TypeDef> {
    vec![
        strukt("Order", vec![field("id", TypeRef::String, true)]),
        strukt("Refund", vec![field("id", TypeRef::String, true)]),
    ]
}

fn ops(operations: Vec<Operation>) -> Api {
    api(base_types(), operations)
}

fn types(types: Vec<TypeDef>) -> Api {
    api(types, Vec::new())
}

/// `(breaking, area, subject, detail)` of every change, in report order.
fn changes(report: &Report) -> Vec<(bool, Area, &str, &str)> {
    report
        .changes
        .iter()
        .map(|c| (c.breaking, c.area, c.subject.as_str(), c.detail.as_str()))
        .collect()
}

/// The report's only change.
fn only(old: &Api, new: &Api) -> (bool, Area, String, String) {
    let report = diff(old, new);
    match changes(&report).as_slice() {
        [(b, a, s, d)] => (*b, *a, (*s).to_owned(), (*d).to_owned()),
        other => panic!("expected one change, got {other:#?}"),
    }
}

fn change(breaking: bool, area: Area, subject: &str, detail: &str) -> (bool, Area, String, String) {
    (breaking, area, subject.to_owned(), detail.to_owned())
}

// ---------------------------------------------------------------- report

#[test]
fn identical_apis_give_an_empty_report() {
    let a = api(
        vec![
            strukt("Order", vec![field("id", TypeRef::String, true)]),
            enumeration("Status", &["A", "B"]),
        ],
        vec![with_params(
            get("S_Get", "/v1/orders/{id}"),
            vec![query("limit", int(IntBits::B32, IntJson::Number), false)],
        )],
    );
    let report = diff(&a, &a);
    assert!(report.changes.is_empty());
    assert_eq!((report.breaking, report.compatible), (0, 0));
    assert_eq!(report.bump, Bump::None);
    assert!(!report.is_breaking());
    assert_eq!(
        report.to_text(),
        "0 breaking, 0 compatible — suggested version bump: none\nNo API changes.\n"
    );
}

#[test]
fn bump_counts_and_order() {
    let old = versioned(
        api(
            vec![
                strukt("Order", vec![field("id", TypeRef::String, true)]),
                enumeration("Status", &["A", "B"]),
            ],
            vec![get("S_Old", "/old")],
        ),
        "1.0",
    );
    let new = versioned(
        api(
            vec![
                strukt(
                    "Order",
                    vec![
                        field("id", TypeRef::String, true),
                        field("note", TypeRef::String, false),
                    ],
                ),
                enumeration("Status", &["A", "C"]),
            ],
            vec![get("S_New", "/new")],
        ),
        "2.0",
    );
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Operation,
                "S_Old",
                "removed (was GET /old, s_old)"
            ),
            (true, Area::EnumValue, "Status::B", "removed (\"B\")"),
            (false, Area::Operation, "S_New", "added (GET /new, s_new)"),
            (false, Area::Field, "Order.note", "added (Option<String>)"),
            (false, Area::EnumValue, "Status::C", "added (\"C\")"),
        ]
    );
    assert_eq!((report.breaking, report.compatible), (2, 3));
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(
        (report.old.as_str(), report.new.as_str()),
        ("shop 1.0", "shop 2.0")
    );
    assert_eq!(
        report.to_text(),
        "2 breaking, 3 compatible — suggested version bump: major\n\
         shop 1.0 → shop 2.0\n\
         \n\
         Breaking:\n  \
         - [operation] S_Old: removed (was GET /old, s_old)\n  \
         - [enum value] Status::B: removed (\"B\")\n\
         \n\
         Compatible:\n  \
         - [operation] S_New: added (GET /new, s_new)\n  \
         - [field] Order.note: added (Option<String>)\n  \
         - [enum value] Status::C: added (\"C\")\n"
    );
}

#[test]
fn only_compatible_changes_call_for_a_minor_bump() {
    let old = ops(vec![get("S_A", "/a")]);
    let new = ops(vec![get("S_A", "/a"), get("S_B", "/b")]);
    let report = diff(&old, &new);
    assert_eq!(report.bump, Bump::Minor);
    assert!(!report.is_breaking());
    assert_eq!(
        report.to_text(),
        "0 breaking, 1 compatible — suggested version bump: minor\n\
         shop 1 → shop 1\n\
         \n\
         Compatible:\n  \
         - [operation] S_B: added (GET /b, s_b)\n"
    );
}

#[test]
fn json_has_the_struct_fields() {
    let old = ops(vec![get("S_A", "/a")]);
    let new = ops(Vec::new());
    let json: serde_json::Value =
        serde_json::from_str(&diff(&old, &new).to_json()).expect("valid JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "old": "shop 1",
            "new": "shop 1",
            "breaking": 1,
            "compatible": 0,
            "bump": "major",
            "changes": [{
                "breaking": true,
                "area": "operation",
                "subject": "S_A",
                "detail": "removed (was GET /a, s_a)",
            }],
        })
    );
}

#[test]
fn control_characters_stay_on_one_line() {
    let report = Report {
        old: "a".into(),
        new: "b".into(),
        breaking: 1,
        compatible: 0,
        bump: Bump::Major,
        changes: vec![Change {
            breaking: true,
            area: Area::Type,
            subject: "X\nY".into(),
            detail: "removed".into(),
        }],
    };
    assert!(report.to_text().contains("  - [type] X\\nY: removed\n"));
}

// ---------------------------------------------------------------- operations

#[test]
fn operation_removed_breaks_added_is_compatible() {
    let one = ops(vec![get("S_A", "/a")]);
    let two = ops(vec![get("S_A", "/a"), get("S_B", "/b")]);
    assert_eq!(
        only(&two, &one),
        change(true, Area::Operation, "S_B", "removed (was GET /b, s_b)")
    );
    assert_eq!(
        only(&one, &two),
        change(false, Area::Operation, "S_B", "added (GET /b, s_b)")
    );
}

#[test]
fn an_id_replaced_on_the_same_route_is_one_rename() {
    let old = ops(vec![get(
        "TradeService_QueryCharge",
        "/v1/charges/{charge_id}",
    )]);
    let new = ops(vec![get(
        "ChargeService_QueryCharge",
        "/v1/charges/{charge_id}",
    )]);
    assert_eq!(
        only(&old, &new),
        change(
            true,
            Area::Operation,
            "ChargeService_QueryCharge",
            "renamed from TradeService_QueryCharge (trade_service_query_charge → charge_service_query_charge)"
        )
    );
}

#[test]
fn a_renamed_pair_is_compared_like_a_kept_operation() {
    let old = ops(vec![get("T_Get", "/v1/orders/{id}")]);
    let mut renamed = get("S_Get", "/v1/orders/{order_id}");
    renamed.response = Some(named("Refund"));
    let report = diff(&old, &ops(vec![renamed]));
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Operation,
                "S_Get",
                "renamed from T_Get (t_get → s_get)"
            ),
            (
                true,
                Area::Operation,
                "S_Get",
                "response type Order → Refund"
            ),
            (
                false,
                Area::Operation,
                "S_Get",
                "path /v1/orders/{id} → /v1/orders/{order_id}"
            ),
            (
                false,
                Area::Parameter,
                "S_Get.order_id",
                "path parameter renamed from {id}"
            ),
        ]
    );
}

#[test]
fn a_rename_keeping_the_method_name_is_compatible() {
    let old = ops(vec![get("Orders_get", "/a")]);
    let new = ops(vec![get("OrdersGet", "/a")]);
    assert_eq!(
        only(&old, &new),
        change(
            false,
            Area::Operation,
            "OrdersGet",
            "renamed from Orders_get (method name unchanged: orders_get)"
        )
    );
}

#[test]
fn another_route_is_no_rename() {
    let old = ops(vec![get("T_A", "/a")]);
    let new = ops(vec![op("S_A", HttpMethod::Post, "/a")]);
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (true, Area::Operation, "T_A", "removed (was GET /a, t_a)"),
            (false, Area::Operation, "S_A", "added (POST /a, s_a)"),
        ]
    );
}

#[test]
fn route_changes_are_compatible() {
    let old = ops(vec![get("S_A", "/a")]);
    assert_eq!(
        only(&old, &ops(vec![get("S_A", "/b")])),
        change(false, Area::Operation, "S_A", "path /a → /b")
    );
    assert_eq!(
        only(&old, &ops(vec![op("S_A", HttpMethod::Post, "/a")])),
        change(false, Area::Operation, "S_A", "HTTP method GET → POST")
    );
    assert_eq!(
        only(&old, &ops(vec![op("S_A", HttpMethod::Post, "/b")])),
        change(false, Area::Operation, "S_A", "route GET /a → POST /b")
    );
}

#[test]
fn deprecation_is_compatible() {
    let old = ops(vec![get("S_A", "/a")]);
    let mut deprecated = get("S_A", "/a");
    deprecated.deprecated = true;
    let new = ops(vec![deprecated]);
    assert_eq!(
        only(&old, &new),
        change(false, Area::Operation, "S_A", "now deprecated")
    );
    assert_eq!(
        only(&new, &old),
        change(false, Area::Operation, "S_A", "no longer deprecated")
    );
}

#[test]
fn path_parameter_added_or_removed_breaks() {
    let one = ops(vec![get("S_A", "/orders/{id}")]);
    let two = ops(vec![get("S_A", "/shops/{shop}/orders/{id}")]);
    let report = diff(&one, &two);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Parameter,
                "S_A.shop",
                "path parameter added (new argument shop: &str)"
            ),
            (
                false,
                Area::Operation,
                "S_A",
                "path /orders/{id} → /shops/{shop}/orders/{id}"
            ),
        ]
    );
    let report = diff(&two, &one);
    assert_eq!(
        changes(&report)[0],
        (
            true,
            Area::Parameter,
            "S_A.shop",
            "path parameter removed (was argument shop: &str)"
        )
    );
}

#[test]
fn path_parameters_reordered_break() {
    let old = ops(vec![get("S_A", "/{a}/{b}")]);
    let new = ops(vec![get("S_A", "/{b}/{a}")]);
    let report = diff(&old, &new);
    assert!(report.is_breaking());
    assert!(changes(&report).contains(&(
        true,
        Area::Parameter,
        "S_A",
        "path parameters reordered (a, b → b, a)"
    )));
}

#[test]
fn path_parameter_type_changed_breaks() {
    let old = ops(vec![get("S_A", "/{id}")]);
    let mut new_op = get("S_A", "/{id}");
    new_op.path_params[0].ty = int(IntBits::B64, IntJson::String);
    new_op.path_params[0].encoding = ValueEncoding::Display;
    assert_eq!(
        only(&old, &ops(vec![new_op])),
        change(
            true,
            Area::Parameter,
            "S_A.id",
            "path parameter type &str → i64"
        )
    );
}

#[test]
fn params_argument_appearing_or_disappearing_breaks() {
    let without = ops(vec![get("S_A", "/a")]);
    let with = ops(vec![with_params(
        get("S_A", "/a"),
        vec![query("limit", int(IntBits::B32, IntJson::Number), false)],
    )]);
    assert_eq!(
        only(&without, &with),
        change(
            true,
            Area::Parameter,
            "S_A",
            "new argument params: &SAParams (parameters limit)"
        )
    );
    assert_eq!(
        only(&with, &without),
        change(
            true,
            Area::Parameter,
            "S_A",
            "argument params: &SAParams removed (no query or header parameters left; was limit)"
        )
    );
}

fn list_with(params: Vec<Param>) -> Api {
    let limit = query("limit", int(IntBits::B32, IntJson::Number), false);
    let mut all = vec![limit];
    all.extend(params);
    ops(vec![with_params(get("S_List", "/orders"), all)])
}

#[test]
fn optional_query_parameter_added_is_compatible() {
    let old = list_with(Vec::new());
    let new = list_with(vec![query("created.lt", TypeRef::String, false)]);
    assert_eq!(
        only(&old, &new),
        change(
            false,
            Area::Parameter,
            "S_List.created.lt",
            "query parameter added (created_lt: Option<String>)"
        )
    );
}

#[test]
fn required_query_parameter_added_breaks_unless_an_array() {
    let old = list_with(Vec::new());
    let new = list_with(vec![query("app_id", TypeRef::String, true)]);
    assert_eq!(
        only(&old, &new),
        change(
            true,
            Area::Parameter,
            "S_List.app_id",
            "query parameter added, required (app_id: String)"
        )
    );
    let new = list_with(vec![query("tags", array(TypeRef::String), true)]);
    assert_eq!(
        only(&old, &new),
        change(
            false,
            Area::Parameter,
            "S_List.tags",
            "query parameter added (tags: Vec<String>; required in the spec)"
        )
    );
}

#[test]
fn header_parameter_removed_breaks() {
    let old = list_with(vec![param(
        "X-Trace",
        ParamLocation::Header,
        TypeRef::String,
        false,
    )]);
    let new = list_with(Vec::new());
    assert_eq!(
        only(&old, &new),
        change(
            true,
            Area::Parameter,
            "S_List.X-Trace",
            "header parameter removed (was X-Trace: Option<String>)"
        )
    );
}

#[test]
fn query_parameter_optionality_and_type_changes_break() {
    let optional = list_with(vec![query("app_id", TypeRef::String, false)]);
    let required = list_with(vec![query("app_id", TypeRef::String, true)]);
    assert_eq!(
        only(&optional, &required),
        change(
            true,
            Area::Parameter,
            "S_List.app_id",
            "query parameter now required (Option<String> → String)"
        )
    );
    assert_eq!(
        only(&required, &optional),
        change(
            true,
            Area::Parameter,
            "S_List.app_id",
            "query parameter now optional (String → Option<String>)"
        )
    );
    let number = list_with(vec![query(
        "app_id",
        int(IntBits::B64, IntJson::String),
        false,
    )]);
    assert_eq!(
        only(&optional, &number),
        change(
            true,
            Area::Parameter,
            "S_List.app_id",
            "query parameter type Option<String> → Option<i64>"
        )
    );
}

#[test]
fn query_parameter_moved_to_a_header_is_compatible() {
    let old = list_with(vec![query("app_id", TypeRef::String, false)]);
    let new = list_with(vec![param(
        "app_id",
        ParamLocation::Header,
        TypeRef::String,
        false,
    )]);
    assert_eq!(
        only(&old, &new),
        change(
            false,
            Area::Parameter,
            "S_List.app_id",
            "moved from query to header"
        )
    );
}

#[test]
fn body_changes_break() {
    let post = |body: Option<(&str, bool)>| {
        let op = op("S_Post", HttpMethod::Post, "/orders");
        ops(vec![match body {
            Some((ty, required)) => with_body(op, ty, required),
            None => op,
        }])
    };
    assert_eq!(
        only(&post(None), &post(Some(("Order", true)))),
        change(
            true,
            Area::Operation,
            "S_Post",
            "body added (new argument body: &Order)"
        )
    );
    assert_eq!(
        only(&post(Some(("Order", true))), &post(None)),
        change(
            true,
            Area::Operation,
            "S_Post",
            "body removed (was body: &Order)"
        )
    );
    assert_eq!(
        only(&post(Some(("Order", true))), &post(Some(("Refund", true)))),
        change(true, Area::Operation, "S_Post", "body type Order → Refund")
    );
    assert_eq!(
        only(&post(Some(("Order", true))), &post(Some(("Order", false)))),
        change(
            true,
            Area::Operation,
            "S_Post",
            "body now optional (body: &Order → Option<&Order>)"
        )
    );
}

#[test]
fn response_changes_break() {
    let old = ops(vec![get("S_A", "/a")]);
    let mut refund = get("S_A", "/a");
    refund.response = Some(named("Refund"));
    assert_eq!(
        only(&old, &ops(vec![refund])),
        change(true, Area::Operation, "S_A", "response type Order → Refund")
    );
    let mut nothing = get("S_A", "/a");
    nothing.response = None;
    assert_eq!(
        only(&old, &ops(vec![nothing])),
        change(true, Area::Operation, "S_A", "response type Order → ()")
    );
}

// ---------------------------------------------------------------- types

#[test]
fn type_removed_breaks_added_is_compatible() {
    let one = types(vec![strukt("Order", Vec::new())]);
    let two = types(vec![
        strukt("Order", Vec::new()),
        enumeration("Status", &["A", "B"]),
    ]);
    assert_eq!(
        only(&two, &one),
        change(true, Area::Type, "Status", "removed (was an enum)")
    );
    assert_eq!(
        only(&one, &two),
        change(false, Area::Type, "Status", "added (enum, 2 values)")
    );
}

#[test]
fn kind_changed_breaks() {
    let old = types(vec![strukt("Id", vec![field("v", TypeRef::String, true)])]);
    let new = types(vec![def("Id", TypeKind::Alias(TypeRef::String))]);
    assert_eq!(
        only(&old, &new),
        change(
            true,
            Area::Type,
            "Id",
            "kind changed: struct, 1 field → alias of String"
        )
    );
}

#[test]
fn alias_target_changed_breaks_wire_only_is_compatible() {
    let alias = |ty| types(vec![def("Ids", TypeKind::Alias(array(ty)))]);
    let number = alias(int(IntBits::B64, IntJson::Number));
    assert_eq!(
        only(&alias(TypeRef::String), &number),
        change(true, Area::Type, "Ids", "alias of Vec<String> → Vec<i64>")
    );
    assert_eq!(
        only(&number, &alias(int(IntBits::B64, IntJson::String))),
        change(
            false,
            Area::Type,
            "Ids",
            "wire format Vec<i64 (JSON number)> → Vec<i64 (JSON string)>"
        )
    );
}

// ---------------------------------------------------------------- fields

fn order(fields: Vec<Field>) -> Api {
    let mut all = vec![field("id", TypeRef::String, true)];
    all.extend(fields);
    types(vec![strukt("Order", all)])
}

#[test]
fn optional_or_container_field_added_is_compatible() {
    let old = order(Vec::new());
    assert_eq!(
        only(&old, &order(vec![field("note", TypeRef::String, false)])),
        change(false, Area::Field, "Order.note", "added (Option<String>)")
    );
    assert_eq!(
        only(
            &old,
            &order(vec![field("tags", array(TypeRef::String), false)])
        ),
        change(false, Area::Field, "Order.tags", "added (Vec<String>)")
    );
    assert_eq!(
        only(
            &old,
            &order(vec![field(
                "meta",
                TypeRef::Map(Box::new(TypeRef::String)),
                true
            )])
        ),
        change(
            false,
            Area::Field,
            "Order.meta",
            "added (BTreeMap<String, String>; required in the spec)"
        )
    );
}

#[test]
fn required_field_added_breaks() {
    assert_eq!(
        only(
            &order(Vec::new()),
            &order(vec![field("currency", TypeRef::String, true)])
        ),
        change(
            true,
            Area::Field,
            "Order.currency",
            "added, required (String)"
        )
    );
}

#[test]
fn field_removed_breaks() {
    assert_eq!(
        only(
            &order(vec![field("note", TypeRef::String, false)]),
            &order(Vec::new())
        ),
        change(
            true,
            Area::Field,
            "Order.note",
            "removed (was Option<String>)"
        )
    );
}

#[test]
fn field_type_changed_breaks() {
    let float = |f, required| order(vec![field("amount", TypeRef::Float(f), required)]);
    assert_eq!(
        only(&float(FloatType::F32, true), &float(FloatType::F64, true)),
        change(true, Area::Field, "Order.amount", "type f32 → f64")
    );
    assert_eq!(
        only(&float(FloatType::F64, false), &float(FloatType::F32, true)),
        change(true, Area::Field, "Order.amount", "type Option<f64> → f32")
    );
}

#[test]
fn optionality_changes_break() {
    let note = |required| order(vec![field("note", TypeRef::String, required)]);
    assert_eq!(
        only(&note(false), &note(true)),
        change(
            true,
            Area::Field,
            "Order.note",
            "now required (Option<String> → String)"
        )
    );
    assert_eq!(
        only(&note(true), &note(false)),
        change(
            true,
            Area::Field,
            "Order.note",
            "now optional (String → Option<String>)"
        )
    );
}

#[test]
fn optionality_of_a_container_is_compatible() {
    let tags = |required| order(vec![field("tags", array(TypeRef::String), required)]);
    assert_eq!(
        only(&tags(false), &tags(true)),
        change(
            false,
            Area::Field,
            "Order.tags",
            "now required in the spec (Rust type unchanged: Vec<String>)"
        )
    );
}

#[test]
fn optionality_of_a_field_on_a_cycle_is_compatible() {
    // A field on a reference cycle is `Option<Box<T>>` whatever the spec says.
    let parent = |required| {
        let mut f = field("parent", named("Order"), required);
        f.shape = FieldShape::Boxed;
        order(vec![f])
    };
    assert_eq!(
        only(&parent(false), &parent(true)),
        change(
            false,
            Area::Field,
            "Order.parent",
            "now required in the spec (Rust type unchanged: Option<Box<Order>>)"
        )
    );
}

#[test]
fn boxing_changes_break() {
    let parent = |boxed| {
        let mut f = field("parent", named("Order"), false);
        if boxed {
            f.shape = FieldShape::Boxed;
        }
        order(vec![f])
    };
    assert_eq!(
        only(&parent(false), &parent(true)),
        change(
            true,
            Area::Field,
            "Order.parent",
            "now boxed (Option<Order> → Option<Box<Order>>)"
        )
    );
    assert_eq!(
        only(&parent(true), &parent(false)),
        change(
            true,
            Area::Field,
            "Order.parent",
            "no longer boxed (Option<Box<Order>> → Option<Order>)"
        )
    );
}

#[test]
fn wire_format_only_is_compatible() {
    let count = |json| order(vec![field("count", int(IntBits::B64, json), true)]);
    assert_eq!(
        only(&count(IntJson::String), &count(IntJson::Number)),
        change(
            false,
            Area::Field,
            "Order.count",
            "wire format i64 (JSON string) → i64 (JSON number)"
        )
    );
}

#[test]
fn rust_field_name_changed_breaks() {
    let mut renamed = field("type", TypeRef::String, false);
    renamed.name = "r#type".into();
    let mut plain = field("type", TypeRef::String, false);
    plain.name = "type_".into();
    assert_eq!(
        only(&order(vec![plain]), &order(vec![renamed])),
        change(
            true,
            Area::Field,
            "Order.r#type",
            "Rust name changed from type_ (JSON key \"type\")"
        )
    );
}

#[test]
fn extra_properties_map_appearing_is_compatible_disappearing_breaks() {
    let with_extra = |extra: bool| {
        types(vec![def(
            "Meta",
            TypeKind::Struct(Struct {
                fields: vec![field("id", TypeRef::String, true)],
                extra: extra.then(|| ExtraFields {
                    name: "additional_properties".into(),
                    value: TypeRef::Json,
                }),
            }),
        )])
    };
    assert_eq!(
        only(&with_extra(false), &with_extra(true)),
        change(
            false,
            Area::Field,
            "Meta.additional_properties",
            "added: unknown keys are now kept (BTreeMap<String, serde_json::Value>)"
        )
    );
    assert_eq!(
        only(&with_extra(true), &with_extra(false)),
        change(
            true,
            Area::Field,
            "Meta.additional_properties",
            "removed: unknown keys are no longer kept (was BTreeMap<String, serde_json::Value>)"
        )
    );
}

// ---------------------------------------------------------------- enum values

#[test]
fn enum_value_added_is_compatible_removed_breaks() {
    let two = types(vec![enumeration("Channel", &["BALANCE", "AlipayQR"])]);
    let one = types(vec![enumeration("Channel", &["BALANCE"])]);
    assert_eq!(
        only(&one, &two),
        change(
            false,
            Area::EnumValue,
            "Channel::AlipayQr",
            "added (\"AlipayQR\")"
        )
    );
    assert_eq!(
        only(&two, &one),
        change(
            true,
            Area::EnumValue,
            "Channel::AlipayQr",
            "removed (\"AlipayQR\")"
        )
    );
}

#[test]
fn enum_variant_renamed_and_catch_all_changes_break() {
    let mut old = types(vec![enumeration("Channel", &["B2C"])]);
    if let TypeKind::Enum(e) = &mut old.types[0].kind {
        e.variants[0].name = "B2C".into();
    }
    let mut new = old.clone();
    if let TypeKind::Enum(e) = &mut new.types[0].kind {
        e.variants[0].name = "B2c".into();
        e.unknown = "Unrecognized2".into();
    }
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Type,
                "Channel",
                "catch-all variant Unrecognized → Unrecognized2"
            ),
            (
                true,
                Area::EnumValue,
                "Channel::B2c",
                "Rust name changed from Channel::B2C (\"B2C\")"
            ),
        ]
    );
}

#[test]
fn enum_default_changed_is_compatible() {
    let old = types(vec![enumeration("Mode", &["FIXED", "RATE"])]);
    let mut new = old.clone();
    if let TypeKind::Enum(e) = &mut new.types[0].kind {
        e.default = 1;
    }
    assert_eq!(
        only(&old, &new),
        change(
            false,
            Area::Type,
            "Mode",
            "Default value \"FIXED\" → \"RATE\""
        )
    );
}

#[test]
fn children_of_removed_things_are_not_listed() {
    let old = api(
        vec![
            strukt("Order", vec![field("id", TypeRef::String, true)]),
            enumeration("Status", &["A", "B"]),
        ],
        vec![with_params(
            get("S_A", "/a/{id}"),
            vec![query("limit", int(IntBits::B32, IntJson::Number), false)],
        )],
    );
    let new = api(
        vec![strukt("Order", vec![field("id", TypeRef::String, true)])],
        Vec::new(),
    );
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Operation,
                "S_A",
                "removed (was GET /a/{id}, s_a)"
            ),
            (true, Area::Type, "Status", "removed (was an enum)"),
        ]
    );
}

// ---------------------------------------------------------------- renames of what the user names

#[test]
fn params_struct_and_field_renames_break_content_type_is_compatible() {
    let old = list_with(vec![query("app_id", TypeRef::String, false)]);
    let mut new = old.clone();
    let params = new.operations[0].params.as_mut().expect("params");
    params.name = "ListParams".into();
    params.params[1].name = "app".into();
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Parameter,
                "S_List",
                "params struct SListParams → ListParams"
            ),
            (
                true,
                Area::Parameter,
                "S_List.app_id",
                "query parameter field renamed app_id → app"
            ),
        ]
    );
    let post = |content_type: &str| {
        let mut op = with_body(op("S_Post", HttpMethod::Post, "/orders"), "Order", true);
        op.body.as_mut().expect("body").content_type = content_type.into();
        ops(vec![op])
    };
    assert_eq!(
        only(
            &post("application/json"),
            &post("application/merge-patch+json")
        ),
        change(
            false,
            Area::Operation,
            "S_Post",
            "body content type application/json → application/merge-patch+json"
        )
    );
}

#[test]
fn extra_properties_map_renamed_or_retyped_breaks() {
    let with_extra = |name: &str, value: TypeRef| {
        types(vec![def(
            "Meta",
            TypeKind::Struct(Struct {
                fields: Vec::new(),
                extra: Some(ExtraFields {
                    name: name.into(),
                    value,
                }),
            }),
        )])
    };
    let old = with_extra("additional_properties", TypeRef::Json);
    let new = with_extra("additional_properties_2", TypeRef::String);
    let report = diff(&old, &new);
    assert_eq!(
        changes(&report),
        [
            (
                true,
                Area::Field,
                "Meta.additional_properties_2",
                "extra-properties map renamed from additional_properties"
            ),
            (
                true,
                Area::Field,
                "Meta.additional_properties_2",
                "type BTreeMap<String, serde_json::Value> → BTreeMap<String, String>"
            ),
        ]
    );
}
