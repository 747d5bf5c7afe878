/*
 * Helpers shared by the debug pages. Everything that comes from a recorded call or a live event is put into
 * the page as text nodes: no helper here ever assigns innerHTML, so a payload holding markup stays markup-looking
 * text and never becomes elements.
 */
(function () {
  'use strict';

  /** el('div', {className: 'x', dataset: {id: 1}, title: 't'}, 'text', childNode, ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'className') node.className = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key === 'text') node.textContent = String(value);
        else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  const JSON_TOKEN = /("(?:\\u[0-9a-fA-F]{4}|\\[^u]|[^\\"])*")(\s*:)?|\b(true|false)\b|\b(null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

  /** A <pre> with {@code value} pretty-printed as JSON, keys/strings/numbers wrapped in spans built as text. */
  function jsonView(value, extraClass) {
    const pre = el('pre', {className: 'json' + (extraClass ? ' ' + extraClass : '')});
    const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
    let last = 0;
    for (const match of text.matchAll(JSON_TOKEN)) {
      if (match.index > last) pre.appendChild(document.createTextNode(text.slice(last, match.index)));
      let cls;
      if (match[1] !== undefined) cls = match[2] ? 'k' : 's';
      else if (match[3] !== undefined) cls = 'b';
      else if (match[4] !== undefined) cls = 'z';
      else cls = 'n';
      if (match[1] !== undefined && match[2]) {
        pre.appendChild(el('span', {className: cls}, match[1]));
        pre.appendChild(document.createTextNode(match[2]));
      } else {
        pre.appendChild(el('span', {className: cls}, match[0]));
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) pre.appendChild(document.createTextNode(text.slice(last)));
    return pre;
  }

  /** The value parsed if {@code text} is a JSON object or array (tool arguments, JSON-mode replies), else undefined. */
  function parseJsonText(text) {
    if (typeof text !== 'string') return undefined;
    const trimmed = text.trim();
    if (!(trimmed.startsWith('{') && trimmed.endsWith('}')) && !(trimmed.startsWith('[') && trimmed.endsWith(']'))) {
      return undefined;
    }
    try {
      return JSON.parse(trimmed);
    } catch (notJson) {
      return undefined;
    }
  }

  /**
   * Word-level diff of two strings: a list of {op: 'same'|'del'|'ins', text}. Longest common subsequence over
   * words and the whitespace between them; above ~4M cells it gives up and marks the whole text as replaced.
   */
  function wordDiff(before, after) {
    const a = tokens(before);
    const b = tokens(after);
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
    const ops = [];
    if (start > 0) ops.push({op: 'same', text: a.slice(0, start).join('')});
    const midA = a.slice(start, endA);
    const midB = b.slice(start, endB);
    if (midA.length * midB.length > 4000000) {
      if (midA.length) ops.push({op: 'del', text: midA.join('')});
      if (midB.length) ops.push({op: 'ins', text: midB.join('')});
    } else {
      ops.push(...lcsOps(midA, midB));
    }
    if (endA < a.length) ops.push({op: 'same', text: a.slice(endA).join('')});
    return merge(ops);
  }

  function tokens(text) {
    return (text || '').split(/(\s+)/).filter(token => token.length > 0);
  }

  function lcsOps(a, b) {
    const n = a.length;
    const m = b.length;
    const table = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { ops.push({op: 'same', text: a[i]}); i++; j++; }
      else if (table[i + 1][j] >= table[i][j + 1]) { ops.push({op: 'del', text: a[i]}); i++; }
      else { ops.push({op: 'ins', text: b[j]}); j++; }
    }
    while (i < n) ops.push({op: 'del', text: a[i++]});
    while (j < m) ops.push({op: 'ins', text: b[j++]});
    return ops;
  }

  function merge(ops) {
    const merged = [];
    for (const op of ops) {
      const previous = merged[merged.length - 1];
      if (previous && previous.op === op.op) previous.text += op.text;
      else merged.push({...op});
    }
    return merged;
  }

  /**
   * One side of a word diff as a <pre class="text">: the 'original' side shows deletions, the 'final' side
   * insertions.
   */
  function diffTextView(ops, side) {
    const pre = el('pre', {className: 'text'});
    for (const op of ops) {
      if (op.op === 'same') pre.appendChild(document.createTextNode(op.text));
      else if (op.op === 'del' && side === 'original') pre.appendChild(el('del', {className: 'diff'}, op.text));
      else if (op.op === 'ins' && side === 'final') pre.appendChild(el('ins', {className: 'diff'}, op.text));
    }
    return pre;
  }

  /** Thrown by getJson for any answer but 2xx; {@code kind} is 'unauthorised', 'not-found', 'bad-request', 'http' or 'network'. */
  class ApiError extends Error {
    constructor(kind, status, message) {
      super(message);
      this.kind = kind;
      this.status = status;
    }
  }

  const NOT_AUTHORISED = 'Not authorised: the server refused the admin key. The debug pages need ADMIN_API_KEY, '
      + 'sent as "Authorization: Bearer <key>", as an x-api-key header, or as the password of the browser\'s '
      + 'sign-in prompt. Reload the page to sign in again.';

  /** GET a same-origin JSON resource; resolves to the parsed body, rejects with an ApiError. */
  function getJson(url) {
    return requestJson(url, {method: 'GET'});
  }

  /** POST {@code body} as JSON to a same-origin resource; resolves to the parsed answer, rejects with an ApiError. */
  function postJson(url, body) {
    return requestJson(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  }

  async function requestJson(url, init) {
    let response;
    try {
      response = await fetch(url, {
        ...init, headers: {'Accept': 'application/json', ...init.headers}, credentials: 'same-origin', cache: 'no-store'
      });
    } catch (networkFailure) {
      throw new ApiError('network', 0, 'Cannot reach the server: ' + networkFailure.message);
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text);
      } catch (notJson) {
        throw new ApiError('http', response.status, 'The server answered with something that is not JSON.');
      }
    }
    const kind = response.status === 401 || response.status === 403 ? 'unauthorised'
        : response.status === 404 ? 'not-found'
        : response.status === 400 ? 'bad-request' : 'http';
    const message = response.status === 401 ? NOT_AUTHORISED : serverMessage(text) || ('HTTP ' + response.status);
    throw new ApiError(kind, response.status, message);
  }

  /** The human message of an error body: {error: {message}}, {error: "..."}, {message: "..."} or plain text. */
  function serverMessage(text) {
    const body = parseJsonText(text);
    if (body && typeof body === 'object') {
      const error = body.error;
      if (error && typeof error === 'object' && error.message) return String(error.message);
      if (typeof error === 'string') return error;
      if (body.message) return String(body.message);
      return text.trim();
    }
    return (text || '').trim();
  }

  /** A server timestamp as ISO 8601 in UTC with milliseconds (2026-12-04T19:24:14.123Z), whatever the browser's locale. */
  function formatTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toISOString();
  }

  /** The time-of-day part of formatTime (19:24:14.123Z), for the monitor's narrow time column. */
  function formatClock(iso) {
    const date = new Date(iso);
    if (!iso || isNaN(date.getTime())) return iso ? String(iso) : '—';
    return date.toISOString().slice(11);
  }

  function durationBetween(startIso, endIso) {
    if (!startIso || !endIso) return null;
    const millis = new Date(endIso).getTime() - new Date(startIso).getTime();
    if (isNaN(millis)) return null;
    return millis < 1000 ? millis + ' ms' : (millis / 1000).toFixed(2) + ' s';
  }

  /**
   * EventSource hides why a stream failed: the same request made with fetch (and dropped at once) tells. The HTTP
   * status, or 0 when the server cannot be reached.
   */
  async function streamStatus(url) {
    const probe = new AbortController();
    try {
      return (await fetch(url, {cache: 'no-store', credentials: 'same-origin', signal: probe.signal})).status;
    } catch (unreachable) {
      return 0;
    } finally {
      probe.abort();
    }
  }

  /** Only http(s) links leave the page; anything else (javascript:, data:) is refused. */
  function safeHttpUrl(url) {
    if (typeof url !== 'string' || url === '') return null;
    try {
      const parsed = new URL(url, window.location.origin);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (malformed) {
      return null;
    }
  }

  window.Luthien = {
    el, append, clear, jsonView, parseJsonText, wordDiff, diffTextView, getJson, postJson, ApiError, NOT_AUTHORISED,
    serverMessage, formatTime, formatClock, durationBetween, safeHttpUrl, streamStatus
  };
})();
