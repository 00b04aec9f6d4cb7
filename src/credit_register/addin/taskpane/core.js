// 客户资信管理 Credit Register: what the task pane does to the workbook, without the page.
//
// Kept apart from the page (taskpane.js) so that node's test runner can drive it against a
// stand-in for the few Excel JavaScript API objects used here: Excel.run, context.sync,
// workbook.worksheets (load, items, getItem, getActiveWorksheet), worksheet.getUsedRangeOrNullObject,
// worksheet.getRange, range.values / numberFormat / clear("Contents") / select(),
// workbook.getSelectedRange(). The protocol is the server's (adapters/addin_json.py): sheets in
// as values from A1, then `clear`, `writes`, `formats` applied in that order.
//
// Excel on the web refuses a request or a response over 5 MB, and a register of 30,000 invoice
// rows is larger than that. So every sync is planned to carry at most PAYLOAD_BUDGET (4 MB):
// sheets are read in row blocks sized from a first sample of their rows, values are written in
// row chunks sized from the values themselves, formats and clears are packed the same way. If
// Excel refuses a sync all the same (a row much longer than the sample), the block is halved and
// read again; nothing of a refused sync has been done, so that is safe.
//
// The syntax stays within ES2017 (no `catch {}`, no object spread): Office 2019's EdgeHTML
// webview parses these modules too; older webviews get classic.js's message instead.

export const STRINGS = {
  zh: {
    title: "客户资信管理",
    token: "访问令牌",
    saveToken: "保存",
    tokenSaved: "令牌已保存在本机",
    tokenMissing: "请先输入访问令牌",
    tokenMissingRibbon: "请先打开“资信面板”，输入并保存您的访问令牌，然后再使用功能区按钮。",
    signedInAs: "当前用户：",
    reading: "正在读取工作表…",
    sending: "正在计算…",
    writing: "正在写回结果…",
    done: "完成",
    issues: "问题",
    documents: "文件",
    noIssues: "没有问题",
    language: "English",
    unauthorised: "令牌错误，请重新输入",
    tooLarge: "工作簿太大，超过服务器上限",
    rowTooLarge: "工作表中有一行数据超过 Excel 单次传输上限（5 MB）",
    failed: "操作失败",
    network: "无法连接服务器",
  },
  en: {
    title: "Credit Register",
    token: "Access token",
    saveToken: "Save",
    tokenSaved: "Token saved on this computer",
    tokenMissing: "Enter the access token first",
    tokenMissingRibbon: "Open the Credit pane, enter and save your access token, then use the ribbon buttons.",
    signedInAs: "Signed in as: ",
    reading: "Reading the sheets…",
    sending: "Computing…",
    writing: "Writing the results…",
    done: "Done",
    issues: "Issues",
    documents: "Documents",
    noIssues: "No issues",
    language: "中文",
    unauthorised: "Wrong token: enter it again",
    tooLarge: "The workbook is larger than the server accepts",
    rowTooLarge: "A row of a sheet is larger than Excel can transfer at once (5 MB)",
    failed: "The action failed",
    network: "Cannot reach the server",
  },
};

/** Excel on the web: "a payload size limit for requests and responses of 5MB". */
export const PAYLOAD_LIMIT = 5 * 1000 * 1000;
/** What one sync is planned to carry: the limit less room for the estimate's error. */
export const PAYLOAD_BUDGET = 4 * 1000 * 1000;
/** Cells of each sheet read first, to measure how long its rows are. */
export const SAMPLE_CELLS = 2000;
/** Excel reads at most 5,000,000 cells per range; a block stays well under. */
export const MAX_BLOCK_CELLS = 1000000;
/** What one call costs beside its values (object path, method, address): a generous guess. */
export const CALL_BYTES = 200;
/** Before the sample is read: a guess at a cell's size, only for packing the samples. */
const GUESSED_CELL_BYTES = 64;

export const TOKEN_KEY = "creditRegister.token";
export const LANG_KEY = "creditRegister.lang";

export function columnLetter(index) {
  let letters = "";
  let n = index + 1;
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function columnIndex(letters) {
  let col = 0;
  for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col - 1;
}

/** {top, left, bottom, right} (1-based rows, 0-based columns) of "A1:F20" or "C10". */
export function corners(address) {
  const parts = address.split(":").map((part) => {
    const m = /^([A-Z]{1,3})(\d+)$/.exec(part);
    if (!m) throw new Error(`not a cell address: ${part}`);
    return { row: Number(m[2]), col: columnIndex(m[1]) };
  });
  const last = parts[parts.length - 1];
  return { top: parts[0].row, left: parts[0].col, bottom: last.row, right: last.col };
}

export function address(top, left, bottom, right) {
  const first = `${columnLetter(left)}${top}`;
  const last = `${columnLetter(right)}${bottom}`;
  return first === last ? first : `${first}:${last}`;
}

/** A used range's values padded so that row 0 is Excel row 1 and column 0 is column A. */
export function fromA1(values, rowIndex, columnIndexValue) {
  const pad = new Array(columnIndexValue).fill("");
  const rows = values.map((row) => (columnIndexValue ? pad.concat(row) : row));
  const width = rows.length ? rows[0].length : 0;
  const blank = [];
  for (let i = 0; i < rowIndex; i += 1) blank.push(new Array(width).fill(""));
  return blank.concat(rows);
}

/** Bytes of `value` as JSON with every non-ASCII character escaped (\uXXXX): the larger of the
 * ways Office can encode it, so an estimate made with it errs on the safe side. */
export function jsonBytes(value) {
  const text = JSON.stringify(value);
  const wide = text.match(/[^\x00-\x7f]/g);
  return text.length + (wide ? 5 * wide.length : 0);
}

export function isPayloadRefusal(error) {
  const code = error && (error.code || "");
  return /PayloadSizeLimitExceeded/.test(code) || /PayloadSizeLimitExceeded/.test(String(error && error.message));
}

/** A single row Excel cannot carry in one request. */
export class PayloadError extends Error {
  constructor(sheet, row) {
    super(`${sheet}!${row}:${row}`);
    this.sheet = sheet;
    this.row = row;
  }
}

/**
 * Run `steps` in as few syncs as the budget allows, in order. A step is {bytes, queue(), split()}:
 * `queue` adds its calls to the batch and returns what to do once the sync is done (or nothing);
 * `split` gives smaller steps doing the same, or null when it cannot be split.
 */
export async function syncInBudget(context, steps, budget = PAYLOAD_BUDGET, onStep = () => {}) {
  const pending = steps.slice();
  let done = 0;
  while (pending.length) {
    const batch = [pending.shift()];
    let bytes = batch[0].bytes;
    while (pending.length && bytes + pending[0].bytes <= budget) {
      bytes += pending[0].bytes;
      batch.push(pending.shift());
    }
    const after = batch.map((step) => step.queue());
    try {
      await context.sync();
    } catch (error) {
      if (!isPayloadRefusal(error)) throw error;
      // estimated wrong: each step alone, and a step that still fails in halves
      if (batch.length > 1) {
        pending.unshift(...batch.map((step) => Object.assign({}, step, { bytes: budget })));
        continue;
      }
      const parts = batch[0].split();
      if (!parts) throw batch[0].tooLarge ? batch[0].tooLarge() : error;
      pending.unshift(...parts.map((step) => Object.assign({}, step, { bytes: budget })));
      continue;
    }
    after.forEach((finish) => finish && finish());
    done += batch.length;
    onStep(done, done + pending.length);
  }
}

function readStep(tab, start, rows, bytes) {
  const { shape } = tab;
  const span = address(shape.top + 1 + start, shape.left, shape.top + start + rows, shape.left + shape.cols - 1);
  return {
    bytes,
    queue() {
      const range = tab.worksheet.getRange(span);
      range.load("values");
      return () => tab.parts.push({ start, values: range.values });
    },
    split() {
      if (rows < 2) return null;
      const half = Math.ceil(rows / 2);
      return [readStep(tab, start, half, bytes / 2), readStep(tab, start + half, rows - half, bytes / 2)];
    },
    tooLarge: () => new PayloadError(tab.name, shape.top + 1 + start),
  };
}

/** The bytes of the longest row: a block of n rows is planned as n times that. */
function longestRow(values) {
  let longest = 0;
  for (const row of values) longest = Math.max(longest, jsonBytes(row));
  return longest;
}

/** Every tab's values from A1 (read in blocks under the budget), and the selected rows of the
 * active tab. */
export async function readWorkbook(context, options = {}) {
  const budget = options.budget || PAYLOAD_BUDGET;
  const worksheets = context.workbook.worksheets;
  worksheets.load("items/name");
  await context.sync();
  const tabs = worksheets.items.map((worksheet) => {
    const used = worksheet.getUsedRangeOrNullObject(true);
    used.load("rowIndex,columnIndex,rowCount,columnCount");
    return { name: worksheet.name, worksheet, used, parts: [], shape: null };
  });
  await context.sync();
  const filled = tabs.filter((tab) => !tab.used.isNullObject);
  for (const tab of filled) {
    const { rowIndex, columnIndex: left, rowCount, columnCount } = tab.used;
    tab.shape = { top: rowIndex, left, rows: rowCount, cols: columnCount };
  }
  // first a sample of every sheet, to learn how long its rows are
  const sampled = new Map();
  const samples = filled.map((tab) => {
    const rows = Math.min(tab.shape.rows, Math.max(1, Math.floor(SAMPLE_CELLS / tab.shape.cols)));
    sampled.set(tab, rows);
    return readStep(tab, 0, rows, CALL_BYTES + rows * tab.shape.cols * GUESSED_CELL_BYTES);
  });
  await syncInBudget(context, samples, budget);
  // then the rest, in blocks the longest sampled row says will fit
  const rest = [];
  for (const tab of filled) {
    const perRow = Math.max(longestRow(tab.parts.reduce((all, part) => all.concat(part.values), [])), 1);
    const fit = Math.floor((budget - CALL_BYTES) / perRow);
    const step = Math.max(1, Math.min(fit, Math.floor(MAX_BLOCK_CELLS / tab.shape.cols)));
    for (let start = sampled.get(tab); start < tab.shape.rows; start += step) {
      const rows = Math.min(step, tab.shape.rows - start);
      rest.push(readStep(tab, start, rows, CALL_BYTES + rows * perRow));
    }
  }
  await syncInBudget(context, rest, budget, options.onBlock);
  const sheets = {};
  for (const tab of tabs) {
    if (!tab.shape) {
      sheets[tab.name] = [];
      continue;
    }
    tab.parts.sort((a, b) => a.start - b.start);
    const values = [];
    for (const part of tab.parts) for (const row of part.values) values.push(row);
    sheets[tab.name] = fromA1(values, tab.shape.top, tab.shape.left);
  }
  let selection = null;
  try {
    const selected = context.workbook.getSelectedRange();
    selected.load("rowIndex,rowCount");
    const active = worksheets.getActiveWorksheet();
    active.load("name");
    await context.sync();
    const rowsOfData = (sheets[active.name] || []).length;
    const rows = [];
    const last = Math.min(selected.rowIndex + selected.rowCount, rowsOfData);
    for (let r = selected.rowIndex + 1; r <= last; r += 1) rows.push(r);
    selection = { sheet: active.name, rows };
  } catch (error) {
    selection = null; // a chart or a shape is selected: no rows
  }
  return { sheets, selection };
}

function writeSteps(worksheets, op, budget) {
  const { top, left, right } = corners(op.range);
  const steps = [];
  const maxRows = Math.max(1, Math.floor(MAX_BLOCK_CELLS / (right - left + 1)));
  let start = 0;
  while (start < op.values.length) {
    let bytes = CALL_BYTES;
    let end = start;
    while (end < op.values.length && end - start < maxRows) {
      const row = jsonBytes(op.values[end]) + 1;
      if (end > start && bytes + row > budget) break;
      bytes += row;
      end += 1;
    }
    steps.push(valuesStep(worksheets, op, top, left, right, start, end, bytes));
    start = end;
  }
  return steps;
}

function valuesStep(worksheets, op, top, left, right, start, end, bytes) {
  return {
    bytes,
    queue() {
      const span = address(top + start, left, top + end - 1, right);
      worksheets.getItem(op.sheet).getRange(span).values = op.values.slice(start, end);
    },
    split() {
      if (end - start < 2) return null;
      const middle = start + Math.ceil((end - start) / 2);
      return [
        valuesStep(worksheets, op, top, left, right, start, middle, bytes / 2),
        valuesStep(worksheets, op, top, left, right, middle, end, bytes / 2),
      ];
    },
    tooLarge: () => new PayloadError(op.sheet, top + start),
  };
}

/** Apply the server's answer: clear old data, write values, set date formats: in that order,
 * in as few syncs as the payload budget allows. */
export async function applyChanges(context, answer, onProgress = () => {}, options = {}) {
  const budget = options.budget || PAYLOAD_BUDGET;
  const worksheets = context.workbook.worksheets;
  const single = (bytes, queue) => ({ bytes, queue, split: () => null });
  const steps = [];
  for (const op of answer.clear || []) {
    steps.push(single(CALL_BYTES + op.range.length, () => {
      worksheets.getItem(op.sheet).getRange(op.range).clear("Contents");
    }));
  }
  for (const op of answer.writes || []) steps.push(...writeSteps(worksheets, op, budget));
  for (const op of answer.formats || []) {
    // one format for the whole range: Office.js applies a single value to every cell
    steps.push(single(CALL_BYTES + op.range.length + jsonBytes(op.format), () => {
      worksheets.getItem(op.sheet).getRange(op.range).numberFormat = op.format;
    }));
  }
  await syncInBudget(context, steps, budget, (done, total) => onProgress(done / Math.max(total, 1)));
}

/** Select the cell an issue names: "F17", a whole column "F", a row "17", or just the tab. */
export async function selectCell(context, sheetName, cell) {
  const ws = context.workbook.worksheets.getItem(sheetName);
  ws.activate();
  if (cell) {
    const whole = /^[A-Z]+$/.test(cell) || /^\d+$/.test(cell);
    ws.getRange(whole ? `${cell}:${cell}` : cell).select();
  }
  await context.sync();
}

export class ServerError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function answerOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null; // not JSON: a proxy's error page
  }
  if (!response.ok) throw new ServerError(response.status, body);
  return body;
}

/** POST the workbook to /api/v1/actions/{action}; the answer, or a ServerError. */
export async function postAction({ fetchImpl, baseUrl, token, action, payload }) {
  const response = await fetchImpl(`${baseUrl}/api/v1/actions/${encodeURIComponent(action)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  return answerOf(response);
}

/** Whose token this is ({user}), or a ServerError (401 for a wrong one). */
export async function whoAmI({ fetchImpl, baseUrl, token }) {
  const response = await fetchImpl(`${baseUrl}/api/v1/me`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return answerOf(response);
}

/** One button press: read the workbook, ask the server, write the answer back. */
export async function runAction({ excel, fetchImpl, baseUrl, token, action, workbookName, onProgress }) {
  const progress = onProgress || (() => {});
  return excel.run(async (context) => {
    progress("reading", 0.1);
    const { sheets, selection } = await readWorkbook(context);
    progress("sending", 0.3);
    const payload = { sheets, selection, workbook_name: workbookName || "workbook.xlsx" };
    const answer = await postAction({ fetchImpl, baseUrl, token, action, payload });
    progress("writing", 0.7);
    await applyChanges(context, answer, (f) => progress("writing", 0.7 + 0.3 * f));
    progress("done", 1);
    return answer;
  });
}

/** The message a user sees for a failure. */
export function failureMessage(error, lang) {
  const t = STRINGS[lang] || STRINGS.zh;
  if (error instanceof ServerError) {
    if (error.status === 401) return t.unauthorised;
    if (error.status === 413) return t.tooLarge;
    return `${t.failed}: ${error.message}`;
  }
  if (error instanceof PayloadError) return `${t.rowTooLarge}: ${error.message}`;
  if (error instanceof TypeError) return t.network;
  return `${t.failed}: ${error && error.message ? error.message : error}`;
}

/** The user's language: the one they chose in the pane, else Office's. */
export function userLanguage(storage, office) {
  const chosen = storage && storage.getItem(LANG_KEY);
  if (chosen === "zh" || chosen === "en") return chosen;
  const display = (office && office.context && office.context.displayLanguage) || "zh";
  return display.toLowerCase().startsWith("zh") ? "zh" : "en";
}
