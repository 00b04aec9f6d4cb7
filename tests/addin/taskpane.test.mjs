// The task pane's workbook logic (src/credit_register/addin/taskpane/core.js) against the Excel stand-in:
// run with `node --test tests/addin/`.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

import {
  PAYLOAD_BUDGET,
  PayloadError,
  ServerError,
  applyChanges,
  corners,
  failureMessage,
  fromA1,
  readWorkbook,
  runAction,
  selectCell,
} from "../../src/credit_register/addin/taskpane/core.js";

const require = createRequire(import.meta.url);
const { PAYLOAD_LIMIT, StandInWorkbook, install, jsonSize } = require("./office_standin.js");

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

/** An invoice table as a big company's register holds it: Chinese names, amounts, dates. */
function invoices(rows, note = () => "按合同约定分期付款") {
  const header = ["发票号", "客户编号", "客户名称", "开票日期", "到期日", "金额", "币种", "备注"];
  const out = [header];
  for (let i = 0; i < rows; i += 1) {
    out.push([`INV-2026-${String(i).padStart(7, "0")}`, `C${String(i % 9000).padStart(5, "0")}`,
      "华东机械制造有限公司", 46000 + (i % 300), 46030 + (i % 300), 12345.67 + i, "CNY", note(i)]);
  }
  return out;
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
  // a small workbook costs a handful of round trips, not one per sheet
  assert.ok(book.syncs <= 5, `${book.syncs} syncs for three small sheets`);
});

test("the stand-in refuses a sync over 5 MB as Excel on the web does, and does none of it", async () => {
  const book = register();
  const rows = invoices(40000).slice(1);
  assert.ok(jsonSize(rows) > PAYLOAD_LIMIT, "the table is larger than one request may be");
  await assert.rejects(
    excelFor(book).run(async (context) => {
      context.workbook.worksheets.getItem("问题").getRange(`A2:H${rows.length + 1}`).values = rows;
      await context.sync();
    }),
    (error) => error.code === "RequestPayloadSizeLimitExceeded" && error.name === "RichApi.Error",
  );
  assert.equal(book.cell("问题", "A2"), "x", "nothing of the refused request was written");
});

test("a register of 80,000 invoices (14 MB of values) is read in blocks, every sync under 5 MB", async () => {
  const table = invoices(80000);
  const book = new StandInWorkbook({ 控制台: [["", "客户资信管理"]], 发票: table });
  assert.ok(jsonSize(table) > 2.5 * PAYLOAD_LIMIT, `only ${jsonSize(table)} bytes`);
  const { sheets } = await excelFor(book).run((context) => readWorkbook(context));
  assert.deepEqual(sheets["发票"], table);
  assert.equal(book.refusals, 0, "the blocks were sized right the first time");
  // planned at 4 MB from the sample; later rows may be a little longer, never 1 MB longer
  assert.ok(book.largestPayload < PAYLOAD_LIMIT, `a sync carried ${book.largestPayload} bytes`);
  assert.ok(book.largestPayload > PAYLOAD_BUDGET / 2, "the blocks are not needlessly small");
  assert.ok(book.syncs >= 4, `${book.syncs} syncs cannot carry ${jsonSize(table)} bytes`);
});

test("rows longer than the sample: the refused block is halved and read again", async () => {
  // the first rows have short notes, the later ones 400 characters of Chinese each
  const table = invoices(12000, (i) => (i < 1000 ? "" : "逾期说明".repeat(100)));
  const book = new StandInWorkbook({ 发票: table });
  const { sheets } = await excelFor(book).run((context) => readWorkbook(context));
  assert.deepEqual(sheets["发票"], table);
  assert.ok(book.refusals >= 1, "the sample said the rows were short: Excel refused a block");
  assert.ok(book.largestPayload <= PAYLOAD_LIMIT);
});

test("a single row larger than Excel can carry is named, not retried forever", async () => {
  const wide = [["客户编号", ...Array.from({ length: 200 }, (_, i) => `备注${i}`)],
    ["C001", ...Array.from({ length: 200 }, () => "x".repeat(32000))]];
  const book = new StandInWorkbook({ 客户: wide });
  const error = await excelFor(book).run((context) => readWorkbook(context)).catch((e) => e);
  assert.ok(error instanceof PayloadError, String(error));
  assert.equal(failureMessage(error, "en"), "A row of a sheet is larger than Excel can transfer at once (5 MB): 客户!2:2");
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
  assert.equal(book.syncs, 1, "a small answer is one round trip");
});

test("writing 80,000 rows and their date formats: chunks under the budget, in order", async () => {
  const book = new StandInWorkbook({ 账龄: [["old"], ["stale"], ["stale"]] });
  const rows = invoices(80000);
  const formats = [];
  // one format per date column, and History's mixed columns: one per cell
  formats.push({ sheet: "账龄", range: `D2:D${rows.length}`, format: "yyyy-mm-dd" });
  for (let r = 2; r <= 3000; r += 1) formats.push({ sheet: "账龄", range: `E${r}`, format: "yyyy-mm-dd hh:mm:ss" });
  const answer = {
    clear: [{ sheet: "账龄", range: "A2:A3" }],
    writes: [{ sheet: "账龄", range: `A1:H${rows.length}`, values: rows }],
    formats,
  };
  const progress = [];
  await excelFor(book).run((context) => applyChanges(context, answer, (f) => progress.push(f)));
  assert.deepEqual(book.values("账龄"), rows);
  assert.equal(book.format("账龄", `D${rows.length}`), "yyyy-mm-dd");
  assert.equal(book.format("账龄", "E3000"), "yyyy-mm-dd hh:mm:ss");
  assert.equal(book.refusals, 0);
  assert.ok(book.largestPayload <= PAYLOAD_BUDGET, `a sync carried ${book.largestPayload} bytes`);
  assert.ok(book.syncs >= 4, `${book.syncs} syncs`);
  assert.equal(progress[progress.length - 1], 1);
  assert.ok(progress.every((f, i) => i === 0 || f >= progress[i - 1]), "progress only moves forward");
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
  assert.equal("user" in calls[0].payload, false, "who acts is the token's business, not the body's");
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
