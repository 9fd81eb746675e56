// Quick exit for the public pages (tip form, resources). The link works without this file;
// with it, leaving replaces this page in the tab's history (Back does not return to it) and
// pressing Shift three times within five seconds leaves too (after GOV.UK "Exit this page").
// Served from our own origin: the pages' CSP allows no inline or third-party script.
(function () {
  'use strict';
  var link = document.getElementById('quick-exit');
  if (!link) { return; }
  var target = link.getAttribute('href');
  var status = document.getElementById('quick-exit-status');
  var presses = [];

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add('quick-exit-active');
    window.location.replace(target);
  }

  link.addEventListener('click', leave);
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Shift' || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 5000; });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    } else if (status) {
      status.textContent = status.getAttribute(presses.length === 1 ? 'data-two-more' : 'data-one-more');
    }
  });
  // Coming Back from the neutral site through the browser's cache: show the page again.
  window.addEventListener('pageshow', function () {
    document.body.classList.remove('quick-exit-active');
    presses = [];
  });
}());
