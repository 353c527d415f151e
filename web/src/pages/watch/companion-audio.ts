import Hls from "hls.js";

/** How far the audio may drift from the picture before it is put back (seconds). */
const maxDriftSeconds = 0.15;

/**
 * Kino stores audio once, as its own rendition group, and the video rungs
 * carry none. hls.js's light build (the one the watch page's budget allows)
 * plays no alternate audio, so the group's default track plays in an audio
 * element of its own, through a second light instance, following the video:
 * play, pause, stalls, seeks, rate and volume, and re-aligned when it drifts.
 * Answers a function that stops it.
 */
export function followWithAudio(video: HTMLVideoElement, playlistUrl: string): () => void {
  const audio = document.createElement("audio");
  audio.preload = "auto";
  // Beside the video, so it lives and goes with the player (no controls: the video's drive it).
  video.after(audio);
  const hls = new Hls({ maxBufferLength: 30 });
  hls.loadSource(playlistUrl);
  hls.attachMedia(audio);

  const align = () => {
    if (Math.abs(audio.currentTime - video.currentTime) > maxDriftSeconds) audio.currentTime = video.currentTime;
  };
  const play = () => {
    if (video.paused || video.seeking) return;
    align();
    audio.play().catch(() => undefined);
  };
  const pause = () => audio.pause();
  const follow = () => {
    audio.volume = video.volume;
    audio.muted = video.muted;
    audio.playbackRate = video.playbackRate;
  };
  const drift = () => {
    if (!video.paused && !audio.paused) align();
  };
  const listeners: [string, () => void][] = [
    ["playing", play],
    ["play", play],
    ["seeked", play],
    ["pause", pause],
    ["waiting", pause],
    ["seeking", pause],
    ["ended", pause],
    ["volumechange", follow],
    ["ratechange", follow],
    ["timeupdate", drift],
  ];
  for (const [event, listener] of listeners) video.addEventListener(event, listener);
  follow();
  play();
  return () => {
    for (const [event, listener] of listeners) video.removeEventListener(event, listener);
    hls.destroy();
    audio.remove();
  };
}
