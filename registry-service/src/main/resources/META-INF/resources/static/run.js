// Run page: loss and learning-rate curves (Chart.js), kept live from the run's server-sent events.
(function () {
  'use strict';
  const page = document.getElementById('run-page');
  if (!page) { return; }
  const runId = page.dataset.runId;
  const points = new Map(); // step -> metric point; a step seen twice keeps the latest values
  const TERMINAL = ['succeeded', 'failed', 'cancelled'];

  function chart(canvas, datasets, yTitle, logTicks) {
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 } },
          y: { title: { display: true, text: yTitle },
               ticks: logTicks ? { callback: (v) => Number(v).toExponential(1) } : {} }
        },
        plugins: { legend: { position: 'bottom' } },
        elements: { point: { radius: 2 } }
      }
    });
  }

  const loss = chart(document.getElementById('loss-chart'), [
    { label: 'train loss', data: [], borderColor: '#1c7ed6', backgroundColor: '#1c7ed6', borderWidth: 2 },
    { label: 'eval loss', data: [], borderColor: '#e8590c', backgroundColor: '#e8590c', borderWidth: 2, spanGaps: true }
  ], 'loss', false);
  const lr = chart(document.getElementById('lr-chart'), [
    { label: 'learning rate', data: [], borderColor: '#7048e8', backgroundColor: '#7048e8', borderWidth: 2 }
  ], 'learning rate', true);

  function series(sorted, key) {
    return sorted.filter((p) => p[key] !== null && p[key] !== undefined).map((p) => ({ x: p.step, y: p[key] }));
  }

  function draw() {
    const sorted = Array.from(points.values()).sort((a, b) => a.step - b.step);
    loss.data.datasets[0].data = series(sorted, 'trainLoss');
    loss.data.datasets[1].data = series(sorted, 'evalLoss');
    lr.data.datasets[0].data = series(sorted, 'learningRate');
    loss.update('none');
    lr.update('none');
    page.dataset.points = String(sorted.length);
    const empty = document.getElementById('chart-empty');
    if (empty && sorted.length > 0) { empty.textContent = ''; }
  }

  function utc(iso) { return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : ''; }

  function pct(share) { return share === null || share === undefined ? '' : Math.round(share * 100) + '%'; }

  function showRun(run) {
    const badge = document.getElementById('run-status');
    badge.textContent = run.status;
    badge.className = 'badge ' + run.status;
    page.dataset.status = run.status;
    const share = run.progress === null || run.progress === undefined ? 0 : run.progress;
    document.getElementById('run-progress-bar').style.width = (Math.max(0, Math.min(1, share)) * 100).toFixed(1) + '%';
    document.getElementById('run-progress').textContent = pct(run.progress);
    if (run.step !== null && run.step !== undefined) {
      document.getElementById('run-step').textContent = 'step ' + run.step + (run.totalSteps ? ' of ' + run.totalSteps : '');
    }
    const eta = document.getElementById('run-eta');
    eta.textContent = TERMINAL.includes(run.status) || run.etaSeconds === null || run.etaSeconds === undefined
      ? '' : 'ETA ' + Math.round(run.etaSeconds) + ' s';
    const cancel = document.getElementById('cancel-form');
    if (cancel && TERMINAL.includes(run.status)) { cancel.hidden = true; }
    document.getElementById('run-updated').textContent = utc(run.updatedAt);
  }

  function load() {
    return fetch('/api/runs/' + encodeURIComponent(runId) + '/metrics', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : []))
      .then((list) => { list.forEach((p) => points.set(p.step, p)); draw(); });
  }

  load().then(() => {
    const live = new EventSource('/api/stream/runs?runId=' + encodeURIComponent(runId));
    let opened = false;
    live.onopen = () => { if (opened) { load(); } opened = true; page.dataset.live = 'open'; };
    live.onmessage = (e) => {
      const update = JSON.parse(e.data);
      showRun(update.run);
      if (update.metric) { points.set(update.metric.step, update.metric); draw(); }
    };
    live.onerror = () => { page.dataset.live = 'reconnecting'; };
  });
  if (window.drawLineage) { window.drawLineage(document.getElementById('lineage')); }
})();
