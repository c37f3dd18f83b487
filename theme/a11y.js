// Accessibility fixes for mdBook 0.5.4's default theme and for one effect of
// its print page on our markup, in our own script (no copied theme files, no
// index.hbs). Each block names the problem it fixes; tests/browser/ checks
// them with axe-core in every theme. Runs after mdBook's book.js.
(function () {
    "use strict";

    // mdBook problem: the sidebar toggle is `<label id="mdbook-sidebar-toggle"
    // for="mdbook-sidebar-toggle-anchor" aria-label aria-controls>`, and book.js
    // sets `aria-expanded` on it. A <label> may carry none of these (axe
    // aria-prohibited-attr, serious; aria-allowed-attr, critical), and no
    // keyboard can reach it: the checkbox it labels is `display: none`. We put a
    // <button> with the same id, class, name and icon in its place; it drives
    // the same checkbox, so book.js shows and hides the sidebar as before. Without
    // JavaScript the label stays and works as mdBook intends.
    var label = document.getElementById("mdbook-sidebar-toggle");
    var box = document.getElementById("mdbook-sidebar-toggle-anchor");
    var sidebar = document.getElementById("mdbook-sidebar");
    if (label && box && sidebar && label.tagName === "LABEL") {
        var button = document.createElement("button");
        button.type = "button";
        button.id = label.id;
        button.className = label.className;
        button.title = label.title;
        button.setAttribute("aria-label", label.getAttribute("aria-label") || label.title);
        button.setAttribute("aria-controls", sidebar.id);
        while (label.firstChild) button.appendChild(label.firstChild);
        label.replaceWith(button);
        button.addEventListener("click", function () {
            // What book.js does on a click of the label: undo `display: none`
            // first, so the sidebar slides in.
            if (!box.checked) {
                sidebar.style.display = "";
                void sidebar.offsetHeight;
            }
            box.click();
        });
        // book.js also opens and closes the sidebar on a swipe, without the
        // checkbox; the class on <html> is the one state it always updates.
        var root = document.documentElement;
        var sync = function () {
            button.setAttribute("aria-expanded", String(root.classList.contains("sidebar-visible")));
        };
        sync();
        new MutationObserver(sync).observe(root, { attributes: true, attributeFilter: ["class"] });
    }

    // mdBook problem: no way past the sidebar and the menu bar. With the
    // sidebar open a chapter's first link was the 42nd Tab stop (WCAG 2.4.1,
    // rust-lang/mdBook#1725). A "Skip to content" link is now the first stop,
    // shown when focused (a11y.css); it moves focus to the content, so the next
    // Tab is the chapter's first link. The published pages have it in their
    // HTML, for readers without JavaScript too (`cargo xtask build`,
    // xtask/src/chrome.rs); a preview has none, so it is written here.
    var content = document.getElementById("mdbook-content");
    if (content) {
        var skip = document.querySelector("body > a.a11y-skip-link");
        if (!skip) {
            skip = document.createElement("a");
            skip.className = "a11y-skip-link";
            skip.href = "#" + content.id;
            skip.textContent = "Skip to content";
        }
        // Focusable by script only, so that following the link puts focus there.
        content.setAttribute("tabindex", "-1");
        skip.addEventListener("click", function (event) {
            // Focus, scrolled into view only if it is not; the address keeps no
            // fragment that Back would have to step over.
            event.preventDefault();
            content.focus();
        });
        if (skip.parentNode !== document.body) document.body.insertBefore(skip, document.body.firstChild);
    }

    // mdBook problem: the menu bar (the book's title and the theme, search,
    // print and repository buttons) is a plain <div> outside every landmark, so
    // a screen reader cannot jump to it (axe region, moderate). It is the
    // page's banner.
    var bar = document.getElementById("mdbook-menu-bar");
    if (bar && !bar.hasAttribute("role")) bar.setAttribute("role", "banner");

    // Our problem: the ledger, where every claim has its verdict, was below the
    // fold of the sidebar and nowhere in the menu bar, on a desktop and on a
    // phone (issue 21). An icon link to it now comes first among the menu
    // bar's right-hand links on every page, named like them (print,
    // repository); on the ledger itself it says so. The icon is three checked
    // rows, drawn with strokes in the text colour. `path_to_root` is mdBook's.
    var right = document.querySelector("#mdbook-menu-bar .right-buttons");
    if (right && typeof path_to_root === "string" && !right.querySelector(".a11y-ledger-link")) {
        var svgNs = "http://www.w3.org/2000/svg";
        var link = document.createElement("a");
        link.className = "a11y-ledger-link";
        link.href = path_to_root + "ledger.html";
        link.title = "Claims ledger: every claim and its verdict";
        link.setAttribute("aria-label", "Claims ledger");
        if (/(^|\/)ledger\.html$/.test(location.pathname)) link.setAttribute("aria-current", "page");
        var icon = document.createElement("span");
        icon.className = "fa-svg";
        var svg = document.createElementNS(svgNs, "svg");
        svg.setAttribute("viewBox", "0 0 16 16");
        svg.setAttribute("aria-hidden", "true");
        var path = document.createElementNS(svgNs, "path");
        path.setAttribute("d", "M1.5 3.5l1.5 1.5 2.5-3M8 3.5h6.5M1.5 8l1.5 1.5 2.5-3M8 8h6.5M1.5 12.5l1.5 1.5 2.5-3M8 12.5h6.5");
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", "currentColor");
        path.setAttribute("stroke-width", "1.75");
        path.setAttribute("stroke-linecap", "round");
        path.setAttribute("stroke-linejoin", "round");
        svg.appendChild(path);
        icon.appendChild(svg);
        link.appendChild(icon);
        right.insertBefore(link, right.firstChild);
    }

    // Our problem, made by mdBook's print page: each "Terms in this chapter"
    // section is named by `aria-labelledby="gloss-terms-list-title"`. print.html
    // renames the repeated heading ids (-1, -2, ...) but not aria-labelledby, so
    // every list there was named by the first chapter's heading (axe
    // landmark-unique). Name each list by its own heading and its chapter's title.
    var chapter = null;
    document.querySelectorAll("main h1[id], section.gloss-terms-list").forEach(function (el) {
        if (el.tagName === "H1") {
            chapter = el;
            return;
        }
        var heading = el.querySelector("h2[id]");
        if (heading) el.setAttribute("aria-labelledby", heading.id + (chapter ? " " + chapter.id : ""));
    });

    // mdBook problem: book.js's empty `window.onunload` handler (refused in
    // theme/head.hbs; it is deprecated) was there to keep a page out of the
    // back/forward cache, so that going back never showed a theme or sidebar
    // changed on a later page. Pages now enter that cache; one restored from it
    // reloads if the stored theme or sidebar state differs from what it shows,
    // read as mdBook's own scripts in <body> read them at load.
    window.addEventListener("pageshow", function (event) {
        if (!event.persisted) return;
        var stored = function (key) {
            try {
                return localStorage.getItem(key);
            } catch (e) {
                return null;
            }
        };
        var dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
        var theme = stored("mdbook-theme") || (dark ? default_dark_theme : default_light_theme);
        var sidebar = document.body.clientWidth >= 1080 ? stored("mdbook-sidebar") || "visible" : "hidden";
        var root = document.documentElement;
        if (!root.classList.contains(theme) || root.classList.contains("sidebar-visible") !== (sidebar === "visible")) {
            location.reload();
        }
    });
})();
