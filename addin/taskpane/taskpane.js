// 客户资信管理 Credit Register: the task pane page. The work is in core.js; this file is the page.
import { ACTIONS } from "./actions.js";
import { LANG_KEY, STRINGS, TOKEN_KEY, failureMessage, runAction, selectCell } from "./core.js";

const $ = (id) => document.getElementById(id);
let lang = "zh";
let busy = false;

function t(key) {
  return (STRINGS[lang] || STRINGS.zh)[key];
}

function workbookName() {
  const url = (globalThis.Office && Office.context && Office.context.document
    && Office.context.document.url) || "";
  return url.split(/[\\/]/).pop() || "workbook.xlsx";
}

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("title").textContent = t("title");
  $("lang").textContent = t("language");
  $("token-label").textContent = t("token");
  $("save-token").textContent = t("saveToken");
  $("issues-title").textContent = t("issues");
  $("documents-title").textContent = t("documents");
  const box = $("actions");
  box.replaceChildren();
  ACTIONS.forEach((action, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.id = `action-${action.key}`;
    button.dataset.action = action.key;
    button.textContent = lang === "zh" ? action.zh : action.en;
    if (i < 2) button.className = "primary";
    button.disabled = busy;
    button.addEventListener("click", () => press(action.key));
    box.append(button);
  });
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showIssues(issues) {
  const list = $("issues");
  list.replaceChildren();
  if (!issues.length) {
    const li = document.createElement("li");
    li.textContent = t("noIssues");
    list.append(li);
  }
  for (const issue of issues.slice(0, 500)) {
    const li = document.createElement("li");
    li.className = issue.severity;
    const link = document.createElement("a");
    link.textContent = `${issue.sheet}!${issue.cell}`;
    link.title = issue.place;
    link.addEventListener("click", () =>
      Excel.run((context) => selectCell(context, issue.sheet, issue.cell)).catch(() => {}));
    li.append(link, document.createTextNode(` ${issue.message}`));
    list.append(li);
  }
}

function showDocuments(documents) {
  const list = $("documents");
  list.replaceChildren();
  for (const doc of documents) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = doc.url;
    link.download = doc.name;
    link.target = "_blank";
    link.textContent = doc.name;
    li.append(link);
    list.append(li);
  }
}

async function press(action) {
  const token = localStorage.getItem(TOKEN_KEY) || $("token").value.trim();
  if (!token) {
    setStatus(t("tokenMissing"), true);
    return;
  }
  busy = true;
  render();
  $("progress-box").hidden = false;
  setStatus("");
  try {
    const answer = await runAction({
      excel: Excel,
      fetchImpl: (...args) => fetch(...args),
      baseUrl: location.origin,
      token,
      action,
      workbookName: workbookName(),
      onProgress: (step, fraction) => {
        $("progress").value = fraction;
        $("progress-text").textContent = t(step);
      },
    });
    setStatus(answer.message, !answer.ok);
    showIssues(answer.issues);
    showDocuments(answer.documents);
  } catch (error) {
    setStatus(failureMessage(error, lang), true);
    if (error && error.status === 401) localStorage.removeItem(TOKEN_KEY);
  } finally {
    busy = false;
    $("progress-box").hidden = true;
    render();
  }
}

Office.onReady(() => {
  const display = (Office.context && Office.context.displayLanguage) || navigator.language || "zh";
  lang = localStorage.getItem(LANG_KEY) || (display.toLowerCase().startsWith("zh") ? "zh" : "en");
  if (localStorage.getItem(TOKEN_KEY)) $("token").placeholder = "••••••••";
  $("save-token").addEventListener("click", () => {
    const value = $("token").value.trim();
    if (value) {
      localStorage.setItem(TOKEN_KEY, value);
      $("token").value = "";
      $("token").placeholder = "••••••••";
      setStatus(t("tokenSaved"));
    }
  });
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG_KEY, lang);
    render();
  });
  render();
  document.body.dataset.ready = "true";
});
