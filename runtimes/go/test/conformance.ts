import type { Programs } from "../../../test/conformance/cases.js";

const main = (imports: string[], body: string) =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"`).join("\n")}\n)\n\nfunc main() {\n${body}\n}\n`;

export const programs: Programs = {
  hello: { code: main(["fmt"], '\tfmt.Println("Hello, World!")') },
  unicode: { code: main(["fmt"], '\tfmt.Println("héllo wörld ✓ 日本語 🎉")') },
  "stdin-transform": {
    code: main(
      ["bufio", "fmt", "os", "strings"],
      "\tsc := bufio.NewScanner(os.Stdin)\n\tfor sc.Scan() {\n\t\tfmt.Println(strings.ToUpper(sc.Text()))\n\t}",
    ),
  },
  "stdin-eof": {
    code: main(["fmt", "io", "os"], '\tdata, err := io.ReadAll(os.Stdin)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Printf("read %d bytes\\n", len(data))'),
  },
  "exit-code": { code: main(["fmt", "os"], '\tfmt.Println("before")\n\tos.Exit(3)') },
  "uncaught-error": {
    code: 'package main\n\nimport "errors"\n\nfunc fail() {\n\tpanic(errors.New("boom"))\n}\n\nfunc main() {\n\tfail()\n}\n',
  },
  "stdout-stderr": {
    code: main(
      ["fmt", "os"],
      '\tfmt.Fprintln(os.Stdout, "out 1")\n\tfmt.Fprintln(os.Stderr, "err 1")\n\tfmt.Fprintln(os.Stdout, "out 2")\n\tfmt.Fprintln(os.Stderr, "err 2")',
    ),
  },
  env: {
    code: main(
      ["fmt", "os"],
      '\tfmt.Println(os.Getenv("GREETING"))\n\tif _, ok := os.LookupEnv("HOME_CANARY"); ok {\n\t\tfmt.Println("set")\n\t} else {\n\t\tfmt.Println("unset")\n\t}',
    ),
  },
  args: { code: main(["fmt", "os", "strings"], '\tfmt.Println(strings.Join(os.Args[1:], "|"))') },
  "multiple-files": {
    files: {
      "go.mod": "module example.com/hello\n\ngo 1.21\n",
      "main.go": main(["fmt", "example.com/hello/greeter"], '\tfmt.Println(greeter.Greet("World"))'),
      "greeter/greeter.go": 'package greeter\n\nimport "fmt"\n\nfunc Greet(name string) string {\n\treturn fmt.Sprintf("Hello, %s!", name)\n}\n',
    },
    entrypoint: "main.go",
  },
  "write-read-file": {
    files: {
      "main.go": main(
        ["fmt", "os"],
        '\tif err := os.WriteFile("out.txt", []byte("data 42"), 0o644); err != nil {\n\t\tpanic(err)\n\t}\n' +
          '\tfor _, name := range []string{"out.txt", "input.txt"} {\n\t\tb, err := os.ReadFile(name)\n\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n\t\tfmt.Println(string(b))\n\t}',
      ),
      "input.txt": "from request",
    },
    entrypoint: "main.go",
  },
  "large-output": {
    code: main(["bufio", "fmt", "os"], '\tw := bufio.NewWriter(os.Stdout)\n\tdefer w.Flush()\n\tfor i := 1; i <= 50000; i++ {\n\t\tfmt.Fprintf(w, "line %d\\n", i)\n\t}'),
  },
  recursion: {
    code:
      'package main\n\nimport "fmt"\n\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n\n' +
      "func deep(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn 1 + deep(n-1)\n}\n\nfunc main() {\n\tfmt.Println(fib(25))\n\tfmt.Println(deep(5000))\n}\n",
  },
  "stack-frames": {
    code: [
      "package main",
      "",
      'import (\n\t"fmt"\n\t"path"\n\t"runtime"\n\t"strings"\n)',
      "",
      "// The frames `go run main.go` shows for this program: functions, and lines in main.go.",
      'var expected = []string{"main.f main.go:15", "main.g main.go:37", "main.main main.go:41", "runtime.main", "runtime.goexit"}',
      "",
      "func f() {",
      "\tpc := make([]uintptr, 32)",
      "\tn := runtime.Callers(1, pc)",
      "\tframes := runtime.CallersFrames(pc[:n])",
      "\tvar got []string",
      "\tfor {",
      "\t\tfr, more := frames.Next()",
      "\t\tname := fr.Function",
      '\t\tif strings.HasPrefix(name, "main.") {',
      '\t\t\tname += fmt.Sprintf(" %s:%d", path.Base(fr.File), fr.Line)',
      "\t\t}",
      "\t\tgot = append(got, name)",
      "\t\tif !more {",
      "\t\t\tbreak",
      "\t\t}",
      "\t}",
      '\tif strings.Join(got, "\\n") == strings.Join(expected, "\\n") {\n\t\tfmt.Println("ok")\n\t} else {\n\t\tfmt.Println(strings.Join(got, "\\n"))\n\t}',
      "}",
      "",
      "func g() {\n\tf()\n}",
      "",
      "func main() {\n\tg()\n}",
      "",
    ].join("\n"),
  },
  "traceback-location": {
    code: 'package main\n\nfunc f() {\n\tpanic("deep boom") // @frame\n}\n\nfunc g() {\n\tf() // @frame\n}\n\nfunc main() {\n\tg() // @frame\n}\n',
  },
  // Go has no warnings of its own: the standard logger, asked to, names the line it is called from.
  "warning-location": {
    code: 'package main\n\nimport (\n\t"fmt"\n\t"log"\n)\n\nfunc main() {\n\tlog.SetFlags(log.Lshortfile)\n\tlog.Print("careful") // @warn\n\tfmt.Println("done")\n}\n',
  },
};
