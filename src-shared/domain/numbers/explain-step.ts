/**
 * One step of a "why this price" explanation. `key` names a message in the `explain` i18n namespace (both locale
 * files carry every key); `params` fill its `{{placeholders}}`. Steps are data, so the same explanation can be stored
 * with a CDR and shown later in the clerk's language.
 */
export interface ExplainStep {
  key: string;
  params: Record<string, string | number>;
}

export function explainStep(key: string, params: Record<string, string | number> = {}): ExplainStep {
  return { key, params };
}
