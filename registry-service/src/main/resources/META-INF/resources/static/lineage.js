// Lineage graph: dataset version → run → model version → evaluation, drawn as SVG from /api/.../lineage.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = { 'dataset-version': '#0c8599', 'run': '#1c7ed6', 'model-version': '#2b8a3e', 'evaluation': '#e8590c' };
  const KIND_LABEL = { 'dataset-version': 'dataset', 'run': 'run', 'model-version': 'model version', 'evaluation': 'evaluation' };
  const W = 190, H = 46, GAP_X = 60, GAP_Y = 16, PAD = 10;

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (parent) { parent.appendChild(e); }
    return e;
  }

  /** Column of a node: the longest path from a source, so inputs stand left of what was made from them. */
  function layers(graph) {
    const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
    for (let pass = 0; pass < graph.nodes.length; pass++) {
      let changed = false;
      graph.edges.forEach((e) => {
        const d = depth.get(e.from) + 1;
        if (d > depth.get(e.to)) { depth.set(e.to, d); changed = true; }
      });
      if (!changed) { break; }
    }
    return depth;
  }

  function draw(container, graph) {
    container.replaceChildren();
    if (!graph.nodes.length) {
      const note = document.createElement('p');
      note.className = 'muted';
      note.textContent = 'Nothing to show yet.';
      container.appendChild(note);
      return;
    }
    const depth = layers(graph);
    const columns = new Map();
    graph.nodes.forEach((n) => {
      const c = depth.get(n.id);
      if (!columns.has(c)) { columns.set(c, []); }
      columns.get(c).push(n);
    });
    const pos = new Map();
    let rows = 0;
    columns.forEach((nodes, c) => {
      nodes.forEach((n, i) => pos.set(n.id, { x: PAD + c * (W + GAP_X), y: PAD + i * (H + GAP_Y) }));
      rows = Math.max(rows, nodes.length);
    });
    const width = PAD * 2 + columns.size * W + (columns.size - 1) * GAP_X;
    const height = PAD * 2 + rows * H + (rows - 1) * GAP_Y;
    const svg = el('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'lineage graph', 'data-nodes': graph.nodes.length, 'data-edges': graph.edges.length });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#adb5bd' }, marker);
    graph.edges.forEach((e) => {
      const a = pos.get(e.from), b = pos.get(e.to);
      if (!a || !b) { return; }
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      const path = el('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, fill: 'none', stroke: '#adb5bd',
        'stroke-width': 1.5, 'marker-end': 'url(#arrow)', class: 'edge' }, svg);
      el('title', {}, path).textContent = e.relation;
    });
    graph.nodes.forEach((n) => {
      const p = pos.get(n.id);
      const link = el('a', { href: n.link || '#', class: 'node', 'data-id': n.id, 'data-kind': n.kind }, svg);
      el('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8, fill: '#fff', stroke: COLORS[n.kind] || '#868e96', 'stroke-width': 2 }, link);
      el('rect', { x: p.x, y: p.y, width: 6, height: H, rx: 3, fill: COLORS[n.kind] || '#868e96' }, link);
      const label = n.label.length > 24 ? n.label.slice(0, 23) + '…' : n.label;
      el('text', { x: p.x + 14, y: p.y + 19, fill: '#1d2330', 'font-weight': 600 }, link).textContent = label;
      el('text', { x: p.x + 14, y: p.y + 36, fill: '#667085' }, link).textContent =
        KIND_LABEL[n.kind] + (n.status ? ' · ' + n.status.toLowerCase() : '');
      el('title', {}, link).textContent = n.label;
    });
    container.appendChild(svg);
    if (graph.truncated) {
      const note = document.createElement('p');
      note.className = 'muted';
      note.textContent = 'Only the first ' + graph.nodes.length + ' nodes are shown.';
      container.appendChild(note);
    }
  }

  window.drawLineage = function (container) {
    if (!container) { return; }
    fetch(container.dataset.src, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((graph) => draw(container, graph))
      .catch((e) => {
        const note = document.createElement('p');
        note.className = 'muted';
        note.textContent = 'Lineage unavailable (' + e.message + ').';
        container.replaceChildren(note);
      });
  };
  document.addEventListener('DOMContentLoaded', () => {
    if (!document.getElementById('run-page')) { window.drawLineage(document.getElementById('lineage')); }
  });
})();
