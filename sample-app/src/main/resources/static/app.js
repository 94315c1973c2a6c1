// The chat page: joins a room over WebSocket, reads its history over HTTP, and reconnects after a drop.
// Everything the server or other people send is shown with textContent, never parsed as HTML.
'use strict';

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30000;
const ROOM_LIST_REFRESH_MS = 10000;
// Close codes after which trying again cannot help: the name or room was refused.
const NO_RETRY_CODES = new Set([1003, 1007, 1008]);

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), joinForm: $('join-form'), room: $('room'), name: $('name'), join: $('join'),
  leave: $('leave'), rooms: $('rooms'), roomTitle: $('room-title'), older: $('older'), messages: $('messages'),
  error: $('error'), compose: $('compose'), text: $('text'), send: $('send'), members: $('members'),
  memberCount: $('member-count'),
};

const chat = {
  room: null,
  name: null,
  socket: null,
  attempts: 0,          // connections in a row that did not get into the room: the backoff's exponent
  retryTimer: null,
  oldestLoaded: null,   // the `before` cursor for "Load older", or null when the whole history is shown
  listedRooms: new Set(),
};

// ---- Connection -------------------------------------------------------------------------------------

function join(room, name) {
  leave();
  chat.room = room;
  chat.name = name;
  chat.attempts = 0;
  chat.oldestLoaded = null;
  ui.messages.replaceChildren();
  ui.members.replaceChildren();
  ui.memberCount.textContent = '';
  ui.roomTitle.textContent = '#' + room;
  showError(null);
  setJoined(true);
  connect();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/ws/rooms/${encodeURIComponent(chat.room)}`
      + `?name=${encodeURIComponent(chat.name)}`;
  setStatus('connecting', `Connecting to #${chat.room}…`);
  const socket = new WebSocket(url);
  chat.socket = socket;

  socket.addEventListener('open', () => {
    if (socket !== chat.socket) return;
    setStatus('connected', `Connected to #${chat.room} as ${chat.name}`);
    setComposing(true);
    // Live messages already flow; the history fills in around them (duplicates are skipped by id), which
    // also recovers what was said while this page was disconnected.
    loadHistory(null);
  });

  socket.addEventListener('message', (event) => {
    if (socket !== chat.socket) return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    receive(data);
  });

  socket.addEventListener('close', (event) => {
    if (socket !== chat.socket) return;   // a session we left on purpose
    chat.socket = null;
    setComposing(false);
    if (NO_RETRY_CODES.has(event.code)) {
      setStatus('refused', `Refused: ${event.reason || 'code ' + event.code}`);
      setJoined(false);
      return;
    }
    scheduleReconnect(event);
  });
}

function scheduleReconnect(event) {
  // Exponential backoff with jitter, so that a restarted server is not hit by every page at once.
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** chat.attempts);
  const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
  chat.attempts++;
  const why = event.reason ? `${event.reason} (${event.code})` : `code ${event.code}`;
  setStatus('reconnecting', `Disconnected: ${why}. Reconnecting in ${Math.ceil(delay / 1000)} s…`);
  chat.retryTimer = setTimeout(() => {
    chat.retryTimer = null;
    connect();
  }, delay);
}

function leave() {
  clearTimeout(chat.retryTimer);
  chat.retryTimer = null;
  const socket = chat.socket;
  chat.socket = null;
  if (socket) socket.close(1000, 'left');
  setComposing(false);
}

// ---- What the server sends --------------------------------------------------------------------------

function receive(event) {
  switch (event.type) {
    case 'chat':
      addMessage(event);
      break;
    case 'join':
      addNotice(`${event.name} joined`, event.at);
      break;
    case 'leave':
      addNotice(`${event.name} left`, event.at);
      break;
    case 'presence':
      chat.attempts = 0;   // in the room: the next drop starts the backoff afresh
      showMembers(event.members);
      if (!chat.listedRooms.has(chat.room)) refreshRooms();   // joining created it
      break;
    case 'error':
      showError(event.message);
      break;
    default:
      break;   // a newer server may send more kinds
  }
}

async function loadHistory(before) {
  const room = chat.room;
  // No limit: the server's default page size (chat.history.default-page-size) suits it best.
  const query = new URLSearchParams();
  if (before !== null) query.set('before', String(before));
  try {
    const response = await fetch(`/api/rooms/${encodeURIComponent(room)}/messages?${query}`);
    if (!response.ok) throw new Error(await problemDetail(response));
    const page = await response.json();
    if (room !== chat.room) return;
    const keepAtBottom = before === null && isScrolledToBottom();
    page.messages.forEach(addMessage);
    // Only the first page, or a page further back, moves the cursor: a reconnect's page is the newest one.
    if (before !== null || chat.oldestLoaded === null) chat.oldestLoaded = page.nextBefore;
    ui.older.hidden = chat.oldestLoaded === null;
    if (keepAtBottom) scrollToBottom();
  } catch (error) {
    showError(`Could not load the history: ${error.message}`);
  }
}

// ---- Rendering: textContent only --------------------------------------------------------------------

function addMessage(message) {
  if (ui.messages.querySelector(`li[data-id="${Number(message.id)}"]`)) return;   // already shown
  const item = document.createElement('li');
  item.className = 'message' + (message.from === chat.name ? ' mine' : '');
  item.dataset.id = String(message.id);
  item.append(
      span('time', formatTime(message.at)),
      span('from', message.from),
      span('text', message.text));
  insertInOrder(item, message.id);
}

function addNotice(text, at) {
  const item = document.createElement('li');
  item.className = 'notice';
  item.append(span('time', formatTime(at)), span('text', text));
  appendAndFollow(item);
}

// Messages are kept in id order whatever order they arrive in (history pages come after live messages).
function insertInOrder(item, id) {
  for (const other of ui.messages.querySelectorAll('li[data-id]')) {
    if (Number(other.dataset.id) > id) {
      ui.messages.insertBefore(item, other);
      return;
    }
  }
  appendAndFollow(item);
}

function appendAndFollow(item) {
  const follow = isScrolledToBottom();
  ui.messages.append(item);
  if (follow) scrollToBottom();
}

function showMembers(names) {
  ui.members.replaceChildren(...names.map((name) => {
    const item = document.createElement('li');
    item.textContent = name;
    if (name === chat.name) item.className = 'me';
    return item;
  }));
  ui.memberCount.textContent = `(${names.length})`;
}

async function refreshRooms() {
  try {
    const response = await fetch('/api/rooms');
    if (!response.ok) return;
    const rooms = await response.json();
    chat.listedRooms = new Set(rooms.map((room) => room.name));
    ui.rooms.replaceChildren(...rooms.map((room) => {
      const item = document.createElement('li');
      if (room.name === chat.room) item.className = 'current';
      const button = document.createElement('button');
      button.type = 'button';
      button.append(span('name', '#' + room.name), span('count', String(room.members)));
      button.title = `${room.members} here, ${room.messages} messages`;
      button.addEventListener('click', () => {
        ui.room.value = room.name;
        ui.name.focus();
      });
      item.append(button);
      return item;
    }));
  } catch {
    // The list is a convenience; the status line already tells when the server is away.
  }
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function formatTime(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime())
    ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showError(message) {
  ui.error.hidden = !message;
  ui.error.textContent = message || '';
}

function setJoined(joined) {
  ui.join.hidden = joined;
  ui.leave.hidden = !joined;
  ui.room.disabled = joined;
  ui.name.disabled = joined;
}

function setComposing(enabled) {
  ui.text.disabled = !enabled;
  ui.send.disabled = !enabled;
  if (enabled) ui.text.focus();
}

function isScrolledToBottom() {
  const list = ui.messages;
  return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
}

function scrollToBottom() {
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// ---- Wiring -----------------------------------------------------------------------------------------

ui.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const room = ui.room.value.trim();
  const name = ui.name.value.trim();
  if (!room || !name) return;
  join(room, name);
  refreshRooms();
});

ui.leave.addEventListener('click', () => {
  leave();
  chat.room = null;
  ui.members.replaceChildren();
  ui.memberCount.textContent = '';
  setJoined(false);
  setStatus('idle', 'Not connected');
  refreshRooms();
});

ui.compose.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.text.value.trim();
  if (!text || !chat.socket || chat.socket.readyState !== WebSocket.OPEN) return;
  chat.socket.send(JSON.stringify({ type: 'chat', text }));
  ui.text.value = '';
  showError(null);
});

ui.older.addEventListener('click', () => {
  if (chat.oldestLoaded !== null) loadHistory(chat.oldestLoaded);
});

refreshRooms();
setInterval(refreshRooms, ROOM_LIST_REFRESH_MS);
