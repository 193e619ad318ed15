import type { DomainHandlers } from '../api/call-context';
import { updateSettings, type SettingsUpdateDeps } from './update';
import { settingsView } from './view';

export function settingsHandlers(s: SettingsUpdateDeps): DomainHandlers<'settings'> {
  return {
    'settings.get': () => settingsView(s),
    'settings.update': (input, ctx) => updateSettings(s, input, ctx),
  };
}
