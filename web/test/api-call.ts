import type { Page } from "playwright-core";

/** A Connect JSON call from the page, with its cookie session and CSRF echo, as the app's own calls go. */
export async function callApi<T = Record<string, unknown>>(page: Page, method: string, body: object): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, body }) => {
      const csrf = /kino_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      const response = await fetch(`/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-kino-csrf": csrf },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    { method, body },
  );
}
