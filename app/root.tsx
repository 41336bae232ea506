import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { FocusKeeper } from '~/components/focus';
import { useNonce } from '~/nonce';
import { getUser } from '~/session.server';
import stylesHref from '~/styles/app.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.ico', sizes: '16x16' },
];

export const meta: MetaFunction = () => [{ title: 'Stride' }, { name: 'description', content: 'Study CNN architectures with spaced repetition and generated, model-checked questions.' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return { user: user ? { id: user.id, displayName: user.displayName, role: user.role } : null };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {/* The first Tab stop: past the header and its links, straight to the page's content. */}
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <a className="brand" href="/">
            Stride
          </a>
          <nav aria-label="Main">
            <NavLink to="/review">Review</NavLink>
            <NavLink to="/cards">Cards</NavLink>
            <NavLink to="/quiz">Quiz</NavLink>
            <NavLink to="/exams">Exams</NavLink>
            <NavLink to="/stats">Statistics</NavLink>
            <NavLink to="/explore">Explore</NavLink>
            <NavLink to="/workbench">Workbench</NavLink>
            <NavLink to="/banks">Banks</NavLink>
            <NavLink to="/classes">Classes</NavLink>
            <NavLink to="/subscriptions">What I study</NavLink>
            <NavLink to="/settings">Settings</NavLink>
          </nav>
          <Account />
        </header>
        {/* tabIndex -1: the skip link's target takes the focus, so the next Tab starts inside the page. */}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <FocusKeeper />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Account() {
  const root = useRouteLoaderData<typeof loader>('root');
  const user = root?.user;
  if (!user)
    return (
      <span className="account">
        <Link to="/login">Log in</Link> · <Link to="/signup">Sign up</Link>
      </span>
    );
  return (
    <Form method="post" action="/logout" className="account">
      <span>
        {user.displayName} ({user.role})
      </span>{' '}
      <button type="submit" className="secondary">
        Log out
      </button>
    </Form>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    return (
      <section className="error" role="alert">
        <h1>
          {error.status} {error.statusText}
        </h1>
        <p>{typeof error.data === 'string' ? error.data : 'Something was wrong with that request.'}</p>
      </section>
    );
  }
  return (
    <section className="error" role="alert">
      <h1>Something went wrong</h1>
      <p>The error has been logged. Try again, or go back to the dashboard.</p>
    </section>
  );
}
