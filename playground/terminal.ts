/**
 * The playground's terminal (xterm.js): shows a running program's output as it is written and,
 * when stdin is interactive, edits a line locally (echo, Backspace) and sends it on Enter;
 * Ctrl-D sends what is typed and ends the input, Ctrl-C stops the program.
 */
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";

export interface TerminalSession {
  write(text: string): void;
  /** Where typed input goes; undefined when the program does not read from the terminal. */
  input: { line(text: string): void; end(): void; interrupt(): void } | undefined;
}

export function createTerminal(parent: HTMLElement): { term: Terminal; attach(s: TerminalSession): () => void; clear(): void } {
  // convertEol: programs write "\n"; a terminal needs "\r\n".
  const term = new Terminal({ convertEol: true, rows: 12, fontSize: 13, cursorBlink: true, scrollback: 5000 });
  term.open(parent);
  let session: TerminalSession | undefined;
  let line = "";
  term.onData((data) => {
    const input = session?.input;
    if (!input) return;
    for (const ch of data) {
      if (ch === "\r") {
        term.write("\r\n");
        input.line(`${line}\n`);
        line = "";
      } else if (ch === "\x7f") {
        if (line.length > 0) {
          line = line.slice(0, -1);
          term.write("\b \b");
        }
      } else if (ch === "\x04") {
        if (line) input.line(line);
        line = "";
        input.end();
      } else if (ch === "\x03") {
        term.write("^C\r\n");
        input.interrupt();
      } else if (ch >= " ") {
        line += ch;
        term.write(ch);
      }
    }
  });
  return {
    term,
    attach(s) {
      session = s;
      line = "";
      return () => {
        if (session === s) session = undefined;
      };
    },
    clear() {
      term.reset();
    },
  };
}
