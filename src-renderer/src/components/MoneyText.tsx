import { Text, type TextProps } from '@mantine/core';
import { useFormatters } from '../hooks/useFormatters';

/**
 * An amount as the API sends it ("12.3400"), shown with 2 decimals and the currency symbol, right-aligned with
 * tabular digits so columns of money line up. Negative amounts are red.
 */
export function MoneyText({ amount, ...props }: { amount: string } & TextProps) {
  const f = useFormatters();
  const negative = amount.trim().startsWith('-') && /[1-9]/.test(amount);
  return (
    <Text component="span" ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} c={negative ? 'red' : undefined} display="block" {...props}>
      {f.money(amount)}
    </Text>
  );
}
