/** The shared suites (test/conformance, test/security) on python, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("python");
await escapeMatrix({ title: "", runtimes: ["python"], run: (executor, request) => executor.execute(request) });
