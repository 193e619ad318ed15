import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A text filter bound to a URL value: typing updates the list after a short pause (one request per pause, not per
 * key); Enter applies at once.
 */
export function FilterTextInput({
  label,
  value,
  onChange,
  placeholder,
  width = 180,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  width?: number;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const apply = useDebouncedCallback((next: string) => onChange(next.trim()), 400);

  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      value={text}
      w={width}
      onChange={(event) => {
        setText(event.currentTarget.value);
        apply(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          apply.cancel();
          onChange(text.trim());
        }
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label={t('common:actions.clearField', { field: label })}
            onClick={() => {
              setText('');
              apply.cancel();
              onChange('');
            }}
          />
        ) : null
      }
    />
  );
}
