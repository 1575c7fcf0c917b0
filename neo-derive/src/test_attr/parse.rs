//! A test as declared: its options and its function.

use proc_macro2::TokenStream;
use syn::{FnArg, ItemFn};

use crate::ctxt::Ctxt;
use crate::options::{Attribute, Options};

/// `#[neo_runtime::test(…)] async fn name(argument: Type) -> Output`.
pub(super) struct Test {
    pub(super) options: Options,
    pub(super) function: ItemFn,
}

impl Test {
    /// Reads the options.
    pub(super) fn parse(cx: &Ctxt, attr: TokenStream, function: ItemFn) -> Test {
        Test {
            options: Options::parse(cx, Attribute::Test, attr),
            function,
        }
    }

    /// The argument, once checked to be the only one.
    pub(super) fn argument(&self) -> Option<&FnArg> {
        self.function.sig.inputs.first()
    }
}
