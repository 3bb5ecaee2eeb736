/* Reads the MRZ typed into <textarea data-mrz-for="PREFIX">, fills the inputs PREFIX-surname, -given_names,
   -nationality, -sex, -date_of_birth, -document_number and -document_expiry, and names a wrong check digit in
   [data-mrz-status-for="PREFIX"]. A small port of kordon/notices/mrz.py (ICAO 9303 TD1, TD2, TD3); the server
   checks again. One listener on document serves every traveller, those added later too. Its sentences come from
   the page (notices/_mrz_text.html), so they are translated. */
(() => {
  "use strict";

  const t = (key, params = {}) => {
    const node = document.querySelector(`#mrz-text [data-t="${key}"]`);
    const text = node ? node.textContent : key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  };

  // Look-alikes of the filler "<" from OCR apps and fonts; ">" is "<" with Shift held on German keyboards.
  const LOOKALIKES = /[\u2039\u203a\u3008\u27e8\u276e\u276c\u1438\u02c2\u227a>]/g;
  const WEIGHTS = [7, 3, 1];
  const checkDigit = (text) => {
    let sum = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i); // "<" counts 0, digits their value, A-Z 10-35
      sum += (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0) * WEIGHTS[i % 3];
    }
    return String(sum % 10);
  };

  const normalize = (text) => {
    const lines = text.normalize("NFKC").replace(/[\u00ab\u00bb]/g, "<<").replace(LOOKALIKES, "<")
      .toUpperCase().split(/\r\n|\r|\n/).map((line) => line.replace(/\s+/g, "")).filter(Boolean);
    const width = { 90: 30, 72: 36, 88: 44 }[lines.length === 1 ? lines[0].length : 0];
    return width ? lines[0].match(new RegExp(`.{${width}}`, "g")) : lines; // a whole MRZ pasted as one line
  };

  // Spans are [line, start, end), 0-based. TD2 and TD3 share line 2 up to the optional data.
  const twoLines = (w) => ({
    names: [0, 5, w], number: [1, 0, 9], numberCheck: [1, 9, 10], nationality: [1, 10, 13],
    birth: [1, 13, 19], birthCheck: [1, 19, 20], sex: [1, 20, 21],
    expiry: [1, 21, 27], expiryCheck: [1, 27, 28],
    optional: [1, 28, w === 44 ? 42 : 35], optionalCheck: w === 44 ? [1, 42, 43] : null,
    composite: [[1, 0, 10], [1, 13, 20], [1, 21, w - 1]], compositeCheck: [1, w - 1, w], longNumber: w !== 44,
  });
  const LAYOUTS = {
    "3x30": {
      names: [2, 0, 30], number: [0, 5, 14], numberCheck: [0, 14, 15], nationality: [1, 15, 18],
      birth: [1, 0, 6], birthCheck: [1, 6, 7], sex: [1, 7, 8], expiry: [1, 8, 14], expiryCheck: [1, 14, 15],
      optional: [0, 15, 30], optionalCheck: null, compositeCheck: [1, 29, 30], longNumber: true,
      composite: [[0, 5, 30], [1, 0, 7], [1, 8, 15], [1, 18, 29]],
    },
    "2x36": twoLines(36), "2x44": twoLines(44),
  };

  const realDate = (y, m, d) => {
    const day = new Date(Date.UTC(y, m - 1, d));
    return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? day : null;
  };
  const iso = (day) => (day ? day.toISOString().slice(0, 10) : "");
  // Birth: the latest century that keeps the date out of the future. Expiry: within 50 years of today.
  const readDate = (raw, isBirth, today) => {
    if (!/^\d{6}$/.test(raw)) {
      // Unknown dates are fillers; a date of birth may lack only its month and day, or only its day.
      return { date: null, ok: raw === "<<<<<<" || (isBirth && /^\d\d(<<<<|\d\d<<)$/.test(raw)) };
    }
    const [yy, mm, dd] = [raw.slice(0, 2), raw.slice(2, 4), raw.slice(4)].map(Number);
    const year = today.getUTCFullYear();
    const century = Math.floor(year / 100) * 100;
    const years = isBirth ? [century + yy, century - 100 + yy] : [year - 50 + (((yy - year + 50) % 100) + 100) % 100];
    const found = years.map((y) => realDate(y, mm, dd)).find((day) => day && (!isBirth || day <= today)) || null;
    return { date: found, ok: found !== null };
  };

  const words = (raw) => raw.split("<").filter(Boolean).join(" ");
  // Returns {data} or {errors}; errors are plain sentences, or [] while the lines are still being typed.
  const parse = (text, today) => {
    const lines = normalize(text);
    const bad = lines.findIndex((line) => /[^A-Z0-9<]/.test(line));
    if (bad >= 0) {
      const at = lines[bad].search(/[^A-Z0-9<]/);
      return { errors: [t("bad_character", { line: bad + 1, character: lines[bad][at], position: at + 1 })] };
    }
    const layout = LAYOUTS[`${lines.length}x${lines.length ? lines[0].length : 0}`];
    if (!layout || lines.some((line) => line.length !== lines[0].length)) {
      // Still being typed, most likely; say something only once it cannot become an MRZ.
      const tooLong = lines.length > 3 || lines.some((line) => line.length > 44);
      return { errors: tooLong ? [t("too_long")] : [] };
    }
    if (lines[0][0] === "V") return { errors: [t("visa")] };
    const take = (span) => lines[span[0]].slice(span[1], span[2]);
    const errors = [];
    const check = (field, data, span) => {
      const [found, expected] = [take(span), checkDigit(data)];
      if (found !== expected && !(found === "<" && /^<+$/.test(data))) {
        errors.push(t("check_digit", { label: t(`label_${field}`), line: span[0] + 1, position: span[1] + 1, found, expected }));
      }
    };
    let number = take(layout.number);
    if (layout.longNumber && take(layout.numberCheck) === "<" && !number.includes("<")) {
      // ICAO long document number: it goes on in the optional data, followed by its check digit and "<".
      const [l, start] = layout.optional;
      const tail = lines[l].slice(start).split("<")[0];
      number += tail.slice(0, -1);
      check("number", number, [l, start + tail.length - 1, start + tail.length]);
    } else {
      check("number", number, layout.numberCheck);
    }
    check("birth", take(layout.birth), layout.birthCheck);
    check("expiry", take(layout.expiry), layout.expiryCheck);
    if (layout.optionalCheck) check("personal", take(layout.optional), layout.optionalCheck);
    const composite = layout.composite.map(take).join("");
    if (checkDigit(composite) !== take(layout.compositeCheck)) {
      const [l, start] = layout.compositeCheck;
      const final = t("final_check_digit", {
        line: l + 1, position: start + 1, found: take(layout.compositeCheck), expected: checkDigit(composite),
      });
      errors.push(errors.length ? `${final} ${t("after_the_others")}` : final);
    }
    const [birth, expiry] = [readDate(take(layout.birth), true, today), readDate(take(layout.expiry), false, today)];
    if (!birth.ok) errors.push(t("birth_not_a_date", { raw: take(layout.birth) }));
    if (!expiry.ok) errors.push(t("expiry_not_a_date", { raw: take(layout.expiry) }));
    if (errors.length) return { errors };
    const [surname, given] = take(layout.names).split(/<<(.*)/);
    const nationality = take(layout.nationality).replace(/<+$/, "");
    return {
      data: {
        surname: words(surname), given_names: words(given || ""),
        nationality: nationality === "D" ? "DEU" : nationality, // the form wants alpha-3; Germany writes "D"
        sex: take(layout.sex) === "<" ? "X" : take(layout.sex), date_of_birth: iso(birth.date),
        document_number: number.replace(/</g, ""), document_expiry: iso(expiry.date),
      },
    };
  };

  const fill = (scope, prefix, data) => {
    Object.keys(data).forEach((name) => {
      const input = scope.querySelector(`[name="${CSS.escape(`${prefix}-${name}`)}"]`);
      if (input && data[name] && input.value !== data[name]) {
        input.value = data[name];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  };

  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-mrz-for")) return;
    const prefix = area.getAttribute("data-mrz-for");
    const now = new Date(); // today's local date, as UTC midnight like the dates read
    const result = parse(area.value, new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
    if (result.data) fill(area.form || document, prefix, result.data);
    const status = document.querySelector(`[data-mrz-status-for="${CSS.escape(prefix)}"]`);
    if (!status) return;
    status.setAttribute("role", "status");
    status.textContent = result.data ? t("filled") : result.errors.join(" ");
  });
})();
