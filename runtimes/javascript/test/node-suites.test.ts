/** The shared suites (test/conformance, test/security) on node, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("node");
await escapeMatrix({ title: "", runtimes: ["node"], run: (executor, request) => executor.execute(request) });
