// Secret-looking fields are masked in the operation log; flags about them (hasPassword, mustChangePassword) are not.
const SECRET_KEY = /^(?!has|must).*(password|passphrase|secret|token|privatekey)$|^(pin|content)$/i;

/** Copies a value with secret-looking fields replaced, for logs. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? (v === undefined || v === null || v === '' ? v : '***') : redact(v, depth + 1);
  }
  return out;
}
