import { createExecutor } from "../../dist/src/index.js";
const ex = createExecutor({ concurrency: 2 });
const progs = { python: "print('hi')", node: "console.log('hi')", bun: "console.log('hi' as string)", ruby: "puts 'hi'", php: "<?php echo \"hi\\n\";", go: 'package main\nimport "fmt"\nfunc main(){ fmt.Println("hi") }\n', rust: 'fn main(){ println!("hi"); }\n' };
for (const [rt, code] of Object.entries(progs)) {
  for (let i = 0; i < 2; i++) {
  const t = performance.now();
  try { const r = await ex.execute({ runtime: rt, code }); console.log(rt, (performance.now()-t).toFixed(0), JSON.stringify(r)); }
  catch (e) { console.log(rt, "ERR", e.code, e.message); }
  }
}
await ex.close();
