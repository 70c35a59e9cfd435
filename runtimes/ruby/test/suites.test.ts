/** The shared suites (test/conformance, test/security) on ruby, with its programs from programs.ts. */
import { conformanceSuite } from "../../../test/conformance/suite.js";
import { escapeMatrix } from "../../../test/security/escape-suite.js";

await conformanceSuite("ruby");
await escapeMatrix({ title: "", runtimes: ["ruby"], run: (executor, request) => executor.execute(request) });
