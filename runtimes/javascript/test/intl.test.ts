/**
 * Differential tests against the real `node` (run in the test itself, with TZ=UTC like the guest):
 * the en-US Intl of guest/intl.ts, and the %o format (util.inspect with showHidden).
 */
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

const INTL_CASES: [string, string][] = [
  ["toLocaleString numbers", "const nums = [0, 1, -1, 1234567.891, 1.005, 0.125, 999.9995, 1e21, 123456789012345680000, -0, NaN, Infinity, -1234.5, 0.000001234, 42];\nfor (const n of nums) console.log(n.toLocaleString(), n.toLocaleString(\"en-US\", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));"],
  ["currency and percent", "for (const n of [0, 1, 1234.5, -99.999, 0.5]) console.log(new Intl.NumberFormat(\"en-US\", { style: \"currency\", currency: \"USD\" }).format(n), n.toLocaleString(\"en-US\", { style: \"currency\", currency: \"EUR\" }), n.toLocaleString(\"en-US\", { style: \"currency\", currency: \"JPY\" }), n.toLocaleString(\"en-US\", { style: \"percent\" }), n.toLocaleString(\"en-US\", { style: \"percent\", minimumFractionDigits: 1 }));"],
  ["default and maximumFractionDigits", "console.log(new Intl.NumberFormat().format(12345.6789), (12345.6789).toLocaleString(undefined, { maximumFractionDigits: 0 }));"],
  ["significant, integer digits, grouping", "console.log((1234.5).toLocaleString(\"en-US\", { maximumSignificantDigits: 3 }), (0.00012345).toLocaleString(\"en-US\", { maximumSignificantDigits: 2 }), (5).toLocaleString(\"en-US\", { minimumIntegerDigits: 3 }), (1234.5).toLocaleString(\"en-US\", { useGrouping: false }));"],
  ["compact notation", "console.log([1234, 1500000, 999, 12345, 123456, 2.5e9, 0.5].map((n) => new Intl.NumberFormat(\"en-US\", { notation: \"compact\" }).format(n)).join(\" \"));"],
  ["bigint and array toLocaleString", "console.log((1234567n).toLocaleString(), [1234.5, 6789].toLocaleString());"],
  ["currency code and signDisplay", "console.log((5).toLocaleString(\"en-US\", { style: \"currency\", currency: \"USD\", currencyDisplay: \"code\" }), (-5).toLocaleString(\"en-US\", { signDisplay: \"always\" }), (5).toLocaleString(\"en-US\", { signDisplay: \"always\" }));"],
  ["Date toLocale* defaults", "const d = new Date(Date.UTC(2024, 0, 15, 15, 45, 30));\nconsole.log(d.toLocaleDateString(\"en-US\"), d.toLocaleTimeString(\"en-US\"), d.toLocaleString(\"en-US\"), d.toLocaleString());"],
  ["date options with month names", "const d = new Date(Date.UTC(2024, 0, 15, 15, 45, 30));\nconsole.log(d.toLocaleDateString(\"en-US\", { year: \"numeric\", month: \"long\", day: \"numeric\" }), d.toLocaleDateString(\"en-US\", { weekday: \"long\", year: \"numeric\", month: \"long\", day: \"numeric\" }), d.toLocaleDateString(\"en-US\", { month: \"short\", day: \"numeric\" }));"],
  ["time options, hour12, required fields", "const d = new Date(Date.UTC(2024, 0, 15, 15, 45, 30));\nconsole.log(d.toLocaleTimeString(\"en-US\", { hour: \"2-digit\", minute: \"2-digit\" }), d.toLocaleTimeString(\"en-US\", { hour12: false }), d.toLocaleDateString(\"en-US\", { hour: \"numeric\" }), d.toLocaleTimeString(\"en-US\", { weekday: \"short\" }));"],
  ["Intl.DateTimeFormat styles", "const d = new Date(Date.UTC(2024, 0, 15, 15, 45, 30));\nconsole.log(new Intl.DateTimeFormat(\"en-US\").format(d), new Intl.DateTimeFormat(\"en-US\", { dateStyle: \"full\", timeStyle: \"short\", timeZone: \"UTC\" }).format(d), new Intl.DateTimeFormat(\"en-US\", { dateStyle: \"medium\" }).format(d), new Intl.DateTimeFormat(\"en-US\", { dateStyle: \"short\" }).format(d));"],
  ["DateTimeFormat month-year, weekday, zone name", "const d = new Date(Date.UTC(2024, 0, 15, 15, 45, 30));\nconsole.log(new Intl.DateTimeFormat(\"en-US\", { month: \"long\", year: \"numeric\" }).format(d), new Intl.DateTimeFormat(\"en-US\", { weekday: \"long\" }).format(d), new Intl.DateTimeFormat(\"en-US\", { timeZone: \"UTC\", timeZoneName: \"short\" }).format(d), Intl.DateTimeFormat().resolvedOptions().timeZone);"],
  ["midnight, noon, invalid date", "console.log(new Date(Date.UTC(2024, 0, 15, 0, 5)).toLocaleTimeString(\"en-US\"), new Date(Date.UTC(2024, 0, 15, 12, 5)).toLocaleTimeString(\"en-US\"), new Date(NaN).toLocaleDateString());"],
  ["localeCompare sort order", "console.log([\"b\", \"a\", \"B\", \"A\", \"ä\", \"10\", \"2\", \"Ä\", \"á\", \"a b\", \"ab\", \"a-b\", \"a_b\", \"résumé\", \"resume\", \"Resume\"].sort((a, b) => a.localeCompare(b)).join(\" \"));"],
  ["Collator numeric and sensitivity", "console.log([\"item10\", \"item2\", \"Item1\"].sort(new Intl.Collator(undefined, { numeric: true }).compare).join(\" \"), \"a\".localeCompare(\"b\"), \"b\".localeCompare(\"a\"), \"a\".localeCompare(\"a\"), \"a\".localeCompare(\"A\"), \"a\".localeCompare(\"á\", undefined, { sensitivity: \"base\" }), \"a\".localeCompare(\"A\", \"en\", { sensitivity: \"accent\" }));"],
  ["PluralRules cardinal and ordinal", "const pr = new Intl.PluralRules(\"en-US\");\nconsole.log([0, 1, 2, 1.5].map((n) => pr.select(n)).join(\" \"), [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map((n) => new Intl.PluralRules(\"en-US\", { type: \"ordinal\" }).select(n)).join(\" \"));"],
  ["ListFormat", "console.log(new Intl.ListFormat(\"en\", { style: \"long\", type: \"conjunction\" }).format([\"a\", \"b\", \"c\"]), new Intl.ListFormat(\"en\", { type: \"disjunction\" }).format([\"a\", \"b\"]));"],
  ["RelativeTimeFormat", "console.log(new Intl.RelativeTimeFormat(\"en\", { numeric: \"auto\" }).format(-1, \"day\"), new Intl.RelativeTimeFormat(\"en\").format(3, \"hours\"), new Intl.RelativeTimeFormat(\"en\").format(-1, \"day\"));"],
];

const PERCENT_O_CASES: [string, string][] = [
  ["%o arrays and objects", `console.log("%o", [1]);\nconsole.log("%o", { a: [1, 2], b: "x" });\nconsole.log("%o", [[1, [2]]], "%o");\nconsole.log("%o", [{ a: 1 }]);`],
  ["%o functions and classes", `console.log("%o", function foo(a) {});\nconsole.log("%o", () => 1);\nconsole.log("%o", class K {});\nconsole.log("%o", { f() {} });`],
  ["%o long arrays, maps, primitives", `console.log("%o", Array.from({ length: 27 }, (_, i) => i + 1));\nconsole.log("%o", new Map([[1, 2]]), new Set([1]));\nconsole.log("%o", "str", 5, null, undefined);`],
];

function runNode(code: string) {
  const r = spawnSync(process.execPath, ["-e", code], { env: { PATH: process.env.PATH ?? "", TZ: "UTC" }, encoding: "utf8" });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
}

async function compare(code: string) {
  const expected = runNode(code);
  const got = await executor.execute({ runtime: "node", code });
  expect({ stdout: got.stdout, stderr: got.stderr, exitCode: got.exitCode }).toEqual(expected);
}

describe("Intl (en-US) against real node", () => {
  for (const [name, code] of INTL_CASES) it(name, () => compare(code));
  it("other locales fall back to en-US", async () => {
    const got = await executor.execute({ runtime: "node", code: `console.log(new Intl.NumberFormat("de-DE").format(1234.5), (1234.5).toLocaleString("fr-FR"));` });
    expect(got.stdout).toBe("1,234.5 1,234.5\n");
  });
  it("bun has the same Intl", async () => {
    const got = await executor.execute({ runtime: "bun", code: `console.log((1234567.891).toLocaleString(), ["b", "a"].sort((x, y) => x.localeCompare(y)).join());` });
    expect(got.stdout).toBe("1,234,567.891 a,b\n");
  });
});

describe("console.log %o against real node", () => {
  for (const [name, code] of PERCENT_O_CASES) it(name, () => compare(code));
});
