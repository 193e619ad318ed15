import type { ReactNode } from 'react';
import { createHashRouter, Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '../../src-shared/api/contract';
import { AppLayout } from './layout/AppLayout';
import { AppErrorPage, PageFrame, RouteErrorPage } from './layout/PageFrame';
import { ForcedPasswordChangePage } from './pages/auth/ForcedPasswordChangePage';
import { LoginPage, type LoginRedirectState } from './pages/auth/LoginPage';
import { ForbiddenPage, FullScreenLoader, NotFoundPage, UnreachablePage } from './pages/StatusPages';
import { allPages, homePathFor } from './routes';
import { useSession } from './session/SessionProvider';

/**
 * Everything but the login page needs a session; an account that must change its password sees only that screen
 * (the server refuses everything else meanwhile).
 */
function SessionGate() {
  const session = useSession();
  const location = useLocation();
  const { state } = session;
  if (state.status === 'loading') return <FullScreenLoader />;
  if (state.status === 'unreachable') return <UnreachablePage error={state.error} onRetry={() => void session.refresh()} />;
  if (state.status === 'anonymous') {
    // After an expiry come back to the same view; after a deliberate logout start afresh (maybe as someone else).
    const redirect: LoginRedirectState =
      state.endReason === 'logged_out' ? {} : { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={redirect} />;
  }
  if (state.user.mustChangePassword) return <ForcedPasswordChangePage />;
  return <Outlet />;
}

function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useSession();
  return user && roles.includes(user.role) ? <>{children}</> : <ForbiddenPage />;
}

function Home() {
  const { user } = useSession();
  return <Navigate to={user ? homePathFor(user.role) : '/login'} replace />;
}

// A hash router: the desktop window loads index.html from file://, where path URLs cannot be served.
// Error elements at two levels: a page's fault is shown in the page's place with the shell kept (PageFrame, and the
// route's errorElement for what happens outside the page's own rendering); a fault of the shell itself or of the
// login screen still ends on a translated message with its detail folded, never the router's developer page.
export const router = createHashRouter([
  { path: '/login', element: <LoginPage />, errorElement: <AppErrorPage /> },
  {
    element: <SessionGate />,
    errorElement: <AppErrorPage />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Home /> },
          ...allPages.map((entry) => ({
            path: entry.path,
            element: (
              <RequireRole roles={entry.roles}>
                <PageFrame>{entry.element}</PageFrame>
              </RequireRole>
            ),
            errorElement: <RouteErrorPage />,
          })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
