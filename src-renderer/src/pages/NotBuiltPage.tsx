import { Alert } from '@mantine/core';
import { IconTools } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';

/** A planned area that this version does not have yet: said plainly, with no sample data standing in for it. */
export function NotBuiltPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(titleKey)} />
      <Alert variant="light" color="gray" icon={<IconTools size={18} />} title={t('common:notBuilt.title')}>
        {t('common:notBuilt.body')}
      </Alert>
    </>
  );
}
