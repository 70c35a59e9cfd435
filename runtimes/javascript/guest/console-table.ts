// @ts-nocheck
/**
 * GUEST code (loaded on first use): `console.table`, as Node 20 lays it out (lib/internal/console/
 * constructor.js and lib/internal/cli_table.js): left-aligned cells, values shown by util.inspect
 * at depth 0 with at most 3 array items, column widths in terminal cells.
 */
export const consoleTableModule = function (module, exports, require, internal) {
  const tag = (v) => Object.prototype.toString.call(v);
  function inspectCell(v) {
    const depth = v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
    return internal.inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity, colors: false });
  }
  // Terminal cells of a string: East Asian wide characters take two, combining marks none.
  function width(s) {
    let w = 0;
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) continue;
      const wide =
        (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
        (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
        (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
      w += wide ? 2 : 1;
    }
    return w;
  }
  function render(head, columns) {
    const widths = head.map(width);
    const longest = Math.max(...columns.map((c) => c.length));
    const rows = [];
    for (let i = 0; i < head.length; i++) {
      const column = columns[i];
      for (let j = 0; j < longest; j++) {
        if (rows[j] === undefined) rows[j] = [];
        const value = (rows[j][i] = Object.prototype.hasOwnProperty.call(column, j) ? column[j] : "");
        widths[i] = Math.max(widths[i] || 0, width(value));
      }
    }
    const row = (cells) => `│ ${cells.map((c, i) => c + " ".repeat(widths[i] - width(c))).join(" │ ")} │`;
    const divider = widths.map((w) => "─".repeat(w + 2));
    let out = `┌${divider.join("┬")}┐\n${row(head)}\n├${divider.join("┼")}┤\n`;
    for (const r of rows) out += `${row(r)}\n`;
    return out + `└${divider.join("┴")}┘`;
  }
  const indexes = (n) => Array.from({ length: n }, (_, i) => inspectCell(i));

  /** The table's text, or undefined when Node would log the value as is. */
  exports.table = function (data, properties) {
    if (properties !== undefined && !Array.isArray(properties)) {
      const e = new TypeError(`The "properties" argument must be an instance of Array. Received ${internal.describe(properties)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    if (data === null || typeof data !== "object") return undefined;
    const t = tag(data);
    if (t === "[object Map]" || t === "[object Map Iterator]") {
      const keys = [];
      const values = [];
      let n = 0;
      for (const entry of t === "[object Map]" ? data : Array.from(data)) {
        const [k, v] = Array.isArray(entry) ? entry : [n, entry];
        keys.push(inspectCell(k));
        values.push(inspectCell(v));
        n++;
      }
      return render(["(iteration index)", "Key", "Values"], [indexes(n), keys, values]);
    }
    if (t === "[object Set]" || t === "[object Set Iterator]") {
      const values = [];
      for (const v of data) values.push(inspectCell(v));
      return render(["(iteration index)", "Values"], [indexes(values.length), values]);
    }
    const map = Object.create(null);
    let hasPrimitives = false;
    const valuesColumn = [];
    const indexColumn = Object.keys(data);
    for (let i = 0; i < indexColumn.length; i++) {
      const item = data[indexColumn[i]];
      const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesColumn[i] = inspectCell(item);
      } else {
        const keys = properties || Object.keys(item);
        for (const key of keys) {
          map[key] ??= [];
          if ((primitive && properties) || !Object.prototype.hasOwnProperty.call(item, key)) map[key][i] = "";
          else map[key][i] = inspectCell(item[key]);
        }
      }
    }
    const head = Object.keys(map);
    const columns = Object.values(map);
    if (hasPrimitives) {
      head.push("Values");
      columns.push(valuesColumn);
    }
    head.unshift("(index)");
    columns.unshift(indexColumn);
    return render(head, columns);
  };
};
