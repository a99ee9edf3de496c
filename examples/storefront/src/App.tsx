/**
 * The page frame: a header with the catalog, My orders and the session, and
 * the page of the current route. Each signed-in user (or none) gets its own
 * client with a fresh cache, since answers such as `related` and `me` depend
 * on who asks; a token refresh keeps it.
 */
import { useEffect, useState } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { Provider } from 'urql';
import { createUrqlClient } from './client';
import { CatalogPage } from './pages/CatalogPage';
import { CoursePage } from './pages/CoursePage';
import { OrdersPage } from './pages/OrdersPage';
import { SignInPage } from './pages/SignInPage';
import { navigate, signInHref, useRoute } from './router';
import { signOut } from './session';
import { useSession } from './use-session';

export function App() {
  const session = useSession();
  // A new user starts from scratch: an empty cache, and no purchase or form state of the one before.
  return <Storefront key={session?.user.id ?? 'anonymous'} />;
}

function Storefront() {
  const route = useRoute();
  const session = useSession();
  const [client] = useState(createUrqlClient);
  return (
    <Provider value={client}>
      <header>
        <a className="brand" href="#/">
          coursegraph
        </a>
        <nav>
          <a href="#/">Catalog</a>
          <a href="#/orders">My orders</a>
          {session ? (
            <>
              <span data-testid="signed-in-as">{session.user.displayName}</span>
              <button className="link" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <a href={route.page === 'signin' ? signInHref(route.next) : signInHref(window.location.hash || '#/')} data-testid="signin-link">
              Sign in
            </a>
          )}
        </nav>
      </header>
      <main>
        {/* A page that throws shows a note instead of a blank window, and the next route renders again. */}
        <ErrorBoundary FallbackComponent={PageFailed} resetKeys={[window.location.hash]}>
          {route.page === 'course' && <CoursePage courseId={route.courseId} />}
          {route.page === 'orders' && <OrdersPage />}
          {route.page === 'signin' && (session ? <AlreadySignedIn next={route.next} /> : <SignInPage />)}
          {route.page === 'catalog' && <CatalogPage params={route.params} />}
        </ErrorBoundary>
      </main>
    </Provider>
  );
}

function PageFailed() {
  return (
    <p className="error" role="alert" data-testid="page-failed">
      This page could not be shown. <a href="#/">Back to the catalog</a>
    </p>
  );
}

/** The sign-in page of a signed-in user: on to where they were going. */
function AlreadySignedIn({ next }: { next: string }) {
  useEffect(() => navigate(next, { replace: true }), [next]);
  return null;
}
