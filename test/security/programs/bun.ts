import { jsPrograms } from "./node.js";

export const programs = jsPrograms("bun");
