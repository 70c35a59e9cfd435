/** Node built-ins with no meaning in a browser sandbox: importing works, using them throws. */
const fail = (): never => {
  throw new Error("wasmbox: this Node.js API is not available in the browser build");
};
export default new Proxy({}, { get: () => fail });
export const readFileSync = fail;
export const existsSync = () => false;
export const fileURLToPath = (u: string | URL) => new URL(String(u)).pathname;
export const pathToFileURL = (p: string) => new URL(p, "file:///");
export const constants = {};
