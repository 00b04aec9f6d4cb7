// The task pane's workbook logic (addin/taskpane/core.js) against the Excel stand-in:
// run with `node --test tests/addin/`.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

import {
  CHUNK_ROWS,
  ServerError,
  applyChanges,
  corners,
  failureMessage,
  fromA1,
  readWorkbook,
  runAction,
  selectCell,
} from "../../addin/taskpane/core.js";

const require = createRequire(import.meta.url);
const { StandInWorkbook, install } = require("./office_standin.js");

function register() {
  // a small register as Office.js gives it: dates are serials, blanks are ""
  return new StandInWorkbook(
    {
      控制台: [["", "客户资信管理"], ["", ""], ["", "评估日", 46112]],
      客户: [["客户编号", "客户名称"], ["C001", "华东机械"], ["C002", "南方贸易"]],
      问题: [["位置", "级别", "说明"], ["x", "错误", "旧问题"], ["y", "错误", "旧问题"]],
    },
    { selection: { sheet: "客户", rowIndex: 1, rowCount: 50 } },
  );
}

function excelFor(book) {
  const globals = {};
  install(globals, book);
  return globals.Excel;
}

test("addresses are read the way Excel writes them", () => {
  assert.deepEqual(corners("A1:F20"), { top: 1, left: 0, bottom: 20, right: 5 });
  assert.deepEqual(corners("AA10"), { top: 10, left: 26, bottom: 10, right: 26 });
  assert.deepEqual(fromA1([[1, 2]], 2, 1), [["", "", ""], ["", "", ""], ["", 1, 2]]);
});

test("reading sends every tab from A1 and the selected data rows", async () => {
  const book = register();
  const { sheets, selection } = await excelFor(book).run((context) => readWorkbook(context));
  // the Dashboard's used range starts at B1: the pane pads it so that C3 is still C3
  assert.deepEqual(sheets["控制台"][2], ["", "评估日", 46112]);
  assert.equal(sheets["控制台"][0][0], "");
  assert.deepEqual(sheets["客户"][1], ["C001", "华东机械"]);
  // rows 2..51 selected, but only rows 2 and 3 hold data
  assert.deepEqual(selection, { sheet: "客户", rows: [2, 3] });
});

test("applying an answer clears old rows, writes values and date formats", async () => {
  const book = register();
  const answer = {
    clear: [{ sheet: "问题", range: "A2:C3" }],
    writes: [
      { sheet: "问题", range: "A1:C2", values: [["位置", "级别", "说明"], ["客户!B2", "错误", "'=1+1"]] },
      { sheet: "控制台", range: "C10", values: [[46112.5]] },
    ],
    formats: [{ sheet: "控制台", range: "C10", format: "yyyy-mm-dd hh:mm:ss" }],
  };
  await excelFor(book).run((context) => applyChanges(context, answer));
  assert.deepEqual(book.values("问题"), [["位置", "级别", "说明"], ["客户!B2", "错误", "=1+1"]]);
  assert.equal(book.cell("控制台", "C10"), 46112.5);
  assert.equal(book.format("控制台", "C10"), "yyyy-mm-dd hh:mm:ss");
  assert.equal(book.cell("客户", "B3"), "南方贸易", "input sheets are left alone");
});

test("a long table is written in chunks, each its own round trip", async () => {
  const book = register();
  const rows = Array.from({ length: 2 * CHUNK_ROWS + 5 }, (_, i) => [`r${i + 2}`, i]);
  const answer = { clear: [], writes: [{ sheet: "问题", range: `A2:B${rows.length + 1}`, values: rows }], formats: [] };
  await excelFor(book).run((context) => applyChanges(context, answer));
  assert.equal(book.cell("问题", `A${rows.length + 1}`), `r${rows.length + 1}`);
  assert.equal(book.cell("问题", `B${CHUNK_ROWS + 2}`), CHUNK_ROWS);
  assert.ok(book.syncs >= 3 + 1, `expected a sync per chunk, got ${book.syncs}`);
});

test("an issue link selects its cell, its column or its row", async () => {
  const book = register();
  const excel = excelFor(book);
  await excel.run((context) => selectCell(context, "客户", "B3"));
  assert.equal(book.selected, "客户!B3");
  await excel.run((context) => selectCell(context, "客户", "F"));
  assert.equal(book.selected, "客户!F:F");
  await excel.run((context) => selectCell(context, "客户", "17"));
  assert.equal(book.selected, "客户!17:17");
});

test("pressing run posts the workbook with the token and writes back the answer", async () => {
  const book = register();
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, payload: JSON.parse(init.body) });
    return {
      ok: true,
      status: 200,
      json: async () => ({
        ok: true,
        message: "2 个错误，0 个警告",
        issues: [],
        documents: [],
        clear: [{ sheet: "问题", range: "A2:C3" }],
        writes: [
          { sheet: "问题", range: "A1:C1", values: [["位置", "级别", "说明"]] },
          { sheet: "控制台", range: "C11", values: [["2 个错误，0 个警告"]] },
        ],
        formats: [],
      }),
    };
  };
  const steps = [];
  const answer = await runAction({
    excel: excelFor(book),
    fetchImpl,
    baseUrl: "https://localhost:3000",
    token: "secret-token-123456",
    action: "run",
    workbookName: "credit_register.xlsm",
    onProgress: (step) => steps.push(step),
  });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, "https://localhost:3000/api/v1/actions/run");
  assert.equal(calls[0].init.headers.Authorization, "Bearer secret-token-123456");
  assert.deepEqual(calls[0].payload.sheets["客户"][2], ["C002", "南方贸易"]);
  assert.equal(calls[0].payload.workbook_name, "credit_register.xlsm");
  assert.equal(answer.message, "2 个错误，0 个警告");
  assert.equal(book.cell("控制台", "C11"), "2 个错误，0 个警告");
  assert.deepEqual(book.values("问题"), [["位置", "级别", "说明"]]);
  assert.deepEqual([...new Set(steps)], ["reading", "sending", "writing", "done"]);
});

test("a refused token writes nothing and says so in the user's language", async () => {
  const book = register();
  const fetchImpl = async () => ({
    ok: false,
    status: 401,
    json: async () => ({ error: "unauthorised", message: "令牌缺失或错误 (missing or wrong token)" }),
  });
  const before = JSON.stringify(book.dump().sheets);
  await assert.rejects(
    runAction({ excel: excelFor(book), fetchImpl, baseUrl: "", token: "x", action: "run" }),
    (error) => error instanceof ServerError && error.status === 401,
  );
  assert.equal(JSON.stringify(book.dump().sheets), before);
  assert.equal(failureMessage(new ServerError(401, null), "zh"), "令牌错误，请重新输入");
  assert.equal(failureMessage(new ServerError(413, null), "en"), "The workbook is larger than the server accepts");
});
