// The explorer: draws the network, shows labels by level of detail, searches names, filters
// by type, and opens a node's details. Every label and fact reaches the page as text (canvas,
// textContent), never as HTML; only http(s) addresses become links.
(function () {
  "use strict";
  // The data sits in a JSON block (parsed faster than a script literal, and never run).
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var settings = data.settings, hrefs = data.hrefs, facts = data.facts, sources = data.sources;
  // A large graph paints its biggest nodes first; the rest follow in batches (fixed
  // positions: nothing moves). Edges join once both their ends are drawn.
  var waiting = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  var pendingEdges = data.edges, nodes = new vis.DataSet(), edges = new vis.DataSet();
  function addBatch(count) {
    nodes.add(waiting.splice(0, count));
    var ready = [], later = [];
    pendingEdges.forEach(function (e) {
      (nodes.get(e.from) && nodes.get(e.to) ? ready : later).push(e);
    });
    pendingEdges = later;
    edges.add(ready);
  }
  addBatch(settings.firstPaint);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  var results = document.getElementById("kg-results");
  var pinned = {};  // always labelled: the focus and the selected nodes
  if (settings.focus !== null) { pinned[settings.focus] = true; }

  function byId(id) { return document.getElementById(id); }
  function isWeb(url) { return /^https?:\/\//i.test(String(url)); }

  // Level of detail: any node is labelled once it is drawn at least labelPx wide. The
  // biggest nodes and the pinned ones are always labelled: below a zoom of overlayBelow their
  // labels are drawn here instead of by vis-network, at a readable size, the pinned first,
  // then by rank, each left out where it would cover one drawn before it.
  var lodPending = false;
  function always(n) { return n.rank < settings.topLabels || pinned[n.id] === true; }
  function lod() {
    lodPending = false;
    var scale = network.getScale(), changes = [];
    nodes.forEach(function (n) {
      var shown = always(n) ? scale >= settings.overlayBelow
                            : n.size * scale >= settings.labelPx;
      var label = shown ? n.name : "";
      if (n.label !== label) { changes.push({id: n.id, label: label}); }
    });
    if (changes.length) { nodes.update(changes); }
  }
  function scheduleLod() {
    if (!lodPending) { lodPending = true; window.requestAnimationFrame(lod); }
  }
  network.on("zoom", scheduleLod);
  var overlaid = [], overlayBoxes = [];  // the labels last drawn here: ids, canvas boxes
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    if (scale >= settings.overlayBelow) { overlaid = []; overlayBoxes = []; return; }
    var size = Math.max(14, 13 / scale), shown = [], boxes = [];
    var chosen = nodes.get({filter: function (n) { return always(n) && !n.hidden; }})
      .sort(function (a, b) {  // pinned first, then by rank
        return (pinned[b.id] === true) - (pinned[a.id] === true) || a.rank - b.rank;
      });
    var at = network.getPositions(chosen.map(function (n) { return n.id; }));
    ctx.save();
    ctx.font = size + "px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.lineWidth = size / 4; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = "#222222";
    chosen.forEach(function (n) {  // a label that would cover an earlier one is left out
      var p = at[n.id];
      if (!p) { return; }
      var w = ctx.measureText(n.name).width, top = p.y + n.size + 2 / scale;
      var box = [p.x - w / 2, top, p.x + w / 2, top + size * 1.2];
      var clash = boxes.some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      });
      if (clash && pinned[n.id] !== true) { return; }
      boxes.push(box);
      shown.push(n.id);
      ctx.strokeText(n.name, p.x, top);
      ctx.fillText(n.name, p.x, top);
    });
    ctx.restore();
    overlaid = shown;
    overlayBoxes = boxes;
  });

  // The positioning plane's axes, drawn under the nodes.
  if (settings.plane !== null) {
    network.on("beforeDrawing", function (ctx) {
      var p = settings.plane, i, t;
      ctx.save();
      ctx.strokeStyle = "#cccccc"; ctx.fillStyle = "#666666"; ctx.lineWidth = 2;
      ctx.font = "40px system-ui, sans-serif";
      for (i = 0; i <= 3; i++) {
        t = i / 3 * p;
        ctx.beginPath(); ctx.moveTo(t, -60); ctx.lineTo(t, p + 60); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(-60, t); ctx.lineTo(p + 60, t); ctx.stroke();
        ctx.fillText((i / 3).toFixed(2), t - 30, p + 120);
        ctx.fillText((1 - i / 3).toFixed(2), -200, t + 12);
      }
      ctx.font = "56px system-ui, sans-serif";
      ctx.fillText("openness score \u2192", p / 2 - 220, p + 220);
      ctx.fillText("\u2191 licence permissiveness", -200, -120);
      ctx.fillText("licence unknown", -200, p + 330);
      ctx.restore();
    });
  }

  function add(list, text, onClick, href) {
    var item = document.createElement("li"), inner;
    if (onClick) {
      inner = document.createElement("button");
      inner.type = "button";
      inner.addEventListener("click", onClick);
    } else if (href && isWeb(href)) {
      inner = document.createElement("a");
      inner.href = href; inner.rel = "noopener noreferrer"; inner.target = "_blank";
    } else {
      inner = document.createElement("span");
    }
    inner.textContent = text;
    item.appendChild(inner);
    list.appendChild(item);
    return inner;
  }

  // The details panel: the node's facts, what it links to, its sources, its page.
  function showDetails(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    byId("kg-details").hidden = false;
    byId("kg-details-name").textContent = n.name;
    byId("kg-details-id").textContent = id;
    var link = byId("kg-details-page");
    if (hrefs[id]) { link.href = hrefs[id]; link.hidden = false; }
    else { link.removeAttribute("href"); link.hidden = true; }
    var dl = byId("kg-details-facts"), rows = [["type", n.type]];
    dl.replaceChildren();
    if (n.level) { rows.push([n.type === "Model" ? "openness level" : "models mostly", n.level]); }
    if (n.openness !== undefined) { rows.push(["openness score", String(n.openness)]); }
    if (n.permissiveness !== undefined) {
      rows.push(["licence permissiveness", String(n.permissiveness)]);
    }
    (facts[id] || []).forEach(function (f) { rows.push(f); });
    rows.forEach(function (f) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = f[0]; dd.textContent = f[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    var links = byId("kg-details-links");
    links.replaceChildren();
    network.getConnectedNodes(id).slice(0, 60).forEach(function (other) {
      var o = nodes.get(other);
      add(links, o ? o.name : String(other), function () { select(other); });
    });
    var list = byId("kg-details-sources");
    list.replaceChildren();
    (n.sources || []).forEach(function (s) {
      var known = sources[s];
      var text = known ? known[0] + (known[2] ? " (" + known[2] + ")" : "") : s;
      add(list, text, null, known ? known[1] : null).title = s;
    });
  }

  function showType(type, shown) {
    var box = document.querySelector('#kg-legend input[data-type="' + CSS.escape(type) + '"]');
    if (box) { box.checked = shown; }
    nodes.update(nodes.get({filter: function (n) { return n.type === type; }})
      .map(function (n) { return {id: n.id, hidden: !shown}; }));
  }

  function select(id) {
    showType(nodes.get(id).type, true);
    pinned = {};
    if (settings.focus !== null) { pinned[settings.focus] = true; }
    pinned[id] = true;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.2), animation: false});
    lod();
    showDetails(id);
  }

  // Nodes whose name or id contains the query, exact matches first.
  function matches(query) {
    var q = query.trim().toLowerCase(), exact = [], partial = [];
    if (!q) { return []; }
    nodes.forEach(function (n) {
      var name = String(n.name).toLowerCase(), id = String(n.id).toLowerCase();
      if (name === q || id === q) { exact.push(n); }
      else if (name.indexOf(q) !== -1 || id.indexOf(q) !== -1) { partial.push(n); }
    });
    return exact.concat(partial);
  }

  function showResults(found) {
    results.replaceChildren();
    found.slice(0, 30).forEach(function (n) {
      add(results, n.name, function () { select(n.id); }).title = n.id;
    });
    if (found.length > 30) { add(results, "... and " + (found.length - 30) + " more"); }
  }

  // Lists the matches and selects the best one; returns its id, or null.
  function search(query) {
    var found = matches(query);
    showResults(found);
    if (!found.length) { return null; }
    select(found[0].id);
    return found[0].id;
  }

  byId("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(byId("kg-query").value);
  });
  document.querySelectorAll("#kg-legend input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () { showType(box.dataset.type, box.checked); });
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); }
  });
  // For tests and scripting, once the network is drawn (centred on the focus, if any).
  network.once("afterDrawing", function () {
    if (settings.focus !== null) {
      network.moveTo({position: network.getPosition(settings.focus), animation: false});
    }
    lod();
    function more() {
      if (!waiting.length) {
        window.kgExplorer.complete = true;
        window.kgExplorer.completeAt = performance.now();
        return;
      }
      addBatch(settings.batch);
      lod();
      window.setTimeout(more, 30);  // leave the page a frame between batches
    }
    window.kgExplorer = {
      nodeCount: data.nodes.length, nodes: nodes, network: network, search: search,
      select: select, showType: showType, showDetails: showDetails, ready: true,
      complete: false, readyAt: performance.now(),
      overlaid: function () { return overlaid.slice(); },
      overlayBoxes: function () { return overlayBoxes.slice(); },
      labelled: function () {  // the nodes whose label is drawn, by vis-network or here
        return nodes.get({filter: function (n) { return n.label !== ""; }})
          .map(function (n) { return n.id; }).concat(overlaid);
      }};
    window.setTimeout(more, 30);
  });
})();
