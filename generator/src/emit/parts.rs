//! Rust files as parts, each emitted and formatted on its own, on rayon's worker threads, joined
//! in order.
//!
//! Why parts: formatting a file whole means one token stream and one syn tree as big as the spec;
//! item-sized parts keep syn's and prettyplease's working set small, so time grows linearly with
//! the spec, and they spread over the cores. The output does not depend on the schedule: parts are
//! collected by position, and prettyplease prints an item alone exactly as it prints it within a
//! file (the unit tests below and `codegen --check` compare bytes).

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};

use proc_macro2::TokenStream;
use rayon::prelude::*;

use super::format;
use crate::Error;

/// Builds a part's tokens (see [`text`]).
type Recipe<'a> = Box<dyn FnOnce() -> TokenStream + Send + 'a>;

/// Builds a part as a run of blocks.
type BlocksRecipe<'a> = Box<dyn FnOnce() -> Vec<Block> + Send + 'a>;

/// Source built by an emitter: items as tokens (formatted by prettyplease), or text already laid
/// out as it is to appear (macro invocations, which prettyplease prints as one run-on token line).
pub(super) enum Block {
    Tokens(TokenStream),
    Text(String),
}

/// A piece of a Rust file, in file order.
pub(super) enum Part<'a> {
    /// Whole items; a file's first part also carries its inner docs and `use` lines.
    Items(Recipe<'a>),
    /// Whole items and laid-out text, in order.
    Blocks(BlocksRecipe<'a>),
    /// Members of an impl block, emitted as `impl T { .. }` of which only the members' lines are
    /// kept, so that one long impl block can be cut into many parts. The block's own first and last
    /// lines are `Text` parts around them.
    Members(Recipe<'a>),
    /// Text as it stands.
    Text(&'static str),
}

impl<'a> Part<'a> {
    pub(super) fn items(recipe: impl FnOnce() -> TokenStream + Send + 'a) -> Self {
        Part::Items(Box::new(recipe))
    }

    pub(super) fn blocks(recipe: impl FnOnce() -> Vec<Block> + Send + 'a) -> Self {
        Part::Blocks(Box::new(recipe))
    }

    pub(super) fn members(recipe: impl FnOnce() -> TokenStream + Send + 'a) -> Self {
        Part::Members(Box::new(recipe))
    }
}

/// One Rust file of the crate, by path.
pub(super) struct RustFile<'a> {
    pub path: &'static str,
    pub parts: Vec<Part<'a>>,
}

/// Items per part: big enough that per-part overhead (a syn parse and a prettyplease printer each)
/// is noise, small enough that parts stay in cache and balance across threads.
pub(super) const ITEMS_PER_PART: usize = 8;

/// Emits and formats every part, then joins each file's parts, separates items and adds the header.
pub(super) fn render(files: Vec<RustFile<'_>>) -> Result<BTreeMap<String, String>, Error> {
    let paths: Vec<&'static str> = files.iter().map(|f| f.path).collect();
    let jobs: Vec<(usize, &'static str, Part<'_>)> = files
        .into_iter()
        .enumerate()
        .flat_map(|(file, rust)| {
            rust.parts
                .into_iter()
                .map(move |part| (file, rust.path, part))
        })
        .collect();
    // A panic is a generator bug; it is reported as an error like the others.
    let texts: Vec<(usize, Result<String, Error>)> = panic::catch_unwind(AssertUnwindSafe(|| {
        in_pool(|| {
            jobs.into_par_iter()
                .map(|(file, path, part)| (file, text(path, part)))
                .collect()
        })
    }))
    .map_err(|_| Error::Internal("a formatting thread panicked".to_owned()))?;
    let mut joined: Vec<String> = vec![String::new(); paths.len()];
    for (file, text) in texts {
        // In file order, so the error reported is the earliest part's, whatever the schedule.
        joined[file].push_str(&text?);
    }
    Ok(paths
        .into_iter()
        .zip(joined)
        .map(|(path, text)| (path.to_owned(), format::finish(&text)))
        .collect())
}

/// One part's text. Token streams cannot cross threads, so the thread that formats a part also
/// builds it.
fn text(path: &str, part: Part<'_>) -> Result<String, Error> {
    match part {
        Part::Text(text) => Ok(text.to_owned()),
        Part::Items(recipe) => format::items(path, recipe()),
        Part::Blocks(recipe) => format::blocks(path, recipe()),
        Part::Members(recipe) => format::members(path, recipe()),
    }
}

/// Runs `f` in a pool of its own (a thread per core), unless already in one ([`with_threads`]).
/// Measured on 3.0.3: rayon's global pool, called from outside, rendered in 9–17 ms; a pool made
/// for the call, as the scoped threads before it were, in 8.6–10.5 ms.
fn in_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match rayon::current_thread_index() {
        Some(_) => f(),
        None => install(rayon::ThreadPoolBuilder::new(), f),
    }
}

/// Runs `f` with the parts rendered on `threads` threads (0 counts as 1) instead of one per core.
/// The output is the same whatever the count; this exists so that tests hold that on any machine.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    install(
        rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)),
        f,
    )
}

/// `f` on the pool `builder` makes, or on this thread if the system refuses threads.
fn install<R: Send>(builder: rayon::ThreadPoolBuilder, f: impl FnOnce() -> R + Send) -> R {
    match builder.build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn whole() -> TokenStream {
        quote! {
            //! A file.

            use std::fmt;

            /// A.
            pub struct A {
                pub x: u8,
            }

            impl A {
                /// One.
                pub fn one(&self) -> u8 {
                    self.x
                }

                pub fn two(&self) -> u8 {
                    self.x * 2
                }

                pub fn three(&self) -> u8 {
                    self.x * 3
                }
            }

            pub type B = fmt::Result;
        }
    }

    fn parted() -> Vec<Part<'static>> {
        vec![
            Part::items(|| {
                quote! {
                    //! A file.

                    use std::fmt;
                }
            }),
            Part::items(|| {
                quote!(
                    /// A.
                    pub struct A {
                        pub x: u8,
                    }
                )
            }),
            Part::Text("impl A {\n"),
            Part::members(|| {
                quote!(impl A { /// One.
                pub fn one(&self) -> u8 { self.x } })
            }),
            Part::members(|| {
                quote!(impl A {
                    pub fn two(&self) -> u8 { self.x * 2 }
                    pub fn three(&self) -> u8 { self.x * 3 }
                })
            }),
            Part::Text("}\n"),
            Part::items(|| {
                quote!(
                    pub type B = fmt::Result;
                )
            }),
        ]
    }

    fn render_ok(files: Vec<RustFile<'_>>) -> BTreeMap<String, String> {
        match render(files) {
            Ok(files) => files,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_file_in_parts_is_byte_identical_to_the_file_whole() {
        let parted = render_ok(vec![RustFile {
            path: "src/a.rs",
            parts: parted(),
        }]);
        let whole = render_ok(vec![RustFile {
            path: "src/a.rs",
            parts: vec![Part::items(whole)],
        }]);
        assert_eq!(parted, whole);
        let text = &parted["src/a.rs"];
        assert!(text.starts_with(format::HEADER), "{text}");
        assert!(
            text.contains("impl A {\n    /// One.\n    pub fn one"),
            "{text}"
        );
    }

    /// One thread and several, whatever this machine has.
    const THREADS: [usize; 2] = [1, 4];

    #[test]
    fn parts_are_joined_in_order_whatever_thread_formats_them() {
        let names: Vec<String> = (0..64).map(|i| format!("S{i}")).collect();
        let expected: Vec<String> = names.iter().map(|n| format!("{n};")).collect();
        for threads in THREADS {
            let parts = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    Part::items(move || {
                        // Uneven work, so that parts finish out of order.
                        std::hint::black_box((0..(i % 7) * 10_000).sum::<usize>());
                        let name = syn::Ident::new(name, proc_macro2::Span::call_site());
                        quote!(pub struct #name;)
                    })
                })
                .collect();
            let out = with_threads(threads, || {
                render_ok(vec![RustFile {
                    path: "src/s.rs",
                    parts,
                }])
            });
            let order: Vec<&str> = out["src/s.rs"]
                .lines()
                .filter_map(|l| l.strip_prefix("pub struct "))
                .collect();
            assert_eq!(order, expected, "{threads} threads");
        }
    }

    #[test]
    fn a_panicking_part_is_an_internal_error_not_a_panic() {
        for threads in THREADS {
            let parts = (0..8)
                .map(|i| {
                    Part::items(move || {
                        assert_ne!(i, 5, "part 5 fails");
                        quote!(
                            pub struct Fine;
                        )
                    })
                })
                .collect();
            let result = with_threads(threads, || {
                render(vec![RustFile {
                    path: "src/p.rs",
                    parts,
                }])
            });
            assert!(
                matches!(&result, Err(Error::Internal(m)) if m.contains("panicked")),
                "{threads} threads: {:?}",
                result.err()
            );
        }
    }

    #[test]
    fn a_part_that_does_not_parse_is_an_internal_error_naming_the_file() {
        let parts = vec![
            Part::items(|| {
                quote!(
                    pub struct Fine;
                )
            }),
            Part::items(|| quote!(pub struct ;)),
        ];
        let result = render(vec![RustFile {
            path: "src/bad.rs",
            parts,
        }]);
        assert!(
            matches!(&result, Err(Error::Internal(m)) if m.starts_with("src/bad.rs:")),
            "{:?}",
            result.err()
        );
    }
}
