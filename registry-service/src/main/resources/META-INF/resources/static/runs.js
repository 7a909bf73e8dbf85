// Runs list: rows follow the server-sent events of every run; new runs appear at the top of the first page.
(function () {
  'use strict';
  const table = document.getElementById('runs-table');
  if (!table) { return; }
  const body = table.tBodies[0];
  const template = document.getElementById('run-row');
  const state = document.getElementById('live-state');

  /** 2026-11-29T10:15:30.123Z → 2026-11-29 10:15:30 UTC, as the server writes times. */
  function utc(iso) { return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : ''; }

  function fill(row, run) {
    row.dataset.runId = run.runId;
    row.querySelector('input[name=ids]').value = run.runId;
    const link = row.querySelector('.run-link');
    link.textContent = run.runId;
    link.href = '/ui/runs/' + encodeURIComponent(run.runId);
    const badge = row.querySelector('.badge');
    badge.textContent = run.status;
    badge.className = 'badge ' + run.status;
    const model = row.querySelector('.model');
    if (run.modelName && !model.querySelector('a')) {
      const a = document.createElement('a');
      a.href = '/ui/models/' + encodeURIComponent(run.modelName);
      a.textContent = run.modelName;
      model.replaceChildren(a);
    }
    const dataset = row.querySelector('.dataset');
    if (run.dataset && !dataset.querySelector('a')) {
      const a = document.createElement('a');
      a.href = '/ui/datasets/' + encodeURIComponent(run.dataset.datasetId);
      a.textContent = run.dataset.datasetId + ' v' + run.dataset.version;
      dataset.replaceChildren(a);
    }
    const share = run.progress === null || run.progress === undefined ? 0 : run.progress;
    row.querySelector('.progress > span').style.width = (Math.max(0, Math.min(1, share)) * 100).toFixed(1) + '%';
    if (run.step !== null && run.step !== undefined) {
      row.querySelector('.step').textContent = 'step ' + run.step + (run.totalSteps ? '/' + run.totalSteps : '');
    }
    row.querySelector('.updated').textContent = utc(run.updatedAt);
  }

  const live = new EventSource('/api/stream/runs');
  live.onopen = () => { state.textContent = '● live'; state.style.color = '#2b8a3e'; };
  live.onerror = () => { state.textContent = '○ reconnecting'; state.style.color = '#868e96'; };
  live.onmessage = (e) => {
    const run = JSON.parse(e.data).run;
    let row = Array.from(body.rows).find((r) => r.dataset.runId === run.runId);
    if (!row) {
      const filter = table.dataset.status;
      if (table.dataset.live !== 'true' || (filter && filter !== run.status)) { return; }
      row = template.content.firstElementChild.cloneNode(true);
      const none = body.querySelector('tr.no-runs');
      if (none) { none.remove(); }
      body.prepend(row);
    } else if (table.dataset.status && table.dataset.status !== run.status) {
      row.classList.add('muted');
    }
    fill(row, run);
  };
})();
