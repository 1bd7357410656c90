import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminChannel, Availability, ReplyTemplate } from '@loket/protocol';
import { LANGUAGE_ENDONYMS, removeChannel, replaceChannel, sortTemplates, upsertChannel } from '../../state/admin.js';
import type { Route } from '../../state/route.js';
import { useConsole } from '../hooks.js';
import { LayoutSection } from './ChannelLayout.js';
import { OfflineSection } from './ChannelOffline.js';
import { PostchatSection } from './ChannelPostchat.js';
import { FilesSection } from './ChannelFiles.js';
import { PrechatSection } from './ChannelPrechat.js';
import { ChannelPreview } from './ChannelPreview.js';
import { AgentsSection, DeleteSection, EmbedSection, NewChannelForm, OriginsSection, PropertiesSection } from './ChannelSettings.js';
import { LoadState, RouteLink, ViewHeading, useLoaded, type Loaded } from './common.js';
import { mergeDraft } from './preview-config.js';
import { OpeningHoursSection } from './ChannelOpeningHours.js';

type ChannelsRoute = Extract<Route, { view: 'channels' }>;

/**
 * Channel administration: the list ("New channel" above it), and per channel a stack of settings
 * sections (properties, widget layout, allowed origins, agents & permissions, embed snippet, pre-chat form,
 * offline, post-chat form, delete) beside a live preview of the chat window.
 */
export function ChannelsView({ route }: { route: ChannelsRoute }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const list = useLoaded(() => store.http.channels(), 'channels');
  // Templates feed the transcript-template select; a failure there must not block the channel.
  const templates = useLoaded(() => store.http.templates().then(sortTemplates), 'templates');
  const channels = [...(list.data ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const selected = route.channelId === null ? null : (channels.find((c) => c.id === route.channelId) ?? null);
  const [creating, setCreating] = useState(false);
  // Opening a channel from the list leaves the "New channel" form.
  useEffect(() => setCreating(false), [route.channelId]);

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('channels.heading')}</ViewHeading>
        <button type="button" class="primary" data-testid="channel-new" aria-expanded={creating} onClick={() => setCreating(true)}>
          {t('channels.new')}
        </button>
      </div>
      <div class="admin-body master-detail">
        <section class="admin-list" aria-labelledby="channels-list-heading">
          <h2 id="channels-list-heading" class="visually-hidden">
            {t('channels.list')}
          </h2>
          <LoadState loaded={list} />
          {list.data && channels.length === 0 && <p class="empty">{t('channels.empty')}</p>}
          <ul class="items">
            {channels.map((c) => (
              <li key={c.id}>
                <RouteLink
                  class="item"
                  data-testid="channel-item"
                  data-channel-id={c.id}
                  route={{ view: 'channels', channelId: c.id }}
                  aria-current={route.channelId === c.id ? 'page' : undefined}
                >
                  <span class="item-line">
                    <strong class="name">{c.name}</strong>
                  </span>
                  <span class="channel">
                    {c.key} · <span lang={c.language}>{LANGUAGE_ENDONYMS[c.language]}</span>
                  </span>
                </RouteLink>
              </li>
            ))}
          </ul>
        </section>
        <div class="admin-detail">
          {creating ? (
            <NewChannelForm
              onCancel={() => setCreating(false)}
              onCreated={(c) => {
                list.update((all) => upsertChannel(all, c));
                setCreating(false);
                store.route.navigate({ view: 'channels', channelId: c.id });
              }}
            />
          ) : selected ? (
            <ChannelDetail
              key={selected.id}
              channel={selected}
              templates={templates}
              onSaved={(c) => list.update((all) => replaceChannel(all, c))}
              onDeleted={(id) => {
                list.update((all) => removeChannel(all, id));
                store.route.navigate({ view: 'channels', channelId: null });
              }}
            />
          ) : (
            list.data && <p class="placeholder">{route.channelId === null ? t('channels.none') : t('channels.notFound')}</p>
          )}
        </div>
      </div>
    </main>
  );
}

function ChannelDetail({
  channel,
  templates,
  onSaved,
  onDeleted,
}: {
  channel: AdminChannel;
  templates: Loaded<ReplyTemplate[]>;
  onSaved(c: AdminChannel): void;
  onDeleted(id: string): void;
}) {
  const [snap] = useConsole();
  const { t } = snap;
  // Every section's unsaved edits, merged over the saved channel: what the preview shows.
  const [patch, setPatch] = useState<Partial<AdminChannel>>({});
  const onDraft = useCallback((p: Partial<AdminChannel>) => setPatch((prev) => ({ ...prev, ...p })), []);
  const draft = mergeDraft(channel, patch);
  // The server's view of the draft opening hours, for the preview's offline view.
  const [hours, setHours] = useState<Availability | null>(null);
  return (
    <article class="channel-detail" data-testid="channel-detail" data-channel-id={channel.id} aria-labelledby="channel-heading">
      <header class="channel-head">
        <h2 id="channel-heading">{channel.name}</h2>
        <dl class="facts inline">
          <div>
            <dt>{t('channels.key')}</dt>
            <dd>
              <code>{channel.key}</code>
            </dd>
          </div>
          <div>
            <dt>{t('channels.language')}</dt>
            <dd lang={channel.language}>{LANGUAGE_ENDONYMS[channel.language]}</dd>
          </div>
        </dl>
      </header>
      <div class="channel-columns">
        <div class="channel-sections">
          <PropertiesSection channel={channel} onSaved={onSaved} onDraft={onDraft} />
          <OpeningHoursSection channel={channel} onSaved={onSaved} onDraft={onDraft} onHours={setHours} />
          <LayoutSection channel={channel} onSaved={onSaved} onDraft={onDraft} />
          <OriginsSection channel={channel} onSaved={onSaved} />
          <AgentsSection channel={channel} />
          <EmbedSection channel={channel} />
          <PrechatSection channel={channel} onSaved={onSaved} onDraft={onDraft} />
          <OfflineSection channel={channel} onSaved={onSaved} onDraft={onDraft} />
          <PostchatSection channel={channel} templates={templates} onSaved={onSaved} onDraft={onDraft} />
          <FilesSection channel={channel} />
          <DeleteSection channel={channel} onDeleted={onDeleted} />
        </div>
        <ChannelPreview draft={draft} hours={hours} />
      </div>
    </article>
  );
}
