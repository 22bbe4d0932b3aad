"""The preview's web server: the built pages, each with a script that reloads it when a build
ends (Server-Sent Events) and shows the last save's problems over the page."""

from __future__ import annotations

import html
import json
from urllib.parse import unquote, urlsplit

from taiyaku.preview.app import Preview

SPECIAL = '/__taiyaku__/'


RELOAD_SCRIPT = r'''
(() => {
  const loaded = Number(document.currentScript.dataset.generation);
  let box = null;
  function show(problems) {
    if (!problems.length) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'taiyaku-preview-problems';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:40%;overflow:auto;z-index:2147483647;' +
        'margin:0;padding:.8em 1.2em;background:#fff3f3;color:#8b0000;border-top:3px solid #c00;' +
        'font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 -2px 8px rgba(0,0,0,.2)';
      document.body.appendChild(box);
    }
    box.textContent = 'taiyaku preview — the last save has problems:\n' + problems.join('\n');
  }
  const events = new EventSource('/__taiyaku__/events');
  events.addEventListener('build', (event) => {
    const state = JSON.parse(event.data);
    if (state.written > loaded) { location.reload(); return; }
    show(state.problems);
  });
})();
'''


def make_handler(preview: Preview):
    from http import HTTPStatus                               # here, so that `taiyaku build` need not load it
    from http.server import SimpleHTTPRequestHandler

    prefix = f'/{preview.language}/'

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.outdir), **kwargs)

        def log_message(self, format: str, *args) -> None:      # keep the terminal for build messages
            pass

        def end_headers(self) -> None:
            self.send_header('Cache-Control', 'no-store')
            super().end_headers()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path in ('/', prefix.rstrip('/')):
                self.send_response(HTTPStatus.FOUND)
                self.send_header('Location', f'{prefix}index.html')
                self.end_headers()
            elif path == f'{SPECIAL}reload.js':
                self.send_bytes(RELOAD_SCRIPT.encode(), 'text/javascript; charset=utf-8')
            elif path == f'{SPECIAL}state':
                self.send_bytes(json.dumps(preview.state.as_json()).encode(), 'application/json')
            elif path == f'{SPECIAL}events':
                self.send_events()
            elif not path.startswith(prefix):
                self.send_page(HTTPStatus.NOT_FOUND, f'This preview serves the {preview.language!r} edition '
                               f'under {prefix}; run `make preview-…` for another language.')
            elif path.endswith('/') or path.endswith('.html'):
                self.send_html(path[len(prefix):] + ('index.html' if path.endswith('/') else ''))
            else:
                with preview.building:
                    super().do_GET()

        def translate_path(self, path: str) -> str:
            path = urlsplit(path).path
            return super().translate_path('/' + path[len(prefix):] if path.startswith(prefix) else path)

        def send_bytes(self, data: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_page(self, status: HTTPStatus, message: str) -> None:
            problems = ''.join(f'<li>{html.escape(p)}</li>' for p in preview.state.as_json()['problems'])
            page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>taiyaku preview</title></head>'
                    f'<body><p>{html.escape(message)}</p><ul>{problems}</ul>{self.script_tag()}</body></html>')
            self.send_bytes(page.encode(), 'text/html; charset=utf-8', status)

        def script_tag(self) -> str:
            return f'<script src="{SPECIAL}reload.js" data-generation="{preview.state.written}"></script>'

        def send_html(self, relative: str) -> None:
            file = (preview.outdir / relative).resolve()
            with preview.building:
                if preview.outdir.resolve() not in file.parents or not file.is_file():
                    self.send_page(HTTPStatus.NOT_FOUND, f'{relative}: no such page (yet).')
                    return
                text = file.read_text(encoding='utf-8')
                tag = self.script_tag()
            at = text.rfind('</body>')
            text = text[:at] + tag + text[at:] if at >= 0 else text + tag
            self.send_bytes(text.encode('utf-8'), 'text/html; charset=utf-8')

        def send_events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header('Content-Type', 'text/event-stream')
            self.end_headers()
            seen = -1
            try:
                while True:
                    with preview.changed:
                        preview.changed.wait_for(lambda: preview.state.generation != seen, timeout=15)
                        state = preview.state.as_json()
                    if state['generation'] == seen:
                        self.wfile.write(b': still here\n\n')          # keeps proxies and the socket honest
                    else:
                        seen = state['generation']
                        self.wfile.write(f'event: build\ndata: {json.dumps(state)}\n\n'.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
