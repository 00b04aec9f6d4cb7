// A small stand-in for the Excel JavaScript API objects the task pane uses, with Office.js's
// batching: property reads need load() then context.sync(); writes are queued and land at sync.
// It also holds the task pane to Excel on the web's limit: a request or a response over 5 MB is
// refused at sync with the error Excel gives (code "RequestPayloadSizeLimitExceeded" or
// "ResponsePayloadSizeLimitExceeded", name "RichApi.Error"), and nothing of that batch is done.
// Sizes are counted as JSON with every non-ASCII character escaped (\uXXXX, 6 bytes), the larger
// of the two ways a request can be encoded, plus a fixed cost per call.
// A classic script, so the same file is required by node's test runner and injected into
// Chromium in place of office.js by the browser test.
(function (root) {
  "use strict";

  /** Excel on the web: "a payload size limit for requests and responses of 5MB". */
  const PAYLOAD_LIMIT = 5 * 1000 * 1000;
  /** What one queued call or load costs beside its values (object path, method, address). */
  const CALL_BYTES = 100;

  function jsonSize(value) {
    const text = JSON.stringify(value);
    let wide = 0;
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) wide += 1;
    return text.length + 5 * wide;
  }

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

  /** 0-based {top, left, bottom, right} of "A1:F20" or "C10". */
  function corners(address) {
    const parts = address.split(":").map((part) => {
      const m = /^([A-Z]{1,3})(\d+)$/.exec(part);
      if (!m) throw new Error(`InvalidArgument: ${address}`);
      return { row: Number(m[2]) - 1, col: columnIndex(m[1]) };
    });
    const last = parts[parts.length - 1];
    return { top: parts[0].row, left: parts[0].col, bottom: last.row, right: last.col };
  }

  function a1(top, left, bottom, right) {
    const first = `${columnLetter(left)}${top + 1}`;
    const last = `${columnLetter(right)}${bottom + 1}`;
    return first === last ? first : `${first}:${last}`;
  }

  class PayloadError extends Error {
    constructor(code, bytes) {
      super(`The ${code.startsWith("Request") ? "request" : "response"} payload size has ` +
        `exceeded the limit (${bytes} bytes). See the Resource limits and performance ` +
        "optimization for Office Add-ins article for more information.");
      this.name = "RichApi.Error";
      this.code = code;
      this.bytes = bytes;
    }
  }

  class StandInWorkbook {
    /** sheets: {name: [[values from A1]]}; selection: {sheet, rowIndex, rowCount} (0-based). */
    constructor(sheets, options = {}) {
      this.grid = new Map();
      this.formats = new Map();
      this.syncs = 0;
      /** every sync that reached Excel: {request, response} bytes, and refused: true if over */
      this.syncLog = [];
      this.selected = null;
      this.active = options.selection ? options.selection.sheet : Object.keys(sheets)[0];
      this.selection = options.selection || null;
      for (const [name, rows] of Object.entries(sheets)) {
        this.grid.set(name, rows.map((row) => row.map((v) => (v === null || v === undefined ? "" : v))));
        this.formats.set(name, new Map());
      }
    }

    get refusals() {
      return this.syncLog.filter((s) => s.refused).length;
    }

    get largestPayload() {
      return Math.max(0, ...this.syncLog.filter((s) => !s.refused).map((s) => Math.max(s.request, s.response)));
    }

    setCell(name, r, c, value) {
      const rows = this.grid.get(name);
      if (value === "" && (r >= rows.length || c >= rows[r].length)) return;
      while (rows.length <= r) rows.push([]);
      const row = rows[r];
      while (row.length <= c) row.push("");
      row[c] = value;
    }

    /** 0-based bounds of the non-blank cells, or null for an empty tab. */
    bounds(name) {
      const rows = this.grid.get(name);
      let top = -1;
      let bottom = -1;
      let left = Infinity;
      let right = -1;
      rows.forEach((row, r) => {
        for (let c = 0; c < row.length; c += 1) {
          if (row[c] === "") continue;
          if (top < 0) top = r;
          bottom = r;
          if (c < left) left = c;
          if (c > right) right = c;
        }
      });
      return top < 0 ? null : { top, left, bottom, right };
    }

    /** The rectangle's values, "" for blanks. */
    block(name, top, left, bottom, right) {
      const rows = this.grid.get(name);
      const out = [];
      for (let r = top; r <= bottom; r += 1) {
        const row = rows[r] || [];
        const line = new Array(right - left + 1);
        for (let c = left; c <= right; c += 1) line[c - left] = c < row.length ? row[c] : "";
        out.push(line);
      }
      return out;
    }

    /** The tab's values from A1 to its last used cell, "" for blanks. */
    values(name) {
      const b = this.bounds(name);
      return b ? this.block(name, 0, 0, b.bottom, b.right) : [];
    }

    cell(name, address) {
      const { top, left } = corners(address);
      const row = this.grid.get(name)[top] || [];
      return left < row.length ? row[left] : "";
    }

    format(name, address) {
      const { top, left } = corners(address);
      return this.formats.get(name).get(`${top},${left}`) || null;
    }

    dump() {
      const out = {};
      for (const name of this.grid.keys()) out[name] = this.values(name);
      return { sheets: out, selected: this.selected, syncs: this.syncs, syncLog: this.syncLog };
    }
  }

  function notLoaded(what) {
    return new Error(`PropertyNotLoaded: ${what} was read before load() and sync()`);
  }

  function makeContext(book) {
    let queue = [];
    let pendingLoads = [];

    /**
     * Make `target`'s `keys` readable only after load() and the following sync(); `compute`
     * gives every property's value, of which only the loaded ones travel (and count).
     */
    function loadable(target, keys, compute) {
      let data = null;
      target.load = (props) => {
        const wanted = typeof props === "string" ? props.split(",").map((p) => p.trim()) : keys;
        pendingLoads.push({
          fetch() {
            const all = compute();
            const picked = {};
            for (const key of wanted) if (key in all) picked[key] = all[key];
            return { all, picked };
          },
          apply(result) { data = result.all; },
        });
        return target;
      };
      for (const key of keys) {
        Object.defineProperty(target, key, {
          get() {
            if (data === null) throw notLoaded(key);
            if (data.isNullObject && key !== "isNullObject") throw new Error(`InvalidObjectPath: ${key} of a null object`);
            return data[key];
          },
          configurable: true,
        });
      }
      Object.defineProperty(target, "isNullObject", {
        get() {
          if (data === null) throw notLoaded("isNullObject");
          return Boolean(data.isNullObject);
        },
      });
      return target;
    }

    function shapeOf(sheetName, b) {
      if (b === null) return { isNullObject: true };
      return {
        address: `${sheetName}!${a1(b.top, b.left, b.bottom, b.right)}`,
        rowIndex: b.top,
        columnIndex: b.left,
        rowCount: b.bottom - b.top + 1,
        columnCount: b.right - b.left + 1,
        values: book.block(sheetName, b.top, b.left, b.bottom, b.right),
      };
    }

    const RANGE_KEYS = ["address", "rowIndex", "columnIndex", "rowCount", "columnCount", "values"];

    function checkShape(matrix, address, what) {
      const { top, left, bottom, right } = corners(address);
      if (!Array.isArray(matrix)) return; // one value for every cell of the range
      if (matrix.length !== bottom - top + 1 || matrix.some((r) => r.length !== right - left + 1)) {
        throw new Error(`InvalidArgument: ${what} do not match ${address}`);
      }
    }

    function range(sheetName, address) {
      const obj = {
        clear(kind) {
          if (kind !== "Contents") throw new Error("the task pane must keep formats");
          queue.push({
            bytes: CALL_BYTES + jsonSize(address),
            run() {
              const { top, left, bottom, right } = corners(address);
              const rows = book.grid.get(sheetName);
              for (let r = top; r <= Math.min(bottom, rows.length - 1); r += 1) {
                const row = rows[r];
                for (let c = left; c <= Math.min(right, row.length - 1); c += 1) row[c] = "";
              }
            },
          });
        },
        select() {
          queue.push({ bytes: CALL_BYTES, run() { book.selected = `${sheetName}!${address}`; } });
        },
      };
      loadable(obj, RANGE_KEYS, () => {
        const { top, left, bottom, right } = corners(address);
        return shapeOf(sheetName, { top, left, bottom, right });
      });
      const loadedValues = Object.getOwnPropertyDescriptor(obj, "values").get;
      Object.defineProperty(obj, "values", {
        get: loadedValues,
        set(matrix) {
          checkShape(matrix, address, "values");
          queue.push({
            bytes: CALL_BYTES + jsonSize(address) + jsonSize(matrix),
            run() {
              const { top, left, bottom, right } = corners(address);
              for (let i = 0; i <= bottom - top; i += 1) {
                for (let j = 0; j <= right - left; j += 1) {
                  const v = Array.isArray(matrix) ? matrix[i][j] : matrix;
                  if (v === null) continue; // Office.js: null leaves the cell as it is
                  const shown = typeof v === "string" && v.startsWith("'") ? v.slice(1) : v;
                  book.setCell(sheetName, top + i, left + j, shown);
                }
              }
            },
          });
        },
        configurable: true,
      });
      Object.defineProperty(obj, "numberFormat", {
        set(matrix) {
          checkShape(matrix, address, "numberFormat");
          queue.push({
            bytes: CALL_BYTES + jsonSize(address) + jsonSize(matrix),
            run() {
              const { top, left, bottom, right } = corners(address);
              for (let i = 0; i <= bottom - top; i += 1) {
                for (let j = 0; j <= right - left; j += 1) {
                  const f = Array.isArray(matrix) ? matrix[i][j] : matrix;
                  if (f !== null) book.formats.get(sheetName).set(`${top + i},${left + j}`, f);
                }
              }
            },
          });
        },
      });
      return obj;
    }

    function worksheet(name) {
      if (!book.grid.has(name)) throw new Error(`ItemNotFound: ${name}`);
      return {
        name,
        activate() { queue.push({ bytes: CALL_BYTES, run() { book.active = name; } }); },
        getRange(address) {
          if (/^([A-Z]+:[A-Z]+|\d+:\d+)$/.test(address)) {
            return {
              select() {
                queue.push({ bytes: CALL_BYTES, run() { book.selected = `${name}!${address}`; } });
              },
            };
          }
          return range(name, address);
        },
        getUsedRangeOrNullObject() {
          return loadable({}, RANGE_KEYS, () => shapeOf(name, book.bounds(name)));
        },
      };
    }

    const worksheets = {
      getItem: (name) => worksheet(name),
      getActiveWorksheet() {
        return loadable({ activate() {} }, ["name"], () => ({ name: book.active }));
      },
    };
    loadable(worksheets, ["items"], () => ({
      items: [...book.grid.keys()].map((name) => worksheet(name)),
    }));

    return {
      workbook: {
        worksheets,
        getSelectedRange() {
          if (!book.selection) throw new Error("InvalidSelection: no range is selected");
          return loadable({}, ["rowIndex", "rowCount"], () => ({
            rowIndex: book.selection.rowIndex,
            rowCount: book.selection.rowCount,
          }));
        },
      },
      async sync() {
        book.syncs += 1;
        const ops = queue;
        const loads = pendingLoads;
        queue = [];
        pendingLoads = [];
        const request = ops.reduce((n, op) => n + op.bytes, 0) + CALL_BYTES * loads.length;
        if (request > PAYLOAD_LIMIT) {
          book.syncLog.push({ request, response: 0, refused: true });
          throw new PayloadError("RequestPayloadSizeLimitExceeded", request);
        }
        const results = loads.map((load) => load.fetch());
        // items are live objects in Office.js, not data: they cost a name each, not their values
        const response = results.reduce((n, r) => n + jsonSize(r.picked.items ? r.picked.items.map((w) => w.name) : r.picked), 0);
        if (response > PAYLOAD_LIMIT) {
          book.syncLog.push({ request, response, refused: true });
          throw new PayloadError("ResponsePayloadSizeLimitExceeded", response);
        }
        book.syncLog.push({ request, response, refused: false });
        for (const op of ops) op.run();
        loads.forEach((load, i) => load.apply(results[i]));
      },
    };
  }

  function install(target, book, options = {}) {
    target.Excel = {
      run: async (batch) => batch(makeContext(book)),
    };
    const dialogs = [];
    target.Office = {
      context: {
        displayLanguage: options.displayLanguage || "zh-CN",
        document: { url: options.url || "credit_register.xlsm" },
        ui: {
          /** Records the dialog; the test closes it with dialog.userCloses() or .send(). */
          displayDialogAsync(url, dialogOptions, callback) {
            const handlers = {};
            const dialog = {
              url,
              options: dialogOptions,
              closed: false,
              addEventHandler(type, handler) { handlers[type] = handler; },
              close() { dialog.closed = true; },
              send(message) { handlers.dialogMessageReceived({ message }); },
              userCloses() {
                dialog.closed = true;
                handlers.dialogEventReceived({ error: 12006 });
              },
            };
            dialogs.push(dialog);
            const done = callback || dialogOptions;
            Promise.resolve().then(() => done({ status: "succeeded", value: dialog }));
          },
        },
      },
      EventType: {
        DialogMessageReceived: "dialogMessageReceived",
        DialogEventReceived: "dialogEventReceived",
      },
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
      actions: { associate(name, fn) { target[`__action_${name}`] = fn; } },
      onReady(callback) {
        const info = { host: "Excel", platform: "PC" };
        return Promise.resolve().then(() => { if (callback) callback(info); return info; });
      },
    };
    target.__dialogs = dialogs;
    return book;
  }

  const api = { StandInWorkbook, install, corners, columnLetter, jsonSize, PAYLOAD_LIMIT, PayloadError };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.OfficeStandIn = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
