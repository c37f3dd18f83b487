// mdbook-gloss: glossary callouts and previews of cross-references and
// citations. Without this script every callout is a plain link to its
// glossary entry, and the chapter's "Terms in this chapter" list (or, in a
// book without those lists, the callout's `title`) holds the definitions; the
// glossary page is its own list; every
// cross-reference and citation is a plain link. With it, the definition, or
// the target's title and first paragraph, or the source's title, authors,
// year, the locator cited and its link, show on hover, keyboard focus and tap
// (WCAG 2.2 1.4.13: dismissible with Escape, hoverable, persistent until the
// pointer or focus leaves). One popover element serves every link on the
// page. On a touch screen a tap opens it and a second tap on the link closes
// it; the popover ends with a link to where the link goes, for the reader who
// wants more.
(function () {
    "use strict";
    // Each preview is written once per page, in a store of attributes
    // (xref-previews.html, cite-previews.html), keyed by the href of the links
    // that show it: no fetch, so it works from file:// and offline, and out of
    // mdBook's search index, which reads text nodes only.
    var previews = {};
    document.querySelectorAll(".gloss-previews [data-gloss-preview]").forEach(function (p) {
        previews[p.getAttribute("data-gloss-preview")] = p.dataset;
    });
    var terms = document.querySelectorAll("a.gloss-term");
    var refs = [].filter.call(document.querySelectorAll("main a.gloss-xref, main a.gloss-cite"), function (a) {
        return previews.hasOwnProperty(a.getAttribute("href"));
    });
    if (!terms.length && !refs.length) return;

    var pop = document.createElement("div");
    pop.id = "gloss-popover";
    pop.className = "gloss-popover";
    // No role="tooltip": it holds a link, which a tooltip may not. Screen
    // readers get the definition or preview from the link's aria-description.
    var native = typeof pop.showPopover === "function";
    if (native) pop.setAttribute("popover", "manual");
    document.body.appendChild(pop);

    var current = null, hideTimer = 0, switchTimer = 0, lastPointer = "mouse", dismissed = null, openAtDown = false;
    // What each link's popover holds: a function that fills it.
    var fills = new Map();

    // Each definition is written once per page, in the terms list (on the
    // glossary page, in a store that is not displayed).
    var defs = {};
    document.querySelectorAll(".gloss-terms-list a[data-gloss-entry], .gloss-previews [data-gloss-entry]").forEach(function (a) {
        defs[a.getAttribute("data-gloss-entry")] = a.getAttribute("data-definition") || "";
    });

    function line(tag, cls, text) {
        var el = document.createElement(tag);
        if (cls) el.className = cls;
        el.textContent = text;
        pop.appendChild(el);
        return el;
    }
    function link(href, text) {
        line("a", "gloss-popover-link", text).href = href;
    }

    terms.forEach(function (term) {
        var def = term.getAttribute("title") || defs[term.getAttribute("data-gloss-term")] || "";
        term.removeAttribute("title");
        register(term, def, function () {
            line("strong", "", term.textContent);
            pop.appendChild(document.createTextNode(def));
            link(term.getAttribute("href"), "Open the glossary entry");
        });
    });

    refs.forEach(function (a) {
        var href = a.getAttribute("href"), p = previews[href];
        if (a.classList.contains("gloss-xref")) {
            register(a, p.text, function () {
                if (p.context) line("span", "gloss-popover-context", p.context);
                line("strong", "", p.title);
                if (p.text) pop.appendChild(document.createTextNode(p.text));
                link(href, href.indexOf("#") < 0 ? "Go to the chapter" : "Go to the section");
            });
            return;
        }
        // cite.html writes "(Cite as, locator)": the locator is what follows the short form.
        var inner = a.textContent.replace(/\s+/g, " ").trim().replace(/^\(|\)$/g, "");
        var locator = inner.length > p.short.length ? inner.slice(p.short.length).replace(/^,\s*/, "") : "";
        var byline = p.authors + " (" + p.year + ")";
        register(a, p.title + ". " + byline + (locator ? ". Cited: " + locator : ""), function () {
            line("strong", "", p.title);
            line("span", "gloss-popover-context", byline);
            if (locator) line("span", "gloss-popover-line", "Cited here: " + locator);
            var section = sectionLink(p.sectionUrl, locator);
            if (section) link(section.href, "Read " + section.name + " in the source");
            else if (p.url) link(p.url, "Read the source");
            link(href, "Open in the references");
        });
    });

    // A source's `Section URL:` pattern filled with the first numbered
    // section the locator names (§3.2.1 → …#S3.SS2.SSS1): the rule of the
    // preprocessor's references/sections.rs, which links the same sections
    // from the references page.
    function sectionLink(pattern, locator) {
        var m = pattern && /§[ \u00a0]*(\d{1,9}(?:\.\d{1,9})*)(?!\d)/.exec(locator);
        if (!m) return null;
        var parts = m[1].split("."), href = "", rest = pattern, used = [];
        for (var i = 0; i < parts.length; i++) {
            var placeholder = "{" + (i + 1) + "}", at = rest.indexOf(placeholder);
            if (at < 0) break;
            href += rest.slice(0, at) + String(Number(parts[i]));
            rest = rest.slice(at + placeholder.length);
            used.push(Number(parts[i]));
        }
        if (rest.indexOf("{") < 0) href += rest;
        return { href: href, name: "§" + used.join(".") };
    }

    function register(term, description, fill) {
        fills.set(term, fill);
        if (description) term.setAttribute("aria-description", description);
        term.addEventListener("pointerenter", function (e) {
            if (e.pointerType === "touch") return;
            // Crossing another term on the way into an open popover must not replace it.
            if (current && current !== term) switchTimer = setTimeout(function () { show(term); }, 120);
            else show(term);
        });
        term.addEventListener("pointerleave", function (e) {
            clearTimeout(switchTimer);
            if (e.pointerType !== "touch") hideSoon();
        });
        term.addEventListener("focus", function () { show(term); });
        term.addEventListener("blur", function (e) {
            // Not when focus goes to the popover's own link: the tap on it must reach it.
            if (current === term && !pop.contains(e.relatedTarget)) hide();
        });
        term.addEventListener("pointerdown", function (e) {
            lastPointer = e.pointerType;
            openAtDown = current === term;
        });
        term.addEventListener("click", function (e) {
            // On a touch screen a tap on the term shows the definition and the
            // next tap on it closes it, as tapping a thing again does; the
            // popover's link goes to the entry. Open or not is decided at
            // pointerdown: by the click, the tap's focus has already shown it.
            var tap = lastPointer === "touch";
            lastPointer = "mouse"; // a later Enter on the focused term is no tap
            if (!tap) return;
            e.preventDefault();
            if (openAtDown) hide();
            else show(term);
        });
    }

    pop.addEventListener("pointerenter", function () {
        clearTimeout(hideTimer);
        clearTimeout(switchTimer);
    });
    pop.addEventListener("pointerleave", hideSoon);
    // Focus that leaves the popover's link for anything but its term closes it.
    pop.addEventListener("focusout", function (e) {
        if (current && e.relatedTarget !== current && !pop.contains(e.relatedTarget)) hide();
    });
    document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && current) {
            dismissed = current;
            hide();
        }
    });
    document.addEventListener("pointerdown", function (e) {
        if (current && e.target !== current && !current.contains(e.target) && !pop.contains(e.target)) hide();
    });
    window.addEventListener("resize", follow);
    window.addEventListener("scroll", follow, { passive: true });

    // The popover follows its term as the page scrolls, and closes once the
    // term has left the viewport: held inside it, it stayed pinned at an edge
    // over the menu bar while its term was a screen or more away (PageDown
    // with a term focused).
    function follow() {
        if (!current) return;
        var r = current.getBoundingClientRect();
        if (r.bottom <= 0 || r.top >= window.innerHeight) hide();
        else place(current);
    }

    function show(term) {
        clearTimeout(hideTimer);
        if (dismissed === term) return;
        dismissed = null;
        current = term;
        pop.textContent = "";
        fills.get(term)();
        if (native) {
            if (!pop.matches(":popover-open")) pop.showPopover();
        } else {
            pop.classList.add("gloss-open");
        }
        place(term);
    }

    function hideSoon() {
        clearTimeout(hideTimer);
        hideTimer = setTimeout(hide, 200);
    }

    function hide() {
        clearTimeout(hideTimer);
        if (native && pop.matches(":popover-open")) pop.hidePopover();
        pop.classList.remove("gloss-open");
        if (current !== dismissed) dismissed = null;
        current = null;
    }

    // Below the term, or above it when there is no room; never outside the viewport.
    function place(term) {
        var r = term.getClientRects()[0] || term.getBoundingClientRect();
        var vw = document.documentElement.clientWidth, vh = window.innerHeight, gap = 6, edge = 8;
        var w = pop.offsetWidth, h = pop.offsetHeight;
        var left = Math.min(Math.max(edge, r.left), Math.max(edge, vw - w - edge));
        var top = r.bottom + gap;
        if (top + h > vh - edge && r.top - gap - h >= edge) top = r.top - gap - h;
        pop.style.left = left + "px";
        pop.style.top = Math.max(edge, top) + "px";
    }

    // Dismissal lasts until the pointer or focus leaves the term.
    document.addEventListener("focusin", function (e) { if (dismissed && e.target !== dismissed) dismissed = null; });
    document.addEventListener("pointerover", function (e) {
        if (dismissed && e.target !== dismissed && !dismissed.contains(e.target)) dismissed = null;
    });
})();

// The claims ledger (templates/ledger.html): its filter by verdict and its
// order by claim, by the article's paragraph or by chapter. The controls are in
// the page from the start, and the filter works by CSS alone (gloss.css); this
// script orders the rows, says how many are shown in the status line, marks
// the ordered column with aria-sort, and keeps the choice in the address
// (`?verdict=inaccurate&order=chapter`), so that a filtered ledger can be
// linked to and survives a reload. On paper the table is whole.
(function () {
    "use strict";
    var ledger = document.querySelector(".gloss-ledger");
    var table = ledger && ledger.querySelector("table");
    var verdict = ledger && ledger.querySelector("select.gloss-ledger-verdict");
    var order = ledger && ledger.querySelector("select.gloss-ledger-order-by");
    var status = ledger && ledger.querySelector(".gloss-ledger-status");
    if (!table || !table.tBodies.length || !verdict || !order || !status) return;
    var tbody = table.tBodies[0];
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    // The column each order sorts by.
    var COLUMNS = { claim: 0, paragraph: 1, chapter: 4 };

    // A chapter's place in the book: its link's position in the table of
    // contents mdBook's toc.js has written by now; where it is missing, the
    // order in which the ledger first names the chapter.
    var tocOrder = {};
    document.querySelectorAll("#mdbook-sidebar a[href]").forEach(function (a, i) {
        var url = a.href.split("#")[0];
        if (!(url in tocOrder)) tocOrder[url] = i;
    });
    // A row's verdict: its badge's class gloss-verdict-<verdict>.
    function verdictOf(row) {
        var found = "";
        var badge = row.querySelector(".gloss-verdict-badge");
        (badge ? badge.classList : []).forEach(function (c) {
            if (c.indexOf("gloss-verdict-") === 0 && c !== "gloss-verdict-badge") found = c.slice(14);
        });
        return found;
    }
    var firstSeen = {};
    var facts = Array.prototype.map.call(tbody.rows, function (row, i) {
        var link = row.cells[4] && row.cells[4].querySelector("a[href]");
        var url = link ? link.href.split("#")[0] : "";
        if (!(url in firstSeen)) firstSeen[url] = Object.keys(firstSeen).length;
        var paragraph = parseInt((row.cells[1] ? row.cells[1].textContent : "").replace(/\D+/g, ""), 10);
        return {
            row: row,
            claim: i,
            verdict: verdictOf(row),
            paragraph: isNaN(paragraph) ? Infinity : paragraph,
            chapter: url in tocOrder ? tocOrder[url] : 1e6 + firstSeen[url],
        };
    });

    function apply(fromUser) {
        var v = verdict.value, o = COLUMNS.hasOwnProperty(order.value) ? order.value : "claim";
        var keys = o === "claim" ? ["claim"] : [o, "claim"];
        var sorted = facts.slice().sort(function (a, b) {
            for (var i = 0; i < keys.length; i++) {
                if (a[keys[i]] !== b[keys[i]]) return a[keys[i]] < b[keys[i]] ? -1 : 1;
            }
            return 0;
        });
        // Only when the order changes, so that a page loaded as written is
        // left exactly as it painted.
        if (sorted.some(function (f, i) { return tbody.rows[i] !== f.row; })) {
            sorted.forEach(function (f) { tbody.appendChild(f.row); });
        }
        Object.keys(COLUMNS).forEach(function (key) {
            var th = heads[COLUMNS[key]];
            if (!th) return;
            if (key === o) th.setAttribute("aria-sort", "ascending");
            else th.removeAttribute("aria-sort");
        });
        var shown = facts.filter(function (f) { return !v || f.verdict === v; }).length;
        var text = v ? shown + " of " + facts.length + " claims: " + v + "." : "All " + facts.length + " claims.";
        if (status.textContent !== text) status.textContent = text;
        if (fromUser) {
            var params = new URLSearchParams(location.search);
            if (v) params.set("verdict", v); else params.delete("verdict");
            if (o !== "claim") params.set("order", o); else params.delete("order");
            var query = params.toString();
            history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
        }
    }
    var asked = new URLSearchParams(location.search);
    var choose = function (select, value) {
        if (value && Array.prototype.some.call(select.options, function (opt) { return opt.value === value; })) select.value = value;
    };
    choose(verdict, asked.get("verdict"));
    choose(order, asked.get("order"));
    verdict.addEventListener("change", function () { apply(true); });
    order.addEventListener("change", function () { apply(true); });
    // A select the browser restored on Back keeps its value: follow it.
    apply(false);
})();
