// 客户资信管理 Credit Register: what the task pane does to the workbook, without the page.
//
// Kept apart from the page (taskpane.js) so that node's test runner can drive it against a
// stand-in for the few Excel JavaScript API objects used here: Excel.run, context.sync,
// workbook.worksheets (load, items, getItem, getActiveWorksheet), worksheet.getUsedRangeOrNullObject,
// worksheet.getRange, range.values / numberFormat / clear("Contents") / select(),
// workbook.getSelectedRange(). The protocol is the server's (json_port.py): sheets in as values
// from A1, then `clear`, `writes`, `formats` applied in that order.

export const STRINGS = {
  zh: {
    title: "客户资信管理",
    token: "访问令牌",
    saveToken: "保存",
    tokenSaved: "令牌已保存在本机",
    tokenMissing: "请先输入访问令牌",
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
    failed: "操作失败",
    network: "无法连接服务器",
  },
  en: {
    title: "Credit Register",
    token: "Access token",
    saveToken: "Save",
    tokenSaved: "Token saved on this computer",
    tokenMissing: "Enter the access token first",
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
    failed: "The action failed",
    network: "Cannot reach the server",
  },
};

/** Rows written per Excel.run round trip: Excel on the web refuses very large requests. */
export const CHUNK_ROWS = 2000;
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
  const rows = values.map((row) => (columnIndexValue ? [...pad, ...row] : row));
  const width = rows.length ? rows[0].length : 0;
  const blank = [];
  for (let i = 0; i < rowIndex; i += 1) blank.push(new Array(width).fill(""));
  return [...blank, ...rows];
}

/** Every tab's values from A1, and the selected rows of the active tab. */
export async function readWorkbook(context) {
  const worksheets = context.workbook.worksheets;
  worksheets.load("items/name");
  await context.sync();
  const used = worksheets.items.map((ws) => {
    const range = ws.getUsedRangeOrNullObject(true);
    range.load("values,rowIndex,columnIndex");
    return [ws.name, range];
  });
  await context.sync();
  const sheets = {};
  for (const [name, range] of used) {
    sheets[name] = range.isNullObject ? [] : fromA1(range.values, range.rowIndex, range.columnIndex);
  }
  let selection = null;
  try {
    const selected = context.workbook.getSelectedRange();
    selected.load("rowIndex,rowCount");
    const active = worksheets.getActiveWorksheet();
    active.load("name");
    await context.sync();
    const filled = (sheets[active.name] || []).length;
    const rows = [];
    const last = Math.min(selected.rowIndex + selected.rowCount, filled);
    for (let r = selected.rowIndex + 1; r <= last; r += 1) rows.push(r);
    selection = { sheet: active.name, rows };
  } catch {
    selection = null; // a chart or a shape is selected: no rows
  }
  return { sheets, selection };
}

function formatMatrix(range, format) {
  const { top, left, bottom, right } = corners(range);
  const row = new Array(right - left + 1).fill(format);
  return Array.from({ length: bottom - top + 1 }, () => row.slice());
}

/** Apply the server's answer: clear old data, write values (in chunks), set date formats. */
export async function applyChanges(context, answer, onProgress = () => {}) {
  const worksheets = context.workbook.worksheets;
  const sheet = (name) => worksheets.getItem(name);
  for (const op of answer.clear || []) sheet(op.sheet).getRange(op.range).clear("Contents");
  await context.sync();
  const writes = answer.writes || [];
  let done = 0;
  for (const op of writes) {
    const { top, left, right } = corners(op.range);
    for (let start = 0; start < op.values.length; start += CHUNK_ROWS) {
      const chunk = op.values.slice(start, start + CHUNK_ROWS);
      const span = address(top + start, left, top + start + chunk.length - 1, right);
      sheet(op.sheet).getRange(span).values = chunk;
      await context.sync();
    }
    done += 1;
    onProgress(done / Math.max(writes.length, 1));
  }
  for (const op of answer.formats || []) {
    sheet(op.sheet).getRange(op.range).numberFormat = formatMatrix(op.range, op.format);
  }
  await context.sync();
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

/** POST the workbook to /api/v1/actions/{action}; the answer, or a ServerError. */
export async function postAction({ fetchImpl, baseUrl, token, action, payload }) {
  const response = await fetchImpl(`${baseUrl}/api/v1/actions/${encodeURIComponent(action)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ServerError(response.status, body);
  return body;
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
  if (error instanceof TypeError) return t.network;
  return `${t.failed}: ${error && error.message ? error.message : error}`;
}
