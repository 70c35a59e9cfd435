import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

const p = (imports: string[], body: string, extra = "") =>
  `package main

import (
${[...new Set(["os", ...imports])].map((i) => `\t"${i}"`).join("\n")}
)
${extra}
func main() {
\tif os.Getenv("PRIME") != "" {
\t\tos.Exit(0)
\t}
${body}
}
`;
const flood = (s: string) => p(["bytes"], `\tc := bytes.Repeat([]byte("x"), 65536)\n\tfor i := 0; i < 16384; i++ {\n\t\tos.${s}.Write(c)\n\t}`);

export const programs: WorkloadPrograms = {
  "cpu-loop": p([], "\tfor {\n\t}"),
  "sleep-loop": p(["time"], "\tfor {\n\t\ttime.Sleep(100 * time.Millisecond)\n\t}"),
  "deep-recursion": p([], "\tf(0)", "\nfunc f(n int) int {\n\treturn f(n+1) + 1\n}\n"),
  "thread-bomb": p(["time"], "\tfor {\n\t\tgo func() {\n\t\t\ttime.Sleep(time.Hour)\n\t\t}()\n\t}"),
  "memory-bomb-fast": p([], "\tvar a [][]byte\n\tfor {\n\t\tb := make([]byte, 10<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\ta = append(a, b)\n\t}"),
  "memory-bomb-slow": p([], "\tvar a [][]byte\n\tfor {\n\t\tb := make([]byte, 65536)\n\t\tb[0] = 1\n\t\ta = append(a, b)\n\t}"),
  "flood-stdout": flood("Stdout"),
  "flood-stderr": flood("Stderr"),
  "huge-line": p(["bytes"], '\tos.Stdout.Write(bytes.Repeat([]byte("x"), 8_000_000))'),
  "binary-output": p([], `\tos.Stdout.Write([]byte{${BINARY.join(", ")}})`),
  "close-stdout": p(["fmt"], '\tfmt.Println("before")\n\tos.Stdout.Close()\n\tfmt.Println("after")\n\tfmt.Fprintln(os.Stderr, "still here")'),
  "stdin-after-eof": p(
    ["fmt", "io", "strings"],
    '\tb, _ := io.ReadAll(os.Stdin)\n\tfmt.Println("got=" + strings.TrimSpace(string(b)))\n\tfor i := 0; i < 3; i++ {\n\t\tb, _ = io.ReadAll(os.Stdin)\n\t\tif len(b) == 0 {\n\t\t\tfmt.Println("EOF")\n\t\t} else {\n\t\t\tfmt.Println("MORE")\n\t\t}\n\t}',
  ),
};
