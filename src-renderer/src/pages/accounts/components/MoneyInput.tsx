import { TextInput, type TextInputProps } from '@mantine/core';
import { currencySymbol } from '../../../format/money';
import { useFormatters } from '../../../hooks/useFormatters';

/** An amount typed as text ("12.50"), with the currency symbol in front; the server parses it to exact units. */
export function MoneyInput(props: TextInputProps) {
  const f = useFormatters();
  return <TextInput inputMode="decimal" leftSection={currencySymbol(f.locale, f.currency)} autoComplete="off" {...props} />;
}
