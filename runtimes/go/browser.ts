/** Go in the browser: compiled by the page's `compile` hook, run through the shared WASI layer. */
export { go } from "../compiled/browser.js";
