import { createPrivateKey, X509Certificate } from 'node:crypto';
import os from 'node:os';
import { generate } from 'selfsigned';
import type { CertificateInfo } from '../../src-shared/api/settings';
import type { SecretBox } from '../secrets';
import type { Section } from './service';

/** Days a generated certificate is valid: 825, the longest that browsers accept for a server certificate. */
const SELF_SIGNED_DAYS = 825;

export function certificateInfo(pem: string): CertificateInfo {
  const cert = new X509Certificate(pem);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    subjectAltName: cert.subjectAltName ?? '',
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprint256: cert.fingerprint256,
    selfSigned: cert.checkIssued(cert),
  };
}

/**
 * Checks an uploaded certificate and key: both parse, they belong together, the certificate is in its validity period.
 * Returns field errors (empty when fine).
 */
export function checkUploadedCertificate(certificate: string, privateKey: string, now: number): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  let cert: X509Certificate | undefined;
  try {
    cert = new X509Certificate(certificate);
  } catch (err) {
    fields['http.tls.certificate'] = [`is not a readable PEM certificate (${(err as Error).message})`];
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch (err) {
    const encrypted = /ENCRYPTED/.test(privateKey);
    fields['http.tls.privateKey'] = [
      encrypted
        ? 'is encrypted with a passphrase; upload the key without one'
        : `is not a readable PEM private key (${(err as Error).message})`,
    ];
  }
  if (cert && key && !cert.checkPrivateKey(key)) {
    fields['http.tls.privateKey'] = ['does not belong to the certificate (their public keys differ)'];
  }
  if (cert) {
    if (Date.parse(cert.validTo) <= now) fields['http.tls.certificate'] = [`expired on ${new Date(cert.validTo).toISOString()}`];
    else if (Date.parse(cert.validFrom) > now) {
      fields['http.tls.certificate'] = [`is not valid before ${new Date(cert.validFrom).toISOString()}`];
    }
  }
  return fields;
}

/** The names and addresses a browser may use to reach this computer. */
function localNames(extraHost?: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost', os.hostname()]);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) ips.add(a.address.split('%')[0]!);
  }
  if (extraHost && extraHost !== '0.0.0.0' && extraHost !== '::') ips.add(extraHost);
  return { dns: [...dns].filter(Boolean), ips: [...ips] };
}

/** A self-signed certificate (EC P-256, SHA-256) for this computer's host name and addresses. */
export async function generateSelfSignedCertificate(
  now: number,
  host?: string,
): Promise<{ certificate: string; privateKey: string }> {
  const names = localNames(host);
  const result = await generate([{ name: 'commonName', value: names.dns[1] ?? 'localhost' }, { name: 'organizationName', value: 'Billing Workstation' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + SELF_SIGNED_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names.dns.map((value) => ({ type: 2 as const, value })), ...names.ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { certificate: result.cert, privateKey: result.private };
}

/** The certificate and key the web server uses, from the stored settings (the key is unsealed here). */
export function tlsOptionsFrom(
  section: Section<'http'>['tls'],
  secrets: SecretBox,
): { cert: string; key: string } | undefined {
  if (!section.enabled) return undefined;
  if (!section.certificate || !section.privateKeySealed) {
    throw new Error('TLS is on but no certificate and key are stored; upload them or generate a self-signed certificate');
  }
  return { cert: section.certificate, key: secrets.open(section.privateKeySealed) };
}
