/** fast-check arbitraries for hostile requests: wrong types, odd Unicode, NUL, prototype keys, deep and huge values. */
import fc from "fast-check";
import { RUNTIME_NAMES } from "wasmbox";

export const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
    "main.py", "a\0b", "main.py\0.txt", "../x", "a/../../etc/passwd", "/etc/passwd", "", ".", "./a", "a//b", "a/",
    "C:\\x", "a\\b", "\u202eexe.py", "\uD800", "\uDFFF\uD800", "😀/😀.py", "\u0000", "\n", " ", "con", "a".repeat(1025),
  ),
);

/** Nested objects/arrays `depth` levels deep. */
export const deep = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

export const anyValue = fc.oneof(
  fc.anything(),
  oddString,
  fc.constantFrom(null, undefined, NaN, Infinity, -1, 0, 1.5, 2 ** 53, true, [], {}, deep(50), deep(1000)),
);

/** Records whose keys include real own `__proto__`/`constructor` properties (as JSON.parse makes them). */
export const hostileRecord = fc
  .array(fc.tuple(oddString, fc.oneof(fc.string(), anyValue)), { maxLength: 6 })
  .map((pairs) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
    return o;
  });

export const protoRecords = [
  JSON.parse('{"__proto__": "print(1)"}'),
  JSON.parse('{"__proto__": {"polluted": "yes"}, "main.py": "print(1)"}'),
  JSON.parse('{"constructor": "x", "prototype": "y", "main.rb": "puts 1"}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
] as Record<string, unknown>[];

/** Request-shaped values: each field is sometimes right, sometimes the wrong type or an odd value. */
export const requestLike = fc.record(
  {
    runtime: fc.oneof(fc.constantFrom(...RUNTIME_NAMES), anyValue),
    code: fc.oneof(fc.string(), anyValue),
    files: fc.oneof(hostileRecord, fc.constantFrom(...protoRecords), anyValue),
    entrypoint: fc.oneof(oddString, anyValue),
    stdin: fc.oneof(fc.string(), anyValue),
    timeout: fc.oneof(fc.integer({ min: -10, max: 400_000 }), anyValue),
    env: fc.oneof(hostileRecord, fc.constantFrom(...protoRecords), anyValue),
    args: fc.oneof(fc.array(oddString, { maxLength: 4 }), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);
