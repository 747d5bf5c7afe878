/*
 * The diff viewer (/debug/diff): recent calls from GET /debug/calls, one call's original-vs-final view from
 * GET /debug/calls/{call_id}/diff. Payload text only ever enters the page through Luthien.el / text nodes.
 */
(function () {
  'use strict';
  const {el, clear, jsonView, parseJsonText, wordDiff, diffTextView, getJson, formatTime, durationBetween, safeHttpUrl}
      = window.Luthien;

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

  function statusBadge(status) {
    if (status === null || status === undefined) return el('span', {className: 'badge pending'}, 'pending');
    const ok = status >= 200 && status < 300;
    return el('span', {className: 'badge ' + (ok ? 'ok' : 'bad')}, String(status));
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
    renderParameters(request.parameters || []);
    renderMessages(request.messages || []);
    renderRaw($('raw-request'), request);

    setChangedBadge($('response-badge'), response, truncated.response);
    renderTruncation($('response-truncated'), 'response', truncated);
    const status = $('response-status');
    status.hidden = response.status === null || response.status === undefined;
    status.className = 'badge ' + (response.status >= 200 && response.status < 300 ? 'ok' : 'bad');
    status.textContent = 'HTTP ' + response.status;
    toggleBanner($('response-error'), response.error && errorText(response.error));
    renderChoices(response.choices || []);
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

  function setChangedBadge(badge, side, truncated) {
    const recorded = side.original !== null && side.original !== undefined
        || side.final !== null && side.final !== undefined;
    const state = truncated ? 'truncated' : !recorded ? 'missing' : side.changed ? 'changed' : 'unchanged';
    badge.dataset.changed = String(!!side.changed);
    badge.dataset.state = state;
    badge.className = 'badge ' + (state === 'missing' ? 'pending' : state === 'truncated' ? 'changed' : state);
    badge.textContent = state === 'missing' ? 'not recorded' : state;
  }

  /**
   * A payload too big to be stored whole was kept as its size and the start of its JSON text: the diff has
   * neither its original nor its final, and says so rather than "not recorded".
   */
  function renderTruncation(banner, side, truncated) {
    clear(banner);
    banner.hidden = !truncated[side];
    if (!truncated[side]) return;
    const bytes = truncated[side + '_bytes'];
    banner.appendChild(el('strong', null, 'Truncated.'));
    banner.appendChild(document.createTextNode('The ' + side + ' was too large to be recorded whole'
        + (typeof bytes === 'number' ? ' (' + bytes.toLocaleString('en') + ' bytes)' : '')
        + ': only the start of its JSON text was kept, so original and final cannot be compared.'));
    const preview = truncated[side + '_preview'];
    if (typeof preview === 'string') {
      banner.appendChild(el('details', {className: 'truncated-preview'},
          el('summary', null, 'Start of the recorded text'), el('pre', {className: 'text'}, preview)));
    }
  }

  function blockedText(blocked) {
    return 'Blocked by the policy' + (blocked.status ? ' (HTTP ' + blocked.status + ')' : '') + ': '
        + (blocked.message || 'no reason given');
  }

  function errorText(error) {
    return 'Error' + (error.status ? ' (HTTP ' + error.status + ')' : '') + (error.type ? ' ' + error.type : '')
        + ': ' + (error.message || 'no message');
  }

  function renderParameters(parameters) {
    const body = clear($('parameters-table').tBodies[0]);
    if (parameters.length === 0) {
      body.appendChild(el('tr', null, el('td', {colspan: 4, className: 'empty'}, 'no parameters recorded')));
      return;
    }
    for (const parameter of parameters) {
      body.appendChild(el('tr', {
        className: parameter.status === 'unchanged' ? '' : 'row-' + parameter.status,
        dataset: {param: parameter.name, status: parameter.status}
      },
        el('td', null, el('code', null, parameter.name)),
        el('td', {dataset: {side: 'original'}}, valueText(parameter.original, parameter.status === 'added')),
        el('td', {dataset: {side: 'final'}}, valueText(parameter.final, parameter.status === 'removed')),
        el('td', null, statusPill(parameter.status))));
    }
  }

  function valueText(value, absent) {
    if (absent || value === undefined) return el('span', {className: 'muted'}, '—');
    if (typeof value === 'string') return el('code', null, value);
    if (value !== null && typeof value === 'object') return jsonView(value);
    return el('code', null, JSON.stringify(value));
  }

  function statusPill(status) {
    return el('span', {className: 'badge ' + status, dataset: {status}}, status);
  }

  function sideBySideHeader(container, label) {
    container.appendChild(el('div', {className: 'head'}, label));
    container.appendChild(el('div', {className: 'head'}, 'Original'));
    container.appendChild(el('div', {className: 'head'}, 'Final'));
  }

  function renderMessages(messages) {
    const container = clear($('messages'));
    sideBySideHeader(container, '#');
    if (messages.length === 0) {
      container.appendChild(el('div', {className: 'empty', style: 'grid-column: 1 / -1'}, 'no messages'));
      return;
    }
    for (const message of messages) {
      container.appendChild(el('div', {className: 'diff-row', dataset: {index: message.index, status: message.status}},
        el('div', {className: 'gutter'}, el('span', null, '#' + message.index), statusPill(message.status)),
        messageCell(message, 'original'),
        messageCell(message, 'final')));
    }
  }

  function messageCell(entry, side) {
    const message = entry[side];
    const cell = el('div', {className: 'cell ' + side, dataset: {side}});
    if (message === null || message === undefined) {
      cell.appendChild(el('div', {className: 'absent'},
          side === 'original' ? 'not in the original (added by the policy)' : 'not in the final (removed by the policy)'));
      return cell;
    }
    if (typeof message !== 'object') {
      cell.appendChild(jsonView(message));
      return cell;
    }
    const {role, content, ...rest} = message;
    cell.appendChild(el('div', {className: 'role'}, role || '(no role)'));
    const other = entry[side === 'original' ? 'final' : 'original'];
    const otherContent = other && typeof other === 'object' ? other.content : undefined;
    cell.appendChild(contentView(content, entry.status === 'changed' ? otherContent : undefined, side));
    if (Object.keys(rest).length > 0) cell.appendChild(el('div', {className: 'extra'}, jsonView(rest)));
    return cell;
  }

  /**
   * A message or choice content: plain text (word-diffed against the other side when both are strings and
   * {@code otherContent} is given), JSON-looking text pretty-printed, multi-part content part by part.
   */
  function contentView(content, otherContent, side) {
    if (content === null || content === undefined) return el('div', {className: 'absent'}, '(no content)');
    if (typeof content === 'string') {
      if (typeof otherContent === 'string' && otherContent !== content) {
        const ops = side === 'original' ? wordDiff(content, otherContent) : wordDiff(otherContent, content);
        return diffTextView(ops, side);
      }
      const parsed = parseJsonText(content);
      return parsed === undefined ? el('pre', {className: 'text'}, content) : jsonView(parsed, 'from-text');
    }
    if (Array.isArray(content)) {
      return el('div', {className: 'parts'}, content.map(part =>
        part && part.type === 'text' && typeof part.text === 'string' ? el('pre', {className: 'text'}, part.text) : jsonView(part)));
    }
    return jsonView(content);
  }

  function renderChoices(choices) {
    const container = clear($('choices'));
    sideBySideHeader(container, '#');
    if (choices.length === 0) {
      container.appendChild(el('div', {className: 'empty', style: 'grid-column: 1 / -1'}, 'no choices recorded'));
      return;
    }
    for (const choice of choices) {
      container.appendChild(el('div', {className: 'diff-row', dataset: {index: choice.index, status: choice.status}},
        el('div', {className: 'gutter'}, el('span', null, '#' + choice.index), statusPill(choice.status)),
        choiceCell(choice, 'original'),
        choiceCell(choice, 'final')));
    }
  }

  function choiceCell(choice, side) {
    const cell = el('div', {className: 'cell ' + side, dataset: {side}});
    const otherSide = side === 'original' ? 'final' : 'original';
    const content = choice.content || {};
    const toolCalls = choice.tool_calls || {};
    const finish = choice.finish_reason || {};
    if (choice.status === 'added' && side === 'original' || choice.status === 'removed' && side === 'final') {
      cell.appendChild(el('div', {className: 'absent'},
          side === 'original' ? 'not in the original (added by the policy)' : 'not in the final (removed by the policy)'));
      return cell;
    }
    cell.appendChild(part('content', 'Content', content.changed,
        contentView(content[side], content.changed ? content[otherSide] : undefined, side)));
    const calls = toolCalls[side];
    if (calls && calls.length > 0 || toolCalls[otherSide] && toolCalls[otherSide].length > 0) {
      cell.appendChild(part('tool_calls', 'Tool calls', toolCalls.changed,
          calls && calls.length > 0 ? toolCallsView(calls) : el('div', {className: 'absent'}, '(none)')));
    }
    cell.appendChild(part('finish_reason', 'Finish reason', finish.changed,
        el('code', null, finish[side] === null || finish[side] === undefined ? '—' : String(finish[side]))));
    return cell;
  }

  function part(name, label, changed, body) {
    return el('div', {className: 'choice-part', dataset: {part: name, changed: String(!!changed)}},
      el('div', {className: 'label'}, label, changed ? el('span', {className: 'badge changed'}, 'changed') : null),
      body);
  }

  /** Tool calls with their JSON-string arguments parsed, so the arguments read as JSON rather than one long string. */
  function toolCallsView(calls) {
    const readable = calls.map(call => {
      const fn = call && call.function;
      const args = fn && parseJsonText(fn.arguments);
      return args === undefined ? call : {...call, function: {...fn, arguments: args}};
    });
    return jsonView(readable);
  }

  function renderRaw(details, side) {
    for (const which of ['original', 'final']) {
      const holder = clear(details.querySelector('[data-raw="' + which + '"]'));
      const value = side[which];
      holder.appendChild(value === null || value === undefined ? el('div', {className: 'empty'}, 'not recorded') : jsonView(value));
    }
  }

  function renderPatch(container, ops) {
    clear(container);
    if (!ops || ops.length === 0) {
      container.appendChild(el('div', {className: 'empty'}, 'no operations: original and final are equal'));
      return;
    }
    for (const op of ops) {
      const value = 'value' in op ? jsonView(op.value) : op.from !== undefined ? el('code', null, 'from ' + op.from) : el('span');
      container.appendChild(el('div', {className: 'patch-op', dataset: {op: op.op, path: op.path}},
        el('span', {className: 'op ' + op.op}, op.op),
        el('code', null, op.path),
        value));
    }
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
