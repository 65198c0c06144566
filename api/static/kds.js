// Brigade kitchen screen: device activation, PIN login, live tickets over SSE.
// Plain script, no build step, no other origin (the page is served with CSP default-src 'self').
'use strict';

(() => {
  const KEY_DEVICE = 'brigade.kds.device'; // localStorage: {device_id, device_token, branch_id, name}
  const KEY_STATION = 'brigade.kds.station'; // localStorage: station id, '' = all stations
  const KEY_SOUND = 'brigade.kds.sound'; // localStorage: 'off' mutes the new-ticket beep
  const KEY_SESSION = 'brigade.kds.session'; // sessionStorage: {refresh_token, staff} (survives a reload)

  const STALE_MS = 20000; // no byte for this long (heartbeats come every 15 s): the stream is dead
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 5000;
  const CANCELLED_LINGER_MS = 5000;
  const TOAST_MS = 6000;

  const $ = (selector) => document.querySelector(selector);

  const state = {
    device: null,
    branch: null,
    access: null,
    refresh: null,
    staff: null,
    refreshTimer: 0,
    refreshing: null,
    station: '',
    stations: new Map(), // id -> station
    tickets: new Map(), // id -> ticket (what the board shows)
    nodes: new Map(), // id -> <article class="ticket">
    lingering: new Map(), // id -> timeout of a cancelled ticket about to leave
    orderStatus: new Map(), // order id -> last order.status seen
    bumped: [], // [{id, number}], most recent last: what "Recall last" brings back
    lastEventId: null,
    streamGen: 0,
    streamCtrl: null,
    wake: null,
    clockOffset: null, // client clock minus server clock, ms
    audio: null,
    soundOn: true,
    beeps: 0,
    wakeLock: null,
  };

  // ---------------------------------------------------------------- storage (may be refused)

  function storageGet(store, key) {
    try {
      const raw = store.getItem(key);
      return raw === null ? null : JSON.parse(raw);
    } catch {
      return null;
    }
  }

  function storageSet(store, key, value) {
    try {
      if (value === null || value === undefined) store.removeItem(key);
      else store.setItem(key, JSON.stringify(value));
    } catch {
      /* private mode or full: the screen still works for this session */
    }
  }

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(status, code, detail) {
      super(detail || `Request failed (${status})`);
      this.status = status;
      this.code = code || '';
    }
  }

  class AuthLost extends Error {}

  async function problem(res) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    const detail = (body && (body.detail || body.title)) || `${res.status} ${res.statusText}`.trim();
    return new ApiError(res.status, body && body.code, detail);
  }

  function describe(err) {
    if (err instanceof ApiError) return err.message;
    if (err instanceof TypeError) return 'Cannot reach the server.';
    return String((err && err.message) || err);
  }

  async function postJson(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    if (!res.ok) throw await problem(res);
    return res.status === 204 ? null : res.json();
  }

  // An authenticated call: one refresh and one retry on a 401 (a 401 means nothing happened).
  async function api(method, path, body) {
    for (let attempt = 0; ; attempt += 1) {
      const headers = { Accept: 'application/json' };
      if (state.access) headers.Authorization = `Bearer ${state.access}`;
      const init = { method, headers, cache: 'no-store' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const res = await fetch(path, init);
      if (res.status === 401 && attempt === 0 && state.refresh) {
        await refreshTokens();
        continue;
      }
      if (!res.ok) throw await problem(res);
      noteServerDate(res);
      return res.status === 204 ? null : res.json();
    }
  }

  // ---------------------------------------------------------------- tokens

  function jwtClaims(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
    } catch {
      return {};
    }
  }

  function setTokens(access, refresh, expiresIn) {
    state.access = access;
    if (refresh) state.refresh = refresh;
    storageSet(sessionStorage, KEY_SESSION, { refresh_token: state.refresh, staff: state.staff });
    clearTimeout(state.refreshTimer);
    // Lifetime from the server's own numbers (exp - iat), so a wrong tablet clock does not matter.
    const claims = jwtClaims(access);
    const life = Number(expiresIn) || (claims.exp && claims.iat ? claims.exp - claims.iat : 0);
    if (life > 0) {
      const lead = Math.min(60, life * 0.2);
      state.refreshTimer = setTimeout(scheduledRefresh, Math.max(2, life - lead) * 1000);
    }
  }

  function scheduledRefresh() {
    refreshTokens().catch((err) => {
      if (err instanceof AuthLost) return;
      // The server is unreachable: try again soon; requests refresh on their own 401 anyway.
      clearTimeout(state.refreshTimer);
      state.refreshTimer = setTimeout(scheduledRefresh, 5000);
    });
  }

  // One refresh in flight at a time (refresh tokens rotate: using one twice revokes them all).
  function refreshTokens() {
    if (!state.refreshing) {
      state.refreshing = (async () => {
        if (!state.refresh) {
          lostAuth('Please sign in again.');
          throw new AuthLost();
        }
        const used = state.refresh;
        const res = await fetch('/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: used }),
          cache: 'no-store',
        });
        if (state.refresh !== used) throw new AuthLost(); // signed out meanwhile: drop it
        if (res.status >= 400 && res.status < 500 && res.status !== 429) {
          lostAuth('Your session ended: enter your PIN again.');
          throw new AuthLost();
        }
        if (!res.ok) throw await problem(res);
        const body = await res.json();
        setTokens(body.access_token, body.refresh_token, body.expires_in);
        return state.access;
      })().finally(() => {
        state.refreshing = null;
      });
    }
    return state.refreshing;
  }

  function clearSession() {
    stopStream();
    clearTimeout(state.refreshTimer);
    state.access = null;
    state.refresh = null;
    state.staff = null;
    state.bumped = [];
    storageSet(sessionStorage, KEY_SESSION, null);
    clearBoard();
  }

  function lostAuth(message) {
    clearSession();
    showLogin();
    if (message) toast(message);
  }

  // ---------------------------------------------------------------- views

  function show(view) {
    for (const id of ['setup', 'login', 'kds']) $(`#${id}`).hidden = id !== view;
    document.body.dataset.view = view;
  }

  function showSetup() {
    show('setup');
    $('#activation-code').focus();
  }

  function showLogin() {
    show('login');
    $('#device-label').textContent = state.device ? `Screen: ${state.device.name || ''}` : '';
    $('#pin').value = '';
    $('#pin').focus();
  }

  function toast(message, kind = 'error') {
    const box = $('#toasts');
    while (box.childElementCount >= 4) box.firstElementChild.remove();
    const el = document.createElement('div');
    el.className = `toast ${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.textContent = message;
    box.append(el);
    setTimeout(() => el.remove(), TOAST_MS);
  }

  // ---------------------------------------------------------------- setup and sign-in

  async function activate(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const button = form.querySelector('button[type=submit]');
    const name = $('#device-name').value.trim();
    button.disabled = true;
    try {
      const body = await postJson('/v1/devices/activate', {
        activation_code: $('#activation-code').value.trim(),
        name,
      });
      state.device = { ...body, name };
      storageSet(localStorage, KEY_DEVICE, state.device);
      $('#activation-code').value = '';
      showLogin();
    } catch (err) {
      toast(describe(err));
    } finally {
      button.disabled = false;
    }
  }

  async function pinLogin(event) {
    event.preventDefault();
    const input = $('#pin');
    const button = $('#pin-submit');
    if (!input.reportValidity()) return;
    button.disabled = true;
    try {
      const body = await postJson('/v1/auth/pin', {
        device_token: state.device.device_token,
        pin: input.value,
      });
      input.value = '';
      state.staff = body.staff;
      state.branch = body.branch_id || state.device.branch_id;
      setTokens(body.access_token, body.refresh_token, body.expires_in);
      await startBoard();
    } catch (err) {
      input.value = '';
      if (err instanceof ApiError && err.code === 'invalid_device') {
        forgetDevice();
        toast('This screen is no longer registered: set it up again.');
        return;
      }
      toast(describe(err));
    } finally {
      button.disabled = false;
    }
  }

  function keypad(event) {
    const key = event.target.closest('button[data-key]');
    if (!key) return;
    const input = $('#pin');
    const k = key.dataset.key;
    if (k === 'clear') input.value = '';
    else if (k === 'back') input.value = input.value.slice(0, -1);
    else if (input.value.length < 8) input.value += k;
  }

  function forgetDevice() {
    clearSession();
    state.device = null;
    storageSet(localStorage, KEY_DEVICE, null);
    showSetup();
  }

  async function signOut() {
    const refresh = state.refresh;
    clearSession();
    showLogin();
    if (refresh) {
      fetch('/v1/auth/logout', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refresh }),
      }).catch(() => {});
    }
  }

  // ---------------------------------------------------------------- stations

  async function loadStations() {
    const select = $('#station');
    state.stations.clear();
    let loaded = false;
    try {
      let cursor = null;
      for (let page = 0; page < 20; page += 1) {
        const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
        const body = await api('GET', `/v1/branches/${state.branch}/stations${query}`);
        for (const s of body.items || []) state.stations.set(s.id, s);
        cursor = body.next_cursor;
        if (!cursor) break;
      }
      loaded = true;
    } catch (err) {
      if (err instanceof AuthLost) throw err;
      toast(`Stations: ${describe(err)}`);
    }
    const options = [new Option('All stations', '')];
    for (const s of state.stations.values()) options.push(new Option(s.name, s.id));
    select.replaceChildren(...options);

    const fromUrl = new URL(location.href).searchParams.get('station');
    let wanted = fromUrl !== null ? fromUrl : storageGet(localStorage, KEY_STATION) || '';
    if (loaded && wanted && !state.stations.has(wanted)) wanted = '';
    if (wanted && !state.stations.has(wanted)) select.append(new Option('Station', wanted));
    setStation(wanted);
  }

  function setStation(id) {
    state.station = id;
    storageSet(localStorage, KEY_STATION, id);
    const url = new URL(location.href);
    if (id) url.searchParams.set('station', id);
    else url.searchParams.delete('station');
    history.replaceState(null, '', url);
    $('#station').value = id;
  }

  // ---------------------------------------------------------------- the board

  async function startBoard() {
    show('kds');
    $('#staff-name').textContent = state.staff ? state.staff.name : '';
    updateRecall();
    updateSound();
    await loadStations();
    restartStream();
  }

  function clearBoard() {
    for (const timer of state.lingering.values()) clearTimeout(timer);
    state.lingering.clear();
    state.tickets.clear();
    state.nodes.clear();
    state.orderStatus.clear();
    $('#board').replaceChildren();
    updateCount();
  }

  async function loadTickets() {
    const items = [];
    let cursor = null;
    for (let page = 0; page < 20; page += 1) {
      const params = new URLSearchParams();
      if (state.station) params.set('station', state.station);
      if (cursor) params.set('cursor', cursor);
      const query = params.toString() ? `?${params}` : '';
      const body = await api('GET', `/v1/branches/${state.branch}/tickets${query}`);
      items.push(...(body.items || []));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return items;
  }

  function applySnapshot(list) {
    const open = new Set(list.map((t) => t.id));
    for (const id of [...state.tickets.keys()]) {
      if (!open.has(id) && !state.lingering.has(id)) removeTicket(id);
    }
    for (const t of list) upsert(t);
  }

  // Server time = client time - offset. Every ticket tells us created_at and how old it was
  // when it left the server (a replayed event: when it was first sent), and every response
  // has a Date header (whole seconds, rounded down). Each observation is the true offset plus
  // some delay, never less: the smallest one seen is the best estimate.
  function observeOffset(offset) {
    if (!Number.isFinite(offset)) return;
    state.clockOffset = state.clockOffset === null ? offset : Math.min(state.clockOffset, offset);
  }

  function observeClock(t) {
    if (typeof t.elapsed_seconds !== 'number' || !t.created_at) return;
    observeOffset(Date.now() - Date.parse(t.created_at) - t.elapsed_seconds * 1000);
  }

  function noteServerDate(res) {
    const date = res.headers.get('Date');
    if (date) observeOffset(Date.now() - Date.parse(date));
  }

  function elapsedSeconds(t) {
    const created = Date.parse(t.created_at);
    if (Number.isNaN(created)) return Math.max(0, Math.floor(t.elapsed_seconds || 0));
    return Math.max(0, Math.floor((Date.now() - (state.clockOffset || 0) - created) / 1000));
  }

  function clock(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }

  // Apply a ticket as the server sent it (list, event or action response): idempotent.
  function upsert(t, { announce = false } = {}) {
    if (!t || !t.id) return;
    if (state.station && t.station_id && t.station_id !== state.station) {
      if (state.tickets.has(t.id)) removeTicket(t.id);
      return;
    }
    observeClock(t);
    const had = state.tickets.has(t.id);
    if (t.status === 'ready') {
      if (had) {
        const number = state.tickets.get(t.id).order_number;
        removeTicket(t.id);
        pushBumped(t.id, t.order_number ?? number);
      }
      return;
    }
    if (t.status === 'cancelled') {
      if (!had || state.lingering.has(t.id)) return;
      state.tickets.set(t.id, t);
      render(t);
      state.lingering.set(
        t.id,
        setTimeout(() => removeTicket(t.id), CANCELLED_LINGER_MS),
      );
      return;
    }
    if (state.lingering.has(t.id)) return; // a cancelled ticket does not come back
    state.tickets.set(t.id, t);
    dropBumped(t.id); // recalled (here or on another screen)
    render(t);
    if (!had && announce) {
      beep();
      const node = state.nodes.get(t.id);
      node.classList.add('new');
      setTimeout(() => node.classList.remove('new'), 4000);
    }
    sortBoard();
  }

  function removeTicket(id) {
    clearTimeout(state.lingering.get(id));
    state.lingering.delete(id);
    state.tickets.delete(id);
    const node = state.nodes.get(id);
    if (node) node.remove();
    state.nodes.delete(id);
    updateCount();
  }

  function pushBumped(id, number) {
    dropBumped(id);
    state.bumped.push({ id, number });
    if (state.bumped.length > 20) state.bumped.shift();
    updateRecall();
  }

  function dropBumped(id) {
    const before = state.bumped.length;
    state.bumped = state.bumped.filter((b) => b.id !== id);
    if (state.bumped.length !== before) updateRecall();
  }

  function updateRecall() {
    const button = $('#recall');
    const last = state.bumped[state.bumped.length - 1];
    button.disabled = !last;
    button.textContent = last && last.number != null ? `Recall last (#${last.number})` : 'Recall last';
  }

  function updateCount() {
    const open = [...state.tickets.values()].filter((t) => t.status !== 'cancelled').length;
    $('#ticket-count').textContent = `${open} open`;
    $('#empty').hidden = state.tickets.size > 0;
  }

  function compareTickets(a, b) {
    if (!!a.rush !== !!b.rush) return a.rush ? -1 : 1;
    const ta = Date.parse(a.created_at) || 0;
    const tb = Date.parse(b.created_at) || 0;
    if (ta !== tb) return ta - tb;
    return String(a.order_number).localeCompare(String(b.order_number), undefined, {
      numeric: true,
    });
  }

  function sortBoard() {
    const board = $('#board');
    const wanted = [...state.tickets.values()].sort(compareTickets).map((t) => state.nodes.get(t.id));
    const current = [...board.children];
    if (wanted.length !== current.length || wanted.some((node, i) => node !== current[i])) {
      for (const node of wanted) board.append(node);
    }
    updateCount();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(label, action, extra = {}) {
    const b = el('button', `action ${action}`, label);
    b.type = 'button';
    b.dataset.action = action;
    for (const [k, v] of Object.entries(extra)) b.dataset[k] = v;
    return b;
  }

  function render(t) {
    let node = state.nodes.get(t.id);
    if (!node) {
      node = el('article', 'ticket');
      node.dataset.ticketId = t.id;
      state.nodes.set(t.id, node);
      $('#board').append(node);
    }
    const focused = node.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    node.dataset.status = t.status;
    node.classList.toggle('rush', !!t.rush);
    node.classList.toggle('cancelled', t.status === 'cancelled');
    node.setAttribute('aria-label', `Order ${t.order_number ?? ''} ${String(t.status).replace('_', ' ')}`);

    const head = el('header', 'ticket-head');
    head.append(el('span', 'order-number', `#${t.order_number ?? '?'}`));
    if (t.table_label) head.append(el('span', 'table-label', t.table_label));
    const timer = el('span', 'timer');
    timer.setAttribute('role', 'timer');
    head.append(timer);
    const tags = el('div', 'tags');
    if (t.rush) tags.append(el('span', 'tag rush-tag', 'Rush'));
    if (t.status === 'in_progress') tags.append(el('span', 'tag cooking', 'Cooking'));
    if (t.status === 'cancelled') tags.append(el('span', 'tag cancelled-tag', 'Cancelled'));
    const orderStatus = state.orderStatus.get(t.order_id);
    if (orderStatus === 'cancelled' || orderStatus === 'voided') {
      tags.append(el('span', 'tag cancelled-tag', `Order ${orderStatus}`));
    }
    if (!state.station && t.station_id && state.stations.has(t.station_id)) {
      tags.append(el('span', 'tag station-tag', state.stations.get(t.station_id).name));
    }
    if (tags.childElementCount) head.append(tags);

    const list = el('ul', 'items');
    const heldCourses = [];
    for (const item of t.items || []) {
      const li = el('li', 'item');
      li.dataset.itemId = item.id;
      li.dataset.status = item.status;
      if (item.status === 'cancelled') li.classList.add('cancelled');
      if (item.status === 'held') {
        li.classList.add('held');
        if (!heldCourses.some((c) => c === item.course)) heldCourses.push(item.course);
      }
      if (item.status === 'ready') li.classList.add('done');
      const line = el('div', 'item-line');
      line.append(el('span', 'qty', `${item.quantity}×`), el('span', 'name', item.name));
      if (item.status === 'cancelled') line.append(el('span', 'visually-hidden', ' (cancelled)'));
      li.append(line);
      const options = (item.options || []).map((o) => (typeof o === 'string' ? o : o && o.name));
      if (options.length) {
        const ul = el('ul', 'options');
        for (const name of options) ul.append(el('li', null, name));
        li.append(ul);
      }
      if (item.note) li.append(el('p', 'note', item.note));
      if (item.status === 'held') {
        li.append(el('span', 'course', item.course != null ? `Held · course ${item.course}` : 'Held'));
      }
      list.append(li);
    }

    const actions = el('footer', 'actions');
    if (t.status !== 'cancelled') {
      for (const course of heldCourses) {
        if (course != null) {
          actions.append(button(`Fire course ${course}`, 'fire', { course: String(course) }));
        }
      }
      if (t.status === 'queued') actions.append(button('Start', 'start'));
      if (t.status === 'queued' || t.status === 'in_progress') actions.append(button('Bump', 'bump'));
    }

    node.replaceChildren(head, list, actions);
    tickTimer(node, t);
    if (focused) {
      const again = node.querySelector(`button[data-action="${focused}"]`);
      if (again) again.focus();
    }
  }

  function tickTimer(node, t) {
    const timer = node.querySelector('.timer');
    if (!timer) return;
    const seconds = elapsedSeconds(t);
    timer.textContent = clock(seconds);
    const target = Number(t.target_seconds) || 0;
    const red = target > 0 && seconds > target;
    const amber = target > 0 && !red && seconds >= target * 0.75;
    timer.classList.toggle('red', red);
    timer.classList.toggle('amber', amber);
    node.classList.toggle('late', red);
    timer.setAttribute('aria-label', `${Math.floor(seconds / 60)} minutes ${seconds % 60} seconds`);
  }

  function tickAll() {
    for (const [id, t] of state.tickets) {
      const node = state.nodes.get(id);
      if (node) tickTimer(node, t);
    }
  }

  async function ticketAction(event) {
    const b = event.target.closest('button[data-action]');
    if (!b) return;
    const node = b.closest('.ticket');
    const id = node && node.dataset.ticketId;
    if (!id) return;
    const action = b.dataset.action;
    const body = action === 'fire' ? { course: Number(b.dataset.course) } : {};
    const buttons = node.querySelectorAll('button');
    for (const x of buttons) x.disabled = true;
    try {
      const ticket = await api('POST', `/v1/tickets/${id}/${action}`, body);
      upsert(ticket);
    } catch (err) {
      if (err instanceof AuthLost) return;
      toast(describe(err));
    } finally {
      for (const x of buttons) if (x.isConnected) x.disabled = false;
    }
  }

  async function recallLast() {
    const last = state.bumped[state.bumped.length - 1];
    if (!last) return;
    const b = $('#recall');
    b.disabled = true;
    try {
      const ticket = await api('POST', `/v1/tickets/${last.id}/recall`, {});
      dropBumped(last.id);
      upsert(ticket);
    } catch (err) {
      if (err instanceof AuthLost) return;
      if (err instanceof ApiError && (err.status === 404 || err.status === 409)) dropBumped(last.id);
      toast(describe(err));
    } finally {
      updateRecall();
    }
  }

  function applyOrderStatus(data) {
    if (!data || !data.order_id) return;
    state.orderStatus.set(data.order_id, data.status);
    for (const t of state.tickets.values()) if (t.order_id === data.order_id) render(t);
  }

  // ---------------------------------------------------------------- the live stream

  // Server-sent events over fetch (EventSource cannot send an Authorization header).
  class SseParser {
    constructor(onEvent, onId) {
      this.onEvent = onEvent;
      this.onId = onId;
      this.decoder = new TextDecoder();
      this.buffer = '';
      this.data = [];
      this.type = '';
      this.id = null;
      this.first = true;
    }

    push(chunk) {
      this.buffer += this.decoder.decode(chunk, { stream: true });
      this.drain();
    }

    drain() {
      let text = this.buffer;
      if (this.first && text.length) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        this.first = false;
      }
      let start = 0;
      for (;;) {
        let end = start;
        while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end += 1;
        if (end >= text.length) break; // an incomplete line: wait for more
        if (text[end] === '\r' && end + 1 === text.length) break; // maybe half of \r\n
        this.line(text.slice(start, end));
        start = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
      }
      this.buffer = text.slice(start);
    }

    line(line) {
      if (line === '') {
        this.dispatch();
        return;
      }
      if (line[0] === ':') return; // a comment: a heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
      if (field === 'event') this.type = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.id = value;
    }

    dispatch() {
      const event = { type: this.type || 'message', data: this.data.join('\n'), id: this.id };
      const hasData = this.data.length > 0;
      this.data = [];
      this.type = '';
      if (hasData) this.onEvent(event);
      if (this.id !== null) this.onId(this.id);
    }
  }

  function handleEvent(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (event.type === 'ticket.created' || event.type === 'ticket.updated') {
      upsert(data, { announce: event.type === 'ticket.created' });
    }
    else if (event.type === 'order.status') applyOrderStatus(data);
  }

  function setConnection(value) {
    const banner = $('#connection');
    banner.dataset.state = value;
    banner.hidden = value === 'live' || value === 'off';
    banner.textContent =
      value === 'reconnecting'
        ? 'Connection lost: reconnecting…'
        : value === 'connecting'
          ? 'Connecting…'
          : '';
  }

  function pause(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (state.wake === done) state.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      state.wake = done;
    });
  }

  function wakeUp() {
    if (state.wake) state.wake();
  }

  function stopStream() {
    state.streamGen += 1;
    if (state.streamCtrl) state.streamCtrl.abort();
    state.streamCtrl = null;
    wakeUp();
    setConnection('off');
  }

  function restartStream() {
    stopStream();
    clearBoard();
    state.lastEventId = null;
    streamLoop(state.streamGen);
  }

  async function streamLoop(gen) {
    let backoff = BACKOFF_MIN_MS;
    let unauthorized = 0;
    let lastError = '';
    let retriedAtOnce = false;
    setConnection('connecting');
    while (gen === state.streamGen) {
      const ctrl = new AbortController();
      state.streamCtrl = ctrl;
      let stale = 0;
      let liveSince = 0;
      let ended = false;
      const alive = () => {
        clearTimeout(stale);
        stale = setTimeout(() => ctrl.abort(), STALE_MS);
      };
      try {
        alive();
        const query = state.station ? `?station=${encodeURIComponent(state.station)}` : '';
        const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${state.access}` };
        if (state.lastEventId !== null) headers['Last-Event-ID'] = state.lastEventId;
        const res = await fetch(`/v1/branches/${state.branch}/kds/stream${query}`, {
          headers,
          signal: ctrl.signal,
          cache: 'no-store',
        });
        if (gen !== state.streamGen) {
          ctrl.abort();
          return;
        }
        if (res.status === 401 && unauthorized < 1) {
          unauthorized += 1;
          ctrl.abort();
          await refreshTokens();
          continue;
        }
        if (!res.ok || !res.body) throw await problem(res);
        // Nothing replays for us: take the open tickets now. Events that arrive meanwhile
        // wait in the response body and are applied after, in order (upserts are idempotent).
        if (state.lastEventId === null) {
          state.clockOffset = null; // a fresh estimate (the tablet's clock may have been set)
          noteServerDate(res);
          const list = await loadTickets();
          if (gen !== state.streamGen) return;
          applySnapshot(list);
        }
        alive();
        setConnection('live');
        liveSince = Date.now();
        backoff = BACKOFF_MIN_MS;
        unauthorized = 0;
        lastError = '';
        retriedAtOnce = false;
        const parser = new SseParser(
          (event) => {
            if (gen === state.streamGen) handleEvent(event);
          },
          (id) => {
            if (gen === state.streamGen) state.lastEventId = id;
          },
        );
        const reader = res.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) ended = true;
          if (done || gen !== state.streamGen) break;
          alive();
          parser.push(value);
        }
        ctrl.abort();
      } catch (err) {
        if (err instanceof AuthLost || gen !== state.streamGen) return;
        if (err instanceof ApiError && err.message !== lastError) {
          lastError = err.message;
          toast(`Live updates: ${err.message}`);
        }
      } finally {
        clearTimeout(stale);
      }
      if (gen !== state.streamGen) return;
      // The server closed a stream that had been live for a while (its token ran out, or
      // it is restarting): reconnect at once, and show the banner only if that fails.
      if (ended && !retriedAtOnce && Date.now() - liveSince > 1000) {
        retriedAtOnce = true;
        continue;
      }
      setConnection('reconnecting');
      await pause(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  // ---------------------------------------------------------------- sound and screen

  function enableAudio() {
    if (!state.audio) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (Context) {
        try {
          state.audio = new Context();
        } catch {
          state.audio = null;
        }
      }
    }
    if (state.audio && state.audio.state === 'suspended') state.audio.resume().catch(() => {});
    keepAwake();
    updateSound();
  }

  function beep() {
    const ctx = state.audio;
    if (!ctx || !state.soundOn) return;
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
    const t0 = ctx.currentTime + 0.01;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t0);
    osc.frequency.setValueAtTime(1320, t0 + 0.12);
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.28);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.3);
    state.beeps += 1;
    $('#sound').dataset.beeps = String(state.beeps);
  }

  function updateSound() {
    const b = $('#sound');
    const ready = !!state.audio;
    b.setAttribute('aria-pressed', String(state.soundOn && ready));
    b.textContent = !state.soundOn ? 'Sound off' : ready ? 'Sound on' : 'Tap to enable sound';
  }

  function toggleSound() {
    if (state.audio) state.soundOn = !state.soundOn;
    else state.soundOn = true; // the first tap only unlocks audio (enableAudio ran on pointerdown)
    storageSet(localStorage, KEY_SOUND, state.soundOn ? 'on' : 'off');
    enableAudio();
    updateSound();
  }

  async function keepAwake() {
    if (!('wakeLock' in navigator) || state.wakeLock || document.visibilityState !== 'visible') {
      return;
    }
    try {
      state.wakeLock = await navigator.wakeLock.request('screen');
      state.wakeLock.addEventListener('release', () => {
        state.wakeLock = null;
      });
    } catch {
      state.wakeLock = null;
    }
  }

  // ---------------------------------------------------------------- boot

  async function boot() {
    $('#setup-form').addEventListener('submit', activate);
    $('#pin-form').addEventListener('submit', pinLogin);
    $('.keypad').addEventListener('click', keypad);
    $('#forget-device').addEventListener('click', () => {
      if (window.confirm('Unregister this screen? A manager will need a new device code.')) {
        forgetDevice();
      }
    });
    $('#sign-out').addEventListener('click', signOut);
    $('#recall').addEventListener('click', recallLast);
    $('#sound').addEventListener('click', toggleSound);
    $('#board').addEventListener('click', ticketAction);
    $('#station').addEventListener('change', (event) => {
      setStation(event.target.value);
      restartStream();
    });
    for (const type of ['pointerdown', 'keydown']) {
      document.addEventListener(type, enableAudio, { capture: true, passive: true });
    }
    window.addEventListener('online', wakeUp);
    window.addEventListener('offline', () => {
      if (state.streamCtrl) state.streamCtrl.abort();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        wakeUp();
        if (state.audio) keepAwake();
      }
    });
    setInterval(tickAll, 1000);

    state.soundOn = storageGet(localStorage, KEY_SOUND) !== 'off';
    state.device = storageGet(localStorage, KEY_DEVICE);
    if (!state.device || !state.device.device_token) {
      state.device = null;
      showSetup();
      return;
    }
    state.branch = state.device.branch_id;
    const saved = storageGet(sessionStorage, KEY_SESSION);
    if (saved && saved.refresh_token) {
      state.refresh = saved.refresh_token;
      state.staff = saved.staff || null;
      try {
        await refreshTokens();
        await startBoard();
        return;
      } catch (err) {
        if (err instanceof AuthLost) return;
        toast(describe(err));
      }
    }
    showLogin();
  }

  boot();
})();
