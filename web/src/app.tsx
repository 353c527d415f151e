import { TransportProvider } from "@connectrpc/connect-query";
import { Role } from "@kino/proto/auth/v1";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { transport } from "./api/transport.ts";
import { ResetPasswordPage } from "./pages/auth/reset-password-page.tsx";
import { SignInPage } from "./pages/auth/sign-in-page.tsx";
import { SignUpPage } from "./pages/auth/sign-up-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { useLocation } from "./router/history.ts";
import { matchRoute, type Route } from "./router/routes.ts";
import { RequireSignIn } from "./session/session.tsx";
import { Header } from "./ui/header.tsx";

// Pages with heavy libraries (hls.js, tus, uPlot) load only when opened.
const WatchPage = lazy(() => import("./pages/watch/watch-page.tsx"));
// Lazy too, although it is the home page: its editors would otherwise weigh on every page, the watch page first.
const LibraryPage = lazy(() => import("./pages/library/library-page.tsx").then((module) => ({ default: module.LibraryPage })));
const UploadPage = lazy(() => import("./pages/upload/upload-page.tsx"));
const SettingsPage = lazy(() => import("./pages/settings/settings-page.tsx"));
const AnalyticsPage = lazy(() => import("./pages/analytics/analytics-page.tsx"));
const SearchPage = lazy(() => import("./pages/search/search-page.tsx"));
const NotificationsPage = lazy(() => import("./pages/notifications/notifications-page.tsx"));
const AdminPage = lazy(() => import("./pages/admin/admin-page.tsx"));
const ChannelPage = lazy(() => import("./pages/channel/channel-page.tsx"));

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
});

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case "sign-in":
      return <SignInPage />;
    case "sign-up":
      return <SignUpPage />;
    case "reset-password":
      return <ResetPasswordPage />;
    case "watch":
      // Anyone may watch what they are allowed to see; signing in is not required.
      return <WatchPage key={route.videoId} videoId={route.videoId} />;
    case "library":
      return <RequireSignIn>{(account) => <LibraryPage account={account} />}</RequireSignIn>;
    case "upload":
      return <RequireSignIn>{(account) => <UploadPage account={account} />}</RequireSignIn>;
    case "settings":
      return <RequireSignIn>{(account) => <SettingsPage account={account} />}</RequireSignIn>;
    case "analytics":
      return <RequireSignIn>{(account) => <AnalyticsPage account={account} videoId={route.videoId} />}</RequireSignIn>;
    case "search":
      return <SearchPage />;
    case "channel":
      return <ChannelPage key={route.ownerId} ownerId={route.ownerId} />;
    case "notifications":
      return <RequireSignIn>{() => <NotificationsPage />}</RequireSignIn>;
    case "admin":
      // Anyone else is told the page does not exist, as the API refuses them too.
      return <RequireSignIn>{(account) => (account.role === Role.ADMIN ? <AdminPage /> : <NotFoundPage />)}</RequireSignIn>;
    case "not-found":
      return <NotFoundPage />;
  }
}

export function App() {
  const location = useLocation();
  return (
    <TransportProvider transport={transport}>
      <QueryClientProvider client={queryClient}>
        <Header />
        <main id="main">
          <Suspense fallback={<p aria-live="polite">Loading…</p>}>
            <Screen route={matchRoute(location.path)} />
          </Suspense>
        </main>
      </QueryClientProvider>
    </TransportProvider>
  );
}
