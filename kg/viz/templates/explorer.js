// The explorer: draws the network, searches labels, filters by type. Every label reaches the
// page as text (canvas, textContent, innerText), never as HTML.
(function () {
  "use strict";
  var nodes = new vis.DataSet({{ nodes|tojson }});
  var edges = new vis.DataSet({{ edges|tojson }});
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, {{ options|tojson }});
  var results = document.getElementById("kg-results");

  function showType(type, shown) {
    var box = document.querySelector('#kg-legend input[data-type="' + CSS.escape(type) + '"]');
    if (box) { box.checked = shown; }
    nodes.update(nodes.get({filter: function (n) { return n.type === type; }})
      .map(function (n) { return {id: n.id, hidden: !shown}; }));
  }

  function select(id) {
    showType(nodes.get(id).type, true);
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
  }

  // Nodes whose label or id contains the query, exact matches first.
  function matches(query) {
    var q = query.trim().toLowerCase(), exact = [], partial = [];
    if (!q) { return []; }
    nodes.forEach(function (n) {
      var label = String(n.label).toLowerCase(), id = String(n.id).toLowerCase();
      if (label === q || id === q) { exact.push(n); }
      else if (label.indexOf(q) !== -1 || id.indexOf(q) !== -1) { partial.push(n); }
    });
    return exact.concat(partial);
  }

  function showResults(found) {
    results.replaceChildren();
    found.slice(0, 30).forEach(function (n) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.label;
      button.title = n.id;
      button.addEventListener("click", function () { select(n.id); });
      var item = document.createElement("li");
      item.appendChild(button);
      results.appendChild(item);
    });
    if (found.length > 30) {
      var more = document.createElement("li");
      more.textContent = "... and " + (found.length - 30) + " more";
      results.appendChild(more);
    }
  }

  // Lists the matches and selects the best one; returns its id, or null.
  function search(query) {
    var found = matches(query);
    showResults(found);
    if (!found.length) { return null; }
    select(found[0].id);
    return found[0].id;
  }

  document.getElementById("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("kg-query").value);
  });
  document.querySelectorAll("#kg-legend input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () { showType(box.dataset.type, box.checked); });
  });
  // For tests and scripting, once the network is drawn.
  network.once("afterDrawing", function () {
    window.kgExplorer = {nodeCount: nodes.length, nodes: nodes, network: network,
                         search: search, select: select, showType: showType, ready: true};
  });
})();
