import { useConsole, useStore } from '../hooks.js';

/** Colleagues' ongoing chats of the channels where I may listen in: open one silently. */
export function TeamChats() {
  const [snap, store] = useConsole();
  const [state, collab] = useStore((root) => root.collaboration);
  const team = state.team;
  if (!team || team.listenChannelIds.length === 0) return null;
  const { t, data } = snap;
  const others = team.chats.filter((c) => !data.chats[c.chat.id]);
  return (
    <section class="chats team" aria-labelledby="team-heading">
      <div class="section-head">
        <h2 id="team-heading">{t('collab.team')}</h2>
        <button type="button" class="small" data-testid="team-refresh" onClick={() => void collab.loadTeam()}>
          {t('collab.teamRefresh')}
        </button>
      </div>
      {others.length === 0 ? (
        <p class="empty">{t('collab.teamEmpty')}</p>
      ) : (
        <ul class="items">
          {others.map(({ chat, agent }) => (
            <li key={chat.id} class="team-item" data-testid="team-chat" data-chat-id={chat.id}>
              <span class="item-line">
                <strong class="name">{chat.visitorName}</strong>
                <span class="meta">{agent?.name}</span>
              </span>
              <button type="button" class="small" data-testid="listen-in" aria-label={t('collab.listenLabel', { agent: agent?.name ?? '', name: chat.visitorName })} onClick={() => {
                  collab.listen(chat.id);
                  store.selection.select(chat.id);
                }}
              >
                {t('collab.listen')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
