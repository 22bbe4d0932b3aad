/* taiyaku: the parallel edition's view toggle: Japanese only, English only, or both.
   The choice is kept in localStorage, so it holds from page to page and on the next
   visit. The view is set on <html> while the page is still loading, so the page never
   shows the other view first. Without script the page shows both languages and no toggle. */
(function () {
  'use strict';
  const KEY = 'taiyaku-parallel-view';
  const VIEWS = ['master', 'translation', 'both'];
  const labels = JSON.parse(document.currentScript.dataset.labels);
  const root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY); } catch (error) { return null; }  // storage may be disabled
  }
  function show(view) {
    root.dataset.view = view;
    for (const button of document.querySelectorAll('.view-toggle button')) {
      button.setAttribute('aria-pressed', String(button.dataset.view === view));
    }
  }
  function choose(view) {
    show(view);
    try { localStorage.setItem(KEY, view); } catch (error) { /* the choice lasts for this page only */ }
  }

  show(VIEWS.includes(stored()) ? stored() : 'both');

  document.addEventListener('DOMContentLoaded', function () {
    const group = document.createElement('div');
    group.className = 'view-toggle';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', labels.view);
    const caption = document.createElement('span');
    caption.className = 'view-toggle-label';
    caption.setAttribute('aria-hidden', 'true');
    caption.textContent = labels.view;
    group.append(caption);
    for (const [view, text, lang] of [['master', labels.master, labels.masterLang],
                                      ['translation', labels.translation, labels.translationLang],
                                      ['both', labels.both, '']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.view = view;
      button.textContent = text;
      if (lang) button.lang = lang;
      button.addEventListener('click', function () { choose(view); });
      group.append(button);
    }
    (document.querySelector('.masthead-inner') || document.body).append(group);
    show(root.dataset.view);
  });
}());
