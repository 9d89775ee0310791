/* The AI Runtime tab: polls status.json and renders it; the playground streams a chat from the public API. */
(function () {
	'use strict';
	var page = document.getElementById('airuntime');
	// absolute, from the origin: a page opened as http://user:pw@host/... cannot fetch relative URLs
	var root = window.location.origin + page.getAttribute('data-root');
	var $ = function (id) { return document.getElementById(id); };
	var conversation = [];
	var apiBase = '/v1';

	function el(tag, props) {
		var node = document.createElement(tag);
		Object.keys(props || {}).forEach(function (k) {
			if (k === 'text') { node.textContent = props[k]; } else { node.setAttribute(k, props[k]); }
		});
		for (var i = 2; i < arguments.length; i++) {
			var child = arguments[i];
			if (child === null || child === undefined) { continue; }
			node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
		}
		return node;
	}

	function state(name) {
		return el('span', { 'class': 'ar-state ar-' + name, text: name });
	}

	function fill(tableId, rows, empty, columns) {
		var body = $(tableId).tBodies[0];
		body.textContent = '';
		if (!rows || rows.length === 0) {
			body.appendChild(el('tr', { 'class': 'ar-empty' }, el('td', { colspan: String(columns), text: empty })));
			return;
		}
		rows.forEach(function (cells) {
			var tr = el('tr');
			cells.forEach(function (c) { tr.appendChild(el('td', {}, c)); });
			body.appendChild(tr);
		});
	}

	function age(iso) {
		var s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
		return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.floor(s % 60) + ' s';
	}

	function render(status) {
		var providers = status.providers || [];
		fill('ar-providers', providers.map(function (p) {
			var models = p.models ? (p.models.length ? p.models.join(', ') : 'none')
				: el('span', { 'class': 'ar-error', text: p.modelsError });
			return [el('span', {}, el('b', { text: p.name }), el('br'), el('span', { 'class': 'ar-detail', text: p.detail || '' })),
				state(p.state), p.bundle || '', (p.capabilities || []).join(', ').toLowerCase(), models];
		}), 'No provider is installed: drop a provider bundle into deploy/.', 5);

		var slots = [];
		providers.forEach(function (p) {
			(Array.isArray(p.loaded) ? p.loaded : []).forEach(function (m) {
				slots.push([p.name, m.model, m.busy + ' / ' + m.slots, String(m.waiting),
					m.contextPerSlot ? m.contextPerSlot + ' tokens' : '']);
			});
		});
		fill('ar-slots', slots, 'No model is loaded.', 5);

		fill('ar-requests', (status.requests || []).map(function (r) {
			return [String(r.id), r.endpoint, r.model || '', r.provider || '', r.streamed ? 'yes' : 'no', age(r.started)];
		}), status.requests ? 'No request is running.' : 'The HTTP router (runtime.http) is not running.', 6);

		var sessions = status.sessions || {};
		$('ar-sessions-note').textContent = sessions.error ? sessions.error
			: 'The ' + sessions.limit + ' most recently written (Redis: the first found).';
		$('ar-sessions-note').className = sessions.error ? 'ar-error' : 'ar-note';
		fill('ar-sessions', (sessions.list || []).map(function (s) {
			return [s.id, String(s.turns), s.updated ? new Date(s.updated).toLocaleString() : ''];
		}), 'No session is stored.', 3);

		fill('ar-mcp', (status.mcpServers || []).map(function (m) {
			var tools = el('span');
			(m.tools || []).forEach(function (t, i) {
				if (i) { tools.appendChild(document.createTextNode(', ')); }
				tools.appendChild(el('span', { title: t.description || '', text: t.name }));
			});
			var button = el('button', { type: 'button', 'class': 'ui-state-default ui-corner-all ar-mcp-refresh',
				'data-server': m.name, text: m.state === 'connected' ? 'Refresh tools' : 'Reconnect' });
			button.addEventListener('click', function () { refreshServer(m.name); });
			return [el('span', {}, el('b', { text: m.name }), m.error ? el('div', { 'class': 'ar-error', text: m.error }) : null),
				el('span', {}, state(m.state), el('br'), el('span', { 'class': 'ar-detail', text: 'since ' + age(m.since) })),
				m.transport, m.address, tools, button];
		}), status.mcpServers ? 'No MCP server is configured (MCP_HOSTS or conf/runtime.mcp-NAME.cfg).'
			: 'The MCP client (runtime.mcp) is not running.', 6);

		manager(providers, status.pins || [], status.pulls || []);
		models(providers);
		$('ar-updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
	}

	function size(bytes) {
		if (typeof bytes !== 'number') { return ''; }
		return bytes >= 1e9 ? (bytes / 1e9).toFixed(2) + ' GB' : (bytes / 1e6).toFixed(1) + ' MB';
	}

	function action(name, params, done) {
		var query = Object.keys(params).map(function (k) {
			return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
		}).join('&');
		var note = $('ar-models-note');
		note.className = 'ar-note';
		note.textContent = name + ' ' + (params.model || '') + '…';
		return fetch(root + '/' + name + '?' + query, { method: 'POST', credentials: 'same-origin' })
			.then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
			.then(function (r) {
				note.className = r.ok ? 'ar-note' : 'ar-error';
				note.textContent = r.ok ? name + ' ' + (params.model || '') + ': done' : r.body.error;
				if (done) { done(); }
				return refresh();
			})
			.catch(function (e) { note.className = 'ar-error'; note.textContent = e.message; });
	}

	function button(text, onClick) {
		var b = el('button', { type: 'button', 'class': 'ui-state-default ui-corner-all ar-model-action', text: text });
		b.addEventListener('click', onClick);
		return b;
	}

	/** The model manager: every provider's models with size, context, state; load, unload, pin; pulls. */
	function manager(providers, pins, pulls) {
		var rows = [];
		providers.forEach(function (p) {
			var loaded = {};
			(Array.isArray(p.loaded) ? p.loaded : []).forEach(function (m) { loaded[m.model] = m; });
			(p.modelDetails || []).forEach(function (m) {
				var l = loaded[m.id];
				var pinned = (l && l.pinned) || (p.name === 'llama_cpp' && pins.indexOf(m.id) >= 0);
				var stateText = (typeof m.loaded !== 'boolean' ? 'served by ' + p.name : l || m.loaded ? 'loaded' : 'not loaded')
					+ (pinned ? ', pinned' : '')
					+ (l && l.expiresAt ? ', unloads ' + new Date(l.expiresAt).toLocaleTimeString() : '');
				// only providers that load models themselves say whether one is loaded, and can load or unload it
				var manages = typeof m.loaded === 'boolean';
				var actions = el('span', {},
					!manages ? null : l || m.loaded
						? button('Unload', function () { action('unload', { provider: p.name, model: m.id }); })
						: button('Load', function () { action('load', { provider: p.name, model: m.id }); }),
					p.name === 'llama_cpp' ? button(pinned ? 'Unpin' : 'Pin', function () {
						action('pin', { model: m.id, on: String(!pinned) });
					}) : null);
				rows.push([p.name, el('b', { text: m.id }), size(l && l.memoryBytes ? l.memoryBytes : m.size)
					+ (l && l.memoryBytes ? ' in memory' : ''), m.context ? m.context + ' tokens' : '',
					stateText, actions]);
			});
		});
		fill('ar-manager', rows, 'No model: put GGUF files into models/ or pull one below.', 6);
		var canPull = providers.some(function (p) { return p.name === 'llama_cpp'; });
		$('ar-pull-form').style.display = canPull ? '' : 'none';
		$('ar-pulls').style.display = canPull ? '' : 'none';
		fill('ar-pulls', pulls.slice().reverse().map(function (j) {
			var bar = el('progress', { max: String(j.total || 1), value: String(j.completed || 0) });
			var pct = j.total ? Math.floor(100 * j.completed / j.total) + '%' : '';
			return [el('b', { text: j.model }), j.error ? el('span', { 'class': 'ar-error', text: j.error }) : j.status,
				el('span', {}, bar, ' ', pct)];
		}), 'No pull yet.', 3);
	}

	function models(providers) {
		var select = $('ar-model');
		var ids = [];
		providers.forEach(function (p) {
			(p.models || []).forEach(function (m) { ids.push(p.name + ':' + m); });
		});
		var current = Array.prototype.map.call(select.options, function (o) { return o.value; });
		if (current.join('\n') === ids.join('\n')) { return; }
		var chosen = select.value;
		select.textContent = '';
		ids.forEach(function (id) { select.appendChild(el('option', { value: id, text: id })); });
		if (ids.indexOf(chosen) >= 0) { select.value = chosen; }
	}

	function refresh() {
		return fetch(root + '/status.json', { cache: 'no-store', credentials: 'same-origin' })
			.then(function (r) { if (!r.ok) { throw new Error('status.json: HTTP ' + r.status); } return r.json(); })
			.then(render)
			.catch(function (e) { $('ar-updated').textContent = 'Cannot load the status: ' + e.message; });
	}

	$('ar-pull').addEventListener('click', function () {
		var ref = $('ar-pull-ref').value.trim();
		if (ref) { action('pull', { provider: 'llama_cpp', model: ref }, function () { $('ar-pull-ref').value = ''; }); }
	});

	function refreshServer(name) {
		var note = $('ar-mcp-note');
		note.className = 'ar-note';
		note.textContent = 'Refreshing ' + name + '…';
		fetch(root + '/refresh?server=' + encodeURIComponent(name), { method: 'POST', credentials: 'same-origin' })
			.then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
			.then(function (r) {
				note.className = r.ok ? 'ar-note' : 'ar-error';
				note.textContent = r.ok ? name + ': ' + (r.body.state === 'connected'
					? 'tools listed again (' + r.body.tools.length + ')' : 'reconnecting') : r.body.error;
				setTimeout(refresh, 300);
			})
			.catch(function (e) { note.className = 'ar-error'; note.textContent = e.message; });
	}

	function turn(role, text) {
		var div = el('div', { 'class': 'ar-turn ar-' + role, text: text });
		$('ar-transcript').appendChild(div);
		return div;
	}

	function post(body) {
		var headers = { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' };
		var key = $('ar-key').value.trim();
		if (key) { headers.Authorization = 'Bearer ' + key; }
		var send = function (base) {
			return fetch(window.location.origin + base + '/chat/completions', { method: 'POST', headers: headers, body: JSON.stringify(body),
				credentials: 'omit' });
		};
		return send(apiBase).then(function (r) {
			if (r.status !== 404 || apiBase !== '/v1') { return r; }
			// api.prefix.mode=api serves /api/v1 only
			return send('/api/v1').then(function (r2) { if (r2.status !== 404) { apiBase = '/api/v1'; } return r2; });
		});
	}

	function sendMessage() {
		var text = $('ar-message').value;
		var model = $('ar-model').value;
		if (!text.trim() || !model) { $('ar-state').textContent = model ? 'Type a message.' : 'No model to talk to.'; return; }
		$('ar-message').value = '';
		$('ar-send').disabled = true;
		$('ar-state').textContent = 'Streaming…';
		conversation.push({ role: 'user', content: text });
		turn('user', text);
		var out = turn('assistant', '');
		out.id = 'ar-reply-' + conversation.length;
		var reply = '';
		var finish = null;
		var usage = null;
		post({ model: model, messages: conversation, stream: true, stream_options: { include_usage: true } })
			.then(function (r) {
				if (!r.ok) {
					return r.text().then(function (t) {
						var message = t;
						try { message = JSON.parse(t).error.message; } catch (ignored) { /* not JSON */ }
						throw new Error('HTTP ' + r.status + ': ' + message);
					});
				}
				var reader = r.body.getReader();
				var decoder = new TextDecoder();
				var buffer = '';
				var pump = function () {
					return reader.read().then(function (chunk) {
						if (chunk.done) { return; }
						buffer += decoder.decode(chunk.value, { stream: true });
						var lines = buffer.split('\n');
						buffer = lines.pop();
						lines.forEach(function (line) {
							if (line.indexOf('data: ') !== 0 || line === 'data: [DONE]') { return; }
							var event = JSON.parse(line.substring(6));
							if (event.error) { throw new Error(event.error.message); }
							if (event.usage) { usage = event.usage; }
							(event.choices || []).forEach(function (c) {
								if (c.delta && c.delta.content) { reply += c.delta.content; out.textContent = reply; }
								if (c.finish_reason) { finish = c.finish_reason; }
							});
						});
						return pump();
					});
				};
				return pump();
			})
			.then(function () {
				conversation.push({ role: 'assistant', content: reply });
				$('ar-state').textContent = 'Done (' + (finish || 'no finish reason')
					+ (usage ? ', ' + usage.prompt_tokens + ' tokens in, ' + usage.completion_tokens + ' out' : '') + ').';
			})
			.catch(function (e) {
				conversation.pop();
				out.className = 'ar-turn ar-error';
				out.textContent = (reply ? reply + '\n' : '') + e.message;
				$('ar-state').textContent = 'Failed.';
			})
			.then(function () { $('ar-send').disabled = false; });
	}

	$('ar-send').addEventListener('click', sendMessage);
	$('ar-message').addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { sendMessage(); }
	});
	$('ar-clear').addEventListener('click', function () {
		conversation = [];
		$('ar-transcript').textContent = '';
		$('ar-state').textContent = '';
	});
	$('ar-refresh').addEventListener('click', refresh);
	setInterval(function () { if ($('ar-auto').checked) { refresh(); } }, 2000);
	refresh();
}());
