import { jsWorkloads } from "./node.js";

export const programs = jsWorkloads("bun");
