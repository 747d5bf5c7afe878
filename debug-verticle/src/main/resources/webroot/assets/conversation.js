/*
 * One agent session's conversation (/conversation/live/{session_id}), turn by turn, from
 * GET /api/history/sessions/{session_id}, growing live: an EventSource on /activity/stream?session_id= hears
 * this session's calls, and when one ends (response.sent, request.blocked, request.failed) the page fetches the
 * session again and adds (or updates) the turns that changed. The recorder writes a call a moment after its
 * activity event, so a call that ended but does not read as ended yet is asked for again a few times. Session
 * data only ever enters the page as text nodes.
 */
(function () {
  'use strict';
  const {el, clear, jsonView, getJson, formatTime, safeHttpUrl, streamStatus, NOT_AUTHORISED} = window.Luthien;

  const $ = id => document.getElementById(id);
  const PREFIX = '/conversation/live/';
  const ENDED = new Set(['response.sent', 'request.blocked', 'request.failed']);
  const MAX_ATTEMPTS = 6;

  const sessionId = decodeURIComponent(window.location.pathname.slice(PREFIX.length));
  const apiUrl = '/api/history/sessions/' + encodeURIComponent(sessionId);

  /** call_id → {signature, node, ended} of the turns on screen. */
  const shown = new Map();
  /** call_id → how often the session was fetched since its call ended without reading as ended. */
  const awaited = new Map();
  let fetching = false;
  let fetchAgain = false;
  let source = null;
  let lastEventId = '';
  let retryTimer = null;
  let retryDelay = 1000;
  let everLive = false;

  // ---- the session --------------------------------------------------------------------------------------------

  /** Fetches the session; a request made while one runs is folded into one more fetch after it. */
  async function refresh() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      showSession(await getJson(apiUrl));
      hideMessage();
    } catch (failure) {
      showFailure(failure);
    } finally {
      fetching = false;
      if (fetchAgain) {
        fetchAgain = false;
        refresh();
      } else {
        askAgainForUnfinished();
      }
    }
  }

  function showFailure(failure) {
    if (failure.kind === 'not-found') {
      $('turns-empty').textContent = 'No call of this session is recorded yet; its turns appear here as they end.';
      $('turns-empty').hidden = false;
      return;
    }
    showMessage(failure.message);
  }

  function askAgainForUnfinished() {
    let attempts = 0;
    for (const [callId, tries] of awaited) {
      const turn = shown.get(callId);
      if ((turn && turn.ended) || tries >= MAX_ATTEMPTS) {
        awaited.delete(callId);
      } else {
        awaited.set(callId, tries + 1);
        attempts = Math.max(attempts, tries + 1);
      }
    }
    if (attempts > 0) setTimeout(refresh, 250 * attempts);
  }

  function showSession(detail) {
    $('meta-first').textContent = formatTime(detail.first_timestamp);
    $('meta-last').textContent = formatTime(detail.last_timestamp);
    $('meta-interventions').textContent = String(detail.total_policy_interventions);
    $('meta-models').textContent = strings(detail.models_used).join(', ') || '—';
    const turns = Array.isArray(detail.turns) ? detail.turns : [];
    $('meta-turns').textContent = String(turns.length);
    const nodes = turns.map((turn, index) => showTurn(turn, index + 1));
    keepInOrder(nodes);
    $('turns-empty').hidden = turns.length > 0;
    $('turns').dataset.count = String(shown.size);
  }

  /** Appends a turn not seen yet, replaces one that changed (it ended, or more of it was recorded). */
  function showTurn(turn, number) {
    const callId = String(turn.call_id);
    const signature = number + ' ' + JSON.stringify(turn);
    const before = shown.get(callId);
    if (before && before.signature === signature) return before.node;
    const node = turnView(turn, number);
    if (before) before.node.replaceWith(node);
    else $('turns').appendChild(node);
    shown.set(callId, {signature, node, ended: Boolean(turn.completed_at)});
    return node;
  }

  /** A turn recorded late but begun earlier moves to its place; the others stay where they are. */
  function keepInOrder(nodes) {
    const container = $('turns');
    nodes.forEach((node, index) => {
      if (container.children[index] !== node) container.insertBefore(node, container.children[index] || null);
    });
  }

  // ---- one turn -----------------------------------------------------------------------------------------------

  function turnView(turn, number) {
    const callId = String(turn.call_id);
    const section = el('section', {
      className: 'panel turn',
      dataset: {callId, number: String(number), intervention: intervention(turn)}
    });
    section.appendChild(turnHead(turn, number, callId));
    if (turn.request_was_modified) {
      section.appendChild(original('what the client sent, before the policy changed it', turn.original_request_messages));
    }
    for (const message of list(turn.request_messages)) section.appendChild(messageView(message));
    if (turn.blocked && typeof turn.blocked === 'object') section.appendChild(blockedView(turn.blocked));
    if (turn.response_was_modified) {
      section.appendChild(original('what the model answered, before the policy changed it', turn.original_response_messages));
    }
    for (const message of list(turn.response_messages)) section.appendChild(messageView(message));
    const annotations = list(turn.annotations);
    if (annotations.length) section.appendChild(el('ul', {className: 'annotations'}, annotations.map(annotationView)));
    return section;
  }

  function intervention(turn) {
    if (turn.policy_blocked || turn.blocked) return 'blocked';
    if (turn.policy_changed || turn.request_was_modified || turn.response_was_modified) return 'changed';
    if (turn.policy_judged) return 'judged';
    return 'none';
  }

  function turnHead(turn, number, callId) {
    const trace = safeHttpUrl(turn.trace_url);
    return el('div', {className: 'turn-head'},
      el('span', {className: 'number'}, 'Turn ' + number),
      el('span', {className: 'time'}, formatTime(turn.timestamp)),
      el('span', {className: 'model'}, turn.model ? String(turn.model) : ''),
      marks(turn),
      el('span', {className: 'links'},
        el('a', {className: 'diff-link', href: '/debug/diff?call_id=' + encodeURIComponent(callId)}, 'diff'),
        trace ? el('a', {className: 'trace-link', href: trace, target: '_blank', rel: 'noopener noreferrer'}, 'trace') : null));
  }

  function marks(turn) {
    const shownMarks = [];
    if (turn.policy_blocked || turn.blocked) shownMarks.push(mark('blocked', 'blocked by policy'));
    if (turn.policy_changed || turn.request_was_modified || turn.response_was_modified) {
      shownMarks.push(mark('changed', 'changed by policy'));
    }
    if (turn.policy_judged) shownMarks.push(mark('judged', 'judged by policy'));
    if (!turn.completed_at) shownMarks.push(el('span', {className: 'badge running', dataset: {mark: 'running'}}, 'running'));
    return shownMarks;
  }

  function mark(kind, text) {
    return el('span', {className: 'badge ' + kind + '-mark', dataset: {mark: kind}}, text);
  }

  function blockedView(blocked) {
    return el('div', {className: 'banner error blocked', dataset: {part: 'blocked'}},
      el('strong', null, 'Blocked' + (blocked.status ? ' (HTTP ' + blocked.status + ')' : '') + ':'),
      blocked.message ? String(blocked.message) : 'the policy refused this request');
  }

  function original(summary, messages) {
    return el('details', {className: 'original'},
      el('summary', null, summary),
      list(messages).map(messageView));
  }

  function annotationView(annotation) {
    return el('li', {className: 'annotation', dataset: {eventType: String(annotation.event_type || '')}},
      el('span', {className: 'policy'}, String(annotation.policy_name || 'policy')),
      String(annotation.summary || ''),
      el('span', {className: 'type'}, String(annotation.event_type || '')));
  }

  // ---- one message --------------------------------------------------------------------------------------------

  function messageView(message) {
    const type = String(message.message_type || 'unknown');
    const node = el('div', {className: 'message', dataset: {type, error: message.is_error ? 'true' : null}});
    if (type === 'system') {
      node.appendChild(el('details', null, el('summary', null, 'system prompt'), textView(message.content)));
    } else if (type === 'tool_call') {
      node.appendChild(role('tool call', message.tool_name, message.tool_call_id));
      node.appendChild(message.tool_input !== null && message.tool_input !== undefined
          ? jsonView(message.tool_input) : textView(message.content));
    } else if (type === 'tool_result') {
      node.appendChild(role(message.is_error ? 'tool result (error)' : 'tool result', null, message.tool_call_id));
      node.appendChild(textView(message.content));
    } else {
      node.appendChild(role(type));
      node.appendChild(textView(message.content));
    }
    return node;
  }

  function role(label, name, id) {
    return el('div', {className: 'role'},
      label,
      name ? el('span', {className: 'badge tool-name'}, String(name)) : null,
      id ? el('span', {className: 'mono muted'}, String(id)) : null);
  }

  function textView(content) {
    return el('pre', {className: 'text'}, content === null || content === undefined ? '' : String(content));
  }

  // ---- live ---------------------------------------------------------------------------------------------------

  function streamUrl() {
    const query = new URLSearchParams({session_id: sessionId});
    if (lastEventId) query.set('last_event_id', lastEventId);
    return '/activity/stream?' + query.toString();
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    setStatus('connecting', 'connecting');
    $('reconnect-button').hidden = true;
    source = new EventSource(streamUrl());
    source.onopen = () => {
      retryDelay = 1000;
      setStatus('live', 'live');
      // Calls that ended while the page was not listening show up in a fresh read.
      if (everLive) refresh();
      everLive = true;
    };
    source.onmessage = message => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      receive(message.data);
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        setStatus('reconnecting', 'reconnecting…');
      } else {
        source.close();
        setStatus('disconnected', 'disconnected');
        checkAuthorisationThenRetry();
      }
    };
  }

  function receive(data) {
    let event;
    try {
      event = JSON.parse(data);
    } catch (notJson) {
      return;
    }
    if (!event || !ENDED.has(event.event_type) || !event.call_id) return;
    const callId = String(event.call_id);
    const turn = shown.get(callId);
    if (turn && turn.ended) return;
    if (!awaited.has(callId)) awaited.set(callId, 0);
    refresh();
  }

  /** After a refused stream: the key's problem is shown, anything else retried with a growing delay. */
  async function checkAuthorisationThenRetry() {
    const status = await streamStatus(streamUrl());
    $('reconnect-button').hidden = false;
    if (status === 401 || status === 403) {
      setStatus('unauthorised', 'not authorised');
      showMessage(NOT_AUTHORISED);
      return;
    }
    setStatus('disconnected', 'disconnected, retrying in ' + Math.round(retryDelay / 1000) + ' s');
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function setStatus(state, label) {
    $('live-status').dataset.state = state;
    $('live-status').textContent = label;
  }

  // ---- the rest -----------------------------------------------------------------------------------------------

  function list(value) {
    return Array.isArray(value) ? value.filter(item => item && typeof item === 'object') : [];
  }

  function strings(value) {
    return Array.isArray(value) ? value.map(String) : [];
  }

  function showMessage(text) {
    $('message').textContent = text;
    $('message').hidden = false;
  }

  function hideMessage() {
    $('message').hidden = true;
  }

  async function start() {
    $('session-id').textContent = sessionId;
    document.title = 'Luthien · Conversation ' + sessionId;
    $('export-markdown').href = apiUrl + '/export';
    $('export-jsonl').href = apiUrl + '/export/jsonl';
    // Leaving the page drops the stream: that is no failure to probe for and retry.
    window.addEventListener('pagehide', () => {
      clearTimeout(retryTimer);
      if (source) source.close();
    });
    $('reconnect-button').addEventListener('click', () => {
      retryDelay = 1000;
      connect();
    });
    await refresh();
    connect();
  }

  start();
})();
