import type { AgentChatSummary, TransferTargetsResult } from '@loket/protocol';
import { useEffect, useState } from 'preact/hooks';
import { TRANSFER_NOTE_MAX_LENGTH } from '@loket/protocol';
import { useConsole } from '../hooks.js';
import { Modal } from './Modal.js';

/** "Transfer…" (to a present agent, with a note) and "Transfer to channel…" (back into a queue, at its front). */
export function TransferDialog({ chat, mode, onClose }: { chat: AgentChatSummary; mode: 'agent' | 'channel'; onClose: () => void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [targets, setTargets] = useState<TransferTargetsResult | null>(null);
  const [failed, setFailed] = useState(false);
  const [choice, setChoice] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    store.collaboration.transferTargets(chat.id).then(
      (result) => {
        setTargets(result);
        setChoice((mode === 'agent' ? result.agents[0]?.agent.id : result.channels[0]?.id) ?? '');
      },
      () => setFailed(true),
    );
  }, [chat.id, mode]);
  const titleId = `transfer-title-${chat.id}`;
  const submit = () => {
    if (choice === '') return;
    const sent =
      mode === 'agent'
        ? store.collaboration.transfer(chat.id, choice, note)
        : store.collaboration.toChannel(chat.id, choice, targets?.channels.find((c) => c.id === choice)?.name ?? '');
    if (sent) onClose();
  };
  return (
    <Modal labelledBy={titleId} onClose={onClose} testId={mode === 'agent' ? 'transfer-dialog' : 'transfer-channel-dialog'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id={titleId}>{t(mode === 'agent' ? 'transfer.title' : 'transfer.channelTitle', { name: chat.visitorName })}</h2>
        {failed && (
          <p class="error" role="alert">
            {t('conversation.loadError')}
          </p>
        )}
        {!targets && !failed && <p role="status">{t('transfer.loading')}</p>}
        {targets && mode === 'agent' && (
          <fieldset class="choices">
            <legend>{t('transfer.agents')}</legend>
            {targets.agents.length === 0 && <p class="hint">{t('transfer.noAgents')}</p>}
            {targets.agents.map(({ agent, activeChats }) => (
              <label key={agent.id} class="choice" data-testid="transfer-target">
                <input type="radio" name={`target-${chat.id}`} value={agent.id} checked={choice === agent.id} onChange={() => setChoice(agent.id)} />
                <span>{agent.name}</span> <span class="hint">{t('transfer.activeChats', { count: activeChats })}</span>
              </label>
            ))}
          </fieldset>
        )}
        {targets && mode === 'agent' && (
          <label class="field">
            <span>{t('transfer.note')}</span>
            <textarea rows={3} maxLength={TRANSFER_NOTE_MAX_LENGTH} data-testid="transfer-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
        )}
        {targets && mode === 'channel' && (
          <label class="field">
            <span>{t('transfer.channel')}</span>
            <select data-testid="transfer-channel" value={choice} onChange={(e) => setChoice(e.currentTarget.value)} aria-describedby={`transfer-hint-${chat.id}`}>
              {targets.channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <span id={`transfer-hint-${chat.id}`} class="hint">
              {t('transfer.channelHint')}
            </span>
          </label>
        )}
        <div class="confirm-actions">
          <button type="button" onClick={onClose}>
            {t('transfer.cancel')}
          </button>
          <button type="submit" class="primary" data-testid="transfer-send" disabled={choice === ''}>
            {t(mode === 'agent' ? 'transfer.send' : 'transfer.channelSend')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
