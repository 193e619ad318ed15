import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CallType } from '../../../../../src-shared/domain/numbers/classify-call';

export const CALL_TYPE_COLORS: Record<CallType, string> = {
  internal: 'gray',
  local: 'green',
  domestic: 'blue',
  international: 'grape',
  special: 'orange',
  unknown: 'red',
};

export function CallTypeBadge({ callType, size = 'md' }: { callType: CallType; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={CALL_TYPE_COLORS[callType]} size={size} miw="max-content">
      {t(`rating:callTypes.${callType}`)}
    </Badge>
  );
}
