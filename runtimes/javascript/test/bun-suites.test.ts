/** The shared suites (test/conformance, test/security) on bun, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("bun");
await escapeMatrix({ title: "", runtimes: ["bun"], run: (executor, request) => executor.execute(request) });
