// Security keys and passkeys: runs the WebAuthn ceremony whose options the server put in
// data-options, then sends the browser's answer in the form's hidden `credential` field. The
// form is a plain POST with its CSRF token; this script only fills in what needs the browser.
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

  function say(text) {
    status.textContent = text;
  }

  if (!lib || !lib.browserSupportsWebAuthn()) {
    say('This browser cannot use security keys or passkeys. Use another browser, or a code from your app.');
    button.disabled = true;
    return;
  }

  function explain(error) {
    if (error && error.name === 'NotAllowedError') return 'The request was cancelled or timed out. Use the button to try again.';
    if (error && error.name === 'InvalidStateError') return 'This key is already registered to your account.';
    if (error && error.name === 'SecurityError') return 'This browser refused: HMS must be reached by its configured name for security keys to work.';
    return 'The security key could not be used' + (error && error.message ? ': ' + error.message : '.') + ' Try again.';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    button.disabled = true;
    say(mode === 'register' ? 'Follow your browser\u2019s prompts to add the key\u2026' : 'Touch your security key, or confirm the passkey\u2026');
    var ceremony = mode === 'register'
      ? lib.startRegistration({ optionsJSON: options })
      : lib.startAuthentication({ optionsJSON: options });
    ceremony.then(function (answer) {
      form.elements.namedItem('credential').value = JSON.stringify(answer);
      say('Checking\u2026');
      form.submit();
    }).catch(function (error) {
      say(explain(error));
      button.disabled = false;
    });
  });
})();
