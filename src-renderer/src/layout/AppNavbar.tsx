import { AppShell, NavLink, ScrollArea, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import type { Role } from '../../../src-shared/api/contract';
import { navigationFor } from '../routes';

/** The navigation groups of UI.md's page map, limited to what the role may open; items are plain links. */
export function AppNavbar({ role, onNavigate }: { role: Role; onNavigate(): void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <AppShell.Navbar aria-label={t('nav:label')} component="nav">
      <AppShell.Section grow component={ScrollArea} px="xs" py="xs">
        {navigationFor(role).map((group) => (
          // A labelled group, so "Enterprises" under Statistics and under Accounts can be told apart.
          <div key={group.key} role="group" aria-label={group.label ? t(group.label) : undefined}>
            {group.label && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} aria-hidden>
                {t(group.label)}
              </Text>
            )}
            {group.pages.map((entry) => {
              const active = pathname === entry.path || pathname.startsWith(`${entry.path}/`);
              return (
                <NavLink
                  key={entry.path}
                  component={Link}
                  to={entry.path}
                  label={t(entry.label)}
                  leftSection={<entry.icon size={16} stroke={1.6} aria-hidden />}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={onNavigate}
                  py={6}
                />
              );
            })}
          </div>
        ))}
      </AppShell.Section>
    </AppShell.Navbar>
  );
}
