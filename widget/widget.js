/* shopdesk chat widget. One tag on the page, nothing to build:
 *   <script src="https://support.shop.example/widget.js" data-key="pk_…" async></script>
 * It lives in a Shadow DOM, talks only to the server it came from, and
 * keeps its session token in localStorage (per key). README: "The chat widget". */
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || document.querySelector('shopdesk-chat')) return;

  // Every string a shopper reads, in both languages.
  const T = {
    en: {
      launcher: 'Chat with us', unread: 'Chat with us (new message)', title: 'Support', region: 'Support chat',
      close: 'Close chat', log: 'Conversation', input: 'Your message', placeholder: 'Ask a question…', send: 'Send',
      you: 'You', bot: 'Assistant', team: 'Support team', sources: 'Sources',
      up: 'Helpful', down: 'Not helpful', rated: 'Thanks for your feedback.', quick: 'Suggested replies',
      person: 'Talk to a person', personAsk: "I'd like to talk to a person, please.", end: 'End chat',
      waiting: 'A person from our team will reply here. You can close this window and come back.',
      joined: 'A person from our team joined the conversation.', back: 'The assistant is back.', resolved: 'This conversation was marked resolved.',
      csat: 'How was this conversation?', star: (n) => `${n} of 5`, csatThanks: 'Thank you!', again: 'New conversation', skip: 'Skip',
      writing: 'Writing…', offline: 'You are offline. Messages will appear when the connection is back.',
      reconnecting: 'Reconnecting…', failed: 'The message could not be sent.', retry: 'Try again',
      slow: 'Too many messages at once. Please wait a moment.', signin: 'Please reload the page to continue.',
      unavailable: 'The chat is not available on this page right now.',
    },
    zh: {
      launcher: '在线客服', unread: '在线客服（有新消息）', title: '在线客服', region: '客服对话',
      close: '关闭对话', log: '对话记录', input: '您的消息', placeholder: '请输入您的问题…', send: '发送',
      you: '您', bot: '智能助手', team: '客服', sources: '参考来源',
      up: '有帮助', down: '没有帮助', rated: '感谢您的反馈。', quick: '快捷回复',
      person: '转人工客服', personAsk: '我要转人工客服', end: '结束对话',
      waiting: '客服人员会在这里回复您。您可以关闭窗口，稍后再回来查看。',
      joined: '客服已加入对话。', back: '智能助手已恢复服务。', resolved: '此对话已标记为已解决。',
      csat: '您对本次服务满意吗？', star: (n) => `${n} 分（满分 5 分）`, csatThanks: '谢谢您的评价！', again: '开始新对话', skip: '跳过',
      writing: '正在输入…', offline: '网络已断开，恢复连接后会显示新消息。',
      reconnecting: '正在重新连接…', failed: '消息发送失败。', retry: '重试',
      slow: '消息发送过于频繁，请稍候再试。', signin: '请刷新页面后继续。',
      unavailable: '此页面暂时无法使用在线客服。',
    },
  };

  const CSS = `
:host{all:initial!important;display:block!important;pointer-events:auto!important;position:fixed!important;z-index:2147483000!important;inset:auto 20px 20px auto!important;
 width:auto!important;height:auto!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;
 font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif!important;color:#1a1a1a!important}
:host([data-position=left]){inset:auto auto 20px 20px!important}
*{box-sizing:border-box}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
svg{width:20px;height:20px;fill:currentColor}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--b);color:var(--ob);box-shadow:0 4px 14px rgba(0,0,0,.3);display:grid;place-items:center;position:relative}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:3px;right:3px;width:14px;height:14px;border-radius:50%;background:#c62828;border:2px solid #fff}
.panel{position:absolute;bottom:72px;right:0;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 110px));background:#fff;color:#1a1a1a;
 border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
:host([data-position=left]) .panel{right:auto;left:0}
[hidden]{display:none!important}
header{background:var(--b);color:var(--ob);display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px}
h2{font-size:16px;margin:0;flex:1;font-weight:600}
.icon{background:transparent;border:0;color:inherit;width:36px;height:36px;border-radius:8px;display:grid;place-items:center}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px}
.msg{max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--b);color:var(--ob);border-bottom-right-radius:4px}
.assistant,.agent{align-self:flex-start;background:#f1f3f5;border-bottom-left-radius:4px}
.agent{background:#fff4e0;border:1px solid #d9b56a}
.who{display:block;font-size:12px;font-weight:600;color:#444;margin-bottom:2px;white-space:normal}
.user .who{color:inherit}
.note,.status{align-self:center;font-size:13px;color:#444;text-align:center}
.status{padding:0 14px 6px}
.sources{margin-top:6px;font-size:13px;white-space:normal}
.sources ol{margin:2px 0 0;padding-left:20px}
a{color:#0b57d0}
.rate{display:flex;gap:6px;margin-top:6px}
.rate button{border:1px solid #767b84;background:#fff;color:#1a1a1a;border-radius:6px;width:34px;height:30px;display:grid;place-items:center}
.rate button[aria-pressed=true]{background:var(--b);color:var(--ob);border-color:var(--b)}
.row{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 8px}
.chip{border:1px solid var(--bt);color:var(--bt);background:#fff;border-radius:16px;padding:5px 12px}
form{display:flex;gap:8px;padding:10px 14px;border-top:1px solid #d5d8dc}
textarea{flex:1;resize:none;border:1px solid #767b84;border-radius:8px;padding:8px 10px;height:42px;max-height:120px;background:#fff}
.send{background:var(--b);color:var(--ob);border:0;border-radius:8px;padding:0 14px}
.send[aria-disabled=true]{opacity:.6}
.bar{display:flex;gap:8px;padding:0 14px 12px;flex-wrap:wrap}
.bar button{background:#fff;border:1px solid #767b84;border-radius:8px;padding:5px 10px;font-size:13px;color:#1a1a1a}
.error{margin:auto 20px;text-align:center}
.contents{display:contents}
.full{margin:0;width:100%}
:focus-visible{outline:2px solid #111;outline-offset:2px;box-shadow:0 0 0 4px #fff}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){:host{inset:auto 12px 12px auto!important}.panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0}
 .launcher[aria-expanded=true]{display:none}}`;

  const ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
    close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z',
    up: 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6V3a1.5 1.5 0 0 0-.4-1L13 1 7.6 6.6A2 2 0 0 0 7 8v11a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1.2-.7v-2z',
  };

  // Settings come from the tag; nothing on the page can pick a model,
  // prompt, tenant or policy: the server decides those from the key.
  const cfg = {
    base: new URL(script.src).origin,
    key: script.dataset.key || '',
    token: script.dataset.customerToken || '',
    lang: /^zh/i.test(script.dataset.lang || document.documentElement.lang || navigator.language || '') ? 'zh' : 'en',
    left: script.dataset.position === 'left',
    color: /^#[0-9a-f]{6}$/i.test(script.dataset.color || '') ? script.dataset.color : '#1d4ed8',
  };
  const t = T[cfg.lang];
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch { return null; } },
    set(k, v) { try { v == null ? localStorage.removeItem(k) : localStorage.setItem(k, v); } catch { /* private mode */ } },
  };
  const sessionKey = `shopdesk:${cfg.key}`;
  const openKey = `shopdesk:open:${cfg.key}`;
  const state = { session: store.get(sessionKey), conv: '', lastSeq: 0, seen: new Set(), busy: false, held: [], events: null, wake: null };

  // h builds an element: h('button', {class: 'x', onclick: fn}, 'text', child).
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (v !== false && v != null) el.setAttribute(k, v === true ? '' : v);
    }
    el.append(...kids.filter((k) => k != null));
    return el;
  }
  function icon(name, flip) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    if (flip) svg.style.transform = 'rotate(180deg)';
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', ICONS[name]);
    svg.append(p);
    return svg;
  }

  // Colors: the merchant's brand, with text that stays readable on it.
  function luminance(hex) {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function palette(hex) {
    const l = luminance(hex);
    const onWhite = 1.05 / (l + 0.05);
    return { b: hex, ob: (l + 0.05) / 0.05 > onWhite ? '#111111' : '#ffffff', bt: onWhite >= 4.5 ? hex : '#1a1a1a' };
  }

  // The UI.
  const host = h('shopdesk-chat', { 'data-position': cfg.left ? 'left' : null });
  const root = host.attachShadow({ mode: 'open' });
  const ui = {};
  function build() {
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.append(h('style', {}, CSS));
    ui.badge = h('span', { class: 'badge', hidden: true });
    ui.launcher = h('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'sd-panel', 'aria-label': t.launcher, onclick: toggle }, icon('chat'), ui.badge);
    ui.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.log, tabindex: '0' });
    ui.status = h('div', { class: 'status', role: 'status' });
    ui.quick = h('div', { class: 'row quick', role: 'group', 'aria-label': t.quick });
    ui.csat = h('div', { class: 'row csat', role: 'group', 'aria-label': t.csat, hidden: true });
    ui.input = h('textarea', { id: 'sd-input', rows: '1', maxlength: '2000', placeholder: t.placeholder, 'aria-label': t.input, onkeydown: onInputKey });
    ui.send = h('button', { class: 'send', type: 'submit' }, t.send);
    ui.form = h('form', { onsubmit: (e) => { e.preventDefault(); sendFromInput(); } }, ui.input, ui.send);
    ui.bar = h('div', { class: 'bar' },
      h('button', { type: 'button', class: 'person', onclick: () => send(t.personAsk) }, t.person),
      h('button', { type: 'button', class: 'end', onclick: askCSAT }, t.end));
    ui.body = h('div', { class: 'contents' }, ui.log, ui.status, ui.quick, ui.csat, ui.form, ui.bar);
    ui.error = h('div', { class: 'error', hidden: true });
    ui.panel = h('section', { class: 'panel', id: 'sd-panel', role: 'dialog', 'aria-labelledby': 'sd-title', hidden: true, onkeydown: onPanelKey },
      h('header', {}, h('h2', { id: 'sd-title' }, t.title),
        h('button', { class: 'icon close', type: 'button', 'aria-label': t.close, onclick: () => setOpen(false) }, icon('close'))),
      ui.body, ui.error);
    const aside = h('aside', { 'aria-label': t.region, lang: cfg.lang }, ui.panel, ui.launcher);
    // The colors live inside the shadow root, where no page rule reaches.
    const p = palette(cfg.color);
    for (const k of ['b', 'ob', 'bt']) aside.style.setProperty(`--${k}`, p[k]);
    root.append(aside);
    (document.body || document.documentElement).append(host);
  }

  function setOpen(open, quiet) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute('aria-expanded', String(open));
    ui.launcher.setAttribute('aria-label', t.launcher);
    ui.badge.hidden = true;
    try { open ? sessionStorage.setItem(openKey, '1') : sessionStorage.removeItem(openKey); } catch { /* private mode */ }
    if (!open) { ui.launcher.focus(); return; }
    ui.log.scrollTop = ui.log.scrollHeight;
    start().then(() => quiet || (ui.error.hidden ? ui.input : ui.error.querySelector('button') || ui.input).focus());
  }
  function toggle() { setOpen(ui.panel.hidden); }
  function onPanelKey(e) { if (e.key === 'Escape') { e.preventDefault(); setOpen(false); } }
  function onInputKey(e) { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendFromInput(); } }
  function setStatus(text) { ui.status.textContent = text || ''; }
  function showError(text, retry) {
    ui.body.hidden = true;
    ui.error.hidden = false;
    ui.error.replaceChildren(h('p', { role: 'alert' }, text), retry ? h('button', { type: 'button', class: 'chip', onclick: retry }, t.retry) : null);
  }
  function scroll() { ui.log.scrollTop = ui.log.scrollHeight; }

  // Talking to shopdesk.
  class APIError extends Error {
    constructor(status, body) {
      super((body && body.error && body.error.message) || `HTTP ${status}`);
      this.status = status;
      this.code = body && body.error && body.error.code;
    }
  }
  async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
    const hdr = { 'X-Shopdesk-Key': cfg.key, ...headers };
    if (state.session) hdr.Authorization = `Session ${state.session}`;
    if (cfg.token) hdr['X-Customer-Token'] = cfg.token;
    if (body !== undefined) hdr['Content-Type'] = 'application/json';
    const resp = await fetch(cfg.base + path, { method, headers: hdr, signal, mode: 'cors', credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (!resp.ok) throw new APIError(resp.status, await resp.json().catch(() => null));
    return resp;
  }
  // readSSE calls fn(name, data, id) for each server-sent event of resp.
  async function readSSE(resp, fn) {
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const ev = { name: 'message', data: '', id: '' };
        for (const line of buf.slice(0, i).split('\n')) {
          const [, k, v] = line.match(/^([a-z]*):? ?(.*)$/) || [];
          if (k === 'event') ev.name = v;
          else if (k === 'data') ev.data += v;
          else if (k === 'id') ev.id = v;
        }
        buf = buf.slice(i + 2);
        if (ev.data) fn(ev.name, JSON.parse(ev.data), ev.id);
      }
    }
  }

  // Sessions: one per browser and key, kept across page loads.
  let starting = null;
  function start() {
    if (!starting) starting = openSession().catch((e) => { starting = null; failed(e); });
    return starting;
  }
  async function openSession(fresh) {
    let resp;
    try {
      resp = await api('/widget/v1/session', { method: 'POST', body: fresh ? { new_conversation: true } : {} });
    } catch (e) {
      if (e.status !== 401 || !state.session) throw e;
      state.session = null; // expired: start over
      resp = await api('/widget/v1/session', { method: 'POST', body: {} });
    }
    const s = await resp.json();
    state.session = s.token;
    store.set(sessionKey, s.token);
    ui.body.hidden = false;
    ui.error.hidden = true;
    if (s.conversation_id && s.conversation_id !== state.conv) await resume(s.conversation_id);
  }
  function failed(e) {
    if (window.console) console.warn('shopdesk widget:', e.message, '(is this page\'s origin listed in the key\'s widget origins?)');
    showError(e.status === 401 && e.code === 'invalid_customer_token' ? t.signin : e.status === 429 ? t.slow : t.unavailable, () => { ui.error.hidden = true; setOpen(true); });
  }
  // forgetSession drops an expired session; the next message starts anew.
  function forgetSession() {
    state.session = null;
    store.set(sessionKey, null);
    starting = null;
  }
  async function resume(id) {
    try {
      const conv = await (await api(`/widget/v1/conversation?id=${encodeURIComponent(id)}`)).json();
      state.conv = conv.id;
      ui.log.replaceChildren();
      conv.messages.forEach(showMessage);
      if (conv.held) note(t.joined);
      else if (conv.escalated) setStatus(t.waiting);
      follow();
    } catch (e) {
      if (e.status !== 404) throw e; // gone, or another shopper's: begin anew
    }
  }
  async function newConversation() {
    stopFollowing();
    Object.assign(state, { conv: '', lastSeq: 0, seen: new Set() });
    ui.log.replaceChildren();
    ui.quick.replaceChildren();
    ui.csat.hidden = true;
    ui.form.hidden = ui.bar.hidden = false;
    setStatus('');
    await openSession(true).catch(failed);
    ui.input.focus();
  }

  // Messages in the log.
  function bubble(role) {
    const who = role === 'user' ? t.you : role === 'agent' ? t.team : t.bot;
    const text = h('span', { class: 'text' });
    const el = h('div', { class: `msg ${role}` }, h('span', { class: 'who' }, who), text);
    ui.log.append(el);
    scroll();
    return { el, text };
  }
  function note(text) { ui.log.append(h('p', { class: 'note' }, text)); scroll(); }
  function showMessage(m) {
    if (state.seen.has(m.seq)) return;
    state.seen.add(m.seq);
    state.lastSeq = Math.max(state.lastSeq, m.seq);
    const b = bubble(m.role);
    b.text.textContent = m.content;
    if (m.role === 'assistant') finishAnswer(b, m.sources, m.seq, m.rating);
    scroll();
  }
  function finishAnswer(b, sources, seq, rating) {
    if (sources && sources.length) b.el.append(sourceList(sources));
    if (seq) b.el.append(rateButtons(seq, rating));
    scroll();
  }
  function sourceList(sources) {
    const items = sources.map((s) => {
      let url = null;
      try { url = s.url && /^https?:$/.test(new URL(s.url).protocol) ? s.url : null; } catch { /* not a URL */ }
      return h('li', {}, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, s.title || url) : h('span', { title: s.snippet || '' }, s.title || s.id));
    });
    return h('div', { class: 'sources' }, h('span', {}, `${t.sources}:`), h('ol', {}, ...items));
  }
  function rateButtons(seq, rating) {
    const mk = (value, label, flip) => h('button', { type: 'button', 'aria-label': label, 'aria-pressed': String(rating === value), 'data-rating': value,
      onclick: (e) => rate(seq, value, e.currentTarget.parentNode) }, icon('up', flip));
    return h('div', { class: 'rate', role: 'group', 'aria-label': `${t.up} / ${t.down}` }, mk('up', t.up), mk('down', t.down, true));
  }
  async function rate(seq, rating, group) {
    for (const b of group.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.rating === rating));
    try {
      await api('/widget/v1/feedback', { method: 'POST', body: { conversation_id: state.conv, turn: seq, rating } });
      setStatus(t.rated);
    } catch (e) { setStatus(e.status === 429 ? t.slow : t.failed); }
  }
  function quickReplies(list) {
    ui.quick.replaceChildren(...(list || []).map((q) => h('button', { type: 'button', class: 'chip', onclick: () => send(q) }, q)));
  }

  // Sending: the answer streams in, one checked sentence at a time.
  function sendFromInput() {
    const text = ui.input.value.trim();
    if (!text || state.busy) return;
    ui.input.value = '';
    send(text);
  }
  async function send(text) {
    if (state.busy) return;
    await start();
    if (!ui.error.hidden) return;
    state.busy = true;
    ui.send.setAttribute('aria-disabled', 'true');
    quickReplies([]);
    bubble('user').text.textContent = text;
    const b = bubble('assistant');
    b.el.setAttribute('aria-busy', 'true');
    setStatus(t.writing);
    let done = null;
    try {
      const resp = await api('/widget/v1/chat', { method: 'POST', body: state.conv ? { message: text, conversation_id: state.conv } : { message: text } });
      await readSSE(resp, (name, data) => {
        if (name === 'token') { b.text.textContent += data.text; scroll(); }
        else if (name === 'done') done = data;
        else if (name === 'error') throw new APIError(500, data);
      });
      if (!done) throw new APIError(0, null);
      answered(b, done);
    } catch (e) {
      b.el.remove();
      setStatus(e.status === 429 ? t.slow : e.code === 'invalid_customer_token' ? t.signin : t.failed);
      if (e.status !== 429) ui.quick.replaceChildren(h('button', { type: 'button', class: 'chip', onclick: () => send(text) }, t.retry));
      if (e.status === 401 || e.status === 404) { state.conv = ''; stopFollowing(); }
      if (e.code === 'invalid_session') forgetSession();
    } finally {
      state.busy = false;
      b.el.removeAttribute('aria-busy');
      ui.send.removeAttribute('aria-disabled');
      flushHeld();
    }
  }
  function answered(b, r) {
    setStatus('');
    const first = !state.conv;
    state.conv = r.conversation_id;
    for (const s of [r.user_seq, r.seq]) if (s) { state.seen.add(s); state.lastSeq = Math.max(state.lastSeq, s); }
    if (!r.answer) b.el.remove();
    else { b.text.textContent = r.answer; finishAnswer(b, r.sources, r.seq); }
    quickReplies(r.quick_replies);
    if (r.escalated && !r.held) setStatus(t.waiting);
    if (first || r.escalated) follow();
  }

  // Live events: a person's replies, take-over and resolution. The stream
  // reconnects with Last-Event-ID, so nothing sent meanwhile is lost.
  function follow() {
    if (state.events || !state.conv) return;
    state.events = { ctl: null };
    loop(state.events);
  }
  function stopFollowing() {
    if (state.events) { state.events.stop = true; state.events.ctl && state.events.ctl.abort(); }
    state.events = null;
  }
  async function loop(me) {
    let delay = 1000;
    while (!me.stop) {
      if (!navigator.onLine) { setStatus(t.offline); await pause(60000); continue; }
      me.ctl = new AbortController();
      try {
        const resp = await api(`/widget/v1/events?id=${encodeURIComponent(state.conv)}`, { headers: { 'Last-Event-ID': String(state.lastSeq) }, signal: me.ctl.signal });
        if ([t.offline, t.reconnecting].includes(ui.status.textContent)) setStatus('');
        delay = 1000;
        await readSSE(resp, onEvent);
      } catch (e) {
        if (e.code === 'invalid_session') forgetSession();
        if (e.status === 401 || e.status === 404) { me.stop = true; break; }
      }
      if (me.stop) break;
      setStatus(navigator.onLine ? t.reconnecting : t.offline);
      await pause(delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    }
    if (state.events === me) state.events = null;
  }
  function pause(ms) { return new Promise((r) => { const id = setTimeout(r, ms); state.wake = () => { clearTimeout(id); r(); }; }); }
  function onEvent(name, ev) {
    if (name === 'message') {
      if (state.busy && ev.message.role !== 'agent') state.held.push(ev.message); // the chat stream shows it
      else { showMessage(ev.message); if (ev.message.role === 'agent') { setStatus(''); unread(); } }
    } else if (name === 'claimed') { note(t.joined); setStatus(''); }
    else if (name === 'handed_back') note(t.back);
    else if (name === 'resolved') { note(t.resolved); askCSAT(); }
    else if (name === 'escalated') setStatus(t.waiting);
  }
  function flushHeld() { state.held.splice(0).forEach(showMessage); }
  function unread() {
    if (!ui.panel.hidden) return;
    ui.badge.hidden = false;
    ui.launcher.setAttribute('aria-label', t.unread);
  }

  // The end of a conversation: a rating of it, then a fresh one.
  function askCSAT() {
    if (!ui.csat.hidden) return;
    const stars = [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', class: 'chip', 'aria-label': t.star(n), onclick: () => sendCSAT(n) }, String(n)));
    ui.csat.replaceChildren(h('p', { class: 'full' }, t.csat), ...stars,
      h('button', { type: 'button', class: 'chip', onclick: newConversation }, t.skip));
    ui.csat.hidden = false;
    ui.form.hidden = ui.bar.hidden = true;
    quickReplies([]);
    stars[4].focus();
  }
  async function sendCSAT(score) {
    try {
      if (state.conv) await api('/widget/v1/feedback', { method: 'POST', body: { conversation_id: state.conv, csat: score } });
      ui.csat.replaceChildren(h('p', { role: 'status', class: 'full' }, t.csatThanks),
        h('button', { type: 'button', class: 'chip', onclick: newConversation }, t.again));
      ui.csat.querySelector('button').focus();
    } catch (e) { setStatus(e.status === 429 ? t.slow : t.failed); }
  }

  build();
  window.addEventListener('offline', () => { setStatus(t.offline); if (state.events && state.events.ctl) state.events.ctl.abort(); });
  window.addEventListener('online', () => { setStatus(state.events ? t.reconnecting : ''); if (state.wake) state.wake(); });
  let wasOpen = false;
  try { wasOpen = sessionStorage.getItem(openKey) === '1'; } catch { /* private mode */ }
  if (wasOpen) setOpen(true, true); // restored after a reload: do not take the page's focus
  else if (state.session) start(); // a returning shopper: follow their conversation
})();
