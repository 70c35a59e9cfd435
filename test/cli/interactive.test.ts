/**
 * `wasmbox run` in a real terminal (tmux): output appears as the program writes it, typed lines
 * reach its stdin, Ctrl-D ends its input, Ctrl-C stops it with exit 130 keeping what it printed.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { CLI, project } from "./helpers.js";

const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
let noGo: string | undefined;
{
  const ex = createExecutor();
  try {
    await ex.runtime("go");
  } catch (e) {
    noGo = (e as Error).message;
  }
  await ex.close();
}

const dir = project({
  "echo.py": 'while True:\n    try:\n        s = input("name? ")\n    except EOFError:\n        break\n    print("hi " + s)\nprint("bye")\n',
  "echo.go":
    'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tsc := bufio.NewScanner(os.Stdin)\n\tfor {\n\t\tfmt.Print("name? ")\n\t\tif !sc.Scan() {\n\t\t\tbreak\n\t\t}\n\t\tfmt.Println("hi " + sc.Text())\n\t}\n\tfmt.Println("bye")\n}\n',
});

const sessions: string[] = [];
afterAll(() => {
  for (const s of sessions) {
    try {
      execFileSync("tmux", ["kill-session", "-t", s], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
});

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });

/** Starts `wasmbox run <file>` in a detached terminal; the shell prints EXIT=<status> after it. */
function terminal(file: string) {
  const name = `wasmbox-live-${process.pid}-${sessions.length}`;
  sessions.push(name);
  tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "-c", dir, `${process.execPath} ${CLI} run ${file}; echo EXIT=$?; sleep 600`);
  const screen = () => tmux("capture-pane", "-p", "-t", name);
  return {
    screen,
    keys: (...keys: string[]) => tmux("send-keys", "-t", name, ...keys),
    async until(pattern: RegExp, ms = 120_000): Promise<string> {
      const end = Date.now() + ms;
      for (;;) {
        const s = screen();
        if (pattern.test(s)) return s;
        if (Date.now() > end) throw new Error(`the terminal never showed ${pattern}; it shows:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

describe.skipIf(!hasTmux)("wasmbox run at a terminal", () => {
  for (const [file, skip] of [
    ["echo.py", undefined],
    ["echo.go", noGo],
  ] as const) {
    it.skipIf(skip)(`${file}: prompts stream, typed lines are answered, Ctrl-D ends the input`, { timeout: 240_000 }, async () => {
      const t = terminal(file);
      await t.until(/name\?\s*$/);
      t.keys("Ann", "Enter");
      await t.until(/hi Ann\nname\?\s*$/);
      t.keys("Bob", "Enter");
      await t.until(/hi Bob\nname\?\s*$/);
      t.keys("C-d");
      const s = await t.until(/EXIT=\d+/);
      expect(s).toMatch(/bye\nEXIT=0/);
    });

    it.skipIf(skip)(`${file}: Ctrl-C stops a program waiting for input, exit 130, its output kept`, { timeout: 240_000 }, async () => {
      const t = terminal(file);
      await t.until(/name\?\s*$/);
      t.keys("Ann", "Enter");
      await t.until(/hi Ann\nname\?\s*$/);
      t.keys("C-c");
      const s = await t.until(/EXIT=\d+/, 10_000);
      expect(s).toMatch(/name\? Ann\nhi Ann\nname\? ?(\^C)?\s*EXIT=130/);
    });
  }
});
