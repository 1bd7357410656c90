import type { Rating, VisitorField } from '@loket/protocol';
import type { Translate } from '../i18n/index.js';
import { formatDateTime } from '../time.js';
import { useConsole } from './hooks.js';

export function Details() {
  const [snap] = useConsole();
  const { t, selection, lang } = snap;
  const chat = selection?.kind === 'chat' ? snap.data.chats[selection.chatId] : selection?.kind === 'preview' ? snap.data.chats[selection.item.chatId] : undefined;
  const item = selection?.kind === 'preview' ? selection.item : undefined;
  if (!chat && !item) {
    return (
      <>
        <h2>{t('details.label')}</h2>
        <p class="empty">{t('details.none')}</p>
      </>
    );
  }
  const rows: Array<[string, string]> = chat
    ? [
        [t('details.visitor'), chat.visitorName],
        // The pre-chat form may not ask for it (or be off): no empty row then.
        ...(chat.visitorEmail !== '' ? [[t('details.email'), chat.visitorEmail] as [string, string]] : []),
        [t('details.channel'), chat.channelName],
        [t('details.status'), t(`status.${chat.status}`)],
        [t('details.queuedAt'), formatDateTime(chat.queuedAt, lang)],
        ...(chat.claimedAt !== null ? [[t('details.claimedAt'), formatDateTime(chat.claimedAt, lang)] as [string, string]] : []),
        ...(chat.endedAt !== null ? [[t('details.endedAt'), formatDateTime(chat.endedAt, lang)] as [string, string]] : []),
      ]
    : item
      ? [
          [t('details.visitor'), item.visitorName],
          [t('details.channel'), item.channelName],
          [t('details.status'), t('status.waiting')],
          [t('details.queuedAt'), formatDateTime(item.queuedAt, lang)],
        ]
      : [];
  return (
    <>
      <h2>{t('details.label')}</h2>
      <dl class="facts" data-testid="details">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        {chat?.visitorFields.map((f) => (
          <div key={`field-${f.key}`} data-testid="details-field" data-key={f.key}>
            <dt>{fieldLabel(f, t)}</dt>
            <dd>{typeof f.value === 'boolean' ? (f.value ? t('details.yes') : t('details.no')) : f.value}</dd>
          </div>
        ))}
        {chat?.rating && <RatingRow rating={chat.rating} t={t} />}
      </dl>
    </>
  );
}

/** Phone and company are built-in fields (translated here); custom fields carry their channel's label. */
function fieldLabel(field: VisitorField, t: Translate): string {
  if (field.key === 'phone') return t('details.phone');
  if (field.key === 'company') return t('details.company');
  return field.label;
}

/** The customer's rating from the post-chat form: stars as text with a spoken label, and the comment. */
function RatingRow({ rating, t }: { rating: Rating; t: Translate }) {
  const stars = '★'.repeat(rating.score) + '☆'.repeat(Math.max(0, 5 - rating.score));
  return (
    <div>
      <dt>{t('details.rating')}</dt>
      <dd data-testid="chat-rating" data-score={rating.score}>
        <span class="stars" role="img" aria-label={t('rating.label', { score: rating.score })}>
          <span aria-hidden="true">{stars}</span> {rating.score}/5
        </span>
        {rating.comment.trim() !== '' && <q class="rating-comment">{rating.comment}</q>}
      </dd>
    </div>
  );
}
