// The review page: a source's text with its claims highlighted by status, and a panel to read and edit the selected
// claim. Plain JavaScript against the public API; every change sends the claim's ETag in If-Match, and a 412 re-reads
// the claim and shows what changed before the editor tries again.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const keyName = 'evidence-api-key';
  const statusRank = ['flagged', 'overclaim', 'needs-citation', 'cited'];
  const statusWords = { flagged: 'flagged', overclaim: 'overclaimed', 'needs-citation': 'needs citation', cited: 'cited' };
  const shownFields = ['section', 'conditions', 'cannabinoids', 'routes', 'population', 'comparator', 'effect', 'outcome', 'direction',
    'claimedStrength', 'evidenceLevel', 'overclaim', 'status', 'openFlags', 'citations', 'version'];

  const state = { sourceId: null, claims: new Map(), claim: null, etag: null };

  const key = () => sessionStorage.getItem(keyName) || '';

  function say(message) {
    $('status').textContent = message;
  }

  async function api(path, { method = 'GET', body, etag, accept = 'application/json' } = {}) {
    const headers = { Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (etag) headers['If-Match'] = etag;
    if (method !== 'GET' && key()) headers.Authorization = `Bearer ${key()}`;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : null;
    return { response, data };
  }

  function problemText(response, data) {
    if (data && (data.detail || data.title)) {
      const errors = data.errors ? ' ' + Object.entries(data.errors).map(([f, m]) => `${f}: ${[].concat(m).join(' ')}`).join(' ') : '';
      return `${response.status} ${data.title || ''} ${data.detail || ''}${errors}`.trim();
    }
    return `${response.status} ${response.statusText}`;
  }

  function statusOf(claim) {
    if (claim.openFlags > 0) return 'flagged';
    if (claim.overclaim === true) return 'overclaim';
    return claim.citations.length === 0 ? 'needs-citation' : 'cited';
  }

  // ---- the source and its highlights ----

  // Every page of a list, following nextCursor.
  async function all(path) {
    const items = [];
    let cursor = null;
    do {
      const { response, data } = await api(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (!response.ok) throw new Error(problemText(response, data));
      items.push(...data.items);
      cursor = data.nextCursor;
    } while (cursor);
    return items;
  }

  async function loadSources() {
    let sources;
    try {
      sources = await all('/v1/sources');
    } catch (e) {
      return say(e.message);
    }
    const picker = $('source');
    picker.replaceChildren(...sources.map((s) => new Option(s.title, s.id)));
    const wanted = new URLSearchParams(location.search).get('source');
    if (wanted && sources.some((s) => s.id === wanted)) picker.value = wanted;
    if (picker.value) await loadSource(picker.value);
  }

  async function loadSource(id) {
    // a later choice of source wins over a load still under way
    const load = state.load = (state.load || 0) + 1;
    say('Loading the source…');
    const { response, data } = await api(`/v1/sources/${id}`);
    if (load !== state.load) return;
    if (!response.ok) return say(problemText(response, data));
    let claims;
    try {
      claims = await all(`/v1/claims?source=${id}&sort=position`);
    } catch (e) {
      return say(e.message);
    }
    if (load !== state.load) return;
    state.sourceId = id;
    state.claim = null;
    $('claim').hidden = true;
    state.claims = new Map(claims.map((c) => [c.id, c]));
    renderText(data.text);
    say(`${state.claims.size} claims in “${data.title}”.`);
    const wanted = new URLSearchParams(location.search).get('claim');
    if (wanted && state.claims.has(wanted)) await select(wanted);
  }

  // Positions count code points, as the API does; the text is cut at every claim's start and end, and each piece is
  // marked with the claims that cover it.
  function renderText(text) {
    const chars = Array.from(text);
    const claims = [...state.claims.values()];
    const bounds = new Set([0, chars.length]);
    claims.forEach((c) => { bounds.add(c.position.start); bounds.add(c.position.end); });
    const cuts = [...bounds].filter((b) => b <= chars.length).sort((a, b) => a - b);
    const pieces = document.createDocumentFragment();
    for (let i = 0; i < cuts.length - 1; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const piece = chars.slice(from, to).join('');
      const covering = claims.filter((c) => c.position.start <= from && c.position.end >= to);
      if (covering.length === 0) {
        pieces.append(piece);
        continue;
      }
      const mark = document.createElement('mark');
      mark.textContent = piece;
      mark.tabIndex = 0;
      mark.setAttribute('role', 'button');
      mark.dataset.claims = covering.map((c) => c.id).join(' ');
      pieces.append(mark);
    }
    $('text').replaceChildren(pieces);
    refreshMarks();
  }

  function refreshMarks() {
    document.querySelectorAll('#text mark').forEach((mark) => {
      const covering = mark.dataset.claims.split(' ').map((id) => state.claims.get(id));
      const worst = covering.map(statusOf).sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0];
      mark.className = `status-${worst}` + (state.claim && covering.some((c) => c.id === state.claim.id) ? ' selected' : '');
      mark.setAttribute('aria-label', `Claim, ${statusWords[worst]}: ${mark.textContent}`);
      mark.dataset.status = worst;
    });
  }

  function onMark(event) {
    const mark = event.target.closest('#text mark');
    if (!mark) return;
    if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    // where claims overlap, the shortest one is the one pointed at
    const id = mark.dataset.claims.split(' ').map((i) => state.claims.get(i))
      .sort((a, b) => (a.position.end - a.position.start) - (b.position.end - b.position.start))[0].id;
    select(id).then(() => $('panel-title').focus());
  }

  // ---- the selected claim ----

  async function select(id, { changedFrom, keep } = {}) {
    const { response, data } = await api(`/v1/claims/${id}`);
    if (!response.ok) return say(problemText(response, data));
    state.claim = data;
    state.etag = response.headers.get('ETag');
    state.claims.set(id, data);
    const url = new URL(location.href);
    url.searchParams.set('source', state.sourceId);
    url.searchParams.set('claim', id);
    history.replaceState(null, '', url);

    $('panel-title').textContent = `“${data.quote}”`;
    $('claim').hidden = false;
    renderFields(data);
    renderChanged(changedFrom, data);
    $('grade').value = data.evidenceLevel;
    keep?.();
    refreshMarks();
    await Promise.all([loadSuggestions(id), loadFlags(id), loadHistory(id), loadClaimReview(id)]);
  }

  function show(value) {
    if (Array.isArray(value)) {
      return value.length === 0 ? '—' : value.map((v) => (typeof v === 'object'
        ? `${v.title}${v.findingId && v.note ? ` — ${v.note.slice(0, 80)}` : ''} (${v.stance}${v.grade ? `, ${v.grade.scheme} ${v.grade.value}` : ''})`
        : v)).join('; ');
    }
    return value === null || value === undefined ? '—' : String(value);
  }

  function renderFields(claim) {
    const rows = shownFields.flatMap((field) => {
      const dt = document.createElement('dt');
      dt.textContent = field;
      const dd = document.createElement('dd');
      dd.textContent = show(claim[field]);
      dd.dataset.field = field;
      return [dt, dd];
    });
    $('fields').replaceChildren(...rows);
  }

  function renderChanged(before, after) {
    const box = $('changed');
    if (!before) {
      box.hidden = true;
      return;
    }
    const changes = shownFields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
      .map((f) => `${f}: ${show(before[f])} → ${show(after[f])}`);
    box.replaceChildren(
      Object.assign(document.createElement('strong'), { textContent: 'This claim changed since you read it; nothing of yours was saved. ' }),
      document.createTextNode('It has been read again: ' + (changes.length ? changes.join('; ') : 'no field you see changed') + '. Check it, then try again.'));
    box.hidden = false;
  }

  async function loadSuggestions(id) {
    const { response, data } = await api(`/v1/claims/${id}/suggestions`);
    const list = $('suggestions');
    if (!response.ok) return list.replaceChildren(problemText(response, data));
    if (data.items.length === 0) return list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'No finding matches this claim.' }));
    list.replaceChildren(...data.items.map((s) => {
      const li = document.createElement('li');
      const f = s.finding;
      const title = document.createElement('strong');
      title.textContent = `${f.synthesis.title} (${f.synthesis.year}), ${f.locator}: ${f.level.value} (${f.level.scheme})`;
      const statement = Object.assign(document.createElement('span'), { className: 'statement', textContent: f.statement });
      const why = Object.assign(document.createElement('span'), {
        className: 'statement',
        textContent: `Match ${Math.round(s.score * 100)} %: ${s.reasons.map((r) => `${r.field} ${r.match}`).join(', ')}. ` +
          (s.evidenceLevel === null
            ? `Citing it: ${s.stance} (it answers only part of the claim, so it cannot grade it).`
            : `Citing it: ${s.stance}; the claim would be ${s.evidenceLevel}${s.overclaim ? ', overclaimed' : ''}.`),
      });
      const cite = Object.assign(document.createElement('button'), { type: 'button', className: 'needs-key cite', textContent: 'Cite this finding' });
      cite.setAttribute('aria-label', `Cite ${f.locator} of ${f.synthesis.title}`);
      cite.dataset.finding = f.id;
      li.append(title, statement, why, cite);
      return li;
    }));
    refreshKey();
  }

  async function loadFlags(id) {
    const { response, data } = await api(`/v1/flags?claim=${id}&state=open`);
    const list = $('flags');
    if (!response.ok) return list.replaceChildren(problemText(response, data));
    if (data.items.length === 0) return list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'None.' }));
    list.replaceChildren(...data.items.map((flag) => {
      const li = document.createElement('li');
      li.append(`${flag.reason} by ${flag.raisedBy}${flag.note ? `: ${flag.note}` : ''} `);
      for (const resolution of ['fixed', 'dismissed']) {
        const button = Object.assign(document.createElement('button'), {
          type: 'button', className: 'needs-key resolve', textContent: resolution === 'fixed' ? 'Resolve as fixed' : 'Dismiss',
        });
        button.dataset.flag = flag.id;
        button.dataset.resolution = resolution;
        li.append(button, ' ');
      }
      return li;
    }));
    refreshKey();
  }

  // newest first: the whole history is read (oldest first, as the API pages it), the last 50 shown
  async function loadHistory(id) {
    const list = $('history');
    let revisions;
    try {
      revisions = await all(`/v1/claims/${id}/history`);
    } catch (e) {
      return list.replaceChildren(e.message);
    }
    list.replaceChildren(...revisions.slice(-50).reverse().map((r) => Object.assign(document.createElement('li'), {
      textContent: `v${r.version} ${r.change} by ${r.editor || 'the seed'} at ${r.changedAt}` +
        (r.changes.length ? ` — ${r.changes.map((c) => c.field).join(', ')}` : ''),
    })));
  }

  // The verdict as schema.org ClaimReview, for readers of the page that look for it.
  async function loadClaimReview(id) {
    const { response, data } = await api(`/v1/claims/${id}`, { accept: 'application/ld+json' });
    // `<` escaped, as the API sends it: a saved or prerendered copy of the page must not find `</script>` in a quote
    if (response.ok) $('claim-review').textContent = JSON.stringify(data).replace(/</g, '\\u003c');
  }

  // ---- changes ----

  // `keep` puts the editor's input back after a 412 re-read the claim (which resets the form to the claim as it is).
  async function change(method, path, body, done, keep) {
    if (!key()) return say('Paste an editor key first.');
    const claim = state.claim;
    const panel = $('claim');
    // busy until the panel is read again and redrawn: lists above the forms move them while they load
    panel.setAttribute('aria-busy', 'true');
    try {
      const { response, data } = await api(path, { method, body, etag: state.etag });
      if (response.status === 412) {
        say('The claim changed since you read it; nothing was saved. It is read again: check what changed, then try again.');
        await select(claim.id, { changedFrom: claim, keep });
        $('changed').focus();
        return;
      }
      if (!response.ok) return say(problemText(response, data));
      await select(claim.id);
      say(done);
    } finally {
      panel.removeAttribute('aria-busy');
    }
  }

  function onPanelClick(event) {
    const button = event.target.closest('button');
    if (!button || !state.claim) return;
    const id = state.claim.id;
    if (button.classList.contains('cite')) {
      change('POST', `/v1/claims/${id}/citations`, { findingId: button.dataset.finding }, 'Cited.');
    } else if (button.classList.contains('resolve')) {
      change('POST', `/v1/flags/${button.dataset.flag}/resolve`, { resolution: button.dataset.resolution }, 'Flag resolved.');
    }
  }

  function refreshKey() {
    const has = Boolean(key());
    document.querySelectorAll('.needs-key').forEach((b) => { b.disabled = !has; });
    $('needs-key').hidden = has;
  }

  function start() {
    $('key').value = key();
    $('key').addEventListener('input', (e) => {
      sessionStorage.setItem(keyName, e.target.value.trim());
      refreshKey();
    });
    $('forget-key').addEventListener('click', () => {
      sessionStorage.removeItem(keyName);
      $('key').value = '';
      refreshKey();
    });
    $('choose').addEventListener('submit', (e) => e.preventDefault());
    $('source').addEventListener('change', (e) => loadSource(e.target.value));
    $('text').addEventListener('click', onMark);
    $('text').addEventListener('keydown', onMark);
    $('panel').addEventListener('click', onPanelClick);
    $('grade-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const level = $('grade').value;
      change('PATCH', `/v1/claims/${state.claim.id}`, { evidenceLevel: level }, 'Graded.', () => { $('grade').value = level; });
    });
    $('flag-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const note = $('flag-note').value.trim();
      change('POST', `/v1/claims/${state.claim.id}/flags`, { reason: $('flag-reason').value, note: note || null }, 'Flagged.');
    });
    refreshKey();
    loadSources();
  }

  start();
})();
