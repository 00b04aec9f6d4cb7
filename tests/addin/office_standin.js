// A small stand-in for the Excel JavaScript API objects the task pane uses, with Office.js's
// batching: property reads need load() then context.sync(); writes are queued and land at sync.
// A classic script, so the same file is required by node's test runner and injected into
// Chromium in place of office.js by the browser test.
(function (root) {
  "use strict";

  function columnIndex(letters) {
    let col = 0;
    for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
    return col - 1;
  }

  function columnLetter(index) {
    let letters = "";
    let n = index + 1;
    while (n > 0) {
      const rest = (n - 1) % 26;
      letters = String.fromCharCode(65 + rest) + letters;
      n = Math.floor((n - 1) / 26);
    }
    return letters;
  }

  function corners(address) {
    const parts = address.split(":").map((part) => {
      const m = /^([A-Z]{1,3})(\d+)$/.exec(part);
      if (!m) throw new Error(`InvalidArgument: ${address}`);
      return { row: Number(m[2]) - 1, col: columnIndex(m[1]) };
    });
    const last = parts[parts.length - 1];
    return { top: parts[0].row, left: parts[0].col, bottom: last.row, right: last.col };
  }

  class StandInWorkbook {
    /** sheets: {name: [[values from A1]]}; selection: {sheet, rowIndex, rowCount} (0-based). */
    constructor(sheets, options = {}) {
      this.sheets = new Map();
      this.formats = new Map();
      this.syncs = 0;
      this.selected = null;
      this.active = options.selection ? options.selection.sheet : Object.keys(sheets)[0];
      this.selection = options.selection || null;
      for (const [name, rows] of Object.entries(sheets)) {
        const cells = new Map();
        rows.forEach((row, r) => row.forEach((v, c) => {
          if (v !== "" && v !== null && v !== undefined) cells.set(`${r},${c}`, v);
        }));
        this.sheets.set(name, cells);
        this.formats.set(name, new Map());
      }
    }

    /** The tab's values from A1 to its last used cell, "" for blanks. */
    values(name) {
      const cells = this.sheets.get(name);
      let bottom = -1;
      let right = -1;
      for (const key of cells.keys()) {
        const [r, c] = key.split(",").map(Number);
        bottom = Math.max(bottom, r);
        right = Math.max(right, c);
      }
      const out = [];
      for (let r = 0; r <= bottom; r += 1) {
        const row = [];
        for (let c = 0; c <= right; c += 1) row.push(cells.has(`${r},${c}`) ? cells.get(`${r},${c}`) : "");
        out.push(row);
      }
      return out;
    }

    cell(name, address) {
      const { top, left } = corners(address);
      const v = this.sheets.get(name).get(`${top},${left}`);
      return v === undefined ? "" : v;
    }

    format(name, address) {
      const { top, left } = corners(address);
      return this.formats.get(name).get(`${top},${left}`) || null;
    }

    dump() {
      const out = {};
      for (const name of this.sheets.keys()) out[name] = this.values(name);
      return { sheets: out, selected: this.selected, syncs: this.syncs };
    }
  }

  function notLoaded(what) {
    return new Error(`PropertyNotLoaded: ${what} was read before load() and sync()`);
  }

  function makeContext(book) {
    const queue = [];
    const pendingLoads = [];

    function loadable(target, compute) {
      // properties become readable only after load() and the following sync()
      let data = null;
      target.load = () => {
        pendingLoads.push(() => { data = compute(); });
        return target;
      };
      return (key) => {
        if (data === null) throw notLoaded(key);
        return data[key];
      };
    }

    function range(sheetName, address) {
      const obj = {
        clear(kind) {
          if (kind !== "Contents") throw new Error("the task pane must keep formats");
          queue.push(() => {
            const { top, left, bottom, right } = corners(address);
            const cells = book.sheets.get(sheetName);
            for (const key of [...cells.keys()]) {
              const [r, c] = key.split(",").map(Number);
              if (r >= top && r <= bottom && c >= left && c <= right) cells.delete(key);
            }
          });
        },
        select() {
          queue.push(() => { book.selected = `${sheetName}!${address}`; });
        },
      };
      Object.defineProperty(obj, "values", {
        set(matrix) {
          const { top, left, bottom, right } = corners(address);
          if (matrix.length !== bottom - top + 1 || matrix.some((r) => r.length !== right - left + 1)) {
            throw new Error(`InvalidArgument: values do not match ${address}`);
          }
          queue.push(() => {
            const cells = book.sheets.get(sheetName);
            matrix.forEach((row, i) => row.forEach((v, j) => {
              const key = `${top + i},${left + j}`;
              if (v === null) return; // Office.js: null leaves the cell as it is
              const shown = typeof v === "string" && v.startsWith("'") ? v.slice(1) : v;
              if (shown === "") cells.delete(key);
              else cells.set(key, shown);
            }));
          });
        },
      });
      Object.defineProperty(obj, "numberFormat", {
        set(matrix) {
          const { top, left, bottom, right } = corners(address);
          if (matrix.length !== bottom - top + 1 || matrix.some((r) => r.length !== right - left + 1)) {
            throw new Error(`InvalidArgument: numberFormat does not match ${address}`);
          }
          queue.push(() => {
            matrix.forEach((row, i) => row.forEach((f, j) => {
              if (f !== null) book.formats.get(sheetName).set(`${top + i},${left + j}`, f);
            }));
          });
        },
      });
      return obj;
    }

    function worksheet(name) {
      if (!book.sheets.has(name)) throw new Error(`ItemNotFound: ${name}`);
      const ws = {
        name,
        activate() { queue.push(() => { book.active = name; }); },
        getRange(address) {
          if (/^([A-Z]+:[A-Z]+|\d+:\d+)$/.test(address)) {
            return { select() { queue.push(() => { book.selected = `${name}!${address}`; }); } };
          }
          return range(name, address);
        },
        getUsedRangeOrNullObject() {
          const used = {};
          const get = loadable(used, () => {
            const values = book.values(name);
            if (!values.length) return { isNullObject: true };
            let top = 0;
            while (top < values.length && values[top].every((v) => v === "")) top += 1;
            let left = 0;
            while (values.every((row) => row[left] === "")) left += 1;
            return {
              isNullObject: false,
              rowIndex: top,
              columnIndex: left,
              values: values.slice(top).map((row) => row.slice(left)),
            };
          });
          for (const key of ["isNullObject", "values", "rowIndex", "columnIndex"]) {
            Object.defineProperty(used, key, { get: () => get(key) });
          }
          return used;
        },
      };
      return ws;
    }

    const worksheets = {
      getItem: (name) => worksheet(name),
      getActiveWorksheet() {
        const active = { activate() {} };
        const get = loadable(active, () => ({ name: book.active }));
        Object.defineProperty(active, "name", { get: () => get("name") });
        return active;
      },
    };
    const getItems = loadable(worksheets, () => ({
      items: [...book.sheets.keys()].map((name) => ({ name, ...worksheet(name) })),
    }));
    Object.defineProperty(worksheets, "items", { get: () => getItems("items") });

    return {
      workbook: {
        worksheets,
        getSelectedRange() {
          if (!book.selection) throw new Error("InvalidSelection: no range is selected");
          const selected = {};
          const get = loadable(selected, () => ({
            rowIndex: book.selection.rowIndex,
            rowCount: book.selection.rowCount,
          }));
          for (const key of ["rowIndex", "rowCount"]) {
            Object.defineProperty(selected, key, { get: () => get(key) });
          }
          return selected;
        },
      },
      async sync() {
        book.syncs += 1;
        for (const op of queue.splice(0)) op();
        for (const load of pendingLoads.splice(0)) load();
      },
    };
  }

  function install(target, book, options = {}) {
    target.Excel = {
      run: async (batch) => batch(makeContext(book)),
    };
    target.Office = {
      context: {
        displayLanguage: options.displayLanguage || "zh-CN",
        document: { url: options.url || "credit_register.xlsm" },
      },
      actions: { associate(name, fn) { target[`__action_${name}`] = fn; } },
      onReady(callback) {
        const info = { host: "Excel", platform: "PC" };
        return Promise.resolve().then(() => { if (callback) callback(info); return info; });
      },
    };
    return book;
  }

  const api = { StandInWorkbook, install, corners, columnLetter };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.OfficeStandIn = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
