/* 客户资信管理 Credit Register: the dialog a ribbon button opens (classic.js's notify) to say
 * what the user must know: the text, and links to the documents the action made. ES5, as it may
 * open in Internet Explorer 11. The text arrives in the address's fragment, shown as text only;
 * a link is kept only if it points at this server's documents. */
(function (root) {
  "use strict";

  var DOCUMENT_LINK = /^\/api\/v1\/documents\/[A-Za-z0-9_-]+$/;

  function read() {
    try {
      var notice = JSON.parse(decodeURIComponent(root.location.hash.slice(1)));
      return notice && typeof notice === "object" ? notice : {};
    } catch (error) {
      return {};
    }
  }

  function show() {
    var notice = read();
    var doc = root.document;
    var lines = String(notice.text || "").split("\n");
    var box = doc.getElementById("notice");
    for (var i = 0; i < lines.length; i += 1) {
      var p = doc.createElement("p");
      p.appendChild(doc.createTextNode(lines[i]));
      box.appendChild(p);
    }
    var links = notice.links instanceof Array ? notice.links : [];
    var list = doc.getElementById("links");
    for (var j = 0; j < links.length; j += 1) {
      if (!links[j] || !DOCUMENT_LINK.test(String(links[j].url))) continue;
      var li = doc.createElement("li");
      var a = doc.createElement("a");
      a.href = links[j].url;
      a.target = "_blank";
      a.appendChild(doc.createTextNode(String(links[j].name || links[j].url)));
      li.appendChild(a);
      list.appendChild(li);
    }
    doc.getElementById("ok").onclick = function () {
      var office = root.Office;
      if (office && office.context && office.context.ui && office.context.ui.messageParent) {
        office.context.ui.messageParent("close");
      } else {
        root.close();
      }
    };
    doc.body.setAttribute("data-ready", "true");
  }

  /* Office may be ready before the page below this script is */
  function whenParsed() {
    if (root.document.readyState === "loading") {
      root.document.addEventListener("DOMContentLoaded", show);
    } else {
      show();
    }
  }

  if (root.Office && root.Office.onReady) {
    root.Office.onReady(whenParsed);
  } else if (root.Office) {
    root.Office.initialize = whenParsed;
  } else {
    whenParsed();
  }
})(window);
