import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal <dialog>: the browser traps focus inside, Escape closes it, and
 * focus returns to the control that opened it.
 */
export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {open ? children : null}
    </dialog>
  );
}
