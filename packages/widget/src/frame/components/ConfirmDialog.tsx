import { useEffect, useRef } from 'preact/hooks';

interface Props {
  title: string;
  text: string;
  confirm: string;
  cancel: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Modal confirmation in the window itself (window.confirm would freeze the host page's tab and
 * cannot be styled or translated). showModal() makes the rest inert; Tab is also kept inside.
 */
export function ConfirmDialog({ title, text, confirm, cancel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog.close();
  }, []);

  const trap = (e: KeyboardEvent): void => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>('button:not([disabled])'));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="dlg-title"
      aria-describedby="dlg-text"
      onKeyDown={trap}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="dlg-title">{title}</h2>
      <p id="dlg-text">{text}</p>
      <div class="dlg-actions">
        <button type="button" ref={cancelRef} class="secondary" onClick={onCancel}>
          {cancel}
        </button>
        <button type="button" class="danger" data-testid="confirm-end" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
