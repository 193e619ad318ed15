import { Alert, Anchor, Badge, Button, Code, Collapse, FileButton, Group, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconCertificate, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsUpdateInput, type SettingsView } from '../../../../../src-shared/api/settings';
import { useFormatters } from '../../../hooks/useFormatters';
import { useFlatContractForm } from '../../../hooks/useFlatContractForm';
import { saveSettings } from './saveSettings';

const FIELDS = { 'http.remoteAccess': false, 'http.host': '', 'http.port': '', 'http.tls.enabled': false };
const UPLOAD = { 'http.tls.certificate': '', 'http.tls.privateKey': '' };
const portOf = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** The embedded web server: who can reach it (this computer or the network), on which port, with or without TLS. */
export function WebServerSettings({ settings, onSaved }: { settings: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const form = useFlatContractForm({
    initialValues: FIELDS as Record<keyof typeof FIELDS, string | boolean>,
    schema: settingsUpdateInput,
    toInput: (v) => ({
      http: {
        remoteAccess: v['http.remoteAccess'] === true,
        host: String(v['http.host']),
        port: portOf(String(v['http.port'])),
        tls: { enabled: v['http.tls.enabled'] === true },
      },
    }),
    extraChecks: (v) => ({ 'http.port': Number.isNaN(portOf(String(v['http.port']))) ? t('settings:errors.port') : undefined }),
  });
  const upload = useFlatContractForm({
    initialValues: UPLOAD,
    schema: settingsUpdateInput,
    toInput: (v) => ({ http: { tls: { certificate: v['http.tls.certificate'], privateKey: v['http.tls.privateKey'] } } }),
  });
  const [uploadOpen, setUploadOpen] = useState(false);
  const [busy, setBusy] = useState<'save' | 'generate' | 'upload' | null>(null);
  const http = settings.http;
  const cert = http.tls.certificate;

  useEffect(() => {
    form.load({
      'http.remoteAccess': http.remoteAccess,
      'http.host': http.host,
      'http.port': String(http.port),
      'http.tls.enabled': http.tls.enabled,
    });
  }, [settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check()) return;
    setBusy('save');
    const result = await saveSettings(form.input(), form.applyApiError, t);
    setBusy(null);
    if (result) onSaved();
  };

  const generate = async () => {
    setBusy('generate');
    const result = await saveSettings({ http: { tls: { generateSelfSigned: true } } }, form.applyApiError, t);
    setBusy(null);
    if (result) onSaved();
  };

  const submitUpload = async (event: FormEvent) => {
    event.preventDefault();
    if (!upload.check()) return;
    setBusy('upload');
    const result = await saveSettings(upload.input(), upload.applyApiError, t);
    setBusy(null);
    if (result) {
      upload.load(UPLOAD);
      setUploadOpen(false);
      onSaved();
    }
  };

  const readInto = (name: keyof typeof UPLOAD) => async (file: File | null) => {
    if (file) upload.setValue(name, await file.text());
  };

  return (
    <Stack gap="lg" maw={760}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('settings:http.description')}
          </Text>
          {http.active && (
            <Text size="sm">
              {t('settings:http.active')} <Anchor href={`${http.active.url}/`}>{http.active.url}</Anchor>
            </Text>
          )}
          {(http.startOverrides.host !== undefined || http.startOverrides.port !== undefined) && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('settings:http.startOverrides', {
                options: [
                  ...(http.startOverrides.host !== undefined ? [`--http-host ${http.startOverrides.host}`] : []),
                  ...(http.startOverrides.port !== undefined ? [`--http-port ${http.startOverrides.port}`] : []),
                ].join(' '),
              })}
            </Alert>
          )}
          <Switch
            label={t('settings:http.remoteAccess')}
            description={t('settings:http.remoteAccessHint')}
            {...form.checkbox('http.remoteAccess')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('settings:http.host')}
              description={t('settings:http.hostHint')}
              disabled={!form.values['http.remoteAccess']}
              {...form.text('http.host')}
            />
            <TextInput label={t('settings:http.port')} inputMode="numeric" {...form.text('http.port')} />
          </SimpleGrid>
          <Switch
            label={t('settings:http.tls')}
            description={cert ? t('settings:http.tlsHint') : t('settings:http.tlsNeedsCertificate')}
            {...form.checkbox('http.tls.enabled')}
          />
          {form.values['http.remoteAccess'] && !form.values['http.tls.enabled'] && (
            <Alert color="yellow" variant="light">
              {t('settings:http.plainRemoteWarning')}
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            {t('settings:http.moveHint')}
          </Text>
          <Group>
            <Button type="submit" loading={busy === 'save'}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>

      <Stack gap="sm">
        <Title order={4} fz="h5">
          {t('settings:http.certificate')}
        </Title>
        {cert ? (
          <Table withRowBorders={false} verticalSpacing={4} fz="sm">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={180}>{t('settings:certificate.source')}</Table.Th>
                <Table.Td>
                  <Badge variant="light" color={http.tls.source === 'selfSigned' ? 'orange' : 'green'}>
                    {t(`settings:certificate.sources.${http.tls.source}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings:certificate.subject')}</Table.Th>
                <Table.Td>{cert.subject}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings:certificate.names')}</Table.Th>
                <Table.Td>{cert.subjectAltName}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings:certificate.validTo')}</Table.Th>
                <Table.Td>{f.dateTime(cert.validTo, true)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings:certificate.fingerprint')}</Table.Th>
                <Table.Td>
                  <Code>{cert.fingerprint256}</Code>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            {t('settings:certificate.none')}
          </Text>
        )}
        <Group>
          <Button variant="default" leftSection={<IconCertificate size={16} />} loading={busy === 'generate'} onClick={() => void generate()}>
            {t('settings:certificate.generate')}
          </Button>
          <Button variant="default" onClick={() => setUploadOpen((o) => !o)}>
            {t('settings:certificate.upload')}
          </Button>
        </Group>
        <Collapse expanded={uploadOpen}>
          <form onSubmit={submitUpload} noValidate>
            <Stack gap="sm">
              <Textarea
                label={t('settings:certificate.certificatePem')}
                description={t('settings:certificate.certificatePemHint')}
                autosize
                minRows={3}
                maxRows={8}
                ff="monospace"
                {...upload.text('http.tls.certificate', { count: false })}
              />
              <FileButton onChange={(file) => void readInto('http.tls.certificate')(file)} accept=".pem,.crt,.cer">
                {(props) => (
                  <Button size="xs" variant="subtle" {...props}>
                    {t('settings:certificate.readFile')}
                  </Button>
                )}
              </FileButton>
              <Textarea
                label={t('settings:certificate.privateKeyPem')}
                description={t('settings:certificate.privateKeyPemHint')}
                autosize
                minRows={3}
                maxRows={8}
                ff="monospace"
                {...upload.text('http.tls.privateKey', { count: false })}
              />
              <FileButton onChange={(file) => void readInto('http.tls.privateKey')(file)} accept=".pem,.key">
                {(props) => (
                  <Button size="xs" variant="subtle" {...props}>
                    {t('settings:certificate.readFile')}
                  </Button>
                )}
              </FileButton>
              <Group>
                <Button type="submit" loading={busy === 'upload'}>
                  {t('settings:certificate.uploadSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Collapse>
      </Stack>
    </Stack>
  );
}
