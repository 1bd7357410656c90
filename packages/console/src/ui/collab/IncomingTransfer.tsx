import { EMPTY_THREAD } from '../../state/thread.js';
import { useConsole, useStore } from '../hooks.js';
import { MessageLog } from '../MessageLog.js';
import { Modal } from './Modal.js';

/** A transfer offered to me: who from, their note and the whole conversation; accept or reject. */
export function IncomingTransfer() {
  const [snap] = useConsole();
  const [, collab] = useStore((root) => root.collaboration);
  const transfer = collab.incoming();
  if (!transfer) return null;
  const { t } = snap;
  const thread = snap.data.threads[transfer.chatId] ?? EMPTY_THREAD;
  const titleId = `incoming-${transfer.id}`;
  return (
    <Modal key={transfer.id} labelledBy={titleId} describedBy={`${titleId}-note`} testId="incoming-transfer" wide>
      <h2 id={titleId}>{t('transfer.incomingTitle', { name: transfer.from.name })}</h2>
      <p id={`${titleId}-note`}>
        {t('transfer.incomingNotify', { from: transfer.from.name, name: transfer.chat.visitorName })}
        {transfer.note !== '' && (
          <>
            <br />
            <strong data-testid="incoming-note">{t('transfer.incomingNote', { note: transfer.note })}</strong>
          </>
        )}
      </p>
      <MessageLog
        events={thread.events}
        pending={[]}
        myId={snap.data.agent?.id}
        visitorName={transfer.chat.visitorName}
        label={t('conversation.messages', { name: transfer.chat.visitorName })}
        lang={snap.lang}
        t={t}
      />
      <div class="confirm-actions">
        <button type="button" data-testid="transfer-reject" onClick={() => collab.answer(transfer.id, false)}>
          {t('transfer.reject')}
        </button>
        <button type="button" class="primary" data-testid="transfer-accept" onClick={() => collab.answer(transfer.id, true)}>
          {t('transfer.accept')}
        </button>
      </div>
    </Modal>
  );
}
