//! toky-mock: a faithful local fake of the Toky REST API (see mock/README.md), as a library
//! with two front ends: the native server (`server`, `proxy`, the `toky-mock` binary) and, on
//! wasm32, the in-process mock of the npm package (`wasm`). Both call `pipeline::handle`.

mod api;
mod control;
pub mod data;
mod error;
mod events;
mod extract;
mod filter;
mod input;
mod openapi;
pub mod pipeline;
mod prng;
mod runtime;
mod segments;
pub mod state;
mod time;
mod util;
mod wav;

#[cfg(not(target_arch = "wasm32"))]
mod proxy;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
#[cfg(target_arch = "wasm32")]
mod wasm;
