// The admin console of the CRM capture: reads the capture's WebAdmin routes (/crm/...) and James's
// mail repository routes, and shows their answers. Every value from the server goes into the page as
// text (textContent, never as markup), so a mail's subject or address can never run as script.
'use strict';

(() => {
  const SEARCH_PAGE = 20;
  const LONG_TEXT = 300;
  const HEALTH_CHECK = '../healthcheck/checks/CRM%20capture';
  const state = { status: null, searchOffset: 0, searchQuery: '' };

  /** An element with attributes and children; a child that is not a node becomes a text node. */
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'className') {
        element.className = value;
      } else if (name === 'dataset') {
        Object.assign(element.dataset, value);
      } else if (name.startsWith('on')) {
        element.addEventListener(name.substring(2), value);
      } else {
        element.setAttribute(name, value);
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        element.append(child instanceof Node ? child : text(child));
      }
    }
    return element;
  }

  /** A value as the text a person reads: lists comma separated, records as JSON, nothing for null. */
  function text(value) {
    if (value === null || value === undefined) {
      return document.createTextNode('');
    }
    if (Array.isArray(value) && value.every(item => typeof item !== 'object' || item === null)) {
      return document.createTextNode(value.join(', '));
    }
    if (typeof value === 'object') {
      return document.createTextNode(JSON.stringify(value));
    }
    return document.createTextNode(String(value));
  }

  function $(id) {
    return document.getElementById(id);
  }

  function showError(message) {
    const error = $('error');
    error.textContent = message;
    error.hidden = !message;
  }

  /** Calls a route relative to this page; answers the parsed JSON and the response, or throws with WebAdmin's message. */
  async function call(path, options) {
    // JSON asked for by name: James's mail repository route answers the raw message to */*
    const request = Object.assign({ credentials: 'same-origin' }, options);
    request.headers = Object.assign({ Accept: 'application/json' }, request.headers);
    const response = await fetch(new URL(path, document.baseURI), request);
    const body = await response.text();
    let json = null;
    try {
      json = body ? JSON.parse(body) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const message = json && json.message ? json.message : body || response.statusText;
      const failure = new Error(`${options && options.method ? options.method : 'GET'} ${path}: ${response.status} ${message}`);
      failure.status = response.status;
      failure.json = json;
      throw failure;
    }
    return { json, response };
  }

  function definitions(target, pairs) {
    target.replaceChildren(...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value instanceof Node ? value : text(value))]));
  }

  function savedMark(captured) {
    return el('span', { className: captured ? 'saved' : 'skipped' }, captured ? 'saved' : 'not saved');
  }

  // ---- status ----

  async function loadStatus() {
    const { json: status } = await call('status');
    state.status = status;
    let health = 'not enabled (conf/healthcheck.properties)';
    try {
      const { json: check } = await call(HEALTH_CHECK);
      health = check.cause ? `${check.status}: ${check.cause}` : check.status;
    } catch (e) {
      if (e.status !== 404) {
        health = e.json && e.json.cause ? `${e.json.status}: ${e.json.cause}` : e.message;
      }
    }
    const reachable = status.connectorReachable === null ? 'not checked yet'
      : status.connectorReachable ? 'yes' : `no: ${status.connectorError}`;
    definitions($('status-fields'), [
      ['Connector', status.connector],
      ['CRM reachable', el('span', { className: status.connectorReachable === false ? 'bad' : '' }, reachable)],
      ['Checked at', status.connectorCheckedAt],
      ['Health', health],
      ['Settings file', status.settingsFile],
      ['Refused settings change', el('span', { className: status.refusedSettingsChange ? 'bad' : '' }, status.refusedSettingsChange || 'none')],
      ['Employees without CRM user', status.employeesWithoutCrmUser.length ? status.employeesWithoutCrmUser : 'none'],
      ['Capture queues', status.captureQueues.map(queue => `${queue.queue} (parks in ${queue.errorRepository})`)],
    ]);
    $('crm-link').hidden = !status.crmView;
    $('crm').hidden = !status.crmView;
    return status;
  }

  // ---- decision search and a decision explained ----

  function searchQuery() {
    const form = new FormData($('search-form'));
    const query = new URLSearchParams();
    for (const [name, value] of form.entries()) {
      if (String(value).trim()) {
        query.append(name, String(value).trim());
      }
    }
    return query;
  }

  async function search(offset) {
    state.searchOffset = offset;
    const query = new URLSearchParams(state.searchQuery);
    query.set('limit', SEARCH_PAGE);
    query.set('offset', offset);
    const { json: decisions, response } = await call(`decisions?${query}`);
    const total = Number(response.headers.get('X-Total-Count') || decisions.length);
    $('search-count').textContent = total === 0 ? 'No decision matches.'
      : `${offset + 1}–${offset + decisions.length} of ${total} decisions, newest first`;
    $('search-results').tBodies[0].replaceChildren(...decisions.map(decision => el('tr', { dataset: { messageId: decision.messageId || '' } },
      el('td', {}, decision.decidedAt),
      el('td', {}, decision.direction),
      el('td', {}, decision.sender),
      el('td', {}, decision.mailbox),
      el('td', {}, decision.reason),
      el('td', {}, savedMark(decision.captured)),
      el('td', {}, decision.messageId),
      el('td', {}, el('button', { type: 'button', className: 'link explain', onclick: () => explain(decision) }, 'Explain')))));
    $('search-previous').disabled = offset === 0;
    $('search-next').disabled = offset + decisions.length >= total;
  }

  function itemsTable(items) {
    if (!items || items.length === 0) {
      return text('none');
    }
    const columns = [...new Set(items.flatMap(item => Object.keys(item)))];
    return el('table', {}, el('thead', {}, el('tr', {}, columns.map(column => el('th', {}, column)))),
      el('tbody', {}, items.map(item => el('tr', {}, columns.map(column => cell(item[column]))))));
  }

  /** A table cell; a long value (a mail body) is cut, the whole of it in the cell's tooltip. */
  function cell(value) {
    const whole = text(value).textContent;
    if (whole.length <= LONG_TEXT) {
      return el('td', {}, whole);
    }
    return el('td', { title: whole }, `${whole.substring(0, LONG_TEXT)}…`);
  }

  /** A decision, recorded or from a dry-run, in the words of a CRM administrator, with what drove it. */
  function decisionView(decision) {
    const settings = Object.entries(decision.settings || {});
    const pairs = [
      ['Reason', decision.reason],
      ['Detail', decision.detail],
      ['Direction', decision.direction],
      ['Sender', decision.sender],
      ['Clients', decision.clients],
      ['Employees', decision.employees],
      ['Mailbox', decision.mailbox],
      ['Message-ID', decision.messageId],
      ['Capture key', decision.captureKey],
      ['Responsible (CRM user)', decision.responsibleId],
    ];
    if ('decidedAt' in decision) {
      pairs.push(['Decided at (UTC)', decision.decidedAt], ['Activity', decision.activityId], ['Items', itemsTable(decision.items)]);
    } else {
      pairs.push(['Would bind', itemsTable(decision.bind)], ['Would create', itemsTable(decision.create)],
        ['CRM asked', decision.lookups ? 'yes (read only)' : 'no']);
    }
    const fields = el('dl', {});
    definitions(fields, pairs);
    return el('div', { className: 'decision' },
      el('p', { className: `explanation ${decision.captured ? 'saved' : 'skipped'}` }, decision.explanation),
      fields,
      el('h3', {}, 'Settings in force'),
      settings.length ? el('table', { className: 'settings' },
        el('tbody', {}, settings.map(([key, value]) => el('tr', {}, el('th', {}, key), el('td', {}, text(value))))))
        : text('none'));
  }

  function explain(decision) {
    $('decision-view').replaceChildren(decisionView(decision));
    $('decision').hidden = false;
    $('decision').scrollIntoView();
  }

  // ---- parked captures ----

  function repositoryRoute(queue) {
    return `../mailRepositories/${encodeURIComponent(queue.errorRepository)}/mails`;
  }

  async function replay(path, queue) {
    const { json: task } = await call(`${path}?action=reprocess&queue=${encodeURIComponent(queue.queue)}`, { method: 'PATCH' });
    await call(`../tasks/${encodeURIComponent(task.taskId)}/await`);
    await Promise.all([loadParked(), loadStatus()]);
  }

  async function parkedQueue(queue) {
    const route = repositoryRoute(queue);
    const { json: keys } = await call(route);
    const mails = await Promise.all(keys.map(async key => (await call(`${route}/${encodeURIComponent(key)}`)).json));
    const heading = el('h3', {}, `${queue.queue}: ${mails.length} parked in ${queue.errorRepository}`);
    if (mails.length === 0) {
      return el('div', { className: 'parked-queue' }, heading, el('p', { className: 'muted' }, 'Nothing parked.'));
    }
    return el('div', { className: 'parked-queue' }, heading,
      el('table', {},
        el('thead', {}, el('tr', {}, ['Parked at', 'Sender', 'Recipients', 'Why', ''].map(title => el('th', {}, title)))),
        el('tbody', {}, mails.map(mail => el('tr', { dataset: { key: mail.name } },
          el('td', {}, mail.lastUpdated),
          el('td', {}, mail.sender),
          el('td', {}, mail.recipients),
          el('td', {}, mail.error),
          el('td', {}, el('button', { type: 'button', className: 'replay', onclick: () => run(() => replay(`${route}/${encodeURIComponent(mail.name)}`, queue)) }, 'Replay')))))),
      el('p', {}, el('button', { type: 'button', className: 'replay-all', onclick: () => run(() => replay(route, queue)) }, `Replay all ${mails.length}`)));
  }

  async function loadParked() {
    const status = state.status || await loadStatus();
    const queues = await Promise.all(status.captureQueues.map(parkedQueue));
    $('parked-queues').replaceChildren(...(queues.length ? queues : [el('p', { className: 'muted' }, 'No capture queue is open (is the CaptureToCrm mailet configured?).')]));
  }

  // ---- dry-run ----

  async function dryRun() {
    const form = new FormData($('dry-run-form'));
    const query = new URLSearchParams();
    query.set('sender', String(form.get('sender') || '').trim());
    String(form.get('recipients') || '').split(/[\s,;]+/).filter(Boolean).forEach(recipient => query.append('recipient', recipient));
    if (form.get('authenticated')) {
      query.set('authenticated', 'true');
    }
    query.set('lookups', form.get('lookups') ? 'true' : 'false');
    const file = form.get('file');
    const body = file && file.size > 0 ? file : String(form.get('message') || '');
    const { json: decision } = await call(`dry-run?${query}`, { method: 'POST', headers: { 'Content-Type': 'message/rfc822' }, body });
    $('dry-run-view').replaceChildren(el('h3', {}, 'The capture would decide'), decisionView(decision));
  }

  // ---- the CRM's records ----

  async function loadCrm() {
    const status = state.status || await loadStatus();
    if (!status.crmView) {
      return;
    }
    const view = status.crmView.substring(status.crmView.lastIndexOf('/') + 1);
    const { json: records } = await call(encodeURIComponent(view));
    $('crm-records').replaceChildren(...Object.entries(records).map(([kind, list]) => el('div', { className: 'records', dataset: { kind } },
      el('h3', {}, `${kind} (${Array.isArray(list) ? list.length : 1})`),
      Array.isArray(list) ? itemsTable(list) : text(list))));
  }

  // ---- wiring ----

  /** Runs an action of the page, showing its failure instead of losing it. */
  async function run(action) {
    try {
      showError('');
      await action();
    } catch (e) {
      showError(e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('status-refresh').addEventListener('click', () => run(loadStatus));
    $('parked-refresh').addEventListener('click', () => run(loadParked));
    $('crm-refresh').addEventListener('click', () => run(loadCrm));
    $('search-form').addEventListener('submit', event => {
      event.preventDefault();
      state.searchQuery = searchQuery().toString();
      run(() => search(0));
    });
    $('search-previous').addEventListener('click', () => run(() => search(Math.max(0, state.searchOffset - SEARCH_PAGE))));
    $('search-next').addEventListener('click', () => run(() => search(state.searchOffset + SEARCH_PAGE)));
    $('dry-run-form').addEventListener('submit', event => {
      event.preventDefault();
      run(dryRun);
    });
    run(async () => {
      await loadStatus();
      await Promise.all([search(0), loadParked(), loadCrm()]);
    });
  });
})();
