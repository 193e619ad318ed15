import type { DomainHandlers } from '../api/dispatcher';
import type { Services } from '../services';
import { updateSettings } from './update';
import { settingsView } from './view';

export function settingsHandlers(s: Services): DomainHandlers<'settings'> {
  return {
    'settings.get': () => settingsView(s),
    'settings.update': (input, ctx) => updateSettings(s, input, ctx),
  };
}
