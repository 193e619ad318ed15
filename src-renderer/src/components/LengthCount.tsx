import type { ReactNode } from 'react';

/**
 * A field's description with its length against the contract's limit ("12 / 100"), updated as the clerk types and red
 * once over it. The input keeps what was typed or pasted (no maxLength attribute cutting it silently); the form's check
 * refuses it with the limit, as the engine would.
 */
export function LengthCount({ description, length, max }: { description?: ReactNode; length: number; max: number }) {
  const over = length > max;
  return (
    <span style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 'var(--mantine-spacing-xs)' }}>
      <span style={{ minWidth: 0 }}>{description}</span>
      <span
        data-length-count
        style={{ flex: 'none', fontVariantNumeric: 'tabular-nums', color: over ? 'var(--mantine-color-error)' : undefined, fontWeight: over ? 600 : undefined }}
      >
        {length} / {max}
      </span>
    </span>
  );
}

/** A description with the length count beside it, for inputs whose props are assembled outside a form helper. */
export const withLength = (description: ReactNode, length: number, max: number): ReactNode => (
  <LengthCount description={description} length={length} max={max} />
);
