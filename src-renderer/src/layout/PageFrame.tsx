import { Alert, Box, Button, Center, Code, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Component, Fragment, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useLocation, useRouteError } from 'react-router-dom';

/**
 * What a clerk sees when a page fails while drawing itself: the shell (header, navbar) stays, the page's place says
 * in the clerk's language that this page stopped, offers to try again, and keeps the technical detail folded away
 * for support (it is also written to the console). Without this a single bad value replaced the whole window with
 * the router's developer page, and only a reload recovered.
 */
export function PageCrash({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  // A page whose code could not be downloaded (an update replaced the files, the server went away) will not load
  // on a second try from the same document: React keeps the failed import. Reloading fetches it afresh.
  const chunkMissing = isChunkLoadError(error);
  return (
    <Alert
      variant="light"
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={chunkMissing ? t('shell:pageError.chunkTitle') : t('shell:pageError.title')}
      role="alert"
      data-testid="page-error"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{chunkMissing ? t('shell:pageError.chunkBody') : t('shell:pageError.body')}</Text>
        <Group gap="xs">
          <Button size="xs" onClick={chunkMissing ? () => window.location.reload() : onRetry}>
            {t('shell:pageError.retry')}
          </Button>
        </Group>
        <Box component="details" w="100%">
          <Text component="summary" size="xs" c="dimmed" style={{ cursor: 'pointer' }}>
            {t('shell:pageError.technicalDetail')}
          </Text>
          <Code block mt={4} fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {technicalDetail(error)}
          </Code>
        </Box>
      </Stack>
    </Alert>
  );
}

export function technicalDetail(error: unknown): string {
  if (isRouteErrorResponse(error)) return `${error.status} ${error.statusText}\n${JSON.stringify(error.data)}`;
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`.trim();
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

function isChunkLoadError(error: unknown): boolean {
  return error instanceof Error && /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(error.message);
}

interface BoundaryProps {
  /** The page is tried again when this changes (the clerk navigated), so a fault stays on the page it happened on. */
  resetKey: string;
  children: ReactNode;
}

interface BoundaryState {
  error: unknown;
  failed: boolean;
  /** Bumped by "Try again": the page is mounted afresh, with the state that crashed it gone. */
  attempt: number;
}

export class PageErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, failed: false, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Page failed while rendering', error, info.componentStack);
  }

  override componentDidUpdate(previous: BoundaryProps): void {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.retry();
  }

  retry = (): void => {
    this.setState((state) => ({ error: undefined, failed: false, attempt: state.attempt + 1 }));
  };

  override render(): ReactNode {
    if (this.state.failed) return <PageCrash error={this.state.error} onRetry={this.retry} />;
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}

/** One page inside the shell: its own error boundary, reset when the clerk goes to another view. */
export function PageFrame({ children }: { children: ReactNode }) {
  const location = useLocation();
  return <PageErrorBoundary resetKey={location.pathname}>{children}</PageErrorBoundary>;
}

/**
 * The route's own error element (react-router), for what the page boundary does not see (e.g. the route itself).
 * Inside the shell it takes the page's place; "Try again" asks the router to draw the view again.
 */
export function RouteErrorPage() {
  const error = useRouteError();
  useEffect(() => {
    console.error('Route failed', error);
  }, [error]);
  return <PageCrash error={error} onRetry={() => window.location.reload()} />;
}

/** Outside the shell (the shell itself failed): the same message on an empty window. */
export function AppErrorPage() {
  return (
    <Center mih="100vh" p="md">
      <Box maw={640} w="100%">
        <RouteErrorPage />
      </Box>
    </Center>
  );
}

/**
 * Held in the page's place while its code downloads. Nothing shows for the first 300 ms (a quick load would only
 * flash a spinner); then a spinner in a block as tall as a page's header and first rows, so the page does not jump.
 */
export function PageLoading() {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), 300);
    return () => clearTimeout(timer);
  }, []);
  return (
    <Center mih={240} aria-busy="true" aria-label={t('common:loading')}>
      {visible && <Loader size="sm" />}
    </Center>
  );
}
