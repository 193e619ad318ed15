/**
 * # Pages and navigation
 *
 * Every page of the app is one entry below: its URL, its navigation item (label, icon, group) and the roles that
 * may see it. The router (`router.tsx`) and the navbar (`layout/AppNavbar.tsx`) are both built from this list, so
 * a page never exists in one and not the other. Groups and their order follow the page map in UI.md.
 *
 * ## Adding a page (e.g. Devices → IPPBX devices)
 * 1. Write the page in `src/pages/<contract>/<Name>Page.tsx`, the folder named after the `src-shared/api/<contract>.ts`
 *    file whose methods it calls most (so a method's name leads to its page). Use the shared pieces:
 *    - `useUrlFilters({ ... })` for the list's filters (kept in the URL, so a view can be bookmarked);
 *    - `useKeysetPages('devices.list', { ...query, limit })` with `<PagedDataTable>` for server-side paged lists
 *      (or plain `DataTable` for short lists);
 *    - `useApiQuery('devices.get', { id })` for a record or a short, unpaged list (both cached by TanStack Query and
 *      refreshed by themselves after a change: a topic of the method in `api/invalidation.ts`);
 *    - `call('devices.update', input)` for a change (the views it changes refresh by themselves: api/invalidation.ts);
 *    - `<PageHeader>` (its `actions` hold the page's buttons), `<EmptyState>` (say what to do next), `<ErrorAlert>`;
 *    - `<FilterBar>`, `<DateRangeFilter>` (whole days in the chosen zone, presets), `<FilterTextInput>` (debounced);
 *    - `<ExportButton onExport={(format, language) => call('exports.cdrs', { ...query, format, timeZone, language })} />`
 *      for lists (the file in the screen language);
 *    - `useContractForm({ initialValues, schema, toInput })` (the contract's input schema: the engine's limits and
 *      messages before sending, lengths shown as the clerk types) + `form.applyApiError(err)` for the engine's;
 *    - `<ConfirmActionModal>` for destructive or money-moving actions (reason, amount in digits and words);
 *    - `<FormActions>` at the end of a form in a modal (failure alert, Cancel, submit);
 *    - `<EnterpriseSelect>` (and `UserSelect`) to pick an account by name or code, kept as its id;
 *    - `notifySuccess` / `notifyError`; `useFormatters()` for money, durations and times in the chosen zone,
 *      `<MoneyText amount="12.3400" />` for right-aligned amounts;
 *    - `usePermissions().canWrite` to hide write actions from auditors;
 * 2. Load it lazily, `const DevicesPage = lazyPage(() => import('./pages/devices/DevicesPage'), 'DevicesPage');`
 *    (a static import would put the page back into the first download), and give the entry below its page:
 *    `page('/devices/ippbx', ..., { element: <DevicesPage /> })` (or add an entry). The router wraps it in a
 *    Suspense and an error boundary of its own (layout/PageFrame.tsx).
 * 3. Add the area's texts as `src-renderer/i18n/locales/en/<namespace>.json` and `.../zh-CN/<namespace>.json`
 *    (same keys in both; `npx vitest run src-renderer/i18n` checks) and use them as `t('<namespace>:key')`.
 *    Files are picked up by themselves; nothing to register.
 * Detail pages that have no navigation item (e.g. `/devices/:id`) go in `detailRoutes`.
 */
import {
  IconArchive,
  IconArrowsExchange,
  IconBuildingSkyscraper,
  IconCalculator,
  IconCash,
  IconChartBar,
  IconCoin,
  IconDatabaseExport,
  IconFileAlert,
  IconFileImport,
  IconFileInvoice,
  IconGauge,
  IconHistory,
  IconHourglass,
  IconInfoCircle,
  IconList,
  IconLogin,
  IconMapPin,
  IconPhone,
  IconRoute,
  IconServer,
  IconSettings,
  IconUser,
  IconUserShield,
  type Icon,
} from '@tabler/icons-react';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactElement, type ReactNode } from 'react';
import { matchPath } from 'react-router-dom';
import { ADMIN, READ, READ_OWN, WRITE, type Role } from '../../src-shared/api/contract';

/**
 * Each page is its own chunk, fetched the first time it is opened: the first screen needs the shell and one page,
 * not the whole app (one 2 MB file took about 3 s to the login page). The router wraps every page in a Suspense
 * (layout/PageFrame.tsx) that holds the page's place while its chunk arrives.
 */
// `any` props: pages take different props (StatsPage its kind); each lazy page keeps its own props type.
function lazyPage<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  const component = lazy(() => load().then((module) => ({ default: module[name] })));
  pageLoaders.set(component, load);
  return component;
}

const pageLoaders = new Map<unknown, () => Promise<unknown>>();

/**
 * Starts downloading the page a path shows (no-op for a path of no page), so its code arrives while the session is
 * still being checked instead of after it: main.tsx calls it with the address the window opens on. The browser
 * keeps one copy of a module, so the page's own lazy load later finds it there.
 */
export function preloadPageFor(pathname: string): void {
  const entry = allPages.find((candidate) => matchPath(candidate.path, pathname));
  const element = entry?.element as ReactElement | undefined;
  const load = element ? pageLoaders.get(element.type) : undefined;
  // A failed download is the page's own to report (its error boundary), when it is opened.
  load?.().catch(() => undefined);
}

const EnterprisesPage = lazyPage(() => import('./pages/accounts/EnterprisesPage'), 'EnterprisesPage');
const ExtensionsPage = lazyPage(() => import('./pages/accounts/extensions/ExtensionsPage'), 'ExtensionsPage');
const GatewaysPage = lazyPage(() => import('./pages/accounts/GatewaysPage'), 'GatewaysPage');
const LedgerPage = lazyPage(() => import('./pages/accounts/LedgerPage'), 'LedgerPage');
const RechargesPage = lazyPage(() => import('./pages/accounts/RechargesPage'), 'RechargesPage');
const UsersPage = lazyPage(() => import('./pages/accounts/UsersPage'), 'UsersPage');
const ImportPage = lazyPage(() => import('./pages/ingest/ImportPage'), 'ImportPage');
const RecordsPage = lazyPage(() => import('./pages/cdrs/RecordsPage'), 'RecordsPage');
const RejectsPage = lazyPage(() => import('./pages/ingest/RejectsPage'), 'RejectsPage');
const UnratedPage = lazyPage(() => import('./pages/charging/UnratedPage'), 'UnratedPage');
const DevicesPage = lazyPage(() => import('./pages/devices/DevicesPage'), 'DevicesPage');
const AttributionPage = lazyPage(() => import('./pages/rating/attribution/AttributionPage'), 'AttributionPage');
const RateGroupsPage = lazyPage(() => import('./pages/rating/rates/RateGroupsPage'), 'RateGroupsPage');
const RatingTesterPage = lazyPage(() => import('./pages/rating/rating-tester/RatingTesterPage'), 'RatingTesterPage');
const RoutePrefixesPage = lazyPage(() => import('./pages/devices/route-prefixes/RoutePrefixesPage'), 'RoutePrefixesPage');
const BackupsPage = lazyPage(() => import('./pages/system/BackupsPage'), 'BackupsPage');
const LoginLogPage = lazyPage(() => import('./pages/system/LoginLogPage'), 'LoginLogPage');
const OperationLogPage = lazyPage(() => import('./pages/system/OperationLogPage'), 'OperationLogPage');
const SettingsPage = lazyPage(() => import('./pages/system/settings/SettingsPage'), 'SettingsPage');
const SystemAccountsPage = lazyPage(() => import('./pages/system/SystemAccountsPage'), 'SystemAccountsPage');
const SystemInfoPage = lazyPage(() => import('./pages/system/SystemInfoPage'), 'SystemInfoPage');
const ArchivesPage = lazyPage(() => import('./pages/system/ArchivesPage'), 'ArchivesPage');
const DashboardPage = lazyPage(() => import('./pages/statistics/dashboard/DashboardPage'), 'DashboardPage');
const EnterpriseDashboardPage = lazyPage(() => import('./pages/enterprise-logins/EnterpriseDashboardPage'), 'EnterpriseDashboardPage');
const BillsPage = lazyPage(() => import('./pages/bills/BillsPage'), 'BillsPage');
const BillStatementPage = lazyPage(() => import('./pages/bills/BillStatementPage'), 'BillStatementPage');
const StatsPage = lazyPage(() => import('./pages/statistics/StatsPage'), 'StatsPage');

/**
 * An enterprise's own login sees its pages only; READ_OWN pages are shared with staff, and the engine scopes every
 * call they make to the enterprise (src-main/auth/enterprise-scope.ts): hiding a page is convenience, not protection.
 */
const ENTERPRISE: readonly Role[] = ['enterprise'];

export interface PageEntry {
  /** The path inside the hash: `#/system/accounts`. */
  path: string;
  /** i18n key of the navigation label (short: it sits under its group's heading). */
  label: string;
  /** i18n key of the page's title where the label alone is ambiguous ("Enterprises" under Statistics). */
  title: string;
  icon: Icon;
  /** Who sees the item and may open the page (the server checks again on every call). */
  roles: readonly Role[];
  element: ReactNode;
}

export interface NavGroup {
  key: string;
  /** i18n key of the group heading; none for a group of one (Dashboard). */
  label?: string;
  pages: PageEntry[];
}

interface PageOptions {
  element: ReactNode;
  title?: string;
}

function page(path: string, label: string, icon: Icon, roles: readonly Role[], options: PageOptions): PageEntry {
  return { path, label, title: options.title ?? label, icon, roles, element: options.element };
}

export const navigation: NavGroup[] = [
  {
    key: 'dashboard',
    pages: [
      page('/dashboard', 'nav:dashboard', IconGauge, READ, { element: <DashboardPage /> }),
      // The enterprise role's home: its own balance, usage and alerts (the staff dashboard is about every enterprise).
      page('/my-enterprise', 'nav:dashboard', IconGauge, ENTERPRISE, { title: 'portal:dashboard.title', element: <EnterpriseDashboardPage /> }),
    ],
  },
  {
    key: 'cdr',
    label: 'nav:groups.cdr',
    pages: [
      page('/cdr/records', 'nav:cdrRecords', IconList, READ_OWN, { element: <RecordsPage /> }),
      // Importing writes CDRs: not for auditors.
      page('/cdr/import', 'nav:cdrImport', IconFileImport, WRITE, { element: <ImportPage /> }),
      page('/cdr/unrated', 'nav:cdrUnrated', IconHourglass, READ, { element: <UnratedPage /> }),
      page('/cdr/rejects', 'nav:cdrRejects', IconFileAlert, READ, { element: <RejectsPage /> }),
    ],
  },
  {
    key: 'statistics',
    label: 'nav:groups.statistics',
    pages: [
      page('/statistics/enterprises', 'nav:statsEnterprises', IconChartBar, READ, { title: 'nav:titles.statsEnterprises', element: <StatsPage kind="enterprise" key="enterprise" /> }),
      page('/statistics/users', 'nav:statsUsers', IconChartBar, READ_OWN, { title: 'nav:titles.statsUsers', element: <StatsPage kind="user" key="user" /> }),
      page('/statistics/gateways', 'nav:statsGateways', IconChartBar, READ_OWN, { title: 'nav:titles.statsGateways', element: <StatsPage kind="gateway" key="gateway" /> }),
      page('/statistics/bills', 'nav:bills', IconFileInvoice, READ_OWN, { element: <BillsPage /> }),
    ],
  },
  {
    key: 'accounts',
    label: 'nav:groups.accounts',
    pages: [
      page('/accounts/enterprises', 'nav:enterprises', IconBuildingSkyscraper, READ, { element: <EnterprisesPage /> }),
      page('/accounts/users', 'nav:userAccounts', IconUser, READ, { title: 'nav:titles.userAccounts', element: <UsersPage /> }),
      page('/accounts/gateways', 'nav:gateways', IconArrowsExchange, READ, { title: 'nav:titles.gateways', element: <GatewaysPage /> }),
      page('/accounts/recharges', 'nav:recharges', IconCash, READ_OWN, { element: <RechargesPage /> }),
    ],
  },
  {
    key: 'devices',
    label: 'nav:groups.devices',
    pages: [
      page('/devices/ippbx', 'nav:devices', IconServer, READ, { element: <DevicesPage /> }),
      page('/devices/extensions', 'nav:extensions', IconPhone, READ, { element: <ExtensionsPage /> }),
      page('/devices/route-prefixes', 'nav:routePrefixes', IconRoute, READ, { element: <RoutePrefixesPage /> }),
    ],
  },
  {
    key: 'billing',
    label: 'nav:groups.billing',
    pages: [
      page('/billing/rates', 'nav:rates', IconCoin, READ, { element: <RateGroupsPage /> }),
      page('/billing/attribution', 'nav:attribution', IconMapPin, READ, { element: <AttributionPage /> }),
      page('/billing/rating-tester', 'nav:ratingTester', IconCalculator, READ, { element: <RatingTesterPage /> }),
    ],
  },
  {
    key: 'system',
    label: 'nav:groups.system',
    pages: [
      page('/system/settings', 'nav:settings', IconSettings, ADMIN, { element: <SettingsPage /> }),
      page('/system/info', 'nav:systemInfo', IconInfoCircle, READ, { element: <SystemInfoPage /> }),
      page('/system/backups', 'nav:backups', IconDatabaseExport, ADMIN, { element: <BackupsPage /> }),
      // Auditors too: the archives are the evidence of what was billed once the CDRs are deleted.
      page('/system/archives', 'nav:archives', IconArchive, READ, { element: <ArchivesPage /> }),
      page('/system/accounts', 'nav:systemAccounts', IconUserShield, ADMIN, { element: <SystemAccountsPage /> }),
      page('/system/login-log', 'nav:loginLog', IconLogin, READ, { element: <LoginLogPage /> }),
      page('/system/operation-log', 'nav:operationLog', IconHistory, READ, { element: <OperationLogPage /> }),
    ],
  },
];

/** Pages reached from other pages (detail views), with the roles that may open them. */
export const detailRoutes: PageEntry[] = [
  page('/statistics/bills/:enterpriseId/:month', 'nav:bills', IconFileInvoice, READ_OWN, { element: <BillStatementPage /> }),
  page('/accounts/ledger/:accountId', 'nav:enterprises', IconBuildingSkyscraper, READ, { title: 'accounts:ledger.navTitle', element: <LedgerPage /> }),
];

export const allPages: PageEntry[] = [...navigation.flatMap((group) => group.pages), ...detailRoutes];

/** Where a role lands after login: the first page it may open. */
export function homePathFor(role: Role): string {
  return allPages.find((entry) => entry.roles.includes(role))?.path ?? '/dashboard';
}

/** The groups and items a role may see (empty groups disappear). */
export function navigationFor(role: Role): NavGroup[] {
  return navigation
    .map((group) => ({ ...group, pages: group.pages.filter((entry) => entry.roles.includes(role)) }))
    .filter((group) => group.pages.length > 0);
}
