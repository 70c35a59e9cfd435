/** `Buffer` for the few places that use it as a free global (injected by the bundler). */
export { Buffer } from "buffer";
