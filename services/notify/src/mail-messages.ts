import type { EmailKindName } from "./schema.ts";

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// Reasons come from ffmpeg and URLs from users: never markup.
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}

function page(paragraphs: string[]): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.map((p) => `<p>${p}</p>`).join("")}</body></html>`;
}

// The title when the event carried one (titles may be empty), and the id either way.
function videoName(data: Record<string, string>): string {
  return data.title ? `"${data.title}" (${data.videoId ?? ""})` : (data.videoId ?? "");
}

/** The mail for one queued notification, in text and HTML. */
export function mailContent(kind: EmailKindName, data: Record<string, string>, displayName: string): MailContent {
  const greeting = `Hello ${displayName || "there"},`;
  const footer = "You can turn these emails off in your notification preferences.";
  switch (kind) {
    case "video_ready": {
      const line = `Your video ${videoName(data)} has been processed and is ready to play.`;
      return {
        subject: "Your video is ready",
        text: `${greeting}\n\n${line}\n\n${footer}\n`,
        html: page([escapeHtml(greeting), escapeHtml(line), escapeHtml(footer)]),
      };
    }
    case "video_failed": {
      const reason = data.reason || "no reason was given";
      const line = `Your video ${videoName(data)} could not be processed.`;
      return {
        subject: "Your video could not be processed",
        text: `${greeting}\n\n${line}\nReason: ${reason}\n\n${footer}\n`,
        html: page([escapeHtml(greeting), escapeHtml(line), `Reason: <strong>${escapeHtml(reason)}</strong>`, escapeHtml(footer)]),
      };
    }
    case "endpoint_disabled": {
      const line = `Kino disabled your webhook endpoint ${data.url ?? ""}: ${data.reason ?? "its deliveries failed"}.`;
      const last = `The last attempt: ${data.lastError || "no answer"}.`;
      const next = `Fix the receiver, then enable the endpoint again (EnableWebhookEndpoint) and redeliver what it missed. Endpoint id: ${data.endpointId ?? ""}.`;
      return {
        subject: "Your webhook endpoint was disabled",
        text: `${greeting}\n\n${line}\n${last}\n\n${next}\n`,
        html: page([escapeHtml(greeting), escapeHtml(line), escapeHtml(last), escapeHtml(next)]),
      };
    }
  }
}
