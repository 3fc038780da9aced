// Interactive charts on the record page, drawn with uPlot. An enhancement only: without
// JavaScript the page shows the same data as server-drawn SVG. Drag across any chart to zoom in;
// the server sends finer min/max buckets for the chosen window.
(function () {
  'use strict';
  var root = document.getElementById('charts');
  if (!root || !window.uPlot || !window.fetch) return;

  var recordId = root.getAttribute('data-record');
  var zone = root.getAttribute('data-zone');
  var recordStart = Number(root.getAttribute('data-start'));
  var recordEnd = Number(root.getAttribute('data-end'));
  var figures = Array.prototype.slice.call(root.querySelectorAll('figure.chart'));
  var positions = ['', 'belly', 'back', 'right', 'left', 'standing'];
  var plots = [];
  var loading = 0;
  // Flags and tagged events (chart JSON `bands`), shaded behind the series; Shift+drag tags a range.
  var bands = [];
  var tagging = false;
  var BAND_FILL = { high: 'rgba(179, 38, 30, 0.16)', medium: 'rgba(196, 120, 0, 0.18)', low: 'rgba(90, 90, 90, 0.12)', tag: 'rgba(107, 79, 187, 0.16)' };
  root.addEventListener('mousedown', function (event) { tagging = event.shiftKey; }, true);

  function drawBands(u) {
    var ctx = u.ctx;
    ctx.save();
    bands.forEach(function (band) {
      var left = Math.max(u.bbox.left, u.valToPos(band.from / 1000, 'x', true));
      var right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(band.to / 1000, 'x', true));
      if (right <= left) return;
      ctx.fillStyle = band.kind === 'flag' ? (BAND_FILL[band.severity] || BAND_FILL.low) : BAND_FILL.tag;
      ctx.fillRect(left, u.bbox.top, Math.max(2, right - left), u.bbox.height);
    });
    ctx.restore();
  }

  document.documentElement.classList.add('js');

  function chartWidth() {
    return Math.max(240, Math.floor(root.clientWidth));
  }

  function load(from, to) {
    var query = 'buckets=' + Math.min(4000, chartWidth());
    if (from !== undefined) query += '&from=' + Math.floor(from) + '&to=' + Math.ceil(to);
    var ticket = ++loading;
    root.setAttribute('aria-busy', 'true');
    return fetch('/records/' + encodeURIComponent(recordId) + '/chart.json?' + query, {
      credentials: 'same-origin', headers: { accept: 'application/json' },
    }).then(function (response) {
      if (!response.ok) throw new Error('The chart data could not be loaded (' + response.status + ').');
      return response.json();
    }).then(function (data) {
      if (ticket === loading) draw(data);
    }).catch(function (error) {
      showError(error.message);
    }).then(function () {
      if (ticket === loading) root.removeAttribute('aria-busy');
    });
  }

  function showError(message) {
    var note = root.querySelector('.chart-error') || document.createElement('p');
    note.className = 'notice notice-error chart-error';
    note.setAttribute('role', 'alert');
    note.textContent = message + ' The charts below show the whole recording.';
    root.insertBefore(note, root.firstChild);
  }

  function zoomFrom(u) {
    var select = u.select;
    if (select.width < 4) return;
    var from = u.posToVal(select.left, 'x') * 1000;
    var to = u.posToVal(select.left + select.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (tagging) {
      root.dispatchEvent(new CustomEvent('hms:range-selected', { detail: { from: from, to: to } }));
      return;
    }
    if (to - from >= 60000) load(from, to); // finer than a minute shows nothing more
  }

  function baseOptions(figure, series, extra) {
    var options = {
      width: chartWidth(),
      height: 150,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), zone); },
      cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'record-' + recordId } },
      legend: { show: false },
      scales: { x: { time: true } },
      series: series,
      hooks: { setSelect: [zoomFrom], drawClear: [drawBands] },
    };
    for (var key in extra) options[key] = extra[key];
    return options;
  }

  function draw(data) {
    bands = data.bands || [];
    var xs = data.times.map(function (t) { return t / 1000; });
    plots.forEach(function (entry) { entry.plot.destroy(); });
    plots = [];
    figures.forEach(function (figure) {
      var datatype = Number(figure.getAttribute('data-channel'));
      var host = figure.querySelector('.uplot-host') || figure.appendChild(document.createElement('div'));
      host.className = 'uplot-host';
      var label = figure.querySelector('figcaption').textContent;
      var plot;
      if (datatype === 270) {
        var steps = data.sleepPosition || { times: [], values: [] };
        // Each value holds until the next change: draw it as a flat segment ending just before the
        // next one begins, and leave gaps (null) as breaks.
        var sx = [];
        var sy = [];
        steps.times.forEach(function (time, i) {
          var end = (i + 1 < steps.times.length ? steps.times[i + 1] : data.to) / 1000;
          sx.push(time / 1000, end - 0.001);
          sy.push(steps.values[i], steps.values[i]);
        });
        plot = new uPlot(baseOptions(figure, [{}, {
          label: label, stroke: '#6b4fbb', width: 2, points: { show: false },
        }], {
          scales: { x: { time: true, range: [data.from / 1000, data.to / 1000] }, y: { range: [0.5, 5.5] } },
          axes: [{}, { values: function (u, ticks) { return ticks.map(function (v) { return positions[v] || ''; }); }, splits: function () { return [1, 2, 3, 4, 5]; }, size: 70 }],
        }), [sx, sy], host);
      } else {
        var channel = (data.channels || []).filter(function (c) { return c.datatype === datatype; })[0];
        if (!channel) return;
        plot = new uPlot(baseOptions(figure, [
          {},
          { label: label + ' min', stroke: '#0b5cad', width: 1 },
          { label: label + ' max', stroke: '#0b5cad', width: 1 },
        ], {
          bands: [{ series: [2, 1], fill: 'rgba(11, 92, 173, 0.25)' }],
          axes: [{}, { size: 60 }],
        }), [xs, channel.min, channel.max], host);
      }
      figure.classList.add('interactive');
      plots.push({ figure: figure, plot: plot });
    });
    var zoomed = data.from > recordStart + 1000 || data.to < recordEnd - 1000;
    root.classList.toggle('zoomed', zoomed);
  }

  var reset = document.getElementById('reset-zoom');
  if (reset) reset.addEventListener('click', function () { load(); });

  var resizeTimer;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (entry) { entry.plot.setSize({ width: chartWidth(), height: 150 }); });
    }, 150);
  });

  load();
})();
