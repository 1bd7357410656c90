// Inside a shadow root, so host CSS cannot reach these rules nor these rules leak out.
export const LAUNCHER_CSS = `
:host{all:initial}
button{position:fixed;right:20px;bottom:20px;z-index:2147483001;display:flex;align-items:center;gap:8px;margin:0;padding:12px 18px;border:0;border-radius:28px;background:var(--c);color:var(--t);font:600 15px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.28);cursor:pointer}
button:focus-visible{outline:3px solid #111;outline-offset:3px;box-shadow:0 0 0 3px #fff}
svg{width:22px;height:22px;flex:none;fill:currentColor}
.n{min-width:20px;padding:2px 6px;border-radius:10px;background:#c62828;color:#fff;font-size:12px;text-align:center;box-sizing:border-box}
.n[hidden]{display:none}
iframe{position:fixed;right:20px;bottom:84px;z-index:2147483002;width:370px;height:560px;max-width:calc(100vw - 40px);max-height:calc(100vh - 104px);border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;color-scheme:light}
iframe[hidden]{display:none}
@media (max-width:480px),(max-height:520px){iframe{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}}
@media (prefers-reduced-motion:no-preference){button{transition:transform .15s}button:hover{transform:scale(1.04)}}
`;

export const CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
export const CLOSE_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5.3 8.7 12 15.4l6.7-6.7-1.4-1.4-5.3 5.3-5.3-5.3z"/></svg>';
