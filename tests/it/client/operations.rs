//! Every operation of the spec, called through the generated client against a live server.
//!
//! What each request must look like (HTTP method, path template, path/query parameter names, body
//! and media types) is read here from `spec/justap.yaml` as plain YAML, keyed by operationId, not
//! from the generator's IR: a lowering bug cannot hide behind its own output. This file holds the
//! calls (one `match` arm per operation), the values they pass, their percent-encoded form written
//! by hand, and the answers the server sends. A spec operation without a case here fails
//! `the_table_covers_exactly_the_spec_operations`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use justap::models::{
    CreateRoyaltyRequestRoyaltyMode, CreateRoyaltyRequestRoyaltyReceiver, ProtobufAny,
    RoyaltyReceiverRoyaltyFeeMode, SettlementAccountRecipientAccountType,
    SettlementAccountRecipientBankChannelRecipient, SettlementAccountRecipientRecipientType,
    SettlementAccountRecipientWechatpayChannelRecipient, Tradev1Channel, V1BusinessUser,
    V1CreateChargeRequest, V1CreateChargeRequestExtra, V1CreateCustomerRequest,
    V1CreateRefundRequest, V1CreateRoyaltyRequest, V1CreateSettlementAccountRequest,
    V1CreateUserRequest, V1ExtraAlipayQr, V1Gender, V1SettlementAccountChannel,
    V1SettlementAccountRecipient, V1UnionQrRequest, V1UpdateAndPatchRequestBody,
};
use justap::params::{
    BusinessUserServiceDeleteUserParams, BusinessUserServiceListAllUsersParams,
    BusinessUserServiceSearchUsersParams, BusinessUserServiceUpdateUserParams,
    ChargeServiceQueryCharge3Params, ChargeServiceQueryChargeList2Params,
    ChargeServiceQueryChargeListParams, ChargeServiceQueryChargeParams,
    CustomerServiceDeleteCustomerParams, CustomerServiceListAllCustomersParams,
    CustomerServiceSearchCustomersParams, RefundServiceQueryRefund2Params,
    RefundServiceQueryRefundList2Params, RefundServiceQueryRefundListParams,
    RefundServiceQueryRefundParams, RoyaltyServiceListAllRoyaltiesParams,
    SettlementServiceListAllSettlementAccountsParams,
    SettlementServiceRetrieveSettlementAccountParams,
    SettlementServiceSearchSettlementAccountsParams,
    SettlementServiceUpdateSettlementAccountParams,
};
use justap::{Client, Error};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{API_KEY, check_signed, header};

const SPEC: &str = "spec/justap.yaml";

/// One operation as the spec writes it (Swagger 2.0), read without the generator.
#[derive(Debug)]
struct SpecOperation {
    id: String,
    /// Upper case, as sent (`GET`).
    method: String,
    /// The path template as written, e.g. `/v1/business_users/{user.id}`.
    path: String,
    /// Names of the `in: path` parameters.
    path_params: BTreeSet<String>,
    /// Names of the `in: query` parameters.
    query_params: BTreeSet<String>,
    /// The media type of the `in: body` parameter (`consumes`), when there is one.
    body: Option<String>,
    /// The first media type of `produces`.
    accept: String,
}

/// The operations of `spec/justap.yaml`, by operationId.
fn spec_operations() -> BTreeMap<String, SpecOperation> {
    let text = std::fs::read_to_string(sdk_tests::root().join(SPEC))
        .unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parsing {SPEC}: {e}"));
    let first = |value: &serde_yaml::Value, key: &str| -> Option<String> {
        value.get(key)?.get(0)?.as_str().map(str::to_owned)
    };
    let global_consumes = first(&doc, "consumes");
    let global_produces = first(&doc, "produces");
    let paths = doc
        .get("paths")
        .and_then(serde_yaml::Value::as_mapping)
        .expect("the spec has paths");
    let mut operations = BTreeMap::new();
    for (path, item) in paths {
        let path = path.as_str().expect("path keys are strings");
        let item = item.as_mapping().expect("a path item is a mapping");
        let shared = item
            .get("parameters")
            .and_then(serde_yaml::Value::as_sequence)
            .cloned()
            .unwrap_or_default();
        for (method, op) in item {
            let method = method.as_str().expect("path item keys are strings");
            if !["get", "put", "post", "delete", "options", "head", "patch"].contains(&method) {
                continue;
            }
            let id = op
                .get("operationId")
                .and_then(serde_yaml::Value::as_str)
                .unwrap_or_else(|| panic!("{method} {path} has an operationId"))
                .to_owned();
            let own = op
                .get("parameters")
                .and_then(serde_yaml::Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            let mut spec_op = SpecOperation {
                id: id.clone(),
                method: method.to_uppercase(),
                path: path.to_owned(),
                path_params: BTreeSet::new(),
                query_params: BTreeSet::new(),
                body: None,
                accept: first(op, "produces")
                    .or_else(|| global_produces.clone())
                    .unwrap_or_else(|| panic!("{id}: no produces")),
            };
            for param in own.iter().chain(&shared) {
                assert!(param.get("$ref").is_none(), "{id}: a $ref parameter");
                let name = param.get("name").and_then(serde_yaml::Value::as_str);
                let name = name.unwrap_or_else(|| panic!("{id}: a parameter without name"));
                match param.get("in").and_then(serde_yaml::Value::as_str) {
                    Some("path") => {
                        spec_op.path_params.insert(name.to_owned());
                    }
                    Some("query") => {
                        spec_op.query_params.insert(name.to_owned());
                    }
                    Some("body") => {
                        spec_op.body = Some(
                            first(op, "consumes")
                                .or_else(|| global_consumes.clone())
                                .unwrap_or_else(|| panic!("{id}: a body but no consumes")),
                        );
                    }
                    other => panic!("{id}: parameter {name} in {other:?}: not in this suite"),
                }
            }
            assert!(
                operations.insert(id.clone(), spec_op).is_none(),
                "operationId {id} twice in {SPEC}"
            );
        }
    }
    operations
}

/// The `{name}`s of a path template, in order.
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .map(|rest| rest.split_once('}').expect("a closed template variable").0)
        .collect()
}

/// The client method name the README promises: the operationId in snake_case
/// (`ChargeService_QueryCharge2` → `charge_service_query_charge2`), written here by that rule.
fn snake_case(id: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in id.chars() {
        if c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    out
}

/// One operation as this suite calls it: the values passed, the query string they must give, and
/// the answer the server sends back.
struct Case {
    id: &'static str,
    /// Path parameters: (wire name (`user.id`), value passed, the value percent-encoded by hand as
    /// it must appear in the request path). Values are all distinct across the table.
    path: &'static [(&'static str, &'static str, &'static str)],
    /// The exact raw query string the request must carry; `None`: no `?` at all.
    query: Option<&'static str>,
    /// The 200 answer (int64 as JSON strings, as grpc-gateway sends them).
    response: Value,
    /// What the call reports of the decoded answer (see `call`).
    decoded: String,
}

impl Case {
    /// The value passed for the path parameter `wire`.
    fn arg(&self, wire: &str) -> &'static str {
        self.path
            .iter()
            .find(|(w, _, _)| *w == wire)
            .map(|(_, v, _)| *v)
            .unwrap_or_else(|| panic!("{}: no value for path parameter `{wire}`", self.id))
    }
}

/// What one call sent (its body, as `serde_json::to_value` of what was passed) and what it decoded.
struct Called {
    body: Option<Value>,
    decoded: String,
}

macro_rules! to_json {
    ($value:expr) => {
        serde_json::to_value($value).expect("a request body serializes to JSON")
    };
}

/// Makes the call of `case`: the table of calls, one arm per operation.
async fn call(client: &Client, case: &Case) -> Result<Called, Error> {
    let a = |wire: &str| case.arg(wire);
    let no_body = |decoded: String| Called {
        body: None,
        decoded,
    };
    let with_body = |body: Value, decoded: String| Called {
        body: Some(body),
        decoded,
    };
    Ok(match case.id {
        // --- BusinessUserService
        "BusinessUserService_CreateUser" => {
            let body = create_user_request();
            let r = client.business_user_service_create_user(&body).await?;
            let d = r.data.unwrap_or_default();
            with_body(to_json!(&body), user_summary(&d.id, &d.created))
        }
        "BusinessUserService_DeleteUser" => {
            let params = BusinessUserServiceDeleteUserParams {
                app_id: Some("app_1".to_owned()),
            };
            let r = client
                .business_user_service_delete_user(a("id"), &params)
                .await?;
            no_body(format!("id={:?} deleted={:?}", r.id, r.deleted))
        }
        "BusinessUserService_ListAllUsers" => {
            let params = BusinessUserServiceListAllUsersParams {
                limit: Some(20),
                created_gte: Some(1_700_000_000),
                disabled: Some(false),
                ..Default::default()
            };
            let r = client.business_user_service_list_all_users(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|u| u.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "BusinessUserService_RetrieveUser" => {
            let r = client
                .business_user_service_retrieve_user(a("id"), &Default::default())
                .await?;
            let d = r.data.unwrap_or_default();
            no_body(user_summary(&d.id, &d.created))
        }
        "BusinessUserService_SearchUsers" => {
            let params = BusinessUserServiceSearchUsersParams {
                email: Some("a+b@example.com".to_owned()),
                name: Some("Zhang San".to_owned()),
                ..Default::default()
            };
            let r = client.business_user_service_search_users(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|u| u.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "BusinessUserService_UpdateUser" => {
            let params = BusinessUserServiceUpdateUserParams {
                update_mask: Some("name,email".to_owned()),
            };
            let body = business_user(a("user.id"));
            let r = client
                .business_user_service_update_user(a("user.id"), &params, &body)
                .await?;
            let d = r.data.unwrap_or_default();
            with_body(to_json!(&body), user_summary(&d.id, &d.created))
        }
        "BusinessUserService_UpdateUser2" => {
            let body = business_user(a("user.id"));
            let r = client
                .business_user_service_update_user2(a("user.id"), &Default::default(), &body)
                .await?;
            let d = r.data.unwrap_or_default();
            with_body(to_json!(&body), user_summary(&d.id, &d.created))
        }

        // --- ChargeService
        "ChargeService_Charges" => {
            let body = charge_request();
            let r = client.charge_service_charges(&body).await?;
            with_body(to_json!(&body), charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_Charges2" => {
            let body = charge_request();
            let r = client.charge_service_charges2(&body).await?;
            with_body(to_json!(&body), charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_QueryCharge" => {
            let params = ChargeServiceQueryChargeParams {
                app_id: Some("app_1".to_owned()),
                merchant_trade_id: Some("mt 1+2".to_owned()),
            };
            let r = client
                .charge_service_query_charge(a("charge_id"), &params)
                .await?;
            no_body(charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_QueryCharge2" => {
            let r = client
                .charge_service_query_charge2(a("charge_id"), &Default::default())
                .await?;
            no_body(charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_QueryCharge3" => {
            let params = ChargeServiceQueryCharge3Params {
                charge_id: Some("ch_test_12".to_owned()),
                app_id: Some("app_1".to_owned()),
            };
            let r = client
                .charge_service_query_charge3(a("merchant_trade_id"), &params)
                .await?;
            no_body(charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_QueryChargeList" => {
            let params = ChargeServiceQueryChargeListParams {
                app_id: Some("app_1".to_owned()),
                limit: Some(10),
                starting_after: Some("ch a+b".to_owned()),
                created_lt: Some(1_700_000_000_123),
                channel: Some(Tradev1Channel::AlipayQr),
                paid: Some(true),
                refunded: Some(false),
                ..Default::default()
            };
            let r = client.charge_service_query_charge_list(&params).await?;
            no_body(charge_list_summary(&r.data, r.has_more))
        }
        "ChargeService_QueryChargeList2" => {
            let params = ChargeServiceQueryChargeList2Params {
                created_lte: Some(1_700_000_000),
                channel: Some(Tradev1Channel::WechatpayJsapi),
                expired: Some(true),
                ..Default::default()
            };
            let r = client.charge_service_query_charge_list2(&params).await?;
            no_body(charge_list_summary(&r.data, r.has_more))
        }
        "ChargeService_ReverseCharge" => {
            let r = client.charge_service_reverse_charge(a("charge_id")).await?;
            no_body(charge_summary(*r.data.unwrap_or_default()))
        }
        "ChargeService_ReverseCharge2" => {
            let r = client
                .charge_service_reverse_charge2(a("charge_id"))
                .await?;
            no_body(charge_summary(*r.data.unwrap_or_default()))
        }

        // --- CheckoutService
        "CheckoutService_CreateUnionQrCheckout" => {
            let body = V1UnionQrRequest {
                amount: 12.5,
                appid: "app_1".to_owned(),
                openid: "o_wx_1".to_owned(),
                remark: "桌号 7".to_owned(),
                in_app: "wechat".to_owned(),
                ..Default::default()
            };
            let r = client
                .checkout_service_create_union_qr_checkout(&body)
                .await?;
            with_body(
                to_json!(&body),
                format!(
                    "appid={:?} amount={:?} remark={:?}",
                    r.appid, r.amount, r.remark
                ),
            )
        }

        // --- CustomerService
        "CustomerService_CreateCustomer" => {
            let body = V1CreateCustomerRequest {
                app_id: Some("app_1".to_owned()),
                name: Some("王五".to_owned()),
                email: Some("ww@example.com".to_owned()),
                created: Some(1_700_000_000),
                gender: Some(V1Gender::Privacy),
                available_balance: Some(0.25),
                metadata: BTreeMap::from([("crm_id".to_owned(), "7".to_owned())]),
                ..Default::default()
            };
            let r = client.customer_service_create_customer(&body).await?;
            let d = r.data.unwrap_or_default();
            with_body(to_json!(&body), customer_summary(&d.id, d.created))
        }
        "CustomerService_DeleteCustomer" => {
            let params = CustomerServiceDeleteCustomerParams {
                app_id: Some("app_1".to_owned()),
            };
            let r = client
                .customer_service_delete_customer(a("id"), &params)
                .await?;
            no_body(format!("id={:?} deleted={:?}", r.id, r.deleted))
        }
        "CustomerService_ListAllCustomers" => {
            let params = CustomerServiceListAllCustomersParams {
                created_lte: Some(1_700_000_001),
                disabled: Some(true),
                ..Default::default()
            };
            let r = client.customer_service_list_all_customers(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|c| c.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "CustomerService_RetrieveCustomer" => {
            let r = client
                .customer_service_retrieve_customer(a("id"), &Default::default())
                .await?;
            let d = r.data.unwrap_or_default();
            no_body(customer_summary(&d.id, d.created))
        }
        "CustomerService_SearchCustomers" => {
            let params = CustomerServiceSearchCustomersParams {
                limit: Some(3),
                phone: Some("+8613800000000".to_owned()),
                ..Default::default()
            };
            let r = client.customer_service_search_customers(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|c| c.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "CustomerService_UpdateCustomer" => {
            let r = client.customer_service_update_customer(a("id")).await?;
            let d = r.data.unwrap_or_default();
            no_body(customer_summary(&d.id, d.created))
        }

        // --- RefundService
        "RefundService_QueryRefund" => {
            let params = RefundServiceQueryRefundParams {
                app_id: Some("app_1".to_owned()),
            };
            let r = client
                .refund_service_query_refund(a("charge_id"), a("refund_id"), &params)
                .await?;
            no_body(refund_summary(*r.data.unwrap_or_default()))
        }
        "RefundService_QueryRefund2" => {
            let params = RefundServiceQueryRefund2Params {
                charge_id: Some("ch_test_25".to_owned()),
                ..Default::default()
            };
            let r = client
                .refund_service_query_refund2(a("refund_id"), &params)
                .await?;
            no_body(refund_summary(*r.data.unwrap_or_default()))
        }
        "RefundService_QueryRefundList" => {
            let params = RefundServiceQueryRefundListParams {
                limit: Some(5),
                ending_before: Some("re_0".to_owned()),
                ..Default::default()
            };
            let r = client
                .refund_service_query_refund_list(a("charge_id"), &params)
                .await?;
            let ids: Vec<_> = r.data.iter().map(|x| x.refund_id.clone()).collect();
            no_body(format!("data[].refund_id={ids:?} total={}", r.total))
        }
        "RefundService_QueryRefundList2" => {
            let params = RefundServiceQueryRefundList2Params {
                charge_id: Some("ch_test_27".to_owned()),
                app_id: Some("app_1".to_owned()),
                ..Default::default()
            };
            let r = client.refund_service_query_refund_list2(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|x| x.refund_id.clone()).collect();
            no_body(format!("data[].refund_id={ids:?} total={}", r.total))
        }
        "RefundService_Refunds" => {
            let body = refund_request();
            let r = client.refund_service_refunds(&body).await?;
            with_body(to_json!(&body), refund_summary(*r.data.unwrap_or_default()))
        }
        "RefundService_Refunds2" => {
            let body = refund_request();
            let r = client.refund_service_refunds2(&body).await?;
            with_body(to_json!(&body), refund_summary(*r.data.unwrap_or_default()))
        }

        // --- RoyaltyService
        "RoyaltyService_CreateRoyalty" => {
            let body = V1CreateRoyaltyRequest {
                app_id: "app_1".to_owned(),
                charge_id: "ch_test_10".to_owned(),
                order_id: "order_30".to_owned(),
                description: "分账 30".to_owned(),
                callback_url: "https://shop.example.com/royalty?x=1&y=2".to_owned(),
                receivers: vec![CreateRoyaltyRequestRoyaltyReceiver {
                    amount: 10.5,
                    recipient_business_user_id: "bu_1".to_owned(),
                    royalty_mode: CreateRoyaltyRequestRoyaltyMode::Fixed,
                    fee_model: RoyaltyReceiverRoyaltyFeeMode::Free,
                    ..Default::default()
                }],
            };
            let r = client.royalty_service_create_royalty(&body).await?;
            with_body(
                to_json!(&body),
                royalty_summary(*r.data.unwrap_or_default()),
            )
        }
        "RoyaltyService_ListAllRoyalties" => {
            let params = RoyaltyServiceListAllRoyaltiesParams {
                created_gt: Some(1_699_999_999),
                settle_account_id: Some("sa_1".to_owned()),
                ..Default::default()
            };
            let r = client.royalty_service_list_all_royalties(&params).await?;
            let ids: Vec<_> = r.data.iter().map(|x| x.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={}", r.has_more))
        }
        "RoyaltyService_RetrieveRoyalty" => {
            let r = client.royalty_service_retrieve_royalty(a("id")).await?;
            no_body(royalty_summary(*r.data.unwrap_or_default()))
        }

        // --- SettlementService
        "SettlementService_CreateSettlementAccount" => {
            let body = V1CreateSettlementAccountRequest {
                app_id: Some("app_1".to_owned()),
                business_user_id: Some("bu_1".to_owned()),
                channel: Some(V1SettlementAccountChannel::Wechatpay),
                recipient: Some(Box::new(V1SettlementAccountRecipient {
                    wechatpay: Some(Box::new(
                        SettlementAccountRecipientWechatpayChannelRecipient {
                            account: "o_wx_1".to_owned(),
                            account_type: SettlementAccountRecipientAccountType::Openid,
                            name: "张三".to_owned(),
                            force_check: true,
                            r#type: SettlementAccountRecipientRecipientType::B2c,
                            ..Default::default()
                        },
                    )),
                    ..Default::default()
                })),
                ..Default::default()
            };
            let r = client
                .settlement_service_create_settlement_account(&body)
                .await?;
            with_body(
                to_json!(&body),
                settlement_summary(*r.data.unwrap_or_default()),
            )
        }
        "SettlementService_DeleteSettlementAccount" => {
            let r = client
                .settlement_service_delete_settlement_account(a("id"), &Default::default())
                .await?;
            no_body(format!("id={:?} deleted={:?}", r.id, r.deleted))
        }
        "SettlementService_ListAllSettlementAccounts" => {
            let params = SettlementServiceListAllSettlementAccountsParams {
                disabled: Some(false),
                business_user_id: Some("bu_1".to_owned()),
                ..Default::default()
            };
            let r = client
                .settlement_service_list_all_settlement_accounts(&params)
                .await?;
            let ids: Vec<_> = r.data.iter().map(|x| x.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "SettlementService_RetrieveSettlementAccount" => {
            let params = SettlementServiceRetrieveSettlementAccountParams {
                app_id: Some("app_1".to_owned()),
                data_channel: Some(V1SettlementAccountChannel::Wechatpay),
                data_recipient_wechatpay_name: Some("张 三".to_owned()),
                data_recipient_wechatpay_force_check: Some(true),
                data_recipient_wechatpay_type: Some(SettlementAccountRecipientRecipientType::B2c),
                data_recipient_ysepay_merchant_division_mer_usercode: Some("u 1".to_owned()),
                data_created: Some(1_700_000_000),
                ..Default::default()
            };
            let r = client
                .settlement_service_retrieve_settlement_account(a("id"), &params)
                .await?;
            no_body(settlement_summary(*r.data.unwrap_or_default()))
        }
        "SettlementService_SearchSettlementAccounts" => {
            let params = SettlementServiceSearchSettlementAccountsParams {
                user_id: Some("bu_1".to_owned()),
                ..Default::default()
            };
            let r = client
                .settlement_service_search_settlement_accounts(&params)
                .await?;
            let ids: Vec<_> = r.data.iter().map(|x| x.id.clone()).collect();
            no_body(format!("data[].id={ids:?} has_more={:?}", r.has_more))
        }
        "SettlementService_UpdateSettlementAccount" => {
            let params = SettlementServiceUpdateSettlementAccountParams {
                update_mask: Some("recipient".to_owned()),
            };
            let body = settlement_update(a("settlementAccount.id"));
            let r = client
                .settlement_service_update_settlement_account(
                    a("settlementAccount.id"),
                    &params,
                    &body,
                )
                .await?;
            with_body(
                to_json!(&body),
                settlement_summary(*r.data.unwrap_or_default()),
            )
        }
        "SettlementService_UpdateSettlementAccount2" => {
            let body = settlement_update(a("settlementAccount.id"));
            let r = client
                .settlement_service_update_settlement_account2(
                    a("settlementAccount.id"),
                    &Default::default(),
                    &body,
                )
                .await?;
            with_body(
                to_json!(&body),
                settlement_summary(*r.data.unwrap_or_default()),
            )
        }
        other => panic!("no call written for operation {other}: add an arm to `call`"),
    })
}

/// The cases, in the spec's service order. Path values are distinct across operations, so a
/// request that reached another operation's route shows.
fn cases() -> Vec<Case> {
    vec![
        Case {
            id: "BusinessUserService_CreateUser",
            path: &[],
            query: None,
            response: user_response("bu_new_1"),
            decoded: user_decoded("bu_new_1"),
        },
        Case {
            id: "BusinessUserService_DeleteUser",
            path: &[("id", "bu_test_2", "bu_test_2")],
            query: Some("app_id=app_1"),
            response: json!({"id": "bu_test_2", "object": "business_user", "deleted": true}),
            decoded: r#"id=Some("bu_test_2") deleted=Some(true)"#.to_owned(),
        },
        Case {
            id: "BusinessUserService_ListAllUsers",
            path: &[],
            query: Some("limit=20&created.gte=1700000000&disabled=false"),
            response: list(&[user("bu_1"), user("bu_2")], "has_more", true),
            decoded: r#"data[].id=[Some("bu_1"), Some("bu_2")] has_more=Some(true)"#.to_owned(),
        },
        Case {
            id: "BusinessUserService_RetrieveUser",
            path: &[("id", "bu_test_4", "bu_test_4")],
            query: None,
            response: user_response("bu_test_4"),
            decoded: user_decoded("bu_test_4"),
        },
        Case {
            id: "BusinessUserService_SearchUsers",
            path: &[],
            query: Some("email=a%2Bb%40example.com&name=Zhang+San"),
            response: list(&[user("bu_5")], "has_more", false),
            decoded: r#"data[].id=[Some("bu_5")] has_more=Some(false)"#.to_owned(),
        },
        Case {
            id: "BusinessUserService_UpdateUser",
            path: &[("user.id", "bu_test_6", "bu_test_6")],
            query: Some("updateMask=name%2Cemail"),
            response: user_response("bu_test_6"),
            decoded: user_decoded("bu_test_6"),
        },
        Case {
            id: "BusinessUserService_UpdateUser2",
            path: &[("user.id", "bu_test_7", "bu_test_7")],
            query: None,
            response: user_response("bu_test_7"),
            decoded: user_decoded("bu_test_7"),
        },
        Case {
            id: "ChargeService_Charges",
            path: &[],
            query: None,
            response: charge_response("ch_new_8"),
            decoded: charge_decoded("ch_new_8"),
        },
        Case {
            id: "ChargeService_Charges2",
            path: &[],
            query: None,
            response: charge_response("ch_new_9"),
            decoded: charge_decoded("ch_new_9"),
        },
        Case {
            id: "ChargeService_QueryCharge",
            path: &[("charge_id", "ch_test_10", "ch_test_10")],
            query: Some("app_id=app_1&merchant_trade_id=mt+1%2B2"),
            response: charge_response("ch_test_10"),
            decoded: charge_decoded("ch_test_10"),
        },
        Case {
            id: "ChargeService_QueryCharge2",
            path: &[("charge_id", "ch_test_11", "ch_test_11")],
            query: None,
            response: charge_response("ch_test_11"),
            decoded: charge_decoded("ch_test_11"),
        },
        Case {
            id: "ChargeService_QueryCharge3",
            // Not a plain id: space, `+` and UTF-8 (中 is E4 B8 AD) are percent-encoded.
            path: &[("merchant_trade_id", "order 12+中", "order%2012%2B%E4%B8%AD")],
            query: Some("charge_id=ch_test_12&app_id=app_1"),
            response: charge_response("ch_test_12"),
            decoded: charge_decoded("ch_test_12"),
        },
        Case {
            id: "ChargeService_QueryChargeList",
            path: &[],
            // `+` as %2B and space as `+` (Go form-decodes the query), dotted name kept, int64
            // in decimal, enum by wire name, bools as true/false, unset parameters absent.
            query: Some(
                "app_id=app_1&limit=10&starting_after=ch+a%2Bb&created.lt=1700000000123\
                 &channel=AlipayQR&paid=true&refunded=false",
            ),
            response: list(&[charge("ch_1"), charge("ch_2")], "has_more", true),
            decoded: r#"data[].charge_id=["ch_1", "ch_2"] data[0].paid_ts=Some(1700000000) has_more=true"#
                .to_owned(),
        },
        Case {
            id: "ChargeService_QueryChargeList2",
            path: &[],
            query: Some("created.lte=1700000000&channel=WechatpayJSAPI&expired=true"),
            response: list(&[charge("ch_3")], "has_more", false),
            decoded: r#"data[].charge_id=["ch_3"] data[0].paid_ts=Some(1700000000) has_more=false"#
                .to_owned(),
        },
        Case {
            id: "ChargeService_ReverseCharge",
            path: &[("charge_id", "ch_test_15", "ch_test_15")],
            query: None,
            response: charge_response("ch_test_15"),
            decoded: charge_decoded("ch_test_15"),
        },
        Case {
            id: "ChargeService_ReverseCharge2",
            path: &[("charge_id", "ch_test_16", "ch_test_16")],
            query: None,
            response: charge_response("ch_test_16"),
            decoded: charge_decoded("ch_test_16"),
        },
        Case {
            id: "CheckoutService_CreateUnionQrCheckout",
            path: &[],
            query: None,
            response: json!({
                "amount": 12.5, "appid": "app_1", "openid": "o_wx_1", "remark": "桌号 7",
                "in_app": "wechat", "browser_agent": "MicroMessenger", "s": "sig", "i": "1"
            }),
            decoded: r#"appid="app_1" amount=12.5 remark="桌号 7""#.to_owned(),
        },
        Case {
            id: "CustomerService_CreateCustomer",
            path: &[],
            query: None,
            response: customer_response("cus_new_18"),
            decoded: customer_decoded("cus_new_18"),
        },
        Case {
            id: "CustomerService_DeleteCustomer",
            path: &[("id", "cus_test_19", "cus_test_19")],
            query: Some("app_id=app_1"),
            response: json!({"id": "cus_test_19", "object": "customer", "deleted": true}),
            decoded: r#"id=Some("cus_test_19") deleted=Some(true)"#.to_owned(),
        },
        Case {
            id: "CustomerService_ListAllCustomers",
            path: &[],
            query: Some("created.lte=1700000001&disabled=true"),
            response: list(&[customer("cus_1"), customer("cus_2")], "has_more", true),
            decoded: r#"data[].id=[Some("cus_1"), Some("cus_2")] has_more=Some(true)"#.to_owned(),
        },
        Case {
            id: "CustomerService_RetrieveCustomer",
            path: &[("id", "cus_test_21", "cus_test_21")],
            query: None,
            response: customer_response("cus_test_21"),
            decoded: customer_decoded("cus_test_21"),
        },
        Case {
            id: "CustomerService_SearchCustomers",
            path: &[],
            query: Some("limit=3&phone=%2B8613800000000"),
            response: list(&[customer("cus_3")], "has_more", false),
            decoded: r#"data[].id=[Some("cus_3")] has_more=Some(false)"#.to_owned(),
        },
        Case {
            id: "CustomerService_UpdateCustomer",
            path: &[("id", "cus_test_23", "cus_test_23")],
            query: None,
            response: customer_response("cus_test_23"),
            decoded: customer_decoded("cus_test_23"),
        },
        Case {
            id: "RefundService_QueryRefund",
            path: &[("charge_id", "ch_test_24", "ch_test_24"), ("refund_id", "re_test_24", "re_test_24")],
            query: Some("app_id=app_1"),
            response: refund_response("re_test_24"),
            decoded: refund_decoded("re_test_24"),
        },
        Case {
            id: "RefundService_QueryRefund2",
            path: &[("refund_id", "re_test_25", "re_test_25")],
            query: Some("charge_id=ch_test_25"),
            response: refund_response("re_test_25"),
            decoded: refund_decoded("re_test_25"),
        },
        Case {
            id: "RefundService_QueryRefundList",
            path: &[("charge_id", "ch_test_26", "ch_test_26")],
            query: Some("limit=5&ending_before=re_0"),
            response: refund_list(&["re_1", "re_2"]),
            decoded: r#"data[].refund_id=["re_1", "re_2"] total=2"#.to_owned(),
        },
        Case {
            id: "RefundService_QueryRefundList2",
            path: &[],
            query: Some("charge_id=ch_test_27&app_id=app_1"),
            response: refund_list(&["re_3"]),
            decoded: r#"data[].refund_id=["re_3"] total=1"#.to_owned(),
        },
        Case {
            id: "RefundService_Refunds",
            path: &[],
            query: None,
            response: refund_response("re_new_28"),
            decoded: refund_decoded("re_new_28"),
        },
        Case {
            id: "RefundService_Refunds2",
            path: &[],
            query: None,
            response: refund_response("re_new_29"),
            decoded: refund_decoded("re_new_29"),
        },
        Case {
            id: "RoyaltyService_CreateRoyalty",
            path: &[],
            query: None,
            response: royalty_response("roy_new_30"),
            decoded: royalty_decoded("roy_new_30"),
        },
        Case {
            id: "RoyaltyService_ListAllRoyalties",
            path: &[],
            query: Some("created.gt=1699999999&settle_account_id=sa_1"),
            response: list(&[royalty("roy_1"), royalty("roy_2")], "has_more", true),
            decoded: r#"data[].id=["roy_1", "roy_2"] has_more=true"#.to_owned(),
        },
        Case {
            id: "RoyaltyService_RetrieveRoyalty",
            path: &[("id", "roy_test_32", "roy_test_32")],
            query: None,
            response: royalty_response("roy_test_32"),
            decoded: royalty_decoded("roy_test_32"),
        },
        Case {
            id: "SettlementService_CreateSettlementAccount",
            path: &[],
            query: None,
            response: settlement_response("sa_new_33"),
            decoded: settlement_decoded("sa_new_33"),
        },
        Case {
            id: "SettlementService_DeleteSettlementAccount",
            path: &[("id", "sa_test_34", "sa_test_34")],
            query: None,
            response: json!({"id": "sa_test_34", "object": "settlement_account", "deleted": true}),
            decoded: r#"id=Some("sa_test_34") deleted=Some(true)"#.to_owned(),
        },
        Case {
            id: "SettlementService_ListAllSettlementAccounts",
            path: &[],
            query: Some("disabled=false&business_user_id=bu_1"),
            // This list's flag is `hasMore` on the wire (the spec's camelCase name).
            response: list(&[settlement("sa_1"), settlement("sa_2")], "hasMore", true),
            decoded: r#"data[].id=["sa_1", "sa_2"] has_more=Some(true)"#.to_owned(),
        },
        Case {
            id: "SettlementService_RetrieveSettlementAccount",
            path: &[("id", "sa_test_36", "sa_test_36")],
            query: Some(
                "app_id=app_1&data.channel=WECHATPAY\
                 &data.recipient.wechatpay.name=%E5%BC%A0+%E4%B8%89\
                 &data.recipient.wechatpay.force_check=true\
                 &data.recipient.wechatpay.type=B2C\
                 &data.recipient.ysepay_merchant.division_mer_usercode=u+1\
                 &data.created=1700000000",
            ),
            response: settlement_response("sa_test_36"),
            decoded: settlement_decoded("sa_test_36"),
        },
        Case {
            id: "SettlementService_SearchSettlementAccounts",
            path: &[],
            query: Some("user_id=bu_1"),
            response: list(&[settlement("sa_3")], "hasMore", false),
            decoded: r#"data[].id=["sa_3"] has_more=Some(false)"#.to_owned(),
        },
        Case {
            id: "SettlementService_UpdateSettlementAccount",
            path: &[("settlementAccount.id", "sa_test_38", "sa_test_38")],
            query: Some("updateMask=recipient"),
            response: settlement_response("sa_test_38"),
            decoded: settlement_decoded("sa_test_38"),
        },
        Case {
            id: "SettlementService_UpdateSettlementAccount2",
            path: &[("settlementAccount.id", "sa_test_39", "sa_test_39")],
            query: None,
            response: settlement_response("sa_test_39"),
            decoded: settlement_decoded("sa_test_39"),
        },
    ]
}

// ------------------------------------------------------------------------------------------------
// Request bodies

fn create_user_request() -> V1CreateUserRequest {
    V1CreateUserRequest {
        app_id: "app_1".to_owned(),
        name: "Zhang San".to_owned(),
        email: "zs@example.com".to_owned(),
        phone: "+8613800000000".to_owned(),
        gender: V1Gender::Male,
        created: 1_700_000_000,
        available_balance: 12.5,
        metadata: BTreeMap::from([("crm_id".to_owned(), "42".to_owned())]),
        ..Default::default()
    }
}

fn business_user(id: &str) -> V1BusinessUser {
    V1BusinessUser {
        id: Some(id.to_owned()),
        name: Some("李四".to_owned()),
        disabled: Some(false),
        gender: Some(V1Gender::Female),
        metadata: BTreeMap::from([("tier".to_owned(), "gold".to_owned())]),
        ..Default::default()
    }
}

fn charge_request() -> V1CreateChargeRequest {
    V1CreateChargeRequest {
        amount: 100.5,
        app_id: "app_1".to_owned(),
        channel: Tradev1Channel::AlipayQr,
        subject: "测试 test+1".to_owned(),
        body: "order #8".to_owned(),
        currency: "cny".to_owned(),
        merchant_trade_id: "mt_8".to_owned(),
        client_ip: "127.0.0.1".to_owned(),
        ttl: 7200,
        metadata: BTreeMap::from([("order".to_owned(), "42".to_owned())]),
        extra: Some(Box::new(V1CreateChargeRequestExtra {
            alipay_qr: Some(Box::new(V1ExtraAlipayQr {
                buyer_id: "2088000000000000".to_owned(),
                ..Default::default()
            })),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn refund_request() -> V1CreateRefundRequest {
    V1CreateRefundRequest {
        amount: 50.25,
        app_id: "app_1".to_owned(),
        charge_id: "ch_test_10".to_owned(),
        description: "退款 partial".to_owned(),
        merchant_refund_id: "mr_1".to_owned(),
        notify_url: Some("https://shop.example.com/notify".to_owned()),
        metadata: BTreeMap::from([("reason".to_owned(), "damaged".to_owned())]),
        extra: Some(Box::new(ProtobufAny {
            r#type: Some("type.googleapis.com/justap.v1.RefundExtra".to_owned()),
            additional_properties: BTreeMap::from([("note".to_owned(), json!("inline field"))]),
        })),
        ..Default::default()
    }
}

fn settlement_update(id: &str) -> V1UpdateAndPatchRequestBody {
    V1UpdateAndPatchRequestBody {
        id: Some(id.to_owned()),
        channel: Some(V1SettlementAccountChannel::Bank),
        recipient: Some(Box::new(V1SettlementAccountRecipient {
            bank: Some(Box::new(SettlementAccountRecipientBankChannelRecipient {
                account: "6222000000000000".to_owned(),
                name: "张三".to_owned(),
                bank_name: "ICBC".to_owned(),
                ..Default::default()
            })),
            ..Default::default()
        })),
        ..Default::default()
    }
}

// ------------------------------------------------------------------------------------------------
// Answers (as grpc-gateway writes them: int64 as strings) and what the calls decode of them

fn list(items: &[Value], more_key: &str, more: bool) -> Value {
    json!({"object": "list", "data": items, more_key: more})
}

fn user(id: &str) -> Value {
    json!({
        "id": id, "object": "business_user", "app_id": "app_1", "name": "Zhang San",
        "created": "1700000000", "available_balance": 12.5, "disabled": false,
        "metadata": {"crm_id": "42"}
    })
}

fn user_response(id: &str) -> Value {
    json!({"object": "business_user", "data": user(id)})
}

fn user_summary(id: &Option<String>, created: &Option<String>) -> String {
    format!("data.id={id:?} data.created={created:?}")
}

fn user_decoded(id: &str) -> String {
    format!(r#"data.id=Some("{id}") data.created=Some("1700000000")"#)
}

fn charge(id: &str) -> Value {
    json!({
        "charge_id": id, "object": "charge", "app_id": "app_1", "amount": 100.5,
        "channel": "AlipayQR", "paid": true, "paid_ts": "1700000000", "ttl": 7200,
        "created_at": "2023-11-14T22:13:20Z", "failure_code": null,
        "metadata": {"order": "42"},
        "credential": {
            "@type": "type.googleapis.com/justap.v1.AlipayQrCredential",
            "qr_code": "https://qr.alipay.com/abc"
        }
    })
}

fn charge_response(id: &str) -> Value {
    json!({"object": "charge", "data": charge(id)})
}

fn charge_summary(c: justap::models::V1Charge) -> String {
    format!(
        "data.charge_id={:?} data.paid_ts={:?} data.channel={:?}",
        c.charge_id, c.paid_ts, c.channel
    )
}

fn charge_decoded(id: &str) -> String {
    format!(r#"data.charge_id="{id}" data.paid_ts=Some(1700000000) data.channel=AlipayQr"#)
}

fn charge_list_summary(data: &[justap::models::V1Charge], has_more: bool) -> String {
    let ids: Vec<_> = data.iter().map(|c| c.charge_id.clone()).collect();
    let first_paid_ts = data.first().and_then(|c| c.paid_ts);
    format!("data[].charge_id={ids:?} data[0].paid_ts={first_paid_ts:?} has_more={has_more}")
}

fn customer(id: &str) -> Value {
    json!({
        "id": id, "object": "customer", "app_id": "app_1", "name": "王五",
        "email": "ww@example.com", "created": "1700000000", "gender": "PRIVACY",
        "available_balance": 0.25, "disabled": "false"
    })
}

fn customer_response(id: &str) -> Value {
    json!({"object": "customer", "data": customer(id)})
}

fn customer_summary(id: &Option<String>, created: Option<i64>) -> String {
    format!("data.id={id:?} data.created={created:?}")
}

fn customer_decoded(id: &str) -> String {
    format!(r#"data.id=Some("{id}") data.created=Some(1700000000)"#)
}

fn refund(id: &str) -> Value {
    json!({
        "refund_id": id, "charge_id": "ch_test_10", "amount": 50.25,
        "created": "1700000000", "succeed_ts": "1700000100", "status": "SUCCEEDED",
        "is_success": true, "success_at": "2023-11-14T22:15:00Z"
    })
}

fn refund_response(id: &str) -> Value {
    json!({"object": "refund", "data": refund(id)})
}

fn refund_list(ids: &[&str]) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| refund(id)).collect();
    json!({"object": "list", "data": data, "has_more": false, "total": ids.len()})
}

fn refund_summary(r: justap::models::V1Refund) -> String {
    format!(
        "data.refund_id={:?} data.created={} data.succeed_ts={}",
        r.refund_id, r.created, r.succeed_ts
    )
}

fn refund_decoded(id: &str) -> String {
    format!(r#"data.refund_id="{id}" data.created=1700000000 data.succeed_ts=1700000100"#)
}

fn royalty(id: &str) -> Value {
    json!({
        "id": id, "object": "royalty", "charge_id": "ch_test_10", "created": "1700000000",
        "method": "Wechatpay", "status": "Processing", "time_settled": "0", "metadata": {}
    })
}

fn royalty_response(id: &str) -> Value {
    json!({"object": "royalty", "data": royalty(id)})
}

fn royalty_summary(r: justap::models::V1Royalty) -> String {
    format!(
        "data.id={:?} data.created={} data.status={:?}",
        r.id, r.created, r.status
    )
}

fn royalty_decoded(id: &str) -> String {
    format!(r#"data.id="{id}" data.created=1700000000 data.status=Processing"#)
}

fn settlement(id: &str) -> Value {
    json!({
        "id": id, "object": "settlement_account", "app_id": "app_1", "business_user_id": "bu_1",
        "channel": "WECHATPAY", "created": "1700000000", "updated": "1700000050",
        "recipient": {"wechatpay": {
            "account": "o_wx_1", "name": "张三", "type": "B2C", "account_type": "OPENID",
            "force_check": true
        }}
    })
}

fn settlement_response(id: &str) -> Value {
    json!({"object": "settlement_account", "data": settlement(id)})
}

fn settlement_summary(s: justap::models::V1SettlementAccount) -> String {
    format!(
        "data.id={:?} data.updated={} data.channel={:?}",
        s.id, s.updated, s.channel
    )
}

fn settlement_decoded(id: &str) -> String {
    format!(r#"data.id="{id}" data.updated=1700000050 data.channel=Some(Wechatpay)"#)
}

// ------------------------------------------------------------------------------------------------
// Checks

/// Failures of one run, collected so that one run reports every operation that is wrong.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn eq<T: PartialEq + Debug>(&mut self, id: &str, what: &str, got: T, expected: T) {
        if got != expected {
            self.0
                .push(format!("{id}: {what}: got {got:?}, expected {expected:?}"));
        }
    }

    fn fail(&mut self, id: &str, what: impl std::fmt::Display) {
        self.0.push(format!("{id}: {what}"));
    }
}

/// The path the request for `op` must have: the spec's template with each `{wire}` replaced by the
/// value passed, as the case writes it percent-encoded.
fn expected_path(op: &SpecOperation, case: &Case) -> String {
    let mut path = op.path.clone();
    for (wire, _, encoded) in case.path {
        let variable = format!("{{{wire}}}");
        assert!(
            path.contains(&variable),
            "{}: {path} has no {variable}",
            op.id
        );
        path = path.replace(&variable, encoded);
    }
    assert!(
        !path.contains('{'),
        "{}: {} still has a template",
        op.id,
        path
    );
    path
}

/// Checks one received request and what the call returned against the spec and the case.
fn check_request(
    failures: &mut Failures,
    op: &SpecOperation,
    case: &Case,
    called: &Called,
    r: &Request,
) {
    let id = op.id.as_str();
    failures.eq(id, "HTTP method", r.method.as_str(), op.method.as_str());
    failures.eq(
        id,
        "raw path",
        r.url.path(),
        expected_path(op, case).as_str(),
    );
    failures.eq(id, "raw query", r.url.query(), case.query);
    let declared = &op.query_params;
    for pair in r.url.query().unwrap_or_default().split('&') {
        let name = pair.split('=').next().unwrap_or_default();
        if !name.is_empty() && !declared.contains(name) {
            failures.fail(id, format!("query parameter {name:?} is not in the spec"));
        }
    }

    failures.eq(
        id,
        "X-JUSTAP-API-KEY",
        header(r, "X-JUSTAP-API-KEY"),
        Some(API_KEY),
    );
    failures.eq(id, "Accept", header(r, "Accept"), Some(op.accept.as_str()));
    failures.eq(id, "Accept", header(r, "Accept"), Some("application/json"));
    let user_agent = header(r, "User-Agent").unwrap_or_default();
    if !user_agent.starts_with("justap-rust/") {
        failures.fail(id, format!("User-Agent {user_agent:?}"));
    }

    match (&op.body, &called.body) {
        (Some(content_type), Some(passed)) => {
            failures.eq(
                id,
                "Content-Type",
                header(r, "Content-Type"),
                Some(content_type.as_str()),
            );
            failures.eq(
                id,
                "Content-Type",
                header(r, "Content-Type"),
                Some("application/json"),
            );
            match serde_json::from_slice::<Value>(&r.body) {
                Ok(sent) if sent == *passed => {}
                Ok(sent) => failures.fail(
                    id,
                    format!("JSON body: got {sent}, expected {passed} (serde_json::to_value of what was passed)"),
                ),
                Err(e) => failures.fail(id, format!("body is not JSON ({e}): {:?}", r.body)),
            }
        }
        (None, None) => {
            failures.eq(id, "Content-Type", header(r, "Content-Type"), None);
            failures.eq(id, "body length", r.body.len(), 0);
        }
        (spec, passed) => failures.fail(
            id,
            format!(
                "the spec says body {}, the call passed {}",
                if spec.is_some() { "yes" } else { "no" },
                if passed.is_some() { "one" } else { "none" }
            ),
        ),
    }
    failures.eq(
        id,
        "decoded answer",
        called.decoded.as_str(),
        case.decoded.as_str(),
    );
}

#[test]
fn the_table_covers_exactly_the_spec_operations() {
    let operations = spec_operations();
    let spec_ids: BTreeSet<&str> = operations.keys().map(String::as_str).collect();
    let cases = cases();
    let table_ids: BTreeSet<&str> = cases.iter().map(|c| c.id).collect();
    let live_ids: BTreeSet<&str> = LIVE_TESTS.iter().map(|(_, id)| *id).collect();
    assert_eq!(
        live_ids, table_ids,
        "every case has a live test, and only cases do"
    );
    // Each live test is named after the operation's client method.
    for id in &spec_ids {
        let test = LIVE_TESTS
            .iter()
            .find(|(_, live)| live == id)
            .map(|(test, _)| (*test).to_owned());
        assert_eq!(test, Some(snake_case(id)), "live test of {id}");
    }
    assert_eq!(
        table_ids.len(),
        cases.len(),
        "an operation is in the table twice"
    );

    let missing: Vec<_> = spec_ids.difference(&table_ids).collect();
    let extra: Vec<_> = table_ids.difference(&spec_ids).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "spec operations without a case: {missing:?}; cases without a spec operation: {extra:?}"
    );
    assert_eq!(
        table_ids.len(),
        39,
        "{SPEC} (Justap 3.0.3) has 39 operations"
    );

    // Every case passes a value for exactly the path parameters of its operation (which are the
    // variables of its template), values are distinct, and it only expects query parameters the
    // operation declares.
    let mut values = BTreeSet::new();
    for case in &cases {
        let op = &operations[case.id];
        let variables: BTreeSet<String> = template_variables(&op.path)
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            variables, op.path_params,
            "{}: template and parameters",
            case.id
        );
        let given: BTreeSet<String> = case.path.iter().map(|(w, _, _)| (*w).to_owned()).collect();
        assert_eq!(given, op.path_params, "{}: path parameters", case.id);
        for (_, value, _) in case.path {
            assert!(values.insert(*value), "path value {value:?} used twice");
        }
        for pair in case.query.unwrap_or_default().split('&') {
            let name = pair.split('=').next().unwrap_or_default();
            assert!(
                name.is_empty() || op.query_params.contains(name),
                "{}: query parameter {name:?} is not declared ({:?})",
                case.id,
                op.query_params
            );
        }
    }
    println!(
        "table covers {}/{} operations of {SPEC}",
        table_ids.len(),
        spec_ids.len()
    );
}

/// Calls operation `id` through the client against its own live server and checks the request
/// and the decoded answer.
async fn live_operation(id: &str) {
    let operations = spec_operations();
    let op = operations
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not an operation of {SPEC}"));
    let case = cases()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case for {id}"));
    let server = MockServer::start().await;
    let client = super::signed_client(&server.uri(), "test_private_pkcs8.pem");
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(case.response.to_string(), "application/json"),
        )
        .mount(&server)
        .await;

    let mut failures = Failures::default();
    let result = call(&client, &case).await;
    let requests = super::received(&server).await;
    match (requests.as_slice(), result) {
        ([request], Ok(called)) => {
            check_request(&mut failures, op, &case, &called, request);
            if let Err(e) = check_signed(request) {
                failures.fail(id, format!("signing: {e}"));
            }
        }
        ([_], Err(e)) => failures.fail(id, format!("call failed: {e}")),
        (requests, _) => failures.fail(
            id,
            format!("{} requests received, expected 1", requests.len()),
        ),
    }
    assert!(failures.0.is_empty(), "{}", failures.0.join("\n"));
}

/// One `#[tokio::test]` per operation, named after its method, so the test list itself shows the
/// coverage (`client::operations::live::charge_service_query_charge2 ... ok`), and the list of
/// ids for `the_table_covers_exactly_the_spec_operations`.
macro_rules! live_operations {
    ($($test:ident => $id:literal,)*) => {
        /// (test name, operationId) of every live test.
        const LIVE_TESTS: &[(&str, &str)] = &[$((stringify!($test), $id)),*];

        mod live {
            $(
                #[tokio::test]
                async fn $test() {
                    super::live_operation($id).await;
                }
            )*
        }
    };
}

live_operations! {
    business_user_service_create_user => "BusinessUserService_CreateUser",
    business_user_service_delete_user => "BusinessUserService_DeleteUser",
    business_user_service_list_all_users => "BusinessUserService_ListAllUsers",
    business_user_service_retrieve_user => "BusinessUserService_RetrieveUser",
    business_user_service_search_users => "BusinessUserService_SearchUsers",
    business_user_service_update_user => "BusinessUserService_UpdateUser",
    business_user_service_update_user2 => "BusinessUserService_UpdateUser2",
    charge_service_charges => "ChargeService_Charges",
    charge_service_charges2 => "ChargeService_Charges2",
    charge_service_query_charge => "ChargeService_QueryCharge",
    charge_service_query_charge2 => "ChargeService_QueryCharge2",
    charge_service_query_charge3 => "ChargeService_QueryCharge3",
    charge_service_query_charge_list => "ChargeService_QueryChargeList",
    charge_service_query_charge_list2 => "ChargeService_QueryChargeList2",
    charge_service_reverse_charge => "ChargeService_ReverseCharge",
    charge_service_reverse_charge2 => "ChargeService_ReverseCharge2",
    checkout_service_create_union_qr_checkout => "CheckoutService_CreateUnionQrCheckout",
    customer_service_create_customer => "CustomerService_CreateCustomer",
    customer_service_delete_customer => "CustomerService_DeleteCustomer",
    customer_service_list_all_customers => "CustomerService_ListAllCustomers",
    customer_service_retrieve_customer => "CustomerService_RetrieveCustomer",
    customer_service_search_customers => "CustomerService_SearchCustomers",
    customer_service_update_customer => "CustomerService_UpdateCustomer",
    refund_service_query_refund => "RefundService_QueryRefund",
    refund_service_query_refund2 => "RefundService_QueryRefund2",
    refund_service_query_refund_list => "RefundService_QueryRefundList",
    refund_service_query_refund_list2 => "RefundService_QueryRefundList2",
    refund_service_refunds => "RefundService_Refunds",
    refund_service_refunds2 => "RefundService_Refunds2",
    royalty_service_create_royalty => "RoyaltyService_CreateRoyalty",
    royalty_service_list_all_royalties => "RoyaltyService_ListAllRoyalties",
    royalty_service_retrieve_royalty => "RoyaltyService_RetrieveRoyalty",
    settlement_service_create_settlement_account => "SettlementService_CreateSettlementAccount",
    settlement_service_delete_settlement_account => "SettlementService_DeleteSettlementAccount",
    settlement_service_list_all_settlement_accounts => "SettlementService_ListAllSettlementAccounts",
    settlement_service_retrieve_settlement_account => "SettlementService_RetrieveSettlementAccount",
    settlement_service_search_settlement_accounts => "SettlementService_SearchSettlementAccounts",
    settlement_service_update_settlement_account => "SettlementService_UpdateSettlementAccount",
    settlement_service_update_settlement_account2 => "SettlementService_UpdateSettlementAccount2",
}
