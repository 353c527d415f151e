import { Events, type default as Hls } from "hls.js";
import { useEffect, useId, useState } from "react";

interface Level {
  index: number;
  label: string;
}

/** Auto (ABR) or one rung of the ladder; a choice switches at once (hls.js flushes what is buffered). */
export function QualityMenu({ hls }: { hls: Hls }) {
  const id = useId();
  const [levels, setLevels] = useState<Level[]>([]);
  const [choice, setChoice] = useState(-1);
  const [playing, setPlaying] = useState<string>();
  useEffect(() => {
    const label = (index: number) => {
      const level = hls.levels[index];
      return level ? (level.height ? `${level.height}p` : `${Math.round(level.bitrate / 1000)} kbps`) : "";
    };
    const read = () => setLevels(hls.levels.map((_, index) => ({ index, label: label(index) })).sort((a, b) => (hls.levels[b.index]?.bitrate ?? 0) - (hls.levels[a.index]?.bitrate ?? 0)));
    const switched = (_: Events.LEVEL_SWITCHED, data: { level: number }) => setPlaying(label(data.level));
    read();
    hls.on(Events.MANIFEST_PARSED, read);
    hls.on(Events.LEVEL_SWITCHED, switched);
    return () => {
      hls.off(Events.MANIFEST_PARSED, read);
      hls.off(Events.LEVEL_SWITCHED, switched);
    };
  }, [hls]);
  if (levels.length < 2) return null;
  return (
    <div className="field inline">
      <label htmlFor={id}>Quality</label>
      <select
        id={id}
        value={choice}
        onChange={(event) => {
          const index = Number(event.target.value);
          setChoice(index);
          hls.currentLevel = index; // -1 hands the choice back to ABR
        }}
      >
        <option value={-1}>Auto{choice === -1 && playing ? ` (${playing})` : ""}</option>
        {levels.map((level) => (
          <option key={level.index} value={level.index}>
            {level.label}
          </option>
        ))}
      </select>
    </div>
  );
}
