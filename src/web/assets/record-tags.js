// Shift+drag across a chart fills the "Tag a range" form with the selected times (in the
// clinic's zone, as the form reads them). Without JavaScript the two time fields are typed in.
(function () {
  'use strict';
  var charts = document.getElementById('charts');
  var from = document.getElementById('tag-from');
  var to = document.getElementById('tag-to');
  if (!charts || !from || !to || !window.Intl) return;
  var format = new Intl.DateTimeFormat('en-CA', {
    timeZone: charts.getAttribute('data-zone'), hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });

  function local(ms) {
    var parts = {};
    format.formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + '-' + parts.month + '-' + parts.day + 'T' + parts.hour + ':' + parts.minute + ':' + parts.second;
  }

  charts.addEventListener('hms:range-selected', function (event) {
    from.value = local(Math.max(event.detail.from, Number(charts.getAttribute('data-start'))));
    to.value = local(Math.min(event.detail.to, Number(charts.getAttribute('data-end'))));
    var kind = document.getElementById('tag-kind');
    kind.scrollIntoView({ block: 'center' });
    kind.focus();
  });
})();
