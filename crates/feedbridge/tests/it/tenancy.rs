//! A key never sees or touches another client's objects: every id of another client answers 404,
//! exactly like an id that does not exist, and the owner's data stays as it was.

mod expect;
mod fixture;
mod matrix;
mod ops;
mod swap;
