/**
 * Worker-hosted runtimes that declare `workerHost.shared` compile their modules once per executor
 * and hand the compiled modules to every host: each host still gets fresh instances, so nothing one
 * execution leaves in its instance reaches another host's (or the same host's next) execution.
 * The count of compilations is seen here only for hosts in this process (`hostProcess: false`);
 * in the hosts process (the default) the same code runs there, and isolation is checked alike.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type RuntimeName } from "wasmbox";
import { php } from "../../dist/runtimes/php/index.js";
import { ruby } from "../../dist/runtimes/ruby/index.js";

const adapters = { ruby, php } as const;
const calls: Record<string, number> = { ruby: 0, php: 0 };
for (const [name, rt] of Object.entries(adapters)) {
  const shared = rt.workerHost!.shared!.bind(rt.workerHost);
  rt.workerHost!.shared = (ctx) => {
    calls[name]!++;
    return shared(ctx);
  };
}

const programs: Record<keyof typeof adapters, { leave: string; look: string }> = {
  ruby: { leave: '$left = "secret"; LEFT = 1; sleep 0.4; puts "left"', look: 'sleep 0.4; puts [defined?($left).inspect, defined?(LEFT).inspect].join(" ")' },
  php: { leave: '<?php $GLOBALS["left"] = "secret"; define("LEFT", 1); usleep(400000); echo "left\\n";', look: '<?php usleep(400000); echo var_export(isset($GLOBALS["left"]), true), " ", var_export(defined("LEFT"), true), "\\n";' },
};
const clean: Record<keyof typeof adapters, string> = { ruby: "nil nil\n", php: "false false\n" };

const inProcess = createExecutor({ concurrency: 3, hostProcess: false });
const hostsProcess = createExecutor({ concurrency: 3 });
afterAll(() => Promise.all([inProcess.close(), hostsProcess.close()]));

describe.each(
  (Object.keys(adapters) as (keyof typeof adapters)[]).flatMap((name) => [
    [name, "in this process", inProcess],
    [name, "in the hosts process", hostsProcess],
  ] as const),
)("shared compiled modules: %s, hosts %s", (name, where, executor) => {
  it("compiles once for all hosts, and no host sees what another execution left", { timeout: 120_000 }, async () => {
    const runtime = name as RuntimeName;
    const before = calls[name]!;
    const first = await Promise.all([
      executor.execute({ runtime, code: programs[name].leave }),
      executor.execute({ runtime, code: programs[name].leave }),
      executor.execute({ runtime, code: programs[name].leave }),
    ]);
    for (const r of first) expect(r).toMatchObject({ stdout: "left\n", exitCode: 0 });
    expect(executor.stats().hosts).toBeGreaterThanOrEqual(2);
    const later = await Promise.all([1, 2, 3].map(() => executor.execute({ runtime, code: programs[name].look })));
    for (const r of later) expect(r).toMatchObject({ stdout: clean[name], exitCode: 0 });
    expect(calls[name]! - before, executor === inProcess ? "compilations here" : "compilations here (the hosts process compiles, not this one)").toBe(executor === inProcess ? 1 : 0);
  });
});
