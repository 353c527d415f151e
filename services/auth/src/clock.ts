/** "Now". Injected so tests can move time past code and token expiry. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
