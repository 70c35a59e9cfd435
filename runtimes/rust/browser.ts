/** Rust in the browser: compiled by the page's `compile` hook, run through the shared WASI layer. */
export { rust } from "../compiled/browser.js";
