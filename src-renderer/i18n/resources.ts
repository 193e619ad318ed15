/**
 * Every translation file, found at build time: `locales/<language>/<namespace>.json`. An area adds its namespace by
 * adding the two files (en and zh-CN); nothing here needs to change.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Messages = { [key: string]: string | Messages };
export type Resources = Record<string, Record<string, Messages>>;

const files = import.meta.glob<Messages>('./locales/*/*.json', { eager: true, import: 'default' });

function collect(): Resources {
  const resources: Resources = {};
  for (const [path, messages] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, language, namespace] = match as unknown as [string, string, string];
    (resources[language] ??= {})[namespace] = messages;
  }
  return resources;
}

export const resources = collect();
export const namespaces = [...new Set(Object.values(resources).flatMap((byNamespace) => Object.keys(byNamespace)))].sort();
