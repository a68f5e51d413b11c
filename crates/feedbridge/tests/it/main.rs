//! The integration tests of Feedbridge, in one binary so it is linked once.

mod link;
mod support;
