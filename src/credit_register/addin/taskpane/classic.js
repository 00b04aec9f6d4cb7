/* 客户资信管理 Credit Register: the one script every page loads before its module, written in
 * ES5 so that every webview Office has ever used can run it.
 *
 * Office 2016 and 2019 (volume editions) show add-ins in Internet Explorer 11, which ignores
 * <script type="module">, and some in the old Edge (EdgeHTML): the pane would stay blank with no
 * word why. This script checks, with the syntax the modules use, that the webview can run them;
 * where it cannot, or where the page's module did not start by the time the page has loaded, the
 * task pane shows a message and the ribbon buttons answer with it in a dialog.
 * It also holds the dialog that the ribbon buttons show (notify): the modules use it too.
 */
(function (root) {
  "use strict";

  var TOO_OLD = {
    zh: "此版本的 Office 无法运行资信管理加载项：它显示加载项所用的浏览器组件" +
      "（Internet Explorer 11 或旧版 Edge）太旧。请使用 Microsoft 365 或 Office 2021 及以上版本，" +
      "或在浏览器中使用 Excel 网页版。工作簿自带的按钮（Python）不受影响。",
    en: "This version of Office cannot run the Credit Register add-in: the browser component " +
      "it shows add-ins in (Internet Explorer 11 or the old Edge) is too old. Use Microsoft 365 " +
      "or Office 2021 or later, or Excel on the web. The workbook's own buttons (Python) still work."
  };
  var NOT_STARTED = {
    zh: "资信管理加载项未能启动（脚本未能加载或此版本的 Office 不支持）。请检查网络后重新打开任务窗格；" +
      "如仍不行，请使用 Microsoft 365 或 Office 2021 及以上版本，或 Excel 网页版。",
    en: "The Credit Register add-in did not start (its scripts did not load, or this version of " +
      "Office cannot run them). Check the network and open the pane again; if it still fails, use " +
      "Microsoft 365 or Office 2021 or later, or Excel on the web."
  };
  /* the syntax of the pane's modules (ES2017): a webview that cannot parse it cannot run them */
  var MODERN_SYNTAX =
    "class A { constructor(x = 1) { this.x = x; } }" +
    "const f = async (a, ...rest) => { const { x } = new A(a); let s = `${x}`;" +
    " for (const y of [...rest]) { s += await y; } return s; };" +
    "return typeof f;";

  function modernEnough() {
    try {
      /* eslint-disable-next-line no-new-func */
      new Function(MODERN_SYNTAX)();
    } catch (error) {
      return false;
    }
    return typeof root.fetch === "function" && typeof root.Promise === "function" &&
      typeof root.localStorage === "object";
  }

  function origin() {
    return root.location.protocol + "//" + root.location.host;
  }

  /** A dialog with `notice.text` (and links to `notice.links`' documents); `done` runs when it
   * is closed, or at once where no dialog can be shown. */
  function notify(notice, done) {
    var finished = false;
    function finish() {
      if (!finished) {
        finished = true;
        if (done) done();
      }
    }
    var office = root.Office;
    if (!office || !office.context || !office.context.ui || !office.context.ui.displayDialogAsync) {
      finish();
      return;
    }
    var url = origin() + "/taskpane/notice.html#" + encodeURIComponent(JSON.stringify(notice));
    var succeeded = office.AsyncResultStatus ? office.AsyncResultStatus.Succeeded : "succeeded";
    try {
      office.context.ui.displayDialogAsync(url, { height: 40, width: 35, displayInIframe: true },
        function (result) {
          if (!result || result.status !== succeeded) {
            finish();
            return;
          }
          var dialog = result.value;
          dialog.addEventHandler(office.EventType.DialogMessageReceived, function () {
            dialog.close();
            finish();
          });
          dialog.addEventHandler(office.EventType.DialogEventReceived, finish);
        });
    } catch (error) {
      finish();
    }
  }

  function showInPage(message) {
    var body = root.document.body;
    while (body.firstChild) body.removeChild(body.firstChild);
    var box = root.document.createElement("div");
    box.className = "legacy";
    box.setAttribute("role", "alert");
    var title = root.document.createElement("h1");
    title.appendChild(root.document.createTextNode("客户资信管理 Credit Register"));
    box.appendChild(title);
    var texts = [message.zh, message.en];
    for (var i = 0; i < texts.length; i += 1) {
      var p = root.document.createElement("p");
      p.appendChild(root.document.createTextNode(texts[i]));
      box.appendChild(p);
    }
    body.appendChild(box);
    body.setAttribute("data-legacy", "true");
  }

  /* the ribbon's buttons, where the module cannot answer them: each says why in a dialog */
  function answerButtons(message) {
    var actions = root.CREDIT_REGISTER_ACTIONS || [];
    var office = root.Office;
    for (var i = 0; i < actions.length; i += 1) {
      (function (key) {
        var handler = function (event) {
          notify({ text: message.zh + "\n" + message.en, links: [], lang: "zh" }, function () {
            if (event && event.completed) event.completed();
          });
        };
        root[key] = handler;
        if (office && office.actions && office.actions.associate) office.actions.associate(key, handler);
      })(actions[i].key);
    }
  }

  function fallBack(message) {
    var page = root.document.documentElement.getAttribute("data-page");
    if (page === "commands") {
      answerButtons(message);
    } else if (root.document.body) {
      showInPage(message);
    } else {
      root.document.addEventListener("DOMContentLoaded", function () { showInPage(message); });
    }
  }

  function start() {
    var office = root.Office;
    if (office && !office.onReady && !office.initialize) office.initialize = function () {};
    if (!modernEnough()) {
      fallBack(TOO_OLD);
      return;
    }
    root.addEventListener("load", function () {
      if (!root.CREDIT_REGISTER_STARTED) fallBack(NOT_STARTED);
    });
  }

  root.CreditRegister = { notify: notify, modernEnough: modernEnough, TOO_OLD: TOO_OLD };
  if (root.document && root.document.documentElement) start();
})(typeof window !== "undefined" ? window : this);
