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

  /* 2 Confirm before submitting, and 6 remember which watched forms were sent. */
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

  /* 5 Report editor: a textarea marked data-doc-editor becomes a page set as the document will be
     (一、 headings, （一） headings, paragraphs, 【插入：…】 tables and figures as blocks), with a
     toolbar; the textarea stays the form's value, kept in step on every change. */
  const area = document.querySelector('textarea[data-doc-editor]');
  if (area) {
    const NUM = '一二三四五六七八九十';
    const INSERT = /^【插入：(.+)】$/;
    const kindOf = (t) => {
      if (INSERT.test(t)) return 'insert';
      const short = Array.from(t).length < 40;
      if (short && /^[一二三四五六七八九十]、/.test(t)) return 'h1';
      if (short && /^（[^）]）/.test(t)) return 'h2';
      return t ? 'p' : 'blank';
    };
    const strip = (t) => t.replace(/^[一二三四五六七八九十]、/, '').replace(/^（[^）]）/, '');
    const doc = document.createElement('div');
    const bar = document.createElement('div');
    const paragraph = (t) => {
      const p = document.createElement('p');
      if (t) p.textContent = t; else p.appendChild(document.createElement('br'));
      return p;
    };
    const insertBlock = (caption) => {
      const d = document.createElement('div');
      d.className = 'doc-insert';
      d.contentEditable = 'false';
      d.dataset.line = '【插入：' + caption + '】';
      const tag = document.createElement('span');
      tag.className = 'tag blue';
      tag.textContent = caption.startsWith('图') ? '图' : '表';
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'doc-remove';
      remove.textContent = '移除';
      remove.setAttribute('aria-label', '移除' + caption);
      remove.addEventListener('click', () => { d.remove(); sync(); });
      d.append(tag, ' ' + caption + ' ', remove);
      return d;
    };
    const block = (t) => { const m = INSERT.exec(t); return m ? insertBlock(m[1]) : paragraph(t); };
    const blocks = () => Array.from(doc.children);
    const lineOf = (b) => b.dataset.line || b.textContent.replace(/\n/g, '');
    const sync = () => {
      blocks().forEach((b) => { if (!b.dataset.line) b.className = 'doc-' + kindOf(lineOf(b)); });
      area.value = blocks().map(lineOf).join('\n');
    };
    let last = null;
    const current = () => {
      const sel = window.getSelection();
      let n = sel && sel.rangeCount ? sel.getRangeAt(0).startContainer : null;
      while (n && n.parentNode !== doc) n = n.parentNode;
      return n && n.nodeType === 1 ? n : null;
    };
    /* The block the caret is in, or was in before the focus left the page (e.g. for the list). */
    const here = () => current() || (last && last.parentNode === doc ? last : null);
    /* Numbers the headings in order: 一、二、… and within each （一）（二）… */
    const renumber = () => {
      let first = 0, second = 0;
      blocks().forEach((b) => {
        if (b.dataset.line) return;
        const t = lineOf(b), k = kindOf(t);
        if (k === 'h1') { first += 1; second = 0; b.textContent = (NUM[first - 1] || first) + '、' + strip(t); }
        if (k === 'h2') { second += 1; b.textContent = '（' + (NUM[second - 1] || second) + '）' + strip(t); }
      });
    };
    const caretToEnd = (b) => {
      const r = document.createRange();
      r.selectNodeContents(b);
      r.collapse(false);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
    };
    const setKind = (kind) => {
      const b = here();
      if (!b || b.dataset.line) return;
      const t = strip(lineOf(b));
      b.textContent = kind === 'h1' ? '一、' + t : kind === 'h2' ? '（一）' + t : t;
      if (!b.textContent) b.appendChild(document.createElement('br'));
      renumber();
      sync();
      caretToEnd(b);
      doc.focus();
    };
    const button = (label, title, kind) => {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = 'button small';
      el.textContent = label;
      el.title = title;
      el.dataset.kind = kind;
      el.setAttribute('aria-pressed', 'false');
      el.addEventListener('mousedown', (e) => e.preventDefault());
      el.addEventListener('click', () => setKind(kind));
      return el;
    };
    bar.className = 'doc-toolbar no-print';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', '正文格式');
    bar.append(button('一级标题', '一、…（黑体），自动编号', 'h1'), button('二级标题', '（一）…（楷体），自动编号', 'h2'),
      button('正文', '段落（仿宋，首行缩进）', 'p'));
    const list = document.getElementById(area.dataset.docEditor);
    if (list && list.options.length) {
      const pick = document.createElement('select');
      pick.className = 'input';
      pick.setAttribute('aria-label', '插入表或图');
      pick.append(new Option('插入表或图…', ''));
      Array.from(list.options).forEach((o) => pick.append(new Option(o.value, o.value)));
      pick.addEventListener('change', () => {
        if (!pick.value) return;
        const b = here();
        const d = insertBlock(pick.value);
        if (b) b.after(d); else doc.append(d);
        pick.value = '';
        sync();
      });
      bar.append(pick);
    }
    doc.className = 'doc-editor';
    doc.contentEditable = 'true';
    doc.setAttribute('role', 'textbox');
    doc.setAttribute('aria-multiline', 'true');
    const label = document.querySelector('label[for="' + area.id + '"]');
    if (label) { label.id = label.id || area.id + '-label'; doc.setAttribute('aria-labelledby', label.id); label.htmlFor = ''; }
    area.value.split('\n').forEach((t) => doc.append(block(t.trim())));
    if (!doc.children.length) doc.append(paragraph(''));
    sync();
    area.hidden = true;
    area.after(bar, doc);
    document.execCommand('defaultParagraphSeparator', false, 'p');
    doc.addEventListener('input', sync);
    doc.addEventListener('paste', (e) => {
      e.preventDefault();
      const text = (e.clipboardData || window.clipboardData).getData('text/plain').replace(/\r/g, '');
      const lines = text.split('\n');
      if (lines.length === 1) { document.execCommand('insertText', false, text); return; }
      const at = current();
      const made = lines.map((t) => block(t.trim()));
      if (at) at.after(...made); else doc.append(...made);
      caretToEnd(made[made.length - 1]);
      sync();
    });
    document.addEventListener('selectionchange', () => {
      const b = current();
      if (b) last = b;
      const k = b && !b.dataset.line ? kindOf(lineOf(b)) : '';
      bar.querySelectorAll('button[data-kind]').forEach((el) =>
        el.setAttribute('aria-pressed', String(el.dataset.kind === k || (el.dataset.kind === 'p' && k === 'blank'))));
    });
  }

  /* 6 Unsaved changes: warn before leaving a changed form marked data-warn-unsaved. */
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
