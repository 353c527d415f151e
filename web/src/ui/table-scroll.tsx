import type { ReactNode } from "react";

/**
 * A wide table's horizontal scroller. It takes focus, so keyboard users can
 * scroll it too, and is named after its table for screen readers.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-scroll ${className}` : "table-scroll"} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
