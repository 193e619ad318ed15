import { ActionIcon, Alert, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attributionMethods, SPECIAL_NUMBER_CATEGORIES, type SpecialNumberExactEntry, type SpecialNumberPatternEntry } from '../../../../../src-shared/api/attribution';
import { call } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { describeError, notifySuccess } from '../../../hooks/notify';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { apiFieldProblems, contractProblems } from '../../../hooks/contractForm';
import { useContractMessages } from '../../../hooks/useContractForm';
import { useFormatters } from '../../../hooks/useFormatters';

type Pattern = Omit<SpecialNumberPatternEntry, 'minLength' | 'maxLength'> & { minLength: number | string; maxLength: number | string };

/** Numbers dialled without trunk prefix that are their own call type (emergency, carrier service, 95xxx, 400/800). */
export function SpecialNumbersTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const list = useApiQuery('specialNumbers.list', { countryCode: '86' });
  const [exact, setExact] = useState<SpecialNumberExactEntry[]>([]);
  const [patterns, setPatterns] = useState<Pattern[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const messages = useContractMessages();
  useEffect(() => {
    if (!list.data) return;
    setExact(list.data.exact);
    setPatterns(list.data.patterns);
  }, [list.data]);

  const categories = SPECIAL_NUMBER_CATEGORIES.map((c) => ({ value: c, label: t(`attribution:special.categories.${c}`) }));
  const save = async () => {
    const input = {
      countryCode: '86',
      exact,
      patterns: patterns.map((p) => ({ ...p, minLength: Number(p.minLength), maxLength: Number(p.maxLength) })),
    };
    // The contract's own check first: its paths ("exact.3.zh") are the cells'.
    const problems = contractProblems(attributionMethods['specialNumbers.update'].input, input, (path) => path.map(String).join('.') || null, messages.issue);
    setErrors(problems.other.length ? { ...problems.fields, list: problems.other.join('; ') } : problems.fields);
    if (Object.keys(problems.fields).length || problems.other.length) return;
    setBusy(true);
    setFailure(null);
    try {
      await call('specialNumbers.update', input);
      notifySuccess(t('attribution:special.saved'));
      list.reload();
    } catch (err) {
      const fields = apiFieldProblems(err, messages.problem);
      if (fields) setErrors(fields);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const failureText = failure ? describeError(failure, t) : null;
  const label = (en: string, zh: string) => (f.locale.startsWith('zh') ? zh || en : en || zh);

  return (
    <Stack gap="md">
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <Text size="sm" c="dimmed">
        {t('attribution:special.help')}
        {list.data?.updatedAt ? ` ${t('attribution:special.updated', { at: f.dateTime(list.data.updatedAt), by: list.data.updatedBy ?? '' })}` : ''}
      </Text>
      <Title order={3} fz="h5">
        {t('attribution:special.exactTitle')}
      </Title>
      <Table withTableBorder striped verticalSpacing={4} aria-label={t('attribution:special.exactTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={140}>{t('attribution:special.number')}</Table.Th>
            <Table.Th w={200}>{t('attribution:special.category')}</Table.Th>
            <Table.Th>{t('attribution:special.nameZh')}</Table.Th>
            <Table.Th>{t('attribution:special.nameEn')}</Table.Th>
            {canWrite && <Table.Th w={40} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {exact.map((e, i) =>
            canWrite ? (
              <Table.Tr key={i}>
                <Table.Td><TextInput size="xs" aria-label={t('attribution:special.number')} value={e.number} error={errors[`exact.${i}.number`]} onChange={(ev) => setExact(exact.map((x, n) => (n === i ? { ...x, number: ev.currentTarget.value } : x)))} /></Table.Td>
                <Table.Td><Select size="xs" data={categories} allowDeselect={false} value={e.category} onChange={(c) => setExact(exact.map((x, n) => (n === i ? { ...x, category: c as typeof x.category } : x)))} /></Table.Td>
                <Table.Td><TextInput size="xs" value={e.zh} error={errors[`exact.${i}.zh`]} onChange={(ev) => setExact(exact.map((x, n) => (n === i ? { ...x, zh: ev.currentTarget.value } : x)))} /></Table.Td>
                <Table.Td><TextInput size="xs" value={e.en} error={errors[`exact.${i}.en`]} onChange={(ev) => setExact(exact.map((x, n) => (n === i ? { ...x, en: ev.currentTarget.value } : x)))} /></Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={t('attribution:special.remove', { number: e.number })} onClick={() => setExact(exact.filter((_, n) => n !== i))}>
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={i}>
                <Table.Td ff="monospace">{e.number}</Table.Td>
                <Table.Td>{t(`attribution:special.categories.${e.category}`)}</Table.Td>
                <Table.Td>{e.zh}</Table.Td>
                <Table.Td>{label(e.en, '')}</Table.Td>
              </Table.Tr>
            ),
          )}
        </Table.Tbody>
      </Table>
      {canWrite && (
        <Group>
          <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setExact([...exact, { number: '', category: 'public-service', en: '', zh: '' }])}>
            {t('attribution:special.addExact')}
          </Button>
        </Group>
      )}
      <Title order={3} fz="h5">
        {t('attribution:special.patternsTitle')}
      </Title>
      <Table withTableBorder striped verticalSpacing={4} aria-label={t('attribution:special.patternsTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>{t('attribution:special.prefix')}</Table.Th>
            <Table.Th w={90}>{t('attribution:special.minLength')}</Table.Th>
            <Table.Th w={90}>{t('attribution:special.maxLength')}</Table.Th>
            <Table.Th w={200}>{t('attribution:special.category')}</Table.Th>
            <Table.Th>{t('attribution:special.nameZh')}</Table.Th>
            <Table.Th>{t('attribution:special.nameEn')}</Table.Th>
            {canWrite && <Table.Th w={40} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {patterns.map((p, i) => {
            const update = (patch: Partial<Pattern>) => setPatterns(patterns.map((x, n) => (n === i ? { ...x, ...patch } : x)));
            return canWrite ? (
              <Table.Tr key={i}>
                <Table.Td><TextInput size="xs" aria-label={t('attribution:special.prefix')} value={p.prefix} error={errors[`patterns.${i}.prefix`]} onChange={(ev) => update({ prefix: ev.currentTarget.value })} /></Table.Td>
                <Table.Td><NumberInput size="xs" min={1} allowDecimal={false} value={p.minLength} error={errors[`patterns.${i}.minLength`]} onChange={(v) => update({ minLength: v })} /></Table.Td>
                <Table.Td><NumberInput size="xs" min={1} allowDecimal={false} value={p.maxLength} error={errors[`patterns.${i}.maxLength`]} onChange={(v) => update({ maxLength: v })} /></Table.Td>
                <Table.Td><Select size="xs" data={categories} allowDeselect={false} value={p.category} onChange={(c) => update({ category: c as Pattern['category'] })} /></Table.Td>
                <Table.Td><TextInput size="xs" value={p.zh} error={errors[`patterns.${i}.zh`]} onChange={(ev) => update({ zh: ev.currentTarget.value })} /></Table.Td>
                <Table.Td><TextInput size="xs" value={p.en} error={errors[`patterns.${i}.en`]} onChange={(ev) => update({ en: ev.currentTarget.value })} /></Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={t('attribution:special.remove', { number: `${p.prefix}…` })} onClick={() => setPatterns(patterns.filter((_, n) => n !== i))}>
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={i}>
                <Table.Td ff="monospace">{p.prefix}…</Table.Td>
                <Table.Td>{p.minLength}</Table.Td>
                <Table.Td>{p.maxLength}</Table.Td>
                <Table.Td>{t(`attribution:special.categories.${p.category}`)}</Table.Td>
                <Table.Td>{p.zh}</Table.Td>
                <Table.Td>{p.en}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {Object.keys(errors).length > 0 && (
        <Alert color="red" variant="light" role="alert">
          {t('attribution:special.fixErrors')}
        </Alert>
      )}
      {failureText && (
        <Alert color="red" variant="light" title={failureText.title} role="alert">
          {failureText.message}
        </Alert>
      )}
      {canWrite && (
        <Group justify="space-between">
          <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setPatterns([...patterns, { prefix: '', minLength: 5, maxLength: 5, category: 'service-line', en: '', zh: '' }])}>
            {t('attribution:special.addPattern')}
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            {t('attribution:special.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
