// mdbook-gloss: glossary callouts. Without this script every callout is a
// plain link to its glossary entry, and the chapter's "Terms in this chapter"
// list (or, where a page has none, the callout's `title`) holds the
// definitions; with it,
// the definition shows on hover, keyboard focus and tap (WCAG 2.2 1.4.13:
// dismissible with Escape, hoverable, persistent until the pointer or focus
// leaves). One popover element serves every term on the page. On a touch
// screen a tap opens it and a second tap on the term closes it; the popover
// ends with a link to the glossary entry, for the reader who wants more.
(function () {
    "use strict";
    var terms = document.querySelectorAll("a.gloss-term");
    if (!terms.length) return;

    var pop = document.createElement("div");
    pop.id = "gloss-popover";
    pop.className = "gloss-popover";
    // No role="tooltip": it holds a link, which a tooltip may not. Screen
    // readers get the definition from the term's aria-description.
    var native = typeof pop.showPopover === "function";
    if (native) pop.setAttribute("popover", "manual");
    document.body.appendChild(pop);

    var current = null, hideTimer = 0, switchTimer = 0, lastPointer = "mouse", dismissed = null, openAtDown = false;

    // Each definition is written once per page, in the terms list.
    var defs = {};
    document.querySelectorAll(".gloss-terms-list a[data-gloss-entry]").forEach(function (a) {
        defs[a.getAttribute("data-gloss-entry")] = a.getAttribute("data-definition") || "";
    });

    terms.forEach(function (term) {
        var def = term.getAttribute("title") || defs[term.getAttribute("data-gloss-term")] || "";
        term.dataset.definition = def;
        term.removeAttribute("title");
        term.setAttribute("aria-description", def);
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
    });

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
        var name = document.createElement("strong");
        name.textContent = term.textContent;
        pop.appendChild(name);
        pop.appendChild(document.createTextNode(term.dataset.definition));
        var more = document.createElement("a");
        more.className = "gloss-popover-link";
        more.href = term.getAttribute("href");
        more.textContent = "Open the glossary entry";
        pop.appendChild(more);
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
