// The staff console's script: live inbox and transcript, uploads with
// progress. Pages work without it; it only keeps them current.
(() => {
  'use strict';

  const csrf = () => document.body.dataset.csrf || '';

  // The inbox reloads its rows every few seconds, unless the keyboard or
  // the pointer is on them (the rows would move under the focus or the
  // click). These requests say they are the page's own (X-Console-Background),
  // so an open tab still signs out when nobody uses it; once the session
  // has ended the page reloads onto the sign-in form.
  function liveInbox(box) {
    let pointer = false;
    box.addEventListener('pointerenter', () => { pointer = true; });
    box.addEventListener('pointerleave', () => { pointer = false; });
    const refresh = async () => {
      if (pointer || box.contains(document.activeElement)) return;
      try {
        const r = await fetch(box.dataset.live, {headers: {Accept: 'text/html', 'X-Console-Background': '1'}, credentials: 'same-origin'});
        if (r.redirected) { location.reload(); return; }
        if (!r.ok) return;
        const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
        const next = doc.getElementById('inbox-list');
        if (next && next.innerHTML !== box.innerHTML && !pointer && !box.contains(document.activeElement)) box.replaceChildren(...next.childNodes);
      } catch (e) { /* offline: try again later */ }
    };
    setInterval(refresh, 3000);
  }

  function messageItem(list, m) {
    const li = document.createElement('li');
    li.className = 'msg ' + m.role;
    li.dataset.seq = m.seq;
    const who = document.createElement('div');
    who.className = 'who';
    const role = document.createElement('strong');
    role.textContent = list.dataset['role' + m.role.charAt(0).toUpperCase() + m.role.slice(1)] || m.role;
    who.append(role);
    if (m.author) who.append(' · ' + m.author);
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = m.content;
    li.append(who, text);
    return li;
  }

  // The transcript follows the conversation's events until the session
  // ends ("signed_out"); then the page reloads onto the sign-in form.
  function liveTranscript(list) {
    const status = document.getElementById('conv-events');
    let after = list.dataset.after;
    let source;
    const connect = () => {
      source = new EventSource(list.dataset.events + '?after=' + encodeURIComponent(after));
      source.addEventListener('message', (ev) => {
        const e = JSON.parse(ev.data);
        if (!e.message || list.querySelector('[data-seq="' + e.message.seq + '"]')) return;
        list.append(messageItem(list, e.message));
        after = String(e.message.seq);
      });
      source.addEventListener('signed_out', () => { source.close(); location.reload(); });
      for (const type of ['claimed', 'handed_back', 'resolved', 'escalated', 'rated']) {
        source.addEventListener(type, (ev) => {
          const e = JSON.parse(ev.data);
          status.hidden = false;
          status.textContent = (status.dataset['ev_' + type] || type) + (e.by ? ' ' + e.by : '');
        });
      }
    };
    connect();
  }

  // Uploads go by XMLHttpRequest, whose upload events drive the bar.
  function uploadWithProgress(form) {
    const bar = form.querySelector('progress');
    const out = document.getElementById('upload-result');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('X-CSRF-Token', csrf());
      xhr.setRequestHeader('Accept', 'text/plain');
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); });
      xhr.addEventListener('load', () => {
        bar.value = 100;
        out.textContent = xhr.responseText;
        if ((xhr.getResponseHeader('Content-Type') || '').startsWith('text/html')) {
          const alert = new DOMParser().parseFromString(xhr.responseText, 'text/html').querySelector('[role=alert]');
          out.textContent = alert ? alert.textContent : String(xhr.status);
        }
        if (xhr.status < 300) setTimeout(() => location.reload(), 1200);
      });
      xhr.addEventListener('error', () => { out.textContent = form.dataset.failed || 'failed'; });
      xhr.send(new FormData(form));
    });
  }

  function start() {
    const inbox = document.getElementById('inbox-list');
    if (inbox) liveInbox(inbox);
    const transcript = document.getElementById('transcript');
    if (transcript && window.EventSource) liveTranscript(transcript);
    const upload = document.getElementById('upload');
    if (upload) uploadWithProgress(upload);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
