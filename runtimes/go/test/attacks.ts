import { SPY_WAIT_MS, type AttackPrograms } from "../../../test/security/attacks.js";

const q = JSON.stringify;
const prog = (imports: string[], body: string, extra = "") => ({
  code: `package main

import (
${[...new Set(["fmt", "os", ...imports])].map((i) => `\t"${i}"`).join("\n")}
)

var _ = os.Exit

func show(label string, v interface{}, err error) {
\tif err != nil {
\t\tfmt.Println(label + "=ERR")
\t\treturn
\t}
\ts := fmt.Sprintf("%q", fmt.Sprint(v))
\tif len(s) > 300 {
\t\ts = s[:300]
\t}
\tfmt.Println(label + "=OK:" + s)
}

func list(p string) (interface{}, error) {
\tes, err := os.ReadDir(p)
\tnames := []string{}
\tfor _, e := range es {
\t\tnames = append(names, e.Name())
\t}
\treturn names, err
}

func read(p string) (interface{}, error) {
\tb, err := os.ReadFile(p)
\treturn string(b), err
}
${extra}
func main() {
${body}
\tfmt.Println("DONE")
}
`,
});

export const programs: AttackPrograms = {
  "read-host-files": (c) =>
    prog(
      [],
      `\tv, err := read(${q(c.canaryFile)})
\tshow("abs", v, err)
\tv, err = read(${q(c.climb)})
\tshow("climb", v, err)
\tv, err = list(${q(c.canaryDir)})
\tshow("listdir", v, err)
\tv, err = list("/")
\tshow("root", v, err)
\tv, err = read("/proc/self/environ")
\tshow("environ", v, err)
\tv, err = read("/proc/self/cmdline")
\tshow("cmdline", v, err)`,
    ),
  "write-host-files": (c) =>
    prog(
      [],
      `\tshow("write-abs", nil, os.WriteFile(${q(c.writeFile)}, []byte("pwned"), 0o644))
\tshow("write-climb", nil, os.WriteFile(${q(c.writeClimb)}, []byte("pwned"), 0o644))
\tshow("delete-abs", nil, os.Remove(${q(c.victimFile)}))
\tshow("delete-climb", nil, os.Remove(${q(c.victimClimb)}))
\tshow("truncate", nil, os.Truncate(${q(c.victimFile)}, 0))`,
    ),
  "host-env": (c) =>
    prog(
      [],
      `\tshow("environ", os.Environ(), nil)
\tv, ok := os.LookupEnv(${q(c.envName)})
\tif ok {
\t\tshow("getenv", v, nil)
\t}`,
    ),
  network: (c) =>
    prog(
      ["net", "net/http", "time"],
      `\tconn, err := net.DialTimeout("tcp", "127.0.0.1:${c.port}", 2*time.Second)
\tshow("tcp", conn, err)
\tres, err := http.Get("http://127.0.0.1:${c.port}/")
\tshow("http", res, err)
\tl, err := net.Listen("tcp", "127.0.0.1:0")
\tshow("listen", l, err)`,
    ),
  dns: () =>
    prog(
      ["net"],
      `\tfor _, name := range []string{"localhost", "example.com"} {
\t\taddrs, err := net.LookupHost(name)
\t\tif err == nil && len(addrs) > 0 {
\t\t\tfmt.Println("RESOLVED", name, addrs)
\t\t} else {
\t\t\tfmt.Println("dns=ERR")
\t\t}
\t}`,
    ),
  "spawn-process": (c) =>
    prog(
      ["os/exec"],
      `\tcmd := "printf %s%s PWN ED; touch ${c.spawnMarker}"
\tout, err := exec.Command("sh", "-c", cmd).Output()
\tshow("exec", string(out), err)
\tp, err := os.StartProcess("/bin/sh", []string{"sh", "-c", cmd}, &os.ProcAttr{})
\tshow("start-process", p, err)`,
    ),
  "host-javascript": (c) => ({
    ...prog(
      [],
      `\tshow("wasmimport", evalJs(1), nil)
\tshow("canary", ${q(c.canaryFile)}, nil)`,
      `
// A host function the guest was never given: linking must fail, not reach JavaScript.
//go:wasmimport env eval
func evalJs(x int32) int32
`,
    ),
    noDone: "a //go:wasmimport of a host function must fail to link",
  }),
  "leave-state": () => ({
    ...prog(
      [],
      `\tleft++
\tos.Setenv("LEFT", "1")
\tshow("cwd", nil, os.WriteFile("left.txt", []byte("x"), 0o644))
\tshow("tmp", nil, os.WriteFile("/tmp/left.txt", []byte("x"), 0o644))`,
      "var left = 0\n",
    ),
    then: prog(
      [],
      `\tif left != 0 {
\t\tfmt.Println("found:global")
\t}
\tif _, ok := os.LookupEnv("LEFT"); ok {
\t\tfmt.Println("found:env")
\t}
\tif _, err := os.Stat("left.txt"); err == nil {
\t\tfmt.Println("found:cwd-file")
\t}
\tif _, err := os.Stat("/tmp/left.txt"); err == nil {
\t\tfmt.Println("found:tmp-file")
\t}`,
      "var left = 0\n",
    ),
  }),
  "spy-on-concurrent": () =>
    prog(
      ["io", "time"],
      `\tb, _ := io.ReadAll(os.Stdin)
\tfmt.Println("own=" + string(b))
\ttime.Sleep(${SPY_WAIT_MS} * time.Millisecond)
\tfor _, p := range []string{"/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1"} {
\t\tv, err := read(p)
\t\tshow(p, v, err)
\t}
\tv, err := list("/proc")
\tshow("proc", v, err)
\tv, err = list("/tmp")
\tshow("tmp", v, err)`,
    ),
};
