// Security keys and passkeys: runs the WebAuthn ceremony whose options the server put in
// data-options, then sends the browser's answer in the form's hidden `credential` field. The
// form is a plain POST with its CSRF token; this script only fills in what needs the browser.
// What it says comes from the page (data-say-* attributes, in the page's language).
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var root = document.getElementById('webauthn');
  if (!root) return;
  var form = root.querySelector('form');
  var status = root.querySelector('[data-webauthn-status]');
  var button = form.querySelector('button[type="submit"]');
  var mode = root.getAttribute('data-mode');
  var options = JSON.parse(root.getAttribute('data-options'));
  var lib = window.SimpleWebAuthnBrowser;

  function message(name) {
    return root.getAttribute('data-say-' + name) || '';
  }

  function say(text) {
    status.textContent = text;
  }

  if (!lib || !lib.browserSupportsWebAuthn()) {
    say(message('unsupported'));
    button.disabled = true;
    return;
  }

  function explain(error) {
    if (error && error.name === 'NotAllowedError') return message('cancelled');
    if (error && error.name === 'InvalidStateError') return message('already-registered');
    if (error && error.name === 'SecurityError') return message('security-error');
    if (error && error.message) return message('failed-because').split('{reason}').join(error.message);
    return message('failed');
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    button.disabled = true;
    say(message('prompt'));
    var ceremony = mode === 'register'
      ? lib.startRegistration({ optionsJSON: options })
      : lib.startAuthentication({ optionsJSON: options });
    ceremony.then(function (answer) {
      form.elements.namedItem('credential').value = JSON.stringify(answer);
      say(message('checking'));
      form.submit();
    }).catch(function (error) {
      say(explain(error));
      button.disabled = false;
    });
  });
})();
