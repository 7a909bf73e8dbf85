// Compare page: every run's train loss and learning rate on one chart each.
(function () {
  'use strict';
  const root = document.getElementById('comparison');
  if (!root) { return; }
  const PALETTE = ['#1c7ed6', '#e8590c', '#2b8a3e', '#7048e8', '#c2255c', '#0c8599', '#f08c00', '#5c940d', '#862e9c', '#495057'];

  function chart(canvas, datasets, yTitle, exp) {
    return new Chart(canvas, {
      type: 'line', data: { datasets: datasets },
      options: { animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { type: 'linear', title: { display: true, text: 'step' } },
                  y: { title: { display: true, text: yTitle }, ticks: exp ? { callback: (v) => Number(v).toExponential(1) } : {} } },
        plugins: { legend: { position: 'bottom' } }, elements: { point: { radius: 1.5 } } }
    });
  }

  fetch('/api/compare/runs?ids=' + encodeURIComponent(root.dataset.ids), { credentials: 'same-origin' })
    .then((r) => r.json())
    .then((cmp) => {
      const line = (key) => cmp.runs.map((e, i) => ({
        label: e.run.runId, borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
        borderWidth: 2,
        data: e.series.filter((p) => p[key] !== null && p[key] !== undefined).map((p) => ({ x: p.step, y: p[key] }))
      }));
      chart(document.getElementById('compare-loss-chart'), line('trainLoss'), 'train loss', false);
      chart(document.getElementById('compare-lr-chart'), line('learningRate'), 'learning rate', true);
      root.dataset.drawn = 'true';
    });
})();
