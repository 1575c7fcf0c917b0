//! Compile-pass and compile-fail tests of the `neo-derive` macros; the cases
//! live in `tests/ui/<macro>/{pass,fail}/` (see the README).
