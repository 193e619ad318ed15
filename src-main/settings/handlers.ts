import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import { updateSettings } from './update';
import { settingsView } from './view';

export function settingsHandlers(s: Services): DomainHandlers<'settings'> {
  return {
    'settings.get': () => settingsView(s),
    'settings.update': (input, ctx) => updateSettings(s, input, ctx),
  };
}
