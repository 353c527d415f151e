/** H.264 levels (ITU-T H.264 Table A-1) as the decoder limits a stream must respect. */
interface LevelLimits {
  name: string;
  /** level_idc as written in the SPS and in `avc1.PPCCLL`. */
  idc: number;
  maxMacroblocksPerSecond: number;
  maxFrameMacroblocks: number;
  /** Main-profile MaxBR in kbit/s; High allows 1.25 times as much. */
  maxBitrateKbps: number;
}

// Starts at 3.0: every device that plays HLS decodes it, so lower levels buy nothing.
const LEVELS: readonly LevelLimits[] = [
  { name: "3.0", idc: 30, maxMacroblocksPerSecond: 40_500, maxFrameMacroblocks: 1_620, maxBitrateKbps: 10_000 },
  { name: "3.1", idc: 31, maxMacroblocksPerSecond: 108_000, maxFrameMacroblocks: 3_600, maxBitrateKbps: 14_000 },
  { name: "3.2", idc: 32, maxMacroblocksPerSecond: 216_000, maxFrameMacroblocks: 5_120, maxBitrateKbps: 20_000 },
  { name: "4.0", idc: 40, maxMacroblocksPerSecond: 245_760, maxFrameMacroblocks: 8_192, maxBitrateKbps: 20_000 },
  { name: "4.1", idc: 41, maxMacroblocksPerSecond: 245_760, maxFrameMacroblocks: 8_192, maxBitrateKbps: 50_000 },
  { name: "4.2", idc: 42, maxMacroblocksPerSecond: 522_240, maxFrameMacroblocks: 8_704, maxBitrateKbps: 50_000 },
  { name: "5.0", idc: 50, maxMacroblocksPerSecond: 589_824, maxFrameMacroblocks: 22_080, maxBitrateKbps: 135_000 },
  { name: "5.1", idc: 51, maxMacroblocksPerSecond: 983_040, maxFrameMacroblocks: 36_864, maxBitrateKbps: 240_000 },
  { name: "5.2", idc: 52, maxMacroblocksPerSecond: 2_073_600, maxFrameMacroblocks: 36_864, maxBitrateKbps: 240_000 },
];

export type H264Profile = "main" | "high";

export interface H264Level {
  name: string;
  idc: number;
}

/** The lowest level whose frame size, macroblock rate and bitrate limits all hold. */
export function pickH264Level(input: { width: number; height: number; frameRate: number; maxrateBitsPerSecond: number; profile: H264Profile }): H264Level {
  const frameMacroblocks = Math.ceil(input.width / 16) * Math.ceil(input.height / 16);
  const macroblocksPerSecond = frameMacroblocks * input.frameRate;
  const bitrateFactor = input.profile === "high" ? 1.25 : 1;
  const kbps = input.maxrateBitsPerSecond / 1000;
  const level =
    LEVELS.find((l) => frameMacroblocks <= l.maxFrameMacroblocks && macroblocksPerSecond <= l.maxMacroblocksPerSecond && kbps <= l.maxBitrateKbps * bitrateFactor) ??
    LEVELS[LEVELS.length - 1]!;
  return { name: level.name, idc: level.idc };
}
