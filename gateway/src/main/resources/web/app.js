// The gateway's page: no build step, no dependencies. The API key lives in localStorage and goes out as
// "Authorization: Bearer" on every /v1 call; audio is fetched with it and played from a Blob URL.
'use strict';
(() => {
  const KEY = 'tts.apiKey', RECENT = 'tts.recent', MAX_RECENT = 20, POLL_MS = 300, BOOK_POLL_MS = 1000;
  const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
  const $ = (id) => document.getElementById(id);
  const state = { config: { voices: ['slt'], max_text_chars: 5000, speed_min: 0.25, speed_max: 4 }, watch: null,
    blobUrl: null, book: null };

  const key = () => localStorage.getItem(KEY) || '';

  function showError(msg) {
    const e = $('error');
    e.textContent = msg || '';
    e.hidden = !msg;
  }

  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  async function api(path, opts = {}) {
    const headers = Object.assign({}, opts.headers || {});
    if (key()) headers.Authorization = 'Bearer ' + key();
    const res = await fetch(path, Object.assign({}, opts, { headers }));
    if (res.ok) return res;
    let code = 'error', message = res.status + ' ' + res.statusText;
    try { const b = await res.json(); code = b.error || code; message = b.message || message; } catch (_) { /* not JSON */ }
    if (res.status === 401) askKey('The API key was refused: ' + message);
    throw new ApiError(res.status, code, message);
  }
  const getJson = async (path, opts) => (await api(path, opts)).json();

  // ------------------------------------------------------------------ key
  function askKey(why) {
    $('key-section').hidden = false;
    $('key-change').hidden = true;
    if (why) showError(why);
    $('key').focus();
  }

  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const k = $('key').value.trim();
    if (!k) return;
    localStorage.setItem(KEY, k);
    $('key').value = '';
    $('key-section').hidden = true;
    $('key-change').hidden = false;
    showError('');
    loadVoices();
    $('text').focus();
  });
  $('key-change').addEventListener('click', () => askKey());

  // ------------------------------------------------------------------ voices and config
  function setVoices(list) {
    const sel = $('voice'), before = sel.value;
    sel.textContent = '';
    for (const v of list) {
      const o = document.createElement('option');
      o.value = v.id;
      o.textContent = v.label || v.id;
      sel.append(o);
    }
    if (list.some((v) => v.id === before)) sel.value = before;
  }

  // GET /v1/voices when the gateway has it (any of {voices|data: [...]} or [...], items strings or {id|name}),
  // else the voices of /web/config.json
  async function loadVoices() {
    setVoices(state.config.voices.map((id) => ({ id })));
    if (!key()) return;
    try {
      const body = await getJson('/v1/voices');
      const items = Array.isArray(body) ? body : (body.voices || body.data || []);
      const list = items.map((v) => (typeof v === 'string' ? { id: v }
        : { id: v.id || v.name || v.voice, label: v.name && v.id && v.name !== v.id ? v.name + ' (' + v.id + ')' : undefined }))
        .filter((v) => v.id);
      if (list.length) setVoices(list);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404 && e.status !== 405) console.warn('voices:', e.message);
    }
  }

  async function loadConfig() {
    try {
      const c = await (await fetch('/web/config.json')).json();
      Object.assign(state.config, c);
    } catch (e) { console.warn('config:', e); }
    const sp = $('speed');
    sp.min = Math.max(0.5, state.config.speed_min);
    sp.max = Math.min(2, state.config.speed_max);
    $('text').maxLength = state.config.max_text_chars;
    updateCount();
  }

  function updateCount() {
    $('text-count').textContent = $('text').value.length + ' / ' + state.config.max_text_chars + ' characters';
  }
  $('text').addEventListener('input', updateCount);
  $('speed').addEventListener('input', () => { $('speed-value').textContent = Number($('speed').value).toFixed(2); });

  // ------------------------------------------------------------------ jobs
  function stopWatch() {
    if (state.watch) { state.watch.stopped = true; state.watch.abort.abort(); clearTimeout(state.watch.timer); }
    state.watch = null;
  }

  function renderJob(j) {
    $('job').hidden = false;
    const pct = Math.round((j.progress || 0) * 100);
    let s = 'Job ' + j.id + ': ' + j.status;
    if (!FINAL.has(j.status)) s += ' (' + pct + '%, ' + (j.segments_done || 0) + ' of ' + (j.segments || '?') + ' segments)';
    if (j.status === 'succeeded' && j.audio_seconds) s += ', ' + j.audio_seconds.toFixed(1) + ' s of audio';
    if (j.error) s += ': ' + j.error;
    $('job-status').textContent = s;
    $('job-progress').value = j.status === 'succeeded' ? 1 : (j.progress || 0);
    updateRecent(j);
  }

  async function loadAudio(j) {
    const res = await api('/v1/jobs/' + encodeURIComponent(j.id) + '/audio');
    const blob = await res.blob();
    if (state.blobUrl) URL.revokeObjectURL(state.blobUrl);
    state.blobUrl = URL.createObjectURL(blob);
    const player = $('player');
    player.src = state.blobUrl;
    player.load();
    const dl = $('download');
    dl.href = state.blobUrl;
    dl.download = j.id + '.' + (j.format || 'wav');
    dl.hidden = false;
  }

  async function finished(j) {
    renderJob(j);
    if (j.status === 'succeeded') {
      try { await loadAudio(j); } catch (e) { showError('Could not load the audio: ' + e.message); }
    }
  }

  // Progress: the job's event stream (GET /v1/jobs/{id}/events, read with fetch so the key can be sent) while
  // it delivers, else polling GET /v1/jobs/{id} every 300 ms.
  function watchJob(id, initial) {
    stopWatch();
    const w = { id, abort: new AbortController(), lastEvent: 0, stopped: false, timer: null, view: Object.assign({ id }, initial) };
    state.watch = w;
    const done = async (j) => {
      if (w.stopped) return;
      stopWatch();
      await finished(j);
    };
    // a full view (poll) or an event's fields (state, progress) merged into the last view
    const onView = (part) => {
      if (w.stopped || !part || part.id && part.id !== id) return;
      const j = w.view = Object.assign({}, w.view, part, { id });
      if (j.status === 'gone') { stopWatch(); showError('Job ' + id + ' was deleted or has expired.'); return; }
      if (FINAL.has(j.status)) done(j); else if (j.status) renderJob(j);
    };
    streamEvents(w, onView);
    const poll = async () => {
      if (w.stopped) return;
      if (Date.now() - w.lastEvent > 2000) {
        try { onView(await getJson('/v1/jobs/' + encodeURIComponent(id), { signal: w.abort.signal })); } catch (e) {
          if (w.stopped) return;
          if (e instanceof ApiError && e.status < 500 && e.status !== 429) { stopWatch(); showError(e.message); return; }
        }
      }
      if (!w.stopped) w.timer = setTimeout(poll, POLL_MS);
    };
    poll();
  }

  async function streamEvents(w, onView) {
    let res;
    try {
      res = await fetch('/v1/jobs/' + encodeURIComponent(w.id) + '/events', {
        headers: { Authorization: 'Bearer ' + key(), Accept: 'text/event-stream' }, signal: w.abort.signal });
    } catch (_) { return; }
    if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream') || !res.body) {
      try { res.body && res.body.cancel(); } catch (_) { /* ignore */ }
      return; // no event stream here: polling goes on
    }
    document.body.dataset.live = 'events'; // which way progress arrived (the browser test reports it)
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || w.stopped) break;
        buf += value;
        let i;
        while ((i = buf.search(/\r?\n\r?\n/)) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i).replace(/^\r?\n\r?\n/, '');
          const lines = block.split(/\r?\n/);
          const event = (lines.find((l) => l.startsWith('event:')) || 'event: message').slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          w.lastEvent = Date.now();
          if (!data || event === 'segment') continue; // segment events: per-segment samples, not needed here
          try {
            const j = JSON.parse(data);
            onView(j.job || j);
          } catch (_) { /* not JSON: the poll reads the view */ }
        }
      }
    } catch (_) { /* aborted or cut: polling takes over */ }
    w.lastEvent = 0;
  }

  $('speak-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError('');
    if (!key()) { askKey('Enter your API key first.'); return; }
    const text = $('text').value.trim();
    if (!text) return;
    const btn = $('speak-submit');
    btn.disabled = true;
    try {
      const j = await getJson('/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text, voice: $('voice').value || undefined, speed: Number($('speed').value) }) });
      addRecent(j, text);
      $('download').hidden = true;
      $('player').removeAttribute('src');
      renderJob(j);
      watchJob(j.id, j);
    } catch (e) {
      showError('Could not submit: ' + e.message);
    } finally {
      btn.disabled = false;
    }
  });

  // ------------------------------------------------------------------ recent jobs
  const recent = () => { try { return JSON.parse(localStorage.getItem(RECENT) || '[]'); } catch (_) { return []; } };
  const saveRecent = (list) => { localStorage.setItem(RECENT, JSON.stringify(list.slice(0, MAX_RECENT))); renderRecent(); };

  function addRecent(j, text) {
    saveRecent([{ id: j.id, text: text.slice(0, 80), status: j.status, at: j.created_at || new Date().toISOString() }]
      .concat(recent().filter((r) => r.id !== j.id)));
  }
  function updateRecent(j) {
    const list = recent(), r = list.find((x) => x.id === j.id);
    if (r && r.status !== j.status) { r.status = j.status; saveRecent(list); }
  }
  function renderRecent() {
    const ul = $('recent');
    ul.textContent = '';
    for (const r of recent()) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'Open';
      b.setAttribute('aria-label', 'Open job ' + r.id);
      b.addEventListener('click', () => openJob(r.id));
      li.append(b, ' ' + r.text + (r.text.length >= 80 ? '…' : '') + ' ', Object.assign(document.createElement('span'),
        { className: 'hint', textContent: '(' + r.status + ', ' + new Date(r.at).toLocaleString() + ')' }));
      ul.append(li);
    }
    $('recent-clear').hidden = ul.children.length === 0;
  }
  async function openJob(id) {
    showError('');
    try {
      const j = await getJson('/v1/jobs/' + encodeURIComponent(id));
      $('download').hidden = true;
      if (FINAL.has(j.status)) await finished(j); else { renderJob(j); watchJob(id, j); }
    } catch (e) {
      showError('Job ' + id + ': ' + e.message);
      if (e instanceof ApiError && e.status === 404) saveRecent(recent().filter((r) => r.id !== id));
    }
  }
  $('recent-clear').addEventListener('click', () => saveRecent([]));

  // ------------------------------------------------------------------ books
  function bookType(file) {
    const n = file.name.toLowerCase();
    if (n.endsWith('.epub')) return 'application/epub+zip';
    if (n.endsWith('.md') || n.endsWith('.markdown')) return 'text/markdown';
    return 'text/plain';
  }

  $('book-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError('');
    if (!key()) { askKey('Enter your API key first.'); return; }
    const file = $('book-file').files[0];
    if (!file) return;
    const btn = $('book-submit');
    btn.disabled = true;
    try {
      const q = new URLSearchParams({ title: file.name.replace(/\.[^.]+$/, ''), speed: $('speed').value });
      if ($('voice').value) q.set('voice', $('voice').value);
      const b = await getJson('/v1/books?' + q, { method: 'POST', headers: { 'Content-Type': bookType(file) }, body: file });
      watchBook(b);
    } catch (e) {
      showError('Could not upload the book: ' + e.message);
    } finally {
      btn.disabled = false;
    }
  });

  function watchBook(b) {
    if (state.book) clearTimeout(state.book.timer);
    const w = { id: b.id, timer: null, players: new Map() };
    state.book = w;
    renderBook(b, w);
    const poll = async () => {
      if (state.book !== w) return;
      try {
        const v = await getJson('/v1/books/' + encodeURIComponent(w.id));
        renderBook(v, w);
        if (FINAL.has(v.status)) return;
      } catch (e) {
        if (e instanceof ApiError && e.status < 500 && e.status !== 429) { showError(e.message); return; }
      }
      w.timer = setTimeout(poll, BOOK_POLL_MS);
    };
    w.timer = setTimeout(poll, BOOK_POLL_MS);
  }

  function renderBook(b, w) {
    $('book').hidden = false;
    $('book-status').textContent = (b.title || 'Book') + ': ' + b.status + ', ' + (b.chapters_done || 0) + ' of '
      + (b.chapters_total || 0) + ' chapters' + (b.error ? ': ' + b.error : '');
    $('book-progress').value = b.progress || 0;
    const ol = $('chapters');
    (b.chapters || []).forEach((c, i) => {
      let li = ol.children[i];
      if (!li) {
        li = document.createElement('li');
        li.append(document.createElement('span'));
        ol.append(li);
      }
      li.firstChild.textContent = c.title + ': ' + c.status + (c.status === 'succeeded' && c.audio_seconds
        ? ' (' + c.audio_seconds.toFixed(1) + ' s)' : c.status === 'running' ? ' (' + Math.round((c.progress || 0) * 100) + '%)' : '');
      if (c.status === 'succeeded' && c.job_id && !w.players.has(i)) {
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.textContent = 'Play';
        btn.setAttribute('aria-label', 'Play ' + c.title);
        btn.addEventListener('click', async () => {
          try {
            const url = URL.createObjectURL(await (await api('/v1/jobs/' + encodeURIComponent(c.job_id) + '/audio')).blob());
            const audio = Object.assign(document.createElement('audio'), { controls: true, src: url });
            audio.setAttribute('aria-label', c.title + ' audio');
            const dl = Object.assign(document.createElement('a'), { className: 'button', href: url, textContent: 'Download',
              download: (b.title || 'book') + '-' + (i + 1) + '.wav' });
            btn.replaceWith(audio, dl);
            audio.play().catch(() => {});
          } catch (e) { showError(c.title + ': ' + e.message); }
        });
        li.append(' ', btn);
        w.players.set(i, btn);
      }
    });
  }

  // ------------------------------------------------------------------ start
  renderRecent();
  loadConfig().then(() => {
    if (key()) { $('key-change').hidden = false; loadVoices(); } else askKey();
  });
})();
