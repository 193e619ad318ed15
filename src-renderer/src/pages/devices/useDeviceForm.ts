import { useTranslation } from 'react-i18next';
import { deviceCreateInput } from '../../../../src-shared/api/devices';
import { useFlatContractForm } from '../../hooks/useFlatContractForm';
import { deviceFieldOf, deviceFormValues, deviceInputOf } from './deviceFormModel';

// Every device form has every key (deviceFormValues fills them all), so one set names the fields.
const FIELDS = deviceFormValues(null, 'UTC');

/** The device form, checked with the contract's device input; fields named by their paths ("sftp.host"). */
export function useDeviceForm(timeZone: string) {
  const { t } = useTranslation();
  return useFlatContractForm({
    initialValues: deviceFormValues(null, timeZone),
    schema: deviceCreateInput,
    toInput: deviceInputOf,
    fieldOf: deviceFieldOf(FIELDS),
    // The contract keeps moveTo optional; moving files needs the folder to move them to.
    extraChecks: (v) => ({
      'sftp.moveTo': v['sftpEnabled'] === true && v['sftp.afterFetch'] === 'move' && !String(v['sftp.moveTo'] ?? '').trim() ? t('devices:form.required') : undefined,
    }),
  });
}

export type DeviceForm = ReturnType<typeof useDeviceForm>;
