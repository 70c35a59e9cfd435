/** The program shown when a runtime is picked: reads a name from stdin, shows args, as the README's example. */
import type { RuntimeName } from "../src/request.js";

export interface Example {
  code: string;
  stdin: string;
  args: string;
}

export const EXAMPLES: Record<RuntimeName, Example> = {
  python: {
    code: `import sys\n\nname = sys.stdin.readline().strip()\nprint(f"Hello, {name}!")\nprint("args:", sys.argv[1:])\nprint(sum([1, 2, 3, 4, 5]))\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  node: {
    code: `const name = require("fs").readFileSync(0, "utf8").trim();\nconsole.log(\`Hello, \${name}!\`);\nconsole.log("args:", process.argv.slice(2));\nconsole.log([1, 2, 3, 4, 5].reduce((a, b) => a + b));\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  bun: {
    code: `interface Greeting { name: string }\nconst g: Greeting = { name: require("fs").readFileSync(0, "utf8").trim() };\nconsole.log(\`Hello, \${g.name}!\`);\nconsole.log("args:", process.argv.slice(2));\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  ruby: {
    code: `puts "Hello, #{$stdin.gets.chomp}!"\nputs "args: #{ARGV.inspect}"\nputs (1..5).sum\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  php: {
    code: `<?php\n$name = trim(fgets(STDIN));\necho "Hello, $name!\\n";\necho "args: ", json_encode(array_slice($argv, 1)), "\\n";\necho array_sum([1, 2, 3, 4, 5]), "\\n";\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  go: {
    code: `package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tname, _ := bufio.NewReader(os.Stdin).ReadString('\\n')\n\tfmt.Printf("Hello, %s!\\n", name[:len(name)-1])\n\tfmt.Println("args:", os.Args[1:])\n}\n`,
    stdin: "World\n",
    args: "--verbose",
  },
  rust: {
    code: `use std::io::BufRead;\n\nfn main() {\n    let name = std::io::stdin().lock().lines().next().unwrap().unwrap();\n    println!("Hello, {}!", name);\n    println!("args: {:?}", std::env::args().skip(1).collect::<Vec<_>>());\n}\n`,
    stdin: "World\n",
    args: "--verbose",
  },
};
