/** The shared suites (test/conformance, test/security) on php, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("php");
await escapeMatrix({ title: "", runtimes: ["php"], run: (executor, request) => executor.execute(request) });
