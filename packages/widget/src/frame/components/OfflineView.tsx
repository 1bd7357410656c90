import type { RequestCreated, WidgetConfig } from '@loket/protocol';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import { Offline } from './Offline.js';
import { RequestDone, RequestForm } from './RequestForm.js';

const EMPTY = { name: '', email: '', phone: '', company: '', question: '' };

/** The whole window body of a channel that cannot answer now; loaded on its own so open channels do not pay for it. */
export default function OfflineView({ config, t }: { config: WidgetConfig; t: Translate }) {
  const [created, setCreated] = useState<RequestCreated | null>(null);
  if (created) return <RequestDone t={t} created={created} />;
  return <Offline config={config} t={t}>{config.offline.requests && <RequestForm config={config} t={t} initial={EMPTY} onCreated={setCreated} />}</Offline>;
}
