import type { AgentChatSummary } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CreateRequestDialog } from './CreateRequestDialog.js';
import { useConsole } from './hooks.js';
import { TransferDialog } from './collab/TransferDialog.js';

/** The chat's task menu (SPEC: "the chat's task menu > End chat"; Transfer…, Transfer to channel…), with its dialogs. */
export function TaskMenu({ chat }: { chat: AgentChatSummary }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const chatId = chat.id;
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [transferring, setTransferring] = useState<'agent' | 'channel' | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const firstItem = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const wrap = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) firstItem.current?.focus();
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (wrap.current && e.target instanceof Node && !wrap.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (confirming && !d.open) d.showModal();
    if (!confirming && d.open) d.close();
  }, [confirming]);

  useEffect(() => {
    setOpen(false);
    setConfirming(false);
    setTransferring(null);
  }, [chatId]);

  const closeDialog = () => {
    setConfirming(false);
    button.current?.focus();
  };

  return (
    <div class="task-menu" ref={wrap}>
      <button
        type="button"
        ref={button}
        class="icon-button"
        data-testid="task-menu"
        aria-label={t('task.menu')}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`task-menu-${chatId}`}
        onClick={() => setOpen(!open)}
      >
        ⋮
      </button>
      {open && (
        <div
          id={`task-menu-${chatId}`}
          role="menu"
          class="menu"
          aria-label={t('task.menu')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              button.current?.focus();
            }
          }}
        >
          <button
            type="button"
            role="menuitem"
            ref={firstItem}
            data-testid="transfer-open"
            onClick={() => {
              setOpen(false);
              setTransferring('agent');
            }}
          >
            {t('transfer.menu')}
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="transfer-channel-open"
            onClick={() => {
              setOpen(false);
              setTransferring('channel');
            }}
          >
            {t('transfer.channelMenu')}
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="end-chat"
            onClick={() => {
              setOpen(false);
              setConfirming(true);
            }}
          >
            {t('task.endChat')}
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="create-request"
            onClick={() => {
              setOpen(false);
              store.chatRequests.open(chatId);
            }}
          >
            {t('task.createRequest')}
          </button>
        </div>
      )}
      {transferring && (
        <TransferDialog
          chat={chat}
          mode={transferring}
          onClose={() => {
            setTransferring(null);
            button.current?.focus();
          }}
        />
      )}
      <CreateRequestDialog chatId={chatId} onClosed={() => button.current?.focus()} />
      <dialog ref={dialog} class="confirm" aria-labelledby={`confirm-title-${chatId}`} aria-describedby={`confirm-text-${chatId}`} onClose={closeDialog}>
        <h2 id={`confirm-title-${chatId}`}>{t('confirm.endTitle')}</h2>
        <p id={`confirm-text-${chatId}`}>{t('confirm.endText')}</p>
        <div class="confirm-actions">
          <button type="button" data-testid="cancel-end" onClick={closeDialog}>
            {t('confirm.cancel')}
          </button>
          <button
            type="button"
            class="danger"
            data-testid="confirm-end"
            onClick={() => {
              store.claims.end(chatId);
              closeDialog();
            }}
          >
            {t('confirm.endConfirm')}
          </button>
        </div>
      </dialog>
    </div>
  );
}
