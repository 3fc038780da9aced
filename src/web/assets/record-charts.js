// Interactive charts of the record page, drawn with uPlot. An enhancement only: without
// JavaScript the page shows the same charts as server-drawn SVG, with links for the window.
// One request per window brings every channel, the nights (and flags, tags) to shade, and the
// window's summary as the server renders it. The window lives in the URL (?from=&to=, ISO 8601
// with the clinic's offset), so Back, reload and a shared link show the same view.
(function () {
  'use strict';
  var root = document.getElementById('charts');
  if (!root || !window.uPlot || !window.fetch || !window.history.pushState) return;
  document.documentElement.classList.add('js');

  var recordId = root.getAttribute('data-record');
  var zone = root.getAttribute('data-zone');
  var whole = { from: Number(root.getAttribute('data-start')), to: Number(root.getAttribute('data-end')) };
  var figures = Array.prototype.slice.call(root.querySelectorAll('figure.chart'));
  var summary = document.querySelector('aside.metrics');
  // The page's language: its locale for times and numbers, and the words the server put in data-text.
  var locale = root.getAttribute('data-locale') || 'en-GB';
  var text = {};
  try { text = JSON.parse(root.getAttribute('data-text') || '{}'); } catch { text = {}; }
  var POSITIONS = text.positions || ['', 'belly', 'back', 'right', 'left', 'standing'];
  function say(name, fallback, values) {
    var message = text[name] || fallback;
    Object.keys(values || {}).forEach(function (key) { message = message.split('%' + key + '%').join(values[key]); });
    return message;
  }
  var HEIGHT = 170;
  var MIN_SPAN = 60000;
  // The same gutters on every chart, so that one time sits at one x everywhere (geometry.ts).
  var GUTTER_LEFT = 72;
  var GUTTER_RIGHT = 24;
  var AXIS_BOTTOM = 50;
  var plots = [];
  var shown = null;
  var ticket = 0;
  var tagging = false;
  root.addEventListener('mousedown', function (event) { tagging = event.shiftKey; }, true);

  // Time in the clinic's zone, written as on every other page.
  var parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  var french = /^fr/.test(locale);
  var hhmm = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false });
  var hhmmss = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  var day = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' });
  var zoneNames = (french ? ['fr-CA', 'fr-FR'] : ['en-US', 'en-GB']).map(function (name) { return new Intl.DateTimeFormat(name, { timeZone: zone, timeZoneName: 'short' }); });
  // "07 h 46" must not break at its spaces (web/format.ts does the same).
  function together(value) { return french ? value.replace(/(\d)\s(h|min|s)\s(?=\d)/g, '$1\u00a0$2\u00a0') : value; }
  function clock(ms) { return together(hhmm.format(ms)); }
  function clockWithSeconds(ms) { return together(hhmmss.format(ms)); }

  function wall(ms) {
    var v = {};
    parts.formatToParts(ms).forEach(function (p) { if (p.type !== 'literal') v[p.type] = Number(p.value); });
    return v;
  }
  function offsetMinutes(ms) {
    var w = wall(ms);
    return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000) / 60000);
  }
  function zoneName(ms) {
    var names = zoneNames.map(function (f) {
      var part = f.formatToParts(ms).filter(function (p) { return p.type === 'timeZoneName'; })[0];
      return part ? part.value : zone;
    });
    return names.filter(function (n) { return !/^(?:GMT|UTC)[+\u2212-]/.test(n); })[0] || names[0];
  }
  function dayOf(ms) { return day.format(ms).replace(',', ''); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function iso(ms) {
    var w = wall(ms);
    var offset = offsetMinutes(ms);
    var sign = offset < 0 ? '-' : '+';
    var suffix = offset === 0 && zone.toUpperCase() === 'UTC' ? 'Z' : sign + pad(Math.floor(Math.abs(offset) / 60)) + ':' + pad(Math.abs(offset) % 60);
    return w.year + '-' + pad(w.month) + '-' + pad(w.day) + 'T' + pad(w.hour) + ':' + pad(w.minute) + ':' + pad(w.second) + suffix;
  }
  /** "Sat 28 Nov 14:05:31 EST" */
  function readableTime(ms) { return dayOf(ms) + ' ' + clockWithSeconds(ms) + ' ' + zoneName(ms); }

  // The axes of src/web/charts/axes.ts, so that screen, SVG and PDF read alike.
  var NICE = [1, 2, 2.5, 5];
  function valueAxis(low, high, smallest) {
    if (!isFinite(low) || !isFinite(high)) { low = 0; high = 1; }
    if (high - low < smallest * 4) { var mid = (low + high) / 2; low = Math.max(0, mid - smallest * 2); high = low + smallest * 4; }
    var tidy = function (value) { return parseFloat(value.toPrecision(12)); };
    var intervals = function (step) { return Math.ceil(high / step - 1e-9) - Math.floor(low / step + 1e-9); };
    var best = null;
    for (var magnitude = Math.pow(10, Math.floor(Math.log10(smallest))); magnitude <= (high - low) * 10; magnitude *= 10) {
      NICE.forEach(function (nice) {
        var step = tidy(nice * magnitude);
        if (Math.abs(step / smallest - Math.round(step / smallest)) > 1e-6 || intervals(step) < 4 || intervals(step) > 6) return;
        var score = intervals(step) * step + (nice === 2.5 ? step / 100 : 0);
        if (best === null || score < best.score) best = { step: step, score: score };
      });
    }
    var step = best ? best.step : smallest;
    var min = tidy(Math.floor(low / step + 1e-9) * step);
    var max = tidy(Math.max(Math.ceil(high / step - 1e-9) * step, min + 4 * step));
    var ticks = [];
    for (var i = 0; min + i * step <= max + step / 1e6; i++) ticks.push(tidy(min + i * step));
    return { min: min, max: max, ticks: ticks, step: step };
  }
  function stepDecimals(step) {
    for (var d = 0; d < 6; d++) if (Math.abs(Math.round(step * Math.pow(10, d)) - step * Math.pow(10, d)) < 1e-6) return d;
    return 6;
  }
  var TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
  function timeTicks(from, to, maxTicks) {
    var span = (to - from) / 60000;
    var stepMin = TIME_STEPS.filter(function (s) { return span / s <= maxTicks; })[0] || 1440;
    var stepMs = stepMin * 60000;
    var ticks = [];
    var lastDate = null;
    var lastZone = null;
    for (var candidate = from; candidate <= to && ticks.length <= maxTicks + 1;) {
      var offset = offsetMinutes(candidate) * 60000;
      var aligned = Math.ceil((candidate + offset) / stepMs) * stepMs - offset;
      if (aligned > to) break;
      if (aligned >= from && (ticks.length === 0 || aligned > ticks[ticks.length - 1].at)) {
        var date = dayOf(aligned);
        var name = zoneName(aligned);
        var label = clock(aligned) + (name !== lastZone ? ' ' + name : '') + (date !== lastDate ? '\n' + date : '');
        ticks.push({ at: aligned, label: label });
        lastDate = date;
        lastZone = name;
      }
      candidate = Math.max(aligned, candidate) + 60000;
    }
    return ticks;
  }

  var numberFormats = {};
  function formatNumber(value, decimals) {
    var f = numberFormats[decimals] || (numberFormats[decimals] = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
    return f.format(value);
  }

  // ---- windows (src/web/records/window.ts)
  function clampWindow(from, to) {
    var length = Math.max(MIN_SPAN, Math.min(to - from, whole.to - whole.from));
    var start = Math.min(whole.to - length, Math.max(whole.from, Math.round(from)));
    return { from: start, to: start + length };
  }
  function spanAround(win, span) {
    var middle = (win.from + win.to) / 2;
    return clampWindow(middle - span / 2, middle + span / 2);
  }
  function shifted(win, direction) {
    var length = win.to - win.from;
    return clampWindow(win.from + Math.round(length * 0.75) * direction, win.to + Math.round(length * 0.75) * direction);
  }
  function isWhole(win) { return win.from <= whole.from + 1000 && win.to >= whole.to - 1000; }
  function param(ms) { return encodeURIComponent(iso(ms)).replace(/%3A/g, ':'); }
  function windowUrl(path, win, always) {
    return !always && isWhole(win) ? path : path + '?from=' + param(win.from) + '&to=' + param(win.to);
  }

  // ---- loading
  function chartWidth(figure) {
    return Math.max(240, Math.floor(figure.clientWidth - 2));
  }

  function load(win, push) {
    var mine = ++ticket;
    var buckets = Math.min(4000, chartWidth(figures[0]));
    var query = 'buckets=' + buckets + '&from=' + Math.floor(win.from) + '&to=' + Math.ceil(win.to);
    root.setAttribute('aria-busy', 'true');
    return fetch('/records/' + encodeURIComponent(recordId) + '/chart.json?' + query, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (response.ok) return response.json();
        // HMS explains its refusals in {"error": "…"} (503: the database is out of reach for a moment).
        return response.json().catch(function () { return {}; }).then(function (body) {
          var reason = typeof body.error === 'string' ? body.error.replace(/\.?$/, '.') : say('loadFailed', 'The chart data could not be loaded (%status%).', { status: String(response.status) });
          throw new Error(reason);
        });
      }).then(function (data) {
        if (mine !== ticket) return;
        var view = { from: data.summary.from, to: data.summary.to };
        if (push) history.pushState(view, '', windowUrl('/records/' + recordId, view));
        root.setAttribute('data-from', String(view.from));
        root.setAttribute('data-to', String(view.to));
        draw(data);
        if (summary) summary.innerHTML = data.summaryHtml;
        updateLinks(view);
      }).catch(function (error) {
        showError(error.message);
      }).then(function () {
        if (mine === ticket) root.removeAttribute('aria-busy');
      });
  }

  function showError(message) {
    var note = root.querySelector('.chart-error') || document.createElement('p');
    note.className = 'notice notice-error chart-error';
    note.setAttribute('role', 'alert');
    note.textContent = message + ' ' + say('reload', 'Reload the page to try again.');
    root.insertBefore(note, root.firstChild);
  }

  function updateLinks(win) {
    var path = '/records/' + recordId;
    var exportLink = document.getElementById('export-window');
    if (exportLink) exportLink.href = windowUrl(path + '/export.csv', win, true);
    var report = document.getElementById('report-window');
    if (report) report.href = windowUrl(path + '/report.pdf', win);
    Array.prototype.forEach.call(document.querySelectorAll('.window-nav a[data-span]'), function (link) {
      var span = link.getAttribute('data-span');
      var target = span === 'all' ? whole : spanAround(win, Number(span));
      link.href = windowUrl(path, target);
      var current = span === 'all' ? isWhole(win) : Math.abs((win.to - win.from) - (target.to - target.from)) < 1000;
      if (current) link.setAttribute('aria-current', 'true'); else link.removeAttribute('aria-current');
    });
    Array.prototype.forEach.call(document.querySelectorAll('.window-nav a[data-shift]'), function (link) {
      link.href = windowUrl(path, shifted(win, Number(link.getAttribute('data-shift'))));
    });
  }

  // ---- drawing
  var BAND_FILL = { night: 'rgba(56, 72, 140, 0.10)', tag: 'rgba(0, 128, 110, 0.16)', high: 'rgba(179, 38, 30, 0.20)', medium: 'rgba(214, 120, 0, 0.20)', low: 'rgba(200, 170, 0, 0.20)' };
  function bandFill(band) { return band.kind === 'flag' ? BAND_FILL[band.severity || 'medium'] : BAND_FILL[band.kind]; }

  // Flags are drawn last, so a flag's severity colour stays itself under a tag's.
  var BAND_LAYER = { night: 0, tag: 1, flag: 2 };
  function drawBands(u) {
    var ctx = u.ctx;
    ctx.save();
    shown.bands.slice().sort(function (a, b) { return BAND_LAYER[a.kind] - BAND_LAYER[b.kind]; }).forEach(function (band) {
      var x0 = Math.max(u.bbox.left, u.valToPos(band.from, 'x', true));
      var x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(band.to, 'x', true));
      if (x1 <= x0) return;
      ctx.fillStyle = bandFill(band);
      ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
    });
    ctx.restore();
  }
  function drawBandLabels(u) {
    var ctx = u.ctx;
    ctx.save();
    ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
    ctx.fillStyle = '#1b2330';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left'; // uPlot leaves it as its last axis set it
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    // Each label starts at its band; one that would overlap the previous goes a line lower.
    var rowEnds = [];
    var lineHeight = 13 * devicePixelRatio;
    // Left to right, so "overlaps the previous label of a row" is "starts before that label ends".
    shown.bands.slice().sort(function (a, b) { return a.from - b.from; }).forEach(function (band) {
      if (band.kind === 'night') return;
      var x0 = Math.max(u.bbox.left, u.valToPos(band.from, 'x', true)) + 3 * devicePixelRatio;
      if (x0 >= u.bbox.left + u.bbox.width) return;
      var text = band.label; // a flag's label names its severity
      var row = 0;
      while (rowEnds[row] !== undefined && rowEnds[row] > x0) row++;
      rowEnds[row] = x0 + ctx.measureText(text).width + 6 * devicePixelRatio;
      ctx.fillText(text, x0, u.bbox.top + 2 * devicePixelRatio + row * lineHeight);
    });
    ctx.restore();
  }

  function bandsAt(time) {
    return shown.bands.filter(function (b) { return time >= b.from && time < b.to; })
      // The name only ("Tachycardia at rest (high)", "Symptom"): the words are on the band and in
      // the lists, and a readout that wraps would move the charts under the pointer.
      .map(function (b) { return b.label.split(/\u00a0?: /)[0]; });
  }
  function gapAt(time) {
    return shown.gaps.filter(function (g) { return time >= g.from && time < g.to; })[0];
  }

  /** The readout row of one chart at a time: the time, the value (or the bucket's range), the bands. */
  function readout(figure, time) {
    var cell = figure.querySelector('.readout');
    if (time === null || time < shown.summary.from || time >= shown.summary.to) {
      cell.textContent = '';
      cell.removeAttribute('data-time');
      return;
    }
    var datatype = Number(figure.getAttribute('data-channel'));
    var unit = figure.getAttribute('data-unit');
    var scale = Number(figure.getAttribute('data-scale'));
    var decimals = Number(figure.getAttribute('data-decimals'));
    var text;
    var min = null;
    var max = null;
    if (datatype === 270) {
      var steps = shown.sleepPosition || { times: [], values: [] };
      for (var i = steps.times.length - 1; i >= 0; i--) if (steps.times[i] <= time) { min = max = steps.values[i]; break; }
      text = min === null ? null : POSITIONS[min];
    } else {
      var channel = channelOf(datatype);
      var b = Math.floor((time - shown.times[0]) / (shown.bucketSeconds * 1000));
      if (channel && b >= 0 && b < shown.times.length) { min = channel.min[b]; max = channel.max[b]; }
      if (min !== null && max !== null) {
        var space = french ? '\u00a0' : ' ';
        text = min === max ? formatNumber(min * scale, decimals) + space + unit
          : formatNumber(min * scale, decimals) + '–' + formatNumber(max * scale, decimals) + space + unit;
      }
    }
    if (text === null || text === undefined) {
      var gap = gapAt(time);
      text = gap ? say('gap', 'no data %from%–%to%', { from: clock(gap.from), to: clock(gap.to) }) : say('noData', 'no data');
    }
    var extra = bandsAt(time);
    cell.textContent = readableTime(time) + ' · ' + text + (extra.length ? ' · ' + extra.join(', ') : '');
    cell.setAttribute('data-time', String(time));
    if (min !== null) cell.setAttribute('data-min', String(min)); else cell.removeAttribute('data-min');
    if (max !== null) cell.setAttribute('data-max', String(max)); else cell.removeAttribute('data-max');
  }

  function channelOf(datatype) {
    return (shown.channels || []).filter(function (c) { return c.datatype === datatype; })[0];
  }

  function onCursor(u) {
    var left = u.cursor.left;
    var time = left === undefined || left < 0 ? null : Math.round(u.posToVal(left, 'x') / 1000) * 1000;
    var figure = u.root.closest('figure');
    readout(figure, time);
  }

  function onSelect(u) {
    var select = u.select;
    if (select.width < 4) return;
    var from = u.posToVal(select.left, 'x');
    var to = u.posToVal(select.left + select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    // Shift+drag selects a range to tag (record-tags.js fills the form) instead of zooming.
    if (tagging) {
      root.dispatchEvent(new CustomEvent('hms:range-selected', { detail: { from: from, to: to } }));
      return;
    }
    load(clampWindow(from, to), true);
  }

  function options(figure, series, yAxis, bands) {
    var from = shown.summary.from;
    var to = shown.summary.to;
    return {
      width: chartWidth(figure),
      height: HEIGHT,
      padding: [8, GUTTER_RIGHT, 0, 0],
      cursor: { y: false, drag: { x: true, y: false, setScale: false }, sync: { key: 'record-' + recordId, setSeries: false } },
      select: { show: true },
      legend: { show: false },
      scales: { x: { time: false, range: function () { return [from, to]; } }, y: { range: function () { return [yAxis.min, yAxis.max]; } } },
      axes: [
        { size: AXIS_BOTTOM, font: '12px system-ui, sans-serif', stroke: '#4d5868',
          splits: function (u) { return timeTicks(from, to, Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 90))).map(function (t) { return t.at; }); },
          values: function (u) {
            var ticks = timeTicks(from, to, Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 90)));
            return ticks.map(function (t) { return t.label; });
          } },
        { size: GUTTER_LEFT, font: '12px system-ui, sans-serif', stroke: '#4d5868', splits: function () { return yAxis.ticks; }, values: yAxis.values },
      ],
      series: series,
      bands: bands || [],
      hooks: { drawClear: [drawBands], draw: [drawBandLabels], setCursor: [onCursor], setSelect: [onSelect] },
    };
  }

  function draw(data) {
    shown = data;
    plots.forEach(function (plot) { plot.destroy(); });
    plots = [];
    var xs = data.times;
    figures.forEach(function (figure) {
      var datatype = Number(figure.getAttribute('data-channel'));
      var host = figure.querySelector('.uplot-host');
      if (!host) {
        host = document.createElement('div');
        host.className = 'uplot-host';
        host.tabIndex = 0;
        host.setAttribute('role', 'group');
        host.setAttribute('aria-label', say('chartLabel', '%channel% chart. Arrow keys move in time; plus and minus zoom in and out.', { channel: figure.getAttribute('data-label') }));
        host.addEventListener('keydown', onKey);
        figure.appendChild(host);
      }
      var plot;
      if (datatype === 270) {
        var steps = data.sleepPosition || { times: [], values: [] };
        var sx = [];
        var sy = [];
        steps.times.forEach(function (time, i) {
          var end = i + 1 < steps.times.length ? steps.times[i + 1] : data.to;
          sx.push(time, end - 1);
          sy.push(steps.values[i], steps.values[i]);
        });
        var positions = { min: 0.5, max: 5.5, ticks: [1, 2, 3, 4, 5], values: function (u, ticks) { return ticks.map(function (v) { return POSITIONS[v] || ''; }); } };
        var sleepOptions = options(figure, [{}, { label: 'Sleep position', stroke: '#6b4fbb', width: 3, points: { show: false } }], positions);
        // Its points are the ends of steps, not the hovered time: a dot there would mislead.
        sleepOptions.cursor.points = { show: false };
        plot = new uPlot(sleepOptions, [sx, sy], host);
      } else {
        var channel = channelOf(datatype);
        if (!channel) return;
        var scale = Number(figure.getAttribute('data-scale'));
        var decimals = Number(figure.getAttribute('data-decimals'));
        var scaled = function (values) { return values.map(function (v) { return v === null ? null : v * scale; }); };
        var mins = scaled(channel.min);
        var maxs = scaled(channel.max);
        var present = mins.concat(maxs).filter(function (v) { return v !== null; });
        var axis = valueAxis(Math.min.apply(null, present), Math.max.apply(null, present), Math.pow(10, -decimals));
        var tickDecimals = stepDecimals(axis.step);
        axis.values = function (u, ticks) { return ticks.map(function (v) { return formatNumber(v, tickDecimals); }); };
        plot = new uPlot(options(figure, [
          {},
          { label: 'min', stroke: '#0b5cad', width: 1, points: { show: false } },
          { label: 'max', stroke: '#0b5cad', width: 1, points: { show: false } },
        ], axis, [{ series: [2, 1], fill: 'rgba(11, 92, 173, 0.25)' }]), [xs, mins, maxs], host);
      }
      attachTouch(plot);
      figure.classList.add('interactive');
      plots.push(plot);
    });
    root.classList.toggle('zoomed', !isWhole({ from: data.summary.from, to: data.summary.to }));
  }

  // ---- keyboard: arrows pan, + and − zoom, on a focused chart
  function onKey(event) {
    if (!shown) return;
    var win = { from: shown.summary.from, to: shown.summary.to };
    var length = win.to - win.from;
    var next = null;
    if (event.key === 'ArrowLeft') next = clampWindow(win.from - length / 4, win.to - length / 4);
    else if (event.key === 'ArrowRight') next = clampWindow(win.from + length / 4, win.to + length / 4);
    else if (event.key === '+' || event.key === '=') next = spanAround(win, length / 2);
    else if (event.key === '-' || event.key === '_') next = spanAround(win, length * 2);
    if (!next) return;
    event.preventDefault();
    if (next.from !== win.from || next.to !== win.to) load(next, true);
  }

  // ---- touch: a tap reads values, a horizontal drag selects a window, a pinch zooms
  function attachTouch(u) {
    var over = u.over;
    var start = null;
    function x(touch) { return touch.clientX - over.getBoundingClientRect().left; }
    over.addEventListener('touchstart', function (event) {
      var t = event.touches;
      start = t.length === 2
        ? { pinch: true, distance: Math.abs(t[0].clientX - t[1].clientX), middle: u.posToVal((x(t[0]) + x(t[1])) / 2, 'x') }
        : { pinch: false, x: x(t[0]), y: t[0].clientY, moved: false, horizontal: null };
      if (start.pinch) event.preventDefault();
    }, { passive: false });
    over.addEventListener('touchmove', function (event) {
      if (!start) return;
      var t = event.touches;
      if (start.pinch && t.length === 2) {
        event.preventDefault();
        start.last = Math.abs(t[0].clientX - t[1].clientX);
        return;
      }
      var dx = x(t[0]) - start.x;
      var dy = t[0].clientY - start.y;
      if (start.horizontal === null && (Math.abs(dx) > 8 || Math.abs(dy) > 8)) start.horizontal = Math.abs(dx) > Math.abs(dy);
      if (!start.horizontal) return; // a vertical swipe scrolls the page
      event.preventDefault();
      start.moved = true;
      start.end = x(t[0]);
      u.setSelect({ left: Math.min(start.x, start.end), width: Math.abs(start.end - start.x), top: 0, height: u.over.clientHeight }, false);
    }, { passive: false });
    over.addEventListener('touchend', function (event) {
      if (!start) return;
      var gesture = start;
      start = null;
      if (gesture.pinch) {
        if (!gesture.last || !gesture.distance) return;
        event.preventDefault();
        var length = (shown.summary.to - shown.summary.from) * gesture.distance / gesture.last;
        load(clampWindow(gesture.middle - length / 2, gesture.middle + length / 2), true);
      } else if (gesture.moved) {
        event.preventDefault();
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        if (Math.abs(gesture.end - gesture.x) >= 10) {
          load(clampWindow(u.posToVal(Math.min(gesture.x, gesture.end), 'x'), u.posToVal(Math.max(gesture.x, gesture.end), 'x')), true);
        }
      } else {
        u.setCursor({ left: gesture.x, top: 10 });
      }
    }, { passive: false });
  }

  // ---- the window buttons and links work in place; Back and Forward restore a window
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.window-nav a');
    if (!link || !shown || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var win = { from: shown.summary.from, to: shown.summary.to };
    var span = link.getAttribute('data-span');
    var shift = link.getAttribute('data-shift');
    var next = span === 'all' ? whole : span ? spanAround(win, Number(span)) : shift ? shifted(win, Number(shift)) : null;
    if (!next) return;
    event.preventDefault();
    load(next, true);
  });
  window.addEventListener('popstate', function (event) {
    var state = event.state;
    load(state && state.from ? state : whole, false);
  });

  var resizeTimer;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (plot) { plot.setSize({ width: chartWidth(plot.root.closest('figure')), height: HEIGHT }); });
    }, 150);
  });

  var initial = { from: Number(root.getAttribute('data-from')), to: Number(root.getAttribute('data-to')) };
  history.replaceState(initial, '', location.href);
  load(initial, false);
})();
