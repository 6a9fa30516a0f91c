/* 链长通 ChainChief — small enhancements. Every page works without this script. */
(() => {
  'use strict';
  const body = document.body;

  /* 1 Menu toggle: the rail slides in on narrow screens. */
  const toggle = document.querySelector('.menu-toggle');
  const rail = document.getElementById('rail');
  const railOpen = () => body.classList.contains('rail-open');
  const setRail = (open, returnFocus) => {
    body.classList.toggle('rail-open', open);
    if (toggle) toggle.setAttribute('aria-expanded', String(open));
    if (open && rail) {
      const link = rail.querySelector('a[aria-current]') || rail.querySelector('a');
      if (link) link.focus();
    } else if (returnFocus && toggle) {
      toggle.focus();
    }
  };
  if (toggle) toggle.addEventListener('click', () => setRail(!railOpen()));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && railOpen()) setRail(false, true);
  });
  document.addEventListener('click', (e) => {
    if (!railOpen() || (rail && rail.contains(e.target)) || (toggle && toggle.contains(e.target))) return;
    setRail(false);
  });

  /* 2 Confirm before submitting, and 5 remember which watched forms were sent. */
  const submitted = new Set();
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
    else submitted.add(form);
  });

  /* 3 Error summary: take focus on load; its links focus the field they name. */
  const summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', (e) => {
      const link = e.target.closest('a[href^="#"]');
      const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) return;
      e.preventDefault();
      const label = document.querySelector('label[for="' + field.id + '"]');
      (label || field).scrollIntoView({ block: 'center' });
      field.focus({ preventScroll: true });
    });
  }

  /* 4 Filters: a select marked data-autosubmit submits its form on change. */
  document.addEventListener('change', (e) => {
    const el = e.target;
    if (!el.matches('select[data-autosubmit]') || !el.form) return;
    if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
  });

  /* 5 Unsaved changes: warn before leaving a changed form marked data-warn-unsaved. */
  const watched = Array.from(document.querySelectorAll('form[data-warn-unsaved]'));
  const snapshot = (form) => Array.from(new FormData(form), ([k, v]) => k + '=' + (v.name || v)).join('&');
  const initial = new Map(watched.map((form) => [form, snapshot(form)]));
  if (watched.length) {
    window.addEventListener('beforeunload', (e) => {
      if (!watched.some((f) => !submitted.has(f) && snapshot(f) !== initial.get(f))) return;
      e.preventDefault();
      e.returnValue = '';
    });
    window.addEventListener('pageshow', (e) => { if (e.persisted) submitted.clear(); });
  }

  document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));

  /* Print: open collapsed details so their contents appear on paper. */
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = Array.from(document.querySelectorAll('details:not([open])'));
    opened.forEach((d) => { d.open = true; });
  });
  window.addEventListener('afterprint', () => opened.forEach((d) => { d.open = false; }));
})();
