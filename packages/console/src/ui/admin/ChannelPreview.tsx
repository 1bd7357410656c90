import { useEffect, useRef, useState } from 'preact/hooks';
import { PREVIEW_VIEWS, WidgetPreviewReadySchema, type AdminChannel, type Availability, type PreviewView, type WidgetPreviewMessage } from '@loket/protocol';
import type { MessageKey } from '../../i18n/index.js';
import { useConsole } from '../hooks.js';
import { previewConfig } from './preview-config.js';

const VIEW_LABELS: Record<PreviewView, MessageKey> = {
  prechat: 'preview.viewPrechat',
  question: 'preview.viewQuestion',
  queue: 'preview.viewQueue',
  chat: 'preview.viewChat',
  offline: 'preview.viewOffline',
  postchat: 'preview.viewPostchat',
};

/**
 * The live preview: the real chat window (same origin, preview mode) shown beside the settings. It gets the
 * draft (every section's unsaved edits) on every change, and again whenever it says it is ready.
 */
export function ChannelPreview({ draft, hours = null }: { draft: AdminChannel; hours?: Availability | null }) {
  const [snap] = useConsole();
  const { t } = snap;
  const [view, setView] = useState<PreviewView>('prechat');
  const frame = useRef<HTMLIFrameElement>(null);
  const message: WidgetPreviewMessage = { loket: 1, type: 'preview', view, config: previewConfig(draft, hours) };
  const latest = useRef(message);
  latest.current = message;

  const post = (): void => frame.current?.contentWindow?.postMessage(latest.current, location.origin);
  useEffect(post, [draft, view, hours]);
  useEffect(() => {
    const onMessage = (e: MessageEvent): void => {
      if (e.origin !== location.origin || e.source !== frame.current?.contentWindow) return;
      if (WidgetPreviewReadySchema.safeParse(e.data).success) post();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  return (
    <section class="settings-section channel-preview" aria-labelledby="preview-heading" data-testid="preview-section">
      <h3 id="preview-heading">{t('preview.heading')}</h3>
      <fieldset class="preview-views">
        <legend>{t('preview.view')}</legend>
        {PREVIEW_VIEWS.map((v) => (
          <label key={v} class="radio">
            <input type="radio" name="preview-view" value={v} data-testid={`preview-view-${v}`} checked={view === v} onChange={() => setView(v)} />
            {t(VIEW_LABELS[v])}
          </label>
        ))}
      </fieldset>
      <iframe ref={frame} class="preview-frame" src="/widget/frame.html?preview=1" title={t('preview.title')} data-testid="preview-frame" onLoad={post} />
    </section>
  );
}
