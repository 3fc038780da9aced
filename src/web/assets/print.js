// The "Print" button of the recovery codes page: a convenience; the browser's Print command does the same.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var button = document.getElementById('print-codes');
  if (button) button.addEventListener('click', function () { window.print(); });
})();
