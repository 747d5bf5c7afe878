/*
 * The policies page (/policies): the active policy from the admin API, a chain to edit (starting as the active
 * one) with forms built from each policy's config schema, a test prompt and a replay of recorded calls through
 * that chain, activating it, and the history of changes. Everything the server sends (configs, prompts, answers,
 * error messages) enters the page through Luthien.el / text nodes only.
 */
(function () {
  'use strict';
  const {el, clear, jsonView, getJson, postJson, formatTime} = window.Luthien;
  const {callDiffView} = window.Luthien.diffView;

  const API = '/api/admin';
  const CHAIN_CLASS = 'MultiSerialPolicy';
  const HISTORY_PAGE = 20;
  const ENABLED_BY = 'policies page';
  const $ = id => document.getElementById(id);

  let catalog = [];
  let active = null;
  let chain = [];
  let historyBefore = null;

  // ---- chains: what the API holds vs. the list the page edits ----------------------------------------------------

  function shortName(classRef) {
    const ref = String(classRef || '');
    return ref.slice(ref.lastIndexOf('.') + 1);
  }

  function isChain(classRef) {
    return shortName(classRef) === CHAIN_CLASS;
  }

  /** A policy's items: a chain's policies in order, or the policy alone. */
  function itemsOf(classRef, config) {
    if (isChain(classRef) && config && Array.isArray(config.policies)) {
      return config.policies.map(item => ({class: item.class, config: item.config || {}}));
    }
    return [{class: classRef, config: config || {}}];
  }

  /** What the API is sent for the chain: one item as itself, several as a MultiSerialPolicy. */
  function candidateOf(items) {
    if (items.length === 1) return {policy_class_ref: items[0].class, config: items[0].config};
    return {policy_class_ref: CHAIN_CLASS, config: {policies: items.map(item => ({class: item.class, config: item.config}))}};
  }

  function describePolicy(classRef, config) {
    if (!isChain(classRef)) return shortName(classRef);
    return CHAIN_CLASS + ' (' + itemsOf(classRef, config).map(item => shortName(item.class)).join(' → ') + ')';
  }

  function findPolicy(classRef) {
    const name = shortName(classRef);
    return catalog.find(policy => policy.class_ref === classRef || policy.name === classRef || policy.name === name);
  }

  // ---- the active policy --------------------------------------------------------------------------------------

  async function loadActive() {
    try {
      active = await getJson(API + '/policy/current');
      renderActive(active);
      return active;
    } catch (error) {
      $('active-loading').textContent = 'The active policy could not be read.';
      showPageError(error);
      return null;
    }
  }

  /** After a set, the policy nodes switch within moments: wait until the one answering serves stored policy {@code id}. */
  async function awaitActive(id) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await loadActive();
      if (!current || current.id === id) return current;
      await new Promise(resolve => setTimeout(resolve, 150));
    }
    return active;
  }

  function renderActive(current) {
    $('active-loading').hidden = true;
    const fields = [
      ['Policy', describePolicy(current.class_ref, current.config)],
      ['Class', current.class_ref],
      ['Source', current.source + (current.path ? ' (' + current.path + ')' : '') + (current.id ? ' #' + current.id : '')],
      ['Enabled at', current.enabled_at ? formatTime(current.enabled_at) : '—'],
      ['Enabled by', current.enabled_by || '—'],
      ['Policy nodes read', current.policy_source || '—'],
    ];
    const list = clear($('active-fields'));
    for (const [name, value] of fields) {
      list.appendChild(el('div', {dataset: {field: name.toLowerCase().replace(/ /g, '-')}},
        el('dt', null, name), el('dd', null, value)));
    }
    const items = $('active-chain');
    clear(items);
    items.hidden = !isChain(current.class_ref);
    if (!items.hidden) {
      for (const item of itemsOf(current.class_ref, current.config)) {
        items.appendChild(el('li', {dataset: {class: item.class}},
          el('div', {className: 'item-head'}, el('span', {className: 'item-name'}, shortName(item.class))),
          jsonView(item.config)));
      }
    }
    clear($('active-config')).appendChild(jsonView(current.config || {}));
    $('active-panel').dataset.classRef = current.class_ref;
  }

  // ---- the chain being edited -----------------------------------------------------------------------------------

  function resetChain() {
    chain = active ? itemsOf(active.class_ref, active.config) : [];
    renderChain();
  }

  function renderChain() {
    const list = clear($('chain-items'));
    chain.forEach((item, index) => list.appendChild(chainItem(item, index)));
    $('chain-empty').hidden = chain.length > 0;
    $('activate').disabled = chain.length === 0;
  }

  function chainItem(item, index) {
    const policy = findPolicy(item.class);
    return el('li', {className: 'chain-item', dataset: {index, class: item.class}},
      el('div', {className: 'item-head'},
        el('span', {className: 'item-name'}, shortName(item.class)),
        policy && policy.category ? el('span', {className: 'badge'}, policy.category) : null,
        el('span', {className: 'item-actions'},
          el('button', {type: 'button', dataset: {action: 'up'}, disabled: index === 0, title: 'Run earlier',
            onclick: () => moveItem(index, -1)}, '↑ Up'),
          el('button', {type: 'button', dataset: {action: 'down'}, disabled: index === chain.length - 1,
            title: 'Run later', onclick: () => moveItem(index, 1)}, '↓ Down'),
          el('button', {type: 'button', dataset: {action: 'remove'}, onclick: () => removeItem(index)}, 'Remove'))),
      jsonView(item.config));
  }

  function moveItem(index, delta) {
    const target = index + delta;
    if (target < 0 || target >= chain.length) return;
    [chain[index], chain[target]] = [chain[target], chain[index]];
    renderChain();
  }

  function removeItem(index) {
    chain.splice(index, 1);
    renderChain();
  }

  // ---- available policies and their forms ---------------------------------------------------------------------

  async function loadCatalog() {
    try {
      const answer = await getJson(API + '/policy/list');
      catalog = answer.policies || [];
      fillPolicyChoice();
      renderChain();
    } catch (error) {
      showPageError(error);
    }
  }

  /** The policies grouped by category, each group sorted by name. */
  function fillPolicyChoice() {
    const select = clear($('add-policy'));
    const groups = new Map();
    for (const policy of [...catalog].sort((a, b) => a.name.localeCompare(b.name))) {
      const category = policy.category || 'other';
      if (!groups.has(category)) groups.set(category, []);
      groups.get(category).push(policy);
    }
    for (const category of [...groups.keys()].sort()) {
      select.appendChild(el('optgroup', {label: category},
        groups.get(category).map(policy => el('option', {value: policy.name, title: policy.description}, policy.name))));
    }
    showPolicyForm();
  }

  function showPolicyForm() {
    const policy = findPolicy($('add-policy').value);
    $('add-error').hidden = true;
    $('add-description').textContent = policy ? policy.description || '' : '';
    const fields = clear($('add-fields'));
    if (!policy) return;
    const schema = policy.config_schema || {};
    const required = new Set(schema.required || []);
    const example = policy.example_config || {};
    const properties = Object.entries(schema.properties || {});
    if (properties.length === 0) fields.appendChild(el('p', {className: 'muted'}, 'This policy takes no settings.'));
    for (const [key, property] of properties) {
      const initial = property.default !== undefined ? property.default : example[key];
      fields.appendChild(formField(key, property, required.has(key), initial));
    }
  }

  /** 'enum', 'string', 'boolean', 'number' or 'json' (arrays, objects and anything else). */
  function fieldKind(property) {
    if (Array.isArray(property.enum)) return 'enum';
    const type = Array.isArray(property.type) ? property.type.find(t => t !== 'null') : property.type;
    if (type === 'string' || type === 'boolean') return type;
    if (type === 'integer' || type === 'number') return 'number';
    return 'json';
  }

  function formField(key, property, required, initial) {
    const kind = fieldKind(property);
    const control = fieldControl(kind, property, required, initial);
    control.name = key;
    control.dataset.kind = kind;
    control.dataset.required = String(required);
    const hint = property.description ? el('span', {className: 'hint muted'}, property.description) : null;
    if (kind === 'boolean') {
      return el('label', {className: 'field check', dataset: {key}}, control, el('code', null, key), hint);
    }
    return el('label', {className: 'field', dataset: {key}},
      el('span', null, el('code', null, key), required ? ' (required)' : ''), control, hint);
  }

  function fieldControl(kind, property, required, initial) {
    switch (kind) {
      case 'enum': {
        const select = el('select', null,
          required || initial !== undefined ? null : el('option', {value: ''}, '(not set)'),
          property.enum.map(value => el('option', {value: String(value)}, String(value))));
        if (initial !== undefined) select.value = String(initial);
        return select;
      }
      case 'boolean':
        return el('input', {type: 'checkbox', checked: initial === true});
      case 'number':
        return el('input', {type: 'number', min: property.minimum, max: property.maximum,
          step: property.type === 'integer' ? '1' : 'any', value: initial === undefined ? '' : String(initial)});
      case 'string':
        return el('input', {type: 'text', spellcheck: 'false', value: initial === undefined ? '' : String(initial)});
      default:
        return el('textarea', {rows: 3, spellcheck: 'false'},
          initial === undefined ? '' : JSON.stringify(initial, null, 2));
    }
  }

  class FieldError extends Error {}

  /** The form's config; an empty optional field is left out, a JSON field that does not parse is refused here. */
  function readForm() {
    const config = {};
    for (const control of $('add-fields').querySelectorAll('[data-kind]')) {
      const value = fieldValue(control);
      if (value !== undefined) config[control.name] = value;
    }
    return config;
  }

  function fieldValue(control) {
    const kind = control.dataset.kind;
    if (kind === 'boolean') return control.checked;
    const text = control.value.trim();
    if (text === '') return undefined;
    if (kind === 'number') {
      const number = Number(text);
      if (Number.isNaN(number)) throw new FieldError(control.name + ': not a number');
      return number;
    }
    if (kind === 'json') {
      try {
        return JSON.parse(text);
      } catch (notJson) {
        throw new FieldError(control.name + ': not valid JSON (' + notJson.message + ')');
      }
    }
    return control.value;
  }

  function addItem(event) {
    event.preventDefault();
    const policy = findPolicy($('add-policy').value);
    if (!policy) return;
    try {
      chain.push({class: policy.name, config: readForm()});
      $('add-error').hidden = true;
      renderChain();
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      showBanner($('add-error'), 'error', error.message);
    }
  }

  // ---- activating -----------------------------------------------------------------------------------------------

  async function activate() {
    const message = $('activate-message');
    if (chain.length === 0) {
      showBanner(message, 'warn', 'The chain is empty: add a policy first.', 'empty');
      return;
    }
    $('activate').disabled = true;
    showBanner(message, 'info', 'Activating…', 'pending');
    try {
      const answer = await postJson(API + '/policy/set', {...candidateOf(chain), enabled_by: ENABLED_BY});
      await awaitActive(answer.id);
      resetChain();
      showBanner(message, 'info', (answer.message || 'Policy set') + ' (#' + answer.id + ', '
          + formatTime(answer.enabled_at) + ').', 'activated');
      loadHistory(true);
    } catch (error) {
      showBanner(message, 'error', 'Not activated, nothing changed: ' + error.message, 'refused');
    } finally {
      $('activate').disabled = chain.length === 0;
    }
  }

  // ---- trying the chain -----------------------------------------------------------------------------------------

  /** The edited chain to try, or null (with a note in {@code banner}) when it is empty. */
  function trialCandidate(banner) {
    if (chain.length > 0) return candidateOf(chain);
    showBanner(banner, 'warn', 'The chain is empty: add a policy to try.', 'empty');
    return null;
  }

  async function runTest(event) {
    event.preventDefault();
    const banner = $('test-message');
    const candidate = trialCandidate(banner);
    if (!candidate) return;
    const body = {
      ...candidate,
      model: $('test-model').value.trim(),
      messages: [{role: 'user', content: $('test-prompt').value}],
      stream: $('test-stream').checked,
    };
    $('test-run').disabled = true;
    showBanner(banner, 'info', 'Running…', 'pending');
    try {
      renderTest(await postJson(API + '/test/chat', body));
      banner.hidden = true;
      banner.dataset.state = 'done';
    } catch (error) {
      $('test-result').hidden = true;
      showBanner(banner, 'error', error.message, 'failed');
    } finally {
      $('test-run').disabled = false;
    }
  }

  function renderTest(result) {
    const request = result.request || {};
    const blocked = request.blocked;
    $('test-blocked').hidden = !blocked;
    $('test-blocked').textContent = blocked ? 'Blocked by the policy' + (blocked.status ? ' (HTTP ' + blocked.status
        + ')' : '') + ': ' + (blocked.message || 'no reason given') : '';
    $('test-before').textContent = textOrDash(result.before_content);
    $('test-after').textContent = textOrDash(result.content);
    renderEvents($('test-events'), result.events || []);
    const diff = clear($('test-diff'));
    if (result.diff) diff.appendChild(callDiffView(result.diff));
    else diff.appendChild(el('p', {className: 'empty'}, 'no diff'));
    $('test-result').hidden = false;
    $('test-result').dataset.callId = result.call_id || '';
  }

  function textOrDash(text) {
    return text === null || text === undefined ? '—' : typeof text === 'string' ? text : JSON.stringify(text);
  }

  function renderEvents(list, events) {
    clear(list);
    if (events.length === 0) list.appendChild(el('li', {className: 'empty'}, 'the policy emitted no events'));
    for (const event of events) {
      list.appendChild(el('li', {dataset: {eventType: event.event_type}},
        el('code', null, event.event_type), ' ', event.phase ? el('span', {className: 'badge'}, event.phase) : null,
        event.data !== undefined ? jsonView(event.data) : null));
    }
  }

  // ---- replaying recorded calls ---------------------------------------------------------------------------------

  async function runReplay(event) {
    event.preventDefault();
    const banner = $('replay-message');
    const callId = $('replay-call-id').value.trim();
    const last = $('replay-last').value.trim();
    if (!callId && !last) {
      showBanner(banner, 'warn', 'Enter a call id or how many of the last calls to replay.', 'empty');
      return;
    }
    const candidate = trialCandidate(banner);
    if (!candidate) return;
    const body = {...candidate, ...(callId ? {call_id: callId} : {last: Number(last)})};
    $('replay-run').disabled = true;
    showBanner(banner, 'info', 'Replaying…', 'pending');
    try {
      renderReplay(await postJson(API + '/replay', body));
      banner.hidden = true;
      banner.dataset.state = 'done';
    } catch (error) {
      $('replay-summary').hidden = true;
      clear($('replay-calls'));
      showBanner(banner, 'error', error.message, 'failed');
    } finally {
      $('replay-run').disabled = false;
    }
  }

  function renderReplay(result) {
    const summary = result.summary || {};
    const counts = clear($('replay-counts'));
    for (const name of ['calls', 'changed', 'blocked', 'unchanged', 'failed', 'skipped']) {
      counts.appendChild(el('div', {dataset: {count: name}}, el('dt', null, name), el('dd', null, summary[name] ?? 0)));
    }
    $('replay-summary').hidden = false;
    const list = clear($('replay-calls'));
    const calls = result.calls || [];
    for (const call of calls) list.appendChild(replayedCall(call, calls.length <= 3));
  }

  function replayedCall(call, open) {
    return el('li', {className: 'replay-call', dataset: {callId: call.call_id, outcome: call.outcome}},
      el('div', {className: 'line1'},
        el('span', {className: 'badge ' + call.outcome}, call.outcome),
        el('a', {className: 'id', href: '/debug/diff?call_id=' + encodeURIComponent(call.call_id)}, call.call_id),
        call.differs_from_recorded ? el('span', {className: 'badge pending', dataset: {differs: 'true'}},
          'differs from what was recorded') : null),
      call.error ? el('div', {className: 'banner error'}, call.error) : null,
      call.diff ? el('details', {className: 'raw', dataset: {diff: 'chain'}, open},
        el('summary', null, 'What the chain changed'), callDiffView(call.diff)) : null,
      call.against_recorded ? el('details', {className: 'raw', dataset: {diff: 'recorded'}},
        el('summary', null, 'The recording (original) against the chain\'s result (final)'),
        callDiffView(call.against_recorded)) : null);
  }

  // ---- history --------------------------------------------------------------------------------------------------

  async function loadHistory(reset) {
    const query = new URLSearchParams({limit: String(HISTORY_PAGE)});
    if (!reset && historyBefore !== null) query.set('before', String(historyBefore));
    $('history-more').disabled = true;
    try {
      const page = await getJson(API + '/policy/history?' + query);
      const list = $('history-list');
      if (reset) clear(list);
      for (const change of page.changes || []) list.appendChild(historyRow(change));
      historyBefore = page.next_before ?? null;
      $('history-more').hidden = historyBefore === null;
      $('history-empty').hidden = list.children.length > 0;
      $('history-message').hidden = true;
    } catch (error) {
      showBanner($('history-message'), 'error', error.message);
    } finally {
      $('history-more').disabled = false;
    }
  }

  function historyRow(change) {
    const previous = change.previous;
    return el('li', {className: 'history-row', dataset: {id: change.id, active: String(!!change.is_active)}},
      el('div', {className: 'line1'},
        el('strong', null, '#' + change.id),
        el('span', {className: 'history-class'}, describePolicy(change.policy_class_ref, change.config)),
        change.is_active ? el('span', {className: 'badge ok'}, 'active') : null),
      el('div', {className: 'muted'}, formatTime(change.enabled_at) + ' by ' + (change.enabled_by || '—')),
      el('div', {className: 'muted history-previous'}, previous
        ? 'replaced #' + previous.id + ' ' + describePolicy(previous.policy_class_ref, previous.config)
        : 'replaced the policy file or the default policy'),
      el('details', {className: 'raw'}, el('summary', null, 'Config (JSON)'), jsonView(change.config || {})));
  }

  // ---- banners --------------------------------------------------------------------------------------------------

  function showBanner(banner, kind, text, state) {
    banner.className = 'banner ' + kind;
    banner.textContent = text;
    banner.hidden = false;
    banner.dataset.state = state || kind;
  }

  function showPageError(error) {
    showBanner($('message'), 'error', error.message, error.kind);
  }

  // ---- wiring ---------------------------------------------------------------------------------------------------

  async function start() {
    $('add-policy').addEventListener('change', showPolicyForm);
    $('add-form').addEventListener('submit', addItem);
    $('activate').addEventListener('click', activate);
    $('reset-chain').addEventListener('click', resetChain);
    $('active-refresh').addEventListener('click', loadActive);
    $('test-form').addEventListener('submit', runTest);
    $('replay-form').addEventListener('submit', runReplay);
    $('history-more').addEventListener('click', () => loadHistory(false));
    await Promise.all([loadActive(), loadCatalog()]);
    resetChain();
    await loadHistory(true);
    document.body.dataset.ready = 'true';
  }

  start();
})();
