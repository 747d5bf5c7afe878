/*
 * The index (/): asks the open /health whether this node wants the admin key, so the page can say which routes
 * will ask for it. It never calls a keyed route: a 401 would make the browser ask for the key on a page meant to
 * be readable without it.
 */
(function () {
  'use strict';
  const $ = id => document.getElementById(id);

  function showKeyStatus(required) {
    const status = $('key-status');
    status.dataset.state = required ? 'required' : 'open';
    status.className = 'banner ' + (required ? 'info' : 'warn');
    status.textContent = required
        ? 'ADMIN_API_KEY is set on this node: routes marked "admin key" ask for it (any user name, the key as the '
          + 'password), or take it as "Authorization: Bearer <key>" or an x-api-key header.'
        : 'ADMIN_API_KEY is not set on this node: every route here is open to whoever can reach this port.';
    for (const badge of document.querySelectorAll('[data-access=admin]')) {
      badge.className = 'access badge ' + (required ? 'pending' : 'ok');
      badge.textContent = required ? 'admin key' : 'open (no key set)';
    }
  }

  function showFeedStatus(health) {
    const feed = $('feed-status');
    feed.hidden = false;
    feed.textContent = 'Activity feed ' + health.activity_feed + ', ' + health.activity_listeners
        + (health.activity_listeners === 1 ? ' browser' : ' browsers') + ' watching.';
  }

  async function start() {
    try {
      const response = await fetch('/health', {headers: {'Accept': 'application/json'}, cache: 'no-store'});
      const health = await response.json();
      showKeyStatus(health.admin_key_required === true);
      showFeedStatus(health);
    } catch (unreachable) {
      // The static text already says what the badges mean when the key is set.
    }
  }

  start();
})();
