//! `generator::diff`: the three spec releases compared pairwise (snapshots of the text report), one
//! small fixture pair per kind of change (tests/fixtures/diff/<case>/{old,new}.yaml), and every
//! release compared with itself.

use std::path::Path;

use generator::diff::{Area, Bump, Report, diff};
use generator::ir::Api;

const V1_0: &str = "tests/fixtures/specs/justap-1.0.yaml";
const V1_4_0: &str = "tests/fixtures/specs/justap-1.4.0.yaml";
const V3_0_3: &str = "spec/justap.yaml";

/// Loads and lowers a spec file.
///
/// # Panics
/// When the file cannot be read or lowered: in a test that is the failure to report.
fn api_at(path: &Path) -> Api {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {name}: {e}"));
    let source = generator::SpecSource {
        name: &name,
        text: &text,
    };
    let loaded = generator::load(&source).unwrap_or_else(|e| panic!("loading {name}: {e}"));
    generator::lower(&loaded)
        .unwrap_or_else(|e| panic!("lowering {name}: {e}"))
        .api
}

fn api(relative: &str) -> Api {
    api_at(&sdk_tests::root().join(relative))
}

fn release_diff(old: &str, new: &str) -> Report {
    diff(&api(old), &api(new))
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn has(report: &Report, breaking: bool, area: Area, subject: &str, detail: &str) -> bool {
    report.changes.iter().any(|c| {
        c.breaking == breaking && c.area == area && c.subject == subject && c.detail == detail
    })
}

#[test]
fn diff_1_0_to_1_4_0() {
    let report = release_diff(V1_0, V1_4_0);
    snapshot("diff__1_0__1_4_0", &report.to_text());
}

#[test]
fn diff_1_4_0_to_3_0_3() {
    let report = release_diff(V1_4_0, V3_0_3);
    snapshot("diff__1_4_0__3_0_3", &report.to_text());
}

#[test]
fn diff_1_0_to_3_0_3() {
    let report = release_diff(V1_0, V3_0_3);
    let text = report.to_text();
    snapshot("diff__1_0__3_0_3", &text);

    assert_eq!(report.bump, Bump::Major);
    assert!(report.is_breaking());
    assert!(
        has(
            &report,
            true,
            Area::Operation,
            "ChargeService_QueryCharge",
            "renamed from TradeService_QueryCharge (trade_service_query_charge → charge_service_query_charge)",
        ),
        "{text}"
    );
    assert!(
        has(
            &report,
            true,
            Area::Operation,
            "RefundService_Refunds",
            "renamed from TradeService_Refunds (trade_service_refunds → refund_service_refunds)",
        ),
        "{text}"
    );
    // A renamed operation is one change, not a removal plus an addition.
    assert!(
        !report
            .changes
            .iter()
            .any(|c| c.subject == "TradeService_QueryCharge"),
        "{text}"
    );
    let business_users: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| {
            c.area == Area::Operation
                && c.subject.starts_with("BusinessUserService_")
                && c.detail.starts_with("added")
        })
        .inspect(|c| assert!(!c.breaking, "{c:?}"))
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(
        business_users,
        [
            "BusinessUserService_CreateUser",
            "BusinessUserService_DeleteUser",
            "BusinessUserService_ListAllUsers",
            "BusinessUserService_RetrieveUser",
            "BusinessUserService_SearchUsers",
            "BusinessUserService_UpdateUser",
            "BusinessUserService_UpdateUser2",
        ]
    );
}

#[test]
fn a_release_diffed_with_itself_is_empty() {
    for spec in [V1_0, V1_4_0, V3_0_3] {
        let api = api(spec);
        let report = diff(&api, &api);
        assert!(report.changes.is_empty(), "{spec}: {}", report.to_text());
        assert_eq!(report.bump, Bump::None, "{spec}");
        assert!(!report.is_breaking(), "{spec}");
        assert_eq!((report.breaking, report.compatible), (0, 0), "{spec}");
        assert_eq!(
            report.to_text(),
            "0 breaking, 0 compatible — suggested version bump: none\nNo API changes.\n"
        );
    }
}

/// Every fixture case and whether its change breaks users of the crate.
const CASES: &[(&str, bool)] = &[
    ("operation_removed", true),
    ("operation_added", false),
    ("operation_renamed", true),
    ("path_param_added", true),
    ("query_param_added_optional", false),
    ("query_param_now_required", true),
    ("body_type_changed", true),
    ("response_type_changed", true),
    ("type_removed", true),
    ("type_added", false),
    ("field_added_optional", false),
    ("field_added_required", true),
    ("field_removed", true),
    ("field_type_changed", true),
    ("field_now_required", true),
    ("enum_value_added", false),
    ("enum_value_removed", true),
];

#[test]
fn fixture_cases() {
    let mut seen = Vec::new();
    insta::glob!("../fixtures/diff", "*/old.yaml", |old| {
        let dir = old.parent().expect("case directory");
        let case = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("case name")
            .to_owned();
        let report = diff(&api_at(old), &api_at(&dir.join("new.yaml")));
        let text = report.to_text();
        let expected = CASES
            .iter()
            .find(|(name, _)| *name == case)
            .map(|(_, breaking)| *breaking)
            .unwrap_or_else(|| panic!("{case}: not in CASES"));
        assert!(!report.changes.is_empty(), "{case}: no change found");
        assert_eq!(report.is_breaking(), expected, "{case}\n{text}");
        let bump = if expected { Bump::Major } else { Bump::Minor };
        assert_eq!(report.bump, bump, "{case}\n{text}");
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("diff_case", text);
        });
        seen.push(case);
    });
    seen.sort();
    let mut listed: Vec<&str> = CASES.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    assert_eq!(seen, listed, "every case in CASES has a fixture, and back");
}
