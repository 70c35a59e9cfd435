import type { HostFactory } from "./host.js";
import { SandboxFailureError } from "../errors.js";

// One-shot contained child processes for guests that can reach JavaScript (Python).
// Implemented with the Python runtime; until then no runtime declares host: "process".
export const createProcessHost: HostFactory = () => {
  throw new SandboxFailureError("process sandbox hosts are not implemented yet");
};
