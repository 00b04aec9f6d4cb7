// The ribbon buttons (src/credit_register/addin/taskpane/commands.js): a button that cannot do its work says why in
// a dialog (classic.js's notify), and Office is told the button is done only once it is closed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const { StandInWorkbook, install } = require("./office_standin.js");

const TOKEN_KEY = "creditRegister.token";

function storage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

function register() {
  return new StandInWorkbook({
    控制台: [["", "客户资信管理"]],
    问题: [["位置", "级别", "说明"]],
  });
}

// the function file's page, as Office loads it: office.js, actions.js, classic.js, commands.js
const page = globalThis;
page.window = page;
page.location = { protocol: "https:", host: "localhost:3000", origin: "https://localhost:3000" };
page.CREDIT_REGISTER_ACTIONS = [{ key: "run", zh: "运行评级与预警", en: "Run rating & alerts" },
  { key: "report", zh: "资信报告（所选客户）", en: "Credit report (selected customer)" }];
const book = install(page, register());
vm.runInThisContext(readFileSync(new URL("../../src/credit_register/addin/taskpane/classic.js", import.meta.url), "utf8"));
const { pressRibbon } = await import("../../src/credit_register/addin/taskpane/commands.js");
await Promise.resolve(); // Office.onReady's callback

function answering(status, body) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    return { ok: status < 400, status, json: async () => body };
  };
  return { calls, fetchImpl };
}

function noticeOf(dialog) {
  assert.match(dialog.url, /^https:\/\/localhost:3000\/taskpane\/notice\.html#/);
  return JSON.parse(decodeURIComponent(dialog.url.split("#")[1]));
}

async function press(key, { fetchImpl, store }) {
  page.fetch = fetchImpl;
  page.localStorage = store;
  let completed = 0;
  const event = { completed: () => { completed += 1; } };
  const pressing = page[`__action_${key}`](event);
  return { pressing, completed: () => completed };
}

test("every action is a ribbon function, by its key", () => {
  assert.equal(typeof page.run, "function");
  assert.equal(typeof page.__action_report, "function", "Office.actions.associate was told");
});

test("without a saved token the button says where to enter it, then completes", async () => {
  const server = answering(200, {});
  const before = page.__dialogs.length;
  const { pressing, completed } = await press("run", { fetchImpl: server.fetchImpl, store: storage() });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(page.__dialogs.length, before + 1, "a dialog opened");
  const dialog = page.__dialogs[page.__dialogs.length - 1];
  assert.match(noticeOf(dialog).text, /资信面板.*访问令牌/);
  assert.equal(completed(), 0, "the button waits for the user to close the dialog");
  dialog.send("close"); // the dialog's OK button
  await pressing;
  assert.equal(dialog.closed, true);
  assert.equal(completed(), 1);
  assert.equal(server.calls.length, 0, "nothing was sent without a token");
});

test("a refused token is shown, forgotten, and the workbook is left alone", async () => {
  const server = answering(401, { error: "unauthorised", message: "令牌缺失或错误" });
  const store = storage({ [TOKEN_KEY]: "someone-elses-token-000" });
  const before = JSON.stringify(book.dump().sheets);
  const { pressing, completed } = await press("run", { fetchImpl: server.fetchImpl, store });
  await new Promise((resolve) => setTimeout(resolve, 10));
  const dialog = page.__dialogs[page.__dialogs.length - 1];
  assert.equal(noticeOf(dialog).text, "令牌错误，请重新输入");
  dialog.userCloses(); // the dialog's own close box
  await pressing;
  assert.equal(completed(), 1);
  assert.equal(store.getItem(TOKEN_KEY), null);
  assert.equal(JSON.stringify(book.dump().sheets), before);
});

test("an action that did not run shows its message; one that made documents links them", async () => {
  const office = page.Office;
  const refused = answering(200, { ok: false, message: "请先选择客户 (select a customer first)",
    documents: [], clear: [], writes: [], formats: [] });
  const store = storage({ [TOKEN_KEY]: "my-own-token-0123456789" });
  const excel = page.Excel;
  const notice = await pressRibbon("report", { excel, fetchImpl: refused.fetchImpl, baseUrl: "", storage: store, office });
  assert.equal(notice.text, "请先选择客户 (select a customer first)");

  const made = answering(200, { ok: true, message: "已生成资信报告 1 份", clear: [], writes: [], formats: [],
    documents: [{ id: "abc", name: "资信报告_C001.docx", url: "/api/v1/documents/abc" }] });
  const withLinks = await pressRibbon("report", { excel, fetchImpl: made.fetchImpl, baseUrl: "", storage: store, office });
  assert.deepEqual(withLinks.links, [{ name: "资信报告_C001.docx", url: "/api/v1/documents/abc" }]);

  const quiet = answering(200, { ok: true, message: "完成", documents: [], clear: [], writes: [], formats: [] });
  assert.equal(await pressRibbon("run", { excel, fetchImpl: quiet.fetchImpl, baseUrl: "", storage: store, office }), null,
    "a run that worked needs no dialog: the Dashboard says it");
});

test("an unreachable server is said in the user's language", async () => {
  const store = storage({ [TOKEN_KEY]: "my-own-token-0123456789", "creditRegister.lang": "en" });
  const down = async () => { throw new TypeError("Failed to fetch"); };
  const notice = await pressRibbon("run", { excel: page.Excel, fetchImpl: down, baseUrl: "", storage: store, office: page.Office });
  assert.equal(notice.text, "Cannot reach the server");
  assert.equal(notice.lang, "en");
});
