import { useQuery } from "@connectrpc/connect-query";
import { CatalogService } from "@kino/proto/catalog/v1";
import { useEffect } from "react";

/**
 * The video's captions as native text tracks, so the video element's own
 * captions menu lists them (hls.js's light build, which keeps the watch page
 * in budget, reads no subtitle groups). Each file sits beside the master
 * playlist, so the URL inherits its playback token.
 */
export function useCaptionTracks(videoId: string, hlsUrl: string, element: HTMLVideoElement | undefined): void {
  const captions = useQuery(CatalogService.method.listCaptions, { videoId }, { retry: false });
  const list = captions.data?.captions;
  useEffect(() => {
    if (!element || !list || list.length === 0) return;
    const tracks = list.map((caption) => {
      const track = document.createElement("track");
      track.kind = "subtitles";
      track.srclang = caption.language;
      track.label = caption.label;
      track.src = new URL(`captions/${encodeURIComponent(caption.language)}.vtt?v=${caption.version}`, new URL(hlsUrl, location.href)).toString();
      element.appendChild(track);
      return track;
    });
    return () => tracks.forEach((track) => track.remove());
  }, [element, hlsUrl, list]);
}
