/*
 * How a call's diff (GET /debug/calls/{call_id}/diff, CallDiff) is drawn: parameters, messages and choices
 * side by side, JSON patches. The diff viewer fills its fixed panels with these; the policies page builds one
 * self-contained block per tested or replayed call with callDiffView. Payload text only ever enters the page
 * through Luthien.el / text nodes.
 */
(function () {
  'use strict';
  const {el, clear, jsonView, parseJsonText, wordDiff, diffTextView} = window.Luthien;

  function statusBadge(status) {
    if (status === null || status === undefined) return el('span', {className: 'badge pending'}, 'pending');
    const ok = status >= 200 && status < 300;
    return el('span', {className: 'badge ' + (ok ? 'ok' : 'bad')}, String(status));
  }

  function statusPill(status) {
    return el('span', {className: 'badge ' + status, dataset: {status}}, status);
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

  function renderParameters(body, parameters) {
    clear(body);
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

  function sideBySideHeader(container, label) {
    container.appendChild(el('div', {className: 'head'}, label));
    container.appendChild(el('div', {className: 'head'}, 'Original'));
    container.appendChild(el('div', {className: 'head'}, 'Final'));
  }

  function absentCell(side) {
    return el('div', {className: 'absent'},
        side === 'original' ? 'not in the original (added by the policy)' : 'not in the final (removed by the policy)');
  }

  function renderMessages(container, messages) {
    clear(container);
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
      cell.appendChild(absentCell(side));
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

  function renderChoices(container, choices) {
    clear(container);
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
      cell.appendChild(absentCell(side));
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

  /**
   * One call's whole diff as a block of its own (no ids, so a page can show several): the request's changed
   * badge, block, parameters and messages; the response's badge, status, error and choices; both JSON patches.
   */
  function callDiffView(diff) {
    const request = diff.request || {};
    const response = diff.response || {};
    const truncated = diff.truncated || {};
    const patch = diff.json_patch || {};
    return el('div', {className: 'call-diff', dataset: {callId: diff.call_id}},
      sideView('request', 'Request', request, truncated,
        request.blocked && el('div', {className: 'banner error', role: 'alert'}, blockedText(request.blocked)),
        parametersTable(request.parameters || []),
        el('h4', null, 'Messages'), filled(renderMessages, request.messages || [])),
      sideView('response', 'Response', response, truncated,
        response.status !== null && response.status !== undefined ? statusBadge(response.status) : null,
        response.error && el('div', {className: 'banner error', role: 'alert'}, errorText(response.error)),
        el('h4', null, 'Choices'), filled(renderChoices, response.choices || [])),
      el('details', {className: 'raw patch'},
        el('summary', null, 'JSON patch (RFC 6902, original → final)'),
        el('h4', null, 'Request'), filledPatch('request', patch.request),
        el('h4', null, 'Response'), filledPatch('response', patch.response)));
  }

  function sideView(name, label, side, truncated, ...body) {
    const badge = el('span', {className: 'badge'});
    setChangedBadge(badge, side, truncated[name]);
    const banner = el('div', {className: 'banner warn', role: 'status'});
    renderTruncation(banner, name, truncated);
    return el('div', {className: 'diff-side', dataset: {side: name}},
      el('h4', {className: 'side-title'}, label, ' ', badge), banner, ...body);
  }

  function parametersTable(parameters) {
    const body = el('tbody');
    renderParameters(body, parameters);
    return el('table', {className: 'grid parameters'},
      el('thead', null, el('tr', null, el('th', null, 'Name'), el('th', null, 'Original'), el('th', null, 'Final'),
        el('th', null, 'Status'))),
      body);
  }

  function filled(render, entries) {
    const container = el('div', {className: 'side-by-side'});
    render(container, entries);
    return container;
  }

  function filledPatch(name, ops) {
    const container = el('div', {dataset: {patch: name}});
    renderPatch(container, ops);
    return container;
  }

  window.Luthien.diffView = {
    statusBadge, statusPill, setChangedBadge, renderTruncation, blockedText, errorText, renderParameters,
    renderMessages, renderChoices, renderRaw, renderPatch, contentView, callDiffView
  };
})();
