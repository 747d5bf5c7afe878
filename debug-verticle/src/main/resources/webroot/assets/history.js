/*
 * The session history (/history): GET /api/history/sessions, newest last activity first, with the search and
 * filters kept in the page's address (so a filtered list can be linked to) and paged by offset. Each row links to
 * the session's live conversation page and its exports. Session data only ever enters the page as text nodes.
 */
(function () {
  'use strict';
  const {el, clear, getJson, formatTime} = window.Luthien;

  const $ = id => document.getElementById(id);
  const DEFAULT_LIMIT = 50;
  /** Query parameter → the form field that holds it. */
  const FILTERS = {q: 'filter-q', user_id: 'filter-user', model: 'filter-model', from: 'filter-from', to: 'filter-to'};

  /** user_id → label, from /api/history/users. */
  let labels = {};
  /** Settles (never fails) once the users and their labels are in. */
  let usersLoaded = Promise.resolve();
  /** The page on screen: where it starts, how many rows it has, how many a page holds. */
  const shown = {offset: 0, count: 0, limit: DEFAULT_LIMIT};

  // ---- the address holds the query ---------------------------------------------------------------------------

  function pageQuery() {
    return new URLSearchParams(window.location.search);
  }

  function formToQuery(offset) {
    const query = new URLSearchParams();
    for (const [param, id] of Object.entries(FILTERS)) {
      const value = $(id).value.trim();
      if (value) query.set(param, value);
    }
    if ($('filter-intervened').checked) query.set('policy_intervention', 'true');
    const limit = pageQuery().get('limit');
    if (limit) query.set('limit', limit);
    if (offset > 0) query.set('offset', String(offset));
    return query;
  }

  function queryToForm(query) {
    for (const [param, id] of Object.entries(FILTERS)) $(id).value = query.get(param) || '';
    $('filter-intervened').checked = query.get('policy_intervention') === 'true';
  }

  function show(query) {
    const text = query.toString();
    window.history.pushState(null, '', '/history' + (text ? '?' + text : ''));
    load();
  }

  // ---- loading ------------------------------------------------------------------------------------------------

  async function load() {
    const query = pageQuery();
    queryToForm(query);
    document.body.dataset.state = 'loading';
    try {
      // The users' labels are asked for at the same time; the rows show them.
      const [page] = await Promise.all([getJson('/api/history/sessions?' + query.toString()), usersLoaded]);
      hideMessage();
      render(page, query);
    } catch (failure) {
      showMessage(failure.message);
      document.body.dataset.state = 'failed';
    }
  }

  async function loadUsers() {
    try {
      const answer = await getJson('/api/history/users?limit=500');
      labels = answer.labels && typeof answer.labels === 'object' ? answer.labels : {};
      fillUserOptions(Array.isArray(answer.users) ? answer.users : []);
    } catch (unavailable) {
      // The list still shows user ids; the error, if it is the key, shows when the sessions load.
    }
  }

  function fillUserOptions(users) {
    const select = $('filter-user');
    const chosen = pageQuery().get('user_id') || '';
    for (const user of users) select.appendChild(el('option', {value: String(user)}, userName(user)));
    if (chosen && !users.includes(chosen)) select.appendChild(el('option', {value: chosen}, userName(chosen)));
    select.value = chosen;
  }

  function userName(user) {
    const label = labels[user];
    return label ? label + ' (' + user + ')' : String(user);
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  function render(page, query) {
    const sessions = Array.isArray(page.sessions) ? page.sessions : [];
    const list = clear($('sessions'));
    for (const session of sessions) list.appendChild(sessionRow(session));
    $('sessions-empty').hidden = sessions.length > 0;
    shown.offset = Number(page.offset) || 0;
    shown.count = sessions.length;
    shown.limit = parseInt(query.get('limit'), 10) || DEFAULT_LIMIT;
    $('summary').textContent = sessions.length === 0
        ? page.total + ' sessions'
        : 'sessions ' + (shown.offset + 1) + '–' + (shown.offset + sessions.length) + ' of ' + page.total
          + ', newest first';
    $('page-previous').disabled = shown.offset === 0;
    $('page-next').disabled = page.has_more !== true;
    document.body.dataset.state = 'loaded';
  }

  function sessionRow(session) {
    const id = String(session.session_id);
    const interventions = Number(session.policy_interventions) || 0;
    return el('li', {className: 'session-row', dataset: {sessionId: id}},
      el('div', {className: 'line1'},
        el('a', {className: 'session-link', href: conversationUrl(id), title: 'open the conversation'}, id),
        interventions > 0
          ? el('span', {className: 'badge intervened', dataset: {field: 'interventions'}},
              interventions + (interventions === 1 ? ' policy intervention' : ' policy interventions'))
          : el('span', {className: 'badge', dataset: {field: 'interventions'}}, 'no intervention')),
      el('div', {className: 'preview', dataset: {field: 'preview'}},
        session.preview_message ? String(session.preview_message) : el('span', {className: 'muted'}, '(no preview)')),
      el('div', {className: 'facts'},
        fact('first', el('span', {className: 'time'}, formatTime(session.first_timestamp))),
        fact('last', el('span', {className: 'time'}, formatTime(session.last_timestamp))),
        fact('turns', String(session.turn_count)),
        fact('models', list(session.models_used).join(', ') || '—'),
        fact('users', list(session.user_ids).map(userName).join(', ') || '—')),
      el('div', {className: 'exports'},
        el('a', {href: apiUrl(id) + '/export', dataset: {export: 'markdown'}}, 'Markdown'),
        el('a', {href: apiUrl(id) + '/export/jsonl', dataset: {export: 'jsonl'}}, 'JSONL')));
  }

  function fact(name, value) {
    return el('span', {dataset: {field: name}}, name + ': ', value);
  }

  function list(value) {
    return Array.isArray(value) ? value.map(String) : [];
  }

  function conversationUrl(sessionId) {
    return '/conversation/live/' + encodeURIComponent(sessionId);
  }

  function apiUrl(sessionId) {
    return '/api/history/sessions/' + encodeURIComponent(sessionId);
  }

  function showMessage(text) {
    $('message').textContent = text;
    $('message').hidden = false;
  }

  function hideMessage() {
    $('message').hidden = true;
  }

  async function start() {
    $('filters').addEventListener('submit', submit => {
      submit.preventDefault();
      show(formToQuery(0));
    });
    $('clear-filters').addEventListener('click', () => {
      queryToForm(new URLSearchParams());
      show(formToQuery(0));
    });
    $('page-previous').addEventListener('click', () => show(formToQuery(Math.max(0, shown.offset - shown.limit))));
    $('page-next').addEventListener('click', () => show(formToQuery(shown.offset + shown.count)));
    window.addEventListener('popstate', load);
    usersLoaded = loadUsers();
    await load();
  }

  start();
})();
