import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../../src-shared/api/devices';

/** Picks a device by id (kept as text, as URL filters hold it); shows name and area so two sites are told apart. */
export function DeviceSelect({
  devices,
  value,
  onChange,
  width = 280,
  required,
  error,
}: {
  devices: Device[] | undefined;
  value: string;
  onChange(id: string): void;
  /** Pixels, or 'auto' to fill the column it sits in. */
  width?: number | 'auto';
  required?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('rating:fields.device')}
      placeholder={t('rating:pickDevice')}
      w={width === 'auto' ? undefined : width}
      searchable
      required={required}
      error={error}
      nothingFoundMessage={t('rating:noDevices')}
      data={(devices ?? []).map((d) => ({ value: String(d.id), label: `${d.name} (+${d.countryCode} ${d.areaCode})` }))}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      allowDeselect={false}
    />
  );
}
