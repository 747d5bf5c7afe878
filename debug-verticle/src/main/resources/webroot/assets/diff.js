/*
 * The diff viewer (/debug/diff): recent calls from GET /debug/calls, one call's original-vs-final view from
 * GET /debug/calls/{call_id}/diff. Payload text only ever enters the page through Luthien.el / text nodes.
 */
(function () {
  'use strict';
  const {el, clear, getJson, formatTime, durationBetween, safeHttpUrl} = window.Luthien;
  const {statusBadge, setChangedBadge, renderTruncation, blockedText, errorText, renderParameters, renderMessages,
    renderChoices, renderRaw, renderPatch} = window.Luthien.diffView;

  const PAGE_SIZE = 50;
  const $ = id => document.getElementById(id);

  let nextBefore = null;
  let selectedCallId = null;
  let diffGeneration = 0;
  let callsGeneration = 0;

  // ---- recent calls -------------------------------------------------------------------------------------------

  function callsUrl(before) {
    const query = new URLSearchParams({limit: String(PAGE_SIZE)});
    const model = $('filter-model').value.trim();
    const status = $('filter-status').value.trim();
    if (model) query.set('model', model);
    if (status) query.set('status', status);
    if (before) query.set('before', before);
    return '/debug/calls?' + query;
  }

  async function loadCalls(reset) {
    const generation = ++callsGeneration;
    if (reset) rememberFiltersInUrl();
    const list = $('calls-list');
    const moreButton = $('load-more');
    moreButton.disabled = true;
    $('calls-message').hidden = true;
    if (reset) $('calls-summary').textContent = 'Loading recent calls…';
    try {
      const page = await getJson(callsUrl(reset ? null : nextBefore));
      if (generation !== callsGeneration) return;
      if (reset) clear(list);
      for (const call of page.calls || []) list.appendChild(callItem(call));
      nextBefore = page.next_before || null;
      moreButton.hidden = !nextBefore;
      const count = list.children.length;
      $('calls-summary').textContent = count === 0
          ? 'No recorded calls' + (hasFilters() ? ' match these filters.' : ' yet.')
          : count + (count === 1 ? ' call' : ' calls') + (nextBefore ? ' (more available)' : '');
      markSelected();
    } catch (error) {
      if (generation !== callsGeneration) return;
      $('calls-summary').textContent = '';
      showBanner($('calls-message'), 'error', error.message);
      if (error.kind === 'unauthorised') showMessage('error', error.message, 'unauthorised');
    } finally {
      moreButton.disabled = false;
    }
  }

  function hasFilters() {
    return $('filter-model').value.trim() !== '' || $('filter-status').value.trim() !== '';
  }

  function callItem(call) {
    const button = el('button', {
      type: 'button', className: 'call-item', title: call.call_id,
      dataset: {callId: call.call_id}, onclick: () => openCall(call.call_id)
    },
      el('div', {className: 'line1'},
        statusBadge(call.status),
        el('span', {className: 'model'}, call.model || '(no model)'),
        call.stream ? el('span', {className: 'badge pending'}, 'stream') : null),
      el('div', {className: 'line2'},
        el('span', {className: 'id'}, String(call.call_id).slice(0, 8)),
        el('span', null, formatTime(call.created_at)),
        el('span', null, (call.event_count ?? 0) + ' ev')));
    return el('li', null, button);
  }

  function markSelected() {
    for (const item of document.querySelectorAll('.call-item')) {
      item.classList.toggle('selected', item.dataset.callId === selectedCallId);
    }
  }

  // ---- one call's diff ----------------------------------------------------------------------------------------

  async function openCall(rawCallId) {
    const callId = String(rawCallId || '').trim();
    if (!callId) {
      showMessage('warn', 'Enter a call id to open.');
      return;
    }
    const generation = ++diffGeneration;
    selectedCallId = callId;
    $('call-id-input').value = callId;
    markSelected();
    rememberInUrl(callId);
    showMessage('info', 'Loading call ' + callId + '…', 'loading');
    try {
      const diff = await getJson('/debug/calls/' + encodeURIComponent(callId) + '/diff');
      if (generation !== diffGeneration) return;
      renderDiff(diff);
      hideMessage();
    } catch (error) {
      if (generation !== diffGeneration) return;
      $('diff-view').hidden = true;
      $('placeholder').hidden = false;
      if (error.kind === 'not-found') showMessage('error', 'Call not found: ' + callId, 'not-found');
      else if (error.kind === 'bad-request') showMessage('error', error.message, 'bad-request');
      else if (error.kind === 'unauthorised') showMessage('error', error.message, 'unauthorised');
      else showMessage('error', 'Could not load call ' + callId + ': ' + error.message, 'failed');
    }
  }

  /** The filters go into the address too, so a filtered list can be bookmarked or shared. */
  function rememberFiltersInUrl() {
    const url = new URL(window.location.href);
    for (const [param, input] of [['model', 'filter-model'], ['status', 'filter-status']]) {
      const value = $(input).value.trim();
      if (value) url.searchParams.set(param, value);
      else url.searchParams.delete(param);
    }
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  function rememberInUrl(callId) {
    const url = new URL(window.location.href);
    url.searchParams.set('call_id', callId);
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  function renderDiff(diff) {
    const request = diff.request || {};
    const response = diff.response || {};
    renderMeta(diff);

    const truncated = diff.truncated || {};
    setChangedBadge($('request-badge'), request, truncated.request);
    renderTruncation($('request-truncated'), 'request', truncated);
    toggleBanner($('request-blocked'), request.blocked && blockedText(request.blocked));
    renderParameters($('parameters-table').tBodies[0], request.parameters || []);
    renderMessages($('messages'), request.messages || []);
    renderRaw($('raw-request'), request);

    setChangedBadge($('response-badge'), response, truncated.response);
    renderTruncation($('response-truncated'), 'response', truncated);
    const status = $('response-status');
    status.hidden = response.status === null || response.status === undefined;
    status.className = 'badge ' + (response.status >= 200 && response.status < 300 ? 'ok' : 'bad');
    status.textContent = 'HTTP ' + response.status;
    toggleBanner($('response-error'), response.error && errorText(response.error));
    renderChoices($('choices'), response.choices || []);
    renderRaw($('raw-response'), response);

    const patch = diff.json_patch || {};
    renderPatch($('patch-request'), patch.request);
    renderPatch($('patch-response'), patch.response);

    $('placeholder').hidden = true;
    $('diff-view').hidden = false;
    $('diff-view').dataset.callId = diff.call_id;
  }

  function renderMeta(diff) {
    const call = diff.call || {};
    $('meta-call-id').textContent = diff.call_id;
    const fields = [
      ['Model', call.model || '—'],
      ['Provider', call.provider || '—'],
      ['API', call.api || '—'],
      ['Stream', call.stream === undefined || call.stream === null ? '—' : (call.stream ? 'yes' : 'no')],
      ['Status', statusBadge(call.status)],
      ['Events', call.event_count ?? '—'],
      ['Created', formatTime(call.created_at)],
      ['Completed', call.completed_at ? formatTime(call.completed_at) : 'not completed'],
      ['Duration', durationBetween(call.created_at, call.completed_at) || '—'],
    ];
    const list = clear($('meta-fields'));
    for (const [name, value] of fields) {
      list.appendChild(el('div', {dataset: {field: name.toLowerCase()}}, el('dt', null, name), el('dd', null, value)));
    }
    const traceUrl = safeHttpUrl(diff.trace_url);
    const traceLink = $('trace-link');
    traceLink.hidden = !traceUrl;
    // The server sends no trace_url when this node exports no traces; one that is not http(s) is refused here.
    $('trace-missing').hidden = !!diff.trace_url;
    $('trace-refused').hidden = !!traceUrl || !diff.trace_url;
    if (traceUrl) traceLink.href = traceUrl;
    else traceLink.removeAttribute('href');
    $('monitor-link').href = '/activity/monitor?call_id=' + encodeURIComponent(diff.call_id);
  }

  // ---- banners ------------------------------------------------------------------------------------------------

  function showBanner(banner, kind, text) {
    banner.className = 'banner ' + kind;
    banner.textContent = text;
    banner.hidden = false;
  }

  function toggleBanner(banner, text) {
    banner.hidden = !text;
    banner.textContent = text || '';
  }

  function showMessage(kind, text, reason) {
    const message = $('message');
    showBanner(message, kind, text);
    message.dataset.reason = reason || kind;
  }

  function hideMessage() {
    $('message').hidden = true;
    delete $('message').dataset.reason;
  }

  // ---- wiring -------------------------------------------------------------------------------------------------

  function start() {
    const params = new URLSearchParams(window.location.search);
    $('filter-model').value = params.get('model') || '';
    $('filter-status').value = params.get('status') || '';
    $('open-form').addEventListener('submit', event => {
      event.preventDefault();
      openCall($('call-id-input').value);
    });
    $('calls-filters').addEventListener('submit', event => {
      event.preventDefault();
      loadCalls(true);
    });
    $('refresh-calls').addEventListener('click', () => loadCalls(true));
    $('load-more').addEventListener('click', () => loadCalls(false));
    loadCalls(true);
    const callId = params.get('call_id');
    if (callId) openCall(callId);
  }

  start();
})();
