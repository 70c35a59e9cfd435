/** Node built-ins with no meaning in a browser sandbox: importing works, calling throws. */
const fail = (): never => {
  throw new Error("wasmbox: this Node.js API is not available in the browser build");
};
export default {};
export const readFileSync = fail;
export const existsSync = () => false;
export const constants = {};
