// @ts-nocheck
/**
 * GUEST code (runs inside QuickJS; serialized with Function.prototype.toString, so it may not
 * refer to anything outside itself). QuickJS has no `Intl`; this is a small en-US one that prints
 * what Node (ICU) prints for the calls programs make: number grouping, fraction digits, currency
 * and percent, dates and times in en-US patterns, `localeCompare`/`Collator` in ICU root order,
 * plural rules, list and relative-time formats. Every locale falls back to en-US (the guest has
 * no locale data), and every time zone but UTC falls back to UTC (the guest's clock is UTC).
 */
export const intlModule = function (module, exports, require, internal) {
  const LOCALE = "en-US";
  function rangeError(msg) {
    return new RangeError(msg);
  }
  function digitsOption(options, name, min, max, fallback) {
    const v = options[name];
    if (v === undefined) return fallback;
    const n = Math.floor(Number(v));
    if (!(n >= min && n <= max)) throw rangeError(`${name} value is out of range.`);
    return n;
  }

  // ---- numbers --------------------------------------------------------------------------------
  // ICU rounds the shortest decimal form of a double (1.005 -> "1.01"), not its binary value, so
  // rounding works on the digits of String(x).
  function decimalDigits(x) {
    const [mant, expPart] = String(x).split("e");
    const exp = expPart === undefined ? 0 : Number(expPart);
    const [int, frac = ""] = mant.split(".");
    let digits = (int + frac).replace(/^0+/, "");
    const lead = (int + frac).length - digits.length;
    // value = 0.digits * 10^point
    let point = int.length + exp - lead;
    if (digits === "") (digits = "0"), (point = 1);
    return { digits, point };
  }
  // Round to `keep` digits after the decimal point (negative: before it), half away from zero;
  // returns the integer and fraction digit strings.
  function roundFraction(d, keep) {
    let { digits, point } = d;
    const cut = point + keep;
    if (cut < 0) return { int: "0", frac: "".padEnd(Math.max(0, keep), "0") };
    if (digits.length > cut) {
      const up = digits.charCodeAt(cut) >= 53;
      digits = digits.slice(0, cut);
      if (up) {
        const arr = digits.split("");
        let i = arr.length - 1;
        while (i >= 0 && arr[i] === "9") arr[i--] = "0";
        if (i < 0) {
          arr.unshift("1");
          point += 1;
        } else arr[i] = String(Number(arr[i]) + 1);
        digits = arr.join("");
      }
    }
    digits = digits.padEnd(Math.max(point, point + keep), "0");
    const intDigits = point > 0 ? digits.slice(0, point) : "0";
    const frac = keep <= 0 ? "" : point >= 0 ? digits.slice(point, point + keep) : "".padEnd(-point, "0") + digits.slice(0, keep + point);
    return { int: intDigits.replace(/^0+(?=\d)/, "") || "0", frac: frac.padEnd(Math.max(0, keep), "0") };
  }
  function roundSignificant(d, maxSig) {
    return roundFraction(d, d.digits === "0" ? 0 : maxSig - d.point);
  }
  function group(int, useGrouping) {
    if (useGrouping === false || (useGrouping === "min2" && int.length < 5)) return int;
    return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  const CURRENCIES = { USD: "$", EUR: "€", GBP: "£", JPY: "¥", INR: "₹", CNY: "CN¥", CAD: "CA$", AUD: "A$", KRW: "₩", BRL: "R$", MXN: "MX$", ILS: "₪", VND: "₫", NZD: "NZ$", HKD: "HK$", TWD: "NT$", PHP: "₱" };
  const CURRENCY_NAMES = { USD: ["US dollar", "US dollars"], EUR: ["euro", "euros"], GBP: ["British pound", "British pounds"], JPY: ["Japanese yen", "Japanese yen"], INR: ["Indian rupee", "Indian rupees"], CAD: ["Canadian dollar", "Canadian dollars"], AUD: ["Australian dollar", "Australian dollars"], CNY: ["Chinese yuan", "Chinese yuan"] };
  const ZERO_DIGIT_CURRENCIES = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG"]);
  const COMPACT = [
    [1e12, "T", " trillion"],
    [1e9, "B", " billion"],
    [1e6, "M", " million"],
    [1e3, "K", " thousand"],
  ];

  class NumberFormat {
    constructor(locales, options) {
      options = options === undefined ? {} : Object(options);
      const style = options.style === undefined ? "decimal" : String(options.style);
      if (!["decimal", "percent", "currency", "unit"].includes(style)) throw rangeError(`Value ${style} out of range for Intl.NumberFormat options property style`);
      let currency;
      if (style === "currency") {
        if (options.currency === undefined) throw new TypeError("Currency code is required with currency style.");
        currency = String(options.currency).toUpperCase();
        if (!/^[A-Z]{3}$/.test(currency)) throw rangeError(`Invalid currency code : ${options.currency}`);
      }
      const cd = currency === undefined ? 0 : ZERO_DIGIT_CURRENCIES.has(currency) ? 0 : 2;
      const notation = options.notation === undefined ? "standard" : String(options.notation);
      const defMin = style === "currency" && notation !== "compact" ? cd : 0;
      const defMax = style === "currency" && notation !== "compact" ? Math.max(cd, defMin) : style === "percent" ? 0 : notation === "compact" ? 0 : 3;
      let minFD = digitsOption(options, "minimumFractionDigits", 0, 100, undefined);
      let maxFD = digitsOption(options, "maximumFractionDigits", 0, 100, undefined);
      if (minFD === undefined) minFD = Math.min(defMin, maxFD === undefined ? defMin : maxFD);
      if (maxFD === undefined) maxFD = Math.max(defMax, minFD);
      else if (minFD > maxFD) throw rangeError("maximumFractionDigits value is out of range.");
      const minSD = digitsOption(options, "minimumSignificantDigits", 1, 21, undefined);
      const maxSD = digitsOption(options, "maximumSignificantDigits", 1, 21, undefined);
      let useGrouping = options.useGrouping === undefined ? (notation === "compact" ? "min2" : "auto") : options.useGrouping;
      if (useGrouping === "false" || useGrouping === false) useGrouping = false;
      else if (useGrouping === true || useGrouping === "true") useGrouping = "always";
      this._o = {
        locale: LOCALE,
        numberingSystem: "latn",
        style,
        currency,
        currencyDisplay: options.currencyDisplay === undefined ? "symbol" : String(options.currencyDisplay),
        unit: options.unit,
        unitDisplay: options.unitDisplay === undefined ? "short" : String(options.unitDisplay),
        minimumIntegerDigits: digitsOption(options, "minimumIntegerDigits", 1, 21, 1),
        minimumFractionDigits: minFD,
        maximumFractionDigits: maxFD,
        minimumSignificantDigits: minSD === undefined && maxSD !== undefined ? 1 : minSD,
        maximumSignificantDigits: maxSD === undefined && minSD !== undefined ? 21 : maxSD,
        useGrouping,
        notation,
        explicitFraction: options.minimumFractionDigits !== undefined || options.maximumFractionDigits !== undefined,
        compactDisplay: options.compactDisplay === undefined ? "short" : String(options.compactDisplay),
        signDisplay: options.signDisplay === undefined ? "auto" : String(options.signDisplay),
      };
      this.format = this.format.bind(this);
    }
    format(value) {
      const o = this._o;
      let x = typeof value === "bigint" ? value : Number(value);
      if (typeof x === "bigint") {
        const neg = x < 0n;
        const int = (neg ? -x : x).toString();
        return this._assemble(neg, group(int.padStart(o.minimumIntegerDigits, "0"), o.useGrouping) + (o.minimumFractionDigits ? "." + "0".repeat(o.minimumFractionDigits) : ""), int === "0");
      }
      const neg = x < 0 || Object.is(x, -0);
      if (Number.isNaN(x)) return this._assemble(false, "NaN", false);
      x = Math.abs(x);
      if (o.style === "percent") x = Number(`${decimalDigits(x).digits}e${decimalDigits(x).point - decimalDigits(x).digits.length + 2}`);
      if (x === Infinity) return this._assemble(neg, "∞", false);
      let suffix = "";
      if (o.notation === "compact") {
        for (const [size, short, long] of COMPACT) {
          if (x >= size * 0.9995 || x >= size) {
            const scaled = x / size;
            if (roundSignificant(decimalDigits(scaled), 2).int.length <= 3 || size === 1e12) {
              x = scaled;
              suffix = o.compactDisplay === "long" ? long : short;
              break;
            }
          }
        }
      }
      let r;
      const d = decimalDigits(x);
      if (o.maximumSignificantDigits !== undefined) {
        r = roundSignificant(d, o.maximumSignificantDigits);
        let frac = r.frac.replace(/0+$/, "");
        const sig = (r.int === "0" ? "" : r.int) + frac;
        const haveSig = sig.replace(/^0+/, "").length;
        if (haveSig < o.minimumSignificantDigits) frac = frac.padEnd(frac.length + (o.minimumSignificantDigits - Math.max(haveSig, r.int === "0" ? 1 : 0) - (r.int === "0" && haveSig === 0 ? 0 : 0)), "0");
        r = { int: r.int, frac };
      } else if (o.notation === "compact" && !o.explicitFraction) {
        // Compact notation keeps two significant digits below 100 and whole numbers above.
        r = d.point >= 2 ? roundFraction(d, 0) : roundSignificant(d, 2);
        r = { int: r.int, frac: r.frac.replace(/0+$/, "") };
      } else {
        r = roundFraction(d, o.maximumFractionDigits);
        let frac = r.frac;
        while (frac.length > o.minimumFractionDigits && frac.endsWith("0")) frac = frac.slice(0, -1);
        r = { int: r.int, frac };
      }
      const isZero = /^0*$/.test(r.int + r.frac);
      const body = group(r.int.padStart(o.minimumIntegerDigits, "0"), o.useGrouping) + (r.frac ? "." + r.frac : "") + suffix;
      return this._assemble(neg, body, isZero);
    }
    _assemble(neg, body, isZero) {
      const o = this._o;
      let sign = "";
      const sd = o.signDisplay;
      if (sd === "always") sign = neg ? "-" : "+";
      else if (sd === "exceptZero") sign = isZero ? "" : neg ? "-" : "+";
      else if (sd === "negative") sign = neg && !isZero ? "-" : "";
      else if (sd !== "never") sign = neg ? "-" : "";
      if (o.style === "percent") return `${sign}${body}%`;
      if (o.style === "currency") {
        const c = o.currency;
        if (o.currencyDisplay === "code") return `${sign}${c}\u00a0${body}`;
        if (o.currencyDisplay === "name") {
          const names = CURRENCY_NAMES[c] || [c, c];
          return `${sign}${body} ${body === "1.00" || body === "1" ? names[0] : names[1]}`;
        }
        const sym = CURRENCIES[c];
        return sym === undefined ? `${sign}${c}\u00a0${body}` : `${sign}${sym}${body}`;
      }
      if (o.style === "unit" && o.unit !== undefined) return `${sign}${body} ${unitLabel(o.unit, o.unitDisplay, body)}`;
      return sign + body;
    }
    formatToParts(value) {
      const s = this.format(value);
      const parts = [];
      const re = /(\d+)|([.,])|([^\d.,]+)/g;
      let m;
      let seenDecimal = false;
      while ((m = re.exec(s))) {
        if (m[1]) parts.push({ type: seenDecimal ? "fraction" : "integer", value: m[1] });
        else if (m[2] === ".") (seenDecimal = true), parts.push({ type: "decimal", value: "." });
        else if (m[2] === ",") parts.push({ type: "group", value: "," });
        else parts.push({ type: m[3] === "-" ? "minusSign" : m[3] === "+" ? "plusSign" : m[3] === "%" ? "percentSign" : this._o.style === "currency" ? "currency" : "literal", value: m[3] });
      }
      return parts;
    }
    resolvedOptions() {
      const o = this._o;
      const r = { locale: o.locale, numberingSystem: o.numberingSystem, style: o.style };
      if (o.currency) Object.assign(r, { currency: o.currency, currencyDisplay: o.currencyDisplay, currencySign: "standard" });
      r.minimumIntegerDigits = o.minimumIntegerDigits;
      r.minimumFractionDigits = o.minimumFractionDigits;
      r.maximumFractionDigits = o.maximumFractionDigits;
      if (o.maximumSignificantDigits !== undefined) Object.assign(r, { minimumSignificantDigits: o.minimumSignificantDigits, maximumSignificantDigits: o.maximumSignificantDigits });
      Object.assign(r, { useGrouping: o.useGrouping, notation: o.notation, signDisplay: o.signDisplay, roundingIncrement: 1, roundingMode: "halfExpand", roundingPriority: "auto", trailingZeroDisplay: "auto" });
      return r;
    }
    static supportedLocalesOf() {
      return [LOCALE];
    }
  }
  function unitLabel(unit, display, body) {
    const SHORT = { kilometer: "km", meter: "m", centimeter: "cm", kilogram: "kg", gram: "g", second: "sec", minute: "min", hour: "hr", day: "day", byte: "byte", kilobyte: "kB", megabyte: "MB", gigabyte: "GB", percent: "%", liter: "L", mile: "mi", celsius: "°C", fahrenheit: "°F" };
    if (display === "long") return body === "1" ? unit : `${unit}s`;
    const s = SHORT[unit] || unit;
    return (unit === "day" || unit === "byte") && body !== "1" ? `${s}s` : s;
  }

  // ---- dates ----------------------------------------------------------------------------------
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const UTC_ZONES = new Set(["UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z"]);
  const STYLES = {
    date: { full: { weekday: "long", year: "numeric", month: "long", day: "numeric" }, long: { year: "numeric", month: "long", day: "numeric" }, medium: { year: "numeric", month: "short", day: "numeric" }, short: { year: "2-digit", month: "numeric", day: "numeric" } },
    time: { full: { hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "long" }, long: { hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "short" }, medium: { hour: "numeric", minute: "2-digit", second: "2-digit" }, short: { hour: "numeric", minute: "2-digit" } },
  };
  const FIELDS = ["weekday", "era", "year", "month", "day", "dayPeriod", "hour", "minute", "second", "fractionalSecondDigits", "timeZoneName"];

  class DateTimeFormat {
    // `required`/`defaults` are ECMA-402's ToDateTimeOptions arguments: toLocaleTimeString fills in
    // a time when no time field was asked for, even if date fields were.
    constructor(locales, options, required = "any", defaults = "date") {
      options = options === undefined ? {} : Object(options);
      const o = { locale: LOCALE, calendar: "gregory", numberingSystem: "latn", timeZone: "UTC" };
      if (options.timeZone !== undefined) {
        const tz = String(options.timeZone);
        if (!/^[A-Za-z_+\-/0-9]+$/.test(tz)) throw rangeError(`Invalid time zone specified: ${tz}`);
        // Zones other than UTC have no data here; the guest's clock is UTC, so they print as UTC.
        o.timeZone = UTC_ZONES.has(tz.toUpperCase()) ? "UTC" : tz;
      }
      const hasField = FIELDS.some((f) => options[f] !== undefined);
      if ((options.dateStyle || options.timeStyle) && hasField) throw new TypeError(`Can't set option ${FIELDS.find((f) => options[f] !== undefined)} when ${options.dateStyle ? "dateStyle" : "timeStyle"} is used`);
      let fields = {};
      if (options.dateStyle || options.timeStyle) {
        if (options.dateStyle) Object.assign(fields, STYLES.date[options.dateStyle]);
        if (options.timeStyle) Object.assign(fields, STYLES.time[options.timeStyle]);
        o.dateStyle = options.dateStyle;
        o.timeStyle = options.timeStyle;
      } else {
        for (const f of FIELDS) if (options[f] !== undefined) fields[f] = String(options[f]);
        const hasDate = ["weekday", "year", "month", "day"].some((f) => fields[f]);
        const hasTime = ["hour", "minute", "second", "dayPeriod", "fractionalSecondDigits"].some((f) => fields[f]);
        const needDefaults = required === "date" ? !hasDate : required === "time" ? !hasTime : !hasDate && !hasTime;
        if (needDefaults && (defaults === "date" || defaults === "all")) Object.assign(fields, { year: "numeric", month: "numeric", day: "numeric" });
        if (needDefaults && (defaults === "time" || defaults === "all")) Object.assign(fields, { hour: "numeric", minute: "2-digit", second: "2-digit" });
      }
      if (fields.minute) fields.minute = "2-digit";
      if (fields.second) fields.second = "2-digit";
      o.hour12 = options.hour12 !== undefined ? !!options.hour12 : options.hourCycle !== undefined ? options.hourCycle === "h12" || options.hourCycle === "h11" : true;
      // V8's en-US quirk: hour12:false picks the h24 cycle ("24:05:00"); hourCycle:"h23" does not.
      o.hourCycle = options.hourCycle !== undefined && options.hour12 === undefined ? String(options.hourCycle) : o.hour12 ? "h12" : "h24";
      this._o = o;
      this._f = fields;
      this.format = this.format.bind(this);
    }
    format(date) {
      return this.formatToParts(date).map((p) => p.value).join("");
    }
    formatToParts(date) {
      const t = date === undefined ? Date.now() : date instanceof Date ? date.getTime() : Number(date);
      if (!Number.isFinite(t)) throw rangeError("Invalid time value");
      const d = new Date(t);
      const f = this._f;
      const o = this._o;
      const parts = [];
      const lit = (value) => parts.push({ type: "literal", value });
      const part = (type, value) => parts.push({ type, value });
      const Y = d.getUTCFullYear();
      const M = d.getUTCMonth();
      const D = d.getUTCDate();
      const wd = DAYS[d.getUTCDay()];
      const two = (n) => String(n).padStart(2, "0");
      const year = f.year === "2-digit" ? two(Y % 100) : String(Y);
      const textMonth = f.month === "long" || f.month === "short" || f.month === "narrow";
      const monthText = f.month === "long" ? MONTHS[M] : f.month === "short" ? MONTHS[M].slice(0, 3) : f.month === "narrow" ? MONTHS[M][0] : f.month === "2-digit" ? two(M + 1) : String(M + 1);
      const dayText = f.day === "2-digit" ? two(D) : String(D);
      const weekday = f.weekday === "long" ? wd : f.weekday === "short" ? wd.slice(0, 3) : f.weekday === "narrow" ? wd[0] : undefined;
      // date part
      const hasDate = f.year || f.month || f.day || f.weekday;
      if (hasDate) {
        if (weekday && (f.year || f.month || f.day)) {
          part("weekday", weekday);
          lit(", ");
        } else if (weekday) part("weekday", weekday);
        if (textMonth) {
          if (f.month) part("month", monthText);
          if (f.day) (f.month ? lit(" ") : null), part("day", dayText);
          if (f.year) (f.month || f.day ? lit(f.day ? ", " : " ") : null), part("year", year);
        } else {
          const seq = [];
          if (f.month) seq.push(["month", monthText]);
          if (f.day) seq.push(["day", dayText]);
          if (f.year) seq.push(["year", year]);
          seq.forEach(([type, v], i) => {
            if (i) lit("/");
            part(type, v);
          });
        }
      }
      const hasTime = f.hour || f.minute || f.second;
      if (hasTime) {
        if (hasDate) lit(f.month === "long" ? " at " : weekday && !f.month && !f.day && !f.year ? " " : ", ");
        const h = d.getUTCHours();
        let hour = h;
        if (o.hour12) hour = h % 12 === 0 ? (o.hourCycle === "h11" ? 0 : 12) : h % 12;
        else if (o.hourCycle === "h24" && h === 0) hour = 24;
        const fields = [];
        if (f.hour) fields.push(["hour", f.hour === "2-digit" || (!o.hour12 && (f.minute || f.second)) ? two(hour) : String(hour)]);
        if (f.minute) fields.push(["minute", f.hour || f.second ? two(d.getUTCMinutes()) : String(d.getUTCMinutes())]);
        if (f.second) fields.push(["second", two(d.getUTCSeconds())]);
        fields.forEach(([type, v], i) => {
          if (i) lit(":");
          part(type, v);
        });
        if (f.hour && o.hour12) {
          lit(" ");
          part("dayPeriod", h < 12 ? "AM" : "PM");
        }
      }
      if (f.timeZoneName) {
        lit(hasDate && !hasTime ? ", " : " ");
        part("timeZoneName", f.timeZoneName === "long" ? (o.timeZone === "UTC" ? "Coordinated Universal Time" : o.timeZone) : o.timeZone);
      }
      return parts;
    }
    formatRange(a, b) {
      return `${this.format(a)} – ${this.format(b)}`;
    }
    resolvedOptions() {
      const r = { locale: this._o.locale, calendar: this._o.calendar, numberingSystem: this._o.numberingSystem, timeZone: this._o.timeZone };
      if (this._f.hour) Object.assign(r, { hourCycle: this._o.hourCycle, hour12: this._o.hour12 });
      for (const k of FIELDS) if (this._f[k] !== undefined && !this._o.dateStyle && !this._o.timeStyle) r[k] = this._f[k];
      if (this._o.dateStyle) r.dateStyle = this._o.dateStyle;
      if (this._o.timeStyle) r.timeStyle = this._o.timeStyle;
      return r;
    }
    static supportedLocalesOf() {
      return [LOCALE];
    }
  }

  // ---- collation: ICU root order, the parts that ASCII and Latin text meet ---------------------
  const PUNCT_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789";
  const ACCENT_ORDER = "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304";
  function collationElements(s, numeric, ignorePunctuation) {
    const out = [];
    const n = s.normalize("NFD");
    for (let i = 0; i < n.length; i++) {
      const ch = n[i];
      const code = ch.charCodeAt(0);
      if (code >= 0x300 && code <= 0x36f) {
        if (out.length) out[out.length - 1].accents += String.fromCharCode(0x400 + (ACCENT_ORDER.indexOf(ch) + 1 || 100 + code - 0x300));
        continue;
      }
      if (numeric && ch >= "0" && ch <= "9") {
        let j = i;
        while (j < n.length && n[j] >= "0" && n[j] <= "9") j++;
        const digits = n.slice(i, j).replace(/^0+(?=\d)/, "");
        out.push({ primary: [PUNCT_ORDER.indexOf("0"), digits.length, digits], accents: "", upper: 0 });
        i = j - 1;
        continue;
      }
      const lower = ch.toLowerCase();
      const p = PUNCT_ORDER.indexOf(ch);
      if (p >= 0) {
        if (ignorePunctuation && p < PUNCT_ORDER.indexOf("0")) continue;
        out.push({ primary: [p], accents: "", upper: 0 });
      } else if (lower >= "a" && lower <= "z") out.push({ primary: [100 + lower.charCodeAt(0)], accents: "", upper: ch !== lower ? 1 : 0 });
      else out.push({ primary: [1000 + lower.charCodeAt(0)], accents: "", upper: ch !== lower ? 1 : 0 });
    }
    return out;
  }
  function comparePrimary(a, b) {
    for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  function compareSeq(a, b, key) {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const c = key(a[i], b[i]);
      if (c) return c;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  class Collator {
    constructor(locales, options) {
      options = options === undefined ? {} : Object(options);
      const usage = options.usage === undefined ? "sort" : String(options.usage);
      this._o = {
        locale: LOCALE,
        usage,
        sensitivity: options.sensitivity === undefined ? "variant" : String(options.sensitivity),
        ignorePunctuation: !!options.ignorePunctuation,
        collation: "default",
        numeric: !!options.numeric,
        caseFirst: options.caseFirst === undefined ? "false" : String(options.caseFirst),
      };
      const self = this;
      this.compare = function (a, b) {
        return self._compare(String(a), String(b));
      };
    }
    _compare(a, b) {
      const o = this._o;
      const ea = collationElements(a, o.numeric, o.ignorePunctuation);
      const eb = collationElements(b, o.numeric, o.ignorePunctuation);
      const primary = compareSeq(ea, eb, (x, y) => comparePrimary(x.primary, y.primary));
      if (primary) return primary;
      if (o.sensitivity === "accent" || o.sensitivity === "variant") {
        const c = compareSeq(ea, eb, (x, y) => (x.accents === y.accents ? 0 : x.accents < y.accents ? -1 : 1));
        if (c) return c;
      }
      if (o.sensitivity === "case" || o.sensitivity === "variant") {
        const upperFirst = o.caseFirst === "upper" ? -1 : 1;
        const c = compareSeq(ea, eb, (x, y) => (x.upper === y.upper ? 0 : x.upper > y.upper ? upperFirst : -upperFirst));
        if (c) return c;
      }
      return 0;
    }
    resolvedOptions() {
      return Object.assign({}, this._o);
    }
    static supportedLocalesOf() {
      return [LOCALE];
    }
  }

  // ---- plural, list, relative time ------------------------------------------------------------
  class PluralRules {
    constructor(locales, options) {
      options = options === undefined ? {} : Object(options);
      this._type = options.type === "ordinal" ? "ordinal" : "cardinal";
      this._min = options.minimumFractionDigits === undefined ? 0 : Number(options.minimumFractionDigits);
    }
    select(n) {
      n = Number(n);
      if (this._type === "ordinal") {
        const i = Math.abs(n);
        if (!Number.isInteger(i)) return "other";
        if (i % 10 === 1 && i % 100 !== 11) return "one";
        if (i % 10 === 2 && i % 100 !== 12) return "two";
        if (i % 10 === 3 && i % 100 !== 13) return "few";
        return "other";
      }
      return Math.abs(n) === 1 && this._min === 0 ? "one" : "other";
    }
    resolvedOptions() {
      return { locale: LOCALE, type: this._type, minimumIntegerDigits: 1, minimumFractionDigits: this._min, maximumFractionDigits: Math.max(this._min, 3), pluralCategories: this._type === "ordinal" ? ["few", "one", "two", "other"] : ["one", "other"] };
    }
    static supportedLocalesOf() {
      return [LOCALE];
    }
  }
  class ListFormat {
    constructor(locales, options) {
      options = options === undefined ? {} : Object(options);
      this._type = options.type === undefined ? "conjunction" : String(options.type);
      this._style = options.style === undefined ? "long" : String(options.style);
    }
    format(list) {
      const items = Array.from(list, String);
      const word = this._type === "disjunction" ? "or" : this._type === "unit" ? "" : this._style === "long" ? "and" : "&";
      if (items.length <= 1) return items.join("");
      if (this._type === "unit") return items.join(this._style === "narrow" ? " " : ", ");
      if (items.length === 2) return `${items[0]} ${word} ${items[1]}`;
      return `${items.slice(0, -1).join(", ")}, ${word} ${items[items.length - 1]}`;
    }
  }
  class RelativeTimeFormat {
    constructor(locales, options) {
      options = options === undefined ? {} : Object(options);
      this._numeric = options.numeric === undefined ? "always" : String(options.numeric);
    }
    format(value, unit) {
      const u = String(unit).replace(/s$/, "");
      if (!["second", "minute", "hour", "day", "week", "month", "quarter", "year"].includes(u)) throw rangeError(`Invalid unit argument for format() '${unit}'`);
      const v = Number(value);
      if (this._numeric === "auto") {
        const AUTO = { day: { "-1": "yesterday", 0: "today", 1: "tomorrow" }, year: { "-1": "last year", 0: "this year", 1: "next year" }, month: { "-1": "last month", 0: "this month", 1: "next month" }, week: { "-1": "last week", 0: "this week", 1: "next week" }, second: { 0: "now" } };
        const w = AUTO[u] && AUTO[u][String(v)];
        if (w) return w;
      }
      const abs = new NumberFormat().format(Math.abs(v));
      const label = abs === "1" ? u : `${u}s`;
      return v < 0 || Object.is(v, -0) ? `${abs} ${label} ago` : `in ${abs} ${label}`;
    }
  }

  // These three may be called without `new`, as ECMA-402 allows.
  function callable(C) {
    const F = { [C.name]: function (locales, options) {
      return new C(locales, options);
    } }[C.name];
    F.prototype = C.prototype;
    F.supportedLocalesOf = C.supportedLocalesOf;
    Object.defineProperty(C.prototype, "constructor", { value: F, writable: true, configurable: true });
    return F;
  }
  const Intl = {
    NumberFormat: callable(NumberFormat),
    DateTimeFormat: callable(DateTimeFormat),
    Collator: callable(Collator),
    PluralRules,
    ListFormat,
    RelativeTimeFormat,
    getCanonicalLocales: (l) => (l === undefined ? [] : [].concat(l).map(String)),
    supportedValuesOf: () => [],
  };
  Object.defineProperty(Intl, Symbol.toStringTag, { value: "Intl", configurable: true });

  // The locale-aware methods of the built-ins, routed through the formats above.
  const numberToLocale = (x, locales, options) => new NumberFormat(locales, options).format(x);
  const methods = {
    numberToLocaleString(locales, options) {
      return numberToLocale(Number.prototype.valueOf.call(this), locales, options);
    },
    bigintToLocaleString(locales, options) {
      return numberToLocale(BigInt.prototype.valueOf.call(this), locales, options);
    },
    dateToLocaleString(locales, options) {
      if (Number.isNaN(Date.prototype.getTime.call(this))) return "Invalid Date";
      return new DateTimeFormat(locales, options, "any", "all").format(this);
    },
    dateToLocaleDateString(locales, options) {
      if (Number.isNaN(Date.prototype.getTime.call(this))) return "Invalid Date";
      return new DateTimeFormat(locales, options, "date", "date").format(this);
    },
    dateToLocaleTimeString(locales, options) {
      if (Number.isNaN(Date.prototype.getTime.call(this))) return "Invalid Date";
      return new DateTimeFormat(locales, options, "time", "time").format(this);
    },
    localeCompare(that, locales, options) {
      if (this === null || this === undefined) throw new TypeError("String.prototype.localeCompare called on null or undefined");
      return new Collator(locales, options).compare(String(this), String(that));
    },
  };
  exports.Intl = Intl;
  exports.methods = methods;
};
