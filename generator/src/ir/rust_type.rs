//! The Rust type each field, parameter, argument and answer is declared with, stated once: the
//! emitters print its tokens and the release diff its text, so the diff cannot describe a type
//! other than the one in the crate.

use std::fmt;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::{
    Body, ExtraFields, Field, FieldShape, FloatType, IntBits, IntType, Operation, Param, TypeRef,
    ValueEncoding,
};

/// A Rust type, as tokens. Its text is read off the tokens, spaced as prettyplease prints a type:
/// `Option<Box<V1Charge>>`, `BTreeMap<String, i64>`, `&[String]`.
#[derive(Debug, Clone)]
pub struct RustType(TokenStream);

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // These types have no lifetimes, bounds or `dyn`: nothing is spaced but a comma.
        let text: String = self.0.to_string().split_whitespace().collect();
        f.write_str(&text.replace(',', ", "))
    }
}

impl PartialEq for RustType {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for RustType {}

impl TypeRef {
    /// The Rust type of a use of this type: `String`, `i64`, `Vec<V1Charge>`, `BTreeMap<String, f64>`.
    pub fn rust_type(&self) -> RustType {
        RustType(match self {
            TypeRef::String => quote!(String),
            TypeRef::Bool => quote!(bool),
            TypeRef::Int(IntType { bits, signed, .. }) => match (bits, signed) {
                (IntBits::B32, true) => quote!(i32),
                (IntBits::B32, false) => quote!(u32),
                (IntBits::B64, true) => quote!(i64),
                (IntBits::B64, false) => quote!(u64),
            },
            TypeRef::Float(FloatType::F32) => quote!(f32),
            TypeRef::Float(FloatType::F64) => quote!(f64),
            TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Named(name) => format_ident!("{}", name).into_token_stream(),
            TypeRef::Array(item) => {
                let item = item.rust_type();
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = value.rust_type();
                quote!(BTreeMap<String, #value>)
            }
        })
    }
}

impl Field {
    /// As its struct declares it: [`FieldShape`] around the type.
    pub fn rust_type(&self) -> RustType {
        let ty = self.ty.rust_type();
        RustType(match self.shape {
            FieldShape::Optional => quote!(Option<#ty>),
            FieldShape::Boxed => quote!(Option<Box<#ty>>),
            FieldShape::Required | FieldShape::Container | FieldShape::Json => return ty,
        })
    }
}

impl ExtraFields {
    /// The flattened map of unknown keys.
    pub fn rust_type(&self) -> RustType {
        let value = self.value.rust_type();
        RustType(quote!(BTreeMap<String, #value>))
    }
}

impl Param {
    /// Its field in the params struct: required parameters are plain values, optional ones
    /// `Option`; arrays and maps are never `Option` (empty is unset).
    pub fn field_type(&self) -> RustType {
        let ty = self.ty.rust_type();
        if self.required || self.ty.is_container() {
            ty
        } else {
            RustType(quote!(Option<#ty>))
        }
    }

    /// Whether the client method takes this path parameter by value: numbers and booleans (the
    /// `Copy` types, written with `Display`); strings (written as text), lists and anything else
    /// by reference.
    pub fn by_value(&self) -> bool {
        self.encoding == ValueEncoding::Display && !matches!(self.ty, TypeRef::Array(_))
    }

    /// Its argument of the client method (path parameters): see [`Param::by_value`].
    pub fn arg_type(&self) -> RustType {
        let ty = self.ty.rust_type();
        RustType(match &self.ty {
            _ if self.by_value() => return ty,
            TypeRef::String => quote!(&str),
            TypeRef::Array(item) => {
                let item = item.rust_type();
                quote!(&[#item])
            }
            _ => quote!(&#ty),
        })
    }
}

impl Body {
    /// The client method's `body` argument.
    pub fn arg_type(&self) -> RustType {
        let ty = self.ty.rust_type();
        RustType(if self.required {
            quote!(&#ty)
        } else {
            quote!(Option<&#ty>)
        })
    }
}

impl Operation {
    /// What the client method returns on success: the response type, or `()`.
    pub fn response_type(&self) -> RustType {
        self.response
            .as_ref()
            .map_or_else(|| RustType(quote!(())), TypeRef::rust_type)
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::RustType;
    use crate::ir::TypeKind;
    use crate::{CrateOptions, SpecSource};

    /// From the first `start` in `text` to the end of the next `end`.
    fn block<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
        let rest = &text[text.find(start).unwrap_or_else(|| panic!("no {start:?}"))..];
        &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
    }

    /// `block` declares `ty` between `before` and `after` (line breaks aside: prettyplease wraps a
    /// long line, with a trailing comma in `<…>`), and the text of `ty` is spaced as prettyplease
    /// prints a type.
    fn assert_declares(block: &str, before: &str, ty: &RustType, after: &str) {
        let squeeze = |text: &str| {
            text.split_whitespace()
                .collect::<String>()
                .replace(",>", ">")
        };
        let declaration = format!("{before}{ty}{after}");
        assert!(
            squeeze(block).contains(&squeeze(&declaration)),
            "{declaration:?} is not in\n{block}"
        );
        let alias: syn::File = syn::parse2(quote!(type T = #ty;)).expect("a type");
        assert_eq!(prettyplease::unparse(&alias), format!("type T = {ty};\n"));
    }

    /// The text of every type the crate declares (fields, aliases, parameters, arguments, answers)
    /// is the declaration in the generated crate.
    #[test]
    fn the_text_is_the_declaration_in_the_crate() {
        for text in [
            include_str!("../../../spec/justap.yaml"),
            include_str!("../../../tests/fixtures/specs/params.yaml"),
            include_str!("../../../tests/fixtures/specs/shapes.yaml"),
        ] {
            let source = SpecSource { name: "spec", text };
            let api = crate::load(&source)
                .and_then(|loaded| crate::lower(&loaded))
                .expect("lowers")
                .api;
            let files = crate::generate(&source, &CrateOptions::default())
                .expect("generates")
                .files;
            let models = &files["src/models.rs"];
            for def in &api.types {
                match &def.kind {
                    TypeKind::Struct(s) => {
                        let body = block(models, &format!("pub struct {} {{", def.name), "\n}\n");
                        for f in &s.fields {
                            assert_declares(
                                body,
                                &format!("pub {}: ", f.name),
                                &f.rust_type(),
                                ",",
                            );
                        }
                        if let Some(e) = &s.extra {
                            assert_declares(
                                body,
                                &format!("pub {}: ", e.name),
                                &e.rust_type(),
                                ",",
                            );
                        }
                    }
                    TypeKind::Alias(ty) => {
                        let alias = block(models, &format!("pub type {} =", def.name), ";\n");
                        assert_declares(alias, "= ", &ty.rust_type(), ";");
                    }
                    TypeKind::Enum(_) => {}
                }
            }
            for op in &api.operations {
                let operations = &files["src/operations.rs"];
                let signature = block(operations, &format!("fn {}(", op.method_name), " {\n");
                for p in &op.path_params {
                    assert_declares(signature, &format!(", {}: ", p.name), &p.arg_type(), "");
                }
                if let Some(b) = &op.body {
                    assert_declares(signature, ", body: ", &b.arg_type(), "");
                }
                assert_declares(signature, "-> Result<", &op.response_type(), ", Error>");
                if let Some(s) = &op.params {
                    let body = block(
                        &files["src/params.rs"],
                        &format!("pub struct {} {{", s.name),
                        "\n}\n",
                    );
                    for p in &s.params {
                        assert_declares(body, &format!("pub {}: ", p.name), &p.field_type(), ",");
                    }
                }
            }
        }
    }
}
