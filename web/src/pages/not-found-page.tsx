import { Link } from "../router/link.tsx";
import { Page } from "../ui/page.tsx";

export function NotFoundPage({ what = "page" }: { what?: string }) {
  return (
    <Page title="Not found">
      <p>This {what} does not exist, or you may not see it.</p>
      <p>
        <Link to="/library">Go to your library</Link>
      </p>
    </Page>
  );
}
