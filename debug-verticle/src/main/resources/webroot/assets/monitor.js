/*
 * The activity monitor (/activity/monitor): an EventSource on /activity/stream, newest event first. The stream
 * starts with the latest events the node heard before the page opened, then goes live. Filters are applied in the
 * browser to every kept event, so changing one re-filters what is already on screen. Event data only ever enters
 * the page as text nodes.
 */
(function () {
  'use strict';
  const {el, clear, jsonView, formatClock, streamStatus, NOT_AUTHORISED} = window.Luthien;

  const $ = id => document.getElementById(id);
  const DEFAULT_MAX = 500;
  const SUMMARY_FIELDS = ['status', 'duration_ms', 'finish_reason', 'chunks', 'message', 'preview'];

  /** Newest first: {event, row, searchable}. */
  let kept = [];
  /** Events that arrived while paused, oldest first; shown on resume. */
  let held = [];
  let droppedWhilePaused = 0;
  let paused = false;
  let received = 0;
  let source = null;
  let retryTimer = null;
  let retryDelay = 1000;
  /** The id of the last event received, so a new EventSource of ours is not sent the events already shown. */
  let lastEventId = '';
  const knownTypes = new Set(Array.from($('filter-event-type').options, option => option.value));

  // ---- connection ---------------------------------------------------------------------------------------------

  function streamUrl() {
    const page = new URLSearchParams(window.location.search);
    const server = new URLSearchParams();
    for (const key of ['call_id', 'event_type']) {
      if (page.get(key)) server.set(key, page.get(key));
    }
    const note = $('server-filter');
    note.hidden = server.toString() === '';
    note.textContent = 'server-side filter: ' + Array.from(server, ([key, value]) => key + '=' + value).join(', ')
        + ' (remove it from the address to see every call)';
    if (lastEventId) server.set('last_event_id', lastEventId);
    const query = server.toString();
    return '/activity/stream' + (query ? '?' + query : '');
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    setStatus('connecting', 'connecting');
    $('reconnect-button').hidden = true;
    source = new EventSource(streamUrl());
    source.onopen = () => {
      retryDelay = 1000;
      hideMessage();
      setStatus('live', 'live');
    };
    source.onmessage = message => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      receive(message.data);
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        // The browser reconnects by itself after a dropped stream.
        setStatus('reconnecting', 'reconnecting…');
      } else {
        // The server refused the stream (401, 5xx, not text/event-stream): the browser gives up, so do we, after
        // finding out whether the key is the problem.
        source.close();
        setStatus('disconnected', 'disconnected');
        checkAuthorisationThenRetry();
      }
    };
  }

  /** After a refused stream: the key's problem is shown, anything else retried with a growing delay. */
  async function checkAuthorisationThenRetry() {
    const status = await streamStatus(streamUrl());
    if (status === 401 || status === 403) {
      setStatus('unauthorised', 'not authorised');
      showMessage(NOT_AUTHORISED);
      $('reconnect-button').hidden = false;
      return;
    }
    const seconds = Math.round(retryDelay / 1000);
    setStatus('disconnected', 'disconnected, retrying in ' + seconds + ' s');
    $('reconnect-button').hidden = false;
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function setStatus(state, label) {
    const indicator = $('connection-status');
    indicator.dataset.state = state;
    indicator.textContent = label;
  }

  // ---- events -------------------------------------------------------------------------------------------------

  function receive(data) {
    let event;
    try {
      event = JSON.parse(data);
    } catch (notJson) {
      event = {event_type: 'unparsed', timestamp: new Date().toISOString(), data: {message: String(data)}};
    }
    if (!event || typeof event !== 'object') return;
    received++;
    if (paused) {
      held.push(event);
      if (held.length > maxEvents()) {
        droppedWhilePaused += held.length - maxEvents();
        held.splice(0, held.length - maxEvents());
      }
      updatePauseNote();
    } else {
      keep(event);
    }
    updateCounts();
  }

  function keep(event) {
    rememberType(event.event_type);
    const entry = {event, row: eventRow(event)};
    entry.row.hidden = !matches(event);
    kept.unshift(entry);
    $('events').prepend(entry.row);
    trim();
  }

  function trim() {
    const max = maxEvents();
    while (kept.length > max) kept.pop().row.remove();
  }

  function maxEvents() {
    const value = parseInt($('max-events').value, 10);
    return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX;
  }

  function rememberType(type) {
    if (typeof type !== 'string' || knownTypes.has(type)) return;
    knownTypes.add(type);
    $('filter-event-type').appendChild(el('option', {value: type}, type));
  }

  function category(type) {
    const name = String(type || '');
    if (name === 'request.received') return 'cat-request';
    if (name === 'request.changed' || name === 'response.changed') return 'cat-changed';
    if (name === 'request.blocked' || name === 'request.failed') return 'cat-bad';
    if (name.startsWith('policy.')) return 'cat-policy';
    if (name === 'stream.chunk') return 'cat-chunk';
    if (name === 'response.sent') return 'cat-ok';
    return 'cat-other';
  }

  function eventRow(event) {
    const data = event.data && typeof event.data === 'object' ? event.data : {};
    const callId = event.call_id ? String(event.call_id) : '';
    const type = String(event.event_type || 'unknown');
    const cat = category(type);
    const row = el('div', {
      className: 'event-row ' + cat,
      dataset: {callId, eventType: type, model: data.model || '', category: cat}
    });
    const toggle = el('button', {type: 'button', className: 'toggle', 'aria-expanded': 'false', title: 'show the event JSON'}, '▸');
    const line = el('div', {className: 'event-line'},
      toggle,
      el('span', {className: 'time', title: String(event.timestamp || '')}, formatClock(event.timestamp)),
      el('span', {className: 'type badge ' + cat}, type),
      callId
        ? el('a', {className: 'call-link', href: '/debug/diff?call_id=' + encodeURIComponent(callId), title: 'open the diff of this call'}, callId)
        : el('span', {className: 'muted'}, 'no call id'),
      el('span', {className: 'model'}, data.model || ''),
      el('span', {className: 'summary'}, summary(data)));
    line.addEventListener('click', click => {
      if (click.target.closest('a')) return;
      toggleDetails(row, event, toggle);
    });
    row.appendChild(line);
    return row;
  }

  function summary(data) {
    const parts = [];
    for (const field of SUMMARY_FIELDS) {
      const value = data[field];
      if (value === undefined || value === null || value === '') continue;
      if (field === 'status') parts.push('HTTP ' + value);
      else if (field === 'duration_ms') parts.push(value + ' ms');
      else if (field === 'finish_reason') parts.push('finish: ' + value);
      else if (field === 'chunks') parts.push(value + ' chunks');
      else if (field === 'preview') parts.push('“' + truncate(String(value), 200) + '”');
      else parts.push(truncate(typeof value === 'string' ? value : JSON.stringify(value), 200));
    }
    return parts.join(' · ');
  }

  function truncate(text, length) {
    return text.length > length ? text.slice(0, length - 1) + '…' : text;
  }

  function toggleDetails(row, event, toggle) {
    let details = row.querySelector('.event-json');
    if (!details) {
      details = jsonView(event, 'event-json');
      details.hidden = true;
      row.appendChild(details);
    }
    details.hidden = !details.hidden;
    row.classList.toggle('expanded', !details.hidden);
    toggle.setAttribute('aria-expanded', String(!details.hidden));
  }

  // ---- filters, pause, clear ----------------------------------------------------------------------------------

  function matches(event) {
    const callFilter = $('filter-call-id').value.trim().toLowerCase();
    const modelFilter = $('filter-model').value.trim().toLowerCase();
    const typeFilter = $('filter-event-type').value;
    const model = event.data && event.data.model ? String(event.data.model).toLowerCase() : '';
    const type = String(event.event_type || '');
    if (callFilter && !String(event.call_id || '').toLowerCase().includes(callFilter)) return false;
    if (modelFilter && !model.includes(modelFilter)) return false;
    if (typeFilter === 'policy.*') return type.startsWith('policy.');
    return !typeFilter || type === typeFilter;
  }

  function applyFilters() {
    for (const entry of kept) entry.row.hidden = !matches(entry.event);
    updateCounts();
  }

  function updateCounts() {
    const shown = kept.filter(entry => !entry.row.hidden).length;
    $('count-shown').textContent = String(shown);
    $('count-kept').textContent = String(kept.length);
    $('count-received').textContent = String(received);
    $('events-empty').hidden = shown > 0;
    $('events-empty').textContent = kept.length === 0
        ? 'Waiting for events… Send a request through the gateway to see it here.'
        : 'No kept event matches the filters.';
  }

  function togglePause() {
    paused = !paused;
    const button = $('pause-button');
    button.textContent = paused ? 'Resume' : 'Pause';
    button.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      const backlog = held;
      held = [];
      droppedWhilePaused = 0;
      for (const event of backlog) keep(event);
      updateCounts();
    }
    updatePauseNote();
  }

  function updatePauseNote() {
    const note = $('pause-note');
    note.hidden = !paused;
    note.dataset.held = String(held.length);
    note.textContent = 'Paused: new events are held, not shown — ' + held.length + ' held so far'
        + (droppedWhilePaused ? ' (' + droppedWhilePaused + ' older ones dropped beyond the limit)' : '')
        + '. They appear when you resume.';
  }

  function clearEvents() {
    kept = [];
    held = [];
    droppedWhilePaused = 0;
    clear($('events'));
    updatePauseNote();
    updateCounts();
  }

  function showMessage(text) {
    const message = $('message');
    message.textContent = text;
    message.hidden = false;
  }

  function hideMessage() {
    $('message').hidden = true;
  }

  function start() {
    const page = new URLSearchParams(window.location.search);
    $('max-events').value = String(DEFAULT_MAX);
    if (page.get('call_id')) $('filter-call-id').value = page.get('call_id');
    $('toolbar').addEventListener('submit', submit => submit.preventDefault());
    for (const id of ['filter-call-id', 'filter-model']) $(id).addEventListener('input', applyFilters);
    $('filter-event-type').addEventListener('change', applyFilters);
    $('max-events').addEventListener('change', () => {
      trim();
      updateCounts();
    });
    $('pause-button').addEventListener('click', togglePause);
    $('clear-button').addEventListener('click', clearEvents);
    $('reconnect-button').addEventListener('click', () => {
      retryDelay = 1000;
      connect();
    });
    updateCounts();
    connect();
  }

  start();
})();
