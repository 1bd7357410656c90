import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A modal <dialog> that is open while mounted; Escape calls `onClose`. */
export function Modal({
  labelledBy,
  describedBy,
  onClose,
  testId,
  wide,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  /** Omitted: Escape does not close it (a decision is required, e.g. an incoming transfer). */
  onClose?: () => void;
  testId: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class={`confirm${wide ? ' wide' : ''}`}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      data-testid={testId}
      onCancel={(e) => {
        if (!onClose) e.preventDefault();
      }}
      onClose={onClose}
    >
      {children}
    </dialog>
  );
}
