/** `node:url`, from the browser's own URL. */
const Url = globalThis.URL;
export { Url as URL };
export const fileURLToPath = (u: string | URL) => decodeURIComponent(new Url(String(u)).pathname);
export const pathToFileURL = (p: string) => new Url(`file://${encodeURI(p)}`);
export default { URL: Url, fileURLToPath, pathToFileURL };
