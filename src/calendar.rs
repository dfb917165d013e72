//! Working days, holidays and plan offsets.
