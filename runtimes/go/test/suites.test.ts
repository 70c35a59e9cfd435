/** The shared suites (test/conformance, test/security) on go, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("go");
await escapeMatrix({ title: "", runtimes: ["go"], run: (executor, request) => executor.execute(request) });
