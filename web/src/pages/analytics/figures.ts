/** Milliseconds of watch time as minutes. */
export const minutesOf = (ms: bigint | undefined) => Number(ms ?? 0n) / 60_000;
