/** The shared suites (test/conformance, test/security) on rust, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("rust");
await escapeMatrix({ title: "", runtimes: ["rust"], run: (executor, request) => executor.execute(request) });
