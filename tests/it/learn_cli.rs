//! `rolesmith learn` through the real binary (filled in below).
